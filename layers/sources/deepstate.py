"""DeepState daily snapshots of Russian-occupied territory: pick a date, read the polygon."""

from __future__ import annotations

import bisect
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon

from peacemap.geo.clean import clean_polygon
from peacemap.layers.errors import DataSourceError, SnapshotDateError
from peacemap.layers.sources import registry
from peacemap.layers.sources.control_map import ControlSnapshot

logger = logging.getLogger(__name__)

# The snapshot whose coastline serves as the fine land mask. Coasts do not move between
# snapshots; the newest one covers the most occupied land, hence the most fine coastline.
LAND_MASK_SNAPSHOT = dt.date(2026, 8, 22)


@dataclass(frozen=True)
class SnapshotChoice:
    """The snapshot used for a requested date: ``snapshot`` is on or before ``requested``."""

    requested: dt.date
    snapshot: dt.date

    @property
    def exact(self) -> bool:
        return self.requested == self.snapshot

    def describe(self) -> str:
        """One line for users, e.g. 'DeepState snapshot 2025-11-19 (latest on or before 2025-11-20)'."""
        if self.exact:
            return f"DeepState snapshot {self.snapshot.isoformat()}"
        return f"DeepState snapshot {self.snapshot.isoformat()} (latest on or before {self.requested.isoformat()})"


def choose_snapshot(requested: dt.date, available: Sequence[dt.date]) -> SnapshotChoice:
    """Pick the snapshot of ``requested``, or the latest one before it.

    ``available`` must be sorted ascending. A date before the first snapshot or after the last
    raises :class:`SnapshotDateError` naming the available range: after the last snapshot the
    situation is unknown, so it is not carried forward silently.
    """
    if not available:
        raise SnapshotDateError("no DeepState snapshots are available")
    first, last = available[0], available[-1]
    if requested < first or requested > last:
        raise SnapshotDateError(
            f"date {requested.isoformat()} is outside the DeepState snapshots, which run from "
            f"{first.isoformat()} to {last.isoformat()}; pick a date in that range"
        )
    index = bisect.bisect_right(available, requested) - 1
    choice = SnapshotChoice(requested, available[index])
    if not choice.exact:
        logger.info("no snapshot on %s; using %s", requested, choice.snapshot)
    return choice


def read_occupied(path: Path) -> Polygon | MultiPolygon:
    """Read a DeepState snapshot file and return its occupied territory (EPSG:4326).

    GEOS's GeoJSON reader parses the file (about 5 times faster than building shapes in Python);
    each polygon is made valid (:func:`peacemap.geo.clean.clean_polygon`) and several are united.
    """
    try:
        collection = shapely.from_geojson(Path(path).read_bytes())
    except (OSError, shapely.errors.GEOSException) as error:
        raise DataSourceError(f"cannot read DeepState snapshot {path}: {error}") from error
    parts = [clean_polygon(part) for part in shapely.get_parts(collection) if part is not None and not part.is_empty]
    if len(parts) == 1:
        return parts[0]  # a cleaned (valid) polygon is its own union
    return clean_polygon(shapely.union_all(parts))


def read_snapshot(day: dt.date) -> Polygon | MultiPolygon:
    """Occupied territory on the DeepState snapshot dated exactly ``day`` (EPSG:4326)."""
    return read_occupied(registry.fetch(registry.deepstate_source(day)))


def deepstate_control(requested: dt.date | None = None) -> ControlSnapshot:
    """The DeepState snapshot for ``requested`` (latest on or before it), or the newest if None.

    Snapshots taken in by ``peacemap data update`` count as any other; their label says that
    they are not pinned by this release, when they were recorded and their sha256.
    """
    dates = registry.deepstate_dates()
    choice = choose_snapshot(requested or dates[-1], dates)
    source = registry.deepstate_source(choice.snapshot)
    unpinned = f", {source.recorded.describe()}" if source.recorded is not None else ""
    return ControlSnapshot(
        polygon=read_snapshot(choice.snapshot),
        label=choice.describe() + unpinned,
        as_of=choice.snapshot,
        attribution=source.attribution,
        sha256=source.sha256,
    )


def unpinned_note() -> str:
    """One sentence for outputs that span many snapshots (the timelines): which snapshots
    ``peacemap data update`` took in, not pinned by this release; "" if none."""
    recorded = sorted((s.date, s.recorded.fetched.date()) for s in registry.sources().values() if s.recorded is not None and s.date)
    if not recorded:
        return ""
    fetched_on = ", ".join(sorted({on.isoformat() for _, on in recorded}))
    return (
        f"The {len(recorded)} DeepState snapshot(s) from {recorded[0][0]} to {recorded[-1][0]} are not pinned by this "
        f"release: recorded by `peacemap data update` on {fetched_on}, with their sha256 in its lock file."
    )
