"""Hromada territories (layers.population.territories): OPORA polygons joined to table 6, tiling
every region; and the cities and towns of table 5 located in them (layers.population.settlements).

Reference figures: the official 2022 collection of the State Statistics Service of Ukraine
(table 6: 1,469 hromadas plus Kyiv city; Donetsk 66, Luhansk 37, Zaporizhzhia 67, Kherson 49;
table 5: the cities), the OPORA source's documentation (names, no codes) and the land areas of
``peacemap regions``.
"""

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, box

from peacemap.layers.population import territories as territory
from peacemap.layers.population.settlements import AT_HROMADA_CENTRE, NOT_LOCATED

KEY_OBLASTS = {"UA-14": 66, "UA-09": 37, "UA-23": 67, "UA-65": 49}


@pytest.mark.parametrize(("code", "count"), sorted(KEY_OBLASTS.items()))
def test_every_hromada_of_the_key_oblasts_is_joined_once(territories, code, count):
    frame = territories.frame
    members = frame[frame["region"] == code]
    assert len(members) == count
    assert members["joined"].isin([territory.JOINED_BY_NAME, territory.JOINED_BY_CLOSE_NAME]).all()
    assert members["opora_id"].is_unique
    assert (members["opora_id"] >= 0).all()
    assert not members.geometry.is_empty.any()


def test_every_hromada_of_the_country_has_a_territory(territories):
    frame = territories.frame
    assert (frame.index >= 0).sum() == 1470  # table 6: 1,469 hromadas and Kyiv city
    assert territories.not_joined.empty
    assert territories.unmatched_polygons.empty
    assert frame.loc[frame["opora_id"] >= 0, "opora_id"].is_unique


def test_typos_of_the_source_are_joined_by_close_name(territories):
    frame = territories.frame
    close = frame[frame["joined"] == territory.JOINED_BY_CLOSE_NAME]
    # Table 6 spelling; OPORA writes Лутугінська, Сєверодонецька and Андрівська.
    assert sorted(close["name_uk"]) == ["Андріївська селищна ТГ", "Лутугинська міська ТГ", "Сєвєродонецька міська ТГ"]


def test_crimea_sevastopol_and_kyiv_are_region_level_units(territories, regions):
    frame = territories.frame
    units = frame[frame["joined"] == territory.REGION_LEVEL].set_index("region")
    assert sorted(units.index) == ["UA-30", "UA-40", "UA-43"]
    assert units.loc[["UA-43", "UA-40"], "population"].isna().all()
    land = regions.set_index("code")["area_km2"]
    assert units["area_km2"].to_dict() == pytest.approx(land[units.index].to_dict())


def test_territories_tile_every_region(territories, regions):
    areas = territories.frame.groupby("region")["area_km2"].sum()
    land = regions.set_index("code").loc[areas.index, "area_km2"]
    assert len(areas) == 27
    assert ((areas / land - 1).abs() < 0.001).all(), (areas / land - 1).abs().sort_values().tail()
    frame = territories.frame
    donetsk = frame[frame["region"] == "UA-14"].geometry.to_numpy()
    overlaps = sum(
        donetsk[i].intersection(donetsk[j]).area for i in range(len(donetsk)) for j in range(i + 1, len(donetsk)) if donetsk[i].intersects(donetsk[j])
    )
    assert overlaps < 1e-9  # deg²: no overlap beyond floating-point noise


def test_territories_match_the_kse_areas(territories):
    # The target: median |area / KSE square - 1| at most 3% (the Voronoi cells missed by 32.6%).
    frame = territories.frame
    known = frame[frame["kse_km2"].notna() & (frame.index >= 0)]
    assert len(known) > 1400
    assert (known["area_km2"] / known["kse_km2"] - 1).abs().median() <= 0.03


