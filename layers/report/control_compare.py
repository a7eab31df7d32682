"""Two maps of control side by side: occupied land under each, per region; the land only one of
them counts as occupied; and what a plan's headline becomes under each.

Both maps go through the same split into held and occupied land as every report
(``layers.control.split``): enclaves count as occupied, strips under 50 m change sides. The land
only A counts as occupied is A's occupied land minus B's, region by region, so that
``occupied A − occupied B = only A − only B`` in every region, and comparing B with A swaps the
columns exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import geopandas as gpd
import shapely

from peacemap.geo.area import geodesic_areas_km2
from peacemap.geo.clean import clean_polygon
from peacemap.layers.control import OCCUPIED
from peacemap.layers.control.split import unit_regions
from peacemap.layers.i18n.catalogue import N_, gettext, ngettext
from peacemap.layers.i18n.dates import iso_date_text
from peacemap.layers.i18n.names import region_label
from peacemap.layers.i18n.numbers import number_text, unit_text
from peacemap.layers.i18n.source_names import control_attribution_text, control_label_text
from peacemap.layers.plans.apply import ControlLayers, PlanLayers, apply_plan, build_control_layers
from peacemap.layers.plans.model import Plan
from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL, FIVE_REGIONS, regions_sources_note
from peacemap.layers.report.contract import (
    ComparedControlRegion,
    ControlComparison,
    ControlHeadline,
    ControlTotals,
    Figures,
    figures_of,
    figures_under_each,
)
from peacemap.layers.report.figures import POPULATION_NOTE, build_report, control_source_entry
from peacemap.layers.report.format import km2_text, people_text
from peacemap.layers.report.measures import CHANGE_SENTENCES, ControlMeasure, Measure
from peacemap.layers.report.pieces import ZonePopulation
from peacemap.layers.report.terms import measure_label
from peacemap.layers.sources.control_map import ControlSnapshot

# The plan's headline measures shown under each map (labels: layers.report.measures).
HEADLINE_MEASURES = (Measure.CEDED, Measure.CEDED_DEMILITARISED)
DISAGREEMENT_COLUMNS = ["region", "region_name", "area_km2", "geometry"]


@dataclass(frozen=True)
class ControlComparisonResult:
    """A comparison of two maps of control A and B: the document (JSON contract
    ``ControlComparison``) and the geometry behind it, for maps (all EPSG:4326).

    Attributes
    ----------
    document
        The figures, as written to JSON.
    sides
        The plan applied on A and on B (zones, line of contact, regions).
    occupied
        The occupied land of every unit region under A and under B (``region``,
        ``region_name``, ``area_km2``, geometry; indexed by region code).
    only
        Per region, the land only A (first) and only B (second) counts as occupied: columns
        ``region``, ``region_name``, ``area_km2`` (geodesic), geometry; regions without any left out.
    """

    document: ControlComparison
    sides: tuple[PlanLayers, PlanLayers]
    occupied: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]
    only: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]


def compare_controls(
    plan: Plan,
    a: ControlSnapshot,
    b: ControlSnapshot,
    zone_population: ZonePopulation | None,
    *,
    regions: gpd.GeoDataFrame | None = None,
    date: str | None = None,
) -> ControlComparisonResult:
    """Compare the maps of control ``a`` and ``b`` region by region, and ``plan``'s headline under each.

    Parameters
    ----------
    plan
        The plan whose headline (land given up beyond the line of contact, demilitarised zone)
        is given under each map.
    a, b
        The two maps of control.
    zone_population
        Estimates the 2022 population of zones (``layers.population.model.zone_population``),
        or None for areas only (population figures then 0).
    regions
        Region land (``layers.regions.load_regions``); loaded when None.
    date
        The date asked for (ISO), recorded in the document.
    """
    control_a = build_control_layers(a, regions=regions)
    # The same map twice (a source compared with itself) is split and measured once.
    same = shapely.to_wkb(a.polygon) == shapely.to_wkb(b.polygon)
    control_b = control_a if same else build_control_layers(b, regions=control_a.regions)
    sides = (apply_plan(plan, control_a), apply_plan(plan, control_b))
    first = build_report(sides[0], zone_population)["headline"]
    headlines = (first, first if same else build_report(sides[1], zone_population)["headline"])
    rows, totals, only = _regions_compared(control_a, control_b)
    document: ControlComparison = {
        "date": date,
        "plan": plan.id,
        "sources": [control_source_entry(a, "a"), control_source_entry(b, "b")],
        "regions": rows,
        "totals": totals,
        "headline": cast(ControlHeadline, {measure: [figures_of(h, measure) for h in headlines] for measure in HEADLINE_MEASURES}),
        "notes": {
            "area": regions_sources_note(),
            "population": gettext(POPULATION_NOTE),
            "attribution": " ".join(
                (
                    gettext("Control: A, %(a_attribution)s (%(a_label)s); B, %(b_attribution)s (%(b_label)s).")
                    % {
                        "a_attribution": control_attribution_text(a.attribution),
                        "a_label": control_label_text(a.label),
                        "b_attribution": control_attribution_text(b.attribution),
                        "b_label": control_label_text(b.label),
                    },
                    gettext("Boundaries: geoBoundaries (Runfola et al. 2020), from OCHA COD-AB Ukraine, CC BY 4.0."),
                    gettext("Land: Made with Natural Earth; DeepStateMap coastline."),
                )
            ),
        },
    }
    occupied = (_occupied(control_a.zones), _occupied(control_b.zones))
    return ControlComparisonResult(document=document, sides=sides, occupied=occupied, only=only)


def _regions_compared(a: ControlLayers, b: ControlLayers) -> tuple[list[ComparedControlRegion], ControlTotals, tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]]:
    """Per unit region: occupied km² under each, and the land only A and only B count as occupied;
    the same over all regions (sums of unrounded figures)."""
    occupied_a, occupied_b = _occupied(a.zones), _occupied(b.zones)
    units = unit_regions(a.regions)
    codes = _ordered(list(units["code"]))
    names = dict(zip(units["code"], units["name"], strict=True))
    only_a = _differences(codes, names, occupied_a, occupied_b)
    only_b = _differences(codes, names, occupied_b, occupied_a)
    rows: list[ComparedControlRegion] = []
    for code in codes:
        rows.append(
            {
                "code": code,
                "name": region_label(code, names[code]),
                "occupied_km2": [round(_area(occupied_a, code), 1), round(_area(occupied_b, code), 1)],
                "only_a_km2": round(_area(only_a, code), 1),
                "only_b_km2": round(_area(only_b, code), 1),
            }
        )
    totals: ControlTotals = {
        "occupied_km2": [round(float(frame.loc[codes, "area_km2"].sum()), 1) for frame in (occupied_a, occupied_b)],
        "only_a_km2": round(float(only_a["area_km2"].sum()), 1),
        "only_b_km2": round(float(only_b["area_km2"].sum()), 1),
    }
    keep = [frame[frame["area_km2"] > 0].reset_index(drop=True) for frame in (only_a, only_b)]
    return rows, totals, (keep[0], keep[1])


def _occupied(zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The occupied zone of each region (one row per region), indexed by region code."""
    return zones[zones["control"] == OCCUPIED].set_index("region", drop=False)


