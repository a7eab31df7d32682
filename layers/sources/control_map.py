"""A map of control from any source: the occupied-territory polygon, where it comes from and as of
which date (DeepState snapshots and users' control files both give one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shapely.geometry import MultiPolygon, Polygon


@dataclass(frozen=True)
class ControlSnapshot:
    """An occupied-territory polygon with where it comes from and as of which date."""

    polygon: Polygon | MultiPolygon
    label: str  # e.g. "DeepState snapshot 2025-11-20"
    as_of: dt.date | None
    attribution: str
    sha256: str | None = None  # full hex sha256 of the file the polygon was read from
    layer: str | None = None  # the layer of a control file read, when it has several
    where: str | None = None  # the OGR SQL condition that selected its features, if any
