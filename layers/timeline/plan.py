"""A plan over time: its headline figures on every DeepState snapshot, as the report gives them.

On each snapshot date the plan is applied to that day's line (:mod:`peacemap.layers.plans.apply`)
and its headline measured (:func:`peacemap.layers.report.figures.plan_headline`), so a row equals
``peacemap report --plan P --date D`` to the last km² and person. Snapshots are measured in
parallel processes (:mod:`.parallel`); the figures are cached per plan and snapshot sha256 in one
file of the timeline cache. Days without a snapshot are rows with status ``gap`` and no figures.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from peacemap.layers.i18n.catalogue import gettext
from peacemap.layers.plans.model import Plan
from peacemap.layers.report.measures import Measure
from peacemap.layers.report.pieces import ZonePopulation
from peacemap.layers.sources import registry
from peacemap.layers.sources.cache import enabled as cache_enabled
from peacemap.layers.sources.cache import make_key, not_storing
from peacemap.layers.sources.deepstate import read_snapshot
from peacemap.layers.timeline.cache import read_snapshot_figures, timeline_cache_dir, write_snapshot_figures
from peacemap.layers.timeline.parallel import Progress, measure_days, quiet_logs
from peacemap.layers.timeline.plan_cells import AmbiguousDay, PlanCells, cells_can_measure, headline_figures
from peacemap.layers.timeline.table import check_range

logger = logging.getLogger(__name__)

# The headline measures a plan timeline follows: what the plan takes, leaves under Russian
# forces, has Ukraine give up, demilitarises, gives back and freezes.
PLAN_MEASURES = (
    Measure.RUSSIAN_SIDE,
    Measure.UNDER_RUSSIAN_FORCES,
    Measure.CEDED,
    Measure.CEDED_DEMILITARISED,
    Measure.BOTH_WITHDRAW,
    Measure.RETURNED,
    Measure.FROZEN_UKRAINIAN_SIDE,
)
FIGURES = ("area_km2", "population_2022", "population_2022_low", "population_2022_high")
# Bump when the figures change meaning without a change of code.
PLAN_TIMELINE_METHOD = 2  # 2: issue 25's measures, bands computed on each measure's land

# One snapshot's figures: measure -> [km², persons, low, high, regions without a 2022 figure
# joined by "+"] (persons count only the regions with one, as in the report).
DayFigures = dict[str, list]


@dataclass(frozen=True)
class PlanTimeline:
    """A plan's headline figures per calendar day, gaps included."""

    plan: Plan
    first: dt.date
    last: dt.date
    days: tuple[dt.date, ...]  # every calendar day from first to last
    figures: dict[dt.date, DayFigures]  # snapshot days only

    @property
    def gaps(self) -> tuple[dt.date, ...]:
        return tuple(day for day in self.days if day not in self.figures)


def plan_digest(plan: Plan) -> str:
    """sha256 of everything in ``plan`` but where its file lies and what it is called (its rules,
    options and words: the figures do not depend on the rest)."""
    fields = dataclasses.asdict(plan)
    del fields["path"], fields["origin"]
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def build_plan_timeline(
    plan: Plan,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    use_cache: bool = True,
    workers: int | None = None,
    progress: Progress | None = None,
) -> PlanTimeline:
    """``plan``'s headline figures on every DeepState snapshot from ``start`` to ``end`` (inclusive;
    default: all), each equal to the report's on that date; days without a snapshot are gaps."""
    start, end = check_range(start, end)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    snapshots = [day for day in registry.deepstate_dates() if start <= day <= end]
    figures = plan_figures(plan, snapshots, use_cache=use_cache, workers=workers, progress=progress)
    return PlanTimeline(plan, start, end, tuple(days), figures)


def plan_figures(
    plan: Plan, snapshots: Sequence[dt.date], *, use_cache: bool = True, workers: int | None = None, progress: Progress | None = None
) -> dict[dt.date, DayFigures]:
    """``plan``'s headline figures on each of ``snapshots`` (snapshot dates), from the plan cache
    where it holds them (by snapshot sha256), measured and added to it otherwise."""
    use_cache = use_cache and cache_enabled()
    path = plan_cache_path(plan)
    by_sha256 = read_plan_cache(path) if use_cache else {}
    sha = {day: registry.deepstate_source(day).sha256 for day in snapshots}
    todo = [day for day in snapshots if sha[day] not in by_sha256]
    if todo:
        logger.info("plan timeline: measuring %d snapshot(s) of %s, %d from the cache", len(todo), plan.id, len(snapshots) - len(todo))
        fresh = measure_plan(plan, todo, workers=workers, progress=progress)
        by_sha256.update({sha[day]: figures for day, figures in zip(todo, fresh)})
        if use_cache:
            write_plan_cache(path, by_sha256)
    elif progress is not None:
        progress(len(snapshots), len(snapshots))
    return {day: by_sha256[sha[day]] for day in snapshots}


