"""Region land areas against official areas (State Statistics Service of Ukraine).

Official areas, km² (land and inland waters), as listed in ../shared/data/README.md from the
State Statistics Service of Ukraine: AR Crimea 26,081; Sevastopol 864; Donetsk 26,517;
Luhansk 26,684; Zaporizhzhia 27,180; Kherson 28,461; Ukraine 603,628.
"""

import pytest
import shapely

from peacemap.geo.area import geodesic_area_km2

OFFICIAL_KM2 = {"UA-43": 26_081, "UA-40": 864, "UA-14": 26_517, "UA-09": 26_684, "UA-23": 27_180, "UA-65": 28_461}
UKRAINE_OFFICIAL_KM2 = 603_628
# Each unit is held to the tolerance it reaches (docs/method/land.md).
# Reached (bench/land_method.py): Donetsk +0.05%, Luhansk -0.03%, Zaporizhzhia -0.26%,
# AR Crimea +1.00%, Sevastopol +4.64%, Kherson -4.11%.
TOLERANCE_PCT = {"UA-14": 0.1, "UA-09": 0.1, "UA-23": 0.35, "UA-43": 1.1, "UA-40": 4.8, "UA-65": 4.3}
# The first reading, geoBoundaries ∩ (Natural Earth ∪ DeepState): never fall back below it.
FIRST_READING_PCT = {"UA-40": 8.3, "UA-65": 6.5}


@pytest.mark.parametrize("code", sorted(OFFICIAL_KM2))
def test_area_is_close_to_the_official_area(regions, code):
    area = regions.set_index("code").loc[code, "area_km2"]
    deviation_pct = 100 * (area / OFFICIAL_KM2[code] - 1)
    assert abs(deviation_pct) <= TOLERANCE_PCT[code], f"{code}: {area:.0f} km², {deviation_pct:+.2f}%"
    if code in FIRST_READING_PCT:
        assert abs(deviation_pct) < FIRST_READING_PCT[code]


def test_whole_country_is_close_to_its_official_area(regions):
    units = regions[regions["code"].str.fullmatch(r"UA-\d\d")]
    assert len(units) == 27
    assert units["area_km2"].sum() == pytest.approx(UKRAINE_OFFICIAL_KM2, rel=0.01)


def test_crimea_together_is_crimea_plus_sevastopol(regions):
    by_code = regions.set_index("code")["area_km2"]
    assert by_code["UA-43+UA-40"] == pytest.approx(by_code["UA-43"] + by_code["UA-40"], rel=1e-6)


def test_regions_are_valid_and_do_not_overlap(regions):
    units = regions[regions["code"].str.fullmatch(r"UA-\d\d")]
    assert units.is_valid.all()
    assert set(units.geom_type) <= {"Polygon", "MultiPolygon"}
    tree = shapely.STRtree(units.geometry.values)
    left, right = tree.query(units.geometry.values, predicate="intersects")
    overlap_km2 = max(
        (geodesic_area_km2(units.geometry.values[i].intersection(units.geometry.values[j])) for i, j in zip(left, right) if i < j),
        default=0.0,
    )
    assert overlap_km2 < 0.01


def test_no_sea_is_left_in_crimea(regions):
    # geoBoundaries' AR Crimea with its territorial sea is 41,700 km² (data README); land is far less.
    assert regions.set_index("code").loc["UA-43", "area_km2"] < 27_000


def test_crimea_land_is_deepstate_land(regions):
    # Issue 2: in fully occupied AR Crimea and Sevastopol, land comes from DeepState's coast, not
    # Natural Earth's; what lies outside DeepState is inland water it encloses (lakes, lagoons
    # by Perekop). Before the width rule, Natural Earth strips added about 140 km² there.
    from peacemap.layers.regions import LAND_MASK_SNAPSHOT
    from peacemap.layers.sources.deepstate import read_snapshot

    occupied = read_snapshot(LAND_MASK_SNAPSHOT)
    by_code = regions.set_index("code")["geometry"]
    for code in ("UA-43", "UA-40"):
        outside_km2 = geodesic_area_km2(by_code[code].difference(occupied))
        assert outside_km2 < 0.002 * OFFICIAL_KM2[code] + 1.0, f"{code}: {outside_km2:.1f} km² outside DeepState"


def test_every_unit_has_its_official_area_and_they_make_ukraines(regions):
    """Issue 26: official areas were recorded for 6 of the 27 units. All 27 now, from the State
    Statistics Service; they add up to the official area of Ukraine (603,628 km², an independent
    figure), and every unit's land is within 2% of its own (the six above to their tolerances)."""
    from peacemap.layers.regions import UKRAINE_OFFICIAL_AREA

    units = regions[regions["code"].str.fullmatch(r"UA-\d\d")]
    assert units["official_area_km2"].notna().sum() == 27
    assert units["official_area_km2"].sum() == UKRAINE_OFFICIAL_KM2 == UKRAINE_OFFICIAL_AREA.km2
    others = units[~units["code"].isin(list(OFFICIAL_KM2))]
    assert (others["deviation_pct"].abs() < 2.0).all(), others[["code", "deviation_pct"]].to_string()
