"""Resolve what the user asked for (plan, date, control source) into plan layers."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from peacemap.layers.control import split as control
from peacemap.layers.control.split import ControlSnapshot
from peacemap.layers.plans.model import Plan, load_plan
from peacemap.layers.plans.apply import PlanLayers, build_plan_layers
from peacemap.layers.regions import load_regions

LATEST = "latest"


@dataclass(frozen=True)
class ControlFile(os.PathLike):
    """A user's control file, the layer to read from it (None: the file's only layer), and
    whether its polygons are the occupied or the Ukrainian-held territory.

    Path-like (``os.fspath`` gives ``path``), so code that only needs the file can treat it as
    a path; the CLI's ``--control``, ``--control-layer`` and ``--control-means`` arrive as one
    of these.
    """

    path: Path
    layer: str | None = None
    means: str = "occupied"  # what the polygons show: "occupied" or "held" territory

    def __fspath__(self) -> str:
        return os.fspath(self.path)


def resolve_control(plan: Plan, date: dt.date | str | None, control_file: Path | ControlFile | None = None) -> ControlSnapshot:
    """Control for ``date``: from ``control_file`` when given (as of ``date`` or the plan's date;
    a :class:`ControlFile` names the layer of a file with several, and whether it shows occupied
    or held territory), else DeepState: the plan's date when None, the newest snapshot for
    'latest'."""
    as_of = None if date == LATEST else (date or plan.date)
    if control_file is None:
        return control.deepstate_control(as_of)
    from peacemap.layers.sources.control_file import read_control_file

    if not isinstance(control_file, ControlFile):
        control_file = ControlFile(Path(control_file))
    return read_control_file(control_file.path, as_of=as_of, layer=control_file.layer, means=control_file.means,
                             country=ukraine_land())


def ukraine_land() -> BaseGeometry:
    """Ukraine's land (EPSG:4326): the union of its 27 regions, as the control split uses it."""
    return shapely.union_all(control.unit_regions(load_regions()).geometry.values)


def layers_for_request(
    plan_ref: str | Path,
    date: dt.date | str | None = None,
    option_ids: tuple[str, ...] = (),
    control_file: Path | ControlFile | None = None,
) -> PlanLayers:
    """Load ``plan_ref`` (id or file), switch on ``option_ids``, and build its layers on ``date``
    (see :func:`resolve_control`)."""
    plan = load_plan(plan_ref).with_options(option_ids)
    return build_plan_layers(plan, resolve_control(plan, date, control_file))
