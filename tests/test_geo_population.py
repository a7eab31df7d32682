"""Dasymetric zone estimates (towns at points, rural people over territories, the band) and the
Voronoi fallback, on tiny synthetic geometries (planar metres)."""

import itertools

import numpy as np
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Point, box

from peacemap.geo.population import RegionModel, allocate, area_fractions, estimate_population, point_zones, voronoi_cells

SQUARE = box(0, 0, 100, 100)  # a 100 m × 100 m region in a planar equal-area CRS


def _model(
    territories, rural, points=(), people=(), point_hromada=(), *, radius=1.0, villages=(), village_hromada=(), village_weight=(), centre_point=None, error=0.0
) -> RegionModel:
    """A model of SQUARE: hromadas with these territories and rural people; people at points."""
    points = np.array([Point(xy) for xy in points], dtype=object)
    footprints = np.array([p.buffer(radius, quad_segs=64) for p in points], dtype=object)
    centre_point = np.full(len(territories), -1) if centre_point is None else np.asarray(centre_point)
    return RegionModel(
        territories=np.asarray(territories, dtype=object),
        rural=np.asarray(rural, float),
        points=points,
        people=np.asarray(people, float),
        point_hromada=np.asarray(point_hromada, dtype=int),
        footprints=footprints,
        villages=np.array([Point(xy) for xy in villages], dtype=object),
        village_hromada=np.asarray(village_hromada, dtype=int),
        village_weight=np.asarray(village_weight, float),
        centre_point=centre_point,
        region=SQUARE,
        territory_error=np.full(len(territories), error),
    )


HALVES = [box(0, 0, 50, 100), box(50, 0, 100, 100)]


def _strips(cuts) -> np.ndarray:
    """Vertical strips of SQUARE cut at the x positions ``cuts`` (they tile SQUARE)."""
    edges = [0.0, *sorted(cuts), 100.0]
    return np.array([box(a, 0, b, 100) for a, b in itertools.pairwise(edges) if b > a], dtype=object)


def test_two_sites_split_the_square_at_their_bisector():
    cells = voronoi_cells(np.array([Point(25, 50), Point(75, 50)], dtype=object), SQUARE)
    assert [c.area for c in cells] == pytest.approx([5000, 5000])
    assert cells[0].contains(Point(10, 10))
    assert cells[1].contains(Point(90, 90))


def test_cells_tile_the_region_and_keep_the_order_of_the_sites():
    rng = np.random.default_rng(4)
    sites = np.array([Point(xy) for xy in rng.uniform(0, 100, (30, 2))], dtype=object)
    cells = voronoi_cells(sites, SQUARE)
    assert sum(c.area for c in cells) == pytest.approx(SQUARE.area)
    assert all(cell.contains(site) for cell, site in zip(cells, sites))


def test_a_single_site_gets_the_whole_region():
    assert voronoi_cells(np.array([Point(3, 3)], dtype=object), SQUARE)[0].equals(SQUARE)


def test_repeated_sites_are_refused():
    with pytest.raises(ValueError, match="'sites' should be distinct"):
        voronoi_cells(np.array([Point(1, 1), Point(1, 1)], dtype=object), SQUARE)


def test_area_fractions_add_up_to_one_over_a_tiling():
    cells = np.array([box(0, 0, 50, 100), box(50, 0, 100, 100)], dtype=object)
    fractions = area_fractions(cells, _strips([30]))
    assert fractions == pytest.approx(np.array([[0.6, 0.4], [0.0, 1.0]]))


def test_a_point_outside_every_zone_goes_to_the_nearest_one():
    zones = np.array([box(0, 0, 10, 10), box(20, 0, 30, 10)], dtype=object)
    points = np.array([Point(5, 5), Point(29, 5), Point(40, 5)], dtype=object)
    assert point_zones(points, zones).tolist() == [0, 1, 1]


def test_town_people_sit_at_their_point_and_rural_people_are_spread():
    model = _model(HALVES, rural=[200, 400], points=[(25, 50)], people=[1000], point_hromada=[0])
    result = estimate_population(_strips([20]), model)
    # Zone x<20 holds 40% of the first territory (rural 80) and not its town (x=25).
    assert result.estimate == pytest.approx([80, 1000 + 120 + 400])