def day_headline(figures: DayFigures) -> dict[str, dict]:
    """A day's figures as the report's headline gives them (measure -> area_km2, population_2022,
    its band and population_excludes), for the measures a plan timeline follows."""
    return {
        measure: {**dict(zip(FIGURES, values[: len(FIGURES)])), "population_excludes": values[len(FIGURES)].split("+") if values[len(FIGURES)] else []}
        for measure, values in figures.items()
    }


def measure_plan(plan: Plan, days: Sequence[dt.date], *, workers: int | None = None, progress: Progress | None = None, slow: bool = False) -> list[DayFigures]:
    """The headline figures of ``plan`` on each snapshot of ``days``, without the plan cache.

    A plan whose zones follow from region and control alone is measured on grid cells
    (:mod:`.plan_cells`), each process taking a run of consecutive days; a day whose figures the
    cells cannot vouch for to the last km² and person, and every day of a plan with option zones
    (or with ``slow``), is measured the report's way (:class:`PlanDayFigures`).
    """
    from peacemap.layers.population.model import population_model, zone_population
    from peacemap.layers.report.figures import RegionPopulationMemo

    # Built here once: forked workers inherit it; spawned ones build it again from the disk cache,
    # which this call has filled.
    population_model()
    # Regions whose zones are the same on two days (most, most days) are estimated once.
    slow_day = PlanDayFigures(plan, RegionPopulationMemo(zone_population))
    if slow or not cells_can_measure(plan):
        # A snapshot costs about a second, so every core is worth its process from two snapshots on.
        return measure_days(slow_day, days, workers=workers, days_per_worker=1, progress=progress, what=f"snapshots of {plan.id}")
    cells = PlanCellsFigures(plan, slow_day)
    # The first day cuts and measures every cell of the regions the line crosses, once, here:
    # forked workers inherit what it measured.
    measured = [cells(days[0])] if days else []
    measured += measure_days(
        cells,
        days[1:],
        workers=workers,
        days_per_worker=CELL_DAYS_PER_WORKER,
        progress=None if progress is None else _Shifted(progress),
        what=f"snapshots of {plan.id}",
    )
    slow_days = sum(fallback for _, fallback in measured)
    logger.info("plan timeline: %d of %d snapshot(s) of %s measured on grid cells, %d the slow way", len(days) - slow_days, len(days), plan.id, slow_days)
    return [day_figures for day_figures, _ in measured]


# A process measuring on cells first cuts every cell the line crosses (about a second): a run
# is worth a process from this many snapshots on.
CELL_DAYS_PER_WORKER = 30


@dataclass
class _Shifted:
    """Progress told one more than counted: the first day was measured before the workers started."""

    progress: Progress

    def __call__(self, done: int, total: int) -> None:
        self.progress(done + 1, total + 1)


@dataclass
class PlanDayFigures:
    """A measure for :func:`measure_days`: the headline figures of ``plan`` on a snapshot date,
    estimated with ``population`` (picklable, for spawned workers); the report's own way."""

    plan: Plan
    population: ZonePopulation

    def __call__(self, day: dt.date) -> DayFigures:
        from peacemap.layers.plans.apply import build_plan_layers
        from peacemap.layers.report.figures import plan_headline
        from peacemap.layers.sources.deepstate import deepstate_control

        # A control split per day would add 2 MB a day to the cache; the figures are kept instead.
        with quiet_logs(), not_storing("control"):
            headline: dict = dict(plan_headline(build_plan_layers(self.plan, deepstate_control(day)), self.population))
        return _day_figures(headline)


@dataclass
class PlanCellsFigures:
    """A measure for :func:`measure_days`: (figures, measured the slow way) of ``plan`` on a
    snapshot date from grid cells (:class:`PlanCells`), and the slow way (``slow``) on a day the
    cells cannot vouch for. The cells are built in each process on first use and carried from
    one day to the next; they are never pickled (a spawned worker builds its own)."""

    plan: Plan
    slow: PlanDayFigures
    _cells: PlanCells | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_cells": None}

    def __call__(self, day: dt.date) -> tuple[DayFigures, bool]:
        if self._cells is None:
            self._cells = _cells_state(self.plan)
        with quiet_logs():
            try:
                return _day_figures(headline_figures(self._cells.pieces(read_snapshot(day)), PLAN_MEASURES)), False
            except AmbiguousDay as reason:
                logger.debug("plan timeline: %s measured the slow way (%s)", day, reason)
                return self.slow(day), True
            finally:
                self._cells.forget_dead_atoms()


def _day_figures(headline: dict) -> DayFigures:
    return {str(measure): [*(headline[measure][name] for name in FIGURES), "+".join(headline[measure]["population_excludes"])] for measure in PLAN_MEASURES}


def _cells_state(plan: Plan) -> PlanCells:
    """A fresh measure of ``plan`` on the grid cells of the unit regions (cut once, cached)."""
    from peacemap.layers.population.model import population_model
    from peacemap.layers.timeline.cache import load_cells, load_units

    units = load_units()
    return PlanCells(plan, units.control(load_cells(units)), units.codes, units.geometries, units.areas_km2, population_model())


