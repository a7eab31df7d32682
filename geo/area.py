"""Geodesic areas on the WGS84 ellipsoid, in km²."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

WGS84_GEOD = Geod(ellps="WGS84")
M2_PER_KM2 = 1_000_000.0
# Edges are densified to this length (degrees) first, so that an edge counts as the straight
# line in lon/lat that a map draws, whether or not a cut has added vertices along it (a long
# geodesic edge bulges away from that line; cutting it would change the area otherwise).
MAX_EDGE_DEG = 0.01


def geodesic_area_km2(geometry: BaseGeometry | None) -> float:
    """Geodesic area of a (multi)polygon given in lon/lat degrees (EPSG:4326), in km².

    Shells count positive and holes negative whatever the orientation of their rings
    (pyproj's ``Geod`` returns a signed area, clockwise rings negative, so each ring's area is
    taken as an absolute value). Edges longer than :data:`MAX_EDGE_DEG` are densified. Lines,
    points and empty geometries have area 0.
    """
    if geometry is None or geometry.is_empty:
        return 0.0
    area_m2 = 0.0
    for part in shapely.get_parts(geometry):
        if part.geom_type == "Polygon":
            area_m2 += _polygon_area_m2(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            area_m2 += geodesic_area_km2(part) * M2_PER_KM2
    return area_m2 / M2_PER_KM2


def geodesic_areas_km2(geometries: np.ndarray | list) -> np.ndarray:
    """Geodesic areas (km²) of an array of lon/lat (EPSG:4326) geometries; see :func:`geodesic_area_km2`."""
    return np.array([geodesic_area_km2(geometry) for geometry in geometries], dtype=float)


def _polygon_area_m2(polygon: Polygon) -> float:
    """Geodesic area (m²) of a polygon: its shell minus its holes, edges densified."""
    area_m2 = _ring_area_m2(shapely.get_coordinates(polygon.exterior))
    for hole in polygon.interiors:
        area_m2 -= _ring_area_m2(shapely.get_coordinates(hole))
    return area_m2


def _ring_area_m2(coords: np.ndarray) -> float:
    lons, lats = _densified(coords[:, 0], coords[:, 1])
    return abs(WGS84_GEOD.polygon_area_perimeter(lons, lats)[0])


def ring_signed_area_m2(coords: np.ndarray) -> float:
    """Signed geodesic area (m²) of a closed ring of lon/lat ``coords`` (n, 2), edges densified
    as :func:`geodesic_area_km2` densifies them: positive when it runs counter-clockwise."""
    lons, lats = _densified(coords[:, 0], coords[:, 1])
    return float(WGS84_GEOD.polygon_area_perimeter(lons, lats)[0])


def _densified(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Insert points along straight edges longer than MAX_EDGE_DEG (no repair, unlike GEOS densify)."""
    steps = np.maximum(1, np.ceil(np.hypot(np.diff(x), np.diff(y)) / MAX_EDGE_DEG).astype(int))
    if (steps == 1).all():
        return x, y
    starts = np.repeat(np.arange(len(steps)), steps)
    first_of_edge = np.repeat(np.cumsum(steps) - steps, steps)
    fractions = (np.arange(steps.sum()) - first_of_edge) / steps[starts]
    dense_x = x[starts] + fractions * np.diff(x)[starts]
    dense_y = y[starts] + fractions * np.diff(y)[starts]
    return np.append(dense_x, x[-1]), np.append(dense_y, y[-1])
