"""Occupied km² per region on every DeepState snapshot, fast and cached, and its trailing changes.

The figure for a region on a date is the report's (``layers.control``): the region minus its
held land, where held land is the largest piece of the country minus the occupied polygon
(the mainland) plus the pieces that do not touch the polygon (islands); enclaves count as
occupied; strips under 50 m wide change sides. ``layers.control_cells.CellControl`` gets
the same geodesic km² by cutting again, each day, only the grid cells where the line moved;
runs of consecutive snapshots are measured in parallel processes.

Results are cached per snapshot (keyed by its sha256) in the user cache folder, under a key
made of the region sources' sha256, the method version and the code that computes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import multiprocessing
import os
import signal
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from peacemap.geo.area import geodesic_areas_km2
from peacemap.geo.clean import clean_polygon
from peacemap.layers.sources import registry
from peacemap.layers.control.split import SLIVER_WIDTH_M, TOUCH_TOLERANCE_DEG
from peacemap.layers.control.cells import (CELL_DEG, Cells, CellControl, cells_from_arrays, cells_to_arrays,
                                           cut_cells)
from peacemap.layers.errors import DataSourceError, SnapshotDateError
from peacemap.layers.writing import atomic_write, atomic_write_text

logger = logging.getLogger(__name__)

# Bump when the meaning of a cached figure changes. The cache key also holds a hash of the
# source code of the modules that compute the figures, so editing them invalidates it too.
METHOD_VERSION = 3  # 2: strips under SLIVER_WIDTH_M moved across; 3: land within TOUCH_TOLERANCE_DEG touches
DONETSK = "UA-14"
TRAILING_WINDOWS_DAYS = (30, 90)
DMZ_PACE_WINDOW_DAYS = 90
NOT_ADVANCING = "never/not advancing"
PROGRESS_EVERY = 100  # snapshots between progress messages
# Code that shapes the figures: the region land (units cache), then the split (series cache).
_UNITS_CODE = ("layers/regions.py", "layers/sources/boundaries.py", "layers/control/split.py", "geo/land.py", "geo/clean.py",
               "geo/area.py")
_UNITS_FILE_FORMAT = 2  # 2: the units only (1 also held their union)
_UNITS_AREA_RTOL = 1e-9  # a units file's areas and its geometries' areas agree to this, or it is damaged
_SERIES_CODE = ("layers/timeline/series.py", "layers/control/cells.py", "layers/sources/deepstate.py")


# --------------------------------------------------------------------------------------------
# Reading snapshots


def read_occupied_fast(path: Path) -> Polygon | MultiPolygon:
    """Occupied territory of a DeepState file (EPSG:4326), as :func:`deepstate.read_occupied`.

    Parses with GEOS's GeoJSON reader instead of building shapes in Python (about 5 times
    faster); the cleaning steps are the same, so the polygon is identical.
    """
    try:
        collection = shapely.from_geojson(Path(path).read_bytes())
    except (OSError, shapely.errors.GEOSException) as error:
        raise DataSourceError(f"cannot read DeepState snapshot {path}: {error}") from error
    parts = [clean_polygon(part) for part in shapely.get_parts(collection) if part is not None and not part.is_empty]
    if len(parts) == 1:
        # A cleaned (valid) polygon is its own union; deepstate.read_occupied unions it anyway,
        # which changes at most where its rings start (tests check the areas agree).
        return parts[0]
    return clean_polygon(shapely.union_all(parts))


# --------------------------------------------------------------------------------------------
# Units and cache


@dataclass(frozen=True)
class Units:
    """The 27 unit regions the report splits (codes ISO 3166-2) and their land."""

    codes: tuple[str, ...]
    geometries: np.ndarray  # EPSG:4326
    areas_km2: np.ndarray  # geodesic, as the report's region areas

    def control(self, cells: Cells | None = None) -> CellControl:
        """A fresh incremental split of these units, on ``cells`` (default: cut now)."""
        if cells is None:
            cells = cut_cells(self.geometries, sliver_width_m=SLIVER_WIDTH_M)
        return CellControl(cells, sliver_width_m=SLIVER_WIDTH_M, touch_tolerance_deg=TOUCH_TOLERANCE_DEG)


def timeline_cache_dir() -> Path:
    """Folder of the timeline cache, inside :func:`registry.cache_dir`."""
    return registry.cache_dir() / "timeline"


def units_key() -> str:
    """Hash of the units file format, the region sources' sha256, the code that builds region
    land, and GEOS's version."""
    from peacemap.layers.sources.boundaries import GEOBOUNDARIES_ID, NATURALEARTH_ID
    from peacemap.layers.regions import LAND_MASK_SNAPSHOT

    digest = hashlib.sha256(f"units file format {_UNITS_FILE_FORMAT}\n".encode())
    for source in (registry.get_source(GEOBOUNDARIES_ID), registry.get_source(NATURALEARTH_ID),
                   registry.deepstate_source(LAND_MASK_SNAPSHOT)):
        digest.update(f"{source.id} {source.sha256}\n".encode())
    _hash_code(digest, _UNITS_CODE)
    digest.update(f"shapely {shapely.__version__} geos {shapely.geos_version_string}\n".encode())
    return digest.hexdigest()[:24]


