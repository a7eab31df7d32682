"""Plan layers made ready for drawing: zones simplified as a coverage, the line of contact
taken from the simplified zones (so it runs exactly along their border), the land that changes
hands under the plan, label points, and the context around Ukraine.

Areas and populations shown on the maps are those of the full-resolution zones (columns copied
over); only the drawn geometry is simplified.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from peacemap.geo.projections import from_metric, to_metric
from peacemap.geo.simplify import round_coordinates, shared_edges, simplify_coverage
from peacemap.layers.control import HELD, OCCUPIED
from peacemap.layers.plans.apply import PlanLayers
from peacemap.layers.plans.statuses import Side, meaning_of
from peacemap.maps.context import MapContext, map_context
from peacemap.maps.style import GIVEN_UP, RETURNED

logger = logging.getLogger(__name__)

# Visvalingam-Whyatt tolerance for drawn zones, metres: keeps every zone within 100 m of its
# full-resolution outline and its area within 0.1% (tests/test_simplify.py measures both).
MAP_TOLERANCE_M = 45.0
LABEL_TOLERANCE_M = 1_000.0  # precision of the region names' positions, metres
# Decimals kept in drawn coordinates (1e-5° ≈ 1 m).
MAP_DECIMALS = 5
# Tolerance for static maps, metres, applied to the HTML map's outlines: on plan28 it moves them
# by at most 1.2 km (a thin spit's tip; 90% of zones by under 760 m), so within 1.3 km of the
# full-resolution ones, about a point on a 12-inch-wide map of the south and east (1.2 km per
# point), and keeps areas within 0.2%; tests/test_maps_static.py measures both. It cuts the
# vertices drawn by two thirds (75,862 -> 27,144), which keeps the SVG under 1.5 MB.
PRINT_TOLERANCE_M = 250.0
PRINT_SIMPLIFICATION_NOTE = "Outlines simplified for print (by up to 1.3 km); areas from full-resolution outlines."


@dataclass(frozen=True)
class MapLayers:
    """What a map draws, EPSG:4326.

    Attributes
    ----------
    layers
        The plan layers the map is made from (full resolution; title, plan, control, metadata).
    zones
        The plan's zones with simplified geometry (same columns as ``layers.zones``).
    contact_line
        Line of contact per region (region, region_name, rule, length_km of the full line,
        geometry along the simplified zones' border).
    labels
        One point per region: code, name, lon, lat (degrees), area_km2 (of the region's land).
    changes
        The land that changes hands under the plan, one row per kind present (``given_up``,
        ``returned``; see :func:`changes_hands`): kind, area_km2 (full resolution), geometry
        (the union of the simplified zones, so its outline runs along theirs).
    context
        Neighbouring countries, sea and their names (:mod:`peacemap.maps.context`).
    tolerance_m
        The simplification tolerance, metres.
    """

    layers: PlanLayers
    zones: gpd.GeoDataFrame
    contact_line: gpd.GeoDataFrame
    labels: pd.DataFrame
    changes: gpd.GeoDataFrame
    context: MapContext
    tolerance_m: float = MAP_TOLERANCE_M


def changes_hands(zones: pd.DataFrame) -> pd.Series:
    """What the plan does to the control of each zone's land, as on the map's date.

    ``"given_up"``: Ukraine holds it and the plan puts it on the Russian side (the status's
    ``side_after`` is Russian: recognised, frozen on the Russian side, a Russian demilitarised
    zone); ``"returned"``: Russia holds it and the plan puts it on the Ukrainian side; ``""``:
    control does not change, or the side after the plan is undetermined (a zone both sides
    leave). Every map draws its overlays from this one function, as the report counts them.
    """
    side_after = zones["status"].map(lambda status: meaning_of(status).side_after)
    given_up = (zones["control"] == HELD) & (side_after == Side.RUSSIAN)
    returned = (zones["control"] == OCCUPIED) & (side_after == Side.UKRAINIAN)
    kinds = np.select([given_up.to_numpy(), returned.to_numpy()], [GIVEN_UP, RETURNED], default="")
    return pd.Series(kinds, index=zones.index, name="changes_hands")


# Bump when simplified_coverage's result changes meaning without a change of code.
SIMPLIFY_METHOD = 1


def simplified_coverage(polygons: np.ndarray, *, tolerance_m: float) -> np.ndarray:
    """``simplify_coverage(polygons, tolerance_m=tolerance_m).simplified`` (metric CRS, metres),
    kept in the disk cache (:mod:`peacemap.layers.sources.cache`) under the polygons' WKB, the
    tolerance, the GEOS version and the code: cleaning and simplifying the coverage takes most of
    the time a map spends on geometry, and a map drawn again meets the same polygons."""
    from peacemap.layers.sources.cache import cached, geometries_digest, geometries_dumps, geometries_loads, make_key

    polygons = np.asarray(polygons, dtype=object)
    key = make_key(
        "simplified-coverage", method=SIMPLIFY_METHOD, code=__name__, sources=[geometries_digest(polygons)], extra=f"tolerance_m {float(tolerance_m)!r}"
    )
    return cached(
        "simplified-coverage", key, lambda: simplify_coverage(polygons, tolerance_m=tolerance_m).simplified, dump=geometries_dumps, load=geometries_loads
    )


def prepare_map_layers(layers: PlanLayers, *, tolerance_m: float = MAP_TOLERANCE_M, context: MapContext | None = None) -> MapLayers:
    """Simplify ``layers`` for drawing (see the module docstring); ``tolerance_m`` in metres.

    ``context`` defaults to :func:`peacemap.maps.context.map_context` (read once per process).
    """
    zones = layers.zones
    if zones.crs is None or not zones.crs.equals(4326):
        raise ValueError(f"'layers.zones' must be in EPSG:4326, got {zones.crs}")
    metric = np.array([to_metric(geometry) for geometry in zones.geometry.values], dtype=object)
    simplified = simplified_coverage(metric, tolerance_m=tolerance_m)
    logger.info(
        "simplified %d zones at %.0f m: %d -> %d vertices",
        len(zones),
        tolerance_m,
        shapely.get_num_coordinates(metric).sum(),
        shapely.get_num_coordinates(simplified).sum(),
    )
    drawn = zones.copy()
    drawn["geometry"] = [round_coordinates(from_metric(g), MAP_DECIMALS) for g in simplified]
    lines = _contact_lines_on(zones, simplified, layers.contact_line)
    return MapLayers(
        layers=layers,
        zones=drawn,
        contact_line=lines,
        labels=_labels(zones, simplified),
        changes=_changes(zones, simplified),
        context=context or map_context(),
        tolerance_m=tolerance_m,
    )


def for_print(map_layers: MapLayers, *, tolerance_m: float = PRINT_TOLERANCE_M) -> MapLayers:
    """``map_layers`` simplified further, for static maps: zones (as one coverage), the line of
    contact along them and the land that changes hands; ``tolerance_m`` in metres."""
    zones = map_layers.zones
    metric = np.array([to_metric(geometry) for geometry in zones.geometry.values], dtype=object)
    simplified = simplified_coverage(metric, tolerance_m=tolerance_m)
    drawn = zones.copy()
    drawn["geometry"] = [round_coordinates(from_metric(g), MAP_DECIMALS) for g in simplified]
    return dataclasses.replace(
        map_layers,
        zones=drawn,
        contact_line=_contact_lines_on(zones, simplified, map_layers.contact_line),
        changes=_changes(zones, simplified),
        tolerance_m=tolerance_m,
    )


def _changes(zones: gpd.GeoDataFrame, simplified: np.ndarray) -> gpd.GeoDataFrame:
    """Union of the simplified zones of each kind of :func:`changes_hands` (EPSG:4326)."""
    kinds = changes_hands(zones).to_numpy()
    rows = []
    for kind in (GIVEN_UP, RETURNED):
        chosen = kinds == kind
        if chosen.any():
            union = shapely.coverage_union_all(simplified[chosen])
            rows.append({"kind": kind, "area_km2": float(zones.loc[chosen, "area_km2"].sum()), "geometry": round_coordinates(from_metric(union), MAP_DECIMALS)})
    return gpd.GeoDataFrame(rows, columns=["kind", "area_km2", "geometry"], geometry="geometry", crs=4326)


def _contact_lines_on(zones: gpd.GeoDataFrame, simplified: np.ndarray, contact: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The line of contact as the border between simplified held and occupied land, per region."""
    held = shapely.coverage_union_all(simplified[(zones["control"] == HELD).to_numpy()])
    occupied = shapely.coverage_union_all(simplified[(zones["control"] == OCCUPIED).to_numpy()])
    line = shared_edges(held, occupied)
    geometries = []
    for code in contact["region"]:
        region = shapely.coverage_union_all(simplified[(zones["region"] == code).to_numpy()])
        part = shapely.intersection(line, region)
        pieces = [p for p in shapely.get_parts(part) if p.geom_type in ("LineString", "MultiLineString")]
        merged = shapely.line_merge(shapely.union_all(pieces)) if pieces else shapely.MultiLineString()
        geometries.append(round_coordinates(from_metric(merged), MAP_DECIMALS))
    result = contact.copy()
    result["geometry"] = geometries
    return result[~result.geometry.is_empty].reset_index(drop=True)


def _labels(zones: gpd.GeoDataFrame, simplified: np.ndarray) -> pd.DataFrame:
    rows = []
    for (code, name), index in zones.groupby(["region", "region_name"]).groups.items():
        region = shapely.coverage_union_all(simplified[zones.index.get_indexer(index)])
        biggest = max(shapely.get_parts(region), key=lambda part: part.area)
        # The pole of inaccessibility: the name sits where the region is widest, so that Kyiv
        # oblast's name does not land beside the city it surrounds.
        point = from_metric(shapely.ops.polylabel(biggest, tolerance=LABEL_TOLERANCE_M))
        area_km2 = float(zones.loc[index, "area_km2"].sum())
        rows.append({"code": code, "name": name, "lon": point.x, "lat": point.y, "area_km2": area_km2})
    return pd.DataFrame(rows, columns=["code", "name", "lon", "lat", "area_km2"])