def _differences(codes: Sequence[str], names: dict[str, str], first: gpd.GeoDataFrame, second: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Per region, ``first``'s occupied land minus ``second``'s."""
    geometries = [clean_polygon(shapely.difference(first.at[code, "geometry"], second.at[code, "geometry"])) for code in codes]
    frame = gpd.GeoDataFrame({"region": list(codes), "region_name": [names[c] for c in codes]}, geometry=geometries, crs=4326)
    frame["area_km2"] = geodesic_areas_km2(frame.geometry.values)
    return frame[DISAGREEMENT_COLUMNS].set_index("region", drop=False)


def _area(frame: gpd.GeoDataFrame, code: str) -> float:
    return float(frame.at[code, "area_km2"])


def _ordered(codes: list[str]) -> list[str]:
    """The plans' regions first (as in the report), then the others by code."""
    first = [code for code in FIVE_REGIONS if code != CRIMEA_WITH_SEVASTOPOL] + CRIMEA_WITH_SEVASTOPOL.split("+")
    return sorted(codes, key=lambda code: (first.index(code) if code in first else len(first), code))


# --- text renderings ------------------------------------------------------------------------------


def control_comparison_markdown(document: ControlComparison, *, plan_title: str = "") -> str:
    """The comparison as Markdown: the two sources, the plan's headline under each, occupied land
    and the land only one counts as occupied, by region."""
    from peacemap.layers.report.format import code_span, escape_markdown

    a, b = document["sources"]
    plan = code_span(document["plan"]) + (": " + escape_markdown(plan_title) if plan_title else "")
    lines = [
        "# " + comparison_title(document["date"]),
        "",
        f"- **A**: {escape_markdown(a['name'])}: {escape_markdown(a.get('attribution', ''))}",
        f"- **B**: {escape_markdown(b['name'])}: {escape_markdown(b.get('attribution', ''))}",
        "",
        "## " + gettext("The plan's headline under each (%(plan)s)") % {"plan": plan},
        "",
        "| | " + gettext("under A") + " | " + gettext("under B") + " | B − A |",
        "| --- | ---: | ---: | ---: |",
    ]
    for measure in HEADLINE_MEASURES:
        under_a, under_b = figures_under_each(document["headline"], measure)
        lines.append(f"| {measure_label(measure)} | {_figures_cell(under_a)} | {_figures_cell(under_b)} | {_change_cell(under_a, under_b)} |")
    changes = change_lines(document)
    lines += ["", *[escape_markdown(line) for line in changes]] if changes else []
    heads = (N_("Region"), N_("occupied, A"), N_("occupied, B"), N_("only A"), N_("only B"))
    lines += [
        "",
        "## " + gettext("Occupied land by region"),
        "",
        gettext("Land only A counts as occupied (only A) and only B counts as occupied (only B); occupied A − occupied B = only A − only B."),
        "",
        "| " + " | ".join(gettext(head) for head in heads) + " |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for region in document["regions"]:
        if not any(region["occupied_km2"]) and not region["only_a_km2"] and not region["only_b_km2"]:
            continue
        lines.append(
            f"| {escape_markdown(region['name'])} ({region['code']}) | {_km2(region['occupied_km2'][0])} | "
            f"{_km2(region['occupied_km2'][1])} | {_km2(region['only_a_km2'])} | {_km2(region['only_b_km2'])} |"
        )
    totals = document["totals"]
    lines.append(
        "| **" + gettext("All regions") + f"** | {_km2(totals['occupied_km2'][0])} | {_km2(totals['occupied_km2'][1])} | "
        f"{_km2(totals['only_a_km2'])} | {_km2(totals['only_b_km2'])} |"
    )
    lines += ["", gettext("Regions not listed have no occupied land under either map."), "", "## " + gettext("Sources and notes"), ""]
    for side, source in zip(("A", "B"), document["sources"], strict=True):
        facts = source_facts(source)
        date = ", " + gettext("as of %(date)s") % {"date": iso_date_text(source["date"])} if source.get("date") else ""
        lines.append(f"- {side}: {escape_markdown(source['name'])}{date}" + (f" ({escape_markdown('; '.join(facts))})" if facts else ""))
    notes = document["notes"]
    lines += [f"- {escape_markdown(note)}" for note in (notes["area"], notes["population"], notes["attribution"])]
    return "\n".join(lines) + "\n"


def comparison_title(date: str | None) -> str:
    """``Which control map? A and B compared on 2025-11-20`` (the date asked for, where there is one)."""
    if date:
        return gettext("Which control map? A and B compared on %(date)s") % {"date": iso_date_text(date)}
    return gettext("Which control map? A and B compared")


def source_facts(source: Mapping[str, Any]) -> list[str]:
    """Which file a map of control was read from, its layer and condition (as given)."""
    facts = [f"sha256 {source['sha256']}"] if source.get("sha256") else []
    facts += [gettext("layer %(layer)s") % {"layer": source["layer"]}] if source.get("layer") else []
    facts += [gettext("features where %(condition)s") % {"condition": source["where"]}] if source.get("where") else []
    return facts


def change_lines(document: ControlComparison) -> list[str]:
    """For two maps of different dates, how each headline measure changes from the earlier to the
    later one, e.g. "From 2025-07-24 (B) to 2025-11-20 (A), the demilitarised zone shrinks by
    676.7 km² and 82,832 people (population on 1 January 2022)." Empty when a date is missing or both agree."""
    dates = [source.get("date") for source in document["sources"]]
    if dates[0] is None or dates[1] is None or dates[0] == dates[1]:
        return []
    later = 0 if str(dates[0]) > str(dates[1]) else 1
    earlier = 1 - later
    lines = []
    for measure in HEADLINE_MEASURES:
        figures = figures_under_each(document["headline"], measure)
        area = figures[later]["area_km2"] - figures[earlier]["area_km2"]
        people = figures[later]["population_2022"] - figures[earlier]["population_2022"]
        words = {"earlier": f"{iso_date_text(dates[earlier])} ({'AB'[earlier]})", "later": f"{iso_date_text(dates[later])} ({'AB'[later]})"}
        if not area:
            lines.append(gettext(CHANGE_SENTENCES[measure]["stays"]) % {**words, "area": unit_text(figures[later]["area_km2"], "km2", places=1)})
            continue
        gained = (
            ngettext("gains %(count)s person (population on 1 January 2022)", "gains %(count)s people (population on 1 January 2022)", abs(people))
            if people >= 0
            else ngettext("loses %(count)s person (population on 1 January 2022)", "loses %(count)s people (population on 1 January 2022)", abs(people))
        ) % {"count": number_text(abs(people))}
        sentence = CHANGE_SENTENCES[measure]["grows" if area > 0 else "shrinks"]
        lines.append(gettext(sentence) % {**words, "area": unit_text(abs(area), "km2", places=1), "people": gained})
    return lines


def _km2(value: float) -> str:
    """Areas to 0.1 km²: a comparison is about small differences too."""
    return number_text(value, places=1)


def _figures_cell(figures: Figures) -> str:
    return f"{km2_text(figures['area_km2'])}; " + gettext("people on 1 January 2022: %(people)s") % {"people": people_text(figures)}


def _change_cell(under_a: Figures, under_b: Figures) -> str:
    area = under_b["area_km2"] - under_a["area_km2"]
    people = under_b["population_2022"] - under_a["population_2022"]
    persons = ngettext("%(count)s person", "%(count)s people", abs(people)) % {"count": signed_text(people)}
    return signed_text(area, places=1) + unit_text(0, "km2").removeprefix("0") + "; " + persons


def signed_text(value: float, places: int = 0) -> str:
    """A change with its sign: ``+676.7``, ``-82,832`` / ``+676,7``, ``-82 832``."""
    return ("+" if value >= 0 else "-") + number_text(abs(value) if places else abs(int(value)), places=places)


CSV_COLUMNS = (
    "date",
    "plan",
    "measure",
    "measure_label",
    "region",
    "region_name",
    "a_km2",
    "b_km2",
    "only_a_km2",
    "only_b_km2",
    "a_population_2022",
    "b_population_2022",
    "source_a",
    "source_b",
    "source_a_sha256",
    "source_b_sha256",
    "attribution",
)


def control_comparison_rows(document: ControlComparison) -> list[dict]:
    """Rows for CSV: ``measure`` = ``occupied`` per region and for all regions (``region`` = ``all``),
    then the plan's headline measures (``ceded_beyond_line``, ``ceded_demilitarised``) with their population."""
    a, b = document["sources"]
    common = {"date": document["date"], "plan": document["plan"]}
    sources = {
        "source_a": a["name"],
        "source_b": b["name"],
        "source_a_sha256": a.get("sha256", ""),
        "source_b_sha256": b.get("sha256", ""),
        "attribution": document["notes"]["attribution"],
    }
    rows = []
    totals = {"code": "all", "name": gettext("All regions"), **document["totals"]}
    for region in [*document["regions"], totals]:
        occupied_km2 = cast("list[float]", region["occupied_km2"])  # [under A, under B]
        rows.append(
            {
                **common,
                "measure": ControlMeasure.OCCUPIED,
                "measure_label": gettext(ControlMeasure.OCCUPIED.label),
                "region": region["code"],
                "region_name": region["name"],
                "a_km2": occupied_km2[0],
                "b_km2": occupied_km2[1],
                "only_a_km2": region["only_a_km2"],
                "only_b_km2": region["only_b_km2"],
                "a_population_2022": None,
                "b_population_2022": None,
                **sources,
            }
        )
    for measure in HEADLINE_MEASURES:
        under_a, under_b = figures_under_each(document["headline"], measure)
        rows.append(
            {
                **common,
                "measure": str(measure),
                "measure_label": measure_label(measure),
                "region": "all",
                "region_name": gettext("All regions"),
                "a_km2": under_a["area_km2"],
                "b_km2": under_b["area_km2"],
                "only_a_km2": None,
                "only_b_km2": None,
                "a_population_2022": under_a["population_2022"],
                "b_population_2022": under_b["population_2022"],
                **sources,
            }
        )
    return [{column: row[column] for column in CSV_COLUMNS} for row in rows]