@cache
def method_key() -> str:
    """Hash of :func:`units_key`, the method version and the code of the split and reader."""
    digest = hashlib.sha256(f"{units_key()} method {METHOD_VERSION}\n".encode())
    _hash_code(digest, _SERIES_CODE)
    return digest.hexdigest()[:24]


def _hash_code(digest, modules: Sequence[str]) -> None:  # noqa: ANN001 - a hashlib object
    package_root = Path(__file__).resolve().parents[2]
    for module in modules:
        digest.update(module.encode() + b"\n" + (package_root / module).read_bytes())


class DamagedCacheError(ValueError):
    """A cache file does not hold what it should (another shape, sizes that disagree, NaN)."""


# What reading a damaged cache file raises besides DamagedCacheError: a truncated or bit-flipped
# .npz raises BadZipFile (a bad CRC) or EOFError, bad JSON or WKB ValueError or GEOSException,
# an .npz without one of its arrays KeyError. TypeError and IndexError are there in case a
# check below misses a shape: whatever the damage, the file is rebuilt, not trusted.
_DAMAGED = (OSError, ValueError, KeyError, TypeError, IndexError, EOFError, zipfile.BadZipFile,
            shapely.errors.GEOSException)
_Cached = TypeVar("_Cached")


def _read_cache(path: Path, read: Callable[[Path], _Cached]) -> _Cached | None:
    """``read(path)``, or None, with one warning, when the file is damaged: it is rebuilt then."""
    try:
        return read(path)
    except _DAMAGED as error:
        reason = str(error).splitlines()[0] if str(error) else "no message"
        logger.warning("ignoring unreadable cache file %s (%s: %s); rebuilding it", path, type(error).__name__, reason)
        return None


def load_units(*, use_cache: bool = True) -> Units:
    """Unit regions as the report builds them, from the cache when it holds them (WKB)."""
    path = timeline_cache_dir() / f"units-{units_key()}.wkb"
    if use_cache and path.is_file():
        cached = _read_cache(path, _read_units)
        if cached is not None:
            return cached
    from peacemap.layers.control.split import unit_regions
    from peacemap.layers.regions import load_regions

    logger.info("building region land from the sources (cached afterwards)")
    units_frame = unit_regions(load_regions())
    geometries = np.asarray(units_frame.geometry.values, dtype=object)
    units = Units(tuple(units_frame["code"]), geometries, geodesic_areas_km2(geometries))
    if use_cache:
        _write_units(path, units)
    return units


def load_cells(units: Units, *, use_cache: bool = True) -> Cells:
    """``units`` cut on the grid of ``layers.control_cells``, from the cache when it holds them."""
    digest = hashlib.sha256(f"{units_key()} cells {CELL_DEG} {SLIVER_WIDTH_M}\n".encode())
    _hash_code(digest, ("layers/control/cells.py",))
    path = timeline_cache_dir() / f"cells-{digest.hexdigest()[:24]}.npz"
    if use_cache and path.is_file():
        cached = _read_cache(path, lambda p: _read_cells(p, unit_count=len(units.codes)))
        if cached is not None:
            return cached
    cells = cut_cells(units.geometries, sliver_width_m=SLIVER_WIDTH_M)
    if use_cache:
        arrays = cells_to_arrays(cells)

        def write(tmp: Path) -> None:
            with tmp.open("wb") as handle:
                np.savez(handle, **arrays)

        atomic_write(path, write)
    return cells


