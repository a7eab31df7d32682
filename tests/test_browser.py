"""The plan28 HTML map in headless Chromium with the network off: it draws, with no errors.

Needs Debian's chromium (``apt-get install -y chromium``; .ci/run installs it) and the
playwright package (the ``test`` extra), which drives it; no browser is downloaded. Without
chromium the test fails under CI (CI=true) and is skipped elsewhere.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

from peacemap.maps.html import build_html_map, save_html

CHROMIUM = os.environ.get("PEACEMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
RENDER_TIMEOUT_MS = 30_000


def _require_browser():
    problem = ""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        problem = f"chromium not found at {CHROMIUM}: install it with 'apt-get install -y chromium'"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is missing: pip install -e '.[test]'"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test cannot run: {problem}")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def page_report(plan28_map_layers, tmp_path_factory):
    """Open the self-contained plan28 map offline; return what the page showed and logged."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("browser")
    html_path = save_html(build_html_map(plan28_map_layers), folder / "plan28.html")
    report = {"console_errors": [], "page_errors": [], "network_requests": []}
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(folder / "profile"), executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True,
            offline=True, viewport={"width": 1200, "height": 800},
        )
        try:
            context.route("**/*", lambda route: _only_files(route, report))
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and report["console_errors"].append(m.text))
            page.on("pageerror", lambda e: report["page_errors"].append(str(e)))
            page.goto(html_path.as_uri())
            page.wait_for_selector(".leaflet-peacemap-zones-pane path", state="attached", timeout=RENDER_TIMEOUT_MS)
            page.wait_for_timeout(500)
            report["panes"] = page.eval_on_selector_all(".leaflet-pane", "els => els.map(e => e.className)")
            report["zone_paths"] = page.eval_on_selector_all(".leaflet-peacemap-zones-pane path", "els => els.length")
            report["line_paths"] = page.eval_on_selector_all(".leaflet-peacemap-lines-pane path", "els => els.length")
            report["layer_names"] = page.eval_on_selector_all(".leaflet-control-layers label", "els => els.map(e => e.textContent.trim())")
            report["hatch_fill"] = page.eval_on_selector(".leaflet-peacemap-zones-pane path.peacemap-status-dmz", "e => getComputedStyle(e).fill")
            report["screenshot"] = page.screenshot()
        finally:
            context.close()
    return report


def _only_files(route, report):  # noqa: ANN001 - playwright Route
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        report["network_requests"].append(route.request.url)
        route.abort()


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
    assert page_report["line_paths"] == len(plan28_map_layers.contact_line)


def test_dmz_is_hatched(page_report):
    assert page_report["hatch_fill"].startswith("url(")  # the SVG hatch pattern, not a flat colour


def test_layer_control_lists_every_layer(page_report, plan28_map_layers):
    from peacemap.maps.style import STATUS_STYLES

    names = page_report["layer_names"]
    expected = [STATUS_STYLES[s].label for s in STATUS_STYLES if s in set(plan28_map_layers.zones["status"])]
    expected += ["Region names", "Key places", "Plain background"]
    for name in expected:
        assert name in names
    assert any(name.startswith("Line of contact") for name in names)


def test_screenshot_shows_the_map(page_report):
    image = mpimg.imread(io.BytesIO(page_report["screenshot"]), format="png")[:, :, :3]
    colours = np.unique((image * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert image.std() > 0.05 and len(colours) > 100  # a blank page has one or two colours
