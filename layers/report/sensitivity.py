"""Places on the line of contact: whose people could change sides with a small move of the line.

A figure such as the people of a demilitarised zone can jump from one day to the next when the
line passes a town: the population model puts a town's people at its point, so they change
sides all at once (Pokrovsk's 60,127 on 2025-11-20). The report lists the places where that can
happen, so that a reader sees how much of a figure rests on where the line runs:

- every city and town of table 5 whose point lies within :data:`LINE_DISTANCE_KM` of the line;
- every hromada the line cuts: one with at least :data:`CUT_MIN_KM2` of its land on each side
  (less is a sliver where the territory's source and the map of control draw one border
  differently).

Distances are measured in the equal-area projection centred on Ukraine (``geo.projections``;
scale error under 0.3% over the country), from the town's point to the nearest point of the line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from peacemap.geo.projections import to_metric
from peacemap.layers.control import HELD, OCCUPIED
from peacemap.layers.i18n.catalogue import N_, count_text, gettext
from peacemap.layers.i18n.numbers import number_text, percent_text, unit_text
from peacemap.layers.plans.apply import PlanLayers
from peacemap.layers.plans.statuses import Status
from peacemap.layers.report.contract import LineHromada, LineSensitivity, LineTown
from peacemap.layers.report.format import escape_markdown
from peacemap.layers.report.places import hromada_shares, place_name, settlement_zones, town_name, zones_by_piece
from peacemap.layers.report.terms import control_text, status_text

LINE_DISTANCE_KM = 2.0
CUT_MIN_KM2 = 0.1
# Towns named under the headline (the rest are in the section).
SUMMARY_TOWNS = 3


def line_sensitivity(layers: PlanLayers, settlements: gpd.GeoDataFrame, territories: gpd.GeoDataFrame) -> LineSensitivity:
    """The towns near the line of contact of ``layers`` and the hromadas it cuts (module docstring).

    Parameters
    ----------
    layers
        A plan's layers: zones and line of contact (EPSG:4326).
    settlements
        Located cities and towns (``population``, ``hromada``, ``region``, names; points, EPSG:4326).
    territories
        Hromada territories (``Territories.frame``), tiling their regions (EPSG:4326).
    """
    line = [g for g in layers.contact_line.geometry.values if g is not None and not g.is_empty]
    if not line:
        return {"threshold_km": LINE_DISTANCE_KM, "towns": [], "hromadas": []}
    line_m = to_metric(shapely.union_all(line))
    pieces = zones_by_piece(layers)
    return {"threshold_km": LINE_DISTANCE_KM, "towns": _towns(settlements, line_m, pieces, territories), "hromadas": _cut_hromadas(pieces, territories)}


def _towns(settlements: gpd.GeoDataFrame, line_m: Any, pieces: gpd.GeoDataFrame, territories: gpd.GeoDataFrame) -> list[LineTown]:
    placed = settlements[~settlements.geometry.is_empty]
    distance_km = shapely.distance(to_metric(placed.geometry.to_numpy()), line_m) / 1000.0
    near = placed[distance_km <= LINE_DISTANCE_KM]
    near_km = distance_km[distance_km <= LINE_DISTANCE_KM]
    zone_of = settlement_zones(pieces, near)
    hromada_name = territories["name_uk"][~territories.index.duplicated()].to_dict()
    towns: list[LineTown] = []
    for (index, town), km in zip(near.iterrows(), near_km, strict=True):
        zone = zone_of[index]
        towns.append(
            {
                "name": town["name_uk"],
                "name_en": town["name_en"],
                "region": town["region"],
                "hromada": hromada_name.get(town["hromada"], ""),
                "population_2022": int(town["population"]),
                "distance_km": round(float(km), 1),
                "control": "" if pd.isna(zone) else str(pieces.at[zone, "control"]),
                "status": "" if pd.isna(zone) else Status(pieces.at[zone, "status"]),
            }
        )
    return sorted(towns, key=lambda t: (-t["population_2022"], t["distance_km"], t["name_en"]))


def _cut_hromadas(pieces: gpd.GeoDataFrame, territories: gpd.GeoDataFrame) -> list[LineHromada]:
    control = pieces.dissolve(by=["region", "control"], as_index=False)
    shares = hromada_shares(control, territories, min_km2=0.0)
    shares["control"] = control.loc[shares["zone"], "control"].to_numpy()
    land = shares.pivot_table(index="territory", columns="control", values="area_km2", aggfunc="sum", fill_value=0.0)
    for side in (HELD, OCCUPIED):
        if side not in land:
            land[side] = 0.0
    cut = land[(land[HELD] >= CUT_MIN_KM2) & (land[OCCUPIED] >= CUT_MIN_KM2)]
    hromadas: list[LineHromada] = []
    for position, row in cut.iterrows():
        territory = territories.iloc[int(position)]
        if territories.index[int(position)] < 0 or pd.isna(territory["population"]):
            continue  # a region-level unit (AR Crimea, Sevastopol, Kyiv city): not a hromada
        hromadas.append(
            {
                "hromada": territory["name_uk"],
                "hromada_en": territory["name_en"],
                "region": territory["region"],
                "population_2022": int(territory["population"]),
                "occupied_land_pct": round(100.0 * row[OCCUPIED] / (row[HELD] + row[OCCUPIED]), 1),
            }
        )
    return sorted(hromadas, key=lambda h: (-h["population_2022"], h["hromada_en"]))


def line_summary(report: Mapping[str, Any]) -> str | None:
    """One line under the headline naming the largest towns on the line; None without any."""
    towns = (report.get("line_sensitivity") or {}).get("towns") or []
    if not towns:
        return None
    named = "; ".join(
        gettext("%(town)s (%(region)s) %(people)s, %(distance)s from it")
        % {
            "town": town_name(t),
            "region": t["region"],
            "people": count_text(t["population_2022"], "%(count)s person", "%(count)s people"),
            "distance": unit_text(t["distance_km"], "km", places=1),
        }
        for t in towns[:SUMMARY_TOWNS]
    )
    more = "; " + count_text(len(towns) - SUMMARY_TOWNS, "%(count)s more in the report", "%(count)s more in the report") if len(towns) > SUMMARY_TOWNS else ""
    return gettext(
        "On the line of contact (within %(distance)s; people on 1 January 2022): %(towns)s. A small move of the line moves "
        'a town\'s people between the zones on either side at once (report, "On the line of contact").'
    ) % {"distance": unit_text(LINE_DISTANCE_KM, "km", places=_places(LINE_DISTANCE_KM)), "towns": named + more}


def _places(value: float) -> int:
    """The decimals ``value`` needs (as ``:g`` writes it): 0 for 2.0, 1 for 0.1."""
    return 0 if float(value).is_integer() else len(f"{value:g}".split(".")[1])


def line_sensitivity_section(report: Mapping[str, Any]) -> list[str]:
    """The "On the line of contact" section of report.md; empty without ``line_sensitivity``."""
    found = report.get("line_sensitivity")
    if not found:
        return []
    threshold = found["threshold_km"]
    lines = [
        "## " + gettext("On the line of contact"),
        "",
        gettext(
            "Places whose people could change sides with a small move of the line: cities and towns whose point lies within "
            "%(distance)s of it, and hromadas it cuts (at least %(area)s of their land on each side). The model puts a town's "
            "people at its point, so a figure jumps when the line passes one. Population: official estimate of 1 January 2022 "
            "(table 5 for towns, table 6 for hromadas); distances in km in an equal-area projection."
        )
        % {"distance": unit_text(threshold, "km", places=_places(threshold)), "area": unit_text(CUT_MIN_KM2, "km2", places=_places(CUT_MIN_KM2))},
        "",
    ]
    if found["towns"]:
        lines += [
            "| "
            + " | ".join(
                gettext(head)
                for head in (
                    N_("City or town"),
                    N_("Region"),
                    N_("Hromada"),
                    N_("Population on 1 January 2022"),
                    N_("Distance to the line"),
                    N_("Side on the date"),
                    N_("Status"),
                )
            )
            + " |",
            "| --- | --- | --- | ---: | ---: | --- | --- |",
        ]
        lines += [
            f"| {place_name(t['name_en'], t['name'])} | {t['region']} | {escape_markdown(t['hromada'])} | "
            f"{number_text(t['population_2022'])} | {unit_text(t['distance_km'], 'km', places=1)} | "
            f"{control_text(t['control']) if t['control'] else ''} | {status_text(t['status']) if t['status'] else ''} |"
            for t in found["towns"]
        ]
        lines.append("")
    if found["hromadas"]:
        lines += [
            "| "
            + " | ".join(
                gettext(head) for head in (N_("Hromada the line cuts"), N_("Region"), N_("Population on 1 January 2022"), N_("Occupied share of its land"))
            )
            + " |",
            "| --- | --- | ---: | ---: |",
        ]
        lines += [
            f"| {place_name(h['hromada_en'], h['hromada'])} | {h['region']} | {number_text(h['population_2022'])} | {percent_text(h['occupied_land_pct'])} |"
            for h in found["hromadas"]
        ]
        lines.append("")
    if not found["towns"] and not found["hromadas"]:
        lines += [gettext("No city, town or hromada lies on the line."), ""]
    return lines
