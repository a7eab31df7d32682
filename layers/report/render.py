"""Render a report (layers.report) as Markdown, a news-style fact box, or as CSV.

Text from plan files and control files is untrusted: it is escaped so that it shows as text
in Markdown and in any HTML a Markdown renderer makes of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from peacemap.layers.i18n.catalogue import N_, gettext
from peacemap.layers.i18n.dates import iso_date_text
from peacemap.layers.i18n.numbers import number_text
from peacemap.layers.plans.statuses import Status
from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL, PLAN_UNITS
from peacemap.layers.report import beside
from peacemap.layers.report.contract import Reading, Report
from peacemap.layers.report.format import (
    NOT_COVERED,
    age_text,
    code_span,
    escape_markdown,
    km2_text,
    own_label,
    own_people_text,
    people_text,
    percent_text,
)
from peacemap.layers.report.measures import Measure, depth
from peacemap.layers.report.places import places_section
from peacemap.layers.report.readings import readings_markdown, readings_text
from peacemap.layers.report.records import json_text, records_to_csv
from peacemap.layers.report.sensitivity import line_sensitivity_section, line_summary
from peacemap.layers.report.terms import (
    measure_definition,
    measure_label,
    measure_name,
    recognised_by_text,
    recognition_text,
    side_text,
    status_text,
)
from peacemap.layers.text import printable

# Characters that start inline formatting, links, code, raw HTML or table cells. Text is only
# ever placed mid-line (table cells, list items, after "# "), so line-start markers need no escape.
# Marks the combined Crimea row in Markdown tables.
COMBINED_MARK = "†"


def report_markdown(report: Mapping[str, Any]) -> str:
    """The report as Markdown: headline fact box, readings, places on the line, per-region table,
    sources and caveats, in the language being written."""
    title = escape_markdown(report["plan_title"])
    facts = [gettext("Plan %(plan)s (%(origin)s)") % {"plan": code_span(report["plan"]), "origin": escape_markdown(report["plan_origin"]["text"])}]
    if report["options"]:
        facts[0] += " · " + gettext("options: %(options)s") % {"options": ", ".join(escape_markdown(o) for o in report["options"])}
    facts += [
        gettext("line of contact: %(snapshot)s") % {"snapshot": escape_markdown(report["control_snapshot"])},
        gettext("population: %(population)s") % {"population": gettext(POPULATION_LABEL)},
    ]
    lines = [
        "# " + gettext("%(title)s: what it does to the map") % {"title": title},
        "",
        f"*{' · '.join(facts)}*",
        "",
        *([escape_markdown(report["plan_text_note"]), ""] if report.get("plan_text_note") else []),
        *([age_text(report["snapshot_age"]), ""] if report.get("snapshot_age") else []),
        *([own_sentence(report["population_own_source"]), ""] if report.get("population_own_source") else []),
        "## " + gettext("Headline"),
        "",
    ]
    with_statements = "statements_beside" in report
    own_head, own_rule, own_cell = own_columns(report)
    extra = (f" {gettext(beside.STATEMENT_HEAD)} |", " --- |") if with_statements else ("", "")
    lines += ["| | " + gettext("Area") + f" | {gettext(POPULATION_HEAD)} |{own_head}{extra[0]}", f"| --- | ---: | ---: |{own_rule}{extra[1]}"]
    for measure, figures in headline_rows(report["headline"]):
        cell = f" {beside.headline_cell(figures)} |" if with_statements else ""
        lines.append(f"| {measure_label(measure)} | {km2_text(figures['area_km2'])} | {people_text(figures)} |{own_cell(figures)}{cell}")
    with_crimea = crimea_projection_text(report)
    on_line = line_summary(report)
    lines += ["", *([with_crimea, ""] if with_crimea else []), *([escape_markdown(on_line), ""] if on_line else [])]
    lines += beside.statements_section(report)
    lines += readings_section(report["readings"])
    lines += line_sensitivity_section(report)
    heads = (N_("Region"), N_("Status"), N_("Side after the plan"), N_("Recognition as Russian"), N_("Area"), N_("Share of region"), N_("Share of Ukraine"))
    lines += [
        "## " + gettext("By region"),
        "",
        "| " + " | ".join(gettext(head) for head in heads) + f" | {gettext(POPULATION_HEAD)} |{own_head}",
        f"| --- | --- | --- | --- | ---: | ---: | ---: | ---: |{own_rule}",
    ]
    for region in report["regions"]:
        if all(zone["status"] == Status.UKRAINIAN for zone in region["zones"]) and region["code"] not in _FIVE:
            continue
        name = escape_markdown(f"{region['name']} ({region['code']})") + (f" {COMBINED_MARK}" if region["combined"] else "")
        for zone in region["zones"]:
            lines.append(
                f"| {name} | {_status_text(zone)} | {side_text(zone['side_after'])} | {recognition_text(zone['recognition'])} | "
                f"{km2_text(zone['area_km2'])} | {percent_text(zone['share_of_region_pct'])} | {percent_text(zone['share_of_ukraine_pct'], 2)} | "
                f"{people_text(zone)} |{own_cell(zone)}"
            )
    lines += [
        "",
        gettext("%(mark)s AR Crimea and Sevastopol together: repeats their two rows, not counted in the totals.") % {"mark": COMBINED_MARK},
        gettext("Regions not listed are wholly Ukrainian and unchanged."),
        "",
        "## " + gettext("Totals by status"),
        "",
        "| " + " | ".join((gettext("Status"), gettext("Area"), gettext("Share of Ukraine"), gettext(POPULATION_HEAD))) + f" |{own_head}",
        f"| --- | ---: | ---: | ---: |{own_rule}",
    ]
    for status, figures in report["totals"].items():
        lines.append(
            f"| {status_text(status)} | {km2_text(figures['area_km2'])} | {percent_text(figures['share_of_ukraine_pct'], 2)} | "
            f"{people_text(figures)} |{own_cell(figures)}"
        )
    lines += ["", *places_section(report), "## " + gettext("Sources"), ""]
    lines += [f"- {_source_text(source)}" for source in report["sources"]]
    lines += [
        "",
        "## " + gettext("How to read these numbers"),
        "",
        f"- {escape_markdown(report['notes']['area'])}",
        f"- {escape_markdown(report['notes']['population'])}",
        f"- {gettext(BAND_NOTE)}",
        f"- {gettext(PARTS_NOTE)}",
        *measure_definitions(),
        f"- {escape_markdown(report['notes']['attribution'])}",
        "",
    ]
    return "\n".join(lines)


POPULATION_LABEL = N_("official estimate of 1 January 2022")
POPULATION_HEAD = N_("Population on 1 January 2022 (band)")
BAND_NOTE = N_(
    "The band is the range the population model gives for each figure, computed on the figure's land as a whole "
    "(docs/method/bands.md): bands do not add up, and a figure made of whole regions has none."
)
PARTS_NOTE = N_(
    "Every figure is a sum over the plan's land by region, status and control on the date (report.csv's rows): "
    'the lines marked "of which" are disjoint parts of the line above them and add up to it, in km² and in people.'
)


def own_sentence(source: Mapping[str, Any]) -> str:
    """One Markdown sentence naming the user's population beside the official one."""
    regions = ", ".join(source["regions"])
    notes = "".join(f" {escape_markdown(note)}." for note in source["notes"])
    counts = escape_markdown(source["count_field"]) + (", CRS " + escape_markdown(source["crs"]) if source.get("crs") else "")
    return (
        "*"
        + gettext(
            "Beside it: **%(label)s**, a %(kind)s from the user's file %(file)s (sha256 %(sha256)s; counts from %(counts)s), "
            "%(total)s people in the regions it covers (%(regions)s): %(method)s. Not an official figure; regions it does not "
            "cover are marked '%(not_covered)s'."
        )
        % {
            "label": escape_markdown(own_label(source)),
            "kind": escape_markdown(source["kind"]),
            "file": escape_markdown(source["file"]),
            "sha256": source["sha256"],
            "counts": counts,
            "total": number_text(source["total"]),
            "regions": regions,
            "method": escape_markdown(source["method"]),
            "not_covered": gettext(NOT_COVERED),
        }
        + f"{notes}*"
    )


