"""The comparison use cases: several plans side by side on one line of contact (``peacemap
compare``), and two maps of control side by side with a plan's headline under each (``peacemap
control compare``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from peacemap.layers.control.resolve import ControlSource, resolve_control, resolve_source
from peacemap.pipeline import plan as plan_case
from peacemap.pipeline.plan import own_population
from peacemap.pipeline.report import add_statements
from peacemap.pipeline.request import DateRequest, snapshot_day

if TYPE_CHECKING:
    from peacemap.layers.plans.apply import PlanLayers
    from peacemap.layers.population.request import PopulationRequest
    from peacemap.layers.report.contract import Comparison, Report
    from peacemap.layers.report.control_compare import ControlComparisonResult
    from peacemap.layers.sources.control_map import ControlSnapshot

logger = logging.getLogger(__name__)


def comparison(plans: Sequence[str | Path], date: DateRequest = None, *, with_claims: bool = False, population: PopulationRequest | None = None) -> Comparison:
    """The plans side by side on one control snapshot: ``date``, else the first plan's own date
    (a plan with options as ``plan28+21c-none``), with the official statements beside the figures
    and, with ``population``, the user's population beside the official one."""
    from peacemap.layers.plans.model import load_plan_variant
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.compare import compare_plans
    from peacemap.layers.report.figures import add_own_population, own_source

    own = own_population(population) if population is not None else None
    control = comparison_control(plans, date)

    def annotate(layers: PlanLayers, report: Report) -> None:
        add_statements(report, layers, with_claims=with_claims)
        if own is not None:
            add_own_population(report, layers, own)

    compared = compare_plans([str(plan) for plan in plans], control, zone_population, annotate=annotate)
    if own is not None:
        compared["population_own_source"] = own_source(own)  # type: ignore[typeddict-item]
    age = plan_case.snapshot_age(date if date is not None else load_plan_variant(plans[0]).date, control.as_of, today=plan_case.today())
    if age is not None:
        compared["snapshot_age"] = age  # type: ignore[typeddict-item]
    return compared


def comparison_text(compared: Comparison, output_format: str) -> str:
    """A comparison rendered as ``md``, ``csv`` or ``json``."""
    from peacemap.layers.report.compare import comparison_markdown, comparison_rows
    from peacemap.layers.report.records import document_text

    return document_text(compared, output_format, rows=lambda: comparison_rows(compared), markdown=lambda: comparison_markdown(compared))


def comparison_control(plans: Sequence[str | Path], date: DateRequest) -> ControlSnapshot:
    """The one line of contact the plans are compared on: ``date``'s, else the first plan's own date's."""
    from peacemap.layers.plans.model import load_plan_variant

    first = load_plan_variant(plans[0])
    return resolve_control(date, default_date=first.date)


def control_comparison(
    a: ControlSource, b: ControlSource | None = None, *, date: DateRequest = None, plan: str | Path | None = None
) -> ControlComparisonResult:
    """Two maps of control side by side (``peacemap control compare``): occupied land per region
    under each, the land only one counts as occupied, and ``plan``'s headline under each.

    ``a`` and ``b`` are control files (as of ``date``, else the plan's own date) or DeepState
    snapshots of their own dates; ``b`` defaults to DeepState's snapshot of ``date`` (else of the
    plan's date). ``plan`` defaults to the 28-point plan.
    """
    from peacemap.layers.plans.model import load_plan
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.control_compare import compare_controls
    from peacemap.layers.sources.requirements import DEFAULT_PLAN

    chosen = load_plan(plan if plan is not None else DEFAULT_PLAN)
    first = resolve_source(a, date, default_date=chosen.date)
    second = resolve_source(b, date, default_date=chosen.date)
    logger.info("comparing %s with %s", first.label, second.label)
    asked = snapshot_day(date)
    return compare_controls(chosen, first, second, zone_population, date=asked.isoformat() if asked else None)


def control_comparison_text(result: ControlComparisonResult, output_format: str) -> str:
    """A comparison of two maps of control rendered as ``md``, ``csv`` or ``json``."""
    from peacemap.layers.report.control_compare import control_comparison_markdown, control_comparison_rows
    from peacemap.layers.report.records import document_text

    document = result.document
    return document_text(
        document,
        output_format,
        rows=lambda: control_comparison_rows(document),
        markdown=lambda: control_comparison_markdown(document, plan_title=result.sides[0].plan.title_text()),
    )