def plan_cache_path(plan: Plan) -> Path:
    """The plan's figures file in the timeline cache, named by everything they depend on."""
    from peacemap.layers.population.placement import population_key
    from peacemap.layers.regions import regions_key

    key = make_key(
        "plan-timeline",
        method=PLAN_TIMELINE_METHOD,
        code=__name__,
        sources=[population_key("zone-population", code=__name__), regions_key()],
        extra=plan_digest(plan),
    )
    return timeline_cache_dir() / f"plan-{plan_slug(plan)}-{key}.json"


def plan_slug(plan: Plan) -> str:
    """``plan.id`` reduced to letters, digits and ``-`` (a plan file's id is untrusted text)."""
    slug = "".join(c if c.isascii() and (c.isalnum() or c == "-") else "-" for c in plan.id)[:40]
    return slug or "plan"


def read_plan_cache(path: Path) -> dict[str, DayFigures]:
    """Cached figures per snapshot sha256; {} if none, or (with one warning) if damaged."""

    def valid(day: object) -> bool:
        return isinstance(day, dict) and list(day) == list(PLAN_MEASURES) and all(_is_figures(v) for v in day.values())

    return read_snapshot_figures(
        path, header={"measures": list(PLAN_MEASURES)}, valid=valid, expected=f"{len(FIGURES)} figures and the excluded regions per measure"
    )


def _is_figures(values: object) -> bool:
    """[km², persons, low, high, excluded regions]: finite, non-negative numbers, whole persons."""
    if not (isinstance(values, list) and len(values) == len(FIGURES) + 1):
        return False
    area, *persons, excludes = values
    return _non_negative(area) and all(type(p) is int and p >= 0 for p in persons) and isinstance(excludes, str)


def _non_negative(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0


def write_plan_cache(path: Path, by_sha256: dict[str, DayFigures]) -> None:
    write_snapshot_figures(path, {"measures": list(PLAN_MEASURES)}, by_sha256)


# --------------------------------------------------------------------------------------------
# Records for output files


def plan_timeline_records(timeline: PlanTimeline) -> list[dict]:
    """One record per calendar day and measure: ``date``, ``plan``, ``status`` ('snapshot' or
    'gap'), ``measure``, ``measure_label``, ``area_km2``, ``population_2022`` and its band
    (``population_2022_low``, ``population_2022_high``; persons, 1 January 2022),
    ``population_excludes`` (regions without a 2022 figure), ``readings`` (the plan's, on one
    line); a gap's figures are None."""
    from peacemap.layers.report.readings import plan_readings, readings_text

    readings = readings_text(plan_readings(timeline.plan))
    records = []
    for day in timeline.days:
        figures = timeline.figures.get(day)
        for measure in PLAN_MEASURES:
            values = figures[measure] if figures is not None else [None] * (len(FIGURES) + 1)
            records.append(
                {
                    "date": day.isoformat(),
                    "plan": timeline.plan.id,
                    "status": "snapshot" if figures is not None else "gap",
                    "measure": str(measure),
                    "measure_label": gettext(measure.label),
                    **dict(zip((*FIGURES, "population_excludes"), values)),
                    "readings": readings,
                }
            )
    return records


def plan_sources_note(timeline: PlanTimeline) -> str:
    """One line naming the plan's text, the sources and the method of the figures."""
    from peacemap.layers.report.figures import POPULATION_NOTE
    from peacemap.layers.timeline.table import sources_note

    plan = gettext("Plan: %(origin)s") % {"origin": timeline.plan.source_line()}
    return f"{plan}. {sources_note()} {gettext(POPULATION_NOTE)}"


def plan_timeline_document(timeline: PlanTimeline) -> dict:
    """The plan timeline as one JSON-ready object: what it is, the plan, its readings, the gaps,
    and the rows."""
    from peacemap.layers.report.readings import plan_readings
    from peacemap.layers.timeline.table import GAP_RULE

    return {
        "what": gettext(
            "A plan's headline figures on each DeepState snapshot: the plan applied to the line of that day (geodesic km², "
            "persons on 1 January 2022 with the model's band)"
        ),
        "plan": timeline.plan.id,
        "plan_title": timeline.plan.title_text(),
        "options": list(timeline.plan.enabled_options),
        "from": timeline.first.isoformat(),
        "to": timeline.last.isoformat(),
        "equals": gettext("each snapshot's figures are the 'headline' of `peacemap report --plan PLAN --date DAY`"),
        "gaps": [day.isoformat() for day in timeline.gaps],
        "gap_rule": gettext(GAP_RULE),
        "measures": {str(measure): gettext(measure.label) for measure in PLAN_MEASURES},
        "readings": plan_readings(timeline.plan),
        "sources": plan_sources_note(timeline),
        "rows": plan_timeline_records(timeline),
    }