def _read_cells(path: Path, *, unit_count: int) -> Cells:
    with np.load(path, allow_pickle=False) as stored:
        # Reading an array to its end checks its zip CRC: a flipped bit raises BadZipFile.
        arrays = {name: stored[name] for name in _CELL_ARRAYS}
    _check_cell_arrays(arrays, unit_count)
    cells = cells_from_arrays(arrays)
    if not _all_polygonal(cells.geometries):
        raise DamagedCacheError("cells that are not polygons")
    return cells


# Arrays of a cells file (control_cells.cells_to_arrays) by kind: (dtype kind, dimensions).
_CELL_ARRAYS = {"wkb": ("u", 1), "wkb_lengths": ("iu", 1), "unit_count": ("iu", 0), "unit": ("iu", 1),
                "km2": ("f", 1), "planar": ("f", 1), "thin": ("b", 1), "probes": ("f", 2), "pairs": ("iu", 2),
                "linked": ("b", 1)}


def _check_cell_arrays(arrays: dict[str, np.ndarray], unit_count: int) -> None:
    """Raise DamagedCacheError unless ``arrays`` are the cells of ``unit_count`` units."""
    for name, (kinds, dimensions) in _CELL_ARRAYS.items():
        if arrays[name].dtype.kind not in kinds or arrays[name].ndim != dimensions:
            raise DamagedCacheError(f"array {name!r} of dtype {arrays[name].dtype} and shape {arrays[name].shape}")
    count, pairs, lengths = len(arrays["wkb_lengths"]), arrays["pairs"], arrays["wkb_lengths"]
    checks = {
        f"unit_count {int(arrays['unit_count'])}, expected {unit_count}": int(arrays["unit_count"]) == unit_count,
        "WKB lengths that do not add up": (lengths > 0).all() and lengths.sum() == arrays["wkb"].size,
        "arrays of other lengths than the cells": all(len(arrays[n]) == count for n in ("unit", "km2", "planar", "thin", "probes")),
        "probes that are not points": arrays["probes"].shape[1:] == (2,) and np.isfinite(arrays["probes"]).all(),
        "areas that are not finite and non-negative": all(np.isfinite(arrays[n]).all() and (arrays[n] >= 0).all() for n in ("km2", "planar")),
        "units out of range": ((arrays["unit"] >= 0) & (arrays["unit"] < unit_count)).all(),
        "pairs out of range": pairs.shape[1:] == (2,) and ((pairs >= 0) & (pairs < count)).all() and len(arrays["linked"]) == len(pairs),
    }
    failed = [problem for problem, ok in checks.items() if not ok]
    if failed:
        raise DamagedCacheError(failed[0])


def _all_polygonal(geometries: np.ndarray) -> bool:
    return bool(len(geometries)) and bool(np.isin(shapely.get_type_id(geometries), _POLYGON_TYPE_IDS).all())


_POLYGON_TYPE_IDS = (3, 6)  # shapely.GeometryType.POLYGON, MULTIPOLYGON


def _write_units(path: Path, units: Units) -> None:
    blobs = shapely.to_wkb(units.geometries)
    header = json.dumps({"codes": list(units.codes), "areas_km2": units.areas_km2.tolist(),
                         "lengths": [len(b) for b in blobs]}).encode() + b"\n"
    atomic_write(path, lambda tmp: tmp.write_bytes(header + b"".join(blobs)))


def _read_units(path: Path) -> Units:
    data = path.read_bytes()
    newline = data.index(b"\n")
    codes, areas_km2, lengths = _units_header(json.loads(data[:newline]))
    if newline + 1 + sum(lengths) != len(data):
        raise DamagedCacheError(f"{len(data) - newline - 1} bytes of WKB, the header says {sum(lengths)}")
    offsets = np.cumsum([newline + 1, *lengths])
    geometries = np.asarray(shapely.from_wkb([data[a:b] for a, b in zip(offsets[:-1], offsets[1:])]), dtype=object)
    if not _all_polygonal(geometries):
        raise DamagedCacheError("units that are not polygons")
    # The file has no checksum: a flipped bit in a coordinate still parses. Measuring the units
    # again (0.2 s) and comparing with the areas saved beside them catches it.
    areas_km2 = np.asarray(areas_km2, dtype=float)
    if not np.allclose(geodesic_areas_km2(geometries), areas_km2, rtol=_UNITS_AREA_RTOL, atol=0):
        raise DamagedCacheError("units whose areas differ from the areas saved with them")
    return Units(codes, geometries, areas_km2)


