"""Measuring many DeepState snapshots in parallel processes, with progress and clean interrupts.

Snapshots are cut into runs of consecutive days, and each run is measured in one worker
process, so that a measure that keeps state from one day to the next (the grid cells of
:class:`peacemap.layers.control.cells.CellControl`) reuses what did not change. Workers start as
:func:`peacemap.layers.processes.start_method` says: forked (Linux), they inherit the measure, which
may be any callable, a closure included; spawned (macOS, Windows), they get it by pickling, so the
measures peacemap hands out are objects of module-level classes holding only picklable state, and
anything else a worker needs is loaded again there (from the disk cache).

Work cut into picklable tasks can also go to any ``concurrent.futures.Executor``
(:func:`map_on`, and ``measure_days(..., executor=...)``): :func:`executor_for` gives a local
process pool, or a dask.distributed cluster's executor for a scheduler's address (``--scheduler``,
``PEACEMAP_SCHEDULER``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from peacemap.layers import interrupts, processes, settings

if TYPE_CHECKING:
    from multiprocessing.queues import SimpleQueue

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 100  # snapshots between progress messages

# Told (snapshots done, snapshots in all) as the work goes on: a progress bar, say.
Progress = Callable[[int, int], None]
# The figures of one snapshot date; anything a worker can send back (picklable).
Measure = Callable[[dt.date], Any]

# Set in each worker by _worker_init, before it measures anything.
_worker_measure: Measure | None = None
_worker_progress = None  # a multiprocessing SimpleQueue of snapshot counts
_worker_parent: int | None = None  # the parent's process id
_worker_failure = ""  # why the measure could not be unpickled in this worker
_FINISHED = -1  # what a worker puts on the progress queue when its run ends (done or failed)
_PROGRESS_BATCH = 10  # snapshots a worker measures between progress messages


def measure_days(
    measure: Measure,
    days: Sequence[dt.date],
    *,
    workers: int | None = None,
    days_per_worker: int = 50,
    progress: Progress | None = None,
    what: str = "snapshots",
    executor: Executor | None = None,
) -> list[Any]:
    """``[measure(day) for day in days]``, on ``workers`` processes (default: the CPU count, or
    ``PEACEMAP_WORKERS``, one per ``days_per_worker`` days at most: a process is worth it only for
    enough work), each measuring runs of consecutive days in order.

    Where workers are spawned (:func:`peacemap.layers.processes.start_method`), ``measure`` must be
    picklable; each worker gets its own copy. ``progress`` is told the count as snapshots are
    measured; without it, progress is logged every :data:`PROGRESS_EVERY` snapshots as
    "timeline: N of M ``what`` measured". Leaving for any reason, an interrupt (SIGINT, SIGTERM)
    included, stops the workers: none outlives the call.
    """
    days = list(days)
    if not days:
        return []
    if executor is not None:  # any concurrent.futures.Executor: runs of days are its tasks
        runs = _runs(days, max(1, len(days) // days_per_worker))
        return [
            result
            for run in map_on(
                executor, _measure_days_in_order, [(measure, run) for run in runs], progress=None if progress is None else _RunProgress(progress, runs)
            )
            for result in run
        ]
    workers = workers or min(settings.current().workers or os.cpu_count() or 1, max(1, len(days) // days_per_worker))
    if workers == 1:
        results: list[Any] = []
        for day in days:  # one at a time, so that progress can be told; state carries over
            results.append(measure(day))
            _tell(progress, len(results), len(days))
        if progress is None:
            logger.info("timeline: %d of %d %s measured", len(results), len(days), what)
        return results
    context = processes.process_context()
    method = context.get_start_method()
    logger.debug("timeline: %d %s on %d %s worker processes", len(days), what, workers, method)
    shipped = measure if method == "fork" else _pickled(measure, method)
    queue = context.SimpleQueue()
    runs = _runs(days, 2 * workers)  # two runs each: whoever finishes first takes the next
    with interrupts.sigint_held():  # a Ctrl-C now is the parent's, once the workers are started
        pool = context.Pool(workers, initializer=_worker_init, initargs=(shipped, queue, os.getpid(), _logging_setup(), settings.current()))
    with pool:
        pending = [pool.apply_async(_measure_run, (run,)) for run in runs]
        _report_progress(queue, len(runs), len(days), progress, what)
        return [result for run in pending for result in run.get()]


# --------------------------------------------------------------------------------------------
# Any concurrent.futures.Executor: a local process pool, or a cluster's (dask.distributed)

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


def map_on(
    executor: Executor, function: Callable[[_Item], _Result], items: Sequence[_Item], *, progress: Callable[[int, int], None] | None = None
) -> list[_Result]:
    """``[function(item) for item in items]`` as tasks of ``executor``, results in the order of
    ``items``; ``progress`` is told (tasks done, tasks in all) as they finish. ``function`` and
    ``items`` travel to the executor's workers, so they must be picklable (a module-level function,
    a measure class). If a task fails, the others are cancelled and its error is raised."""
    futures = [executor.submit(function, item) for item in items]
    position = {future: index for index, future in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    try:
        for done, future in enumerate(as_completed(futures), start=1):
            results[position[future]] = future.result()
            _tell(progress, done, len(futures))
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return results


@contextmanager
def executor_for(scheduler: str | None = None, *, workers: int | None = None) -> Iterator[Executor]:
    """An executor for work in many tasks: a dask.distributed cluster's when ``scheduler`` (an
    address such as ``tcp://10.0.0.5:8786``) or ``PEACEMAP_SCHEDULER`` names one, else a local pool
    of ``workers`` processes (default: one per CPU), started as :mod:`peacemap.layers.processes`
    says. The pool is shut down, and the cluster's client closed, when the block ends.

    Raises
    ------
    ImportError
        A scheduler is named but dask.distributed is not installed (``pip install 'peacemap[dask]'``).
    """
    address = scheduler or settings.current().scheduler
    if address is None:
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, mp_context=processes.process_context()) as pool:
            yield pool
        return
    try:
        from dask.distributed import Client
    except ImportError:
        raise ImportError(f"a scheduler ({address}) needs dask.distributed: pip install 'peacemap[dask]'") from None
    logger.info("sending the work to the dask scheduler at %s", address)
    with Client(address) as client:
        yield client.get_executor()


def _measure_days_in_order(task: tuple[Measure, Sequence[dt.date]]) -> list[Any]:
    """One task of :func:`measure_days` on an executor: a run of consecutive days, in order."""
    measure, days = task
    with quiet_logs():
        return [measure(day) for day in days]


class _RunProgress:
    """Progress in snapshots from progress in runs of them."""

    def __init__(self, progress: Progress, runs: list[list[dt.date]]) -> None:
        self.progress, self.total = progress, sum(len(run) for run in runs)
        self.sizes = [len(run) for run in runs]

    def __call__(self, done: int, _total: int) -> None:
        self.progress(sum(self.sizes[:done]) if done < len(self.sizes) else self.total, self.total)


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


def _pickled(measure: Measure, method: str) -> bytes:
    """``measure`` pickled once for every worker (unpickled in :func:`_worker_init`, which can then
    report a failure instead of dying before it starts)."""
    try:
        return pickle.dumps(measure, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        raise TypeError(f"'measure' should be picklable where workers are started by {method}, got {measure!r} ({error})") from error


def _measure_run(days: Sequence[dt.date]) -> list[Any]:
    """Measure consecutive snapshots in one worker."""
    measure, progress = _worker_measure, _worker_progress
    if progress is None:
        raise RuntimeError("_measure_run runs in measure_days's processes, which set the measure first")
    results: list[Any] = []
    try:
        if measure is None:
            raise RuntimeError(f"a worker process could not load the measure: {_worker_failure}")
        for day in days:
            _stop_if_orphaned()
            results.append(measure(day))
            if len(results) % _PROGRESS_BATCH == 0:
                _put(progress, _PROGRESS_BATCH)
    finally:
        _put(progress, _FINISHED)
    return results


def _worker_init(
    measure: Measure | bytes, progress: SimpleQueue[int] | None, parent: int, logging_setup: tuple[int, bool], parent_settings: settings.Settings
) -> None:
    """In each worker: leave Ctrl-C to the parent, which stops the pool; die quietly on SIGTERM,
    and with the parent (:func:`interrupts.as_child_of`); take the parent's settings (``--no-cache``
    included, which a spawned worker cannot inherit); keep the measure (unpickled here if it came
    pickled) and the progress queue."""
    global _worker_measure, _worker_progress, _worker_parent, _worker_failure
    interrupts.as_child_of(parent)
    settings.install(parent_settings)
    _set_up_logging(*logging_setup)
    _worker_progress, _worker_parent = progress, parent
    if not isinstance(measure, bytes):
        _worker_measure = measure
        return
    try:
        _worker_measure = pickle.loads(measure)
    except Exception as error:  # told by each run (_measure_run), so the parent raises it, not waits forever
        _worker_failure = f"{type(error).__name__}: {error}"


def _logging_setup() -> tuple[int, bool]:
    """The level of the ``peacemap`` logger, and whether it writes to a handler of its own (the
    command line's, on stderr): what a spawned worker needs to log as its parent does."""
    chosen = logging.getLogger("peacemap")
    return chosen.level, bool(chosen.handlers)


def _set_up_logging(level: int, own_handler: bool) -> None:
    """Make a spawned worker's ``peacemap`` logger like its parent's (a forked one has it already)."""
    chosen = logging.getLogger("peacemap")
    if chosen.handlers or not own_handler:
        return
    handler = logging.StreamHandler()  # stderr, one message a line, as peacemap.cli.main sets it up
    handler.setFormatter(logging.Formatter("%(message)s"))
    chosen.handlers[:] = [handler]
    chosen.setLevel(level)
    chosen.propagate = False


def _stop_if_orphaned() -> None:
    """Exit a worker at once, without a word, if its parent is gone (killed with SIGKILL)."""
    if _worker_parent is not None and interrupts.parent_gone(_worker_parent):
        os._exit(1)  # skips the finally clauses, which would write to the dead parent's pipes


def _put(progress: SimpleQueue[int], message: int) -> None:
    try:
        progress.put(message)
    except (BrokenPipeError, ConnectionError):  # the parent is gone
        os._exit(1)


def _runs(days: Sequence[dt.date], count: int) -> list[list[dt.date]]:
    """``days`` cut into ``count`` runs of consecutive days of nearly equal length."""
    bounds = np.linspace(0, len(days), count + 1).round().astype(int)
    return [list(days[a:b]) for a, b in itertools.pairwise(bounds) if b > a]


def _report_progress(queue: SimpleQueue[int], runs: int, total: int, progress: Progress | None, what: str) -> None:
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