def own_columns(report: Mapping[str, Any]) -> tuple[str, str, Any]:
    """The Markdown header, rule and cell function of the user's population column (empty without one)."""
    source = report.get("population_own_source")
    if not source:
        return "", "", lambda _: ""
    return f" {escape_markdown(own_label(source))} |", " ---: |", lambda figures: f" {own_people_text(figures)} |"


def measure_definitions() -> list[str]:
    """Markdown list items: what each headline measure counts, its parts indented under it."""
    return [f"{'  ' * depth(measure)}- {measure_name(measure)}: {measure_definition(measure)}." for measure in Measure]


def headline_rows(headline: Mapping[str, Any]) -> list[tuple[Measure, Mapping[str, Any]]]:
    """(measure, figures) of every headline measure in order; a part with no land is left out
    (the parts shown still add up to their measure)."""
    return [(measure, headline[measure]) for measure in Measure if measure.parent is None or headline[measure]["area_km2"]]


def readings_section(readings: Sequence[Mapping[str, Any]]) -> list[str]:
    """The "Readings" section: how peacemap reads what the plan's text leaves open."""
    if not readings:
        return ["## " + gettext("Readings"), "", gettext("The plan file records no reading: every provision is modelled as its text says."), ""]
    return [
        "## " + gettext("Readings"),
        "",
        gettext(
            "Where the plan's text leaves a choice, the figures above rest on these readings "
            "(the plan file's `ambiguous` notes; `peacemap plans show` lists the options for the "
            "other readings):"
        ),
        "",
        *readings_markdown(cast("Sequence[Reading]", readings)),
        "",
    ]


