"""A plan's zones on every snapshot (`peacemap timeline --plan ID -o zones.gpkg|.parquet`): one
feature per zone and day with a `date`, QGIS's temporal controller style, GeoParquet 1.1."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ElementTree

import geopandas as gpd
import pyarrow.parquet as parquet
import pytest

from peacemap.cli.main import cli
from peacemap.layers.plans.apply import build_plan_layers
from peacemap.layers.plans.model import load_plan
from peacemap.layers.sources import registry
from peacemap.layers.sources.deepstate import deepstate_control

RANGE = ["--from", "2025-11-18", "--to", "2025-11-20"]  # three snapshots, up to the day plan28 was handed over


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("zones")
    for suffix in ("gpkg", "parquet"):
        result = CliRunner().invoke(cli, ["-q", "timeline", "--plan", "plan28", *RANGE, "-o", str(folder / f"z.{suffix}")])
        assert result.exit_code == 0, result.output
    return folder


def test_one_feature_per_zone_and_day_as_the_report_makes_them(written):
    table = gpd.read_file(written / "z.gpkg", layer="zones")
    days = [d for d in registry.deepstate_dates() if d.isoformat() in ("2025-11-18", "2025-11-19", "2025-11-20")]
    assert sorted(table["date"].dt.strftime("%Y-%m-%d").unique()) == [d.isoformat() for d in days]
    plan = load_plan("plan28")
    for day in days:
        expected = build_plan_layers(plan, deepstate_control(day)).zones
        mine = table[table["date"].dt.strftime("%Y-%m-%d") == day.isoformat()]
        assert len(mine) == len(expected)
        key = ["region", "control", "status"]
        assert sorted(map(tuple, mine[key].to_numpy())) == sorted(map(tuple, expected[key].to_numpy()))
        assert mine["area_km2"].sum() == pytest.approx(expected["area_km2"].sum(), abs=1e-6)
        assert set(mine["snapshot_sha256"]) == {registry.deepstate_source(day).sha256}


def test_the_geopackage_has_a_date_field_and_a_temporal_style(written):
    with sqlite3.connect(written / "z.gpkg") as db:
        columns = {name: kind for _, name, kind, *_ in db.execute("PRAGMA table_info(zones)")}
        (qml,) = db.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = 'zones' AND useAsDefault = 1").fetchone()
    assert columns["date"] == "DATETIME"
    assert '<temporal enabled="1" mode="1"' in qml
    assert 'startField="date"' in qml
    assert 'fixedDuration="86399"' in qml
    assert 'durationUnit="s"' in qml
    assert "Temporal" in qml  # a day less a second: tests/test_qgis.py says why
    # The plan map's zone rules (issue 26): land given up hatched and land returned outlined, from
    # the rows' own control and side after the plan, labelled for the day the controller shows.
    rules = {rule.get("filter"): rule.get("label") for rule in ElementTree.fromstring(qml.split("\n", 1)[1]).iter("rule")}
    assert rules[""""control" = 'held' AND "side_after" = 'russian'"""] == "Held by Ukraine on the day shown, Russian side under the plan"
    assert """"status" = 'dmz'""" in rules


def test_the_parquet_file_is_geoparquet_1_1_with_a_bbox_covering(written):
    path = written / "z.parquet"
    geo = json.loads(parquet.read_schema(path).metadata[b"geo"])
    assert geo["version"] == "1.1.0"
    assert geo["columns"]["geometry"]["covering"]["bbox"]["xmin"] == ["bbox", "xmin"]
    table = gpd.read_parquet(path)
    assert table.crs.equals(4326)
    assert len(table) == len(gpd.read_file(written / "z.gpkg", layer="zones"))
    assert {"date", "region", "status", "area_km2"} <= set(table.columns)
    boxes = parquet.read_table(path, columns=["bbox"]).column("bbox").to_pylist()
    bounds = table.geometry.bounds
    assert all(box["xmin"] <= x + 1e-6 and box["ymax"] >= y - 1e-6 for box, x, y in zip(boxes, bounds["minx"], bounds["maxy"], strict=True))
    # Reading by extent uses the covering: Kyiv city alone, on each of the three days.
    kyiv = gpd.read_parquet(path, bbox=(30.5, 50.44, 30.53, 50.46))
    assert "UA-30" in set(kyiv["region"])
    assert len(kyiv) < len(table)
    assert json.loads(parquet.read_schema(path).metadata[b"peacemap"])["plan"] == "plan28"


def test_zones_need_a_plan(tmp_path):
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["timeline", *RANGE, "-o", str(tmp_path / "z.gpkg")])
    assert result.exit_code == 2
    assert "needs --plan" in result.output
