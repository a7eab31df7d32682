"""The fact box on every map (issue 26, "A fact box on every map"; issue 25, "Readings travel with
the figures"): the plan's key figures as the report gives them, the snapshot and sources, the
readings they rest on and a citation; drawn on the static PNG, SVG and PDF (read back from the
SVG's text) and the HTML maps; left out with --no-facts."""

from __future__ import annotations

import copy
import datetime as dt
import html
import io
import re
import xml.etree.ElementTree as ET
import zlib

import matplotlib.image as mpimg
import numpy as np
import pytest

from peacemap import __version__
from peacemap.cli.main import cli
from peacemap.layers.report.measures import Measure
from peacemap.layers.report.render import headline_lines
from peacemap.maps.facts import FACT_MEASURES, READINGS_IN_REPORT, fact_rows, facts_html, report_facts
from peacemap.maps.static import static_map, write_static

DATE = "2025-11-20"


@pytest.fixture(scope="module")
def facts(plan28_report):
    return report_facts(plan28_report)


def test_the_key_figures_are_the_reports_under_its_labels(facts, plan28_report):
    # The terminal headline of the same report: a fact row reads "label: value" exactly as it does.
    terminal = [" ".join(line.split()) for line in headline_lines(plan28_report)]
    shown = [row.measure for row in facts.rows]
    assert shown == [Measure.CEDED, Measure.CEDED_DEMILITARISED, Measure.RUSSIAN_SIDE, Measure.UNDER_RUSSIAN_FORCES, Measure.RETURNED]
    for row in facts.rows:
        assert row.label == row.measure.label
        assert " ".join(f"{row.label}: {row.value}".split()) in terminal, row.label
    dmz = plan28_report["headline"][Measure.CEDED_DEMILITARISED]
    assert f"{dmz['population_2022']:,} ({dmz['population_2022_low']:,} – {dmz['population_2022_high']:,})" in facts.rows[1].value


def test_the_box_names_snapshot_sources_readings_and_how_to_cite(facts, plan28_report):
    assert facts.heading == f"Key figures on the line of {DATE}"
    assert "DeepState snapshot 2025-11-20" in facts.sources
    assert "State Statistics Service of Ukraine" in facts.sources
    assert "1 January 2022" in facts.sources
    caveat = facts.caveat(READINGS_IN_REPORT)
    assert "21c and 21d" in caveat
    assert "Readings" in caveat
    assert [r["provision"] for r in facts.readings] == [r["provision"] for r in plan28_report["readings"]] == ["21c", "21d"]
    assert facts.citation.startswith(f"peacemap {__version__}, plan28: US 28-point peace plan (2025-11-20): ")
    assert "shipped with peacemap" in facts.citation
    assert "DeepState snapshot 2025-11-20" in facts.citation
    assert facts.citation.count(".") >= 1
    assert facts.citation.endswith("State Statistics Service of Ukraine.")


def test_a_user_plan_file_is_cited_with_its_sha256(plan28_report):
    report = copy.deepcopy(plan28_report)
    origin = "user plan file mine.toml (sha256 " + "ab" * 32 + ")"
    report["sources"][0]["name"] = report["sources"][0]["name"].replace("shipped with peacemap " + __version__, origin)
    assert "ab" * 32 in report_facts(report).citation


def test_parts_and_plans_without_such_land_show_only_what_they_have(plan28_report):
    headline = copy.deepcopy(plan28_report["headline"])
    for measure in FACT_MEASURES:
        headline[measure] = {**headline[measure], "area_km2": 0.0}
    # Nothing given up, nothing on the Russian side: the three measures always shown say 0 km².
    assert [row.measure for row in fact_rows(headline)] == [Measure.CEDED, Measure.RUSSIAN_SIDE, Measure.UNDER_RUSSIAN_FORCES]
    assert fact_rows(headline)[0].area == "0 km²"


