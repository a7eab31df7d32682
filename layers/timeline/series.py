"""Occupied km² per region on DeepState snapshots, measured fast and in parallel.

The figure for a region on a date is the report's (:mod:`peacemap.layers.control.split`): the
region minus its held land, where held land is the largest piece of the country minus the
occupied polygon (the mainland) plus the pieces that do not touch the polygon (islands);
enclaves count as occupied; strips under 50 m wide change sides.
:class:`peacemap.layers.control.cells.CellControl` gets the same geodesic km² by cutting again,
each day, only the grid cells where the line moved; runs of consecutive snapshots are measured
in parallel processes. Figures are cached per snapshot (:mod:`peacemap.layers.timeline.cache`)."""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from peacemap.layers.control.cells import CellControl, Cells
from peacemap.layers.errors import SnapshotDateError
from peacemap.layers.sources import deepstate, registry
from peacemap.layers.sources.cache import enabled as cache_enabled
from peacemap.layers.timeline.cache import Units, load_cells, load_units, read_series_cache, series_cache_path, write_series_cache

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 100  # snapshots between progress messages


# Set in the parent just before forking the workers, which inherit them.
_worker_control: CellControl | None = None
_worker_progress = None  # a multiprocessing SimpleQueue of snapshot counts; None when not forked
_worker_parent: int | None = None  # the parent's process id; None when not forked
_FINISHED = -1  # what a worker puts on the progress queue when its run ends (done or failed)
_PROGRESS_BATCH = 10  # snapshots a worker measures between progress messages


def _compute_run(days: Sequence[dt.date]) -> list[list[float]]:
    """Measure consecutive snapshots in one process (unchanged regions are reused)."""
    control, progress = _worker_control, _worker_progress
    if control is None:
        raise RuntimeError("_compute_run runs in compute_occupied's processes, which set the control first")
    results: list[list[float]] = []
    try:
        for day in days:
            _stop_if_orphaned()
            polygon = deepstate.read_occupied(registry.fetch(registry.deepstate_source(day)))
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


# Told (snapshots done, snapshots in all) as the work goes on: a progress bar, say.
Progress = Callable[[int, int], None]


def compute_occupied(days: Sequence[dt.date], units: Units, *, workers: int | None = None,
                     cells: Cells | None = None, progress: Progress | None = None) -> np.ndarray:
    """Occupied km² (rows: ``days``, columns: ``units.codes``), computed without the series cache.

    ``cells`` are the units cut on the grid (:func:`load_cells`; default: cut now). Runs on
    ``workers`` processes (default: the CPU count, one per 50 snapshots at most); each
    measures runs of consecutive snapshots, so that cells the line did not cross are reused.
    ``progress`` is told the count as snapshots are measured; without it, progress is logged
    every :data:`PROGRESS_EVERY` snapshots.
    """
    global _worker_control, _worker_progress, _worker_parent
    days = list(days)
    if not days:
        return np.zeros((0, len(units.codes)))
    workers = workers or min(os.cpu_count() or 1, max(1, len(days) // 50))
    _worker_control = units.control(cells)
    try:
        if workers == 1:
            rows = []
            for day in days:  # one at a time, so that progress can be told; the split stays incremental
                rows.extend(_compute_run([day]))
                _tell(progress, len(rows), len(days))
            if progress is None:
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
                _report_progress(_worker_progress, len(runs), len(days), progress)
                rows = [row for result in pending for row in result.get()]
    finally:
        _worker_control = _worker_progress = _worker_parent = None
    return np.array(rows, dtype=float)


def _report_progress(queue, runs: int, total: int, progress: Progress | None = None) -> None:  # noqa: ANN001 - a SimpleQueue
    """Tell ``progress`` the workers' counts as they come, or log them every PROGRESS_EVERY
    snapshots, until every run has finished."""
    done, finished, next_report = 0, 0, PROGRESS_EVERY
    while finished < runs:
        message = queue.get()
        if message == _FINISHED:
            finished += 1
            continue
        done += message
        _tell(progress, done, total)
        if progress is None and done >= next_report:
            logger.info("timeline: %d of %d snapshots measured", done, total)
            next_report += PROGRESS_EVERY
    _tell(progress, total, total)
    if progress is None:
        logger.info("timeline: %d of %d snapshots measured", total, total)


def _tell(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def occupied_series(days: Sequence[dt.date] | None = None, *, use_cache: bool = True,
                    workers: int | None = None, units: Units | None = None,
                    progress: Progress | None = None) -> pd.DataFrame:
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
    use_cache = use_cache and cache_enabled()
    units = units or load_units(use_cache=use_cache)
    sha = {d: registry.deepstate_source(d).sha256 for d in days}
    path = series_cache_path()
    cached = read_series_cache(path, units.codes) if use_cache else {}
    todo = [d for d in days if sha[d] not in cached]
    if todo:
        logger.info("timeline: measuring %d snapshot(s), %d from the cache", len(todo), len(days) - len(todo))
        fresh = compute_occupied(todo, units, workers=workers, cells=load_cells(units, use_cache=use_cache),
                                 progress=progress)
        cached.update({sha[d]: row.tolist() for d, row in zip(todo, fresh)})
        if use_cache:
            write_series_cache(path, units.codes, cached)
    frame = pd.DataFrame([cached[sha[d]] for d in days], index=pd.Index(days, name="date"),
                         columns=list(units.codes))
    return frame
