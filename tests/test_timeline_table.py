"""The timeline: gaps, trailing changes, the DMZ pace, and equality with the report's figures."""

from __future__ import annotations

import datetime as dt
import json
import math
import os

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from peacemap.layers import settings
from peacemap.layers.control import split as control
from peacemap.layers.errors import SnapshotDateError
from peacemap.layers.sources import deepstate, registry
from peacemap.layers.timeline import cache as timeline_cache
from peacemap.layers.timeline import series as timeline
from peacemap.layers.timeline import table as timeline_table

# 2025-11-26 has no DeepState snapshot (the data mirror's README lists 5 gaps; this is one).
GAP = dt.date(2025, 11, 26)
PLAN_DAY = dt.date(2025, 11, 20)  # the day the 28-point plan was handed to Kyiv
RANGE = (dt.date(2025, 11, 18), dt.date(2025, 11, 28))
# The fast path cuts the regions at other places than the report, so its areas differ in
# rounding only: at most 7e-5 km² on 30 days sampled over the whole range.
TOLERANCE_KM2 = 0.001


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory):
    """A private user cache for the whole session, so tests never touch the real one."""
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    settings.reload()
    yield folder
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous
    settings.reload()


@pytest.fixture(scope="session")
def units(cache_home):
    return timeline_cache.load_units()


@pytest.fixture(scope="session")
def donetsk_range(cache_home):
    """Timeline of Donetsk and Luhansk over RANGE: about 100 consecutive snapshots computed."""
    return timeline_table.build_timeline(*RANGE, ["UA-14", "UA-09"])


def report_occupied_km2(units, day: dt.date) -> pd.Series:
    """The report's occupied km² per unit on ``day``: control_zones on split_country (layers.control)."""
    frame = gpd.GeoDataFrame({"code": units.codes, "name": units.codes}, geometry=units.geometries, crs=4326)
    split = control.split_country(shapely.union_all(frame.geometry.values), deepstate.read_snapshot(day))
    zones = control.control_zones(frame, split)
    return zones[zones["control"] == control.OCCUPIED].set_index("region")["area_km2"]


# --- pure arithmetic -------------------------------------------------------------------------


def test_trailing_change_looks_back_by_date_not_by_row():
    days = pd.date_range("2025-01-01", periods=8, freq="D").date
    values = pd.Series([10.0, 11.0, np.nan, 14.0, 15.0, 17.0, 20.0, 24.0], index=days)  # 3 Jan is a gap
    change = timeline_table.trailing_change(values, 3)
    # by hand: 4 Jan - 1 Jan = 4; 5 Jan - 2 Jan = 4; 6 Jan - 3 Jan (gap) = missing; 7 Jan - 4 Jan = 6
    assert math.isnan(change.iloc[0])
    assert math.isnan(change.iloc[2])
    assert change.iloc[3] == 4.0
    assert change.iloc[4] == 4.0
    assert math.isnan(change.iloc[5])
    assert change.iloc[6] == 6.0
    assert change.iloc[7] == 24.0 - 15.0


def test_dmz_pace_arithmetic():
    # 900 km² gained in 90 days is 10 km² a day; 5,000 km² held then take 500 days.
    assert timeline_table.days_to_occupy(5000.0, 900.0) == pytest.approx(500.0)
    # 45 km² in 90 days is 0.5 km² a day: 6,100 km² take 12,200 days.
    assert timeline_table.days_to_occupy(6100.0, 45.0) == pytest.approx(12200.0)
    assert timeline_table.days_to_occupy(5000.0, 0.0) is None
    assert timeline_table.days_to_occupy(5000.0, -12.5) is None
    assert math.isnan(timeline_table.days_to_occupy(5000.0, float("nan")))


# --- the timeline on the real data -------------------------------------------------------------


def test_every_day_of_the_range_has_one_row_per_region(donetsk_range):
    table = donetsk_range.table
    days = pd.date_range(*RANGE, freq="D").date
    assert sorted(table["date"].unique()) == list(days)
    assert (table.groupby("date").size() == 2).all()


def test_gap_day_is_flagged_and_left_empty(donetsk_range):
    assert donetsk_range.gaps == (GAP,)
    rows = donetsk_range.table[donetsk_range.table["date"] == GAP]
    assert set(rows["status"]) == {"gap"}
    assert rows[["occupied_km2", "held_km2", "change_30d_km2", "change_90d_km2"]].isna().all().all()
    others = donetsk_range.table[donetsk_range.table["date"] != GAP]
    assert set(others["status"]) == {"snapshot"}
    assert others["occupied_km2"].notna().all()


def test_gap_is_visible_in_csv(donetsk_range):
    from peacemap.layers.report.records import records_to_csv

    lines = records_to_csv(timeline_table.timeline_records(donetsk_range)).splitlines()
    gap_lines = [line for line in lines if line.startswith(GAP.isoformat())]
    assert len(gap_lines) == 2
    assert all(",gap,," in line for line in gap_lines)


