"""The statistics report of a plan on a date: area and 2022 population per region and status.

The report is a plain dict that follows the JSON contract in the README ("Report"); the
Markdown and CSV renderings (layers.report_text) are built from it, so all three agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import geopandas as gpd
import pandas as pd

from peacemap.layers.sources import registry
from peacemap.layers.control.split import HELD, unit_regions
from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL, FIVE_REGIONS, LAND_MASK_SNAPSHOT, regions_sources_note
from peacemap.layers.plans.apply import PlanLayers, attribution
from peacemap.layers.report.contract import Figures, Headline, RegionEntry, Report, SourceEntry, StatusTotals, ZoneEntry
from peacemap.layers.report.projections import add_projections
from peacemap.layers.plans.statuses import DMZ, FROZEN_RUSSIAN, FROZEN_UKRAINIAN, RECOGNISED_RUSSIAN, RELINQUISHED, STATUSES

POPULATION_COLUMNS = ("population_2022", "population_2022_low", "population_2022_high")
# Statuses under which land ends on the Russian side of the plan's line.
RUSSIAN_SIDE = (RECOGNISED_RUSSIAN, FROZEN_RUSSIAN, DMZ)
POPULATION_NOTE = (
    "Population: present population on 1 January 2022, State Statistics Service of Ukraine, spread over space "
    "by peacemap's hromada model (README, 'Population'); not today's population. Not available for AR Crimea "
    "and Sevastopol, which the official 2022 table does not cover."
)

ZonePopulation = Callable[[gpd.GeoDataFrame], pd.DataFrame]


def zones_with_population(zones: gpd.GeoDataFrame, zone_population: ZonePopulation | None) -> gpd.GeoDataFrame:
    """``zones`` with ``population_2022`` and its band (NaN where not available, or without a model)."""
    zones = zones.copy()
    populations = zone_population(zones) if zone_population is not None else None
    for column in POPULATION_COLUMNS:
        zones[column] = populations[column] if populations is not None else math.nan
    return zones


def dissolved(zones: gpd.GeoDataFrame, keys: list[str]) -> gpd.GeoDataFrame:
    """Zones merged by ``keys`` (e.g. region and status), areas summed."""
    merged = zones.dissolve(by=keys, as_index=False, aggfunc={"area_km2": "sum", "provision": _joined_provisions})
    return merged[[*keys, "provision", "area_km2", "geometry"]]


def _joined_provisions(values: pd.Series) -> str:
    return ",".join(sorted({value for value in values if value}))


def build_report(layers: PlanLayers, zone_population: ZonePopulation | None) -> Report:
    """The report of ``layers``; ``zone_population`` estimates 2022 population of zones that
    tile their regions (layers.population.zone_population), or None for areas only.

    Population is estimated on the land of each region and status as a whole (and, for the
    headline, each region, status and control), so a region wholly under one status gets
    exactly its official total. Areas are geodesic km²; shares are percent of the region's and
    of Ukraine's land area (sum of the 27 units); population figures are persons on
    1 January 2022 (None where not available).
    """
    by_status = zones_with_population(dissolved(layers.zones, ["region", "status"]), zone_population)
    by_control = zones_with_population(dissolved(layers.zones, ["region", "status", "control"]), zone_population)
    units = unit_regions(layers.regions)
    ukraine_km2 = float(units["area_km2"].sum())
    region_rows = [_region_entry(row, by_status[by_status["region"] == row.code], by_control, ukraine_km2) for row in units.itertuples()]
    crimea = layers.regions.set_index("code").loc[CRIMEA_WITH_SEVASTOPOL]
    crimea_parts = CRIMEA_WITH_SEVASTOPOL.split("+")
    crimea_entry = _region_entry_from(
        CRIMEA_WITH_SEVASTOPOL, crimea["name"], crimea["area_km2"], crimea["official_area_km2"],
        by_status[by_status["region"].isin(crimea_parts)], by_control[by_control["region"].isin(crimea_parts)], ukraine_km2,
    )
    crimea_entry["combined"] = True  # repeats AR Crimea and Sevastopol: not counted in the totals
    return {
        "plan": layers.plan.id,
        "plan_title": layers.plan.title,
        "options": list(layers.plan.enabled_options),
        "date": layers.control.as_of.isoformat() if layers.control.as_of else None,
        "control_snapshot": layers.control.label,
        "sources": report_sources(layers),
        "ukraine_area_km2": round(ukraine_km2, 1),
        "regions": add_projections(_ordered(region_rows) + [crimea_entry]),
        "totals": _totals(by_status, ukraine_km2),
        "headline": _headline(by_status, by_control),
        "notes": {"area": regions_sources_note(), "population": POPULATION_NOTE, "attribution": attribution(layers.control)},
    }


def _ordered(rows: list[RegionEntry]) -> list[RegionEntry]:
    """The plans' five regions first, then the others by code."""
    first = [code for code in FIVE_REGIONS if code != CRIMEA_WITH_SEVASTOPOL] + CRIMEA_WITH_SEVASTOPOL.split("+")
    return sorted(rows, key=lambda row: (first.index(row["code"]) if row["code"] in first else len(first), row["code"]))


def _region_entry(row, zones: gpd.GeoDataFrame, by_control: gpd.GeoDataFrame, ukraine_km2: float) -> RegionEntry:  # noqa: ANN001
    own_parts = by_control[by_control["region"] == row.code]
    return _region_entry_from(row.code, row.name, row.area_km2, row.official_area_km2, zones, own_parts, ukraine_km2)


