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

from peacemap.geo.area import geodesic_area_km2
from peacemap.geo.clean import clean_polygon
from peacemap.geo.projections import from_metric, to_metric

# A water body whose only openings to the sea are narrower than twice this is inland water
# (closing with a disc of this radius shuts the opening). 3 km closes the Dnipro-Buh estuary's
# Kinburn strait (about 4 km) and the limans, but not the open bays of the coast.
DEFAULT_STRAIT_HALF_WIDTH_M = 3_000.0
# Pieces of the coarse land beyond the fine coastline smaller than this are coastline
# mismatch (the coarse coast lying in the sea), not land.
DEFAULT_SLIVER_MAX_KM2 = 20.0
# Sea components smaller than this are lagoons or mismatch noise, not the open sea.
_OPEN_SEA_MIN_M2 = 50e6


def merge_land(coarse_land: BaseGeometry, fine_land: BaseGeometry, *, sliver_max_km2: float = DEFAULT_SLIVER_MAX_KM2) -> Polygon | MultiPolygon:
    """Union of a fine land polygon and a coarse one, trusting the fine coastline where both exist.

    Parameters
    ----------
    coarse_land
        Land polygons with a coarse coastline everywhere (Natural Earth 1:10m), EPSG:4326.
    fine_land
        Land polygons with a fine coastline over part of the country (DeepState), EPSG:4326.
    sliver_max_km2
        Pieces of ``coarse_land − fine_land`` smaller than this (km²) are dropped: they are the
        coarse coastline lying in the sea beside the fine one.
    """
    fine_land = clean_polygon(fine_land)
    remainder = clean_polygon(clean_polygon(coarse_land).difference(fine_land))
    kept = [part for part in shapely.get_parts(remainder) if geodesic_area_km2(part) >= sliver_max_km2]
    return clean_polygon(shapely.union_all([fine_land, *kept]))


def land_with_inland_water(
    territory: BaseGeometry,
    land: BaseGeometry,
    *,
    strait_half_width_m: float = DEFAULT_STRAIT_HALF_WIDTH_M,
) -> Polygon | MultiPolygon:
    """Part of ``territory`` that is land or inland water, i.e. ``territory`` minus the open sea.

    Water is ``territory − land``. A morphological closing of the land (buffer out, then in,
    by ``strait_half_width_m``) shuts narrow straits; water pieces that still reach the
    territory's outer edge (the 12 nm limit) after the closing are the open sea. The rest of the
    water (estuaries, lagoons, reservoirs) counts as inland water and is kept.

    Parameters
    ----------
    territory
        The country's units, sea included (geoBoundaries), EPSG:4326.
    land
        Land polygons, EPSG:4326.
    strait_half_width_m
        Half the width (metres) of the widest strait that still encloses inland water.
    """
    # Projection can make a valid ring touch itself; clean again after it.
    territory_m = clean_polygon(to_metric(clean_polygon(territory)))
    land_m = clean_polygon(clean_polygon(to_metric(clean_polygon(land))).intersection(territory_m))
    water_m = clean_polygon(territory_m.difference(land_m))
    closed_land_m = land_m.buffer(strait_half_width_m).buffer(-strait_half_width_m) if strait_half_width_m > 0 else land_m
    closed_water_m = clean_polygon(territory_m.difference(closed_land_m))
    outer_edge_m = territory_m.boundary
    open_sea_cores = [
        part
        for part in shapely.get_parts(closed_water_m)
        if part.area >= _OPEN_SEA_MIN_M2 and part.distance(outer_edge_m) < 1.0
    ]
    if not open_sea_cores:
        return clean_polygon(from_metric(territory_m))
    # The closing pulled the sea back from the coast by up to the buffer distance; give that
    # strip back to the sea, but only where it is water.
    open_sea_m = water_m.intersection(shapely.union_all(open_sea_cores).buffer(strait_half_width_m + 1.0))
    return clean_polygon(from_metric(territory_m.difference(open_sea_m)))
