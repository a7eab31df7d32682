"""Resolve what the user asked for (a date and a control source) into a map of control."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # shapely and the readers are imported when a map of control is resolved
    from shapely.geometry.base import BaseGeometry

    from peacemap.layers.sources.control_map import ControlSnapshot

LATEST = "latest"


@dataclass(frozen=True)
class ControlFile(os.PathLike):
    """A user's control file, the layer to read from it (None: the file's only layer), the OGR
    SQL condition selecting the features that count (None: all), whether its polygons are
    the occupied or the Ukrainian-held territory, and whether an occupied territory of less
    than 1,000 km² of Ukraine's land is meant (``allow_small``; otherwise it is refused).

    Path-like (``os.fspath`` gives ``path``), so code that only needs the file can treat it as
    a path; the CLI's ``--control``, ``--control-layer``, ``--control-where``,
    ``--control-means`` and ``--control-allow-small`` arrive as one of these.
    """

    path: Path
    layer: str | None = None
    where: str | None = None
    means: str = "occupied"  # what the polygons show: "occupied" or "held" territory
    allow_small: bool = False  # accept an occupied territory under 1,000 km² of Ukraine's land

    def __fspath__(self) -> str:
        return os.fspath(self.path)


@dataclass(frozen=True, eq=False)
class ControlData:
    """A map of control given in memory (the Python API's ``control=``): a GeoDataFrame or a
    GeoSeries in the CRS it declares, or a shapely geometry in EPSG:4326, of the occupied
    territory (:func:`peacemap.layers.sources.control_memory.in_memory_control`)."""

    data: object


def resolve_control(
    date: dt.date | str | None, control_file: Path | ControlFile | ControlData | None = None, *, default_date: dt.date | None = None
) -> ControlSnapshot:
    """Control for ``date``: from ``control_file`` when given (as of ``date``, else
    ``default_date``, the plan's own date; a :class:`ControlFile` names the layer of a file
    with several, and whether it shows occupied or held territory; a :class:`ControlData` holds
    the map itself), else DeepState: ``default_date`` when ``date`` is None, the newest snapshot
    for 'latest'."""
    from peacemap.layers.sources.deepstate import deepstate_control

    if isinstance(date, str) and date != LATEST:
        raise ValueError(f"'date' should be a datetime.date, 'latest' or None, got {date!r}")
    as_of = None if isinstance(date, str) else (date or default_date)
    if control_file is None:
        return deepstate_control(as_of)
    if isinstance(control_file, ControlData):
        from peacemap.layers.sources.control_memory import in_memory_control

        return in_memory_control(control_file.data, as_of=as_of, country=ukraine_land())
    from peacemap.layers.sources.control_file import read_control_file

    if not isinstance(control_file, ControlFile):
        control_file = ControlFile(Path(control_file))
    return read_control_file(
        control_file.path,
        as_of=as_of,
        layer=control_file.layer,
        where=control_file.where,
        means=control_file.means,
        country=ukraine_land,
        allow_small=control_file.allow_small,
    )


def ukraine_land() -> BaseGeometry:
    """Ukraine's land (EPSG:4326): the union of its 27 regions, as the control split uses it."""
    import shapely

    from peacemap.layers.control.split import unit_regions
    from peacemap.layers.regions import load_regions

    return shapely.union_all(unit_regions(load_regions()).geometry.values)


DEEPSTATE_PREFIX = "deepstate:"


@dataclass(frozen=True)
class DeepStateRequest:
    """DeepState's snapshot of ``date`` (the latest on or before it), or the newest for 'latest'."""

    date: dt.date | str

    def __str__(self) -> str:
        return DEEPSTATE_PREFIX + (self.date.isoformat() if isinstance(self.date, dt.date) else self.date)


ControlSource = ControlFile | DeepStateRequest


def parse_control_source(text: str) -> ControlSource:
    """``deepstate:YYYY-MM-DD`` or ``deepstate:latest`` as a :class:`DeepStateRequest`, anything
    else as the path of a control file (write ``./deepstate:…`` for a file of that name).

    Raises
    ------
    ValueError
        ``deepstate:`` followed by something that is not a date or 'latest'.
    """
    if not text.startswith(DEEPSTATE_PREFIX):
        return ControlFile(Path(text))
    day = text[len(DEEPSTATE_PREFIX) :]
    if day.lower() == LATEST:
        return DeepStateRequest(LATEST)
    try:
        return DeepStateRequest(dt.date.fromisoformat(day))
    except ValueError:
        raise ValueError(f"'source' should be deepstate:YYYY-MM-DD, deepstate:latest or a file, got {text!r}") from None


def resolve_source(source: ControlSource | None, date: dt.date | str | None, *, default_date: dt.date | None) -> ControlSnapshot:
    """The map of control ``source`` names: a DeepState snapshot of its own date, or a control
    file as of ``date`` (else ``default_date``); None is DeepState's snapshot of ``date`` (else
    ``default_date``), as :func:`resolve_control` without a file."""
    if isinstance(source, DeepStateRequest):
        return resolve_control(source.date, default_date=default_date)
    return resolve_control(date, source, default_date=default_date)
