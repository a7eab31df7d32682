"""Occupied km² per region on DeepState snapshots, measured fast and in parallel.

The figure for a region on a date is the report's (:mod:`peacemap.layers.control.split`): the
region minus its held land, where held land is the largest piece of the country minus the
occupied polygon (the mainland) plus the pieces that do not touch the polygon (islands);
enclaves count as occupied; strips under 50 m wide change sides.
:class:`peacemap.layers.control.cells.CellControl` gets the same geodesic km² by cutting again,
each day, only the grid cells where the line moved; runs of consecutive snapshots are measured
in parallel processes. Figures are cached per snapshot (:mod:`peacemap.layers.timeline.cache`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peacemap.layers.control.cells import CellControl, Cells
from peacemap.layers.errors import SnapshotDateError
from peacemap.layers.sources import deepstate, registry
from peacemap.layers.sources.cache import enabled as cache_enabled
from peacemap.layers.timeline.cache import Units, load_cells, load_units, read_series_cache, series_cache_path, write_series_cache
from peacemap.layers.timeline.parallel import Progress, measure_days

logger = logging.getLogger(__name__)


def compute_occupied(
    days: Sequence[dt.date], units: Units, *, workers: int | None = None, cells: Cells | None = None, progress: Progress | None = None
) -> np.ndarray:
    """Occupied km² (rows: ``days``, columns: ``units.codes``), computed without the series cache.

    ``cells`` are the units cut on the grid (:func:`load_cells`; default: cut now). Runs on
    ``workers`` processes (:func:`peacemap.layers.timeline.parallel.measure_days`); each
    measures runs of consecutive snapshots, so that cells the line did not cross are reused.
    ``progress`` is told the count as snapshots are measured; without it, progress is logged.
    """
    days = list(days)
    if not days:
        return np.zeros((0, len(units.codes)))
    measure = OccupiedKm2(units.control(cells))
    return np.array(measure_days(measure, days, workers=workers, progress=progress), dtype=float)


@dataclass
class OccupiedKm2:
    """A measure for :func:`measure_days`: occupied km² per unit on a snapshot date, by an
    incremental split that keeps its cells from one date to the next (a spawned worker gets a
    pickled copy of it, as it was before the first date)."""

    control: CellControl

    def __call__(self, day: dt.date) -> list[float]:
        polygon = deepstate.read_occupied(registry.fetch(registry.deepstate_source(day)))
        return self.control.occupied_km2(polygon).tolist()


def occupied_series(
    days: Sequence[dt.date] | None = None, *, use_cache: bool = True, workers: int | None = None, units: Units | None = None, progress: Progress | None = None
) -> pd.DataFrame:
    """Occupied km² per unit region on each DeepState snapshot date.

    Parameters
    ----------
    days
        Snapshot dates (default: all in the registry); each must have a snapshot.
    use_cache
        Read and update the cache in :func:`timeline_cache_dir`.
    workers
        Processes for the snapshots not in the cache.
    units
        The unit regions, if already loaded (:func:`load_units`).

    Returns
    -------
    DataFrame
        Index: snapshot dates; columns: unit codes (27, ISO 3166-2); values: geodesic km².
    """
    available = set(registry.deepstate_dates())
    days = sorted(available if days is None else days)
    missing = [d for d in days if d not in available]
    if missing:
        raise SnapshotDateError(f"no DeepState snapshot on {missing[0].isoformat()}")
    use_cache = use_cache and cache_enabled()
    units = units or load_units(use_cache=use_cache)
    sha = {d: registry.deepstate_source(d).sha256 for d in days}
    path = series_cache_path()
    cached = read_series_cache(path, units.codes) if use_cache else {}
    todo = [d for d in days if sha[d] not in cached]
    if todo:
        logger.info("timeline: measuring %d snapshot(s), %d from the cache", len(todo), len(days) - len(todo))
        fresh = compute_occupied(todo, units, workers=workers, cells=load_cells(units, use_cache=use_cache), progress=progress)
        cached.update({sha[d]: row.tolist() for d, row in zip(todo, fresh)})
        if use_cache:
            write_series_cache(path, units.codes, cached)
    frame = pd.DataFrame([cached[sha[d]] for d in days], index=pd.Index(days, name="date"), columns=list(units.codes))
    return frame
