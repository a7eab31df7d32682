"""`peacemap compare ... -o FILE.html`: one layer per plan, offline in Chromium."""

import datetime as dt

import pytest

from peacemap.cli.main import cli

PLANS = ["plan28", "plan20", "russia-max"]
# Each drawn line (casings left out) as (stroke width, dashed or not).
_LINES_JS = """els => els.filter(e => e.getAttribute("stroke") !== "#ffffff")
  .map(e => [Number(e.getAttribute("stroke-width")), !!e.getAttribute("stroke-dasharray")])"""


@pytest.fixture(scope="module")
def compare_page(tmp_path_factory, chromium):
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("compare")
    html_path = folder / "compare.html"
    result = CliRunner().invoke(cli, ["-q", "compare", *PLANS, "--date", "2025-11-20", "-o", str(html_path)])
    assert result.exit_code == 0, result.output

    def probe(page, report):  # playwright Page
        report["base_layers"] = page.eval_on_selector_all(".leaflet-control-layers-base label", "els => els.map(e => e.textContent.trim())")
        report["zone_paths_first"] = page.eval_on_selector_all(".leaflet-peacemap-zones-pane path", "els => els.length")
        report["lines_first"] = page.eval_on_selector_all(".leaflet-peacemap-lines-pane path", _LINES_JS)
        report["legend"] = page.inner_text(".peacemap-legend")
        report["facts_first"] = page.inner_text(".peacemap-facts")
        page.click(f".peacemap-plan-button[data-plan='{len(PLANS) - 1}']")  # switch to the last plan with its button
        page.wait_for_timeout(300)
        report["radios_last"] = page.eval_on_selector_all(".leaflet-control-layers-base input", "els => els.map(e => e.checked)")
        report["pressed_last"] = page.eval_on_selector_all(".peacemap-plan-button", "els => els.map(e => e.getAttribute('aria-pressed'))")
        report["zone_paths_last"] = page.eval_on_selector_all(".leaflet-peacemap-zones-pane path", "els => els.length")
        report["lines_last"] = page.eval_on_selector_all(".leaflet-peacemap-lines-pane path", _LINES_JS)
        report["facts_last"] = page.inner_text(".peacemap-facts")
        # The layer control's radio buttons switch the fact box too.
        page.evaluate("() => document.querySelectorAll('.leaflet-control-layers-base input')[0].click()")
        page.wait_for_timeout(300)
        report["facts_again"] = page.inner_text(".peacemap-facts")

    report = chromium(html_path, folder / "profile", probe)
    report["html"] = html_path.read_text(encoding="utf-8")
    return report


def test_one_switchable_layer_per_plan(compare_page):
    assert len(compare_page["base_layers"]) == len(PLANS)
    for plan, label in zip(PLANS, compare_page["base_layers"]):
        assert f"({plan})" in label


def test_switching_plans_redraws_the_zones_without_errors(compare_page):
    assert compare_page["zone_paths_first"] > 0
    assert compare_page["zone_paths_last"] > 0
    # The button pressed shows its plan; the layer control's radio buttons follow.
    assert compare_page["radios_last"] == [False] * (len(PLANS) - 1) + [True]
    assert compare_page["pressed_last"] == ["false"] * (len(PLANS) - 1) + ["true"]
    assert compare_page["page_errors"] == []
    assert compare_page["console_errors"] == []
    assert compare_page["network_requests"] == []


def test_each_plan_draws_the_line_by_its_own_rule(compare_page):
    from peacemap.maps.style import CONTACT_FROZEN, CONTACT_OTHER

    frozen, other = [CONTACT_FROZEN.width, False], [CONTACT_OTHER.width, True]
    # plan28 freezes the line in Kherson and Zaporizhzhia only; russia-max freezes it nowhere.
    assert frozen in compare_page["lines_first"]
    assert other in compare_page["lines_first"]
    assert compare_page["lines_last"]
    assert frozen not in compare_page["lines_last"]
    assert CONTACT_FROZEN.label in compare_page["legend"]
    assert CONTACT_OTHER.label in compare_page["legend"]


def test_popups_give_population_or_say_why_not(compare_page):
    """Issue 26: the comparison map's popups had no population."""
    import html
    import re

    page = html.unescape(re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), compare_page["html"]))
    assert re.search(
        r"Donetsk</b> \(UA-14\), held land<br><b>Demilitarised zone[^<]*</b><br>.*?Population \(1 January 2022\): [\d,]+ "
        r"\(range [\d,]+–[\d,]+\)",
        page,
    )
    assert "Population (1 January 2022): no official figure" in page  # AR Crimea and Sevastopol
    assert "State Statistics Service of Ukraine" in page


def test_the_fact_box_follows_the_plan_shown(compare_page):
    """Issue 26: the fact box gives the figures of the plan shown, as `compare` gives them."""
    from peacemap import pipeline
    from peacemap.layers.report.measures import Measure
    from peacemap.maps.facts import compared_facts

    compared = pipeline.comparison(PLANS, dt.date(2025, 11, 20))
    first, last = (compared_facts(entry, compared) for entry in (compared["plans"][0], compared["plans"][-1]))
    for shown, facts in ((compare_page["facts_first"], first), (compare_page["facts_last"], last), (compare_page["facts_again"], first)):
        text = " ".join(shown.split())
        assert facts.name in text
        assert facts.citation in text
        assert all(f"{row.label} {row.value}" in text for row in facts.rows)
    assert compare_page["facts_first"] != compare_page["facts_last"]
    # russia-max gives up more than plan28 beyond the line: the box changed its figures, not just its name.
    assert first.rows[0].measure is last.rows[0].measure is Measure.CEDED
    assert first.rows[0].value != last.rows[0].value