def _status_text(zone: Mapping[str, Any]) -> str:
    """The status's label, with who recognises the land where the plan says."""
    by = f", {escape_markdown(recognised_by_text(zone['recognised_by']))}" if zone.get("recognised_by") else ""
    return f"{status_text(zone['status'])}{by}"


def _source_text(source: Mapping[str, Any]) -> str:
    """One line of the sources list: name, the date it stands for (unless the name gives it
    already), attribution, licence and sha256."""
    name = escape_markdown(source["name"])
    date = ""
    if source.get("date") and source["date"] not in source["name"] and iso_date_text(source["date"]) not in source["name"]:
        date = " (" + gettext("as of %(date)s") % {"date": iso_date_text(source["date"])} + ")"
    facts = ", ".join(escape_markdown(str(source[key])) for key in ("attribution", "license") if source.get(key))
    # A map of control: which of its layers and features (the condition), and which file exactly (sha256).
    facts += "".join(f"; {gettext(label)} {escape_markdown(str(source[key]))}" for key, label in _CONTROL_FACTS if source.get(key))
    return f"{name}{date}" + (f": {facts}" if facts else "")


_FIVE = {*PLAN_UNITS, CRIMEA_WITH_SEVASTOPOL}
_CONTROL_FACTS = (("layer", N_("layer")), ("where", N_("features where")), ("sha256", "sha256"))

CSV_COLUMNS = (
    "plan",
    "options",
    "control_snapshot",
    "date",
    "region_code",
    "region_name",
    "combined",
    "status",
    "status_label",
    "control",
    "side_after",
    "recognition",
    "recognised_by",
    "area_km2",
    "share_of_region_pct",
    "share_of_ukraine_pct",
    "population_2022",
    "population_2022_low",
    "population_2022_high",
    "area_source",
    "population_source",
    "control_sha256",
    "readings",
    "plan_origin",
)  # then, in the outputs of `peacemap report` and `build`, the statement columns (layers.report.beside.CSV_COLUMNS)


