"""The official statements as text: a Markdown list to read, a CSV row per statement, or JSON.

Every figure carries who said it, when and the page it was read on; occupying-power claims are
listed apart under their own heading and labelled in every row.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from peacemap.layers.report.format import escape_markdown
from peacemap.layers.sources.statements import KIND_LABELS, STATEMENTS_FILE, Statement

FORMATS = ("md", "csv", "json")
CSV_COLUMNS = (
    "id",
    "area_id",
    "area_kind",
    "region",
    "land",
    "unmatched_reason",
    "area_as_worded",
    "statement_date",
    "as_of",
    "figure",
    "figure_high",
    "qualifier",
    "figure_text",
    "kind",
    "claim",
    "body",
    "person",
    "url",
    "quote",
    "quote_language",
    "check",
    "check_note",
)
NOTE = (
    "Official statements of how many people remained in an area (peacemap's curated table, with the check made "
    "of each against its page). A statement stands beside the official estimate of 1 January 2022; it is never "
    "part of a total. Occupying-power claims are not reliable population estimates."
)


def statements_text(statements: Sequence[Statement], output_format: str) -> str:
    """``statements`` as ``md``, ``csv`` or ``json`` text (UTF-8; the same statements give the same bytes)."""
    writers = {"md": statements_markdown, "csv": statements_csv, "json": statements_json}
    if output_format not in writers:
        raise ValueError(f"'output_format' should be one of {', '.join(FORMATS)}, got {output_format!r}")
    return writers[output_format](statements)


def statements_csv(statements: Sequence[Statement]) -> str:
    """One CSV row per statement, the columns of :data:`CSV_COLUMNS` (claims say ``claim`` true)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for statement in statements:
        record = statement.record()
        writer.writerow({**record, "claim": "true" if record["claim"] else "false"})
    return buffer.getvalue()


def statements_json(statements: Sequence[Statement]) -> str:
    """The statements as JSON: ``{"source", "note", "statements": [...]}``."""
    document = {"source": f"peacemap, {STATEMENTS_FILE}", "note": NOTE, "statements": [s.record() for s in statements]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def statements_markdown(statements: Sequence[Statement]) -> str:
    """A section per area (official statements first, then occupying-power claims), a row per statement."""
    lines = ["# Official statements: people remaining", "", f"*{escape_markdown(NOTE)}*", ""]
    official = [s for s in statements if not s.is_claim]
    claims = [s for s in statements if s.is_claim]
    lines += _areas(official)
    if claims:
        lines += [
            "## OCCUPYING-POWER CLAIMS",
            "",
            "*Figures of the Russian occupation authorities, kept apart: political claims, mutually inconsistent, not backed by published statistics.*",
            "",
        ]
        lines += _areas(claims, level="###")
    return "\n".join(lines) + "\n"


def _areas(statements: Sequence[Statement], level: str = "##") -> list[str]:
    lines: list[str] = []
    for area in dict.fromkeys(s.area_id for s in statements):
        mine = [s for s in statements if s.area_id == area]
        first = mine[0]
        where = f"land: `{escape_markdown(first.land)}`" if first.land else f"matches no land peacemap knows: {escape_markdown(first.unmatched_reason)}"
        lines += [
            f"{level} {escape_markdown(area)} ({first.region})",
            "",
            f"{where}",
            "",
            "| Said | As of | Figure | Who | Area as worded | Check | Source |",
            "| --- | --- | ---: | --- | --- | --- | --- |",
        ]
        for s in mine:
            who = escape_markdown(s.body + (f" — {s.person}" if s.person else ""))
            figure = f"{s.figure_text()} {KIND_LABELS[s.kind]}"
            lines.append(
                f"| {s.statement_date.text if s.statement_date else 'undated'} | {s.as_of.text if s.as_of else '–'} "
                f"| {escape_markdown(figure)} | {who} | {escape_markdown(s.area_as_worded)} | {s.check} "
                f"| [{escape_markdown(_host(s.url))}]({_link(s.url)}) |"
            )
        lines.append("")
    return lines


def _host(url: str) -> str:
    return url.split("//", 1)[-1].split("/", 1)[0]


def _link(url: str) -> str:
    """``url`` safe inside a Markdown link target: no spaces or parentheses to end it early."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
