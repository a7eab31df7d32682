"""Geometry cleaning: valid, polygon-only geometries without slivers."""

from __future__ import annotations

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry


def polygonal(geometry: BaseGeometry | None) -> Polygon | MultiPolygon:
    """Return only the polygon parts of ``geometry`` (lines and points from overlays dropped).

    An empty or polygon-free input gives an empty MultiPolygon.
    """
    if geometry is None or geometry.is_empty:
        return MultiPolygon()
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    polygons: list[Polygon] = []
    for part in shapely.get_parts(geometry):
        if part.geom_type == "Polygon":
            polygons.append(part)
        elif part.geom_type == "GeometryCollection":  # collections may nest
            polygons.extend(shapely.get_parts(polygonal(part)))
    if not polygons:
        return MultiPolygon()
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def clean_polygon(geometry: BaseGeometry | None) -> Polygon | MultiPolygon:
    """Make ``geometry`` valid (``shapely.make_valid``, structure method) and keep its polygons."""
    if geometry is None or geometry.is_empty:
        return MultiPolygon()
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    return polygonal(geometry)
