"""Compare plans side by side on one date: which land (km²) and how many people (2022) each plan
puts on the Russian side, recognises as Russian, has Ukraine give up, demilitarises, returns and
freezes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from peacemap.layers.plans.apply import apply_plan, build_control_layers
from peacemap.layers.plans.model import load_plan
from peacemap.layers.regions import CRIMEA, SEVASTOPOL
from peacemap.layers.report.contract import ComparedPlan, ComparedRegion, Comparison, Figures, Headline
from peacemap.layers.report.figures import HEADLINE_MEASURES, MUTUAL_PARTS, RegionPopulationMemo, ZonePopulation, build_report
from peacemap.layers.report.format import km2_text, people_text
from peacemap.layers.sources.control_map import ControlSnapshot

MEASURES = HEADLINE_MEASURES
# Column heads of the comparison tables (the headline's measures, short).
MEASURE_LABELS = {
    "russian_side_after_plan": "Russian side after the plan",
    "recognised_de_jure": "recognised as Russian, de jure",
    "recognised_de_facto": "recognised as Russian, de facto",
    "not_addressed": "Russian-held, not addressed",
    "frozen_russian": "frozen, Russian side",
    "ceded_beyond_line": "given up beyond the line of contact",
    "dmz": "DMZ, Russian (Ukraine withdraws)",
    "dmz_mutual": "DMZ, sovereignty undetermined (both withdraw)",
    "returned": "returned to Ukraine",
    "frozen_ukrainian": "frozen, Ukrainian side",
}
# Measures shown region by region, each in a table of its own.
REGION_TABLES = ("russian_side_after_plan", "ceded_beyond_line")


def compare_plans(plan_refs: list[str], control: ControlSnapshot, zone_population: ZonePopulation | None) -> Comparison:
    """Reports of every plan on the same control snapshot, reduced to the comparison.

    Returns a dict: ``date``, ``control_snapshot``, and ``plans``: one entry per plan with
    ``plan``, ``title``, the date of its text beside the snapshot it is drawn on, ``source``,
    ``totals`` (the report's headline over all regions) and ``regions`` (code → name and each
    measure), every measure as area km² and 2022 population with its band. Crimea is compared
    as one region (AR Crimea with Sevastopol).
    """
    control_layers = build_control_layers(control)
    # Plans on one date cut most regions alike: estimate each region's zones once.
    population = RegionPopulationMemo(zone_population) if zone_population is not None else None
    compared: list[ComparedPlan] = []
    for plan_ref in plan_refs:
        plan = load_plan(plan_ref)
        report = build_report(apply_plan(plan, control_layers), population)
        compared.append(
            {
                "plan": plan.id,
                "title": plan.title,
                "plan_date": plan.date.isoformat(),
                "text_date": plan.text_date(),
                "control_snapshot": control.label,
                "source": plan.source_line(),
                "totals": report["headline"],
                "regions": {
                    region["code"]: _compared_region(region["name"], region["headline"])
                    for region in report["regions"]
                    if region["code"] not in (CRIMEA, SEVASTOPOL)  # compared as one: Crimea with Sevastopol
                },
            }
        )
    return {
        "date": control.as_of.isoformat() if control.as_of else None,
        "control_snapshot": control.label,
        "population_note": "persons on 1 January 2022 (State Statistics Service of Ukraine), not today's population",
        "plans": compared,
    }


def _compared_region(name: str, headline: Headline) -> ComparedRegion:
    return {"name": name, **headline}


def comparison_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """One row per plan and region (plus an 'all' row per plan) with every measure, km² and
    persons, the parts of the both-withdraw zones each side held, and the regions whose
    population is not available (``population_excludes``, codes separated by spaces)."""
    rows: list[dict[str, Any]] = []
    for entry in comparison["plans"]:
        regions: list[tuple[str, Mapping[str, Any]]] = [("all", {"name": "All regions", **entry["totals"]}), *entry["regions"].items()]
        for code, region in regions:
            if code != "all" and not any(region[m]["area_km2"] for m in MEASURES):
                continue
            row = {"plan": entry["plan"], "text_date": entry["text_date"], "date": comparison["date"], "region": code,
                   "region_name": region["name"]}
            for measure in MEASURES:
                figures = region[measure]
                _add_figures(row, measure, figures)
                if measure == "dmz_mutual":
                    for part in MUTUAL_PARTS:
                        _add_figures(row, f"{measure}_{part}", figures[part])
            # The regions whose 2022 population is not available, left out of the row's figures.
            row["population_excludes"] = " ".join(sorted({c for m in MEASURES for c in region[m]["population_excludes"]}))
            rows.append(row)
    return rows


def _add_figures(row: dict[str, Any], name: str, figures: Figures) -> None:
    row[f"{name}_km2"] = figures["area_km2"]
    row[f"{name}_population_2022"] = None if figures["population_excludes"] and not figures["population_2022"] else figures["population_2022"]


def comparison_markdown(comparison: Comparison) -> str:
    """Side-by-side tables of the plans' totals (land, then people), then per region."""
    from peacemap.layers.report.format import escape_markdown

    heads = " | ".join(MEASURE_LABELS[m] for m in MEASURES)
    rule = "| --- | " + " | ".join("---:" for _ in MEASURES) + " |"
    lines = [
        f"# Plans compared on {escape_markdown(comparison['control_snapshot'])}",
        "",
        f"Every plan is drawn on the same line of contact: {escape_markdown(comparison['control_snapshot'])}; each "
        "plan's title gives the date of its text beside it. Areas in km² (geodesic); population: "
        f"{comparison['population_note']}. Recognised (de jure, de facto), not addressed and frozen on the Russian "
        "side are parts of the Russian side after the plan; land given up beyond the line is the part Ukraine held "
        "on the date.",
        "",
        "## Land (km²)",
        "",
        f"| Plan | {heads} |",
        rule,
    ]
    for entry in comparison["plans"]:
        lines.append(f"| {_plan_cell(entry)} | " + " | ".join(_area_cell(entry["totals"][m]) for m in MEASURES) + " |")  # type: ignore[literal-required]
    lines += ["", "## People on 1 January 2022 (band)", "", f"| Plan | {heads} |", rule]
    for entry in comparison["plans"]:
        lines.append(f"| {_plan_cell(entry)} | " + " | ".join(_people_cell(entry["totals"][m]) for m in MEASURES) + " |")  # type: ignore[literal-required]
    for measure in REGION_TABLES:
        lines += _region_table(comparison, measure)
    lines += ["", "Sources: " + "; ".join(escape_markdown(e["source"]) for e in comparison["plans"]), ""]
    return "\n".join(lines)


