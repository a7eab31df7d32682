"""Resolve what the user asked for (a date and a control source) into a map of control."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # shapely and the readers are imported when a map of control is resolved
    from peacemap.layers.sources.control_map import ControlSnapshot

LATEST = "latest"


@dataclass(frozen=True)
class ControlFile(os.PathLike):
    """A user's control file, the layer to read from it (None: the file's only layer) and the
    OGR SQL condition selecting the features that count as occupied (None: all).

    Path-like (``os.fspath`` gives ``path``), so code that only needs the file can treat it as
    a path; the CLI's ``--control``, ``--control-layer`` and ``--control-where`` arrive as one
    of these.
    """

    path: Path
    layer: str | None = None
    where: str | None = None

    def __fspath__(self) -> str:
        return os.fspath(self.path)


def resolve_control(date: dt.date | str | None, control_file: Path | ControlFile | None = None, *,
                    default_date: dt.date | None = None) -> ControlSnapshot:
    """Control for ``date``: from ``control_file`` when given (as of ``date``, else
    ``default_date``, the plan's own date; a :class:`ControlFile` names the layer of a file
    with several), else DeepState: ``default_date`` when ``date`` is None, the newest snapshot
    for 'latest'."""
    from peacemap.layers.sources.deepstate import deepstate_control

    as_of = None if date == LATEST else (date or default_date)
    if control_file is None:
        return deepstate_control(as_of)
    from peacemap.layers.sources.control_file import read_control_file

    if not isinstance(control_file, ControlFile):
        control_file = ControlFile(Path(control_file))
    return read_control_file(control_file.path, as_of=as_of, layer=control_file.layer, where=control_file.where)

