"""Geodesic areas on the WGS84 ellipsoid, in km²."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry
from shapely.ops import orient

WGS84_GEOD = Geod(ellps="WGS84")
M2_PER_KM2 = 1_000_000.0


def geodesic_area_km2(geometry: BaseGeometry | None) -> float:
    """Geodesic area of a (multi)polygon given in lon/lat degrees (EPSG:4326), in km².

    Rings are oriented counter-clockwise first, because pyproj's ``Geod`` returns a signed
    area (clockwise rings count negative). Lines, points and empty geometries have area 0.
    """
    if geometry is None or geometry.is_empty:
        return 0.0
    polygons = [part for part in shapely.get_parts(geometry) if part.geom_type == "Polygon"]
    if not polygons and geometry.geom_type == "GeometryCollection":
        polygons = [p for g in geometry.geoms for p in shapely.get_parts(g) if p.geom_type == "Polygon"]
    area_m2 = sum(WGS84_GEOD.geometry_area_perimeter(orient(polygon, 1.0))[0] for polygon in polygons)
    return area_m2 / M2_PER_KM2


def geodesic_areas_km2(geometries: np.ndarray | list) -> np.ndarray:
    """Geodesic areas (km²) of an array of lon/lat (EPSG:4326) geometries; see :func:`geodesic_area_km2`."""
    return np.array([geodesic_area_km2(geometry) for geometry in geometries], dtype=float)