def _plan_cell(entry: ComparedPlan) -> str:
    """The plan's title and id, the date of its text and the line of contact it is drawn on."""
    from peacemap.layers.report.format import code_span, escape_markdown

    return (f"{escape_markdown(entry['title'])} ({code_span(entry['plan'], in_table=True)}): text of {entry['text_date']}, "
            f"drawn on {escape_markdown(entry['control_snapshot'])}")


def _region_table(comparison: Comparison, measure: str) -> list[str]:
    from peacemap.layers.report.format import escape_markdown

    plans = comparison["plans"]
    lines = ["", f"## {MEASURE_LABELS[measure][0].upper()}{MEASURE_LABELS[measure][1:]}, by region", "",
             "| Region | " + " | ".join(escape_markdown(e["plan"]) for e in plans) + " |",
             "| --- | " + " | ".join("---:" for _ in plans) + " |"]
    codes = list(plans[0]["regions"]) if plans else []
    for code in codes:
        figures = [entry["regions"][code][measure] for entry in plans]  # type: ignore[literal-required]
        if not any(f["area_km2"] for f in figures):
            continue
        name = plans[0]["regions"][code]["name"]
        lines.append(f"| {escape_markdown(name)} ({code}) | " + " | ".join(_cell(f) for f in figures) + " |")
    return lines


def _area_cell(figures: Figures) -> str:
    return km2_text(figures["area_km2"]) if figures["area_km2"] else "0"


def _people_cell(figures: Figures) -> str:
    return people_text(figures) if figures["area_km2"] else "0"


def _cell(figures: Figures) -> str:
    if not figures["area_km2"]:
        return "0"
    return f"{km2_text(figures['area_km2'])}; people: {people_text(figures)}"


def comparison_date(plan_refs: list[str], date: dt.date | None) -> dt.date:
    """The date to compare on: ``date``, or else the first plan's own date."""
    return date or load_plan(plan_refs[0]).date
