"""Plans → layers: the zones a plan makes of each region on a date, with their status.

Each region is first split into occupied and held land (layers.control); the plan's rule for
the region then gives each part a status and the provision that sets it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from peacemap.geo.area import geodesic_areas_km2
from peacemap.geo.clean import clean_polygon
from peacemap.geo.projections import from_metric, to_metric
from peacemap.layers.control import split as control
from peacemap.layers.control.split import OCCUPIED
from peacemap.layers.errors import PlanError
from peacemap.layers.plans.model import OptionZone, Plan
from peacemap.layers.plans.statuses import UKRAINIAN, meaning_of
from peacemap.layers.regions import load_regions
from peacemap.layers.sources.control_map import ControlSnapshot

logger = logging.getLogger(__name__)

# Columns of a plan's zones. ``side_after`` and ``recognition`` follow from ``status``
# (layers.plans.statuses.MEANINGS); ``recognised_by`` is the plan's own words, where it gives them.
ZONE_COLUMNS = ["region", "region_name", "control", "status", "side_after", "recognition", "recognised_by", "provision", "area_km2", "geometry"]


@dataclass(frozen=True)
class PlanLayers:
    """Everything a plan makes of the map on one date (all EPSG:4326)."""

    plan: Plan
    control: ControlSnapshot
    zones: gpd.GeoDataFrame  # ZONE_COLUMNS
    contact_line: gpd.GeoDataFrame  # region, region_name, rule, length_km, geometry
    regions: gpd.GeoDataFrame  # code, name, area_km2, official_area_km2, deviation_pct, geometry
    # Hromada territories (layers.report.places.hromada_layer), when the pipeline adds them.
    hromadas: gpd.GeoDataFrame | None = None
    # How old the line is, where a reader may take it for newer (``--date latest``; the pipeline's
    # snapshot_age, the report's "snapshot_age"); None otherwise.
    snapshot_age: dict[str, object] | None = None

    def metadata(self) -> dict[str, str]:
        """Source and date facts written with every output."""
        return {
            "plan": self.plan.id,
            "plan_title": self.plan.title,
            "plan_source": self.plan.source_line(),
            "control": self.control.label,
            "control_date": self.control.as_of.isoformat() if self.control.as_of else "",
            "control_sha256": self.control.sha256 or "",
            "attribution": attribution(self.control),
        }


def attribution(control_snapshot: ControlSnapshot) -> str:
    """Attribution line for every output: control source, boundaries and land mask."""
    return (
        f"Control: {control_snapshot.attribution} ({control_snapshot.label}). "
        "Boundaries: geoBoundaries (Runfola et al. 2020), from OCHA COD-AB Ukraine, CC BY 4.0. "
        "Land: Made with Natural Earth; DeepStateMap coastline."
    )


def assign_status(control_zones: gpd.GeoDataFrame, plan: Plan) -> gpd.GeoDataFrame:
    """Add ``status`` (with ``side_after``, ``recognition``, ``recognised_by``) and ``provision``
    columns to occupied/held zones under ``plan``'s rules."""
    zones = control_zones.copy()
    rules = [plan.rule_for(code) for code in zones["region"]]
    zones["status"] = [plan.status_for(code, part) for code, part in zip(zones["region"], zones["control"])]
    zones["recognised_by"] = [rule.recognised_by_of(part) for rule, part in zip(rules, zones["control"])]
    zones["provision"] = [
        (rule.occupied_provision or rule.provision) if part == OCCUPIED else rule.provision
        for rule, part in zip(rules, zones["control"])
    ]
    # Unchanged land carries no provision (held land of a region whose occupied part is relinquished).
    zones.loc[zones["status"] == UKRAINIAN, "provision"] = ""
    return with_meanings(zones)[ZONE_COLUMNS]


