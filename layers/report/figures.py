"""The statistics report of a plan on a date: area and 2022 population per region and status.

The report is a plain dict that follows the JSON contract in docs/reference/outputs.md ("Report"); the
Markdown and CSV renderings (layers.report.render) are built from it, so all three agree.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, TypedDict, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from peacemap._version import __version__
from peacemap.layers.control import HELD, OCCUPIED
from peacemap.layers.control.split import unit_regions
from peacemap.layers.i18n.catalogue import N_, gettext
from peacemap.layers.i18n.language import ENGLISH, current_language
from peacemap.layers.i18n.names import region_name
from peacemap.layers.i18n.source_names import control_attribution_text, control_label_text, source_text
from peacemap.layers.plans.apply import PlanLayers, attribution
from peacemap.layers.plans.model import Plan
from peacemap.layers.plans.statuses import Kind, Recognition, Side, Status, Withdrawal, meaning_of
from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL, FIVE_REGIONS, LAND_MASK_SNAPSHOT, regions_sources_note
from peacemap.layers.report.contract import (
    ControlPart,
    Figures,
    Headline,
    LineSensitivity,
    PlanOriginEntry,
    RegionEntry,
    Report,
    SnapshotAge,
    SourceEntry,
    StatusPlaces,
    StatusTotals,
    ZoneEntry,
    figures_of,
)
from peacemap.layers.report.crimea_projection import add_projections, recognised_with_projection
from peacemap.layers.report.measures import Measure
from peacemap.layers.report.pieces import (
    PIECE_KEYS,
    POPULATION_COLUMNS,
    Pieces,
    Record,
    ZonePopulation,
    available,
    persons_of,
    piece_key,
)
from peacemap.layers.report.pieces import area_km2 as area_km2_of
from peacemap.layers.report.readings import plan_readings
from peacemap.layers.sources import registry
from peacemap.layers.sources.control_map import ControlSnapshot

if TYPE_CHECKING:
    from peacemap.layers.population.own import OwnPopulation

POPULATION_NOTE = N_(
    "Population: present population on 1 January 2022, State Statistics Service of Ukraine, spread over space "
    "by peacemap's hromada model (docs/method/population.md); the people who lived there before the full-scale "
    "invasion, not the population on the date of the line. Not available for AR Crimea and Sevastopol, which "
    "the official 2022 table does not cover."
)


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


def build_report(
    layers: PlanLayers, zone_population: ZonePopulation | None, *, places: list[StatusPlaces] | None = None, line_sensitivity: LineSensitivity | None = None
) -> Report:
    """The report of ``layers``; ``zone_population`` estimates 2022 population of zones that
    tile their regions (layers.population.zone_population), or None for areas only; with
    ``places`` (:func:`peacemap.layers.report.places.report_places`) and ``line_sensitivity``
    (:func:`peacemap.layers.report.sensitivity.line_sensitivity`), the report's "places" and
    "line_sensitivity".

    Every figure is a sum over the plan's pieces (region, status and control on the date;
    :mod:`peacemap.layers.report.pieces`), so a region wholly under one status gets exactly its
    official total and the parts of every measure add up to it; bands are computed on each
    figure's land as a whole. Areas are geodesic km²; shares are percent of the region's and of
    Ukraine's land area (sum of the 27 units); population figures are persons on 1 January 2022
    (None where not available).
    """
    pieces = plan_pieces(layers, zone_population)
    units = unit_regions(layers.regions)
    ukraine_km2 = float(units["area_km2"].sum())
    region_rows = [_region_entry(row.code, row.name, row.area_km2, row.official_area_km2, pieces, (row.code,), ukraine_km2) for row in units.itertuples()]
    crimea = layers.regions.set_index("code").loc[CRIMEA_WITH_SEVASTOPOL]
    crimea_entry = _region_entry(
        CRIMEA_WITH_SEVASTOPOL, crimea["name"], crimea["area_km2"], crimea["official_area_km2"], pieces, tuple(CRIMEA_WITH_SEVASTOPOL.split("+")), ukraine_km2
    )
    crimea_entry["combined"] = True  # repeats AR Crimea and Sevastopol: not counted in the totals
    regions = add_projections([*_ordered(region_rows), crimea_entry])
    headline = _headline(pieces, pieces.records)
    report: Report = {
        "plan": layers.plan.id,
        "plan_origin": plan_origin_entry(layers.plan),
        "plan_title": layers.plan.title_text(),
        "options": list(layers.plan.enabled_options),
        "date": layers.control.as_of.isoformat() if layers.control.as_of else None,
        "control_snapshot": control_label_text(layers.control.label),
        "sources": report_sources(layers),
        "ukraine_area_km2": round(ukraine_km2, 1),
        "regions": regions,
        "totals": _totals(pieces, ukraine_km2),
        "headline": headline,
        "readings": plan_readings(layers.plan),
        "notes": {"area": regions_sources_note(), "population": gettext(POPULATION_NOTE), "attribution": attribution(layers.control)},
        "peacemap_version": __version__,
    }
    if layers.plan.text_note():
        report["plan_text_note"] = layers.plan.text_note()
    if layers.snapshot_age is not None:
        report["snapshot_age"] = cast(SnapshotAge, dict(layers.snapshot_age))
    with_projection = recognised_with_projection(regions, headline)
    if with_projection is not None:
        report["recognised_with_crimea_projection"] = with_projection
    if places is not None:
        report["places"] = places
    if line_sensitivity is not None:
        report["line_sensitivity"] = line_sensitivity
    return report


def plan_headline(layers: PlanLayers, zone_population: ZonePopulation | None) -> Headline:
    """The report's headline of ``layers`` alone (what :func:`build_report` puts under
    ``"headline"``), without the per-region tables: for measuring a plan on many dates."""
    return headline_of(plan_pieces(layers, zone_population))


def headline_of(pieces: Pieces) -> Headline:
    """The headline of all of ``pieces`` (a plan's pieces on one date, with their population)."""
    return _headline(pieces, pieces.records)


def plan_pieces(layers: PlanLayers, zone_population: ZonePopulation | None) -> Pieces:
    """The zones of ``layers`` merged by region, status and control, with their population."""
    zones = zones_with_population(dissolved(layers.zones, PIECE_KEYS), zone_population)
    geometries = {piece_key(row): geometry for row, geometry in zip(_records(zones), zones.geometry.values, strict=True)}
    return Pieces(records=_records(zones), geometries=geometries, zone_population=zone_population)


def _records(zones: gpd.GeoDataFrame) -> list[Record]:
    # Once population is estimated the figures need no geometry: plain records, a few per
    # region, are filtered far faster than data frames.
    return zones.drop(columns="geometry").to_dict("records")


def _ordered(rows: list[RegionEntry]) -> list[RegionEntry]:
    """The plans' five regions first, then the others by code."""
    first = [code for code in FIVE_REGIONS if code != CRIMEA_WITH_SEVASTOPOL] + CRIMEA_WITH_SEVASTOPOL.split("+")
    return sorted(rows, key=lambda row: (first.index(row["code"]) if row["code"] in first else len(first), row["code"]))


def _region_entry(code: str, name: str, area_km2: float, official_km2: float, pieces: Pieces, units: tuple[str, ...], ukraine_km2: float) -> RegionEntry:
    """One region (or several ``units`` shown as one): its zones by status and its headline."""
    mine = pieces.of(*units)
    statuses = [status for status in Status if any(piece["status"] == status for piece in mine)]
    entries = [_zone_entry(status, [p for p in mine if p["status"] == status], pieces, area_km2, ukraine_km2) for status in statuses]
    persons = pieces.persons(mine)
    return {
        "code": code,
        "name": name if current_language() == ENGLISH else region_name(code),
        "area_km2": round(float(area_km2), 1),
        "official_area_km2": None if official_km2 != official_km2 else float(official_km2),
        "population_2022": persons[0] if persons else None,
        "combined": False,
        "zones": entries,
        "headline": _headline(pieces, mine),
    }


def _zone_entry(status: Status, group: list[Record], pieces: Pieces, area_km2: float, ukraine_km2: float) -> ZoneEntry:
    held_km2 = area_km2_of(p for p in group if p["control"] == HELD)
    zone_km2 = area_km2_of(group)
    persons = pieces.persons(group)
    return {
        "status": status,
        "side_after": Side(group[0]["side_after"]),
        "recognition": Recognition(group[0]["recognition"]),
        "recognised_by": "; ".join(sorted({part for z in group for part in z["recognised_by"].split("; ") if part})),
        "area_km2": round(zone_km2, 1),
        "share_of_region_pct": round(100 * zone_km2 / area_km2, 2),
        "share_of_ukraine_pct": round(100 * zone_km2 / ukraine_km2, 3),
        "held_area_km2": round(held_km2, 1),
        "population_2022": persons[0] if persons else None,
        "population_2022_low": persons[1] if persons else None,
        "population_2022_high": persons[2] if persons else None,
        "provisions": sorted({p for z in group for p in z["provision"].split(",") if p}),
        "by_control": [
            _control_part(control, part, pieces, area_km2, ukraine_km2)
            for control in (HELD, OCCUPIED)
            if (part := [p for p in group if p["control"] == control])
        ],
    }


def _control_part(control: str, part: list[Record], pieces: Pieces, region_km2: float, ukraine_km2: float) -> ControlPart:
    persons = pieces.persons(part)
    part_km2 = area_km2_of(part)
    return {
        "control": control,
        "area_km2": round(part_km2, 1),
        "share_of_region_pct": round(100 * part_km2 / region_km2, 2),
        "share_of_ukraine_pct": round(100 * part_km2 / ukraine_km2, 3),
        "population_2022": persons[0] if persons else None,
        "population_2022_low": persons[1] if persons else None,
        "population_2022_high": persons[2] if persons else None,
    }


def _totals(pieces: Pieces, ukraine_km2: float) -> dict[Status, StatusTotals]:
    totals: dict[Status, StatusTotals] = {}
    for status in Status:
        group = [record for record in pieces.records if record["status"] == status]
        if not group:
            continue
        with_figure = available(group)
        low, high = pieces.band(with_figure)
        totals[status] = {
            "area_km2": round(area_km2_of(group), 1),
            "share_of_ukraine_pct": round(100 * area_km2_of(group) / ukraine_km2, 3),
            "population_2022": persons_of(with_figure) if with_figure else None,
            "population_2022_low": low if with_figure else None,
            "population_2022_high": high if with_figure else None,
            "population_excludes": sorted({r["region"] for r in group} - {r["region"] for r in with_figure}),
        }
    return totals


def _russian(record: Record) -> bool:
    return bool(record["side_after"] == Side.RUSSIAN)


def _both_withdraw(record: Record) -> bool:
    return bool(record["kind"] == Kind.DEMILITARISED and record["withdraws"] == Withdrawal.BOTH)


# Which pieces each headline measure counts (docs/method/readings.md; the labels are in
# layers.report.measures). The parts of a measure select disjoint subsets of its pieces that
# together are all of them.
SELECTIONS: dict[Measure, Callable[[Record], bool]] = {
    Measure.RUSSIAN_SIDE: _russian,
    Measure.RUSSIAN_SIDE_DE_JURE: lambda r: _russian(r) and r["recognition"] == Recognition.DE_JURE,
    Measure.RUSSIAN_SIDE_DE_FACTO: lambda r: _russian(r) and r["recognition"] == Recognition.DE_FACTO and r["kind"] != Kind.FROZEN,
    Measure.RUSSIAN_SIDE_FROZEN_DE_FACTO: lambda r: _russian(r) and r["recognition"] == Recognition.DE_FACTO and r["kind"] == Kind.FROZEN,
    Measure.RUSSIAN_SIDE_NOT_RECOGNISED: lambda r: _russian(r) and r["recognition"] == Recognition.NONE,
    Measure.RUSSIAN_SIDE_NOT_ADDRESSED: lambda r: _russian(r) and r["recognition"] == Recognition.NOT_ADDRESSED,
    Measure.UNDER_RUSSIAN_FORCES: lambda r: _russian(r) and r["kind"] != Kind.DEMILITARISED,
    Measure.CEDED: lambda r: _russian(r) and r["control"] == HELD,
    Measure.CEDED_DEMILITARISED: lambda r: _russian(r) and r["control"] == HELD and r["kind"] == Kind.DEMILITARISED,
    Measure.CEDED_TO_RUSSIAN_FORCES: lambda r: _russian(r) and r["control"] == HELD and r["kind"] != Kind.DEMILITARISED,
    Measure.BOTH_WITHDRAW: _both_withdraw,
    Measure.BOTH_WITHDRAW_HELD: lambda r: _both_withdraw(r) and r["control"] == HELD,
    Measure.BOTH_WITHDRAW_OCCUPIED: lambda r: _both_withdraw(r) and r["control"] == OCCUPIED,
    Measure.RETURNED: lambda r: r["control"] == OCCUPIED and r["side_after"] == Side.UKRAINIAN,
    Measure.FROZEN_UKRAINIAN_SIDE: lambda r: r["kind"] == Kind.FROZEN and r["side_after"] == Side.UKRAINIAN,
}


def _headline(pieces: Pieces, records: list[Record]) -> Headline:
    """The figures a reader wants first (docs/method/readings.md), over ``records`` (some of ``pieces``)."""
    return cast(Headline, {str(measure): _figures(pieces, [r for r in records if SELECTIONS[measure](r)]) for measure in Measure})


def _figures(pieces: Pieces, group: list[Record]) -> Figures:
    with_figure = available(group)
    low, high = pieces.band(with_figure)
    return {
        "area_km2": round(area_km2_of(group), 1),
        "population_2022": persons_of(with_figure),
        "population_2022_low": low,
        "population_2022_high": high,
        "population_excludes": sorted({r["region"] for r in group} - {r["region"] for r in with_figure}),
        "regions": sorted({r["region"] for r in group}),
    }


def plan_origin_entry(plan: Plan) -> PlanOriginEntry:
    """Where ``plan`` was read from, as the report's ``plan_origin``."""
    origin = plan.origin
    return {
        "kind": origin.kind,
        "file": origin.file,
        "sha256": origin.sha256,
        "peacemap_version": origin.peacemap_version,
        "same_id_as_shipped": origin.same_id_as_shipped,
        "text": plan.origin_text(),
    }


def report_sources(layers: PlanLayers) -> list[SourceEntry]:
    """Every source behind the report's figures, with licence, the date it stands for and, for
    the control map, the sha256 of the file it was read from, its layer and condition."""
    sources: list[SourceEntry] = [{"id": "plan", "name": layers.plan.source_line(), "date": layers.plan.text_date()}]
    sources.append(control_source_entry(layers.control, "control"))
    for source_id, date in (
        ("admin1-geoboundaries", None),
        ("admin1-naturalearth", None),
        (registry.deepstate_source(LAND_MASK_SNAPSHOT).id, LAND_MASK_SNAPSHOT.isoformat()),
        ("population-ukrstat-2022", "2022-01-01"),
        ("hromadas-kse", "2022"),
        ("hromadas-opora-2020", "2020"),
        ("population-ocha-cod-ps-2020", "2020-01-01"),
    ):
        source = registry.get_source(source_id)
        sources.append(
            {
                "id": source.id,
                "name": source_text(source.upstream),
                "attribution": source_text(source.attribution),
                "license": source_text(source.license),
                "url": source.url,
                "date": date,
            }
        )
    return sources


def control_source_entry(control: ControlSnapshot, source_id: str) -> SourceEntry:
    """A map of control as a source: its label, attribution, the sha256 of the file read, the
    layer and OGR SQL condition chosen in it, and the date it stands for (vouched for by the
    user, for a control file)."""
    entry = {"id": source_id, "name": control_label_text(control.label), "attribution": control_attribution_text(control.attribution)}
    entry.update({key: value for key, value in (("sha256", control.sha256), ("layer", control.layer), ("where", control.where)) if value})
    return cast(SourceEntry, {**entry, "date": control.as_of.isoformat() if control.as_of else None})


# --- a population of the user's own, beside the official one -------------------------------------

OWN_KEYS = ("population_own", "population_own_low", "population_own_high")


def add_own_population(report: Report, layers: PlanLayers, own: OwnPopulation) -> Report:
    """``report`` with a second population beside the 1 January 2022 one: ``population_own`` (with
    its band and ``population_own_excludes``) under every figure, zone, piece and status, computed
    as the official figures are (a sum over the plan's pieces; bands on each figure's land), and
    ``population_own_source`` naming the file, its label, date and sha256."""
    pieces = own_pieces(layers, own)
    for region in report["regions"]:
        mine = pieces.of(*region["code"].split("+"))
        persons = pieces.persons(mine)
        region["population_own"] = persons[0] if persons else None
        for zone in region["zones"]:
            group = [p for p in mine if p["status"] == zone["status"]]
            zone.update(_own_persons(pieces, group))  # type: ignore[typeddict-item]
            for part in zone["by_control"]:
                part.update(_own_persons(pieces, [p for p in group if p["control"] == part["control"]]))  # type: ignore[typeddict-item]
        for measure in Measure:
            figures_of(region["headline"], measure).update(_own_figures(pieces, [r for r in mine if SELECTIONS[measure](r)]))
    for measure in Measure:
        figures_of(report["headline"], measure).update(_own_figures(pieces, [r for r in pieces.records if SELECTIONS[measure](r)]))
    for status, totals in report["totals"].items():
        totals.update(_own_figures(pieces, [r for r in pieces.records if r["status"] == status]))
    report["population_own_source"] = own_source(own)  # type: ignore[typeddict-item]
    report["sources"].append(
        {
            "id": "population-own",
            "name": gettext("%(label)s: user-supplied population file %(file)s") % {"label": own.label, "file": own.file.name},
            "sha256": own.file.sha256,
            "date": own.date.isoformat(),
        }
    )
    return report


def own_pieces(layers: PlanLayers, own: OwnPopulation) -> Pieces:
    """The plan's pieces with the user's population in the population columns."""
    zones = dissolved(layers.zones, PIECE_KEYS)
    populated = zones_with_population(zones, own.zone_population)
    geometries = {piece_key(row): geometry for row, geometry in zip(_records(populated), populated.geometry.values, strict=True)}
    return Pieces(records=_records(populated), geometries=geometries, zone_population=own.zone_population, exact=own.exact)


def _own_persons(pieces: Pieces, group: list[Record]) -> dict[str, int | None]:
    persons = pieces.persons(group)
    return dict(zip(OWN_KEYS, persons if persons else (None, None, None)))


class _OwnFigures(TypedDict):
    """The user's population of a figure (``--population``), as the 2022 figure's keys name it."""

    population_own: int
    population_own_low: int
    population_own_high: int
    population_own_excludes: list[str]


def _own_figures(pieces: Pieces, group: list[Record]) -> _OwnFigures:
    figures = _figures(pieces, group)
    return {
        "population_own": figures["population_2022"],
        "population_own_low": figures["population_2022_low"],
        "population_own_high": figures["population_2022_high"],
        "population_own_excludes": figures["population_excludes"],
    }


def own_source(own: OwnPopulation) -> dict:
    """``population_own_source``: what the second population is, whose, as of when, how placed."""
    return {
        "label": own.label,
        "date": own.date.isoformat(),
        "kind": own.file.kind,
        "file": own.file.name,
        "sha256": own.file.sha256,
        "count_field": own.file.count_field,
        "crs": own.file.crs or None,
        "regions": list(own.regions),
        "total": int(round(own.count_total)),
        "method": own.method,
        "band": "none: exact sums" if own.exact else "the population model's",
        "notes": list(own.notes),
    }