def test_a_hromada_without_a_polygon_falls_back_and_a_stray_polygon_is_shared():
    # Synthetic: three hromadas of one 1°×1° region, OPORA knows two and one it cannot match.
    region = gpd.GeoDataFrame({"code": ["UA-14"]}, geometry=[box(37, 47, 38, 48)], crs=4326)
    centres = gpd.GeoDataFrame(
        {
            "region": "UA-14",
            "raion_uk": "Краматорський район",
            "raion_en": "",
            "name_uk": ["А міська ТГ", "Б міська ТГ", "В міська ТГ"],
            "name_en": "",
            "stem": ["а", "б", "в"],
            "type": "міська",
            "population": [10.0, 20.0, 30.0],
            "square_km2": np.nan,
        },
        geometry=[Point(37.2, 47.5), Point(37.5, 47.5), Point(37.8, 47.5)],
        crs=4326,
    )
    opora = gpd.GeoDataFrame(
        {
            "opora_id": [0, 1, 2],
            "region": "UA-14",
            "raion_uk": "",
            "raion": "краматорський",
            "name_uk": ["а", "б", "ґґґґґґ"],
            "stem": ["а", "б", "ґґґґґґ"],
            "type": "міська",
            "unit": "hromada",
        },
        geometry=[box(37, 47, 37.4, 48), box(37.4, 47, 37.7, 48), box(37.7, 47, 38, 48)],
        crs=4326,
    )
    result = territory.build_territories(centres, opora, region)
    assert result.not_joined["name_uk"].tolist() == ["В міська ТГ"]
    assert result.unmatched_polygons["opora_id"].tolist() == [2]
    # The stray polygon's land went to its neighbour: the two joined territories tile the region.
    assert result.frame.loc[[0, 1], "area_km2"].sum() == pytest.approx(_km2(box(37, 47, 38, 48)), rel=1e-9)
    assert result.frame.loc[2].geometry.is_empty
    # The model spreads В's people over its Voronoi cell instead (never drops them).
    from peacemap.layers.population import model as population

    centres = centres.assign(urban=0.0, rural=centres["population"])
    built = population.build_population_model(centres, region, territories=result)
    assert built.territories["territory"].tolist() == [population.TERRITORY_OPORA, population.TERRITORY_OPORA, population.TERRITORY_VORONOI]
    halves = gpd.GeoDataFrame({"region": ["UA-14"] * 2}, geometry=[box(37, 47, 37.65, 48), box(37.65, 47, 38, 48)], crs=4326)
    estimates = population.zone_population(halves, built)["population_2022"]
    assert estimates.sum() == 60
    # А: all 10 in the west; Б (37.4-38° with the stray polygon's land): 0.25 of 0.6° in the
    # west; В: its cell east of 37.65° (the bisector of its centre and Б's) wholly in the east.
    assert estimates.iloc[0] == pytest.approx(10 + 20 * 0.25 / 0.6, abs=1)


def _km2(geometry):
    from peacemap.geo.area import geodesic_area_km2

    return geodesic_area_km2(geometry)


@pytest.mark.parametrize(
    ("city", "hromada"),
    [
        ("Краматорськ", "Краматорська міська ТГ"),
        ("Слов'янськ", "Слов’янська міська ТГ"),
        ("Дружківка", "Дружківська міська ТГ"),
        ("Костянтинівка", "Костянтинівська міська ТГ"),
    ],
)
def test_the_dmz_cities_are_located_in_their_hromadas(settlements, territories, city, hromada):
    found = settlements[(settlements["region"] == "UA-14") & (settlements["name_uk"].str.replace("’", "'") == city)]
    assert found["located"].tolist() == [AT_HROMADA_CENTRE]
    assert territories.frame.loc[found["hromada"].iloc[0], "name_uk"] == hromada
    assert territories.frame.loc[found["hromada"].iloc[0]].geometry.covers(found.geometry.iloc[0])


def test_nearly_every_town_dweller_is_located(settlements):
    missing = settlements.loc[settlements["located"] == NOT_LOCATED, "population"].sum()
    assert missing / settlements["population"].sum() < 0.01
