"""Render a report (layers.report) as Markdown, a news-style fact box, or as CSV.

Text from plan files and control files is untrusted: it is escaped so that it shows as text
in Markdown and in any HTML a Markdown renderer makes of it.
"""

from __future__ import annotations

import csv
import io
import json
import re

from peacemap.layers.plans.statuses import STATUS_LABELS
from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL, PLAN_UNITS
from peacemap.layers.report.contract import Report
from peacemap.layers.report.format import km2_text, people_text
from peacemap.layers.report.places import places_section
from peacemap.layers.text import printable

# Characters that start inline formatting, links or table cells. Text is only ever placed
# mid-line (table cells, list items, after "# "), so line-start markers need no escape.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def escape_markdown(text: str) -> str:
    """Escape ``text`` so that Markdown shows it literally, placed mid-line: HTML entities for
    ``& < > "``, backslashes before inline-formatting characters, newlines folded to spaces."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    text = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def report_markdown(report: dict) -> str:
    """The report as Markdown: headline fact box, per-region table, sources and caveats."""
    title = escape_markdown(report["plan_title"])
    options = f" · options: {', '.join(escape_markdown(o) for o in report['options'])}" if report["options"] else ""
    lines = [
        f"# {title}: what it does to the map",
        "",
        f"*Plan `{escape_markdown(report['plan'])}`{options} · line of contact: {escape_markdown(report['control_snapshot'])} · "
        "population: official estimate of 1 January 2022*",
        "",
        "## Headline",
        "",
        "| | Area | Population on 1 Jan 2022 (band) |",
        "| --- | ---: | ---: |",
    ]
    headline = report["headline"]
    for key, label in (
        ("ceded_beyond_line", "Ukraine gives up beyond the line of contact"),
        ("dmz", "of which demilitarised zone"),
        ("returned", "Returned to Ukraine"),
        ("frozen_russian", "Frozen on the Russian side"),
        ("frozen_ukrainian", "Frozen on the Ukrainian side"),
    ):
        figures = headline[key]
        lines.append(f"| {label} | {km2_text(figures['area_km2'])} | {people_text(figures)} |")
    lines += ["", "## By region", "", "| Region | Status | Area | Share of region | Share of Ukraine | Population 2022 (band) |",
              "| --- | --- | ---: | ---: | ---: | ---: |"]
    for region in report["regions"]:
        if all(zone["status"] == "ukrainian" for zone in region["zones"]) and region["code"] not in _FIVE:
            continue
        name = escape_markdown(f"{region['name']} ({region['code']})")
        for zone in region["zones"]:
            lines.append(
                f"| {name} | {STATUS_LABELS[zone['status']]} | {km2_text(zone['area_km2'])} | {zone['share_of_region_pct']:.1f}% | "
                f"{zone['share_of_ukraine_pct']:.2f}% | {people_text(zone)} |"
            )
    lines += ["", "Regions not listed are wholly Ukrainian and unchanged.", "", "## Totals", "",
              "| Status | Area | Share of Ukraine | Population 2022 (band) |", "| --- | ---: | ---: | ---: |"]
    for status, figures in report["totals"].items():
        lines.append(f"| {STATUS_LABELS[status]} | {km2_text(figures['area_km2'])} | {figures['share_of_ukraine_pct']:.2f}% | {people_text(figures)} |")
    lines += ["", *places_section(report), "## Sources", ""]
    for source in report["sources"]:
        facts = ", ".join(escape_markdown(str(source[k])) for k in ("attribution", "license") if source.get(k))
        date = f" (as of {source['date']})" if source.get("date") else ""
        lines.append(f"- {escape_markdown(source['name'])}{date}" + (f": {facts}" if facts else ""))
    lines += [
        "",
        "## How to read these numbers",
        "",
        f"- {escape_markdown(report['notes']['area'])}",
        f"- {escape_markdown(report['notes']['population'])}",
        "- The band is the range the population model gives for each figure (README, 'Population').",
        f"- {escape_markdown(report['notes']['attribution'])}",
        "",
    ]
    return "\n".join(lines)


_FIVE = {*PLAN_UNITS, CRIMEA_WITH_SEVASTOPOL}

CSV_COLUMNS = (
    "plan", "control_snapshot", "date", "region_code", "region_name", "status", "area_km2", "share_of_region_pct",
    "share_of_ukraine_pct", "population_2022", "population_2022_low", "population_2022_high", "area_source", "population_source",
)


def report_csv(report: dict) -> str:
    """One row per region and status; every row names the control snapshot, date and sources."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for region in report["regions"]:
        for zone in region["zones"]:
            writer.writerow(
                {
                    "plan": report["plan"], "control_snapshot": report["control_snapshot"], "date": report["date"],
                    "region_code": region["code"], "region_name": region["name"], "status": zone["status"],
                    "area_km2": zone["area_km2"], "share_of_region_pct": zone["share_of_region_pct"],
                    "share_of_ukraine_pct": zone["share_of_ukraine_pct"],
                    **{k: ("" if zone[k] is None else zone[k]) for k in ("population_2022", "population_2022_low", "population_2022_high")},
                    "area_source": report["notes"]["area"], "population_source": report["notes"]["population"],
                }
            )
    return buffer.getvalue()


def report_json(report: dict) -> str:
    """The report as indented JSON (the contract in the README)."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"md": report_markdown, "csv": report_csv, "json": report_json}


def headline_lines(report: Report) -> list[str]:
    """A few lines for the terminal: the plan, the date and the headline figures (km², and the
    1 January 2022 population with its band)."""
    headline = report["headline"]

    def line(label: str, key: str, *, people: bool = True) -> str:
        figures = headline[key]  # type: ignore[literal-required]
        text = f"{label:<37}{km2_text(figures['area_km2'])}"
        return f"{text}, people in 2022: {people_text(figures)}" if people else text

    return [
        f"{printable(report['plan_title'])} on {printable(report['control_snapshot'])}:",
        line("  given up beyond the line of contact:", "ceded_beyond_line"),
        line("    of which demilitarised zone:", "dmz"),
        line("  returned to Ukraine:", "returned"),
        line("  frozen, Russian side:", "frozen_russian", people=False),
        line("  frozen, Ukrainian side:", "frozen_ukrainian", people=False),
    ]
