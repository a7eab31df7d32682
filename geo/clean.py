"""Geometry cleaning: valid, polygon-only geometries without slivers."""

from __future__ import annotations

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

# Parts smaller than this (in the geometry's own squared units: 1e-12 deg² is about 0.01 m²)
# are overlay noise, degenerate rings left where two nearly identical edges cross.
SPECK_AREA = 1e-12


def polygonal(geometry: BaseGeometry | None) -> Polygon | MultiPolygon:
    """Return only the polygon parts of ``geometry`` (lines and points from overlays dropped).

    Specks (parts under :data:`SPECK_AREA`) are dropped. An empty or polygon-free input gives
    an empty MultiPolygon.
    """
    if geometry is None or geometry.is_empty:
        return MultiPolygon()
    if geometry.geom_type == "Polygon" and geometry.area >= SPECK_AREA:
        return geometry
    polygons: list[Polygon] = []
    for part in shapely.get_parts(geometry):
        if part.geom_type == "Polygon":
            if part.area >= SPECK_AREA:
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


# Fewest metres in one degree of longitude or latitude north of the equator up to 53° N
# (1° of longitude there is 67 km), with a margin: a distance in degrees times this is never
# more than the distance in metres over Ukraine.
_MIN_METRES_PER_DEGREE = 60_000.0


def is_sliver(polygon: Polygon, *, min_width_m: float) -> bool:
    """True if ``polygon`` (lon/lat, EPSG:4326, south of 53° N) is nowhere as wide as
    ``min_width_m`` metres.

    Measured in geo.projections' metric LAEA: a sliver disappears under a negative buffer of
    half the width. A point inside the polygon farther than that from its edge proves it is
    not a sliver without the buffer.
    """
    from peacemap.geo.projections import to_metric

    inside = polygon.point_on_surface()
    if inside.distance(polygon.exterior) * _MIN_METRES_PER_DEGREE > min_width_m / 2.0 and not any(
        inside.distance(ring) * _MIN_METRES_PER_DEGREE <= min_width_m / 2.0 for ring in polygon.interiors
    ):
        return False
    return to_metric(polygon).buffer(-min_width_m / 2.0).is_empty


def swap_slivers(
    first: BaseGeometry, second: BaseGeometry, *, min_width_m: float, touch_tolerance: float = 0.0
) -> tuple[Polygon | MultiPolygon, Polygon | MultiPolygon]:
    """Move each sliver part of ``first`` that touches ``second`` into it, and vice versa.

    Inputs are lon/lat polygons. Two polygons that tile an area still tile it afterwards; only
    parts thinner than ``min_width_m`` metres that border the other polygon change sides. Use
    it where two sources draw the same line slightly differently and leave thin strips on the
    wrong side. Thin parts that touch nothing of the other polygon (small islands) stay; a
    part within ``touch_tolerance`` (degrees) of it touches it, so that a rounding error of
    the overlay that made the two does not keep them apart.
    """
    first, second = polygonal(first), polygonal(second)
    first_parts, first_thin = thin_parts_touching(first, second, min_width_m=min_width_m, touch_tolerance=touch_tolerance)
    second_parts, second_thin = thin_parts_touching(second, first, min_width_m=min_width_m, touch_tolerance=touch_tolerance)
    if not first_thin and not second_thin:
        return first, second
    first_kept = [p for i, p in enumerate(first_parts) if i not in first_thin] + [second_parts[i] for i in second_thin]
    second_kept = [p for i, p in enumerate(second_parts) if i not in second_thin] + [first_parts[i] for i in first_thin]
    return clean_polygon(shapely.union_all(first_kept)), clean_polygon(shapely.union_all(second_kept))


def thin_parts_touching(geometry: BaseGeometry, other: BaseGeometry, *, min_width_m: float, touch_tolerance: float = 0.0) -> tuple[list[Polygon], set[int]]:
    """The parts of ``geometry`` and the indices of those thinner than ``min_width_m`` metres
    that touch ``other``, or come within ``touch_tolerance`` degrees of it (lon/lat polygons;
    see :func:`is_sliver`)."""
    parts = list(shapely.get_parts(geometry))
    thin = {i for i, part in enumerate(parts) if is_sliver(part, min_width_m=min_width_m)}
    if thin:
        shapely.prepare(other)
        thin = {i for i in thin if shapely.dwithin(other, parts[i], touch_tolerance)}
    return parts, thin
