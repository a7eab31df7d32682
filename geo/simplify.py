"""Simplify a polygonal coverage (zones that tile regions) so that shared borders stay shared.

All functions here take and return geometries in a metric CRS (metres, e.g.
:data:`peacemap.geo.projections.UKRAINE_LAEA`, which is equal-area, so planar areas there are
true areas), except :func:`round_coordinates`, which works in any CRS.

The simplification is shapely's coverage simplification (GEOS ``CoverageSimplifier``,
Visvalingam-Whyatt): an edge shared by two polygons is simplified once and both polygons get
the same result, so no gap or overlap can open between them. Visvalingam-Whyatt bounds the
area of what it removes, not the distance, so a thin feature (a spit, a narrow salient) can
lose its tip; :func:`displacement_m` and :func:`relative_area_change` measure what a
tolerance did, so that tests can hold it to bounds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiLineString
from shapely.geometry.base import BaseGeometry

# Vertices closer than this (metres) are snapped together when the coverage is cleaned: far
# below any real feature, above the rounding noise of overlays and reprojection.
CLEAN_SNAP_M = 0.01


@dataclass(frozen=True)
class CoverageSimplification:
    """Result of :func:`simplify_coverage` (all geometries in the input's metric CRS).

    Attributes
    ----------
    cleaned
        The input made into an exact coverage (shared edges with identical vertices, no
        overlaps): the reference to measure the simplification against.
    simplified
        The simplified polygons, in input order.
    tolerance_m
        Tolerance used, metres.
    """

    cleaned: np.ndarray
    simplified: np.ndarray
    tolerance_m: float


def clean_coverage(polygons: np.ndarray | list, *, snap_m: float = CLEAN_SNAP_M) -> np.ndarray:
    """Make ``polygons`` (metres) an exact coverage: identical shared edges, no overlaps.

    Overlaps left by overlays (slivers a few centimetres wide) go to the neighbour with the
    longest shared border; vertices closer than ``snap_m`` metres are merged.
    """
    geoms = np.asarray(polygons, dtype=object)
    if snap_m < 0:
        raise ValueError(f"'snap_m' must be >= 0 metres, got {snap_m!r}")
    return shapely.coverage_clean(geoms, snapping_distance=snap_m)


def simplify_coverage(polygons: np.ndarray | list, *, tolerance_m: float) -> CoverageSimplification:
    """Simplify a coverage of ``polygons`` (metric CRS, metres) keeping it a coverage.

    Parameters
    ----------
    polygons
        Polygons or MultiPolygons that tile an area (a few centimetres of overlap or gap are
        cleaned first, see :func:`clean_coverage`).
    tolerance_m
        Visvalingam-Whyatt tolerance, metres (about the square root of the area of the
        triangles removed). On Ukraine's zones, 45 m keeps every polygon within 100 m of its
        cleaned form and its area within 0.1% (see tests/test_simplify.py); above about 50 m
        thin features lose their tips (e.g. the Fedotova spit shortens by 1.5 km at 100 m).

    Returns
    -------
    CoverageSimplification
        The cleaned and the simplified polygons; measure them with :func:`displacement_m`
        and :func:`relative_area_change` (seconds on the country's zones: not done here).
    """
    if not tolerance_m > 0:
        raise ValueError(f"'tolerance_m' must be > 0 metres, got {tolerance_m!r}")
    cleaned = clean_coverage(polygons)
    simplified = shapely.coverage_simplify(cleaned, tolerance_m)
    return CoverageSimplification(
        cleaned=cleaned,
        simplified=simplified,
        tolerance_m=float(tolerance_m),
    )


def displacement_m(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Hausdorff distance between each pair of geometries (same metric CRS), metres."""
    return np.array([shapely.hausdorff_distance(a, b) for a, b in zip(before, after, strict=True)])


def relative_area_change(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """``|area(after) / area(before) - 1|`` for each pair (0 where ``before`` has no area)."""
    area_before = shapely.area(np.asarray(before, dtype=object))
    area_after = shapely.area(np.asarray(after, dtype=object))
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.abs(area_after / area_before - 1.0)
    return np.where(area_before > 0, change, 0.0)


def shared_edges(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """The lines along which polygons ``a`` and ``b`` touch (merged), or an empty MultiLineString.

    On an exact coverage (see :func:`clean_coverage`) this is the border between them exactly.
    """
    touching = shapely.intersection(a.boundary, b.boundary)
    lines = [part for part in shapely.get_parts(touching) if part.geom_type in ("LineString", "MultiLineString")]
    if not lines:
        return MultiLineString()
    return shapely.line_merge(shapely.union_all(lines))


def round_coordinates(geometry: BaseGeometry | np.ndarray, decimals: int) -> BaseGeometry | np.ndarray:
    """Round every coordinate to ``decimals`` places (5 in degrees is about 1 m).

    Equal vertices stay equal, so an exact coverage keeps identical shared edges.
    """
    if decimals < 0:
        raise ValueError(f"'decimals' must be >= 0, got {decimals!r}")
    return shapely.transform(geometry, lambda coords: np.round(coords, decimals))
