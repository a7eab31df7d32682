"""Separate land (with inland waters) from sea inside administrative units that include the sea.

geoBoundaries' coastal units extend 12 nautical miles into the Black Sea and the Sea of Azov.
Official areas count land and inland waters (reservoirs, estuaries, lagoons), not the sea.
The functions here take lon/lat (EPSG:4326) geometries; metric steps run in geo.projections'
equal-area LAEA centred on Ukraine.
"""

from __future__ import annotations

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from peacemap.geo.clean import clean_polygon
from peacemap.geo.projections import from_metric, to_metric

# A water body whose only openings to the sea are narrower than about twice this is inland
# water (closing with a disc of this radius shuts the opening). 4 km is the smallest whole
# kilometre that shuts the Kinburn strait, the mouth of the Dnipro-Buh estuary, as the sources
# draw it: 4.9 km from DeepState's thin Kinburn spit tip to Natural Earth's Ochakiv coast, and a
# closing bridges a gap at a thin tip only when the radius nears the gap (3.5 km does not).
# From 4 to 6 km no unit moves by more than 0.3 percentage points (bench/land_method.py).
DEFAULT_STRAIT_HALF_WIDTH_M = 4_000.0
# Pieces of the coarse land beyond the fine land that no disc of this radius fits into, and
# that lie within this distance of the fine land, are coastline (or border) mismatch: the
# coarse line drawn a little off the fine one. The widest such piece fits a 1.4 km disc on the
# coast and a 1.9 km disc on the state border; the held mainland, the one wide piece beside
# DeepState, fits a 200 km disc. Results are the same from 1.5 km to 5 km (bench/land_method.py).
DEFAULT_MISMATCH_HALF_WIDTH_M = 2_000.0
# Sea components smaller than this are lagoons or mismatch noise, not the open sea.
_OPEN_SEA_MIN_M2 = 50e6
# The open sea reaches the territory's edge out at sea, at the 12 nm limit about 22 km off the
# coast; along land borders geoBoundaries' edge lies at most 5.9 km from the land polygons
# (Natural Earth stops short of it along Belarus and Russia). Edge closer than this to land is
# land border, and water reaching only such edge is not the open sea.
SEA_EDGE_MIN_OFFSET_M = 10_000.0
# Grid step (metres) of the search for the largest disc inside a piece.
_INSCRIBED_TOLERANCE_M = 10.0


def merge_land(
    coarse_land: BaseGeometry,
    fine_land: BaseGeometry,
    *,
    mismatch_half_width_m: float = DEFAULT_MISMATCH_HALF_WIDTH_M,
) -> Polygon | MultiPolygon:
    """Union of a fine land polygon and a coarse one, trusting the fine coastline where both exist.

    ``coarse_land − fine_land`` falls into pieces. A piece is dropped when it is thin (no disc
    of radius ``mismatch_half_width_m`` fits inside it) and lies within that distance of the
    fine land: it is the coarse coastline lying in the sea beside the fine one, or the coarse
    border beside the fine one. Wide pieces (land the fine polygon does not cover) and pieces
    away from the fine land (islands) are kept. Where the fine polygon covers a coast, the land
    there is therefore the fine polygon's alone.

    Parameters
    ----------
    coarse_land
        Land polygons with a coarse coastline everywhere (Natural Earth 1:10m), EPSG:4326.
    fine_land
        Land polygons with a finer coastline over part of the country (DeepState), EPSG:4326.
    mismatch_half_width_m
        Half the width (metres) of the widest strip counted as mismatch; 0 keeps every piece.

    Returns
    -------
    Polygon or MultiPolygon
        The merged land, EPSG:4326.
    """
    if not mismatch_half_width_m >= 0:
        raise ValueError(f"'mismatch_half_width_m' must be >= 0 metres, got {mismatch_half_width_m!r}")
    fine_land = clean_polygon(fine_land)
    remainder = clean_polygon(clean_polygon(coarse_land).difference(fine_land))
    fine_m = clean_polygon(to_metric(fine_land))
    kept = [part for part in shapely.get_parts(remainder) if not _is_mismatch(clean_polygon(to_metric(part)), fine_m, mismatch_half_width_m)]
    return clean_polygon(shapely.union_all([fine_land, *kept]))


