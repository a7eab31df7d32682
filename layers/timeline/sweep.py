"""Sweeps: the plan timeline of every plan and option under every map of control, in one table.

A *series* is one plan with a set of its options, under DeepState (every snapshot of a range) or
under one of the user's control files (one map, as of a date). Each series' figures are the
plan timeline's (:mod:`peacemap.layers.timeline.plan`: on DeepState, grid cells, each day equal
to the report's headline) or, for a control file, the report's headline on that map. The work
is cut into tasks (a series' run of consecutive snapshots, or one control map) for any
``concurrent.futures.Executor`` (:func:`peacemap.layers.timeline.parallel.executor_for`): a local
process pool, or a dask.distributed cluster. Tasks get everything they measure (plans, the
control maps' polygons), never a path to read, so a cluster's workers need only the sources.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import pandas as pd

from peacemap.layers.plans.model import Plan
from peacemap.layers.sources import registry
from peacemap.layers.sources.control_map import ControlSnapshot
from peacemap.layers.timeline.parallel import Progress, map_on
from peacemap.layers.timeline.plan import DayFigures, PlanTimeline, plan_timeline_records

DEEPSTATE = "deepstate"  # the source of DeepState series
RUN_DAYS = 60  # snapshots in one task: the cells' start (a second or two) spread over enough days
OPTION_MODES = ("none", "each", "all")
SWEEP_COLUMNS = [
    "plan",
    "options",
    "source",
    "date",
    "status",
    "measure",
    "measure_label",
    "area_km2",
    "population_2022",
    "population_2022_low",
    "population_2022_high",
    "population_excludes",
    "readings",
]


def plan_variants(plan: Plan, mode: str) -> list[Plan]:
    """``plan`` with: no option (``none``); no option, then each alone (``each``); every set of
    its options, from none to all (``all``, 2^n variants)."""
    if mode not in OPTION_MODES:
        raise ValueError(f"'mode' should be one of {', '.join(OPTION_MODES)}, got {mode!r}")
    ids = [option.id for option in plan.options]
    if mode == "none":
        chosen: list[tuple[str, ...]] = [()]
    elif mode == "each":
        chosen = [(), *((option_id,) for option_id in ids)]
    else:
        chosen = [combination for size in range(len(ids) + 1) for combination in itertools.combinations(ids, size)]
    return [plan.with_options(combination) for combination in chosen]


@dataclass(frozen=True)
class Series:
    """One plan (with its options) under DeepState (``control`` None) or one control map."""

    plan: Plan
    control: ControlSnapshot | None = None
    source: str = DEEPSTATE


@dataclass(frozen=True)
class _Task:
    """A series' run of consecutive snapshot days (DeepState) or its one control map."""

    series: int
    plan: Plan
    days: tuple[dt.date, ...] = ()
    control: ControlSnapshot | None = None
    use_cache: bool = True


def sweep(
    series: Sequence[Series], start: dt.date, end: dt.date, *, executor: Executor, use_cache: bool = True, progress: Progress | None = None
) -> pd.DataFrame:
    """Every series' plan timeline from ``start`` to ``end`` (inclusive; gaps as the plan
    timeline gives them) and every control map's headline, in one table of
    :data:`SWEEP_COLUMNS`: one row per series, day and measure, in the order of ``series``."""
    snapshots = [day for day in registry.deepstate_dates() if start <= day <= end]
    tasks = []
    for index, one in enumerate(series):
        if one.control is not None:
            tasks.append(_Task(index, one.plan, control=one.control, use_cache=use_cache))
            continue
        for first in range(0, len(snapshots), RUN_DAYS):
            tasks.append(_Task(index, one.plan, tuple(snapshots[first : first + RUN_DAYS]), use_cache=use_cache))
    results = map_on(executor, _run_task, tasks, progress=progress)
    figures: dict[int, dict[dt.date, DayFigures]] = {index: {} for index in range(len(series))}
    for task, result in zip(tasks, results, strict=True):
        figures[task.series].update(result)
    days = tuple(start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    frames = [_series_rows(one, figures[index], start, end, days) for index, one in enumerate(series)]
    return pd.concat(frames, ignore_index=True)[SWEEP_COLUMNS] if frames else pd.DataFrame(columns=SWEEP_COLUMNS)


def _run_task(task: _Task) -> dict[dt.date, DayFigures]:
    """One task, in a worker: the figures of its days (cached per plan and snapshot where the
    cache is on), or of its control map (the report's way)."""
    from peacemap.layers.timeline.plan import measure_plan, plan_figures

    if task.control is None:
        if task.use_cache:
            return plan_figures(task.plan, task.days, workers=1)
        return dict(zip(task.days, measure_plan(task.plan, task.days, workers=1), strict=True))
    return {_control_day(task.control): _control_figures(task.plan, task.control)}


def _control_figures(plan: Plan, control: ControlSnapshot) -> DayFigures:
    from peacemap.layers.plans.apply import build_plan_layers
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import plan_headline
    from peacemap.layers.sources.cache import not_storing
    from peacemap.layers.timeline.parallel import quiet_logs
    from peacemap.layers.timeline.plan import _day_figures

    with quiet_logs(), not_storing("control"):
        return _day_figures(dict(plan_headline(build_plan_layers(plan, control), zone_population)))


def _control_day(control: ControlSnapshot) -> dt.date:
    if control.as_of is None:
        raise ValueError(f"control map {control.label!r} has no date: give the date it shows")
    return control.as_of


def _series_rows(one: Series, figures: dict[dt.date, DayFigures], start: dt.date, end: dt.date, days: tuple[dt.date, ...]) -> pd.DataFrame:
    if one.control is not None:
        day = _control_day(one.control)
        timeline = PlanTimeline(one.plan, day, day, (day,), figures)
    else:
        timeline = PlanTimeline(one.plan, start, end, days, figures)
    rows = pd.DataFrame(plan_timeline_records(timeline))
    rows.insert(1, "options", "+".join(one.plan.enabled_options))
    rows.insert(2, "source", one.source)
    if one.control is not None:
        rows["status"] = "control map"
    return rows
