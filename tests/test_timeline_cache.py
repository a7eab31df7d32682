"""Damaged timeline cache files are ignored with one warning and rebuilt (issue 20, item 7).

Two synthetic 1° squares stand in for the regions, so that every cache file is built in
milliseconds; the cache folder is a temporary one.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import struct
import zipfile

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from peacemap.geo.area import geodesic_areas_km2
from peacemap.layers.sources import registry
from peacemap.layers.timeline import cache as timeline_cache
from peacemap.layers.timeline import series as timeline

CODES = ("UA-14", "UA-09")
DAY = dt.date(2025, 11, 20)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(timeline_cache, "timeline_cache_dir", lambda: tmp_path)
    return tmp_path


@pytest.fixture
def units():
    geometries = np.array([box(37.0, 47.0, 38.0, 48.0), box(38.0, 47.0, 39.0, 48.0)], dtype=object)
    return timeline_cache.Units(CODES, geometries, geodesic_areas_km2(geometries))


@pytest.fixture
def regions_from(monkeypatch, units):
    """load_units builds its units from these two squares instead of the real region land."""
    from peacemap.layers import regions

    frame = gpd.GeoDataFrame({"code": list(units.codes)}, geometry=list(units.geometries), crs=4326)
    monkeypatch.setattr(regions, "load_regions", lambda: frame)


def _warnings(caplog):
    return [r for r in caplog.records if r.levelno == logging.WARNING and r.name.startswith("peacemap")]


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flip_a_bit(data: bytes, at: float) -> bytes:
    """``data`` with one bit flipped at ``at`` of its length."""
    index = int(len(data) * at)
    return data[:index] + bytes([data[index] ^ 0x10]) + data[index + 1 :]


def _flip_the_header(data: bytes) -> bytes:
    return bytes([data[0] ^ 0x01]) + data[1:]


def _flip_in_array(data: bytes, name: str) -> bytes:
    """An .npz file with one bit flipped in the values of its array ``name`` (not in a header)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        offset = archive.getinfo(f"{name}.npy").header_offset
    name_length, extra_length = struct.unpack("<HH", data[offset + 26 : offset + 30])  # zip local header
    member = offset + 30 + name_length + extra_length
    npy_header = 10 + struct.unpack("<H", data[member + 8 : member + 10])[0]  # .npy format 1.0
    return _flip_a_bit(data, (member + npy_header + 8 + 2) / len(data))  # in the second value


def _assert_ignored_once_and_rebuilt(caplog, path, load):
    """``load()`` warns once naming ``path``, and leaves a cache file the next load reads silently."""
    with caplog.at_level(logging.INFO, logger="peacemap"):
        result = load()
    warnings = _warnings(caplog)
    assert len(warnings) == 1, [w.getMessage() for w in warnings]
    assert str(path) in warnings[0].getMessage(), [w.getMessage() for w in warnings]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="peacemap"):
        again = load()
    assert not _warnings(caplog)
    return result, again


# --- units ---------------------------------------------------------------------------------------


def _units_path(cache_dir):
    return cache_dir / f"units-{timeline_cache.units_key()}.wkb"


def _units_header(**fields) -> bytes:
    header = {"codes": list(CODES), "areas_km2": [1.0, 1.0], "lengths": [93, 93]} | fields
    return json.dumps(header).encode() + b"\n"


