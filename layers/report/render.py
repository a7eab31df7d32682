"""Render a report (layers.report) as Markdown, a news-style fact box, or as CSV.

Text from plan files and control files is untrusted: it is escaped so that it shows as text
in Markdown and in any HTML a Markdown renderer makes of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peacemap.layers.plans.statuses import STATUS_LABELS
from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL, PLAN_UNITS
from peacemap.layers.report.contract import Report
from peacemap.layers.report.figures import HEADLINE_LABELS, MUTUAL_PARTS
from peacemap.layers.report.format import code_span, escape_markdown, km2_text, people_text
from peacemap.layers.report.places import places_section
from peacemap.layers.report.records import json_text, records_to_csv
from peacemap.layers.text import printable

# Characters that start inline formatting, links, code, raw HTML or table cells. Text is only
# ever placed mid-line (table cells, list items, after "# "), so line-start markers need no escape.
# Marks the combined Crimea row in Markdown tables.
COMBINED_MARK = "†"


def report_markdown(report: Mapping[str, Any]) -> str:
    """The report as Markdown: headline fact box, per-region table, sources and caveats."""
    title = escape_markdown(report["plan_title"])
    options = f" · options: {', '.join(escape_markdown(o) for o in report['options'])}" if report["options"] else ""
    lines = [
        f"# {title}: what it does to the map",
        "",
        f"*Plan {code_span(report['plan'])} ({escape_markdown(report['plan_origin']['text'])}){options} · "
        f"line of contact: {escape_markdown(report['control_snapshot'])} · population: official estimate of 1 January 2022*",
        "",
        "## Headline",
        "",
        "| | Area | Population on 1 Jan 2022 (band) |",
        "| --- | ---: | ---: |",
    ]
    for label, figures in headline_rows(report["headline"]):
        lines.append(f"| {label} | {km2_text(figures['area_km2'])} | {people_text(figures)} |")
    with_crimea = crimea_projection_text(report)
    lines += ["", *([with_crimea, ""] if with_crimea else []), "## By region", "",
              "| Region | Status | Side after the plan | Recognition as Russian | Area | Share of region | Share of Ukraine | Population 2022 (band) |",
              "| --- | --- | --- | --- | ---: | ---: | ---: | ---: |"]
    for region in report["regions"]:
        if all(zone["status"] == "ukrainian" for zone in region["zones"]) and region["code"] not in _FIVE:
            continue
        name = escape_markdown(f"{region['name']} ({region['code']})") + (f" {COMBINED_MARK}" if region["combined"] else "")
        for zone in region["zones"]:
            lines.append(
                f"| {name} | {_status_text(zone)} | {zone['side_after']} | {_recognition_text(zone)} | {km2_text(zone['area_km2'])} | "
                f"{zone['share_of_region_pct']:.1f}% | {zone['share_of_ukraine_pct']:.2f}% | {people_text(zone)} |"
            )
    lines += ["", f"{COMBINED_MARK} AR Crimea and Sevastopol together: repeats their two rows, not counted in the totals.",
              "Regions not listed are wholly Ukrainian and unchanged.", "", "## Totals", "",
              "| Status | Area | Share of Ukraine | Population 2022 (band) |", "| --- | ---: | ---: | ---: |"]
    for status, figures in report["totals"].items():
        lines.append(f"| {STATUS_LABELS[status]} | {km2_text(figures['area_km2'])} | {figures['share_of_ukraine_pct']:.2f}% | {people_text(figures)} |")
    lines += ["", *places_section(report), "## Sources", ""]
    lines += [f"- {_source_text(source)}" for source in report["sources"]]
    lines += [
        "",
        "## How to read these numbers",
        "",
        f"- {escape_markdown(report['notes']['area'])}",
        f"- {escape_markdown(report['notes']['population'])}",
        "- The band is the range the population model gives for each figure (README, 'Population').",
        "- The Russian side after the plan is the land occupied on the date, less what the plan returns or has both "
        "sides leave, plus what Ukraine gives up beyond the line of contact. Of it, land recognised de jure, de facto "
        "and not addressed do not overlap (the rest is not recognised); land frozen along the line is counted under "
        "its recognition too.",
        f"- {escape_markdown(report['notes']['attribution'])}",
        "",
    ]
    return "\n".join(lines)


def headline_rows(headline: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """(label, figures) of every headline measure in order; the parts of the zones both sides
    withdraw from follow them when there are any."""
    rows = []
    for key, label in HEADLINE_LABELS.items():
        rows.append((label, headline[key]))
        if key == "dmz_mutual" and headline[key]["area_km2"]:
            rows += [(part_label, headline[key][part]) for part, part_label in MUTUAL_PARTS.items()]
    return rows


def _status_text(zone: Mapping[str, Any]) -> str:
    """The status's label, with who recognises the land where the plan says."""
    by = f", {escape_markdown(zone['recognised_by'])}" if zone.get("recognised_by") else ""
    return f"{STATUS_LABELS[zone['status']]}{by}"