def report_csv(report: Mapping[str, Any]) -> str:
    """One row per region, status and control on the date (held or occupied): the pieces every
    figure of the report adds up (docs/reference/outputs.md). Every row names the control snapshot (with
    its sha256), date, sources and the plan's readings. The combined Crimea rows (``combined``
    true) repeat AR Crimea and Sevastopol: leave them out when summing. Bands do not add up."""
    control_sha256 = next((s.get("sha256", "") for s in report["sources"] if s["id"] == "control"), "")
    common = {
        "plan": report["plan"],
        "options": "+".join(report["options"]),
        "control_snapshot": report["control_snapshot"],
        "date": report["date"],
        "area_source": report["notes"]["area"],
        "population_source": report["notes"]["population"],
        "control_sha256": control_sha256,
        "readings": readings_text(report["readings"]),
        "plan_origin": report["plan_origin"]["text"],
    }
    cited = report["statements_beside"]["cited"] if "statements_beside" in report else None
    own = report.get("population_own_source")
    columns = CSV_COLUMNS + (OWN_CSV_COLUMNS if own else ()) + (beside.CSV_COLUMNS if cited is not None else ())
    if own:
        common.update({"population_own_label": own["label"], "population_own_date": own["date"], "population_own_sha256": own["sha256"]})
    rows = [
        {
            **common,
            "region_code": region["code"],
            "region_name": region["name"],
            "combined": "true" if region["combined"] else "false",
            "status_label": status_text(zone["status"]),
            **{k: zone[k] for k in ("status", "side_after", "recognition", "recognised_by")},
            **part,
            **(beside.csv_fields(part, cited) if cited is not None else {}),
        }
        for region in report["regions"]
        for zone in region["zones"]
        for part in zone["by_control"]
    ]
    return records_to_csv([{column: row.get(column) for column in columns} for row in rows])


# With --population: the user's population of each row, and what it is (docs/howto/own-population.md).
OWN_CSV_COLUMNS = ("population_own", "population_own_low", "population_own_high", "population_own_label", "population_own_date", "population_own_sha256")


def report_json(report: Mapping[str, Any]) -> str:
    """The report as indented JSON (the contract in docs/reference/outputs.md)."""
    return json_text(report)


RENDERERS = {"md": report_markdown, "csv": report_csv, "json": report_json}


def crimea_projection_text(report: Mapping[str, Any]) -> str | None:
    """One sentence: the land recognised as Russian with the COD-PS 2020 projection of AR Crimea
    and Sevastopol added, labelled as a sum of mixed sources; None where the report has none."""
    figures = report.get("recognised_with_crimea_projection")
    if not figures:
        return None
    return gettext(
        "With Crimea's projection: recognised as Russian (de jure or de facto) %(area)s, %(with_projection)s people = %(outside)s outside "
        "Crimea (official estimate of 1 January 2022) + %(projection)s in AR Crimea and Sevastopol (OCHA COD-PS projection for 1 January "
        "2020). Mixed sources and dates: not an official figure, and not part of any total above."
    ) % {
        "area": km2_text(figures["area_km2"]),
        "with_projection": number_text(figures["population_with_projection"]),
        "outside": number_text(figures["population_2022"]),
        "projection": number_text(figures["population_projection_2020"]),
    }


def headline_lines(report: Report) -> list[str]:
    """A few lines for the terminal: the plan, the date and the headline figures (km², and the
    1 January 2022 population with its band), parts indented under their measure."""

    def shown(text: str) -> str:  # its names made printable, the figures' and dates' no-break spaces kept
        return printable(text, keep_no_break_spaces=True)

    rows = headline_rows(report["headline"])
    width = max(len(measure_label(measure)) + 2 * depth(measure) for measure, _ in rows) + 5
    lines = [
        gettext("%(title)s (%(origin)s) on %(snapshot)s:")
        % {"title": shown(report["plan_title"]), "origin": shown(report["plan_origin"]["text"]), "snapshot": shown(report["control_snapshot"])}
    ]
    if report.get("plan_text_note"):
        lines.append(f"  {shown(report['plan_text_note'])}")
    own = report.get("population_own_source")
    for measure, figures in rows:
        text = f"{'  ' * (1 + depth(measure))}{measure_label(measure)}:".ljust(width) + km2_text(figures["area_km2"])
        lines.append(text + ", " + gettext("people on 1 January 2022: %(people)s") % {"people": people_text(figures)})
        if own:
            lines.append(shown(f"{'  ' * (2 + depth(measure))}{own_label(own)}: {own_people_text(figures)}"))
        lines += [shown(line) for line in beside.terminal_lines(figures, "  " * (2 + depth(measure)))]
    with_crimea = crimea_projection_text(report)
    on_line = line_summary(report)
    return lines + ([f"  {with_crimea}"] if with_crimea else []) + ([f"  {shown(on_line)}"] if on_line else [])
