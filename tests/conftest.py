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
def model(centres, regions):
    """The 2022 population model built from the real sources."""
    from peacemap.layers.population.model import build_population_model

    return build_population_model(centres, regions)


@pytest.fixture(scope="session")
def zone_population_memo():
    """The real 2022 population model, each region's zones estimated once per session
    (layers.report.figures.RegionPopulationMemo: the same figures, computed once)."""
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import RegionPopulationMemo

    return RegionPopulationMemo(zone_population)


@pytest.fixture(scope="session")
def control_layers_on(regions):
    """A function: DeepState's held and occupied land of every region on a date (YYYY-MM-DD),
    built once per date and shared by every plan drawn on it."""
    import datetime as dt

    from peacemap.layers.sources.deepstate import deepstate_control
    from peacemap.layers.plans.apply import build_control_layers

    built = {}

    def control_layers(day: str):
        if day not in built:
            built[day] = build_control_layers(deepstate_control(dt.date.fromisoformat(day)), regions=regions)
        return built[day]

    return control_layers


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def control_layers_20251120(regions):
    """Held and occupied land of every region on DeepState's 2025-11-20 snapshot (any plan applies to it)."""
    import datetime as dt

    from peacemap.layers.plans.apply import build_control_layers
    from peacemap.layers.sources.deepstate import deepstate_control

    return build_control_layers(deepstate_control(dt.date(2025, 11, 20)), regions=regions)


@pytest.fixture(scope="session")
def plan28_layers(control_layers_20251120):
    """The 28-point plan's layers on 2025-11-20 (the day it was handed to Kyiv), DeepState control."""
    from peacemap.layers.plans.apply import apply_plan
    from peacemap.layers.plans.model import load_plan

    return apply_plan(load_plan("plan28"), control_layers_20251120)


@pytest.fixture(scope="session")
def plan28_report(plan28_layers):
    """The report of the 28-point plan on 2025-11-20, with the real population model."""
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import build_report

    return build_report(plan28_layers, zone_population)


@pytest.fixture(scope="session")
def plan28_map_layers(plan28_layers):
    """plan28_layers simplified for drawing."""
    from peacemap.maps.prepare import prepare_map_layers

    return prepare_map_layers(plan28_layers)


@pytest.fixture(scope="session")
def plan28_static_figure(plan28_map_layers):
    """The static plan28 map (matplotlib Figure, default size)."""
    from peacemap.maps.static import static_map

    return static_map(plan28_map_layers)


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