def _recognition_text(zone: Mapping[str, Any]) -> str:
    return zone["recognition"].replace("_", " ")


def _source_text(source: Mapping[str, Any]) -> str:
    """One line of the sources list: name, the date it stands for (unless the name gives it
    already), attribution, licence and sha256."""
    name = escape_markdown(source["name"])
    date = f" (as of {source['date']})" if source.get("date") and source["date"] not in source["name"] else ""
    facts = ", ".join(escape_markdown(str(source[key])) for key in ("attribution", "license") if source.get(key))
    # A map of control: which of its layers and features (the condition), and which file exactly (sha256).
    facts += "".join(f"; {label} {escape_markdown(str(source[key]))}" for key, label in _CONTROL_FACTS if source.get(key))
    return f"{name}{date}" + (f": {facts}" if facts else "")


_FIVE = {*PLAN_UNITS, CRIMEA_WITH_SEVASTOPOL}
_CONTROL_FACTS = (("layer", "layer"), ("where", "features where"), ("sha256", "sha256"))

CSV_COLUMNS = (
    "plan", "control_snapshot", "date", "region_code", "region_name", "combined", "status", "side_after", "recognition",
    "recognised_by", "area_km2", "share_of_region_pct", "share_of_ukraine_pct", "population_2022", "population_2022_low",
    "population_2022_high", "area_source", "population_source", "control_sha256", "plan_origin",
)


def report_csv(report: Mapping[str, Any]) -> str:
    """One row per region and status; every row names the control snapshot (with its sha256),
    date and sources. The combined Crimea row (``combined`` true) repeats AR Crimea and
    Sevastopol: leave it out when summing."""
    control_sha256 = next((s.get("sha256", "") for s in report["sources"] if s["id"] == "control"), "")
    rows = [
        {
            "plan": report["plan"], "plan_origin": report["plan_origin"]["text"], "control_snapshot": report["control_snapshot"],
            "date": report["date"],
            "region_code": region["code"], "region_name": region["name"], "combined": "true" if region["combined"] else "false",
            **{k: zone[k] for k in ("status", "side_after", "recognition", "recognised_by", "area_km2", "share_of_region_pct",
                                    "share_of_ukraine_pct", "population_2022", "population_2022_low", "population_2022_high")},
            "area_source": report["notes"]["area"], "population_source": report["notes"]["population"],
            "control_sha256": control_sha256,
        }
        for region in report["regions"] for zone in region["zones"]
    ]
    return records_to_csv([{column: row[column] for column in CSV_COLUMNS} for row in rows])


def report_json(report: Mapping[str, Any]) -> str:
    """The report as indented JSON (the contract in the README)."""
    return json_text(report)


RENDERERS = {"md": report_markdown, "csv": report_csv, "json": report_json}


def crimea_projection_text(report: Mapping[str, Any]) -> str | None:
    """One sentence: the land recognised as Russian with the COD-PS 2020 projection of AR Crimea
    and Sevastopol added, labelled as a sum of mixed sources; None where the report has none."""
    figures = report.get("recognised_with_crimea_projection")
    if not figures:
        return None
    return (
        f"With Crimea's projection: recognised as Russian (de jure or de facto) {km2_text(figures['area_km2'])}, "
        f"{figures['population_with_projection']:,} people = {figures['population_2022']:,} outside Crimea "
        f"(official estimate of 1 January 2022) + {figures['population_projection_2020']:,} in AR Crimea and Sevastopol "
        "(OCHA COD-PS projection for 1 January 2020). Mixed sources and dates: not an official figure, and not part "
        "of any total above."
    )


def headline_lines(report: Report) -> list[str]:
    """A few lines for the terminal: the plan, the date and the headline figures (km², and the
    1 January 2022 population with its band)."""
    width = max(len(label) for label, _ in headline_rows(report["headline"])) + 7
    lines = [f"{printable(report['plan_title'])} ({printable(report['plan_origin']['text'])}) on {printable(report['control_snapshot'])}:"]
    for label, figures in headline_rows(report["headline"]):
        indent = "    " if label.startswith("of which") else "  "
        text = f"{indent}{label}:".ljust(width) + km2_text(figures["area_km2"])
        lines.append(f"{text}, people in 2022: {people_text(figures)}")
    with_crimea = crimea_projection_text(report)
    return lines + ([f"  {with_crimea}"] if with_crimea else [])
