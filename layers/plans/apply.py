"""Plans → layers: the zones a plan makes of each region on a date, with their status.

Each region is first split into occupied and held land (layers.control); the plan's rule for
the region then gives each part a status and the provision that sets it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from peacemap.geo.area import geodesic_areas_km2
from peacemap.geo.clean import clean_polygon
from peacemap.geo.projections import from_metric, to_metric
from peacemap.layers.control import HELD, OCCUPIED
from peacemap.layers.control import split as control
from peacemap.layers.errors import PlanError
from peacemap.layers.i18n.catalogue import gettext
from peacemap.layers.i18n.source_names import control_attribution_text, control_label_text
from peacemap.layers.plans.model import OptionZone, Plan
from peacemap.layers.plans.statuses import Status, meaning_of
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
            "plan_origin": self.plan.origin_text(),
            "plan_sha256": self.plan.origin.sha256,
            "plan_title": self.plan.title_text(),
            "plan_source": self.plan.source_line(),
            "control": control_label_text(self.control.label),
            "control_date": self.control.as_of.isoformat() if self.control.as_of else "",
            "control_sha256": self.control.sha256 or "",
            "attribution": attribution(self.control),
        }


def attribution(control_snapshot: ControlSnapshot) -> str:
    """Attribution line for every output: control source, boundaries and land mask, in the language
    being written."""
    control = gettext("Control: %(attribution)s (%(label)s).") % {
        "attribution": control_attribution_text(control_snapshot.attribution),
        "label": control_label_text(control_snapshot.label),
    }
    return " ".join(
        (
            control,
            gettext("Boundaries: geoBoundaries (Runfola et al. 2020), from OCHA COD-AB Ukraine, CC BY 4.0."),
            gettext("Land: Made with Natural Earth; DeepStateMap coastline."),
        )
    )


def assign_status(control_zones: gpd.GeoDataFrame, plan: Plan) -> gpd.GeoDataFrame:
    """Add ``status`` (with ``side_after``, ``recognition``, ``recognised_by``) and ``provision``
    columns to occupied/held zones under ``plan``'s rules."""
    zones = control_zones.copy()
    rules = [plan.rule_for(code) for code in zones["region"]]
    zones["status"] = [plan.status_for(code, part) for code, part in zip(zones["region"], zones["control"])]
    zones["recognised_by"] = [rule.recognised_by_of(part) for rule, part in zip(rules, zones["control"])]
    zones["provision"] = [(rule.occupied_provision or rule.provision) if part == OCCUPIED else rule.provision for rule, part in zip(rules, zones["control"])]
    # Unchanged land carries no provision (held land of a region whose occupied part is relinquished).
    zones.loc[zones["status"] == Status.UKRAINIAN, "provision"] = ""
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
    option_zones = [
        OptionArea(option_zone_polygon(zone, lines, units), zone.status, option.provision, zone.control)
        for option in plan.active_options()
        for zone in option.zones
    ]
    zones = apply_option_zones(zones, option_zones)
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
            f"option zone around {list(zone.around)} with radius_km = {zone.radius_km:g} covers no part of {where}; check the point's [longitude, latitude]"
        )
    if zone.within:
        area = clean_polygon(area.intersection(land.iloc[0]))
    return area


@dataclass(frozen=True)
class OptionArea:
    """An option zone's land (EPSG:4326) and what it gives the land of ``control`` in it."""

    area: BaseGeometry
    status: str
    provision: str
    control: str = "both"  # occupied, held or both


