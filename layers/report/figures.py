"""The statistics report of a plan on a date: area and 2022 population per region and status.

The report is a plain dict that follows the JSON contract in the README ("Report"); the
Markdown and CSV renderings (layers.report.render) are built from it, so all three agree.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from peacemap.layers.control.split import HELD, OCCUPIED, unit_regions
from peacemap.layers.plans.apply import PlanLayers, attribution
from peacemap.layers.plans.model import Plan
from peacemap.layers.plans.statuses import (
    DE_FACTO,
    DE_JURE,
    DEMILITARISED,
    FROZEN,
    NOT_ADDRESSED,
    RUSSIAN,
    STATUSES,
    UKRAINIAN_SIDE,
    meaning_of,
)
from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL, FIVE_REGIONS, LAND_MASK_SNAPSHOT, regions_sources_note
from peacemap.layers.report.contract import (
    Figures,
    Headline,
    MutualZoneFigures,
    PlanOriginEntry,
    RegionEntry,
    Report,
    SourceEntry,
    StatusTotals,
    ZoneEntry,
)
from peacemap.layers.report.projections import add_projections, recognised_with_projection
from peacemap.layers.sources import registry
from peacemap.layers.sources.control_map import ControlSnapshot

POPULATION_COLUMNS = ("population_2022", "population_2022_low", "population_2022_high")
# The headline's measures, in the order outputs show them, and how they are named (README,
# "Report"). "of which" marks a part of the measure above it.
HEADLINE_LABELS = {
    "russian_side_after_plan": "Russian side of the line after the plan",
    "recognised_de_jure": "of which recognised as Russian de jure",
    "recognised_de_facto": "of which recognised as Russian de facto",
    "not_addressed": "of which Russian-held, not addressed by the plan",
    "frozen_russian": "of which frozen along the line",
    "ceded_beyond_line": "Ukraine gives up beyond the line of contact",
    "dmz": "of which demilitarised zone",
    "dmz_mutual": "Demilitarised, both sides withdraw",
    "returned": "Returned to Ukraine",
    "frozen_ukrainian": "Frozen along the line, Ukrainian side",
}
HEADLINE_MEASURES = tuple(HEADLINE_LABELS)
# The parts of a demilitarised zone both sides withdraw from, by who held the land on the date.
MUTUAL_PARTS = {"held_by_ukraine": "of which held by Ukraine on the date", "held_by_russia": "of which held by Russia on the date"}
POPULATION_NOTE = (
    "Population: present population on 1 January 2022, State Statistics Service of Ukraine, spread over space "
    "by peacemap's hromada model (README, 'Population'); not today's population. Not available for AR Crimea "
    "and Sevastopol, which the official 2022 table does not cover."
)

ZonePopulation = Callable[[gpd.GeoDataFrame], pd.DataFrame]


class RegionPopulationMemo:
    """A :data:`ZonePopulation` that remembers each region's figures by the zones' outlines.

    Plans on one date cut most regions the same way (a region untouched by the war is one zone
    under every plan), and a report estimates the zones of a region by status and again by status
    and control, often the same zones. The memo estimates each distinct set of a region's zones
    once. It gives exactly what ``zone_population`` gives, provided that estimates each region on
    its own, as :func:`peacemap.layers.population.model.zone_population` does (a region's zones
    tile it and are rounded to its official total).
    """

    def __init__(self, zone_population: ZonePopulation) -> None:
        self.zone_population = zone_population
        self._known: dict[tuple, np.ndarray] = {}  # region key -> population columns of its zones

    def __call__(self, zones: gpd.GeoDataFrame) -> pd.DataFrame:
        keys = {code: _outline_key(code, members) for code, members in zones.groupby("region", sort=True)}
        missing = [code for code, key in keys.items() if key not in self._known]
        if missing:
            rows = zones[zones["region"].isin(missing)]
            computed = self.zone_population(rows)
            for code in missing:
                self._known[keys[code]] = computed.loc[rows.index[rows["region"] == code], list(POPULATION_COLUMNS)].to_numpy()
        result = pd.DataFrame(math.nan, index=zones.index, columns=list(POPULATION_COLUMNS))
        for code, key in keys.items():
            result.loc[zones.index[zones["region"] == code], list(POPULATION_COLUMNS)] = self._known[key]
        return result


def _outline_key(code: str, members: gpd.GeoDataFrame) -> tuple:
    """A region's zones as a key: its code and the digest of each zone's outline, in order."""
    return code, tuple(hashlib.sha256(shapely.to_wkb(geometry)).digest() for geometry in members.geometry.values)


def zones_with_population(zones: gpd.GeoDataFrame, zone_population: ZonePopulation | None) -> gpd.GeoDataFrame:
    """``zones`` with ``population_2022`` and its band (NaN where not available, or without a model)."""
    zones = zones.copy()
    populations = zone_population(zones) if zone_population is not None else None
    for column in POPULATION_COLUMNS:
        zones[column] = populations[column] if populations is not None else math.nan
    return zones


def dissolved(zones: gpd.GeoDataFrame, keys: list[str]) -> gpd.GeoDataFrame:
    """Zones merged by ``keys`` (e.g. region and status), areas summed, with the meaning of each
    status (``kind``, ``side_after``, ``recognition``, ``withdraws``; layers.plans.statuses)."""
    aggregate = {"area_km2": "sum", "provision": _joined_provisions, "recognised_by": _joined_texts}
    merged = zones.dissolve(by=keys, as_index=False, aggfunc=aggregate)
    meanings = [meaning_of(status) for status in merged["status"]]
    for field in ("kind", "side_after", "recognition", "withdraws"):
        merged[field] = [getattr(meaning, field) for meaning in meanings]
    return merged[[*keys, "kind", "side_after", "recognition", "withdraws", "recognised_by", "provision", "area_km2", "geometry"]]


def _joined_provisions(values: pd.Series) -> str:
    return ",".join(sorted({value for value in values if value}))


def _joined_texts(values: pd.Series) -> str:
    return "; ".join(sorted({value for value in values if value}))


def build_report(layers: PlanLayers, zone_population: ZonePopulation | None) -> Report:
    """The report of ``layers``; ``zone_population`` estimates 2022 population of zones that
    tile their regions (layers.population.zone_population), or None for areas only.

    Population is estimated on the land of each region and status as a whole, so a region
    wholly under one status gets exactly its official total; headline measures that turn on who
    held the land on the date (given up, demilitarised zones, returned) on each region's land by
    status and control. Areas are geodesic km²; shares are percent of the region's and
    of Ukraine's land area (sum of the 27 units); population figures are persons on
    1 January 2022 (None where not available).
    """
    by_status, by_control = _status_records(layers, zone_population)
    units = unit_regions(layers.regions)
    ukraine_km2 = float(units["area_km2"].sum())
    region_rows = [
        _region_entry(row.code, row.name, row.area_km2, row.official_area_km2, _of(by_status, row.code), _of(by_control, row.code), ukraine_km2)
        for row in units.itertuples()
    ]
    crimea = layers.regions.set_index("code").loc[CRIMEA_WITH_SEVASTOPOL]
    crimea_parts = CRIMEA_WITH_SEVASTOPOL.split("+")
    crimea_entry = _region_entry(
        CRIMEA_WITH_SEVASTOPOL, crimea["name"], crimea["area_km2"], crimea["official_area_km2"],
        _of(by_status, *crimea_parts), _of(by_control, *crimea_parts), ukraine_km2,
    )
    crimea_entry["combined"] = True  # repeats AR Crimea and Sevastopol: not counted in the totals
    regions = add_projections(_ordered(region_rows) + [crimea_entry])
    headline = _headline(by_status, by_control)
    report: Report = {
        "plan": layers.plan.id,
        "plan_origin": plan_origin_entry(layers.plan),
        "plan_title": layers.plan.title,
        "options": list(layers.plan.enabled_options),
        "date": layers.control.as_of.isoformat() if layers.control.as_of else None,
        "control_snapshot": layers.control.label,
        "sources": report_sources(layers),
        "ukraine_area_km2": round(ukraine_km2, 1),
        "regions": regions,
        "totals": _totals(by_status, ukraine_km2),
        "headline": headline,
        "notes": {"area": regions_sources_note(), "population": POPULATION_NOTE, "attribution": attribution(layers.control)},
    }
    with_projection = recognised_with_projection(regions, headline)
    if with_projection is not None:
        report["recognised_with_crimea_projection"] = with_projection
    return report


def plan_headline(layers: PlanLayers, zone_population: ZonePopulation | None) -> Headline:
    """The report's headline of ``layers`` alone (what :func:`build_report` puts under
    ``"headline"``), without the per-region tables: for measuring a plan on many dates."""
    return _headline(*_status_records(layers, zone_population))


def _status_records(layers: PlanLayers, zone_population: ZonePopulation | None) -> tuple[list[Record], list[Record]]:
    """The zones of ``layers`` merged by region and status, and by region, status and control."""
    # Once population is estimated the figures need no geometry: plain records, a few per
    # region, are filtered far faster than data frames.
    by_status = _records(zones_with_population(dissolved(layers.zones, ["region", "status"]), zone_population))
    by_control = _records(zones_with_population(dissolved(layers.zones, ["region", "status", "control"]), zone_population))
    return by_status, by_control


Record = dict  # one dissolved zone: its keys, meaning, area and population, without geometry


def _records(zones: gpd.GeoDataFrame) -> list[Record]:
    return zones.drop(columns="geometry").to_dict("records")


def _of(records: list[Record], *codes: str) -> list[Record]:
    """The records of the regions ``codes``."""
    return [record for record in records if record["region"] in codes]


def _ordered(rows: list[RegionEntry]) -> list[RegionEntry]:
    """The plans' five regions first, then the others by code."""
    first = [code for code in FIVE_REGIONS if code != CRIMEA_WITH_SEVASTOPOL] + CRIMEA_WITH_SEVASTOPOL.split("+")
    return sorted(rows, key=lambda row: (first.index(row["code"]) if row["code"] in first else len(first), row["code"]))


