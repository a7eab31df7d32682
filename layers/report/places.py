"""Who lives in each zone of a plan: the hromadas with land in it and the cities and towns in it.

``peacemap places`` (:func:`build_places`) lists, per status and region, every hromada with land
in the zone (its km² there, the share of its land, and the people of 1 January 2022 the
population model puts there; a hromada's rows add up to its official figure and the rows of a
zone to the report's figure for that zone), and every city and town of table 5 whose point lies
in it, with its official 2022 population. The report carries the largest of those towns per
status (:func:`report_places`, the "Places" section of ``report.md``), and maps and layer files
the hromada territories (:func:`hromada_layer`).

Zones are the plan's zones merged by region, status and control on the date, exactly as the
report's pieces, so that the figures agree. Areas are geodesic km² (EPSG:4326 geometries).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from peacemap.geo.area import geodesic_area_km2
from peacemap.geo.population import point_zones
from peacemap.layers.control import HELD
from peacemap.layers.i18n import language
from peacemap.layers.i18n.catalogue import N_, count_text, gettext
from peacemap.layers.i18n.dates import iso_date_text
from peacemap.layers.i18n.numbers import number_text, percent_text
from peacemap.layers.i18n.source_names import control_label_text, source_text
from peacemap.layers.plans.apply import PlanLayers
from peacemap.layers.plans.statuses import Status
from peacemap.layers.regions import CRIMEA, CRIMEA_WITH_SEVASTOPOL, PLAN_UNITS, SEVASTOPOL
from peacemap.layers.report.contract import HromadaPlace, Places, SettlementPlace, StatusPlaces
from peacemap.layers.report.format import NOT_AVAILABLE, NOT_COVERED, escape_markdown
from peacemap.layers.report.pieces import PIECE_KEYS
from peacemap.layers.report.terms import control_text, status_text

if TYPE_CHECKING:
    from peacemap.layers.population.model import PopulationModel
    from peacemap.layers.population.own import OwnPopulation
    from peacemap.layers.population.territories import Territories


@dataclass(frozen=True)
class PlaceStatements:
    """The latest official statement of each hromada (by label in ``Territories.frame``) and each
    city or town (by label in the located settlements), and how they were chosen (``StatementsBeside``
    without ``cited``)."""

    hromadas: Mapping[int, Any]
    towns: Mapping[int, Any]
    note: Mapping[str, Any]


logger = logging.getLogger(__name__)

# Land under this (km²) in a zone is a drawing difference between the zone's and the territory's
# sources, not land of the hromada in the zone: such rows are left out unless people are there.
MIN_LAND_KM2 = 0.01
# Towns per status in the report's "Places" section.
LARGEST_PER_STATUS = 5


def zones_by_piece(layers: PlanLayers) -> gpd.GeoDataFrame:
    """The plan's zones merged by region, status and control (the report's pieces), EPSG:4326."""
    merged = layers.zones.dissolve(by=PIECE_KEYS, as_index=False)
    return merged[[*PIECE_KEYS, "geometry"]]


def hromada_shares(zones: gpd.GeoDataFrame, territories: gpd.GeoDataFrame, *, min_km2: float = MIN_LAND_KM2) -> pd.DataFrame:
    """Land of each territory in each zone of its region.

    Parameters
    ----------
    zones
        ``region``, ``status`` and polygons (EPSG:4326) tiling each region.
    territories
        ``Territories.frame`` (:mod:`peacemap.layers.population.territories`).

    Returns
    -------
    DataFrame
        One row per zone and territory with at least ``min_km2`` of land in it: ``zone`` (index
        label in ``zones``), ``territory`` (row position in ``territories``), ``area_km2``
        (geodesic), ``share_of_hromada_pct`` (of the territory's land).
    """
    rows = []
    for code, members in zones.groupby("region", sort=True):
        in_region = np.flatnonzero(territories["region"].isin(str(code).split("+")).to_numpy())
        mine = territories.iloc[in_region]
        if mine.empty:
            continue
        geometries = mine.geometry.to_numpy()
        zone_index, territory_index = shapely.STRtree(geometries).query(members.geometry.to_numpy(), predicate="intersects")
        area = mine["area_km2"].to_numpy(float)[territory_index]
        shared = np.bincount(territory_index, minlength=len(mine))[territory_index] > 1  # only these are cut
        for k in np.flatnonzero(shared):
            zone = members.geometry.iloc[zone_index[k]]
            territory = geometries[territory_index[k]]
            area[k] = geodesic_area_km2(shapely.intersection(territory, shapely.clip_by_rect(zone, *territory.bounds)))
        rows.append(
            pd.DataFrame(
                {
                    "zone": members.index.to_numpy()[zone_index],
                    "territory": in_region[territory_index],
                    "area_km2": area,
                    "share_of_hromada_pct": 100.0 * area / mine["area_km2"].to_numpy(float)[territory_index],
                }
            )
        )
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["zone", "territory", "area_km2", "share_of_hromada_pct"])
    return table[table["area_km2"] >= min_km2].reset_index(drop=True)


def settlement_zones(zones: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame) -> pd.Series:
    """The zone (index label in ``zones``) of each located settlement, among the zones of its
    region (the nearest one for a point just off the zones, as the population model does)."""
    found = pd.Series(pd.NA, index=settlements.index, dtype=object)
    for code, members in zones.groupby("region", sort=True):
        mine = settlements[settlements["region"].isin(str(code).split("+")) & ~settlements.geometry.is_empty]
        if mine.empty:
            continue
        index = point_zones(mine.geometry.to_numpy(), members.geometry.to_numpy())
        found[mine.index] = members.index.to_numpy()[index]
    return found


def build_places(
    layers: PlanLayers,
    model: PopulationModel,
    territories: Territories,
    *,
    status: str | None = None,
    region: str | None = None,
    statements: PlaceStatements | None = None,
    own: OwnPopulation | None = None,
) -> Places:
    """Every hromada with land in each zone (region, status, control) of ``layers`` and every city
    and town in it.

    Parameters
    ----------
    layers
        A plan's layers (:func:`peacemap.pipeline.plan_layers`).
    model
        :class:`peacemap.layers.population.model.PopulationModel`.
    territories
        :class:`peacemap.layers.population.territories.Territories`.
    status, region
        Only this status (a :class:`Status`) and/or region (ISO 3166-2; ``UA-43+UA-40`` for both
        Crimean units); figures are computed on all zones first, so they are those of the report.
    statements
        The latest official statement of each hromada and city that has one (by label in
        ``territories.frame`` and in ``model.settlements``;
        :func:`peacemap.layers.report.beside.place_statements`), with how they were chosen: each
        row then carries its hromada's or city's (``statement``, null where it has none).
    own
        The user's population (:class:`peacemap.layers.population.own.OwnPopulation`): each hromada
        row then carries its part of it (``population_own``; the rows of a zone add up to the
        report's figure for the zone; null where the file does not cover the region).

    Returns
    -------
    Places
        The contract in docs/reference/outputs.md ("Places"): persons of 1 January 2022, km² to 0.1, shares in
        percent to 0.1. AR Crimea and Sevastopol are region-level units with no official 2022
        figure (``population_2022`` null).
    """
    from peacemap.layers.population.model import hromada_population
    from peacemap.layers.report.figures import report_sources
    from peacemap.layers.report.readings import plan_readings

    zones = zones_by_piece(layers)
    frame = territories.frame
    shares = hromada_shares(zones, frame, min_km2=0.0)
    people = hromada_population(zones, model).set_index(["zone", "hromada"])["population_2022"]
    hromadas = [
        _hromada_place(zones.loc[row.zone], frame.iloc[row.territory], frame.index[row.territory], row, people) for row in shares.itertuples(index=False)
    ]
    if statements is not None:
        for place, row in zip(hromadas, shares.itertuples(index=False)):
            place["statement"] = statements.hromadas.get(frame.index[row.territory])
    if own is not None:
        _add_own(hromadas, shares, zones, frame, own)
    # A sliver of land under MIN_LAND_KM2 is listed only if the model puts people there.
    hromadas = [h for h in hromadas if h["area_km2"] >= MIN_LAND_KM2 or h["population_2022"] or h.get("population_own")]
    settlements = _settlement_places(zones, model.settlements, frame, statements.towns if statements is not None else None)
    keep = _wanted(status, region)
    result: Places = {
        "plan": layers.plan.id,
        "date": layers.control.as_of.isoformat() if layers.control.as_of else None,
        "control_snapshot": control_label_text(layers.control.label),
        "sources": report_sources(layers),
        "readings": plan_readings(layers.plan),
    }  # type: ignore[typeddict-item]  # the lists follow, after the snapshot's age
    if layers.snapshot_age is not None:
        result["snapshot_age"] = layers.snapshot_age  # type: ignore[typeddict-item]
    if own is not None:
        from peacemap.layers.report.figures import own_source

        result["population_own_source"] = own_source(own)  # type: ignore[typeddict-item]
    if layers.plan.text_note():
        result["plan_text_note"] = layers.plan.text_note()
    if statements is not None:
        used = {s["id"]: s for s in [*statements.hromadas.values(), *statements.towns.values()]}
        result["statements_beside"] = {**statements.note, "cited": dict(sorted(used.items()))}  # type: ignore[typeddict-item]
    result["hromadas"] = sorted(filter(keep, hromadas), key=_hromada_order)
    result["settlements"] = sorted(filter(keep, settlements), key=_settlement_order)
    return result


def _add_own(hromadas: list[HromadaPlace], shares: pd.DataFrame, zones: gpd.GeoDataFrame, frame: gpd.GeoDataFrame, own: OwnPopulation) -> None:
    """Each hromada row's part of the user's population (null where its region is not covered)."""
    from peacemap.layers.population.model import hromada_population
    from peacemap.layers.population.own import hromada_parts

    parts = hromada_parts(own, zones, frame, hromada_population).set_index(["zone", "hromada"])["population_own"]
    found = parts.to_dict()
    for place, row in zip(hromadas, shares.itertuples(index=False)):
        covered = place["region"] in own.regions
        place["population_own"] = int(found.get((row.zone, frame.index[row.territory]), 0)) if covered else None


def _hromada_place(zone: pd.Series, territory: pd.Series, hromada: int, share: Any, people: pd.Series) -> HromadaPlace:  # a row of the shares (namedtuple)
    available = hromada >= 0 and not pd.isna(territory["population"])
    persons = int(people.get((share.zone, hromada), 0)) if available else None
    return {
        "status": zone["status"],
        "control": zone["control"],
        "region": territory["region"],
        "raion": territory["raion_uk"] if isinstance(territory["raion_uk"], str) else None,
        "hromada": territory["name_uk"],
        "hromada_en": territory["name_en"],
        "area_km2": round(float(share.area_km2), 1),
        "share_of_hromada_pct": round(float(min(share.share_of_hromada_pct, 100.0)), 1),
        "population_2022": persons,
    }


def _settlement_places(
    zones: gpd.GeoDataFrame, towns: gpd.GeoDataFrame, territories: gpd.GeoDataFrame, statements: Mapping[int, Any] | None = None
) -> list[SettlementPlace]:
    """Each located town of ``towns`` in its zone, with its hromada's name (from ``territories``)
    and, given ``statements`` (by label in ``towns``), its latest statement or None."""
    placed = settlement_zones(zones, towns)
    status_of, control_of = zones["status"].to_dict(), zones["control"].to_dict()
    # Plain dictionaries: looking up a thousand towns one by one in pandas took about a second.
    hromada_name = territories["name_uk"][~territories.index.duplicated()].to_dict()
    found: list[SettlementPlace] = []
    for zone, label, town in zip(placed, towns.index, towns.drop(columns="geometry").to_dict("records"), strict=True):
        if pd.isna(zone):
            continue
        place: SettlementPlace = {
            "status": status_of[zone],
            "control": control_of[zone],
            "region": town["region"],
            "hromada": hromada_name[town["hromada"]],
            "name": town["name_uk"],
            "name_en": town["name_en"],
            "population_2022": int(town["population"]),
        }
        if statements is not None:
            place["statement"] = statements.get(label)
        found.append(place)
    return found


def _wanted(status: str | None, region: str | None) -> Callable[[Mapping[str, Any]], bool]:
    regions = set(region.split("+")) if region else None

    def keep(entry: Mapping[str, Any]) -> bool:
        return (status is None or entry["status"] == status) and (regions is None or entry["region"] in regions)

    return keep


def _region_rank(code: str) -> tuple[int, str]:
    return (PLAN_UNITS.index(code) if code in PLAN_UNITS else len(PLAN_UNITS), code)


def _hromada_order(entry: HromadaPlace) -> tuple:
    return (
        list(Status).index(Status(entry["status"])),
        entry["control"] != HELD,
        _region_rank(entry["region"]),
        -(entry["population_2022"] or 0),
        entry["hromada"],
    )


def _settlement_order(entry: SettlementPlace) -> tuple:
    return (list(Status).index(Status(entry["status"])), entry["control"] != HELD, _region_rank(entry["region"]), -entry["population_2022"], entry["name"])


def places_records(places: Places) -> list[dict]:
    """One CSV row per hromada and per town (``level``), each naming the plan, the control
    snapshot and the plan's readings. The ``hromada`` rows of one status, control and region add
    up to the report's figure for that piece (a row of report.csv); a ``settlement`` row is a
    town inside a hromada already counted, never to be added to them."""
    from peacemap.layers.report.readings import readings_text

    base = {"plan": places["plan"], "control_snapshot": places["control_snapshot"], "date": places["date"]}
    notes = {"readings": readings_text(places["readings"])}
    with_statements = "statements_beside" in places
    source = places.get("population_own_source")

    def own_fields(entry: Mapping[str, Any] | None) -> dict[str, object]:
        if not source:
            return {}
        return {
            "population_own": entry.get("population_own") if entry else None,
            "population_own_label": source["label"],
            "population_own_date": source["date"],
            "population_own_sha256": source["sha256"],
        }

    rows: list[dict] = []
    for entry in places["hromadas"]:
        rows.append(
            {
                **base,
                "level": "hromada",
                "status": entry["status"],
                "status_label": status_text(entry["status"]),
                "control": entry["control"],
                "region": entry["region"],
                "raion": entry["raion"],
                "hromada": entry["hromada"],
                "hromada_en": entry["hromada_en"],
                "name": "",
                "name_en": "",
                "area_km2": entry["area_km2"],
                "share_of_hromada_pct": entry["share_of_hromada_pct"],
                "population_2022": entry["population_2022"],
                **own_fields(entry),
                **notes,
                **_statement_fields(entry, with_statements),
            }
        )
    for town in places["settlements"]:
        rows.append(
            {
                **base,
                "level": "settlement",
                "status": town["status"],
                "status_label": status_text(town["status"]),
                "control": town["control"],
                "region": town["region"],
                "raion": None,
                "hromada": town["hromada"],
                "hromada_en": "",
                "name": town["name"],
                "name_en": town["name_en"],
                "area_km2": None,
                "share_of_hromada_pct": None,
                "population_2022": town["population_2022"],
                **own_fields(None),
                **notes,
                **_statement_fields(town, with_statements),
            }
        )
    return rows


# The statement columns of the places CSV: of the whole hromada or city, never to be added to anything.
PLACE_STATEMENT_COLUMNS = (
    "statement",
    "statement_figure",
    "statement_kind",
    "statement_claim",
    "statement_date",
    "statement_as_of",
    "statement_by",
    "statement_url",
)


def _statement_fields(entry: Mapping[str, Any], wanted: bool) -> dict[str, object]:
    from peacemap.layers.report.beside import statement_text

    if not wanted:
        return {}
    statement = entry.get("statement")
    if statement is None:
        return dict.fromkeys(PLACE_STATEMENT_COLUMNS)
    return {
        "statement": statement_text(statement),
        "statement_figure": statement["figure"],
        "statement_kind": statement["kind"],
        "statement_claim": "true" if statement["claim"] else "false",
        "statement_date": statement["statement_date"],
        "statement_as_of": statement["as_of"],
        "statement_by": statement["body"],
        "statement_url": statement["url"],
    }


_CRIMEA_NOTE = N_(
    "AR Crimea and Sevastopol have no official 2022 figure; the COD-PS projection for 1 January 2020 "
    "(OCHA/UNFPA, from the 2001 census; not an official estimate, not in any total) is %(crimea)s and %(sevastopol)s."
)
_CRIMEA_NOTE_TOGETHER = N_(
    "AR Crimea and Sevastopol have no official 2022 figure; the COD-PS projection for 1 January 2020 "
    "(OCHA/UNFPA, from the 2001 census; not an official estimate, not in any total) is %(crimea)s and "
    "%(sevastopol)s (%(together)s together)."
)


def crimea_note(*, together: bool = False) -> str:
    """The COD-PS projections of AR Crimea and Sevastopol, which have no official 2022 figure
    (``together``: with their sum)."""
    from peacemap.layers.report.crimea_projection import projection_of

    def projected(code: str) -> str:
        value = projection_of(code)
        return gettext(NOT_AVAILABLE) if value is None else number_text(value)

    figures = {"crimea": projected(CRIMEA), "sevastopol": projected(SEVASTOPOL)}
    if together:
        return gettext(_CRIMEA_NOTE_TOGETHER) % {**figures, "together": projected(CRIMEA_WITH_SEVASTOPOL)}
    return gettext(_CRIMEA_NOTE) % figures


def places_markdown(places: Places) -> str:
    """The places as Markdown: one table of hromadas and one of towns per status and region."""
    from peacemap.layers.report.format import age_text, code_span, own_label
    from peacemap.layers.report.readings import readings_markdown

    lines = [
        "# " + gettext("Places: plan %(plan)s") % {"plan": code_span(places["plan"])},
        "",
        "*"
        + gettext(
            "Line of contact: %(snapshot)s · population: official estimate of 1 January 2022 (hromadas spread by "
            "peacemap's population model; towns as the table gives them)"
        )
        % {"snapshot": escape_markdown(places["control_snapshot"])}
        + "*",
        "",
        *([age_text(places["snapshot_age"]), ""] if places.get("snapshot_age") else []),
        *([escape_markdown(places["plan_text_note"]), ""] if places.get("plan_text_note") else []),
        gettext(
            "The hromada rows of one status, side on the date and region add up to that zone's figure in the report; "
            "the cities and towns lie in hromadas already counted."
        ),
        "",
    ]
    note = places.get("statements_beside")
    if note:
        lines += [
            "*"
            + gettext(
                "Latest official statement: of the whole hromada or city, made on or before %(date)s (peacemap's "
                "curated table, docs/method/statements.md); beside the 1 January 2022 figures, never part of them."
            )
            % {"date": iso_date_text(note["on_or_before"])}
            + "*",
            "",
        ]
    head, rule, cell = (" " + gettext("Latest official statement") + " |", " --- |", _statement_cell) if note else ("", "", lambda _: "")
    source = places.get("population_own_source")
    own_head, own_rule = (f" {escape_markdown(own_label(source))} |", " ---: |") if source else ("", "")

    def own_cell(entry: Mapping[str, Any]) -> str:
        if not source:
            return ""
        return f" {gettext(NOT_COVERED)} |" if entry.get("population_own") is None else f" {number_text(entry['population_own'])} |"

    for status in Status:
        hromadas = [h for h in places["hromadas"] if h["status"] == status]
        towns = [t for t in places["settlements"] if t["status"] == status]
        if not hromadas and not towns:
            continue
        counted = (
            count_text(len({(h["region"], h["hromada"]) for h in hromadas}), "%(count)s hromada", "%(count)s hromadas"),
            count_text(len(towns), "%(count)s city or town", "%(count)s cities and towns"),
        )
        lines += [
            f"## {status_text(status)}",
            "",
            f"{counted[0]}, {counted[1]}.",
            "",
            "| "
            + " | ".join(
                gettext(h)
                for h in (
                    N_("Region"),
                    N_("Side on the date"),
                    N_("Raion"),
                    N_("Hromada"),
                    N_("km² in zone"),
                    N_("Share of hromada"),
                    N_("Population on 1 January 2022"),
                )
            )
            + f" |{own_head}{head}",
            f"| --- | --- | --- | --- | ---: | ---: | ---: |{own_rule}{rule}",
        ]
        for h in hromadas:
            people = gettext(NOT_AVAILABLE) if h["population_2022"] is None else number_text(h["population_2022"])
            lines.append(
                f"| {h['region']} | {control_text(h['control'])} | {escape_markdown(h['raion'] or '–')} | "
                f"{place_name(h['hromada_en'], h['hromada'], ukrainian_first=True)} | {number_text(h['area_km2'], places=1)} | "
                f"{percent_text(h['share_of_hromada_pct'])} | {people} |{own_cell(h)}{cell(h)}"
            )
        if any(h["region"] in (CRIMEA, SEVASTOPOL) for h in hromadas):
            lines += ["", crimea_note()]
        if towns:
            lines += [
                "",
                "| "
                + " | ".join(gettext(h) for h in (N_("Region"), N_("Side on the date"), N_("Hromada"), N_("City or town"), N_("Population on 1 January 2022")))
                + f" |{head}",
                f"| --- | --- | --- | --- | ---: |{rule}",
            ]
            lines += [
                f"| {t['region']} | {control_text(t['control'])} | {escape_markdown(t['hromada'])} | "
                f"{place_name(t['name_en'], t['name'], ukrainian_first=True)} | {number_text(t['population_2022'])} |{cell(t)}"
                for t in towns
            ]
        lines.append("")
    if places["readings"]:
        lines += ["## " + gettext("Readings"), "", *readings_markdown(places["readings"]), ""]
    lines += ["## " + gettext("Sources"), ""]
    lines += [f"- {escape_markdown(s['name'])}" + (f": {escape_markdown(s['attribution'])}" if s.get("attribution") else "") for s in places["sources"]]
    return "\n".join(lines) + "\n"


def town_name(town: Mapping[str, Any]) -> str:
    """A town as a summary names it: ``Pokrovsk`` in English, ``Покровськ`` in Ukrainian."""
    return town["name"] if language.current_language() == language.UKRAINIAN else town["name_en"]


def place_name(name_en: str, name_uk: str, *, ukrainian_first: bool = False) -> str:
    """A town or hromada in a Markdown table: both spellings in English, as the tables give them
    (``Pokrovsk (Покровськ)``, or ``Покровськ (Pokrovsk)`` with ``ukrainian_first``), the
    Ukrainian one alone in Ukrainian (``Покровськ``); escaped."""
    if language.current_language() == language.UKRAINIAN:
        return escape_markdown(name_uk)
    first, second = (name_uk, name_en) if ukrainian_first else (name_en, name_uk)
    return f"{escape_markdown(first)} ({escape_markdown(second)})"


def _statement_cell(entry: Mapping[str, Any]) -> str:
    from peacemap.layers.report.beside import statement_text

    statement = entry.get("statement")
    return f" {statement_text(statement, markdown=True) if statement else '–'} |"


def report_places(layers: PlanLayers, settlements: gpd.GeoDataFrame, territories: gpd.GeoDataFrame, *, largest: int = LARGEST_PER_STATUS) -> list[StatusPlaces]:
    """The largest cities and towns of each status the plan gives land (not "ukrainian"), for the
    report: each status's number of towns and its ``largest`` most populous ones."""
    zones = zones_by_piece(layers)
    towns = _settlement_places(zones, settlements, territories)
    groups: list[StatusPlaces] = []
    for status in Status:
        mine = sorted((t for t in towns if t["status"] == status), key=lambda t: (-t["population_2022"], t["name"]))
        if status is not Status.UKRAINIAN and status in set(zones["status"]):
            groups.append(StatusPlaces(status=status, settlements_in_zone=len(mine), largest=mine[:largest]))
    return groups


def places_section(report: Mapping[str, Any]) -> list[str]:
    """The "Places" section of ``report.md`` (lines), from the report's ``places``; empty without them."""

    groups = report.get("places")
    if not groups:
        return []
    lines = [
        "## " + gettext("Places"),
        "",
        gettext("The largest cities and towns in each zone (official population on 1 January 2022, table 5); `peacemap places` lists every hromada and town."),
        "",
    ]
    for group in groups:
        towns = "; ".join(f"{escape_markdown(town_name(t))} ({t['region']}) {number_text(t['population_2022'])}" for t in group["largest"])
        count = count_text(group["settlements_in_zone"], "%(count)s city or town", "%(count)s cities and towns")
        lines.append(f"- **{status_text(group['status'])}** ({count})" + (f": {towns}" if towns else ""))
    regions = {entry["code"] for entry in report["regions"]}
    if {CRIMEA, SEVASTOPOL} <= regions:
        lines.append(f"- {crimea_note(together=True)}")
    return [*lines, ""]


def hromada_sources_note() -> str:
    """Where the hromada territories and their populations come from, with licences (one line)."""
    from peacemap.layers.sources import registry
    from peacemap.layers.sources.hromadas import OPORA_SOURCE
    from peacemap.layers.sources.population_tables import POPULATION_SOURCE

    territories, population = registry.get_source(OPORA_SOURCE), registry.get_source(POPULATION_SOURCE)
    return gettext(
        "Hromada territories: %(territories)s (%(license)s), clipped to the regions' land. Population on 1 January 2022: %(population)s, table 6."
    ) % {"territories": source_text(territories.attribution), "license": territories.license, "population": source_text(population.attribution)}


def hromada_layer(territories: gpd.GeoDataFrame, layers: PlanLayers | None = None) -> gpd.GeoDataFrame:
    """The hromada territories as a layer (EPSG:4326): ``region``, ``raion``, ``hromada``,
    ``hromada_en``, ``population_2022`` (official, persons; null for AR Crimea and Sevastopol),
    ``area_km2`` (geodesic), and, given a plan's ``layers``, ``zones``: the statuses of its land
    with their shares ("Demilitarised zone 70.8%; Recognised as Russian 29.2%")."""
    frame = territories[~territories.geometry.is_empty]
    layer = gpd.GeoDataFrame(
        {
            "region": frame["region"].to_numpy(),
            "raion": frame["raion_uk"].where(frame["raion_uk"].notna(), None).to_numpy(),
            "hromada": frame["name_uk"].to_numpy(),
            "hromada_en": frame["name_en"].to_numpy(),
            "population_2022": frame["population"].astype("Int64").to_numpy(),
            "area_km2": frame["area_km2"].round(3).to_numpy(),
        },
        geometry=frame.geometry.to_numpy(),
        crs=4326,
    )
    if layers is not None:
        zones = zones_by_piece(layers)
        shares = hromada_shares(zones, frame).sort_values(["territory", "share_of_hromada_pct"], ascending=[True, False])
        labels = zones.loc[shares["zone"], "status"].map(status_text).to_numpy()
        shares["text"] = labels + " " + shares["share_of_hromada_pct"].map(percent_text).to_numpy()
        texts: dict[int, list[str]] = {}  # each territory's shares, largest first (a groupby is slower)
        for territory, text in zip(shares["territory"].to_numpy(), shares["text"].to_numpy()):
            texts.setdefault(int(territory), []).append(text)
        layer["zones"] = ["; ".join(texts.get(i, ())) for i in range(len(frame))]
    regions, names = layer["region"].to_numpy(), layer["hromada"].to_numpy()  # plain arrays: .iloc per key is slow
    order = sorted(range(len(layer)), key=lambda i: (_region_rank(regions[i]), names[i]))
    return layer.iloc[order].reset_index(drop=True)
