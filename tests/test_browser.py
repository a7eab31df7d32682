"""The plan28 HTML map in headless Chromium with the network off: it draws, with no errors.

Needs Debian's chromium (``apt-get install -y chromium``; .ci/run installs it) and the
playwright package (the ``test`` extra), which drives it; no browser is downloaded. Without
chromium the test fails under CI (CI=true) and is skipped elsewhere.
"""

from __future__ import annotations

import io

import matplotlib.image as mpimg
import numpy as np
import pytest

from peacemap.maps.html import build_html_map, save_html


@pytest.fixture(scope="module")
def page_report(plan28_map_layers, tmp_path_factory, chromium):
    """Open the self-contained plan28 map offline; return what the page showed and logged."""
    folder = tmp_path_factory.mktemp("browser")
    html_path = save_html(build_html_map(plan28_map_layers), folder / "plan28.html")

    def probe(page, report):  # playwright Page
        report["panes"] = page.eval_on_selector_all(".leaflet-pane", "els => els.map(e => e.className)")
        report["zone_paths"] = page.eval_on_selector_all(".leaflet-peacemap-zones-pane path[class*=peacemap-status-]", "els => els.length")
        report["line_paths"] = page.eval_on_selector_all(".leaflet-peacemap-lines-pane path", "els => els.length")
        report["layer_names"] = page.eval_on_selector_all(".leaflet-control-layers label", "els => els.map(e => e.textContent.trim())")
        report["hatch_fill"] = page.eval_on_selector(".leaflet-peacemap-zones-pane path.peacemap-change-given_up", "e => getComputedStyle(e).fill")

    return chromium(html_path, folder / "profile", probe)


def test_no_javascript_error(page_report):
    assert page_report["page_errors"] == []
    assert page_report["console_errors"] == []


def test_needs_no_network(page_report):
    assert page_report["network_requests"] == []


def test_panes_and_layers_are_in_the_dom(page_report, plan28_map_layers):
    panes = " ".join(page_report["panes"])
    for pane in ("leaflet-map-pane", "leaflet-peacemap-zones-pane", "leaflet-peacemap-lines-pane", "leaflet-peacemap-points-pane"):
        assert pane in panes
    assert page_report["zone_paths"] == len(plan28_map_layers.zones)  # one SVG path per zone
    assert page_report["line_paths"] == 2 * len(plan28_map_layers.contact_line)  # each line on its white casing


def test_land_given_up_is_hatched(page_report):
    assert page_report["hatch_fill"].startswith("url(")  # the SVG hatch pattern, not a flat colour


def test_layer_control_lists_every_layer(page_report, plan28_map_layers):
    from peacemap.maps.style import STATUS_STYLES

    names = page_report["layer_names"]
    expected = [STATUS_STYLES[s].label for s in STATUS_STYLES if s in set(plan28_map_layers.zones["status"])]
    expected += ["Region names", "Cities and towns", "Plain background"]
    for name in expected:
        assert name in names
    assert any(name.startswith("Line of contact") for name in names)


def test_screenshot_shows_the_map(page_report):
    image = mpimg.imread(io.BytesIO(page_report["screenshot"]), format="png")[:, :, :3]
    colours = np.unique((image * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert image.std() > 0.05
    assert len(colours) > 100  # a blank page has one or two colours