def _units_header(header: object) -> tuple[tuple[str, ...], list[float], list[int]]:
    """Codes, areas (km²) and WKB lengths of a units file's header, checked."""
    if not isinstance(header, dict):
        raise DamagedCacheError(f"a header of type {type(header).__name__}, expected an object")
    codes, areas, lengths = header.get("codes"), header.get("areas_km2"), header.get("lengths")
    if not (isinstance(codes, list) and codes and all(isinstance(c, str) and c for c in codes) and len(set(codes)) == len(codes)):
        raise DamagedCacheError("a header without a list of distinct region codes")
    if not (isinstance(areas, list) and len(areas) == len(codes) and all(_is_km2(a) for a in areas)):
        raise DamagedCacheError(f"a header without {len(codes)} finite areas")
    if not (isinstance(lengths, list) and len(lengths) == len(codes) and all(type(n) is int and n > 0 for n in lengths)):
        raise DamagedCacheError(f"a header without {len(codes)} WKB lengths")
    return tuple(codes), areas, lengths


def _is_km2(value: object) -> bool:
    """A finite, non-negative number as JSON gives it (bool is an int in Python, not here)."""
    return type(value) in (int, float) and math.isfinite(value) and value >= 0


def _series_cache_path() -> Path:
    return timeline_cache_dir() / f"occupied-{method_key()}.json"


def _read_series_cache(path: Path, codes: Sequence[str]) -> dict[str, list[float]]:
    """Cached km² per snapshot sha256 (one value per region of ``codes``); {} if none or damaged."""
    if not path.is_file():
        return {}
    return _read_cache(path, lambda p: _read_series(p, codes)) or {}