def _region_entry(
    code: str, name: str, area_km2: float, official_km2: float, zones: list[Record], parts: list[Record], ukraine_km2: float
) -> RegionEntry:
    """One region: its zones by status (``zones``) with the held part of each (from ``parts``,
    its zones by status and control), and its headline."""
    statuses = sorted({zone["status"] for zone in zones}, key=STATUSES.index)
    entries = [_zone_entry(status, [z for z in zones if z["status"] == status], parts, area_km2, ukraine_km2) for status in statuses]
    return {
        "code": code,
        "name": name,
        "area_km2": round(float(area_km2), 1),
        "official_area_km2": None if official_km2 != official_km2 else float(official_km2),
        "population_2022": _persons(zones, "population_2022") if zones else None,
        "combined": False,
        "zones": entries,
        "headline": _headline(zones, parts),
    }


def _zone_entry(status: str, group: list[Record], parts: list[Record], area_km2: float, ukraine_km2: float) -> ZoneEntry:
    held_km2 = sum(p["area_km2"] for p in parts if p["status"] == status and p["control"] == HELD)
    zone_km2 = _area(group)
    return {
        "status": status,
        "side_after": str(group[0]["side_after"]),
        "recognition": str(group[0]["recognition"]),
        "recognised_by": "; ".join(sorted({part for z in group for part in z["recognised_by"].split("; ") if part})),
        "area_km2": round(zone_km2, 1),
        "share_of_region_pct": round(100 * zone_km2 / area_km2, 2),
        "share_of_ukraine_pct": round(100 * zone_km2 / ukraine_km2, 3),
        "held_area_km2": round(float(held_km2), 1),
        "population_2022": _persons(group, "population_2022"),
        "population_2022_low": _persons(group, "population_2022_low"),
        "population_2022_high": _persons(group, "population_2022_high"),
        "provisions": sorted({p for z in group for p in z["provision"].split(",") if p}),
    }


