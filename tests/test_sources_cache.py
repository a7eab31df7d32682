"""The disk cache (layers/sources/cache.py): keys, atomic and checked files, damage rebuilt with one
warning, PEACEMAP_NO_CACHE, `peacemap cache`, and the same build outputs cold, warm and from two
processes started together on an empty cache."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from peacemap.cli.main import cli
from peacemap.layers import settings
from peacemap.layers.sources import cache

PEACEMAP = Path(sys.executable).with_name("peacemap")


@pytest.fixture
def empty_cache(setenv, tmp_path, monkeypatch):
    """An empty user cache under tmp_path; data sources still come from the shared mirror."""
    setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    setenv(settings.NO_CACHE_ENV, None)
    return tmp_path / "cache"


def _frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["UA-14", "UA-09"], "area_km2": [0.1 + 0.2, float("nan")], "n": [1, 2]}, geometry=[box(37, 47, 38, 48), shapely.MultiPolygon()], crs=4326
    )


def test_a_frame_reads_back_exactly():
    frame = _frame()
    back = cache.frame_loads(cache.frame_dumps(frame))
    assert back.equals(frame)
    assert back.crs == frame.crs
    assert list(back.dtypes) == list(frame.dtypes)
    assert back.loc[0, "area_km2"] == 0.1 + 0.2  # the float itself, not a rounded copy


def test_an_entry_is_computed_once_then_read(empty_cache):
    calls = []

    def compute() -> gpd.GeoDataFrame:
        calls.append(1)
        return _frame()

    first = cache.cached("test", "k", compute, dump=cache.frame_dumps, load=cache.frame_loads)
    second = cache.cached("test", "k", compute, dump=cache.frame_dumps, load=cache.frame_loads)
    assert len(calls) == 1
    assert second.equals(first)
    assert [entry.kind for entry in cache.entries()] == ["test"]


def test_without_the_cache_nothing_is_read_or_written(setenv, empty_cache, monkeypatch):
    setenv(settings.NO_CACHE_ENV, "1")
    calls = []
    for _ in range(2):
        cache.cached("test", "k", lambda: calls.append(1) or _frame(), dump=cache.frame_dumps, load=cache.frame_loads)
    assert len(calls) == 2
    assert not empty_cache.exists()


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty"])
def test_a_damaged_entry_is_rebuilt_with_one_warning(empty_cache, caplog, damage):
    cache.cached("test", "k", _frame, dump=cache.frame_dumps, load=cache.frame_loads)
    path = cache.entry_path("test", "k")
    data = path.read_bytes()
    path.write_bytes({"truncated": data[: len(data) // 2], "flipped": data[:-5] + bytes([data[-5] ^ 1]) + data[-4:], "empty": b""}[damage])
    with caplog.at_level(logging.WARNING, logger="peacemap"):
        value = cache.cached("test", "k", _frame, dump=cache.frame_dumps, load=cache.frame_loads)
    assert value.equals(_frame())
    assert len([r for r in caplog.records if "unreadable cache file" in r.message]) == 1
    assert path.read_bytes() == data  # rebuilt


def _other_frame() -> gpd.GeoDataFrame:
    return _frame().assign(n=[3, 4])


@pytest.mark.parametrize("swap", ["same-kind", "other-kind"])
def test_an_entry_copied_over_another_is_damage_and_rebuilt(empty_cache, caplog, swap):
    # Issue 24, item 5: an entry is tied to its kind and key, not only to its checksum.
    source_kind = "test" if swap == "same-kind" else "other"
    cache.cached(source_kind, "a", _other_frame, dump=cache.frame_dumps, load=cache.frame_loads)
    cache.cached("test", "b", _frame, dump=cache.frame_dumps, load=cache.frame_loads)
    kept = cache.entry_path("test", "b").read_bytes()
    cache.entry_path("test", "b").write_bytes(cache.entry_path(source_kind, "a").read_bytes())
    with caplog.at_level(logging.WARNING, logger="peacemap"):
        value = cache.cached("test", "b", _frame, dump=cache.frame_dumps, load=cache.frame_loads)
    assert value.equals(_frame())
    warnings = [r.getMessage() for r in caplog.records if "unreadable cache file" in r.getMessage()]
    assert len(warnings) == 1, warnings
    assert f"it holds the {source_kind} entry a, not the test entry b" in warnings[0], warnings
    assert cache.entry_path("test", "b").read_bytes() == kept  # rebuilt


def test_a_changed_source_method_or_code_changes_the_key():
    base = cache.make_key("regions", method=1, code=("peacemap.geo.area",), sources=["a" * 64])
    assert base == cache.make_key("regions", method=1, code=("peacemap.geo.area",), sources=["a" * 64])
    assert base != cache.make_key("regions", method=2, code=("peacemap.geo.area",), sources=["a" * 64])
    assert base != cache.make_key("regions", method=1, code=("peacemap.geo.area",), sources=["b" * 64])
    assert base != cache.make_key("regions", method=1, code=("peacemap.geo.clean",), sources=["a" * 64])


def test_cache_info_and_clear(empty_cache, runner):
    cache.cached("test", "k", _frame, dump=cache.frame_dumps, load=cache.frame_loads)
    result = runner.invoke(cli, ["cache", "info"])
    assert result.exit_code == 0
    assert "test" in result.stdout
    assert "1 entries" in result.stderr
    result = runner.invoke(cli, ["cache", "clear"])
    assert result.exit_code == 0
    assert "removed 1" in result.stderr
    assert cache.entries() == []


def _build(env: dict[str, str], out: Path) -> subprocess.Popen:
    """``peacemap build`` with its defaults (the README's first command) into ``out``; its warnings on
    stderr (without -q, which leaves errors only)."""
    command = [str(PEACEMAP), "build", "--out", str(out)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def _outputs(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def test_two_builds_on_an_empty_cache_damage_and_warm_runs_give_the_same_outputs(empty_cache, tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(empty_cache)}
    together = [_build(env, tmp_path / "first"), _build(env, tmp_path / "second")]
    errors = [process.communicate(timeout=600)[1] for process in together]
    assert [process.returncode for process in together] == [0, 0], [err.decode()[-500:] for err in errors]
    cold = _outputs(tmp_path / "first")
    assert len(cold) == 6
    assert _outputs(tmp_path / "second") == cold
    assert not any(b"unreadable" in err for err in errors)
    entries = cache.entries()
    kinds = {entry.kind for entry in entries}
    assert {
        "regions",
        "control",
        "hromada-centres",
        "hromada-territories",
        "town-points",
        "village-points",
        "map-context",
        "map-europe",
        "zone-population",
        "simplified-coverage",
        "locator-outline",
        "crimea-projections",
    } <= kinds
    for entry in entries:  # damage every entry: one flipped byte near the end
        data = bytearray(entry.path.read_bytes())
        data[-3] ^= 0xFF
        entry.path.write_bytes(bytes(data))
    rebuilt = _build(env, tmp_path / "rebuilt")
    _, rebuilt_errors = rebuilt.communicate(timeout=600)
    assert rebuilt.returncode == 0
    assert _outputs(tmp_path / "rebuilt") == cold
    assert rebuilt_errors.decode().count("unreadable cache file") == len([e for e in entries if e.kind != "timeline"])
    warm = _build(env, tmp_path / "warm")
    _, warm_errors = warm.communicate(timeout=600)
    assert warm.returncode == 0
    assert _outputs(tmp_path / "warm") == cold
    assert b"unreadable" not in warm_errors
    assert json.loads(cold["report.json"])["headline"]["ceded_demilitarised"]["area_km2"] > 0


@pytest.mark.parametrize("kind", ["map-context", "map-europe"])
def test_map_context_from_the_cache_equals_a_fresh_one_even_after_damage(empty_cache, kind, caplog):
    from peacemap.maps import context

    draw = {"map-context": context._drawn_neighbours, "map-europe": context._drawn_europe}[kind]
    fresh = cache.frame_dumps(draw())
    key = context._context_key(kind)
    assert cache.frame_dumps(cache.cached_frame(kind, key, draw)) == fresh  # computed and stored
    (entry,) = [e for e in cache.entries() if e.kind == kind]
    assert cache.frame_dumps(cache.cached_frame(kind, key, _fail)) == fresh  # read back
    data = bytearray(entry.path.read_bytes())
    data[-3] ^= 0xFF
    entry.path.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING):
        assert cache.frame_dumps(cache.cached_frame(kind, key, draw)) == fresh
    assert "unreadable cache file" in caplog.text


def _fail() -> gpd.GeoDataFrame:
    raise AssertionError("computed although cached")


def test_not_storing_reads_entries_of_a_kind_but_writes_none(empty_cache):
    calls = []

    def compute() -> gpd.GeoDataFrame:
        calls.append(1)
        return _frame()

    with cache.not_storing("test"):
        cache.cached("test", "new", compute, dump=cache.frame_dumps, load=cache.frame_loads)
    assert calls == [1]
    assert list(cache.entries()) == []
    cache.cached("test", "kept", compute, dump=cache.frame_dumps, load=cache.frame_loads)
    with cache.not_storing("test"):
        read = cache.cached("test", "kept", compute, dump=cache.frame_dumps, load=cache.frame_loads)
        cache.cached("other", "k", compute, dump=cache.frame_dumps, load=cache.frame_loads)
    assert len(calls) == 3
    assert read.equals(_frame())
    assert sorted(entry.kind for entry in cache.entries()) == ["other", "test"]


def _damage(kind: str) -> None:
    """Flip one byte near the end of every entry of ``kind``."""
    for entry in cache.entries():
        if entry.kind == kind:
            data = bytearray(entry.path.read_bytes())
            data[-3] ^= 0xFF
            entry.path.write_bytes(bytes(data))


def _count(kind: str) -> int:
    return len([entry for entry in cache.entries() if entry.kind == kind])


def test_geometries_read_back_exactly():
    geometries = [box(37, 47, 38.123456789, 48), None, shapely.Polygon(), shapely.MultiPolygon([box(1, 1, 2, 2)])]
    back = cache.geometries_loads(cache.geometries_dumps(geometries))
    assert back[1] is None
    assert [g.wkb for g in back if g is not None] == [g.wkb for g in geometries if g is not None]
    assert len(cache.geometries_loads(cache.geometries_dumps([]))) == 0


def _coverage(wiggle: float) -> list:
    """Two polygons (metres) sharing a wiggly border, as zones do."""
    border = [(1000.0, y * 10.0) for y in range(101)]
    border = [(x + (wiggle if i % 2 else 0.0), y) for i, (x, y) in enumerate(border)]
    return [shapely.Polygon([(0, 0), *border, (0, 1000)]), shapely.Polygon([(2000, 0), (2000, 1000), *border[::-1]])]


def test_a_simplified_coverage_from_the_cache_equals_a_fresh_one_even_after_damage(empty_cache, monkeypatch, caplog):
    from peacemap.geo.simplify import simplify_coverage
    from peacemap.maps import prepare

    polygons = _coverage(3.0)
    fresh = [g.wkb for g in simplify_coverage(polygons, tolerance_m=45.0).simplified]
    assert [g.wkb for g in prepare.simplified_coverage(polygons, tolerance_m=45.0)] == fresh  # computed and stored
    with monkeypatch.context() as patched:
        patched.setattr(prepare, "simplify_coverage", _fail)
        assert [g.wkb for g in prepare.simplified_coverage(polygons, tolerance_m=45.0)] == fresh  # read back
    _damage("simplified-coverage")
    with caplog.at_level(logging.WARNING):
        assert [g.wkb for g in prepare.simplified_coverage(polygons, tolerance_m=45.0)] == fresh
    assert "unreadable cache file" in caplog.text
    # Other polygons or another tolerance are other entries.
    prepare.simplified_coverage(_coverage(4.0), tolerance_m=45.0)
    prepare.simplified_coverage(polygons, tolerance_m=250.0)
    assert _count("simplified-coverage") == 3


def _halves(regions: gpd.GeoDataFrame, code: str, share: float) -> gpd.GeoDataFrame:
    """Region ``code`` cut in two by a meridian ``share`` of the way across it, as zones."""
    region = regions.loc[regions["code"] == code, "geometry"].iloc[0]
    west, south, east, north = region.bounds
    cut = west + share * (east - west)
    parts = [shapely.intersection(region, box(west - 1, south - 1, cut, north + 1)), shapely.intersection(region, box(cut, south - 1, east + 1, north + 1))]
    return gpd.GeoDataFrame({"region": [code, code]}, geometry=parts, index=["west", "east"], crs=4326)


def test_zone_population_from_the_cache_equals_the_models_even_after_damage(empty_cache, regions, model, monkeypatch, caplog):
    from peacemap.layers.population import model as population

    zones = _halves(regions, "UA-23", 0.5)
    fresh = population.zone_population(zones, model)
    assert population.zone_population(zones).equals(fresh)  # computed and stored
    with monkeypatch.context() as patched:
        patched.setattr(population, "_zone_population", _fail)
        assert population.zone_population(zones).equals(fresh)  # read back, index labels and all
    _damage("zone-population")
    with caplog.at_level(logging.WARNING):
        assert population.zone_population(zones).equals(fresh)
    assert "unreadable cache file" in caplog.text
    # Zones cut elsewhere miss the cache, and get their own figures.
    moved = _halves(regions, "UA-23", 0.4)
    assert population.zone_population(moved).equals(population.zone_population(moved, model))
    assert _count("zone-population") == 2
    assert not population.zone_population(moved).equals(fresh)


def test_crimea_projections_from_the_cache_equal_the_files_even_after_damage(empty_cache, monkeypatch, caplog):
    import pandas as pd

    from peacemap.layers.sources import population_projections, registry

    sheet = pd.read_excel(registry.fetch(population_projections.PROJECTION_SOURCE), sheet_name=population_projections.ADM1_SHEET)
    fresh = population_projections.parse_projections(sheet)
    assert population_projections.read_projections.__wrapped__() == fresh  # computed and stored
    with monkeypatch.context() as patched:
        patched.setattr(population_projections, "parse_projections", _fail)
        assert population_projections.read_projections.__wrapped__() == fresh  # read back
    _damage("crimea-projections")
    with caplog.at_level(logging.WARNING):
        assert population_projections.read_projections.__wrapped__() == fresh
    assert "unreadable cache file" in caplog.text
    with pytest.raises(cache.DamagedCacheError):
        population_projections._checked_projections(b'{"UA-43": 1}')


def _control_entries() -> list[Path]:
    return sorted(entry.path for entry in cache.entries() if entry.kind == "control")


def test_the_control_split_of_another_date_copied_in_place_is_rebuilt(empty_cache, regions, caplog):
    # Issue 24, item 5: the split of 2025-07-24 copied over that of 2025-11-20 was read as valid, and
    # the report of 2025-11-20 gave the DMZ of 2025-07-24 (6,877.7 km² instead of 6,201).
    import datetime as dt

    from peacemap.layers.plans.apply import build_plan_layers
    from peacemap.layers.plans.model import load_plan
    from peacemap.layers.report.figures import build_report
    from peacemap.layers.sources.deepstate import deepstate_control

    plan = load_plan("plan28")

    def dmz_km2(day: dt.date) -> float:
        return build_report(build_plan_layers(plan, deepstate_control(day), regions=regions), None)["headline"]["ceded_demilitarised"]["area_km2"]

    november = dmz_km2(dt.date(2025, 11, 20))
    (november_entry,) = _control_entries()
    july = dmz_km2(dt.date(2025, 7, 24))
    (july_entry,) = set(_control_entries()) - {november_entry}
    assert july != november  # else the swap below would go unseen
    november_entry.write_bytes(july_entry.read_bytes())
    with caplog.at_level(logging.WARNING, logger="peacemap"):
        assert dmz_km2(dt.date(2025, 11, 20)) == november
    assert len([r for r in caplog.records if "unreadable cache file" in r.getMessage()]) == 1
    with settings.changed(use_cache=False):
        assert dmz_km2(dt.date(2025, 11, 20)) == november  # what the sources give, without the cache


def test_another_zones_population_copied_in_place_is_rebuilt(empty_cache, regions, model, caplog):
    # Issue 24, item 5: another plan's zone-population entry in place gave a pandas traceback.
    from peacemap.layers.population import model as population

    three = pd.concat([_halves(regions, "UA-23", 0.5), _halves(regions, "UA-14", 0.5).set_axis(["w2", "e2"])])
    two = _halves(regions, "UA-23", 0.4)
    population.zone_population(three)
    (three_entry,) = [entry.path for entry in cache.entries() if entry.kind == "zone-population"]
    fresh = population.zone_population(two)
    (two_entry,) = {entry.path for entry in cache.entries() if entry.kind == "zone-population"} - {three_entry}
    two_entry.write_bytes(three_entry.read_bytes())
    with caplog.at_level(logging.WARNING, logger="peacemap"):
        assert population.zone_population(two).equals(fresh)
    assert len([r for r in caplog.records if "unreadable cache file" in r.getMessage()]) == 1
