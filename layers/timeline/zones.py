"""A plan's zones on every DeepState snapshot of a range, as one table with a ``date`` column.

Each snapshot's zones are the report's own (:func:`peacemap.layers.plans.apply.build_plan_layers`
on that day's line): region, control, status and its meaning, provision and geodesic km², with
the snapshot's date and sha256. Days without a snapshot have no rows (nothing is
interpolated). Written as a GeoPackage (with a QGIS style whose temporal properties read
``date``) or GeoParquet 1.1 (:mod:`peacemap.layers.report.export`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from peacemap.layers.plans.model import Plan
from peacemap.layers.sources import registry
from peacemap.layers.sources.cache import not_storing
from peacemap.layers.timeline.parallel import Progress, measure_days, quiet_logs

logger = logging.getLogger(__name__)

# The columns of the table, in order (the zones' own, then the snapshot's).
ZONE_TIMELINE_COLUMNS = [
    "date",
    "region",
    "region_name",
    "control",
    "status",
    "side_after",
    "recognition",
    "recognised_by",
    "provision",
    "area_km2",
    "snapshot_sha256",
    "geometry",
]


def plan_zones(plan: Plan, snapshots: Sequence[dt.date], *, workers: int | None = None, progress: Progress | None = None) -> gpd.GeoDataFrame:
    """``plan``'s zones on each of ``snapshots`` (snapshot dates, in order), one row per zone and
    day (EPSG:4326): :data:`ZONE_TIMELINE_COLUMNS`, ``date`` as midnight UTC of the snapshot's
    date. Snapshots are split in parallel (:func:`measure_days`), about a second each."""
    from peacemap.layers.plans.apply import build_plan_layers
    from peacemap.layers.regions import load_regions
    from peacemap.layers.sources.deepstate import deepstate_control

    load_regions()  # once here, inherited by the workers

    def zones_of(day: dt.date) -> gpd.GeoDataFrame:
        with quiet_logs():
            zones = build_plan_layers(plan, deepstate_control(day)).zones
        return zones.assign(date=pd.Timestamp(day, tz="UTC"), snapshot_sha256=registry.deepstate_source(day).sha256)

    with not_storing("control"):  # a split a day would add 2 MB a day to the cache
        frames = measure_days(zones_of, list(snapshots), workers=workers, days_per_worker=2, progress=progress, what=f"snapshots of {plan.id}")
    if not frames:
        return gpd.GeoDataFrame({name: [] for name in ZONE_TIMELINE_COLUMNS[:-1]}, geometry=[], crs=4326)
    table = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)
    table["date"] = table["date"].astype("datetime64[ms, UTC]")
    return table[ZONE_TIMELINE_COLUMNS]