def apply_option_zones(zones: gpd.GeoDataFrame, areas: Sequence[OptionArea]) -> gpd.GeoDataFrame:
    """``zones`` with the land inside each of ``areas`` given its status and provision; where two
    overlap, the later one's (as if applied one after another).

    The areas are first made disjoint on each side of the line and merged by what they give
    (:func:`_merged_areas`); then each zone is cut once, by all the merged areas it meets, and
    only the zones cut are measured again. The time grows about linearly with the number of areas,
    not with its square (issue 24, bench/plan_options.py).
    """
    merged = _merged_areas(areas)
    if not merged:
        return zones
    keys, shapes = list(merged), list(merged.values())
    tree = shapely.STRtree(shapes)
    rows: list[dict] = []
    cut: list[int] = []
    for zone in zones.to_dict("records"):
        hits = sorted(int(i) for i in tree.query(zone["geometry"], predicate="intersects") if keys[i][2] == zone["control"])
        inside = [(keys[i], clean_polygon(zone["geometry"].intersection(shapes[i]))) for i in hits]
        inside = [(key, piece) for key, piece in inside if not piece.is_empty]
        if not inside:
            rows.append(zone)
            continue
        rest = clean_polygon(zone["geometry"].difference(shapely.union_all([shapes[i] for i in hits])))
        cut += range(len(rows), len(rows) + 1 + len(inside))
        rows.append({**zone, "geometry": rest})
        rows += [{**zone, "geometry": piece, "status": status, "provision": provision, "recognised_by": ""} for (status, provision, _), piece in inside]
    if not cut:
        return zones
    result = gpd.GeoDataFrame(rows, geometry="geometry", crs=zones.crs)
    result.loc[cut, "area_km2"] = geodesic_areas_km2(result.geometry.values[cut])
    return with_meanings(result)[zones.columns]


_PARTS = (OCCUPIED, HELD)


def _merged_areas(areas: Sequence[OptionArea]) -> dict[tuple[str, str, str], BaseGeometry]:
    """The land each (status, provision, control part) gets from ``areas``, disjoint within a part.

    Where two areas overlap, the later one's status holds, as it would applied after the other.
    Consecutive areas that give the same are first merged into one (a run: an option's discs, say).
    Runs whose boxes overlap, directly or through others, form a group (an STR-tree finds them, so
    that runs far apart are never compared); walking a group from its last run, each keeps what the
    later ones have not claimed, and their union grows by it. What each status gets is merged
    once at the end. The cost grows with the number of runs times the outline of a group's union,
    never with the square of the number of runs when they pile up on one place.
    """
    pieces: dict[tuple[str, str, str], list[BaseGeometry]] = {}
    for part in _PARTS:
        runs = _runs([a for a in areas if a.control in ("both", part) and not a.area.is_empty])
        for group in _overlapping_groups([run.area for run in runs]):
            claimed: BaseGeometry | None = None
            for index in reversed(group):
                run = runs[index]
                own = run.area if claimed is None else clean_polygon(run.area.difference(claimed))
                claimed = run.area if claimed is None else shapely.union(claimed, run.area)
                if not own.is_empty:
                    pieces.setdefault((run.status, run.provision, part), []).append(own)
    return {key: clean_polygon(shapely.union_all(parts)) for key, parts in pieces.items()}


def _overlapping_groups(geometries: Sequence[BaseGeometry]) -> list[list[int]]:
    """The indices of ``geometries`` in groups whose bounding boxes overlap, directly or through
    others (the connected parts of the graph of such pairs), each in ascending order. Boxes, not
    shapes: testing every pair of shapes that pile up would cost the square of their number."""
    pairs = shapely.STRtree(geometries).query(geometries) if geometries else np.empty((2, 0), int)
    leader = list(range(len(geometries)))

    def find(index: int) -> int:
        while leader[index] != index:
            leader[index] = leader[leader[index]]
            index = leader[index]
        return index

    for first, second in pairs.T:
        leader[find(int(first))] = find(int(second))
    groups: dict[int, list[int]] = {}
    for index in range(len(geometries)):
        groups.setdefault(find(index), []).append(index)
    return list(groups.values())


def _runs(areas: Sequence[OptionArea]) -> list[OptionArea]:
    """``areas`` with each run of consecutive ones that give the same status and provision merged."""
    runs: list[list[OptionArea]] = []
    for option_area in areas:
        if runs and (runs[-1][0].status, runs[-1][0].provision) == (option_area.status, option_area.provision):
            runs[-1].append(option_area)
        else:
            runs.append([option_area])
    return [OptionArea(clean_polygon(shapely.union_all([a.area for a in run])), run[0].status, run[0].provision) for run in runs]
