"""DeepState daily snapshots of Russian-occupied territory: pick a date, read the polygon."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon

from peacemap.geo.clean import clean_polygon
from peacemap.layers.sources import registry
from peacemap.layers.errors import DataSourceError, SnapshotDateError

logger = logging.getLogger(__name__)


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


def occupied_from_geojson(document: dict) -> Polygon | MultiPolygon:
    """Union of the polygon features of a DeepState GeoJSON document, made valid (EPSG:4326)."""
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise DataSourceError("DeepState GeoJSON: expected a FeatureCollection with a 'features' list")
    geometries = [shapely.geometry.shape(f["geometry"]) for f in features if f.get("geometry")]
    return clean_polygon(shapely.union_all([clean_polygon(g) for g in geometries]))


def read_occupied(path: Path) -> Polygon | MultiPolygon:
    """Read a DeepState snapshot file and return its occupied territory (EPSG:4326)."""
    try:
        document = json.loads(Path(path).read_bytes())
    except (OSError, ValueError) as error:
        raise DataSourceError(f"cannot read DeepState snapshot {path}: {error}") from error
    return occupied_from_geojson(document)


def read_snapshot(day: dt.date) -> Polygon | MultiPolygon:
    """Occupied territory on the DeepState snapshot dated exactly ``day`` (EPSG:4326)."""
    return read_occupied(registry.fetch(registry.deepstate_source(day)))