@pytest.mark.parametrize(
    "damage",
    [
        _truncate,
        _flip_the_header,
        lambda data: _flip_a_bit(data, 0.8),  # in a coordinate of the second square: still valid WKB
        lambda data: b"[]\n" + data.split(b"\n", 1)[1],  # JSON, not an object
        lambda data: _units_header(lengths="93,93") + data.split(b"\n", 1)[1],
        lambda data: _units_header(codes=["UA-14"]) + data.split(b"\n", 1)[1],
        lambda data: _units_header(areas_km2=[float("nan"), 1.0]) + data.split(b"\n", 1)[1],
        lambda data: data.split(b"\n", 1)[0] + b"\n" + b"\x00" * (len(data.split(b"\n", 1)[1])),  # not WKB
        lambda data: b"",
    ],
    ids=["truncated", "header-bit-flip", "bit-flip", "json-list", "lengths-text", "codes-short", "area-nan", "not-wkb", "empty"],
)
def test_a_damaged_units_file_is_rebuilt(cache_dir, regions_from, units, caplog, damage):
    timeline_cache.load_units()
    path = _units_path(cache_dir)
    path.write_bytes(damage(path.read_bytes()))
    result, again = _assert_ignored_once_and_rebuilt(caplog, path, timeline_cache.load_units)
    for loaded in (result, again):
        assert loaded.codes == units.codes
        assert np.allclose(loaded.areas_km2, units.areas_km2)
        assert all(a.equals(b) for a, b in zip(loaded.geometries, units.geometries))


# --- cells ---------------------------------------------------------------------------------------


def _cells_path(cache_dir):
    [path] = cache_dir.glob("cells-*.npz")
    return path


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _arrays(data: bytes) -> dict:
    with np.load(io.BytesIO(data)) as arrays:
        return dict(arrays)


@pytest.mark.parametrize(
    "damage",
    [
        _truncate,
        lambda data: _flip_a_bit(data, 0.2),  # in the WKB of the cells, the first array
        lambda data: _flip_in_array(data, "km2"),  # a plausible area: only the zip's CRC tells
        lambda data: _npz(**{k: v for k, v in _arrays(data).items() if k != "pairs"}),
        lambda data: _npz(**_arrays(data) | {"pairs": _arrays(data)["pairs"] + 10_000}),
        lambda data: _npz(**_arrays(data) | {"unit_count": np.array(5)}),
        lambda data: _npz(**_arrays(data) | {"km2": _arrays(data)["km2"][:-1]}),
        lambda data: _npz(**_arrays(data) | {"wkb_lengths": _arrays(data)["wkb_lengths"] + 1}),
        lambda data: _npz(**_arrays(data) | {"probes": np.full_like(_arrays(data)["probes"], np.nan)}),
        lambda data: b"not a zip file",
    ],
    ids=[
        "truncated",
        "bit-flip",
        "bit-flip-km2",
        "missing-array",
        "pairs-out-of-range",
        "other-unit-count",
        "short-array",
        "wkb-lengths",
        "nan-probes",
        "not-zip",
    ],
)
def test_a_damaged_cells_file_is_rebuilt(cache_dir, units, caplog, damage):
    fresh = timeline_cache.load_cells(units)
    path = _cells_path(cache_dir)
    path.write_bytes(damage(path.read_bytes()))
    result, again = _assert_ignored_once_and_rebuilt(caplog, path, lambda: timeline_cache.load_cells(units))
    for loaded in (result, again):
        assert np.array_equal(loaded.km2, fresh.km2)
        assert np.array_equal(loaded.pairs, fresh.pairs)


# --- the series ------------------------------------------------------------------------------------


@pytest.fixture
def measured(monkeypatch):
    """Measuring a snapshot gives 1.0 km² per region and counts the snapshots measured."""
    counted = []

    def compute_occupied(days, units, **options):
        counted.extend(days)
        return np.ones((len(days), len(units.codes)))

    monkeypatch.setattr(timeline, "compute_occupied", compute_occupied)
    return counted


SHA = registry.deepstate_source(DAY).sha256


