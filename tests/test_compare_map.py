"""`peacemap compare ... -o FILE.html`: one layer per plan, offline in Chromium."""

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

    def probe(page, report):  # noqa: ANN001 - playwright Page
        report["base_layers"] = page.eval_on_selector_all(
            ".leaflet-control-layers-base label", "els => els.map(e => e.textContent.trim())"
        )
        report["zone_paths_first"] = page.eval_on_selector_all(".leaflet-peacemap-zones-pane path", "els => els.length")
        report["lines_first"] = page.eval_on_selector_all(".leaflet-peacemap-lines-pane path", _LINES_JS)
        report["legend"] = page.inner_text(".peacemap-legend")
        page.click(f".leaflet-control-layers-base label:nth-child({len(PLANS)}) input")  # switch to the last plan
        page.wait_for_timeout(300)
        report["zone_paths_last"] = page.eval_on_selector_all(".leaflet-peacemap-zones-pane path", "els => els.length")
        report["lines_last"] = page.eval_on_selector_all(".leaflet-peacemap-lines-pane path", _LINES_JS)

    return chromium(html_path, folder / "profile", probe)


def test_one_switchable_layer_per_plan(compare_page):
    assert len(compare_page["base_layers"]) == len(PLANS)
    for plan, label in zip(PLANS, compare_page["base_layers"]):
        assert f"({plan})" in label


def test_switching_plans_redraws_the_zones_without_errors(compare_page):
    assert compare_page["zone_paths_first"] > 0 and compare_page["zone_paths_last"] > 0
    assert compare_page["page_errors"] == [] and compare_page["console_errors"] == []
    assert compare_page["network_requests"] == []


def test_each_plan_draws_the_line_by_its_own_rule(compare_page):
    from peacemap.maps.style import CONTACT_FROZEN, CONTACT_OTHER

    frozen, other = [CONTACT_FROZEN.width, False], [CONTACT_OTHER.width, True]
    # plan28 freezes the line in Kherson and Zaporizhzhia only; russia-max freezes it nowhere.
    assert frozen in compare_page["lines_first"] and other in compare_page["lines_first"]
    assert compare_page["lines_last"] and frozen not in compare_page["lines_last"]
    assert CONTACT_FROZEN.label in compare_page["legend"] and CONTACT_OTHER.label in compare_page["legend"]
