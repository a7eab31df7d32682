"""Voronoi territories and dasymetric zone estimates on tiny synthetic geometries (planar metres)."""

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from peacemap.geo.population import RegionModel, area_fractions, estimate_population, point_zones, voronoi_cells

SQUARE = box(0, 0, 100, 100)  # a 100 m × 100 m region in a planar equal-area CRS


def _model(sites, urban, rural, *, site_of=None, error=0.0) -> RegionModel:
    sites = np.array([Point(xy) for xy in sites], dtype=object)
    site_of = np.arange(len(sites)) if site_of is None else np.asarray(site_of)
    return RegionModel(sites, voronoi_cells(sites, SQUARE), site_of, np.asarray(urban, float),
                       np.asarray(rural, float), SQUARE, error)


def _strips(cuts) -> np.ndarray:
    """Vertical strips of SQUARE cut at the x positions ``cuts`` (they tile SQUARE)."""
    edges = [0.0, *sorted(cuts), 100.0]
    return np.array([box(a, 0, b, 100) for a, b in zip(edges, edges[1:]) if b > a], dtype=object)


def test_two_sites_split_the_square_at_their_bisector():
    cells = voronoi_cells(np.array([Point(25, 50), Point(75, 50)], dtype=object), SQUARE)
    assert [c.area for c in cells] == pytest.approx([5000, 5000])
    assert cells[0].contains(Point(10, 10)) and cells[1].contains(Point(90, 90))


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


def test_urban_goes_to_the_centre_and_rural_is_spread():
    model = _model([(25, 50), (75, 50)], urban=[1000, 0], rural=[200, 400])
    result = estimate_population(_strips([20]), model)
    # Zone x<20 holds 40% of the first cell (rural 80) and not its centre (x=25).
    assert result.estimate == pytest.approx([80, 1000 + 120 + 400])
    # All at centre: 0 and 1600; all spread: 40% of 1200 = 480 and 1120.
    assert result.low == pytest.approx([0, 1120])
    assert result.high == pytest.approx([480, 1600])


def test_territory_error_widens_the_band_of_zones_cutting_a_cell():
    model = _model([(25, 50), (75, 50)], urban=[0, 0], rural=[100, 100], error=0.5)
    result = estimate_population(_strips([20]), model)
    assert result.estimate == pytest.approx([40, 160])
    # Envelope of (central, all at centre, all spread) = ([40, 0, 40], [160, 200, 160]), widened
    # by 0.5 × the rural persons each zone gets from the cell it cuts (40 and 60), kept in [0, 200].
    assert result.low == pytest.approx([0, 130])
    assert result.high == pytest.approx([60, 200])


def test_a_hromada_without_a_site_is_spread_over_the_region():
    model = _model([(25, 50)], urban=[0, 0], rural=[100, 300], site_of=[0, -1])
    result = estimate_population(_strips([25]), model)
    assert result.estimate.sum() == pytest.approx(400)
    assert result.estimate[0] == pytest.approx(100 * 0.25 + 300 * 0.25)


@settings(max_examples=40, deadline=None)
@given(
    sites=st.lists(st.tuples(st.integers(1, 99), st.integers(1, 99)), min_size=1, max_size=12, unique=True),
    cuts=st.lists(st.floats(1, 99), min_size=0, max_size=5),
    seed=st.integers(0, 1000),
)
def test_estimates_of_a_tiling_add_up_to_the_total(sites, cuts, seed):
    rng = np.random.default_rng(seed)
    model = _model(sites, rng.integers(0, 10_000, len(sites)), rng.integers(0, 10_000, len(sites)), error=0.3)
    result = estimate_population(_strips(cuts), model)
    assert result.estimate.sum() == pytest.approx(model.total)
    assert (result.low <= result.estimate + 1e-6).all() and (result.estimate <= result.high + 1e-6).all()
    assert (result.low >= 0).all() and (result.high <= model.total + 1e-6).all()


def test_empty_zones_are_refused():
    with pytest.raises(ValueError, match="'zones' should hold at least one polygon"):
        estimate_population(np.array([], dtype=object), _model([(5, 5)], [1], [1]))


def test_conservation_survives_zone_edges_that_miss_the_region_by_a_sliver():
    model = _model([(25, 50), (75, 50)], urban=[10, 20], rural=[30, 40])
    zones = np.array([box(-1, -1, 40, 101), shapely.difference(box(40, 0, 100, 100), box(99.9, 0, 100, 1))], dtype=object)
    assert estimate_population(zones, model).estimate.sum() == pytest.approx(100)
