"""Resolve what the user asked for (plan, date, control source) into plan layers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from peacemap.layers.control import split as control
from peacemap.layers.control.split import ControlSnapshot
from peacemap.layers.plans.model import Plan, load_plan
from peacemap.layers.plans.apply import PlanLayers, build_plan_layers

LATEST = "latest"


def resolve_control(plan: Plan, date: dt.date | str | None, control_file: Path | None = None) -> ControlSnapshot:
    """Control for ``date``: from ``control_file`` when given (as of ``date`` or the plan's date),
    else DeepState: the plan's date when None, the newest snapshot for 'latest'."""
    if control_file is not None:
        from peacemap.layers.sources.control_file import read_control_file

        return read_control_file(control_file, as_of=None if date == LATEST else (date or plan.date))
    return control.deepstate_control(None if date == LATEST else (date or plan.date))


def layers_for_request(
    plan_ref: str | Path,
    date: dt.date | str | None = None,
    option_ids: tuple[str, ...] = (),
    control_file: Path | None = None,
) -> PlanLayers:
    """Load ``plan_ref`` (id or file), switch on ``option_ids``, and build its layers on ``date``
    (see :func:`resolve_control`)."""
    plan = load_plan(plan_ref).with_options(option_ids)
    return build_plan_layers(plan, resolve_control(plan, date, control_file))