def with_meanings(zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``zones`` with ``side_after`` and ``recognition`` set from each zone's ``status``."""
    meanings = [meaning_of(status) for status in zones["status"]]
    zones["side_after"] = [meaning.side_after for meaning in meanings]
    zones["recognition"] = [meaning.recognition for meaning in meanings]
    return zones


@dataclass(frozen=True)
class ControlLayers:
    """Held and occupied land of every region, and the line of contact, on one control snapshot.

    The same for every plan on that snapshot: build it once to compare plans.
    """

    control: ControlSnapshot
    regions: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame  # region, region_name, control, area_km2, geometry
    contact_line: gpd.GeoDataFrame  # region, region_name, length_km, geometry


def build_control_layers(control_snapshot: ControlSnapshot, *, regions: gpd.GeoDataFrame | None = None) -> ControlLayers:
    """Split every region into held and occupied land along ``control_snapshot``'s line."""
    regions = load_regions() if regions is None else regions
    units = control.unit_regions(regions)
    logger.info("splitting %d regions along the line of contact (%s)", len(units), control_snapshot.label)
    zones, contact_line = control.split_units(units, control_snapshot.polygon)
    return ControlLayers(control=control_snapshot, regions=regions, zones=zones, contact_line=contact_line)


def apply_plan(plan: Plan, control_layers: ControlLayers) -> PlanLayers:
    """The zones ``plan`` makes of the held and occupied land in ``control_layers``.

    Zones with no area (e.g. the occupied part of a region with nothing occupied) are dropped.
    """
    units = control.unit_regions(control_layers.regions)
    zones = assign_status(control_layers.zones, plan)
    lines = control_layers.contact_line.copy()
    for option in plan.active_options():
        for zone in option.zones:
            area = option_zone_polygon(zone, lines, units)
            zones = apply_option_zone(zones, area, zone.status, option.provision, control=zone.control)
    zones = zones[zones["area_km2"] > 0].reset_index(drop=True)
    lines.insert(2, "rule", [plan.rule_for(code).rule for code in lines["region"]])
    return PlanLayers(plan=plan, control=control_layers.control, zones=zones, contact_line=lines, regions=control_layers.regions)


def build_plan_layers(plan: Plan, control_snapshot: ControlSnapshot, *, regions: gpd.GeoDataFrame | None = None) -> PlanLayers:
    """Zones, line of contact and region outlines of ``plan`` under ``control_snapshot``."""
    return apply_plan(plan, build_control_layers(control_snapshot, regions=regions))


def option_zone_polygon(zone: OptionZone, contact_line: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> BaseGeometry:
    """The land an option covers (EPSG:4326): a disc around a point, or a band along the line,
    limited to the region ``zone.within`` when set.

    Distances are measured in geo.projections' metric LAEA centred on Ukraine (scale error
    under 0.3% over the country).

    Raises
    ------
    PlanError
        A disc that covers no land of Ukraine (or of ``zone.within``): the option would silently
        change nothing. A band whose region has no line of contact on the date is empty instead,
        since that depends on the date, not on the plan.
    """
    if zone.around is not None:
        area = from_metric(to_metric(shapely.Point(zone.around)).buffer(zone.radius_km * 1000.0, quad_segs=32))
    else:
        line = contact_line.loc[contact_line["region"] == zone.along_line_in, "geometry"]
        if line.empty:
            return shapely.geometry.MultiPolygon()
        area = from_metric(to_metric(shapely.union_all(line.values)).buffer(zone.depth_km * 1000.0))
    land = regions.loc[regions["code"] == zone.within, "geometry"] if zone.within else regions.geometry
    if zone.around is not None and not land.intersects(area).any():
        where = f"the land of {zone.within}" if zone.within else "any land of Ukraine"
        raise PlanError(
            f"option zone around {list(zone.around)} with radius_km = {zone.radius_km:g} covers no part of {where}; "
            "check the point's [longitude, latitude]"
        )
    if zone.within:
        area = clean_polygon(area.intersection(land.iloc[0]))
    return area


def apply_option_zone(
    zones: gpd.GeoDataFrame, area: BaseGeometry, status: str, provision: str, *, control: str = "both"
) -> gpd.GeoDataFrame:
    """Give the part of each zone inside ``area`` the ``status`` and ``provision``; the rest keeps its own.

    Only zones whose ``control`` matches (``occupied``, ``held`` or ``both``) change. Each
    changed zone is cut in two, so the zones still tile every region.
    """
    if area.is_empty:
        return zones
    rows = []
    for zone in zones.to_dict("records"):
        inside = clean_polygon(zone["geometry"].intersection(area)) if control in ("both", zone["control"]) else None
        if inside is None or inside.is_empty:
            rows.append(zone)
            continue
        rows.append({**zone, "geometry": clean_polygon(zone["geometry"].difference(area))})
        rows.append({**zone, "geometry": inside, "status": status, "provision": provision, "recognised_by": ""})
    result = gpd.GeoDataFrame(rows, geometry="geometry", crs=zones.crs)
    result["area_km2"] = geodesic_areas_km2(result.geometry.values)
    return with_meanings(result)[zones.columns]
