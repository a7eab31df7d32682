"""Geodesic areas against the closed-form area of an ellipsoidal quadrangle."""

import math

import pytest
import shapely
from shapely.geometry import Polygon, box

from peacemap.geo.area import geodesic_area_km2

WGS84_A_M = 6_378_137.0
WGS84_F = 1 / 298.257223563


def quadrangle_area_km2(lon0: float, lat0: float, lon1: float, lat1: float) -> float:
    """Area between two parallels and two meridians on WGS84 (authalic-latitude formula)."""
    e2 = WGS84_F * (2 - WGS84_F)
    e = math.sqrt(e2)

    def q(lat_deg: float) -> float:
        s = math.sin(math.radians(lat_deg))
        return s / (1 - e2 * s * s) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    return WGS84_A_M**2 * (1 - e2) / 2 * math.radians(lon1 - lon0) * (q(lat1) - q(lat0)) / 1e6


@pytest.mark.parametrize("lat0", [0.0, 44.0, 48.0, 52.0])
def test_geodesic_area_matches_closed_form(lat0):
    # Densified so that geodesic edges follow the parallels closely.
    cell = shapely.segmentize(box(33.0, lat0, 34.0, lat0 + 1.0), 0.001)
    assert geodesic_area_km2(cell) == pytest.approx(quadrangle_area_km2(33.0, lat0, 34.0, lat0 + 1.0), rel=1e-6)


def test_clockwise_ring_counts_positive():
    clockwise = Polygon([(33, 48), (33, 49), (34, 49), (34, 48)])
    assert geodesic_area_km2(clockwise) == pytest.approx(geodesic_area_km2(clockwise.reverse()))
    assert geodesic_area_km2(clockwise) > 0


def test_holes_are_subtracted_and_lines_have_no_area():
    outer = box(30, 48, 32, 50)
    with_hole = outer.difference(box(30.5, 48.5, 31.5, 49.5))
    assert geodesic_area_km2(with_hole) == pytest.approx(geodesic_area_km2(outer) - geodesic_area_km2(box(30.5, 48.5, 31.5, 49.5)))
    assert geodesic_area_km2(outer.boundary) == 0.0
    assert geodesic_area_km2(None) == 0.0


def test_ring_orientation_does_not_matter():
    """Shells count positive and holes negative whatever the direction of their rings."""
    from shapely.geometry import MultiPolygon, Polygon

    shell = [(30.0, 45.0), (31.0, 45.0), (31.0, 46.0), (30.0, 46.0)]
    hole = [(30.2, 45.2), (30.4, 45.2), (30.4, 45.4), (30.2, 45.4)]
    expected = geodesic_area_km2(Polygon(shell)) - geodesic_area_km2(Polygon(hole))
    assert geodesic_area_km2(Polygon(shell, [hole])) == pytest.approx(expected, rel=1e-12)
    assert geodesic_area_km2(Polygon(shell[::-1], [hole[::-1]])) == pytest.approx(expected, rel=1e-12)
    triangle = Polygon([(32.0, 47.0), (32.1, 47.0), (32.1, 47.1)])
    both = MultiPolygon([Polygon(shell), triangle])
    assert geodesic_area_km2(both) == pytest.approx(geodesic_area_km2(Polygon(shell)) + geodesic_area_km2(triangle), rel=1e-12)
