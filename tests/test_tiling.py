"""geo.tiling: territories from one source made to tile a region drawn by another (synthetic
polygons in lon/lat degrees near 48° N, where 0.1° is about 7.4 km east-west and 11.1 km north-south)."""

import numpy as np
import pytest
import shapely
from hypothesis import example, given
from hypothesis import strategies as st
from shapely.geometry import Point, box

from peacemap.geo.clean import SPECK_AREA
from peacemap.geo.tiling import approximate_km2, tile_region

REGION = box(30.0, 48.0, 30.2, 48.1)


def _assert_tiles(tiles, region=REGION):
    assert sum(t.area for t in tiles) == pytest.approx(region.area, rel=1e-9)
    assert shapely.union_all(tiles).symmetric_difference(region).area == pytest.approx(0, abs=1e-12)
    for i in range(len(tiles)):
        for j in range(i + 1, len(tiles)):
            assert tiles[i].intersection(tiles[j]).area == pytest.approx(0, abs=1e-12)
    assert all(shapely.is_valid(tiles))


def test_polygons_are_clipped_to_the_region():
    tiles = tile_region([box(29.9, 47.9, 30.1, 48.2), box(30.1, 48.0, 30.3, 48.1)], REGION)
    assert tiles[0].equals(box(30.0, 48.0, 30.1, 48.1))
    assert tiles[1].equals(box(30.1, 48.0, 30.2, 48.1))


def test_an_overlap_goes_to_the_polygon_listed_first():
    tiles = tile_region([box(30.0, 48.0, 30.12, 48.1), box(30.1, 48.0, 30.2, 48.1)], REGION)
    assert tiles[0].area == pytest.approx(0.012)
    assert tiles[1].area == pytest.approx(0.008)
    _assert_tiles(tiles)


def test_a_small_gap_goes_to_the_territory_sharing_the_longest_border():
    # A 0.01° × 0.05° gap (about 4 km²) shares 0.05° of border with the left polygon (its left
    # side) and 0.06° with the right one (its right side and its bottom).
    left = box(30.0, 48.0, 30.1, 48.1)
    right = shapely.union(box(30.11, 48.0, 30.2, 48.1), box(30.1, 48.0, 30.11, 48.05))
    tiles = tile_region([left, right], REGION)
    assert approximate_km2(np.array([box(30.1, 48.05, 30.11, 48.1)]))[0] < 5
    assert tiles[1].covers(Point(30.105, 48.08))
    assert not tiles[0].covers(Point(30.105, 48.08))
    _assert_tiles(tiles)


def test_a_large_gap_touching_two_territories_is_divided_by_nearness():
    # The middle 0.1° strip (about 82 km²) lies between the two: each gets the half nearer to it.
    tiles = tile_region([box(30.0, 48.0, 30.05, 48.1), box(30.15, 48.0, 30.2, 48.1)], REGION)
    assert tiles[0].area == pytest.approx(tiles[1].area, rel=0.02)
    assert tiles[0].covers(Point(30.09, 48.05))
    assert tiles[1].covers(Point(30.11, 48.05))
    _assert_tiles(tiles)


def test_an_island_goes_to_the_nearest_territory():
    region = shapely.union(REGION, box(30.25, 48.0, 30.26, 48.01))
    tiles = tile_region([box(30.0, 48.0, 30.1, 48.1), box(30.1, 48.0, 30.2, 48.1)], region)
    assert tiles[1].covers(Point(30.255, 48.005))
    _assert_tiles(tiles, region)


def test_a_region_hole_stays_out_of_every_territory():
    region = shapely.difference(REGION, box(30.05, 48.03, 30.07, 48.05))  # an enclave of another region
    tiles = tile_region([box(30.0, 48.0, 30.1, 48.1), box(30.1, 48.0, 30.2, 48.1)], region)
    assert not any(t.intersects(Point(30.06, 48.04)) for t in tiles)
    _assert_tiles(tiles, region)


def test_polygons_that_miss_the_region_are_refused():
    with pytest.raises(ValueError, match="do not meet 'region'"):
        tile_region([box(3_300_000, 5_300_000, 3_310_000, 5_310_000)], REGION)


# Found by Hypothesis: two edges 1e-14° apart gave GEOS's Voronoi near-coincident points.
@example([(30.125, 48.0, 0.125, 0.0625), (30.109375, 47.95, 0.125, 0.0625), (30.109375, 47.95000000000001, 0.125, 0.0625)])
@example([(29.953125, 48.0625, 0.125, 0.0625), (30.1171875, 47.95, 0.125, 0.05859375), (30.1171875, 47.95000000000001, 0.125, 0.05859375)])
@given(st.lists(st.tuples(st.floats(29.95, 30.2), st.floats(47.95, 48.1), st.floats(0.01, 0.15), st.floats(0.01, 0.1)), min_size=1, max_size=8))
def test_random_rectangles_always_tile_the_region(rectangles):
    polygons = [box(x, y, x + w, y + h) for x, y, w, h in rectangles]
    # A rectangle that meets the region by a rounding error (6e-15° of overlap) does not meet it:
    # cleaning drops such specks (geo.clean.SPECK_AREA), and tile_region then refuses the input.
    if not any(p.intersection(REGION).area > SPECK_AREA for p in polygons):
        return
    _assert_tiles(tile_region(polygons, REGION))
