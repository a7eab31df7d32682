"""The README's and the documentation site's figures are the outputs' (issue 25, item 9; issue 29):
the README's headline table, and on the site's pages the report's and the comparison's paragraphs,
the plan over time, the places and the map sizes, are read from the text and checked against what
the code makes now, so that none of them can go stale.

Only figures the code computes are checked here; official figures the pages quote (table 1's
totals) are checked against the sources by tests/test_population_tables.py.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest

from peacemap import pipeline
from peacemap.layers.report.format import km2_text, people_text
from peacemap.layers.report.measures import Measure

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
HANDED_OVER = dt.date(2025, 11, 20)
NUMBER = re.compile(r"(?<![\w.-])\d{1,3}(?:,\d{3})+(?:\.\d)?(?![\w])|(?<![\w.,-])\d+\.\d(?![\d])")


def _page(name: str) -> str:
    """The text of the site's page ``name`` (a path under docs/)."""
    return (DOCS / name).read_text(encoding="utf-8")


def _flat(name: str) -> str:
    """The page ``name`` with its whitespace made single spaces, to find sentences across lines."""
    return " ".join(_page(name).split())


def _paragraph(name: str, starting: str) -> str:
    """The paragraph (up to a blank line) of page ``name`` that starts with ``starting``."""
    text = _page(name)
    start = text.index(starting)
    end = text.find("\n\n", start)
    return " ".join(text[start:end].split())


def _numbers(text: str) -> set[str]:
    """Figures with a thousands separator or one decimal, as the pages write them."""
    return set(NUMBER.findall(text))


def _km2(value: float) -> str:
    return f"{value:,.0f}"


@pytest.fixture(scope="module")
def plan28():
    return pipeline.plan_report("plan28", HANDED_OVER).report


