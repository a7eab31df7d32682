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

    from peacemap.layers.plans.apply import build_control_layers
    from peacemap.layers.sources.deepstate import deepstate_control

    built = {}

    def control_layers(day: str):
        if day not in built:
            built[day] = build_control_layers(deepstate_control(dt.date.fromisoformat(day)), regions=regions)
        return built[day]

    return control_layers


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def peacemap_logging():
    """The "peacemap" logger unconfigured at the start of every test: a command run in this process
    (by an earlier test, or by a module's fixture) configures it, and ``-q`` leaves errors only,
    which would hide the warnings a test looks for."""
    import logging

    logger = logging.getLogger("peacemap")
    logger.setLevel(logging.NOTSET)
    logger.handlers[:] = []
    logger.propagate = True


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
    """plan28_layers simplified for drawing, with the hromada territories (as the pipeline adds them)."""
    from peacemap.maps.prepare import prepare_map_layers
    from peacemap.pipeline import with_hromadas

    return prepare_map_layers(with_hromadas(plan28_layers))


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


# --- control maps in every format (issue 14) ------------------------------------------------------
# Built from DeepState's snapshot of 2025-11-20 (the registry's pinned copy) with pyogrio: no
# third-party control map is ever committed. Analysts' files hold several categories of area
# (assessed control, claimed areas, recent advances) and layers of points and lines besides.

CONTROL_DATE = "2025-11-20"
ASSESSED = "Assessed Russian control"
# Boxes over land Ukraine held on 2025-11-20 (lon/lat): a file's other categories, which must not
# count as occupied when --control-where picks the assessed control.
CLAIMED_BOX = (35.05, 47.80, 35.25, 47.90)  # Zaporizhzhia city
ADVANCE_BOX = (37.55, 48.55, 37.65, 48.62)  # west of Kostiantynivka, held