def _read_series(path: Path, codes: Sequence[str]) -> dict[str, list[float]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("codes") != list(codes):
        raise DamagedCacheError(f"expected an object with the {len(codes)} region codes")
    by_sha256 = document.get("by_sha256")
    if not isinstance(by_sha256, dict):
        raise DamagedCacheError("expected 'by_sha256', an object")
    for sha256, row in by_sha256.items():
        if not (isinstance(row, list) and len(row) == len(codes) and all(_is_km2(v) for v in row)):
            raise DamagedCacheError(f"snapshot {sha256[:12]}: expected {len(codes)} finite, non-negative km²")
    return by_sha256


# --------------------------------------------------------------------------------------------
# Computing the series


# Set in the parent just before forking the workers, which inherit them.
_worker_control: CellControl | None = None
_worker_progress = None  # a multiprocessing SimpleQueue of snapshot counts; None when not forked
_worker_parent: int | None = None  # the parent's process id; None when not forked
_FINISHED = -1  # what a worker puts on the progress queue when its run ends (done or failed)
_PROGRESS_BATCH = 10  # snapshots a worker measures between progress messages


def _compute_run(days: Sequence[dt.date]) -> list[list[float]]:
    """Measure consecutive snapshots in one process (unchanged regions are reused)."""
    control, progress = _worker_control, _worker_progress
    results: list[list[float]] = []
    try:
        for day in days:
            _stop_if_orphaned()
            polygon = read_occupied_fast(registry.fetch(registry.deepstate_source(day)))
            results.append(control.occupied_km2(polygon).tolist())
            if progress is not None and len(results) % _PROGRESS_BATCH == 0:
                _put(progress, _PROGRESS_BATCH)
    finally:
        if progress is not None:
            _put(progress, _FINISHED)
    return results


def _worker_init() -> None:
    """In each worker: leave Ctrl-C to the parent, which stops the pool; die quietly on SIGTERM.

    A terminal sends SIGINT to every process of the job; the parent then terminates the pool,
    which sends SIGTERM. The workers inherit the parent's handlers, which would raise
    an exception and print a traceback from each worker.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stop_if_orphaned() -> None:
    """Exit a worker at once, without a word, if its parent is gone (killed with SIGKILL)."""
    if _worker_parent is not None and os.getppid() != _worker_parent:
        os._exit(1)  # skips the finally clauses, which would write to the dead parent's pipes


def _put(progress, message: int) -> None:  # noqa: ANN001 - a SimpleQueue
    try:
        progress.put(message)
    except (BrokenPipeError, ConnectionError):  # the parent is gone
        os._exit(1)


def _runs(days: Sequence[dt.date], count: int) -> list[list[dt.date]]:
    """``days`` cut into ``count`` runs of consecutive days of nearly equal length."""
    bounds = np.linspace(0, len(days), count + 1).round().astype(int)
    return [list(days[a:b]) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]


def compute_occupied(days: Sequence[dt.date], units: Units, *, workers: int | None = None,
                     cells: Cells | None = None) -> np.ndarray:
    """Occupied km² (rows: ``days``, columns: ``units.codes``), computed without the series cache.

    ``cells`` are the units cut on the grid (:func:`load_cells`; default: cut now). Runs on
    ``workers`` processes (default: the CPU count, one per 50 snapshots at most); each
    measures runs of consecutive snapshots, so that cells the line did not cross are reused.
    Progress is logged every :data:`PROGRESS_EVERY` snapshots.
    """
    global _worker_control, _worker_progress, _worker_parent
    days = list(days)
    if not days:
        return np.zeros((0, len(units.codes)))
    workers = workers or min(os.cpu_count() or 1, max(1, len(days) // 50))
    _worker_control = units.control(cells)
    try:
        if workers == 1:
            rows = _compute_run(days)
            logger.info("timeline: %d of %d snapshots measured", len(rows), len(days))
        else:
            context = multiprocessing.get_context("fork")
            _worker_progress = context.SimpleQueue()
            _worker_parent = os.getpid()
            runs = _runs(days, 2 * workers)  # two runs each: whoever finishes first takes the next
            # Leaving the block for any reason, an interrupt (SIGINT, SIGTERM) included,
            # terminates the workers: none outlives the command.
            with context.Pool(workers, initializer=_worker_init) as pool:
                pending = [pool.apply_async(_compute_run, (run,)) for run in runs]
                _report_progress(_worker_progress, len(runs), len(days))
                rows = [row for result in pending for row in result.get()]
    finally:
        _worker_control = _worker_progress = _worker_parent = None
    return np.array(rows, dtype=float)


def _report_progress(progress, runs: int, total: int) -> None:  # noqa: ANN001 - a SimpleQueue
    """Log the workers' counts every PROGRESS_EVERY snapshots until every run has finished."""
    done, finished, next_report = 0, 0, PROGRESS_EVERY
    while finished < runs:
        message = progress.get()
        if message == _FINISHED:
            finished += 1
            continue
        done += message
        if done >= next_report:
            logger.info("timeline: %d of %d snapshots measured", done, total)
            next_report += PROGRESS_EVERY
    logger.info("timeline: %d of %d snapshots measured", total, total)


def occupied_series(days: Sequence[dt.date] | None = None, *, use_cache: bool = True,
                    workers: int | None = None, units: Units | None = None) -> pd.DataFrame:
    """Occupied km² per unit region on each DeepState snapshot date.

    Parameters
    ----------
    days
        Snapshot dates (default: all in the registry); each must have a snapshot.
    use_cache
        Read and update the cache in :func:`timeline_cache_dir`.
    workers
        Processes for the snapshots not in the cache.
    units
        The unit regions, if already loaded (:func:`load_units`).

    Returns
    -------
    DataFrame
        Index: snapshot dates; columns: unit codes (27, ISO 3166-2); values: geodesic km².
    """
    available = set(registry.deepstate_dates())
    days = sorted(available if days is None else days)
    missing = [d for d in days if d not in available]
    if missing:
        raise SnapshotDateError(f"no DeepState snapshot on {missing[0].isoformat()}")
    units = units or load_units(use_cache=use_cache)
    sha = {d: registry.deepstate_source(d).sha256 for d in days}
    path = _series_cache_path()
    cached = _read_series_cache(path, units.codes) if use_cache else {}
    todo = [d for d in days if sha[d] not in cached]
    if todo:
        logger.info("timeline: measuring %d snapshot(s), %d from the cache", len(todo), len(days) - len(todo))
        fresh = compute_occupied(todo, units, workers=workers, cells=load_cells(units, use_cache=use_cache))
        cached.update({sha[d]: row.tolist() for d, row in zip(todo, fresh)})
        if use_cache:
            _write_series_cache(path, units.codes, cached)
    frame = pd.DataFrame([cached[sha[d]] for d in days], index=pd.Index(days, name="date"),
                         columns=list(units.codes))
    return frame


def _write_series_cache(path: Path, codes: Sequence[str], by_sha256: dict[str, list[float]]) -> None:
    document = {"method": method_key(), "codes": list(codes), "by_sha256": by_sha256}
    atomic_write_text(path, json.dumps(document, separators=(",", ":")))


# --------------------------------------------------------------------------------------------
# Trailing changes and pace (pure)


def trailing_change(values: pd.Series, days: int) -> pd.Series:
    """Change of ``values`` over the ``days`` calendar days before each date.

    ``values`` is indexed by date (ascending, one entry per calendar day, NaN on gap days).
    The change on date D is ``values[D] − values[D − days]``, looked up by date, not by row;
    it is NaN when either value is missing (a gap, or before the first date).
    """
    index = pd.DatetimeIndex(values.index)
    earlier = values.copy()
    earlier.index = index
    lookup = earlier.reindex(index - pd.Timedelta(days=days)).to_numpy()
    return pd.Series(values.to_numpy() - lookup, index=values.index)


def days_to_occupy(held_km2: float, gain_km2: float, window_days: int = DMZ_PACE_WINDOW_DAYS) -> float | None:
    """Days needed to occupy ``held_km2`` at the pace of ``gain_km2`` per ``window_days``.

    ``held_km2 / (gain_km2 / window_days)``; None when the pace is zero or negative (the line
    does not advance), NaN when either input is missing.
    """
    if held_km2 is None or gain_km2 is None or math.isnan(held_km2) or math.isnan(gain_km2):
        return float("nan")
    if gain_km2 <= 0:
        return None
    return held_km2 / (gain_km2 / window_days)


# --------------------------------------------------------------------------------------------
# The timeline table


@dataclass(frozen=True)
class Timeline:
    """Rows of the timeline (one per calendar day and region) and the gaps among them."""

    table: pd.DataFrame
    gaps: tuple[dt.date, ...]
    first: dt.date
    last: dt.date


def region_table(units: Units) -> pd.DataFrame:
    """Codes, names and land km² of the units, plus Crimea with Sevastopol."""
    from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL, REGION_NAMES

    frame = pd.DataFrame({"code": units.codes, "area_km2": units.areas_km2})
    crimea = frame[frame["code"].isin(["UA-43", "UA-40"])]["area_km2"].sum()
    frame.loc[len(frame)] = {"code": CRIMEA_WITH_SEVASTOPOL, "area_km2": crimea}
    frame["name"] = frame["code"].map(REGION_NAMES)
    return frame.sort_values("code", ignore_index=True)


def check_range(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The requested range clipped to nothing: raises SnapshotDateError outside the snapshots."""
    dates = registry.deepstate_dates()
    first, last = dates[0], dates[-1]
    start = start or first
    end = end or last
    for name, value in (("--from", start), ("--to", end)):
        if value < first or value > last:
            raise SnapshotDateError(
                f"{name} {value.isoformat()} is outside the DeepState snapshots, which run from "
                f"{first.isoformat()} to {last.isoformat()}; pick a date in that range")
    if start > end:
        raise SnapshotDateError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    return start, end


def build_timeline(start: dt.date | None = None, end: dt.date | None = None,
                   regions: Sequence[str] | None = None, *, use_cache: bool = True) -> Timeline:
    """Occupied km² per region and day from ``start`` to ``end`` (inclusive), with gaps flagged.

    Every calendar day in the range gets one row per region; days without a snapshot are
    rows with ``status = 'gap'`` and empty figures (nothing is interpolated). Trailing
    changes over 30 and 90 days compare with the snapshot dated exactly that many days
    earlier (possibly before ``start``); when that day is a gap, the change is empty.

    Columns: ``date``, ``region``, ``region_name``, ``status``, ``occupied_km2``,
    ``occupied_pct`` (share of the region's land, %), ``held_km2``, ``change_30d_km2``,
    ``change_90d_km2``, and for Donetsk ``dmz_days_at_90d_pace`` / ``dmz_pace`` (days to
    occupy the held part at the trailing 90-day pace; 'never/not advancing' if ≤ 0).
    """
    start, end = check_range(start, end)
    units = load_units(use_cache=use_cache)
    table = region_table(units)
    codes = list(regions) if regions else list(table["code"])
    unknown = [c for c in codes if c not in set(table["code"])]
    if unknown:
        raise ValueError(f"unknown region code(s) {', '.join(unknown)}; known: {', '.join(table['code'])}")
    lookback = start - dt.timedelta(days=max(TRAILING_WINDOWS_DAYS))
    snapshot_days = [d for d in registry.deepstate_dates() if lookback <= d <= end]
    series = occupied_series(snapshot_days, use_cache=use_cache, units=units)
    series["UA-43+UA-40"] = series["UA-43"] + series["UA-40"]
    calendar = pd.date_range(min(snapshot_days[0], start), end, freq="D").date
    series = series.reindex(pd.Index(calendar, name="date"))
    regions_by_code = table.set_index("code")
    frames = [region_rows(series[code], code=code, name=regions_by_code.loc[code, "name"],
                          area_km2=regions_by_code.loc[code, "area_km2"], start=start) for code in codes]
    rows = pd.concat(frames, ignore_index=True).sort_values(["date", "region"], ignore_index=True)
    snapshots = set(registry.deepstate_dates())
    gaps = tuple(d for d in pd.date_range(start, end, freq="D").date if d not in snapshots)
    return Timeline(rows, gaps, start, end)


def region_rows(occupied: pd.Series, *, code: str, name: str, area_km2: float, start: dt.date) -> pd.DataFrame:
    """Timeline rows of one region from its occupied km² per calendar day (NaN on gap days).

    ``occupied`` is indexed by every calendar day from at least 90 days before ``start`` (or
    the first snapshot) on; rows before ``start`` only serve the trailing changes. Pure: no
    data is read.
    """
    frame = pd.DataFrame({"date": occupied.index, "region": code, "region_name": name})
    frame["status"] = np.where(occupied.isna().to_numpy(), "gap", "snapshot")
    frame["occupied_km2"] = occupied.to_numpy()
    frame["occupied_pct"] = 100.0 * frame["occupied_km2"] / area_km2
    frame["held_km2"] = area_km2 - frame["occupied_km2"]
    for days in TRAILING_WINDOWS_DAYS:
        frame[f"change_{days}d_km2"] = trailing_change(occupied, days).to_numpy()
    frame["dmz_days_at_90d_pace"] = np.nan
    frame["dmz_pace"] = ""
    if code == DONETSK:
        paces = [days_to_occupy(h, g) for h, g in zip(frame["held_km2"], frame[f"change_{DMZ_PACE_WINDOW_DAYS}d_km2"])]
        frame["dmz_days_at_90d_pace"] = [np.nan if p is None else p for p in paces]
        frame["dmz_pace"] = [NOT_ADVANCING if p is None else ("" if math.isnan(p) else "advancing") for p in paces]
    return frame[frame["date"] >= start]


# --------------------------------------------------------------------------------------------
# Records for output files

_ROUNDING = {"occupied_km2": 2, "occupied_pct": 3, "held_km2": 2, "change_30d_km2": 2, "change_90d_km2": 2,
             "dmz_days_at_90d_pace": 0}


def timeline_records(timeline: Timeline) -> list[dict]:
    """Rows as dicts (dates as ISO strings, figures rounded, missing figures as None)."""
    records = []
    for row in timeline.table.to_dict("records"):
        record = {"date": row["date"].isoformat()}
        for key, value in row.items():
            if key == "date":
                continue
            if key in _ROUNDING:
                value = None if value is None or math.isnan(value) else round(float(value), _ROUNDING[key])
            record[key] = value
        records.append(record)
    return records


def sources_note() -> str:
    """One line naming the sources and the method of the figures."""
    from peacemap.layers.regions import regions_sources_note

    source = registry.deepstate_source(registry.deepstate_dates()[-1])
    return (f"Occupied land: {source.attribution} (daily snapshots; {source.license}). Occupied = region minus "
            f"Ukrainian-held land (the mainland and islands); enclaves count as occupied. {regions_sources_note()}")


def timeline_document(timeline: Timeline) -> dict:
    """The timeline as one JSON-ready object: what it is, the gaps, and the rows."""
    return {
        "what": "Occupied land per region and day (geodesic km²) from DeepState snapshots",
        "from": timeline.first.isoformat(),
        "to": timeline.last.isoformat(),
        "gaps": [day.isoformat() for day in timeline.gaps],
        "gap_rule": "days without a snapshot have status 'gap' and null figures; nothing is interpolated",
        "trailing_changes": "km² on the day minus km² exactly 30 (90) calendar days before; null if either is missing",
        "dmz_pace": ("Donetsk only: held km² / (90-day change / 90) = days to occupy the held part (the 28-point "
                     f"plan's DMZ) at the trailing 90-day pace; '{NOT_ADVANCING}' when the change is ≤ 0"),
        "sources": sources_note(),
        "method_key": method_key(),
        "rows": timeline_records(timeline),
    }
