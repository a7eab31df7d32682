"""The Python API (peacemap/api.py) and the README's Python examples, run as written."""

import datetime as dt
import re
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest

import peacemap

README = Path(__file__).resolve().parent.parent / "README.md"


def _python_examples() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## Python\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_readme_examples_run(tmp_path, monkeypatch):
    examples = _python_examples()
    assert len(examples) >= 3
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for example in examples:
        exec(compile(example, "README.md", "exec"), namespace)  # noqa: S102 - the project's own README
    assert isinstance(namespace["fmap"], folium.Map) and (tmp_path / "plan28.html").stat().st_size > 100_000
    assert isinstance(namespace["land"], gpd.GeoDataFrame) and isinstance(namespace["donetsk"], pd.DataFrame)


def test_zones_are_epsg_4326_and_the_dmz_is_the_reports(plan28_report):
    zones = peacemap.plan_layers("plan28", "2025-11-20").zones
    assert isinstance(zones, gpd.GeoDataFrame) and zones.crs.to_epsg() == 4326
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
