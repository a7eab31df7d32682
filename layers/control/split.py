"""Control on a date: each region split into occupied and held land, and the line of contact.

Occupied land is the region ∩ the occupied polygon (DeepState, or a user's file). Held land is
what remains connected to Ukrainian-held territory: pieces of the remainder enclosed by occupied
land and the sea (lagoons, thin strips where two sources draw a border differently) are not
held territory, so they count as occupied. Held and occupied tile each region exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import geopandas as gpd
import shapely
from shapely.geometry import MultiLineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from peacemap.geo.area import geodesic_areas_km2
from peacemap.geo.clean import clean_polygon, swap_slivers
from peacemap.geo.projections import from_metric, to_metric
from peacemap.layers.control import HELD, OCCUPIED
from peacemap.layers.sources.cache import DamagedCacheError, cached, frame_digest, frames_dumps, frames_loads, make_key

# Parts of a zone narrower than this everywhere are strips left where DeepState and
# geoBoundaries draw the same border a little differently; they join the other zone.
SLIVER_WIDTH_M = 50.0
# Land closer than this (degrees, about 0.1 mm) to the occupied polygon or zone touches it:
# overlay noding can leave a piece that borders the polygon a rounding error away from it.
TOUCH_TOLERANCE_DEG = 1e-9
# The line of contact is drawn only this far (metres) from the coast and the state border:
# where DeepState's polygon runs along the border, its edge there is not a front line.
BORDER_CLEARANCE_M = 100.0


@dataclass(frozen=True)
class ControlSplit:
    """Country-wide control: held and occupied land, and the line of contact, EPSG:4326."""

    held: Polygon | MultiPolygon
    occupied: Polygon | MultiPolygon
    contact_line: BaseGeometry


def unit_regions(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The 27 first-level units only (drops combined rows such as Crimea with Sevastopol)."""
    return regions[regions["code"].str.fullmatch(r"UA-\d\d")]


def split_country(country: BaseGeometry, occupied_polygon: BaseGeometry) -> ControlSplit:
    """Split ``country`` (all regions' land, EPSG:4326) into held and occupied land.

    Held land is the largest piece of ``country − occupied_polygon`` (the Ukrainian-held
    mainland) plus pieces that do not touch the occupied polygon (islands; within
    :data:`TOUCH_TOLERANCE_DEG` counts as touching). Other pieces are enclosed by occupied land
    and count as occupied.
    """
    country = clean_polygon(country)
    remainder = clean_polygon(country.difference(clean_polygon(occupied_polygon)))
    pieces = list(shapely.get_parts(remainder))
    if pieces:
        mainland = max(pieces, key=lambda piece: piece.area)
        held_pieces = [p for p in pieces if p is mainland or not shapely.dwithin(p, occupied_polygon, TOUCH_TOLERANCE_DEG)]
        held = clean_polygon(shapely.union_all(held_pieces))
    else:
        held = MultiPolygon()
    occupied = clean_polygon(country.difference(held))
    return ControlSplit(held=held, occupied=occupied, contact_line=_contact_line(country, held, occupied))


def _contact_line(country: BaseGeometry, held: BaseGeometry, occupied: BaseGeometry) -> BaseGeometry:
    shared = shapely.intersection(held.boundary, occupied.boundary)
    lines = [part for part in shapely.get_parts(shared) if part.geom_type in ("LineString", "MultiLineString")]
    if not lines:
        return MultiLineString()
    merged_m = to_metric(shapely.line_merge(shapely.union_all(lines)))
    inland_m = merged_m.difference(to_metric(country.boundary).buffer(BORDER_CLEARANCE_M))
    if inland_m.is_empty:
        return MultiLineString()
    return from_metric(shapely.line_merge(inland_m))


