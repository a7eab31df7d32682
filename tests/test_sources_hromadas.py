"""The OPORA hromada territories (layers.sources.hromadas): read through the registry, names parsed.

Reference figures are the source's own, as the data mirror documents them (SOURCES.json notes):
1,472 MultiPolygons; Donetsk 66, Luhansk 37, Zaporizhzhia 67, Kherson 49; AR Crimea as 2
polygons (AR Crimea and Sevastopol), Kyiv city one.
"""

import geopandas as gpd
import pytest
from shapely.geometry import box

from peacemap.layers.errors import DataSourceError
from peacemap.layers.sources import hromadas


@pytest.fixture(scope="module")
def opora():
    return hromadas.read_opora_hromadas()


def test_every_polygon_is_read_with_a_region_code(opora):
    assert len(opora) == 1472
    assert opora.crs.equals(4326)
    assert opora["region"].str.fullmatch(r"UA-\d\d").all()


@pytest.mark.parametrize(("code", "count"), [("UA-14", 66), ("UA-09", 37), ("UA-23", 67), ("UA-65", 49)])
def test_the_key_oblasts_have_their_hromadas(opora, code, count):
    assert (opora[opora["unit"] == hromadas.HROMADA_UNIT]["region"] == code).sum() == count


def test_crimea_sevastopol_and_kyiv_are_region_units(opora):
    units = opora[opora["unit"] == hromadas.REGION_UNIT]
    assert sorted(units["region"]) == ["UA-30", "UA-40", "UA-43"]


def test_hromadas_occupied_since_2014_have_no_type(opora):
    avdiivka = opora[opora["name_uk"] == "Авдіївська територіальна громада"]
    assert avdiivka[["region", "stem", "type"]].values.tolist() == [["UA-14", "авдіївська", ""]]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Слов'янська міська громада", ("слов'янська", "міська")),
        ("Слов’янська  міська громада", ("слов'янська", "міська")),
        ("Лутугінська територіальна громада", ("лутугінська", "")),
        ("Кам'янсько-Дніпровська міська громада", ("кам'янсько-дніпровська", "міська")),
    ],
)
def test_hromada_names_are_split_into_stem_and_type(name, expected):
    assert hromadas.split_hromada_name(name) == expected


def test_a_name_without_a_type_is_refused():
    with pytest.raises(DataSourceError, match="does not end in '<type> громада'"):
        hromadas.split_hromada_name("Слов'янська громада")


def test_raion_typos_are_one_key():
    assert hromadas.raion_key("Маріупольский район") == hromadas.raion_key("Маріупольський район") == "маріупольський"


def test_a_frame_without_the_source_columns_or_crs_is_refused():
    frame = gpd.GeoDataFrame({"id": [0], "region": ["Донецька область"]}, geometry=[box(37, 48, 38, 49)], crs=4326)
    with pytest.raises(DataSourceError, match=r"expected columns \['rayon', 'hromada'\]"):
        hromadas.parse_opora_hromadas(frame)
    with pytest.raises(DataSourceError, match="expected EPSG:4326"):
        hromadas.parse_opora_hromadas(frame.set_crs(3857, allow_override=True))