def test_official_statements_show_under_their_figure_and_none_without(facts):
    """Issue 27: the report gives the latest official statement beside a figure; the box shows it,
    one line each, never in place of the 1 January 2022 figure. The Donetsk regional military
    administration counted 198,500 civilians remaining on 2025-11-13 (issue 27, its briefing)."""
    from peacemap import pipeline

    report = pipeline.plan_report("plan28", dt.date.fromisoformat(DATE)).report
    rows = {row.measure: row for row in report_facts(report).rows}
    dmz = rows[Measure.CEDED_DEMILITARISED]
    assert len(dmz.statements) == 1
    assert "198,500 civilians (Donetsk Oblast Military Administration, 2025-11-13)" in dmz.statements[0]
    assert dmz.statements[0].startswith("People remaining, official statement: ")
    assert dmz.value == facts.rows[1].value  # beside the 2022 figure, which stays as it is
    page = facts_html([report_facts(report)])
    assert html.escape(dmz.statements[0]) in page
    # A report without statements (built without them, as plan28_report is) shows none.
    assert all(row.statements == () for row in facts.rows)
    stripped = copy.deepcopy(report)
    for figures in stripped["headline"].values():
        figures.pop("statements", None)
        figures.pop("statements_inside", None)
    assert all(row.statements == () for row in report_facts(stripped).rows)


@pytest.fixture(scope="module")
def figure(plan28_map_layers, facts):
    return static_map(plan28_map_layers, facts=facts)


@pytest.fixture(scope="module")
def svg(figure, tmp_path_factory):
    path = tmp_path_factory.mktemp("facts") / "plan28.svg"
    write_static(figure, path, fmt="svg", dpi=72)
    return path.read_text(encoding="utf-8")


def _svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [html.unescape("".join(element.itertext())) for element in root.iter("{http://www.w3.org/2000/svg}text")]


def test_the_svg_carries_the_fact_box_as_text(svg, facts):
    texts = " ".join(" ".join(_svg_texts(svg)).split())
    assert facts.heading in texts
    for row in facts.rows:
        assert row.label in texts
        assert row.area in texts
        assert row.people.split(" (")[0] in texts
    for phrase in ("21c and 21d", "Cite as: peacemap", "DeepState snapshot 2025-11-20", "State Statistics Service of Ukraine"):
        assert phrase in texts, phrase
    # The citation, wrapped over lines, reads back whole.
    assert facts.citation in texts


def _fact_lines(figure) -> list:  # Figure
    return [text for ax in figure.axes for text in ax.texts if text.get_gid() == "facts"]


def test_the_png_shows_the_fact_box_below_the_map(figure, tmp_path):
    path = tmp_path / "plan28.png"
    write_static(figure, path, fmt="png", dpi=100)
    image = mpimg.imread(path)[:, :, :3]
    lines = _fact_lines(figure)
    boxes = [text.get_window_extent() for text in lines]
    height = image.shape[0]
    band = lines[0].axes
    map_bottom = min(ax.get_window_extent().y0 for ax in figure.axes if ax is not band)
    assert all(box.y1 <= map_bottom + 1 for box in boxes)  # below the map, legend and locator
    for box in boxes[:6]:  # each line leaves dark text where it is drawn
        rows = image[int(height - box.y1) : int(height - box.y0), int(box.x0) : int(box.x1)]
        assert (rows.max(axis=2) < 0.4).mean() > 0.03


def test_the_pdf_draws_every_line_of_the_fact_box(figure, plan28_map_layers, tmp_path):
    """A PDF text object (BT ... ET) per line: the PDF with the fact box has exactly its lines more."""

    def text_objects(fig) -> int:  # Figure
        path = tmp_path / "map.pdf"
        write_static(fig, path, fmt="pdf", dpi=72)
        data = path.read_bytes()
        streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL)
        return sum(len(re.findall(rb"(?<![A-Za-z])BT(?![A-Za-z])", zlib.decompress(stream))) for stream in streams if stream[:1] == b"x")

    assert text_objects(figure) - text_objects(static_map(plan28_map_layers)) == len(_fact_lines(figure))


