"""geo.land on tiny synthetic coasts (lon/lat boxes near Ukraine, EPSG:4326)."""

import pytest
from shapely.geometry import Point, box

from peacemap.geo.area import geodesic_area_km2
from peacemap.geo.land import land_with_inland_water, merge_land

FINE = box(33.0, 46.0, 33.5, 46.5)
# Coarse coast drawn 0.01° (about 0.8 km) west of the fine one: a mismatch strip.
STRIP = box(32.99, 46.0, 33.0, 46.5)
# Land the fine polygon does not cover at all (like the held mainland): wide.
WIDE = box(33.5, 46.0, 34.0, 46.5)
# A small island well away from the fine land.
ISLAND = box(35.0, 46.0, 35.005, 46.005)


def test_merge_land_drops_thin_strips_beside_the_fine_land_only():
    coarse = STRIP.union(WIDE).union(ISLAND).union(box(33.0, 46.0, 33.5, 46.49))
    merged = merge_land(coarse, FINE)
    expected_km2 = geodesic_area_km2(FINE) + geodesic_area_km2(WIDE) + geodesic_area_km2(ISLAND)
    assert geodesic_area_km2(merged) == pytest.approx(expected_km2, rel=1e-6)
    assert not merged.contains(STRIP.centroid)
    assert merged.contains(ISLAND.centroid)


def test_merge_land_without_mismatch_width_keeps_every_piece():
    merged = merge_land(STRIP.union(WIDE), FINE, mismatch_half_width_m=0)
    assert merged.contains(STRIP.centroid)


def test_merge_land_rejects_a_negative_width():
    with pytest.raises(ValueError, match="'mismatch_half_width_m' must be >= 0 metres, got -1"):
        merge_land(STRIP, FINE, mismatch_half_width_m=-1)


def _coast_with_lagoon_and_bay():
    """Land north of 46°N with a lagoon (1.5 km mouth in a spit) and an open bay (30 km mouth)."""
    lagoon = box(30.8, 46.0, 31.2, 46.3)
    bay = box(31.4, 46.0, 31.8, 46.3)
    spit = box(30.75, 45.95, 31.25, 46.0).difference(box(30.99, 45.95, 31.01, 46.0))
    land = box(30.0, 46.0, 32.0, 47.0).difference(lagoon).difference(bay).union(spit)
    return box(30.0, 45.0, 32.0, 47.0), land, lagoon, bay


def test_inland_water_keeps_a_lagoon_and_drops_the_open_sea_and_an_open_bay():
    territory, land, lagoon, bay = _coast_with_lagoon_and_bay()
    kept = land_with_inland_water(territory, land)
    assert kept.contains(lagoon.centroid)
    assert not kept.contains(bay.centroid)
    assert not kept.contains(Point(31.0, 45.5))
    assert geodesic_area_km2(kept) == pytest.approx(geodesic_area_km2(land) + geodesic_area_km2(lagoon), rel=0.01)


def test_inland_water_without_closing_keeps_no_lagoon_behind_an_open_mouth():
    territory, land, lagoon, _ = _coast_with_lagoon_and_bay()
    kept = land_with_inland_water(territory, land, strait_half_width_m=0)
    assert not kept.contains(lagoon.centroid)


def test_inland_water_keeps_a_strip_along_a_land_border():
    # Issue 2: where the land polygons stop short of the territory's land border, the strip
    # between them is land, not open sea, even when it is large (here about 200 km²).
    territory = box(30.0, 45.0, 32.0, 47.0)
    strip = box(30.0, 46.3, 30.04, 46.9)
    land = box(30.0, 46.0, 32.0, 47.0).difference(strip)
    kept = land_with_inland_water(territory, land)
    assert kept.contains(strip.centroid)
    assert not kept.contains(Point(31.0, 45.5))