@pytest.fixture(scope="session")
def control_format_files(tmp_path_factory):
    """DeepState's snapshot of 2025-11-20 written in every format ``--control`` reads.

    Returns ``{case: (path, options)}``, ``options`` being the ``layer`` and ``where`` keyword
    arguments that pick the occupied land (``{}`` for a file that holds nothing else). Simple
    cases (one layer, one feature): ``kmz`` (as GDAL's LIBKML writes a KMZ: doc.kml linking
    layers/*.kml), ``zip-3857`` (a shapefile in EPSG:3857 inside a folder of a .zip), ``shp``
    (bare, with its sidecars), ``fgb``, ``topojson``, ``kml``. Analysts' cases (categories and
    other layers): ``zip-3857-categories``, ``gpkg-layers`` (EPSG:3857), ``geojson-legacy-crs``
    (EPSG:3857, the legacy ``crs`` member), ``kmz-folders`` (one doc.kml with two folders, as
    Google Earth writes one), ``topojson-layers``.
    """
    import datetime as dt
    import json
    import warnings
    import zipfile

    import geopandas as gpd
    import pandas as pd
    import shapely

    from peacemap.layers.sources import registry

    folder = tmp_path_factory.mktemp("control-formats")
    snapshot = registry.fetch(registry.deepstate_source(dt.date.fromisoformat(CONTROL_DATE)))
    occupied = gpd.read_file(snapshot)[["geometry"]]
    occupied.insert(0, "category", ASSESSED)
    extra = gpd.GeoDataFrame({"category": ["Claimed Russian control", "Russian advances"]},
                             geometry=[shapely.box(*CLAIMED_BOX), shapely.box(*ADVANCE_BOX)], crs=4326)
    areas = gpd.GeoDataFrame(pd.concat([occupied, extra], ignore_index=True), crs=4326)
    towns = gpd.GeoDataFrame({"name": ["Kramatorsk", "Sloviansk"]}, geometry=[shapely.Point(37.56, 48.74), shapely.Point(37.61, 48.85)], crs=4326)
    front = gpd.GeoDataFrame({"name": ["front"]}, geometry=[occupied.geometry.iloc[0].boundary], crs=4326)
    where = {"where": f"category = '{ASSESSED}'"}
    cases = {}

    def zipped(name, members):
        path = folder / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, source in members.items():
                archive.write(source, member) if isinstance(source, Path) else archive.writestr(member, source)
        return path

    def shapefile(frame, stem):
        frame.to_file(folder / f"{stem}.shp")
        return {suffix: folder / f"{stem}{suffix}" for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg")}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's notes on field types and KML's fixed CRS
        occupied.to_file(folder / "occupied.kmz", driver="LIBKML", layer="occupied")
        cases["kmz"] = (folder / "occupied.kmz", {})
        parts = shapefile(occupied.to_crs(3857), "occupied-3857")
        cases["zip-3857"] = (zipped("occupied-3857.zip", {f"Control map {CONTROL_DATE}/occupied{s}": p for s, p in parts.items()}), {})
        shapefile(occupied, "occupied")
        cases["shp"] = (folder / "occupied.shp", {})
        occupied.to_file(folder / "occupied.fgb")
        cases["fgb"] = (folder / "occupied.fgb", {})
        (folder / "occupied.topojson").write_text(json.dumps(_topology({"occupied": occupied})))
        cases["topojson"] = (folder / "occupied.topojson", {})
        occupied.to_file(folder / "occupied.kml", driver="KML")
        cases["kml"] = (folder / "occupied.kml", {})

        members = {f"areas{s}": p for s, p in shapefile(areas.to_crs(3857), "areas").items()}
        members.update({f"towns{s}": p for s, p in shapefile(towns.to_crs(3857), "towns").items()})
        members["__MACOSX/._areas.shp"] = b"\x00\x05\x16\x07 macOS resource fork"
        members["README.txt"] = "Assessed control, claimed areas and recent advances."
        cases["zip-3857-categories"] = (zipped("analysts-3857.zip", members), {"layer": "areas", **where})
        for name, frame in (("areas", areas), ("towns", towns), ("front", front)):
            frame.to_crs(3857).to_file(folder / "layers.gpkg", layer=name)
        cases["gpkg-layers"] = (folder / "layers.gpkg", {"layer": "areas", **where})
        areas.to_crs(3857).to_file(folder / "legacy-crs.geojson")
        cases["geojson-legacy-crs"] = (folder / "legacy-crs.geojson", where)
        areas.to_file(folder / "doc.kml", driver="KML", layer="areas")
        towns.to_file(folder / "doc.kml", driver="KML", layer="towns", mode="a")
        cases["kmz-folders"] = (zipped("folders.kmz", {"doc.kml": folder / "doc.kml"}), {"layer": "areas", **where})
        (folder / "layers.topojson").write_text(json.dumps(_topology({"areas": areas, "towns": towns})))
        cases["topojson-layers"] = (folder / "layers.topojson", {"layer": "areas", **where})
    return cases


def _topology(objects):
    """A TopoJSON topology of ``objects`` (name -> GeoDataFrame in EPSG:4326): each polygon ring
    one arc, coordinates as they are (no quantization); points as points."""
    import shapely

    arcs: list = []
    topology = {"type": "Topology", "objects": {}, "arcs": arcs}

    def ring_arcs(polygon):
        indices = []
        for ring in [polygon.exterior, *polygon.interiors]:
            arcs.append([list(xy) for xy in ring.coords])
            indices.append([len(arcs) - 1])
        return indices

    for name, frame in objects.items():
        geometries = []
        for row in frame.to_dict("records"):
            geometry = row.pop("geometry")
            if geometry.geom_type == "Point":
                shape = {"type": "Point", "coordinates": [geometry.x, geometry.y]}
            else:
                shape = {"type": "MultiPolygon", "arcs": [ring_arcs(p) for p in shapely.get_parts(geometry)]}
            geometries.append({**shape, "properties": row})
        topology["objects"][name] = {"type": "GeometryCollection", "geometries": geometries}
    return topology


@pytest.fixture(scope="session")
def control_comparisons(regions, control_format_files):
    """DeepState's 2025-11-20 snapshot (A) compared with the same polygon read from the zipped
    shapefile in EPSG:3857 (B), the other way round, and with itself; the 28-point plan,
    areas only (no population model). Keys: ``ab``, ``ba``, ``aa``."""
    import datetime as dt

    from peacemap.layers.plans.model import load_plan
    from peacemap.layers.report.control_compare import compare_controls
    from peacemap.layers.sources.control_file import read_control_file
    from peacemap.layers.sources.deepstate import deepstate_control

    deepstate = deepstate_control(dt.date.fromisoformat(CONTROL_DATE))
    path, options = control_format_files["zip-3857"]
    converted = read_control_file(path, as_of=dt.date.fromisoformat(CONTROL_DATE), **options)
    plan = load_plan("plan28")
    return {
        "ab": compare_controls(plan, deepstate, converted, None, regions=regions, date=CONTROL_DATE),
        "ba": compare_controls(plan, converted, deepstate, None, regions=regions, date=CONTROL_DATE),
        "aa": compare_controls(plan, deepstate, deepstate, None, regions=regions, date=CONTROL_DATE),
    }


@pytest.fixture(autouse=True, scope="session")
def _pinned_snapshots_only(tmp_path_factory):
    """The tests see the snapshots the release pins, not those `peacemap data update` may have
    taken into the user cache (an empty folder of recorded snapshots, in this process)."""
    from peacemap.layers.sources import registry

    empty = tmp_path_factory.mktemp("recorded-snapshots")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(registry, "recorded_dir", lambda: empty)
        registry.reload()
        yield
    registry.reload()