def test_rows_follow_the_contract(donetsk_range):
    from peacemap.layers.report.contract import TimelineRow, mismatches

    records = timeline_table.timeline_records(donetsk_range)
    assert records
    assert all(mismatches(record, TimelineRow) == [] for record in records)


def test_trailing_change_compares_with_the_day_30_days_before(donetsk_range):
    table = donetsk_range.table.set_index(["region", "date"])
    series = timeline.occupied_series([PLAN_DAY - dt.timedelta(days=30), PLAN_DAY])
    expected = series.loc[PLAN_DAY, "UA-14"] - series.loc[PLAN_DAY - dt.timedelta(days=30), "UA-14"]
    assert table.loc[("UA-14", PLAN_DAY), "change_30d_km2"] == pytest.approx(expected, abs=1e-9)


def test_donetsk_pace_is_held_over_daily_gain(donetsk_range):
    row = donetsk_range.table.set_index(["region", "date"]).loc[("UA-14", PLAN_DAY)]
    gain = row["change_90d_km2"]
    if gain > 0:
        assert row["dmz_days_at_90d_pace"] == pytest.approx(row["held_km2"] / (gain / 90.0))
    else:
        assert row["dmz_pace"] == timeline_table.NOT_ADVANCING


def test_donetsk_on_the_plan_day_equals_the_report(donetsk_range, units):
    report = report_occupied_km2(units, PLAN_DAY)
    row = donetsk_range.table.set_index(["region", "date"]).loc[("UA-14", PLAN_DAY)]
    assert row["occupied_km2"] == pytest.approx(report["UA-14"], abs=TOLERANCE_KM2)


@pytest.mark.parametrize("day", [dt.date(2026, 8, 13), dt.date(2025, 7, 4)])
def test_every_region_equals_the_report_after_a_big_change(units, day):
    """2026-08-13 lost 116 km² of occupied land on the day before, 2025-07-04 gained 92 km²:
    the day before is measured first, so the reuse of unchanged regions is exercised."""
    fast = units.control()
    days = [d for d in registry.deepstate_dates() if day - dt.timedelta(days=1) <= d <= day]
    for d in days:
        figures = fast.occupied_km2(deepstate.read_occupied(registry.fetch(registry.deepstate_source(d))))
    report = report_occupied_km2(units, day).loc[list(units.codes)].to_numpy()
    assert np.abs(figures - report).max() < TOLERANCE_KM2


def test_reader_gives_the_union_of_the_files_polygons():
    # An independent reading: every feature through json and shapely.geometry.shape, repaired and
    # united, as GIS software would; GEOS's GeoJSON reader must give the same land.
    for day in (dt.date(2024, 7, 8), PLAN_DAY):
        path = registry.fetch(registry.deepstate_source(day))
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        expected = shapely.union_all([shapely.make_valid(shapely.geometry.shape(f["geometry"])) for f in features])
        read = deepstate.read_occupied(path)
        assert read.is_valid
        assert abs(read.area - expected.area) < 1e-9 * expected.area
        assert shapely.symmetric_difference(read, expected).area < 1e-9 * expected.area


# --- cache ---------------------------------------------------------------------------------------


def test_cached_figures_are_keyed_by_snapshot_hash(donetsk_range, monkeypatch):
    path = timeline_cache.series_cache_path()
    cached = json.loads(path.read_text())
    sha = registry.deepstate_source(PLAN_DAY).sha256
    assert sha in cached["by_sha256"]
    # A snapshot whose pinned sha256 changed is measured again, not read from the cache.
    original = registry.deepstate_source

    def changed(day):
        source = original(day)
        return source if day != PLAN_DAY else type(source)(**{**source.__dict__, "sha256": "0" * 64})

    monkeypatch.setattr(registry, "deepstate_source", changed)
    monkeypatch.setattr(timeline, "compute_occupied", lambda days, units, **options: np.full((len(days), 27), -1.0))
    series = timeline.occupied_series([PLAN_DAY, PLAN_DAY + dt.timedelta(days=1)])
    assert (series.loc[PLAN_DAY] == -1.0).all()
    assert (series.loc[PLAN_DAY + dt.timedelta(days=1)] >= 0).all()


def test_range_outside_the_snapshots_names_the_range():
    first, last = registry.deepstate_dates()[0], registry.deepstate_dates()[-1]
    with pytest.raises(SnapshotDateError, match=f"run from {first.isoformat()} to {last.isoformat()}"):
        timeline_table.check_range(first - dt.timedelta(days=1), None)


# --- command line -------------------------------------------------------------------------------


def _cli(runner, *args):
    from peacemap.cli.main import cli

    return runner.invoke(cli, ["-q", "timeline", *args])