def control_zones(regions: gpd.GeoDataFrame, split: ControlSplit) -> gpd.GeoDataFrame:
    """One row per region and control: columns ``region``, ``region_name``, ``control``,
    ``area_km2`` (geodesic), geometry (EPSG:4326). Held and occupied tile each region.

    Parts narrower than :data:`SLIVER_WIDTH_M` that touch the other zone (within
    :data:`TOUCH_TOLERANCE_DEG`) change sides. Empty parts (a region with
    nothing occupied) are kept with area 0 so that every region has both rows.
    """
    rows = []
    for region in regions.itertuples(index=False):
        held = clean_polygon(region.geometry.intersection(split.held))
        # A region the occupied land does not reach is held whole: cutting it against its own held
        # part (most of the cost of a split: 0.7 s of 1.1 s) would give nothing.
        reached = shapely.intersects(region.geometry, split.occupied)
        occupied = clean_polygon(region.geometry.difference(held) if reached else MultiPolygon())
        held, occupied = swap_slivers(held, occupied, min_width_m=SLIVER_WIDTH_M, touch_tolerance=TOUCH_TOLERANCE_DEG)
        rows.append({"region": region.code, "region_name": region.name, "control": OCCUPIED, "geometry": occupied})
        rows.append({"region": region.code, "region_name": region.name, "control": HELD, "geometry": held})
    zones = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    zones["area_km2"] = geodesic_areas_km2(zones.geometry.values)
    return zones[["region", "region_name", "control", "area_km2", "geometry"]]


def contact_lines(regions: gpd.GeoDataFrame, split: ControlSplit) -> gpd.GeoDataFrame:
    """The line of contact cut per region: columns ``region``, ``region_name``, ``length_km``, geometry."""
    from peacemap.geo.area import WGS84_GEOD

    rows = []
    for region in regions.itertuples(index=False):
        inside = region.geometry.intersection(split.contact_line)
        lines = [p for p in shapely.get_parts(inside) if p.geom_type == "LineString" and p.length > 0]
        if not lines:
            continue
        geometry = shapely.line_merge(MultiLineString(lines)) if len(lines) > 1 else lines[0]
        length_km = WGS84_GEOD.geometry_length(geometry) / 1000.0
        rows.append({"region": region.code, "region_name": region.name, "length_km": length_km, "geometry": geometry})
    return gpd.GeoDataFrame(rows, columns=["region", "region_name", "length_km", "geometry"], geometry="geometry", crs=4326)


# Bump when the split changes meaning without a change of code.
CONTROL_METHOD = 1


def split_units(units: gpd.GeoDataFrame, occupied_polygon: BaseGeometry) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The held and occupied zones of each unit region (:func:`control_zones`) and the line of
    contact cut per region (:func:`contact_lines`) along ``occupied_polygon`` (EPSG:4326).

    Kept in the disk cache under the content of ``units`` and of the polygon and the code of the
    split, so a second run on the same map of control reads them back.
    """
    units_digest = frame_digest(units)
    polygon_digest = hashlib.sha256(shapely.to_wkb(occupied_polygon)).hexdigest()
    key = make_key("control", method=CONTROL_METHOD, code=__name__, sources=[units_digest, polygon_digest])

    def split() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
        country = split_country(_country_land(units_digest, units), occupied_polygon)
        return control_zones(units, country), contact_lines(units, country)

    return cached("control", key, split, dump=frames_dumps, load=lambda data: _pair(frames_loads(data)))


_COUNTRY_LAND: dict[str, BaseGeometry] = {}  # units digest -> their union, for this process


def _country_land(units_digest: str, units: gpd.GeoDataFrame) -> BaseGeometry:
    """The union of ``units`` (whose content hashes to ``units_digest``), computed once a process:
    a run over many snapshots (the plan timeline, frames of a map) splits the same units each day."""
    if units_digest not in _COUNTRY_LAND:
        _COUNTRY_LAND.clear()  # one set of units at a time: the country's land is some megabytes
        _COUNTRY_LAND[units_digest] = shapely.union_all(units.geometry.values)
    return _COUNTRY_LAND[units_digest]


def _pair(frames: list[gpd.GeoDataFrame]) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    if len(frames) != 2:
        raise DamagedCacheError(f"expected 2 frames, found {len(frames)}")
    return frames[0], frames[1]
