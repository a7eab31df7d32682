"""The incremental split on grid cells gives the report's figures (layers.control).

Synthetic polygons put each rule of the split across the grid's lines: an enclave, islands,
and strips under the sliver width on both sides of a border. Real snapshots check that the
grid size does not change the figures and that a saved grid reads back the same.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from peacemap.geo.area import geodesic_areas_km2
from peacemap.layers.control import split as control
from peacemap.layers.control.cells import CellControl, cells_from_arrays, cells_to_arrays, cut_cells
from peacemap.layers.sources import deepstate, registry
from peacemap.layers.timeline import cache as timeline_cache

SLIVER_M = control.SLIVER_WIDTH_M
# At 48.5° N one degree of longitude is about 73.9 km: 0.0004° is about 30 m, under the sliver
# width, and 0.002° about 150 m, over it.
THIN_DEG, WIDE_DEG = 0.0004, 0.002

WEST = box(30.0, 48.0, 31.0, 49.0)
EAST = box(31.0, 48.0, 32.0, 49.0)
ISLAND = box(30.2, 47.5, 30.3, 47.6)  # part of WEST's unit, away from everything
UNITS = [shapely.union_all([WEST, ISLAND]), EAST]


def report_occupied_km2(units: list, polygon) -> np.ndarray:
    """control_zones on split_country: the report's occupied km² per unit."""
    frame = gpd.GeoDataFrame({"code": ["W", "E"], "name": ["W", "E"]}, geometry=units, crs=4326)
    zones = control.control_zones(frame, control.split_country(shapely.union_all(units), polygon))
    return zones[zones["control"] == control.OCCUPIED].set_index("region").loc[["W", "E"], "area_km2"].to_numpy()


def cell_control(units: list, cell_deg: float = 0.25) -> CellControl:
    cells = cut_cells(units, sliver_width_m=SLIVER_M, cell_deg=cell_deg)
    return CellControl(cells, sliver_width_m=SLIVER_M, touch_tolerance_deg=control.TOUCH_TOLERANCE_DEG)


# Occupied polygons, each testing one rule where it crosses grid lines (every 0.25°).
ANNULUS = box(30.1, 48.1, 30.9, 48.9).difference(box(30.4, 48.4, 30.6, 48.6))  # enclave across 30.5 and 48.5
UP_TO_THIN_STRIP = box(30.0, 48.0, 31.0 - THIN_DEG, 49.0)  # leaves WEST a 30 m strip along EAST
UP_TO_WIDE_STRIP = box(30.0, 48.0, 31.0 - WIDE_DEG, 49.0)  # a 150 m strip: stays held
INTO_EAST_THIN = box(30.0, 48.0, 31.0 + THIN_DEG, 49.0)  # a 30 m strip of EAST occupied: joins held
ISLAND_TOUCHED = shapely.union_all([box(30.5, 48.1, 30.8, 48.4), box(30.25, 47.55, 30.35, 47.65)])
THIN_AND_ENCLAVE = shapely.union_all([UP_TO_THIN_STRIP.difference(box(30.45, 48.45, 30.55, 48.55)), box(31.3, 48.3, 31.7, 48.7)])
POLYGONS = {
    "annulus": ANNULUS,
    "thin strip": UP_TO_THIN_STRIP,
    "wide strip": UP_TO_WIDE_STRIP,
    "into east": INTO_EAST_THIN,
    "island touched": ISLAND_TOUCHED,
    "thin strip and enclave": THIN_AND_ENCLAVE,
}


@pytest.mark.parametrize("name", list(POLYGONS))
def test_each_rule_across_grid_lines_matches_the_report(name):
    polygon = POLYGONS[name]
    expected = report_occupied_km2(UNITS, polygon)
    assert np.abs(cell_control(UNITS).occupied_km2(polygon) - expected).max() < 1e-6


