"""Compare plans side by side on one date: land and 2022 population each gives up or gets back."""

from __future__ import annotations

import datetime as dt

from peacemap.layers.sources.control_map import ControlSnapshot
from peacemap.layers.plans.model import load_plan
from peacemap.layers.plans.apply import apply_plan, build_control_layers
from peacemap.layers.regions import CRIMEA, SEVASTOPOL
from peacemap.layers.report.contract import Comparison, ComparedPlan, ComparedRegion, Figures, Headline
from peacemap.layers.report.figures import ZonePopulation, build_report
from peacemap.layers.report.format import km2_text, people_text

MEASURES = ("ceded_beyond_line", "returned", "frozen_russian", "frozen_ukrainian")
MEASURE_LABELS = {
    "ceded_beyond_line": "given up beyond the line of contact",
    "returned": "returned to Ukraine",
    "frozen_russian": "frozen, Russian side",
    "frozen_ukrainian": "frozen, Ukrainian side",
}


def compare_plans(plan_refs: list[str], control: ControlSnapshot, zone_population: ZonePopulation | None) -> Comparison:
    """Reports of every plan on the same control snapshot, reduced to the comparison.

    Returns a dict: ``date``, ``control_snapshot``, and ``plans``: one entry per plan with
    ``plan``, ``title``, ``source``, ``totals`` (each measure over all regions) and
    ``regions`` (code → name and each measure), every measure as area km² and 2022 population
    with its band. Crimea is compared as one region (AR Crimea with Sevastopol).
    """
    control_layers = build_control_layers(control)
    compared: list[ComparedPlan] = []
    for plan_ref in plan_refs:
        plan = load_plan(plan_ref)
        report = build_report(apply_plan(plan, control_layers), zone_population)
        compared.append(
            {
                "plan": plan.id,
                "title": plan.title,
                "plan_date": plan.date.isoformat(),
                "source": plan.source_line(),
                "totals": {measure: report["headline"][measure] for measure in MEASURES},  # type: ignore[literal-required]
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
    return {"name": name, "ceded_beyond_line": headline["ceded_beyond_line"], "returned": headline["returned"],
            "frozen_russian": headline["frozen_russian"], "frozen_ukrainian": headline["frozen_ukrainian"]}


def comparison_rows(comparison: Comparison) -> list[dict]:
    """One row per plan and region (plus an 'all' row per plan) with every measure."""
    rows = []
    for entry in comparison["plans"]:
        for code, region in [("all", {"name": "All regions", **entry["totals"]}), *entry["regions"].items()]:
            if code != "all" and not any(region[m]["area_km2"] for m in MEASURES):
                continue
            row = {"plan": entry["plan"], "date": comparison["date"], "region": code, "region_name": region["name"]}
            for measure in MEASURES:
                figures = region[measure]
                row[f"{measure}_km2"] = figures["area_km2"]
                row[f"{measure}_population_2022"] = None if figures["population_excludes"] and not figures["population_2022"] else figures["population_2022"]
            rows.append(row)
    return rows


def comparison_markdown(comparison: Comparison) -> str:
    """A readable side-by-side table of the plans' totals, then per region."""
    from peacemap.layers.report.render import escape_markdown

    lines = [
        f"# Plans compared on {escape_markdown(comparison['control_snapshot'])}",
        "",
        f"Areas in km² (geodesic); population: {comparison['population_note']}.",
        "",
        "| Plan | " + " | ".join(MEASURE_LABELS[m] for m in MEASURES) + " |",
        "| --- | " + " | ".join("---:" for _ in MEASURES) + " |",
    ]
    for entry in comparison["plans"]:
        cells = [_cell(entry["totals"][m]) for m in MEASURES]
        lines.append(f"| {escape_markdown(entry['title'])} (`{entry['plan']}`) | " + " | ".join(cells) + " |")
    lines += ["", "## Given up beyond the line of contact, by region", "", "| Region | " + " | ".join(e["plan"] for e in comparison["plans"]) + " |",
              "| --- | " + " | ".join("---:" for _ in comparison["plans"]) + " |"]
    codes = list(comparison["plans"][0]["regions"]) if comparison["plans"] else []
    for code in codes:
        figures = [entry["regions"][code]["ceded_beyond_line"] for entry in comparison["plans"]]
        if not any(f["area_km2"] for f in figures):
            continue
        name = comparison["plans"][0]["regions"][code]["name"]
        lines.append(f"| {escape_markdown(name)} ({code}) | " + " | ".join(_cell(f) for f in figures) + " |")
    lines += ["", "Sources: " + "; ".join(escape_markdown(e["source"]) for e in comparison["plans"]), ""]
    return "\n".join(lines)


def _cell(figures: Figures) -> str:
    if not figures["area_km2"]:
        return "0"
    return f"{km2_text(figures['area_km2'])}; people: {people_text(figures)}"


def comparison_date(plan_refs: list[str], date: dt.date | None) -> dt.date:
    """The date to compare on: ``date``, or else the first plan's own date."""
    return date or load_plan(plan_refs[0]).date