def _area(group: list[Record]) -> float:
    return float(sum(record["area_km2"] for record in group))


def _missing(value: object) -> bool:
    return value is None or value != value  # NaN: not available


def _persons(group: list[Record], column: str) -> int | None:
    """Sum of a population column; None if any value is not available (or there is none)."""
    values = [record[column] for record in group]
    if not values or any(_missing(v) for v in values):
        return None
    return int(round(float(sum(values))))


def _totals(records: list[Record], ukraine_km2: float) -> dict[str, StatusTotals]:
    totals: dict[str, StatusTotals] = {}
    for status in STATUSES:
        group = [record for record in records if record["status"] == status]
        if not group:
            continue
        available = [record for record in group if not _missing(record["population_2022"])]
        persons = {column: int(round(float(sum(r[column] for r in available)))) if available else None for column in POPULATION_COLUMNS}
        totals[status] = {
            "area_km2": round(_area(group), 1),
            "share_of_ukraine_pct": round(100 * _area(group) / ukraine_km2, 3),
            **persons,  # type: ignore[typeddict-item]
            "population_excludes": sorted({r["region"] for r in group} - {r["region"] for r in available}),
        }
    return totals


def _headline(by_status: list[Record], by_control: list[Record]) -> Headline:
    """The figures a reader wants first (see README, 'Report').

    Measures of statuses alone are summed over ``by_status`` (region and status: the same rows
    as the totals); measures that turn on who held the land on the date over ``by_control``
    (region, status and control). Every "of which" is a subset of its total's rows.
    """
    russian = [r for r in by_status if r["side_after"] == RUSSIAN]
    frozen = [r for r in by_status if r["kind"] == FROZEN]
    ceded = [r for r in by_control if r["control"] == HELD and r["side_after"] == RUSSIAN]
    return {
        "russian_side_after_plan": _figures(russian),
        "recognised_de_jure": _figures([r for r in russian if r["recognition"] == DE_JURE]),
        "recognised_de_facto": _figures([r for r in russian if r["recognition"] == DE_FACTO]),
        "not_addressed": _figures([r for r in russian if r["recognition"] == NOT_ADDRESSED]),
        "frozen_russian": _figures([r for r in frozen if r["side_after"] == RUSSIAN]),
        "ceded_beyond_line": _figures(ceded),
        "dmz": _figures([r for r in ceded if r["kind"] == DEMILITARISED]),
        "dmz_mutual": _mutual_figures([r for r in by_control if r["kind"] == DEMILITARISED and r["withdraws"] == "both"]),
        "returned": _figures([r for r in by_control if r["control"] == OCCUPIED and r["side_after"] == UKRAINIAN_SIDE]),
        "frozen_ukrainian": _figures([r for r in frozen if r["side_after"] == UKRAINIAN_SIDE]),
    }