def _is_mismatch(piece_m: BaseGeometry, fine_m: BaseGeometry, half_width_m: float) -> bool:
    """Whether a piece (metres) is a strip thinner than 2 x ``half_width_m`` next to the fine land."""
    if half_width_m <= 0 or piece_m.is_empty or piece_m.distance(fine_m) > half_width_m:
        return False
    return inscribed_radius_m(piece_m) < half_width_m


def inscribed_radius_m(polygon_m: BaseGeometry) -> float:
    """Radius (metres) of the largest disc inside a (multi)polygon given in metres (half its width)."""
    return max(
        (shapely.maximum_inscribed_circle(part, _INSCRIBED_TOLERANCE_M).length for part in shapely.get_parts(polygon_m)),
        default=0.0,
    )


def land_with_inland_water(
    territory: BaseGeometry,
    land: BaseGeometry,
    *,
    strait_half_width_m: float = DEFAULT_STRAIT_HALF_WIDTH_M,
) -> Polygon | MultiPolygon:
    """Part of ``territory`` that is land or inland water, i.e. ``territory`` minus the open sea.

    Water is ``territory − land``. A morphological closing of the land (buffer out, then in,
    by ``strait_half_width_m``) shuts narrow straits (between two coasts, up to about twice the
    radius; at the thin tip of a spit, only up to about the radius); water pieces of at least
    50 km² that still reach the territory's outer edge out at sea (the 12 nm limit; edge within
    :data:`SEA_EDGE_MIN_OFFSET_M` of land is land border) after the closing are the open sea, and so
    is the water within ``strait_half_width_m`` of them, which the closing
    had pulled back from the coast. The rest of the water (estuaries, lagoons, reservoirs)
    counts as inland water and is kept.

    Parameters
    ----------
    territory
        The country's units, sea included (geoBoundaries), EPSG:4326.
    land
        Land polygons, EPSG:4326.
    strait_half_width_m
        Half the width (metres) of the widest strait that still encloses inland water.

    Returns
    -------
    Polygon or MultiPolygon
        Land and inland water, EPSG:4326.
    """
    # Projection can make a valid ring touch itself; clean again after it.
    territory_m = clean_polygon(to_metric(clean_polygon(territory)))
    land_m = clean_polygon(clean_polygon(to_metric(clean_polygon(land))).intersection(territory_m))
    water_m = clean_polygon(territory_m.difference(land_m))
    closed_land_m = land_m.buffer(strait_half_width_m).buffer(-strait_half_width_m) if strait_half_width_m > 0 else land_m
    closed_water_m = clean_polygon(territory_m.difference(closed_land_m))
    sea_edge_m = _sea_edge(territory_m, land_m)
    open_sea_cores = [part for part in shapely.get_parts(closed_water_m) if part.area >= _OPEN_SEA_MIN_M2 and part.distance(sea_edge_m) < 1.0]
    if not open_sea_cores:
        return clean_polygon(from_metric(territory_m))
    # The closing pulled the sea back from the coast by up to the buffer distance; give that
    # strip back to the sea, but only where it is water.
    open_sea_m = water_m.intersection(shapely.union_all(open_sea_cores).buffer(strait_half_width_m + 1.0))
    return clean_polygon(from_metric(territory_m.difference(open_sea_m)))


def _sea_edge(territory_m: BaseGeometry, land_m: BaseGeometry) -> BaseGeometry:
    """The part of the territory's outer edge (metres) that lies out at sea.

    The 12 nm limit runs about 22 km off the coast; land borders run on land, where the land
    polygons may stop a few kilometres short of the territory's edge. Only edge farther than
    :data:`SEA_EDGE_MIN_OFFSET_M` from land counts.
    """
    # Simplifying by 1 km first moves the offset by at most 1 km and makes the buffer fast.
    near_land_m = land_m.simplify(1_000.0).buffer(SEA_EDGE_MIN_OFFSET_M, quad_segs=2)
    return territory_m.boundary.difference(near_land_m)