def test_the_band_takes_each_town_over_its_footprint_and_rural_people_in_their_villages():
    model = _model(
        HALVES, rural=[200, 0], points=[(25, 50)], people=[1000], point_hromada=[0], radius=10.0, villages=[(5, 50)], village_hromada=[0], village_weight=[1]
    )
    result = estimate_population(_strips([20]), model)
    # The edge x=20 cuts the town's footprint (a disc of radius 10 about x=25) 5 from its centre:
    # the segment beyond it holds (r² acos(d/r) - d √(r² - d²)) / (π r²) = 19.55% of the disc.
    segment = (100 * np.arccos(0.5) - 5 * np.sqrt(75)) / (np.pi * 100)
    assert result.estimate == pytest.approx([80, 1120])
    # Low: the town at its point and the rural 200 spread (80); high: the disc's share of the
    # town, and all 200 in the one village, at x=5.
    assert result.low == pytest.approx([80, 1000 * (1 - segment) + 0], rel=1e-3)
    assert result.high == pytest.approx([1000 * segment + 200, 1120], rel=1e-3)


def test_a_hromada_without_villages_has_its_rural_people_at_its_centre_in_the_band():
    model = _model(HALVES, rural=[100, 0], points=[(30, 50)], people=[0], point_hromada=[0], centre_point=[0, -1])
    result = estimate_population(_strips([20]), model)
    assert result.estimate == pytest.approx([40, 60])
    assert result.low == pytest.approx([0, 60])
    assert result.high == pytest.approx([40, 100])


def test_territory_error_widens_the_band_of_zones_cutting_a_territory():
    model = _model(HALVES, rural=[100, 100], error=0.5)
    result = estimate_population(_strips([20]), model)
    assert result.estimate == pytest.approx([40, 160])
    # No town and no village: only the widening, 0.5 × the rural people each zone gets from the
    # territory it cuts (40 and 60), kept within [0, 200].
    assert result.low == pytest.approx([20, 130])
    assert result.high == pytest.approx([60, 190])


def test_each_hromada_is_allocated_in_full():
    model = _model(HALVES, rural=[100, 300], points=[(25, 50), (75, 50)], people=[50, 70], point_hromada=[0, 1])
    allocation = allocate(_strips([20, 60]), model)
    assert allocation.central.sum(axis=1) == pytest.approx([150, 370])
    assert (allocation.low <= allocation.central + 1e-9).all()
    assert (allocation.central <= allocation.high + 1e-9).all()


def test_a_territory_no_zone_meets_goes_to_the_nearest_zone():
    model = _model([box(0, 0, 50, 100), box(200, 0, 210, 10)], rural=[10, 5])
    assert estimate_population(np.array([box(0, 0, 100, 100)], dtype=object), model).estimate == pytest.approx([15])


@given(
    towns=st.lists(st.tuples(st.integers(1, 99), st.integers(1, 99)), min_size=0, max_size=8, unique=True),
    cuts=st.lists(st.floats(1, 99), min_size=0, max_size=5),
    seed=st.integers(0, 1000),
)
def test_estimates_of_a_tiling_add_up_to_the_total(towns, cuts, seed):
    rng = np.random.default_rng(seed)
    territories = _strips(sorted(rng.uniform(1, 99, 3)))
    owner = [int(np.flatnonzero([t.covers(Point(xy)) for t in territories])[0]) for xy in towns]
    model = _model(
        territories,
        rng.integers(0, 10_000, len(territories)),
        points=towns,
        people=rng.integers(0, 10_000, len(towns)),
        point_hromada=owner,
        radius=5.0,
        villages=towns[:2],
        village_hromada=owner[:2],
        village_weight=[1, 2][: len(towns[:2])],
        error=0.3,
    )
    result = estimate_population(_strips(cuts), model)
    assert result.estimate.sum() == pytest.approx(model.total)
    assert (result.low <= result.estimate + 1e-6).all()
    assert (result.estimate <= result.high + 1e-6).all()
    assert (result.low >= 0).all()
    assert (result.high <= model.total + 1e-6).all()


def test_empty_zones_are_refused():
    with pytest.raises(ValueError, match="'zones' should hold at least one polygon"):
        estimate_population(np.array([], dtype=object), _model([SQUARE], [1]))


def test_a_model_of_mismatched_lengths_is_refused():
    with pytest.raises(ValueError, match="'rural' should have length 2, got 1"):
        _model(HALVES, rural=[1])


def test_conservation_survives_zone_edges_that_miss_the_region_by_a_sliver():
    model = _model(HALVES, rural=[30, 40], points=[(25, 50), (75, 50)], people=[10, 20], point_hromada=[0, 1])
    zones = np.array([box(-1, -1, 40, 101), shapely.difference(box(40, 0, 100, 100), box(99.9, 0, 100, 1))], dtype=object)
    assert estimate_population(zones, model).estimate.sum() == pytest.approx(100)