def _mutual_figures(mutual: list[Record]) -> MutualZoneFigures:
    """Zones both sides withdraw from, and the parts Ukraine and Russia held on the date."""
    return {
        **_figures(mutual),
        "held_by_ukraine": _figures([r for r in mutual if r["control"] == HELD]),
        "held_by_russia": _figures([r for r in mutual if r["control"] == OCCUPIED]),
    }


def _figures(group: list[Record]) -> Figures:
    available = [record for record in group if not _missing(record["population_2022"])]
    return {
        "area_km2": round(_area(group), 1),
        "population_2022": int(round(float(sum(r["population_2022"] for r in available)))),
        "population_2022_low": int(round(float(sum(r["population_2022_low"] for r in available)))),
        "population_2022_high": int(round(float(sum(r["population_2022_high"] for r in available)))),
        "population_excludes": sorted({r["region"] for r in group} - {r["region"] for r in available}),
        "regions": sorted({r["region"] for r in group}),
    }


def plan_origin_entry(plan: Plan) -> PlanOriginEntry:
    """Where ``plan`` was read from, as the report's ``plan_origin``."""
    origin = plan.origin
    return {"kind": origin.kind, "file": origin.file, "sha256": origin.sha256, "peacemap_version": origin.peacemap_version,
            "same_id_as_shipped": origin.same_id_as_shipped, "text": plan.origin_text()}


def report_sources(layers: PlanLayers) -> list[SourceEntry]:
    """Every source behind the report's figures, with licence, the date it stands for and, for
    the control map, the sha256 of the file it was read from, its layer and condition."""
    sources: list[SourceEntry] = [{"id": "plan", "name": layers.plan.source_line(), "date": layers.plan.text_date()}]
    sources.append(control_source_entry(layers.control, "control"))
    for source_id, date in (("admin1-geoboundaries", None), ("admin1-naturalearth", None),
                            (registry.deepstate_source(LAND_MASK_SNAPSHOT).id, LAND_MASK_SNAPSHOT.isoformat()),
                            ("population-ukrstat-2022", "2022-01-01"), ("hromadas-kse", "2022"),
                            ("hromadas-opora-2020", "2020"), ("population-ocha-cod-ps-2020", "2020-01-01")):
        source = registry.get_source(source_id)
        sources.append({"id": source.id, "name": source.upstream, "attribution": source.attribution,
                        "license": source.license, "url": source.url, "date": date})
    return sources


def control_source_entry(control: ControlSnapshot, source_id: str) -> SourceEntry:
    """A map of control as a source: its label, attribution, the sha256 of the file read, the
    layer and OGR SQL condition chosen in it, and the date it stands for (vouched for by the
    user, for a control file)."""
    entry = {"id": source_id, "name": control.label, "attribution": control.attribution}
    entry.update({key: value for key, value in (("sha256", control.sha256), ("layer", control.layer), ("where", control.where)) if value})
    return cast(SourceEntry, {**entry, "date": control.as_of.isoformat() if control.as_of else None})