@pytest.mark.parametrize(
    "document",
    [
        "{not json",
        "[1, 2]",
        json.dumps({"codes": list(CODES), "by_sha256": [[1.0, 2.0]]}),
        json.dumps({"codes": "UA-14,UA-09", "by_sha256": {}}),
        json.dumps({"codes": list(CODES), "by_sha256": {SHA: [1.0]}}),
        json.dumps({"codes": list(CODES), "by_sha256": {SHA: "1.0,2.0"}}),
        json.dumps({"codes": list(CODES), "by_sha256": {SHA: [1.0, None]}}),
        json.dumps({"codes": list(CODES), "by_sha256": {SHA: [1.0, float("nan")]}}),
        json.dumps({"codes": list(CODES), "by_sha256": {SHA: [1.0, -5.0]}}),
        json.dumps({"codes": list(CODES), "by_sha256": {SHA: [True, 2.0]}}),
    ],
    ids=["not-json", "list", "rows-as-list", "codes-text", "short-row", "row-text", "null", "nan", "negative", "bool"],
)
def test_a_damaged_series_file_is_ignored_and_rebuilt(cache_dir, units, measured, caplog, document):
    path = timeline_cache.series_cache_path()
    path.write_text(document)
    result, again = _assert_ignored_once_and_rebuilt(caplog, path, lambda: timeline.occupied_series([DAY], units=units, use_cache=True))
    assert measured == [DAY]  # measured once, then read from the rebuilt file
    for frame in (result, again):
        assert frame.loc[DAY].tolist() == [1.0, 1.0]
    assert json.loads(path.read_text())["by_sha256"] == {SHA: [1.0, 1.0]}


def test_a_sound_series_file_is_read_without_a_warning(cache_dir, units, measured, caplog):
    path = timeline_cache.series_cache_path()
    path.write_text(json.dumps({"entry": path.name, "codes": list(CODES), "by_sha256": {SHA: [3.0, 0]}}))
    with caplog.at_level(logging.INFO, logger="peacemap"):
        frame = timeline.occupied_series([DAY], units=units, use_cache=True)
    assert not _warnings(caplog)
    assert not measured
    assert frame.loc[DAY].tolist() == [3.0, 0.0]


# --- files copied over others (issue 24, item 5) ------------------------------------------------


def test_a_units_or_cells_file_copied_under_another_key_is_rebuilt(cache_dir, regions_from, units, caplog, monkeypatch):
    timeline_cache.load_cells(timeline_cache.load_units())
    old_units, old_cells = _units_path(cache_dir), _cells_path(cache_dir)
    monkeypatch.setattr(timeline_cache, "units_key", lambda: "0" * 24)  # the key after a change of sources or code
    new_units = _units_path(cache_dir)
    new_units.write_bytes(old_units.read_bytes())
    result, _ = _assert_ignored_once_and_rebuilt(caplog, new_units, timeline_cache.load_units)
    assert result.codes == units.codes
    caplog.clear()
    old_cells.rename(cache_dir / "old-cells")  # so that the new file is the only cells-*.npz
    timeline_cache.load_cells(result)
    new_cells = _cells_path(cache_dir)
    new_cells.write_bytes((cache_dir / "old-cells").read_bytes())
    _assert_ignored_once_and_rebuilt(caplog, new_cells, lambda: timeline_cache.load_cells(result))


def test_another_plans_figures_copied_in_place_are_ignored(tmp_path, monkeypatch, caplog):
    from peacemap.layers.plans.model import load_plan
    from peacemap.layers.timeline import plan as plan_timeline

    monkeypatch.setattr(plan_timeline, "timeline_cache_dir", lambda: tmp_path)
    figures = {measure: [1.0, 1, 1, 1, ""] for measure in plan_timeline.PLAN_MEASURES}
    plan28, freeze = plan_timeline.plan_cache_path(load_plan("plan28")), plan_timeline.plan_cache_path(load_plan("freeze"))
    plan_timeline.write_plan_cache(plan28, {SHA: figures})
    assert plan_timeline.read_plan_cache(plan28) == {SHA: figures}
    freeze.write_bytes(plan28.read_bytes())
    with caplog.at_level(logging.WARNING, logger="peacemap"):
        assert plan_timeline.read_plan_cache(freeze) == {}
    warnings = _warnings(caplog)
    assert len(warnings) == 1
    assert f"it holds the entry {plan28.name}, not {freeze.name}" in warnings[0].getMessage()
