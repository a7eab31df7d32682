"""Measuring many DeepState snapshots in parallel processes, with progress and clean interrupts.

Snapshots are cut into runs of consecutive days, and each run is measured in one forked
process, so that a measure that keeps state from one day to the next (the grid cells of
:class:`peacemap.layers.control.cells.CellControl`) reuses what did not change. The measure is
handed to the workers by forking, not by pickling: it may be any callable, a closure included.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from peacemap.layers import interrupts

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 100  # snapshots between progress messages

# Told (snapshots done, snapshots in all) as the work goes on: a progress bar, say.
Progress = Callable[[int, int], None]
# The figures of one snapshot date; anything a forked worker can send back (picklable).
Measure = Callable[[dt.date], Any]

# Set in the parent just before forking the workers, which inherit them.
_worker_measure: Measure | None = None
_worker_progress = None  # a multiprocessing SimpleQueue of snapshot counts; None when not forked
_worker_parent: int | None = None  # the parent's process id; None when not forked
_FINISHED = -1  # what a worker puts on the progress queue when its run ends (done or failed)
_PROGRESS_BATCH = 10  # snapshots a worker measures between progress messages


def measure_days(measure: Measure, days: Sequence[dt.date], *, workers: int | None = None,
                 days_per_worker: int = 50, progress: Progress | None = None, what: str = "snapshots") -> list[Any]:
    """``[measure(day) for day in days]``, on ``workers`` processes (default: the CPU count, one
    per ``days_per_worker`` days at most: a fork is worth it only for enough work), each
    measuring runs of consecutive days in order.

    ``progress`` is told the count as snapshots are measured; without it, progress is logged
    every :data:`PROGRESS_EVERY` snapshots as "timeline: N of M ``what`` measured". Leaving for
    any reason, an interrupt (SIGINT, SIGTERM) included, stops the workers: none outlives the call.
    """
    global _worker_measure, _worker_progress, _worker_parent
    days = list(days)
    if not days:
        return []
    workers = workers or min(os.cpu_count() or 1, max(1, len(days) // days_per_worker))
    _worker_measure = measure
    try:
        if workers == 1:
            results: list[Any] = []
            for day in days:  # one at a time, so that progress can be told; state carries over
                results.extend(_measure_run([day]))
                _tell(progress, len(results), len(days))
            if progress is None:
                logger.info("timeline: %d of %d %s measured", len(results), len(days), what)
            return results
        context = multiprocessing.get_context("fork")
        _worker_progress = context.SimpleQueue()
        _worker_parent = os.getpid()
        runs = _runs(days, 2 * workers)  # two runs each: whoever finishes first takes the next
        with context.Pool(workers, initializer=_worker_init) as pool:
            pending = [pool.apply_async(_measure_run, (run,)) for run in runs]
            _report_progress(_worker_progress, len(runs), len(days), progress, what)
            return [result for run in pending for result in run.get()]
    finally:
        _worker_measure = _worker_progress = _worker_parent = None


@contextmanager
def quiet_logs(name: str = "peacemap") -> Iterator[None]:
    """Within the block, logger ``name`` (and those below it) says only warnings and errors, unless
    debugging (-vv): a line per snapshot (a split, a simplification) would bury the progress."""
    chosen = logging.getLogger(name)
    level = chosen.level
    if chosen.getEffectiveLevel() > logging.DEBUG:
        chosen.setLevel(logging.WARNING)
    try:
        yield
    finally:
        chosen.setLevel(level)


def _measure_run(days: Sequence[dt.date]) -> list[Any]:
    """Measure consecutive snapshots in one process."""
    measure, progress = _worker_measure, _worker_progress
    if measure is None:
        raise RuntimeError("_measure_run runs in measure_days's processes, which set the measure first")
    results: list[Any] = []
    try:
        for day in days:
            _stop_if_orphaned()
            results.append(measure(day))
            if progress is not None and len(results) % _PROGRESS_BATCH == 0:
                _put(progress, _PROGRESS_BATCH)
    finally:
        if progress is not None:
            _put(progress, _FINISHED)
    return results


def _worker_init() -> None:
    """In each worker: leave Ctrl-C to the parent, which stops the pool; die quietly on SIGTERM,
    and with the parent (:func:`peacemap.layers.interrupts.as_child_of`)."""
    assert _worker_parent is not None  # set before the fork
    interrupts.as_child_of(_worker_parent)


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


def _report_progress(queue, runs: int, total: int, progress: Progress | None, what: str) -> None:  # noqa: ANN001 - a SimpleQueue
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
            logger.info("timeline: %d of %d %s measured", done, total, what)
            next_report += PROGRESS_EVERY
    _tell(progress, total, total)
    if progress is None:
        logger.info("timeline: %d of %d %s measured", total, total, what)


def _tell(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