def test_plain_text_never_mathtext(figure):
    assert all(text.get_parse_math() is False for text in _fact_lines(figure))


def test_without_facts_the_caveat_joins_the_sources(plan28_map_layers):
    fig = static_map(plan28_map_layers, figsize_in=(8.0, 6.0))
    assert _fact_lines(fig) == []
    notes = next(text for text in fig.texts if text.get_gid() == "sources").get_text().replace("\n", " ")
    assert "reading of provisions 21c and 21d" in notes


def test_map_and_build_leave_the_fact_box_out_with_no_facts(runner, tmp_path):
    for name in ("with.html", "with.svg"):
        assert runner.invoke(cli, ["-q", "map", "--plan", "plan28", "--date", DATE, "-o", str(tmp_path / name)]).exit_code == 0
    for name in ("without.html", "without.svg"):
        result = runner.invoke(cli, ["-q", "map", "--plan", "plan28", "--date", DATE, "--no-facts", "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert '<details class="peacemap-facts" open>' in (tmp_path / "with.html").read_text(encoding="utf-8")
    without = (tmp_path / "without.html").read_text(encoding="utf-8")
    assert '<details class="peacemap-facts"' not in without
    assert "reading of provisions 21c and 21d" in without  # the caveat, in the legend
    assert "Cite as:" in (tmp_path / "with.svg").read_text(encoding="utf-8")
    assert "Cite as:" not in (tmp_path / "without.svg").read_text(encoding="utf-8")
    result = runner.invoke(cli, ["build", "--help"])
    assert "--no-facts" in result.output


def test_the_api_map_has_the_fact_box_unless_asked(plan28_report):
    import peacemap

    with_box = peacemap.plan_map("plan28", DATE).get_root().render()
    assert '<details class="peacemap-facts" open>' in with_box
    assert html.escape(report_facts(plan28_report).citation) in with_box
    assert '<details class="peacemap-facts"' not in peacemap.plan_map("plan28", DATE, facts=False).get_root().render()
    with pytest.raises(peacemap.ArgumentError, match="'facts' should be True or False, got 'no' \\(str\\)"):
        peacemap.plan_map("plan28", DATE, facts="no")


def test_the_fact_box_is_the_same_bytes_twice(runner, tmp_path):
    for name in ("a.svg", "b.svg"):
        assert runner.invoke(cli, ["-q", "map", "--plan", "plan28", "--date", DATE, "-o", str(tmp_path / name)]).exit_code == 0
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_png_from_the_command_line_is_readable(runner, tmp_path):
    path = tmp_path / "plan28.png"
    result = runner.invoke(cli, ["-q", "map", "--plan", "plan28", "--date", DATE, "-o", str(path), "--size", "840x640px", "--dpi", "100"])
    assert result.exit_code == 0, result.output
    image = mpimg.imread(io.BytesIO(path.read_bytes()))
    assert image.shape[:2] == (640, 840)
    assert np.asarray(image).std() > 0.1


@pytest.mark.parametrize("size", [(12.0, 9.5), (8.4, 6.4), (6.0, 4.5), (6.0, 9.0)])
def test_the_fact_box_fits_between_the_map_and_the_sources(plan28_map_layers, facts, size):
    fig = static_map(plan28_map_layers, figsize_in=size, facts=facts)
    lines = [text.get_window_extent() for text in _fact_lines(fig)]
    band = _fact_lines(fig)[0].axes
    sources = next(text for text in fig.texts if text.get_gid() == "sources").get_window_extent()
    above = min(ax.get_window_extent().y0 for ax in fig.axes if ax is not band)  # map, legend and locator
    assert all(sources.y1 < box.y0 and box.y1 <= above + 1 for box in lines)
    assert all(box.x0 >= 0 and box.x1 <= fig.bbox.width for box in lines)
    assert not any(a.overlaps(b) for i, a in enumerate(lines) for b in lines[i + 1 :])
