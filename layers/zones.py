"""Plans → layers: the zones a plan makes of each region on a date, with their status.

Each region is first split into occupied and held land (layers.control); the plan's rule for
the region then gives each part a status and the provision that sets it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from peacemap.layers import control
from peacemap.layers.control import HELD, OCCUPIED, ControlSnapshot
from peacemap.layers.plans import Plan
from peacemap.layers.regions import load_regions

logger = logging.getLogger(__name__)

RECOGNISED_RUSSIAN = "recognised_russian"
FROZEN_RUSSIAN = "frozen_russian"
FROZEN_UKRAINIAN = "frozen_ukrainian"
DMZ = "dmz"
RELINQUISHED = "relinquished"
UKRAINIAN = "ukrainian"
STATUSES = (RECOGNISED_RUSSIAN, FROZEN_RUSSIAN, FROZEN_UKRAINIAN, DMZ, RELINQUISHED, UKRAINIAN)

# Status of each part of a region under each rule. Under "keep" the plan changes nothing:
# occupied land stays under Russian control along the line (frozen_russian, no recognition
# implied) and held land stays Ukrainian.
STATUS_BY_RULE = {
    "recognise": {OCCUPIED: RECOGNISED_RUSSIAN, HELD: RECOGNISED_RUSSIAN},
    "freeze": {OCCUPIED: FROZEN_RUSSIAN, HELD: FROZEN_UKRAINIAN},
    "dmz": {OCCUPIED: RECOGNISED_RUSSIAN, HELD: DMZ},
    "relinquish": {OCCUPIED: RELINQUISHED, HELD: UKRAINIAN},
    "keep": {OCCUPIED: FROZEN_RUSSIAN, HELD: UKRAINIAN},
}


@dataclass(frozen=True)
class PlanLayers:
    """Everything a plan makes of the map on one date (all EPSG:4326)."""

    plan: Plan
    control: ControlSnapshot
    zones: gpd.GeoDataFrame  # region, region_name, control, status, provision, area_km2, geometry
    contact_line: gpd.GeoDataFrame  # region, region_name, rule, length_km, geometry
    regions: gpd.GeoDataFrame  # code, name, area_km2, official_area_km2, deviation_pct, geometry

    def metadata(self) -> dict[str, str]:
        """Source and date facts written with every output."""
        return {
            "plan": self.plan.id,
            "plan_title": self.plan.title,
            "plan_source": self.plan.source_line(),
            "control": self.control.label,
            "control_date": self.control.as_of.isoformat() if self.control.as_of else "",
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
    """Add ``status`` and ``provision`` columns to occupied/held zones under ``plan``'s rules."""
    zones = control_zones.copy()
    rules = [plan.rule_for(code) for code in zones["region"]]
    zones["status"] = [STATUS_BY_RULE[rule.rule][part] for rule, part in zip(rules, zones["control"])]
    zones["provision"] = [
        (rule.occupied_provision or rule.provision) if part == OCCUPIED else rule.provision
        for rule, part in zip(rules, zones["control"])
    ]
    # Unchanged land carries no provision (held land of a region whose occupied part is relinquished).
    zones.loc[zones["status"] == UKRAINIAN, "provision"] = ""
    return zones[["region", "region_name", "control", "status", "provision", "area_km2", "geometry"]]


def build_plan_layers(
    plan: Plan,
    control_snapshot: ControlSnapshot,
    *,
    regions: gpd.GeoDataFrame | None = None,
) -> PlanLayers:
    """Zones, line of contact and region outlines of ``plan`` under ``control_snapshot``.

    Zones with no area (e.g. the occupied part of a region with nothing occupied) are dropped.
    """
    regions = load_regions() if regions is None else regions
    units = control.unit_regions(regions)
    logger.info("splitting %d regions along the line of contact (%s)", len(units), control_snapshot.label)
    split = control.split_country(shapely.union_all(units.geometry.values), control_snapshot.polygon)
    zones = assign_status(control.control_zones(units, split), plan)
    zones = zones[zones["area_km2"] > 0].reset_index(drop=True)
    lines = control.contact_lines(units, split)
    lines.insert(2, "rule", [plan.rule_for(code).rule for code in lines["region"]])
    return PlanLayers(plan=plan, control=control_snapshot, zones=zones, contact_line=lines, regions=regions)


def plan_layers_for(plan: Plan, date: dt.date | None = None) -> PlanLayers:
    """Layers of ``plan`` on ``date`` (default: the plan's own date) from DeepState."""
    return build_plan_layers(plan, control.deepstate_control(date or plan.date))


def status_totals(zones: gpd.GeoDataFrame) -> pd.DataFrame:
    """Area (km²) per status over all regions."""
    return zones.groupby("status", as_index=False)["area_km2"].sum()
