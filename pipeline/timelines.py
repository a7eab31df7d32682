"""The timeline use cases: occupied km² per region on every snapshot (``peacemap timeline``), a
plan's headline figures on every snapshot (``--plan``) and the official statements drawn beside
them, a plan's zones on every snapshot (``--plan -o zones.gpkg``), and the sweep of every plan and
option (``peacemap sweep``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from peacemap.layers.control.resolve import resolve_control
from peacemap.pipeline.plan import chosen_plan
from peacemap.pipeline.request import ControlFile, DateRequest, snapshot_day

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from peacemap.layers.plans.model import Plan
    from peacemap.layers.timeline.plan import PlanTimeline
    from peacemap.layers.timeline.table import Timeline

TIMELINE_FORMATS = (".csv", ".json", ".html", ".png")


def timeline(
    start: DateRequest = None,
    end: DateRequest = None,
    regions: Sequence[str] | None = None,
    *,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Timeline:
    """Occupied km² per region on every day from ``start`` to ``end`` (dates, or 'latest');
    ``progress`` is told (snapshots measured, snapshots to measure) as the work goes on."""
    from peacemap.layers.timeline.table import build_timeline

    return build_timeline(snapshot_day(start), snapshot_day(end), [r.upper() for r in regions] if regions else None, use_cache=use_cache, progress=progress)


def timeline_text(result: Timeline, output_format: str) -> str:
    """``result`` as ``csv`` or ``json`` text (what :func:`peacemap.pipeline.outputs.write_timeline` writes to such a file)."""
    from peacemap.layers.report.records import records_to_csv
    from peacemap.layers.timeline.table import timeline_document, timeline_records

    if output_format == "csv":
        return records_to_csv(timeline_records(result))
    if output_format == "json":
        return json.dumps(timeline_document(result), indent=1, ensure_ascii=False) + "\n"
    raise ValueError(f"'output_format' should be csv or json, got {output_format!r}")


def plan_timeline(
    plan: str | Path,
    start: DateRequest = None,
    end: DateRequest = None,
    *,
    options: Sequence[str] = (),
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> PlanTimeline:
    """``plan``'s headline figures on every DeepState snapshot from ``start`` to ``end`` (dates, or
    'latest'; default: all), each equal to its report's on that date; days without one are gaps."""
    from peacemap.layers.timeline.plan import build_plan_timeline

    chosen = chosen_plan(plan, options)
    return build_plan_timeline(chosen, snapshot_day(start), snapshot_day(end), use_cache=use_cache, progress=progress)


def plan_timeline_statements(result: PlanTimeline, *, with_claims: bool = False) -> list:
    """The official statements to draw beside ``result``'s figures: those whose area is exactly a
    measure's land in one region under the plan's rules, made within its range
    (:func:`peacemap.layers.report.statement_points.statement_points`)."""
    return statement_points(result.plan, result.first, result.last, with_claims=with_claims)


def plan_statements(plan: str | Path, start: DateRequest = None, end: DateRequest = None, *, options: Sequence[str] = (), with_claims: bool = False) -> list:
    """What :func:`plan_timeline_statements` gives for ``plan`` from ``start`` to ``end`` (default:
    every snapshot), without measuring a snapshot."""
    from peacemap.layers.timeline.table import check_range

    chosen = chosen_plan(plan, options)
    first, last = check_range(snapshot_day(start), snapshot_day(end))
    return statement_points(chosen, first, last, with_claims=with_claims)


def statement_points(plan: Plan, first: dt.date, last: dt.date, *, with_claims: bool) -> list:
    """The statements whose area is exactly a measure's land in one region under ``plan``'s rules, made from ``first`` to ``last``."""
    from peacemap.layers.regions import load_regions
    from peacemap.layers.report.statement_points import cut_by_options, statement_points
    from peacemap.layers.timeline.plan import PLAN_MEASURES

    cut = cut_by_options(plan, load_regions()) if plan.active_options() else frozenset()
    return statement_points(plan, PLAN_MEASURES, first, last, with_claims=with_claims, cut=cut)


def plan_timeline_text(result: PlanTimeline, output_format: str, *, statements: Sequence = ()) -> str:
    """``result`` as ``csv`` or ``json`` text (what :func:`peacemap.pipeline.outputs.write_plan_timeline`
    writes to such a file), with ``statements`` (:func:`plan_timeline_statements`) as dated points:
    rows with status ``statement`` in the CSV, ``statements`` in the JSON."""
    from peacemap.layers.report import statement_points as points
    from peacemap.layers.report.records import records_to_csv
    from peacemap.layers.timeline.plan import plan_timeline_document, plan_timeline_records

    if output_format == "csv":
        return records_to_csv(points.csv_rows(plan_timeline_records(result), statements))
    if output_format == "json":
        from peacemap.layers.i18n.catalogue import gettext

        document = {**plan_timeline_document(result), "statements_note": gettext(points.NOTE), "statements": list(statements)}
        return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    raise ValueError(f"'output_format' should be csv or json, got {output_format!r}")


