"""geo.simplify: coverage simplification keeps the tiling, the areas and the outlines."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Polygon

from peacemap.geo.area import geodesic_area_km2
from peacemap.geo.projections import from_metric, to_metric
from peacemap.geo.simplify import (
    clean_coverage,
    displacement_m,
    relative_area_change,
    round_coordinates,
    shared_edges,
    simplify_coverage,
)

MAX_SHIFT_M = 100.0
MAX_AREA_CHANGE = 1e-3  # 0.1%


def _two_fields_with_wiggly_border() -> list[Polygon]:
    """Two 10 km x 10 km squares (metres) sharing a border that wiggles by up to 20 m."""
    rng = np.random.default_rng(7)
    ys = np.linspace(0, 10_000, 401)
    border = [(5_000 + rng.uniform(-20, 20), y) for y in ys[1:-1]]
    west = Polygon([(0, 0), (5_000, 0), *border, (5_000, 10_000), (0, 10_000)])
    east = Polygon([(5_000, 0), (10_000, 0), (10_000, 10_000), (5_000, 10_000), *reversed(border)])
    return [west, east]


def test_shared_border_stays_shared_on_synthetic_fields():
    west, east = _two_fields_with_wiggly_border()
    result = simplify_coverage([west, east], tolerance_m=200)
    simple_west, simple_east = result.simplified
    assert shapely.get_num_coordinates(simple_west) < shapely.get_num_coordinates(west) / 4
    assert shapely.coverage_is_valid(result.simplified)
    # No gap, no overlap: the two parts still fill the square exactly.
    assert shapely.union_all(result.simplified).area == pytest.approx(100e6, rel=1e-12)
    assert simple_west.intersection(simple_east).area == pytest.approx(0, abs=1e-6)
    border = shared_edges(simple_west, simple_east)
    assert border.length >= 10_000  # the whole border, from y=0 to y=10 km


def test_shared_edges_of_disjoint_polygons_is_empty():
    assert shared_edges(shapely.box(0, 0, 1, 1), shapely.box(5, 5, 6, 6)).is_empty


def test_round_coordinates_rounds_and_refuses_negative_decimals():
    line = LineString([(30.123456789, 48.987654321), (31.5, 49.0)])
    assert round_coordinates(line, 5).coords[0] == (30.12346, 48.98765)
    with pytest.raises(ValueError, match="'decimals'"):
        round_coordinates(line, -1)


def test_simplify_coverage_refuses_non_positive_tolerance():
    with pytest.raises(ValueError, match="'tolerance_m'"):
        simplify_coverage([shapely.box(0, 0, 1, 1)], tolerance_m=0)


def test_measures_on_a_known_change():
    square = shapely.box(0, 0, 100, 100)
    moved = shapely.box(0, 0, 100, 110)  # one side moved 10 m out
    assert displacement_m(np.array([square]), np.array([moved]))[0] == pytest.approx(10)
    assert relative_area_change(np.array([square]), np.array([moved]))[0] == pytest.approx(0.1)


# --- on the real zones of the 28-point plan (35 zones tiling Ukraine's 27 regions) ---------


@pytest.fixture(scope="module")
def real_simplification(plan28_layers):
    from peacemap.maps.prepare import MAP_TOLERANCE_M

    zones = plan28_layers.zones
    metric = np.array([to_metric(g) for g in zones.geometry.values], dtype=object)
    return zones, metric, simplify_coverage(metric, tolerance_m=MAP_TOLERANCE_M)


def test_real_zones_stay_a_tiling(real_simplification):
    zones, _, result = real_simplification
    assert len(result.simplified) == len(zones)
    assert shapely.is_valid(result.simplified).all()
    assert shapely.coverage_is_valid(result.simplified)  # no overlap, shared edges identical
    # No gap opens: the union of the simplified zones has no hole the cleaned one lacks.
    before = shapely.coverage_union_all(result.cleaned)
    after = shapely.coverage_union_all(result.simplified)
    assert shapely.get_num_interior_rings(shapely.get_parts(after)).sum() <= shapely.get_num_interior_rings(shapely.get_parts(before)).sum()
    assert after.area == pytest.approx(before.area, rel=MAX_AREA_CHANGE)


def test_real_zones_keep_their_geodesic_area(real_simplification):
    zones, _, result = real_simplification
    simplified_km2 = np.array([geodesic_area_km2(from_metric(g)) for g in result.simplified])
    change = np.abs(simplified_km2 / zones["area_km2"].to_numpy() - 1)
    worst = int(np.argmax(change))
    assert change.max() < MAX_AREA_CHANGE, f"{zones['region'].iloc[worst]} {zones['control'].iloc[worst]}: {change.max():.2%}"


def test_real_zones_move_less_than_100_m(real_simplification):
    zones, _, result = real_simplification
    shift = displacement_m(result.cleaned, result.simplified)  # Hausdorff, metres (LAEA)
    worst = int(np.argmax(shift))
    assert shift.max() < MAX_SHIFT_M, f"{zones['region'].iloc[worst]} {zones['control'].iloc[worst]}: {shift.max():.0f} m"


def test_cleaning_real_zones_moves_no_measurable_area(real_simplification):
    # Cleaning only settles overlay noise: slivers of overlap centimetres wide between zones.
    _, metric, result = real_simplification
    assert relative_area_change(metric, result.cleaned).max() < 1e-5
    moved_m2 = shapely.area(shapely.symmetric_difference(metric, result.cleaned))
    assert moved_m2.max() < 5_000  # m², against zones of 145 km² and more


def test_clean_coverage_refuses_negative_snap():
    with pytest.raises(ValueError, match="'snap_m'"):
        clean_coverage([shapely.box(0, 0, 1, 1)], snap_m=-1)