def _readme_table_module():
    spec = importlib.util.spec_from_file_location("readme_table", DOCS / "readme_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_headline_table_is_report_json(plan28):
    # Before: no test read the table; its band 7,314,033 - 7,486,070 outlived the figures.
    header = _readme_table_module().HEADER
    table = header + "\n" + README.split(header + "\n", 1)[1].split("\n\n", 1)[0]
    assert table == _readme_table_module().headline_table(plan28)


def test_the_table_maker_writes_each_measure_with_land_by_the_reports_formatters(plan28):
    # docs/readme_table.py is checked on its own, so that the test above cannot pass by a table
    # maker that has drifted together with the README.
    rows = _readme_table_module().headline_table(plan28).splitlines()[2:]
    labels = {measure.label: measure for measure in Measure}
    cells = [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]
    headline = plan28["headline"]
    assert [labels[label] for label, _, _ in cells] == [m for m in Measure if headline[m]["area_km2"]]
    for label, area, people in cells:
        figures = headline[labels[label]]
        assert (area, people) == (km2_text(figures["area_km2"]), people_text(figures)), label


def test_the_reports_paragraph_gives_its_figures(plan28):
    text = _paragraph("method/readings.md", "On DeepState's 2025-11-20 snapshot the 28-point plan puts")
    headline = plan28["headline"]
    expected = {
        _km2(headline[m]["area_km2"])
        for m in (
            Measure.RUSSIAN_SIDE,
            Measure.RUSSIAN_SIDE_DE_JURE,
            Measure.RUSSIAN_SIDE_DE_FACTO,
            Measure.RUSSIAN_SIDE_FROZEN_DE_FACTO,
            Measure.UNDER_RUSSIAN_FORCES,
            Measure.CEDED,
            Measure.RETURNED,
        )
    }
    assert _numbers(text) == expected
    assert f"{headline[Measure.CEDED_TO_RUSSIAN_FORCES]['area_km2']:,.0f} km² of Luhansk" in text


def test_the_dmz_paragraph_gives_the_reports_figures(plan28):
    text = _paragraph("method/population.md", "**The DMZ of the 28-point plan.**")
    dmz = plan28["headline"][Measure.CEDED_DEMILITARISED]
    assert {_km2(dmz["area_km2"]), f"{dmz['population_2022']:,}", f"{dmz['population_2022_low']:,}", f"{dmz['population_2022_high']:,}"} <= _numbers(text)


def test_the_crimea_sum_is_the_reports(plan28):
    with_crimea = plan28["recognised_with_crimea_projection"]
    sentence = (
        f"{with_crimea['population_2022']:,} + {with_crimea['population_projection_2020']:,} = "
        f"{with_crimea['population_with_projection']:,} people on {_km2(with_crimea['area_km2'])} km²"
    )
    assert sentence in _flat("method/population.md")


def test_the_comparison_paragraph_gives_compares_figures():
    text = _paragraph("howto/compare-plans.md", "On 2025-11-20 (`peacemap compare plan28 plan28+21c-none")
    plans = re.search(r"`peacemap compare ([^`]+) --date 2025-11-20`", text).group(1).split()
    compared = {entry["variant"]: entry["totals"] for entry in pipeline.comparison(plans, HANDED_OVER)["plans"]}
    figures = {_km2(totals[m]["area_km2"]) for totals in compared.values() for m in Measure}
    assert _numbers(text) <= figures, _numbers(text) - figures
    assert f"`plan28+21c-none` {_km2(compared['plan28+21c-none']['russian_side']['area_km2'])}" in text
    assert f"`eu-counter` and `freeze` {_km2(compared['eu-counter']['russian_side']['area_km2'])}" in text
    assert f"`plan28` {_km2(compared['plan28']['frozen_ukrainian_side']['area_km2'])} (Kherson and Zaporizhzhia)" in text


def test_the_plan_over_time_table_gives_each_days_figures():
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import plan_headline

    table = _page("howto/line-over-time.md").split("| DeepState snapshot | DMZ km² |", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"\| (\d{4}-\d\d-\d\d)[^|]* \| ([\d,]+) \| ([\d,]+) \(([\d,]+) – ([\d,]+)\) \| ([\d,]+) \|", table)
    assert len(rows) == 4
    for day, area, people, low, high, forces in rows:
        headline = plan_headline(pipeline.plan_layers("plan28", dt.date.fromisoformat(day)), zone_population)
        dmz = headline[Measure.CEDED_DEMILITARISED]
        assert (area, people, low, high) == (
            _km2(dmz["area_km2"]),
            f"{dmz['population_2022']:,}",
            f"{dmz['population_2022_low']:,}",
            f"{dmz['population_2022_high']:,}",
        ), day
        assert forces == _km2(headline[Measure.UNDER_RUSSIAN_FORCES]["area_km2"]), day


def test_the_jump_at_pokrovsk_is_the_reports(plan28):
    day_before = pipeline.plan_report("plan28", HANDED_OVER - dt.timedelta(days=1)).report["headline"][Measure.CEDED_DEMILITARISED]
    after = plan28["headline"][Measure.CEDED_DEMILITARISED]
    lost_km2 = f"{day_before['area_km2'] - after['area_km2']:.1f}"
    lost = f"{day_before['population_2022'] - after['population_2022']:,}"
    assert f"the DMZ lost {lost_km2} km² and {lost} people" in _flat("howto/line-over-time.md")
    assert f"the DMZ held {day_before['population_2022']:,} people on 2025-11-19 and {after['population_2022']:,}" in _flat("method/bands.md")


def test_the_places_rows_that_add_up(plan28):
    places = pipeline.places("plan28", HANDED_OVER, status="dmz")
    hromadas = sum(h["population_2022"] for h in places["hromadas"])
    towns = sum(t["population_2022"] for t in places["settlements"])
    text = _flat("reference/outputs.md")
    assert f"up to {hromadas:,}; hromada and town rows together would give {hromadas + towns:,}" in text
    assert hromadas == plan28["headline"][Measure.CEDED_DEMILITARISED]["population_2022"]


def test_the_map_sizes_are_the_maps(tmp_path):
    # Before: "MAPSIZE KB" and "776 KB" while the map was 893,366 bytes.
    from peacemap.maps.html import build_html_map, save_html
    from peacemap.maps.prepare import prepare_map_layers

    text = _flat("howto/publish-a-map.md")
    sizes = [
        re.search(pattern, text)
        for pattern in (
            r"The plan28 map on 2025-11-20: (\d+) kB \(([\d,]+) bytes\) with Leaflet inlined and its fact box",
            r"the plan28 map is (\d+) kB with it \(([\d,]+) bytes",
        )
    ]
    assert all(size is not None and int(size.group(1)) == round(int(size.group(2).replace(",", "")) / 1000) for size in sizes)
    plain, with_hromadas = (int(size.group(2).replace(",", "")) for size in sizes if size is not None)
    layers = pipeline.plan_layers("plan28", HANDED_OVER)
    facts = pipeline.map_facts(layers)
    bare = save_html(build_html_map(prepare_map_layers(layers), facts=facts), tmp_path / "bare.html").stat().st_size
    built = save_html(build_html_map(pipeline.map_layers(layers), facts=facts), tmp_path / "built.html").stat().st_size
    assert bare == pytest.approx(plain, rel=0.02)
    assert built == pytest.approx(with_hromadas, rel=0.02)


def test_no_placeholder_is_left():
    for name, text in [("README.md", README), *((page.relative_to(DOCS).as_posix(), page.read_text(encoding="utf-8")) for page in DOCS.rglob("*.md"))]:
        assert not re.search(r"\b[A-Z]+SIZE\b|\bTODO\b|\bXXX\b|\bTBD\b", text), name


def test_the_measures_table_is_the_vocabulary():
    from peacemap.layers.report.measures import DEFINITIONS

    table = _page("method/readings.md").split("| key | label (in every output) | what it counts |\n| --- | --- | --- |\n", 1)[1].split("\n\n", 1)[0]
    assert table.splitlines() == [f"| `{m}` | {m.label} | {DEFINITIONS[m]} |" for m in Measure]


def test_the_control_comparison_paragraph_gives_its_figures():
    from peacemap.layers.control.resolve import parse_control_source

    text = _paragraph("howto/own-control-map.md", "The first line compares DeepState with itself four months earlier")
    result = pipeline.control_comparison(parse_control_source("deepstate:2025-11-20"), parse_control_source("deepstate:2025-07-24"))
    document = result.document
    november, july = document["headline"][Measure.CEDED_DEMILITARISED]
    figures = {_km2(f["area_km2"]) for f in (november, july)} | {f"{f['population_2022']:,}" for f in (november, july)}
    figures |= {_km2(document["totals"]["only_a_km2"]), _km2(document["totals"]["only_b_km2"])}
    figures |= {_km2(region["only_a_km2"]) for region in document["regions"]}
    numbers = _numbers(text) | set(re.findall(r"(?<![\d,])(\d{2,3}) (?:km²|in)\b", text))
    assert numbers <= figures, numbers - figures
    assert {_km2(november["area_km2"]), f"{july['population_2022']:,}", _km2(document["totals"]["only_a_km2"])} <= numbers


def test_the_citation_quoted_is_the_fact_boxs(plan28):
    from peacemap.maps.facts import report_facts

    quoted = re.search(r'For plan28 on 2025-11-20: "(.*?)"', _flat("howto/publish-a-map.md"))
    assert quoted is not None
    assert quoted.group(1) == report_facts(plan28).citation


def test_the_statement_quoted_is_the_fact_boxs(plan28):
    from peacemap.maps.facts import report_facts

    dmz = next(row for row in report_facts(plan28).rows if row.measure is Measure.CEDED_DEMILITARISED)
    label = dmz.statements[0].split(": ", 1)[1]
    people = plan28["headline"][Measure.CEDED_DEMILITARISED]["population_2022"]
    assert f'shows "{label}" beside its {people:,} people on 1 January 2022' in _flat("howto/publish-a-map.md")