@pytest.mark.parametrize("suffix", [".csv", ".json", ".html", ".png"])
def test_cli_writes_each_format(runner, tmp_path, donetsk_range, suffix):
    target = tmp_path / f"t{suffix}"
    result = _cli(runner, "--from", RANGE[0].isoformat(), "--to", RANGE[1].isoformat(), "--region", "UA-14", "--region", "ua-09", "-o", str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    if suffix == ".csv":
        lines = data.decode().splitlines()
        assert lines[0].startswith("date,region,region_name,status,occupied_km2")
        assert len(lines) == 1 + 2 * ((RANGE[1] - RANGE[0]).days + 1)
    elif suffix == ".json":
        document = json.loads(data)
        assert document["gaps"] == [GAP.isoformat()]
        assert len(document["rows"]) == 22
    elif suffix == ".html":
        page = data.decode()
        assert "<svg" in page
        assert "<script>" in page
        # self-contained: nothing fetched from elsewhere (the only URL is the SVG namespace)
        assert "src=" not in page
        assert "<link" not in page
        assert page.count("http") == page.count("http://www.w3.org/2000/svg")
    else:
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]  # written atomically


def test_cli_unknown_region_is_a_usage_error(runner, tmp_path):
    result = _cli(runner, "--region", "UA-99", "-o", str(tmp_path / "t.csv"))
    assert result.exit_code == 2
    assert "UA-99" in result.output


def test_cli_date_outside_the_snapshots_is_one_line(runner, tmp_path):
    result = _cli(runner, "--from", "2020-01-01", "-o", str(tmp_path / "t.csv"))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "2024-07-08" in result.output
    assert "2020-01-01" in result.output


def test_cli_unknown_suffix_is_a_usage_error(runner, tmp_path):
    result = _cli(runner, "-o", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 2
    assert ".csv" in result.output


def _synthetic_donetsk(values: list[float], first: dt.date) -> pd.DataFrame:
    days = pd.date_range(first, periods=len(values), freq="D").date
    return timeline_table.region_rows(pd.Series(values, index=days), code="UA-14", name="Donetsk", area_km2=26_000.0, start=first).set_index("date")


def test_dmz_pace_on_a_synthetic_series():
    first = dt.date(2025, 1, 1)
    # 20,000 km² growing by 2 km² a day for 150 days, with 15 Feb missing.
    values = [20_000.0 + 2.0 * i for i in range(150)]
    values[45] = float("nan")
    rows = _synthetic_donetsk(values, first)
    day = first + dt.timedelta(days=100)  # 11 Apr: 20,200 km², 90 days before: 20,020 km²
    # by hand: gain 180 km² in 90 days = 2 km² a day; held 26,000 - 20,200 = 5,800 km²; 2,900 days
    assert rows.loc[day, "change_90d_km2"] == pytest.approx(180.0)
    assert rows.loc[day, "change_30d_km2"] == pytest.approx(60.0)
    assert rows.loc[day, "held_km2"] == pytest.approx(5_800.0)
    assert rows.loc[day, "dmz_days_at_90d_pace"] == pytest.approx(2_900.0)
    # 90 days after the gap (16 May) the pace has no base; within the first 90 days neither
    assert math.isnan(rows.loc[first + dt.timedelta(days=135), "dmz_days_at_90d_pace"])
    assert math.isnan(rows.loc[first + dt.timedelta(days=89), "change_90d_km2"])
    assert rows.loc[first + dt.timedelta(days=45), "status"] == "gap"


def test_three_paces_side_by_side_on_a_synthetic_series():
    first = dt.date(2024, 1, 1)
    # 20,000 km² growing by 1 km² a day for a year, then by 4 km² a day for 100 days.
    values = [20_000.0 + i for i in range(366)] + [20_365.0 + 4.0 * i for i in range(1, 101)]
    rows = _synthetic_donetsk(values, first)
    day = first + dt.timedelta(days=len(values) - 1)
    held = 26_000.0 - values[-1]
    # by hand: 30 days at 4 km²/day; 90 days at 4 km²/day; 365 days: 100 at 4 and 265 at 1 = 665 km²
    assert rows.loc[day, "dmz_days_at_30d_pace"] == pytest.approx(held / 4.0)
    assert rows.loc[day, "dmz_days_at_90d_pace"] == pytest.approx(held / 4.0)
    assert rows.loc[day, "dmz_days_at_365d_pace"] == pytest.approx(held / (665.0 / 365))
    assert math.isnan(rows.loc[first + dt.timedelta(days=364), "dmz_days_at_365d_pace"])  # no base a year back


def test_dmz_pace_says_never_when_the_line_does_not_advance():
    first = dt.date(2025, 1, 1)
    rows = _synthetic_donetsk([20_000.0] * 60 + [19_990.0] * 40, first)  # flat, then 10 km² lost
    for offset in (95, 99):
        day = first + dt.timedelta(days=offset)
        assert rows.loc[day, "dmz_pace"] == timeline_table.NOT_ADVANCING
        assert math.isnan(rows.loc[day, "dmz_days_at_90d_pace"])


def test_no_negative_zero_in_the_records():
    first = dt.date(2025, 1, 1)
    values = [20_000.0] * 40 + [20_000.0 - 1e-4] * 40  # a change that rounds to zero from below
    rows = _synthetic_donetsk(values, first).reset_index()
    table = timeline_table.Timeline(rows, (), first, first + dt.timedelta(days=79))
    records = timeline_table.timeline_records(table)
    assert all(not (isinstance(v, float) and v == 0 and math.copysign(1, v) < 0) for r in records for v in r.values())