def test_the_rules_change_the_figures():
    """The synthetic cases are not trivial: each rule moves land between the naive sides."""
    naive = [shapely.intersection(UNITS[0], ANNULUS), shapely.intersection(UNITS[1], INTO_EAST_THIN)]
    annulus, into_east = report_occupied_km2(UNITS, ANNULUS), report_occupied_km2(UNITS, INTO_EAST_THIN)
    enclave_km2 = geodesic_areas_km2(np.array([box(30.4, 48.4, 30.6, 48.6)], dtype=object))[0]
    assert annulus[0] == pytest.approx(geodesic_areas_km2(np.array([naive[0]]))[0] + enclave_km2)
    assert geodesic_areas_km2(np.array([naive[1]]))[0] > 2.0
    assert into_east[1] == 0.0
    thin = report_occupied_km2(UNITS, UP_TO_THIN_STRIP)
    assert thin[0] == pytest.approx(geodesic_areas_km2(np.array([WEST]))[0])


def test_a_sequence_updates_only_what_changed_and_stays_exact():
    """Polygons fed one after another (cells reused) give the figures of a fresh start, and
    cutting again only where the line moved cuts fewer cells than starting afresh each time."""
    running, fresh_cuts = cell_control(UNITS), 0
    for name in [*POLYGONS, "annulus", "thin strip and enclave", "wide strip", "wide strip"]:
        fresh = cell_control(UNITS)
        expected = fresh.occupied_km2(POLYGONS[name])
        fresh_cuts += fresh.stats["cells_cut"]
        assert np.abs(running.occupied_km2(POLYGONS[name]) - expected).max() < 1e-9, name
    assert running.stats["unchanged"] == 1  # the repeated polygon
    assert running.stats["cells_cut"] < fresh_cuts


coordinate = st.tuples(st.floats(29.8, 32.2), st.floats(47.4, 49.2))


@st.composite
def occupied_polygons(draw):
    """Random occupied territory: a union of convex hulls, which leaves enclaves between them."""
    hulls = [shapely.MultiPoint(draw(st.lists(coordinate, min_size=3, max_size=7))).convex_hull for _ in range(draw(st.integers(1, 4)))]
    return shapely.union_all([hull for hull in hulls if hull.geom_type == "Polygon" and hull.area > 1e-6])


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(occupied_polygons(), min_size=1, max_size=3))
def test_random_sequences_match_the_report(polygons):
    """Any sequence of polygons, each measured after the one before, gives the report's km²."""
    running = cell_control(UNITS)
    for polygon in polygons:
        if polygon.is_empty:
            continue
        assert np.abs(running.occupied_km2(polygon) - report_occupied_km2(UNITS, polygon)).max() < 1e-4


# --- real snapshots ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_units():
    return timeline_cache.load_units(use_cache=False)


def test_grid_size_does_not_change_real_figures(real_units):
    """The grid is a shortcut: 1° cells and the default cells give the same km² over three days."""
    days = [d for d in registry.deepstate_dates() if dt.date(2025, 11, 19) <= d <= dt.date(2025, 11, 21)]
    coarse = CellControl(
        cut_cells(real_units.geometries, sliver_width_m=SLIVER_M, cell_deg=1.0), sliver_width_m=SLIVER_M, touch_tolerance_deg=control.TOUCH_TOLERANCE_DEG
    )
    fine = real_units.control()
    for day in days:
        polygon = deepstate.read_occupied(registry.fetch(registry.deepstate_source(day)))
        assert np.abs(coarse.occupied_km2(polygon) - fine.occupied_km2(polygon)).max() < 1e-3


def test_saved_cells_read_back_the_same(real_units):
    cells = cut_cells(real_units.geometries[:3], sliver_width_m=SLIVER_M)
    again = cells_from_arrays(cells_to_arrays(cells))
    assert shapely.equals_exact(again.geometries, cells.geometries, tolerance=0).all()
    assert again.pair_linked == cells.pair_linked
    np.testing.assert_array_equal(again.thin, cells.thin)
    np.testing.assert_array_equal(again.km2, cells.km2)
