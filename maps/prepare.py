"""Plan layers made ready for drawing: zones simplified as a coverage, the line of contact
taken from the simplified zones (so it runs exactly along their border), and label points.

Areas and populations shown on the maps are those of the full-resolution zones (columns copied
over); only the drawn geometry is simplified.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from peacemap.geo.projections import from_metric, to_metric
from peacemap.geo.simplify import round_coordinates, shared_edges, simplify_coverage
from peacemap.layers.control.split import HELD, OCCUPIED
from peacemap.layers.plans.apply import PlanLayers

logger = logging.getLogger(__name__)

# Visvalingam-Whyatt tolerance for drawn zones, metres: keeps every zone within 100 m of its
# full-resolution outline and its area within 0.1% (tests/test_simplify.py measures both).
MAP_TOLERANCE_M = 45.0
# Decimals kept in drawn coordinates (1e-5° ≈ 1 m).
MAP_DECIMALS = 5


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
        One point per region: code, name, lon, lat (degrees).
    """

    layers: PlanLayers
    zones: gpd.GeoDataFrame
    contact_line: gpd.GeoDataFrame
    labels: pd.DataFrame


def prepare_map_layers(layers: PlanLayers, *, tolerance_m: float = MAP_TOLERANCE_M) -> MapLayers:
    """Simplify ``layers`` for drawing (see the module docstring); ``tolerance_m`` in metres."""
    zones = layers.zones
    if zones.crs is None or not zones.crs.equals(4326):
        raise ValueError(f"'layers.zones' must be in EPSG:4326, got {zones.crs}")
    metric = np.array([to_metric(geometry) for geometry in zones.geometry.values], dtype=object)
    simplified = simplify_coverage(metric, tolerance_m=tolerance_m).simplified
    logger.info(
        "simplified %d zones at %.0f m: %d -> %d vertices",
        len(zones), tolerance_m, shapely.get_num_coordinates(metric).sum(), shapely.get_num_coordinates(simplified).sum(),
    )
    drawn = zones.copy()
    drawn["geometry"] = [round_coordinates(from_metric(g), MAP_DECIMALS) for g in simplified]
    lines = _contact_lines_on(zones, simplified, layers.contact_line)
    return MapLayers(layers=layers, zones=drawn, contact_line=lines, labels=_labels(zones, simplified))


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
        point = from_metric(shapely.point_on_surface(biggest))
        rows.append({"code": code, "name": name, "lon": point.x, "lat": point.y})
    return pd.DataFrame(rows, columns=["code", "name", "lon", "lat"])
