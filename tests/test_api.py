"""The Python API (peacemap/api.py), and the Python examples of the README and the documentation
site, run as written."""

import datetime as dt
import re
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely

import peacemap

ROOT = Path(__file__).resolve().parent.parent
# Where the examples are, in the order a reader meets them; each file's examples run in turn.
EXAMPLE_PAGES = ("README.md", "docs/quickstart.md", "docs/reference/api.md", "docs/howto/compare-plans.md", "docs/howto/line-over-time.md")


def _python_examples(page: str) -> list[str]:
    text = (ROOT / page).read_text(encoding="utf-8")
    if page == "README.md":
        text = text.split("## Python\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def _is_map_saved(namespace: dict, folder: Path) -> bool:
    return isinstance(namespace["fmap"], folium.Map) and (folder / "plan28.html").stat().st_size > 100_000


# What each page's examples leave behind: name -> a check of it (the folder they ran in given).
PROMISED = {
    "README.md": {"layers": lambda v, _: isinstance(v.zones, gpd.GeoDataFrame), "dmz": lambda v, _: v["area_km2"] > 0, "fmap": lambda _, ns: True},
    "docs/quickstart.md": {"dmz": lambda v, _: isinstance(v, gpd.GeoDataFrame) and len(v) > 0, "headline": lambda v, _: "russian_side" in v},
    "docs/reference/api.md": {
        "plans": lambda v, _: isinstance(v, pd.DataFrame),
        "table": lambda v, _: isinstance(v, pd.DataFrame),
        "fmap": lambda _, ns: True,
        "land": lambda v, _: isinstance(v, gpd.GeoDataFrame),
    },
    "docs/howto/compare-plans.md": {"plans": lambda v, _: isinstance(v, pd.DataFrame), "strict": lambda v, _: isinstance(v, peacemap.Report)},
    "docs/howto/line-over-time.md": {
        "donetsk": lambda v, _: isinstance(v, pd.DataFrame) and len(v) == 20,
        "waiting": lambda v, _: isinstance(v, pd.DataFrame),
        "said": lambda v, _: isinstance(v, pd.DataFrame),
    },
}


@pytest.mark.parametrize("page", EXAMPLE_PAGES)
def test_the_examples_run(page, tmp_path, monkeypatch):
    examples = _python_examples(page)
    assert examples, f"{page} has no Python example"
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for example in examples:  # each page on its own, as a reader copies it
        exec(compile(example, page, "exec"), namespace)  # the project's own pages
    for name, check in PROMISED[page].items():
        assert check(namespace[name], namespace), f"{page}: {name}"
    if "fmap" in PROMISED[page]:
        assert _is_map_saved(namespace, tmp_path), page


def test_zones_are_epsg_4326_and_the_dmz_is_the_reports(plan28_report):
    zones = peacemap.plan_layers("plan28", "2025-11-20").zones
    assert isinstance(zones, gpd.GeoDataFrame)
    assert zones.crs.to_epsg() == 4326
    dmz_km2 = round(float(zones.loc[zones["status"] == "dmz", "area_km2"].sum()), 1)
    assert dmz_km2 == plan28_report["headline"]["ceded_demilitarised"]["area_km2"]


def test_report_frame_has_one_row_per_region_and_status():
    report = peacemap.report("plan28", dt.date(2025, 11, 20))
    frame = report.to_frame()
    document = report.to_dict()
    assert len(frame) == sum(len(region["zones"]) for region in document["regions"])
    assert not frame.duplicated(["region", "status"]).any()
    assert frame.loc[~frame["combined"], "area_km2"].sum() == pytest.approx(document["ukraine_area_km2"], abs=1.0)


def test_dates_plans_and_errors_are_accepted_as_the_cli_accepts_them(tmp_path):
    plan_file = tmp_path / "freeze.toml"
    from importlib import resources

    plan_file.write_text(resources.files("peacemap.layers.plans").joinpath("builtin", "freeze.toml").read_text(encoding="utf-8"))
    assert peacemap.plan_layers(plan_file, "2025-11-20").plan.id == "freeze"  # a pathlib.Path
    with pytest.raises(peacemap.PlanError):
        peacemap.plan_layers("no-such-plan")
    with pytest.raises(peacemap.SnapshotDateError):
        peacemap.plan_layers("plan28", "1999-01-01")
    with pytest.raises(peacemap.PeacemapError, match="'date' should be"):
        peacemap.plan_layers("plan28", "20 November")


def test_the_package_is_typed_and_imports_fast():
    import subprocess
    import sys

    assert (Path(peacemap.__file__).parent / "py.typed").is_file()
    code = "import sys, peacemap; print(sorted(m for m in ('geopandas', 'shapely', 'pandas') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


# --------------------------------------------------------------------------------------------
# Arguments (issue 24, item 7; issue 25, item 8): one-line errors naming the argument, what was
# expected and what arrived; one option id and one region code are one, not their letters.


@pytest.mark.parametrize(
    ("call", "argument", "arrived"),
    [
        (lambda: peacemap.report(5), "'plan'", "got 5 (int)"),
        (lambda: peacemap.report(None), "'plan'", "got None (NoneType)"),
        (lambda: peacemap.report("plan28", control=b'{"type": "FeatureCollection"}'), "'control'", "(bytes)"),
        (lambda: peacemap.plan_layers("plan20", options=5), "'options'", "got 5 (int)"),
        (lambda: peacemap.plan_layers("plan20", options=[None]), "'options'", "got [None] (list)"),
        (lambda: peacemap.timeline(regions=["UA-99"]), "'regions'", "got 'UA-99'"),
        (lambda: peacemap.timeline(regions=14), "'regions'", "got 14 (int)"),
        (lambda: peacemap.plan_layers("plan28", 20251120), "'date'", "got 20251120 (int)"),
    ],
    ids=["plan-int", "plan-none", "control-bytes", "options-int", "options-none", "regions-unknown", "regions-int", "date-int"],
)
def test_a_wrong_argument_is_a_one_line_argument_error(call, argument, arrived):
    with pytest.raises(peacemap.ArgumentError) as raised:
        call()
    error = raised.value
    assert isinstance(error, peacemap.PeacemapError)
    assert isinstance(error, TypeError)
    assert isinstance(error, ValueError)
    message = str(error)
    assert message.startswith(f"{argument} should be ")
    assert arrived in message
    assert "\n" not in message


def test_one_option_id_is_one_option():
    layers = peacemap.plan_layers("plan20", "2025-11-20", options="donetsk-zone")
    assert layers.plan.enabled_options == ("donetsk-zone",)
    assert "dmz_mutual" in set(layers.zones["status"])


def test_one_region_code_is_one_region():
    one = peacemap.timeline("2025-11-19", "2025-11-20", regions="UA-14")
    assert set(one["region"]) == {"UA-14"}
    assert len(one) == 2
    two = peacemap.timeline("2025-11-20", "2025-11-20", regions=("ua-14", "UA-23"))
    assert set(two["region"]) == {"UA-14", "UA-23"}


@pytest.fixture(scope="module")
def deepstate_20251120():
    from peacemap.layers.sources.deepstate import deepstate_control

    return deepstate_control(dt.date(2025, 11, 20)).polygon


@pytest.mark.parametrize("form", ["GeoDataFrame", "GeoSeries", "geometry", "GeoDataFrame-EPSG:3035"])
def test_control_takes_the_occupied_territory_in_memory(plan28_report, deepstate_20251120, form):
    # The same polygon as DeepState's 2025-11-20 snapshot, given in memory, gives the same figures.
    data = {
        "GeoDataFrame": gpd.GeoDataFrame(geometry=[deepstate_20251120], crs=4326),
        "GeoSeries": gpd.GeoSeries([deepstate_20251120], crs=4326),
        "geometry": deepstate_20251120,
        "GeoDataFrame-EPSG:3035": gpd.GeoDataFrame(geometry=[deepstate_20251120], crs=4326).to_crs(3035),
    }[form]
    document = peacemap.report("plan28", "2025-11-20", control=data).to_dict()
    source = next(entry for entry in document["sources"] if entry["id"] == "control")
    assert re.fullmatch(r"[0-9a-f]{64}", source["sha256"])
    assert source["name"].startswith(f"in-memory control map (sha256 {source['sha256'][:12]}…), as of 2025-11-20")
    assert document["control_snapshot"] == source["name"]
    if form == "GeoDataFrame-EPSG:3035":  # projected there and back: the same land to within rounding
        assert document["headline"]["ceded_demilitarised"]["area_km2"] == pytest.approx(plan28_report["headline"]["ceded_demilitarised"]["area_km2"], abs=0.5)
    else:  # statements included: the API's report of the DeepState snapshot itself
        assert document["headline"] == peacemap.report("plan28", "2025-11-20").to_dict()["headline"]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (lambda: shapely.box(30.3, 50.3, 30.7, 50.6), "covers Kyiv city"),
        (lambda: gpd.GeoDataFrame(geometry=[shapely.box(37.5, 47.8, 37.9, 48.1)]), "declares no CRS"),
        (lambda: shapely.box(2.0, 48.0, 3.0, 49.0), "outside Ukraine"),
        (lambda: shapely.LineString([(37.5, 47.8), (37.9, 48.1)]), "has no polygons"),
    ],
    ids=["kyiv", "no-crs", "paris", "a-line"],
)
def test_an_in_memory_map_is_checked_as_a_control_file(data, problem):
    with pytest.raises(peacemap.ControlFileError, match=problem):
        peacemap.plan_layers("plan28", "2025-11-20", control=data())