def plan_timeline_frame(result: PlanTimeline) -> pd.DataFrame:
    """``result``'s rows as a frame: population as nullable ``Int64``, ``date`` as :class:`datetime.date`."""
    import pandas as pd

    from peacemap.layers.timeline.plan import plan_timeline_records
    from peacemap.pipeline.report import people_as_int64

    frame = people_as_int64(pd.DataFrame(plan_timeline_records(result)))
    frame["date"] = [dt.date.fromisoformat(day) for day in frame["date"]]  # as timeline(): datetime.date
    return frame


def plan_statements_frame(points: Sequence) -> pd.DataFrame:
    """Statement points (:func:`plan_statements`) as a frame, ``date`` as :class:`datetime.date`."""
    import pandas as pd

    from peacemap.layers.report.contract import PlanTimelineStatement, keys

    frame = pd.DataFrame(points, columns=keys(PlanTimelineStatement))
    frame["date"] = [dt.date.fromisoformat(day) for day in frame["date"]]
    return frame


@dataclass(frozen=True)
class PlanZones:
    """A plan's zones on each snapshot of a range (one row per zone and day, ``date``)."""

    plan: Plan
    first: dt.date
    last: dt.date
    table: gpd.GeoDataFrame

    def metadata(self) -> dict[str, str]:
        """Source and date facts written with the table."""
        from peacemap.layers.plans.apply import attribution
        from peacemap.layers.sources.deepstate import deepstate_control

        control = deepstate_control(self.last)
        return {
            "plan": self.plan.id,
            "plan_title": self.plan.title,
            "plan_source": self.plan.source_line(),
            "options": ",".join(self.plan.enabled_options),
            "control": f"DeepState snapshots {self.first.isoformat()} to {self.last.isoformat()}",
            "attribution": attribution(control),
            "date_field": "date: the snapshot's date, 00:00 UTC; no rows on days without one",
            "area": "area_km2: geodesic km² (WGS84)",
        }


def plan_zones(
    plan: str | Path,
    start: DateRequest = None,
    end: DateRequest = None,
    *,
    options: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> PlanZones:
    """``plan``'s zones on every DeepState snapshot from ``start`` to ``end`` (dates or 'latest';
    default: all), as the report makes them on each day (:mod:`peacemap.layers.timeline.zones`)."""
    from peacemap.layers.sources import registry
    from peacemap.layers.timeline.table import check_range
    from peacemap.layers.timeline.zones import plan_zones as zones_over_time

    chosen = chosen_plan(plan, options)
    first, last = check_range(snapshot_day(start), snapshot_day(end))
    snapshots = [day for day in registry.deepstate_dates() if first <= day <= last]
    return PlanZones(chosen, first, last, zones_over_time(chosen, snapshots, workers=workers, progress=progress))


SWEEP_FORMATS = (".parquet", ".csv")


def sweep(
    plans: Sequence[str | Path],
    start: DateRequest,
    end: DateRequest,
    *,
    options: str = "none",
    controls: Sequence[Path | ControlFile] = (),
    scheduler: str | None = None,
    workers: int | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """The plan timeline of every plan in ``plans`` with its options (``options``: none, each or
    all, :func:`peacemap.layers.timeline.sweep.plan_variants`) on every DeepState snapshot from
    ``start`` to ``end``, and each one's headline under each of ``controls`` (the user's control
    files, as of ``end``), in one table (:data:`peacemap.layers.timeline.sweep.SWEEP_COLUMNS`).

    The work goes to the dask.distributed scheduler at ``scheduler`` (or ``PEACEMAP_SCHEDULER``),
    else to a local pool of ``workers`` processes (:func:`peacemap.layers.timeline.parallel.executor_for`).
    """
    from peacemap.layers.plans.model import load_plan
    from peacemap.layers.timeline.parallel import executor_for
    from peacemap.layers.timeline.sweep import Series, plan_variants
    from peacemap.layers.timeline.sweep import sweep as run_sweep
    from peacemap.layers.timeline.table import check_range

    first, last = check_range(snapshot_day(start), snapshot_day(end))
    variants = [variant for plan in plans for variant in plan_variants(load_plan(plan), options)]
    maps = [resolve_control(last, control) for control in controls]  # read here: the workers get polygons, not paths
    series = [Series(variant) for variant in variants]
    series += [Series(variant, control=snapshot, source=f"control file {snapshot.label}") for snapshot in maps for variant in variants]
    with executor_for(scheduler, workers=workers) as executor:
        return run_sweep(series, first, last, executor=executor, use_cache=use_cache, progress=progress)
