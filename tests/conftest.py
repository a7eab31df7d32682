"""Shared fixtures: the real data, read once per test session through the registry."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

CHROMIUM = os.environ.get("PEACEMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
RENDER_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def regions():
    """Region land polygons built from the real sources (geoBoundaries, Natural Earth, DeepState)."""
    from peacemap.layers.regions import load_regions

    return load_regions()


@pytest.fixture(scope="session")
def centres():
    """Every hromada of the official 2022 table placed on the map (EPSG:4326)."""
    from peacemap.layers.population.placement import hromada_centres

    return hromada_centres()


@pytest.fixture(scope="session")
def territories(centres, regions):
    """Hromada territories: the OPORA polygons joined to table 6, tiling every region (the same
    object the registry's model uses, built once per process)."""
    from peacemap.layers.population.territories import hromada_territories

    return hromada_territories()


@pytest.fixture(scope="session")
def settlements(territories):
    """The cities and towns of table 5, located and given to their hromadas."""
    from peacemap.layers.population.settlements import located_settlements

    return located_settlements()


@pytest.fixture(scope="session")
def model(territories, settlements):
    """The 2022 population model built from the real sources (the one ``zone_population`` uses
    by default, so that it is built once per test session)."""
    from peacemap.layers.population.model import population_model

    return population_model()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def plan28_layers(regions):
    """The 28-point plan's layers on 2025-11-20 (the day it was handed to Kyiv), DeepState control."""
    import datetime as dt

    from peacemap.layers.control.split import deepstate_control
    from peacemap.layers.plans.model import load_plan
    from peacemap.layers.plans.apply import build_plan_layers

    return build_plan_layers(load_plan("plan28"), deepstate_control(dt.date(2025, 11, 20)), regions=regions)


@pytest.fixture(scope="session")
def plan28_report(plan28_layers):
    """The report of the 28-point plan on 2025-11-20, with the real population model."""
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import build_report

    return build_report(plan28_layers, zone_population)


@pytest.fixture(scope="session")
def plan28_map_layers(plan28_layers):
    """plan28_layers simplified for drawing, with the hromada territories (as the pipeline adds them)."""
    from peacemap.maps.prepare import prepare_map_layers
    from peacemap.pipeline import with_hromadas

    return prepare_map_layers(with_hromadas(plan28_layers))


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


def _only_files(route, report):  # noqa: ANN001 - playwright Route
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        report["network_requests"].append(route.request.url)
        route.abort()


@pytest.fixture(scope="session")
def chromium():
    """Open an HTML file in Debian's headless Chromium (driven by playwright) with the network
    off, wait for the map's zones to draw, run ``probe(page, report)``, take a screenshot.

    Returns a function ``(html_path, profile_dir, probe) -> report`` where the report holds
    ``console_errors``, ``page_errors``, ``network_requests``, ``screenshot`` and what the
    probe added. Fails under CI (CI=true) and skips elsewhere if chromium is missing.
    """
    _require_browser()
    from playwright.sync_api import sync_playwright

    def render(html_path, profile_dir, probe):  # noqa: ANN001, ANN202
        report = {"console_errors": [], "page_errors": [], "network_requests": []}
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(profile_dir), executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True,
                offline=True, viewport={"width": 1200, "height": 800},
            )
            try:
                context.route("**/*", lambda route: _only_files(route, report))
                page = context.new_page()
                page.on("console", lambda m: m.type == "error" and report["console_errors"].append(m.text))
                page.on("pageerror", lambda e: report["page_errors"].append(str(e)))
                page.goto(Path(html_path).as_uri())
                page.wait_for_selector(".leaflet-peacemap-zones-pane path", state="attached", timeout=RENDER_TIMEOUT_MS)
                page.wait_for_timeout(500)
                probe(page, report)
                report["screenshot"] = page.screenshot()
            finally:
                context.close()
        return report

    return render
