"""Print the README's headline table from a report.json, so that the README shows what peacemap computed.

    .venv/bin/peacemap build                       # writes out/report.json (plan28 on 2025-11-20)
    .venv/bin/python docs/readme_table.py out/report.json

prints the Markdown table to paste under the README's picture: one row per headline measure with
land, its label, its area and its people on 1 January 2022 with the band, written by the report's
own formatters. tests/test_readme_figures.py checks that the README's table is this table for the
report of plan28 on 2025-11-20, as computed now.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from peacemap.layers.report.format import km2_text, people_text
from peacemap.layers.report.measures import Measure

HEADER = "| | area | people on 1 January 2022 (band) |\n| --- | ---: | ---: |"


def headline_table(report: dict) -> str:
    """The Markdown table of ``report["headline"]``: the measures with land, in the report's order."""
    headline = report["headline"]
    rows = [
        f"| {measure.label} | {km2_text(headline[measure]['area_km2'])} | {people_text(headline[measure])} |"
        for measure in Measure
        if headline[measure]["area_km2"]
    ]
    return "\n".join([HEADER, *rows])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python docs/readme_table.py REPORT.json")
    print(headline_table(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