def _region_entry_from(
    code: str, name: str, area_km2: float, official_km2: float, zones: gpd.GeoDataFrame, parts: gpd.GeoDataFrame, ukraine_km2: float
) -> RegionEntry:
    entries = [_zone_entry(str(status), group, parts, area_km2, ukraine_km2) for status, group in zones.groupby("status", sort=False)]
    entries.sort(key=lambda entry: STATUSES.index(entry["status"]))
    return {
        "code": code,
        "name": name,
        "area_km2": round(float(area_km2), 1),
        "official_area_km2": None if official_km2 != official_km2 else float(official_km2),
        "population_2022": _persons(zones["population_2022"]) if len(zones) else None,
        "combined": False,
        "zones": entries,
        "headline": _headline(zones, parts),
    }


def _zone_entry(status: str, group: gpd.GeoDataFrame, parts: gpd.GeoDataFrame, area_km2: float, ukraine_km2: float) -> ZoneEntry:
    held = parts[(parts["status"] == status) & (parts["control"] == HELD)]
    return {
        "status": status,
        "area_km2": round(float(group["area_km2"].sum()), 1),
        "share_of_region_pct": round(100 * float(group["area_km2"].sum()) / area_km2, 2),
        "share_of_ukraine_pct": round(100 * float(group["area_km2"].sum()) / ukraine_km2, 3),
        "held_area_km2": round(float(held["area_km2"].sum()), 1),
        "population_2022": _persons(group["population_2022"]),
        "population_2022_low": _persons(group["population_2022_low"]),
        "population_2022_high": _persons(group["population_2022_high"]),
        "provisions": sorted({p for joined in group["provision"] for p in joined.split(",") if p}),
    }


def _persons(values: pd.Series) -> int | None:
    """Sum of a population column; None if any value is not available."""
    if values.isna().any() or values.empty:
        return None
    return int(round(float(values.sum())))


def _totals(zones: gpd.GeoDataFrame, ukraine_km2: float) -> dict[str, StatusTotals]:
    totals = {}
    for status in STATUSES:
        group = zones[zones["status"] == status]
        if group.empty:
            continue
        available = group.dropna(subset=["population_2022"])
        totals[status] = {
            "area_km2": round(float(group["area_km2"].sum()), 1),
            "share_of_ukraine_pct": round(100 * float(group["area_km2"].sum()) / ukraine_km2, 3),
            "population_2022": int(round(float(available["population_2022"].sum()))) if not available.empty else None,
            "population_2022_low": int(round(float(available["population_2022_low"].sum()))) if not available.empty else None,
            "population_2022_high": int(round(float(available["population_2022_high"].sum()))) if not available.empty else None,
            "population_excludes": sorted(set(group["region"]) - set(available["region"])),
        }
    return totals


def _headline(zones: gpd.GeoDataFrame, by_control: gpd.GeoDataFrame) -> Headline:
    """The figures a reader wants first (see README, 'Report')."""
    held = by_control["control"] == HELD
    return {
        "ceded_beyond_line": _figures(by_control[held & by_control["status"].isin(RUSSIAN_SIDE)]),
        "dmz": _figures(zones[zones["status"] == DMZ]),
        "returned": _figures(zones[zones["status"] == RELINQUISHED]),
        "frozen_russian": _figures(zones[zones["status"] == FROZEN_RUSSIAN]),
        "frozen_ukrainian": _figures(zones[zones["status"] == FROZEN_UKRAINIAN]),
    }


def _figures(group: gpd.GeoDataFrame) -> Figures:
    available = group.dropna(subset=["population_2022"])
    return {
        "area_km2": round(float(group["area_km2"].sum()), 1),
        "population_2022": int(round(float(available["population_2022"].sum()))) if len(group) else 0,
        "population_2022_low": int(round(float(available["population_2022_low"].sum()))) if len(group) else 0,
        "population_2022_high": int(round(float(available["population_2022_high"].sum()))) if len(group) else 0,
        "population_excludes": sorted(set(group["region"]) - set(available["region"])),
        "regions": sorted(set(group["region"])),
    }


def report_sources(layers: PlanLayers) -> list[SourceEntry]:
    """Every source behind the report's figures, with licence and the date it stands for."""
    sources = [{"id": "plan", "name": layers.plan.source_line(), "date": layers.plan.date.isoformat()}]
    sources.append(
        {
            "id": "control",
            "name": layers.control.label,
            "attribution": layers.control.attribution,
            "date": layers.control.as_of.isoformat() if layers.control.as_of else None,
        }
    )
    for source_id, date in (("admin1-geoboundaries", None), ("admin1-naturalearth", None),
                            (registry.deepstate_source(LAND_MASK_SNAPSHOT).id, LAND_MASK_SNAPSHOT.isoformat()),
                            ("population-ukrstat-2022", "2022-01-01"), ("hromadas-kse", "2022"),
                            ("hromadas-opora-2020", "2020"), ("population-ocha-cod-ps-2020", "2020-01-01")):
        source = registry.get_source(source_id)
        sources.append({"id": source.id, "name": source.upstream, "attribution": source.attribution,
                        "license": source.license, "url": source.url, "date": date})
    return sources
