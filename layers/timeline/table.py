"""The timeline table: one row per calendar day and region, with trailing changes, the pace, gaps
flagged, and its CSV/JSON records."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peacemap.layers.errors import SnapshotDateError
from peacemap.layers.i18n.catalogue import N_, gettext
from peacemap.layers.i18n.names import region_label
from peacemap.layers.i18n.source_names import source_text
from peacemap.layers.sources import registry
from peacemap.layers.timeline.cache import Units, load_units, method_key
from peacemap.layers.timeline.parallel import Progress
from peacemap.layers.timeline.series import occupied_series

logger = logging.getLogger(__name__)

DONETSK = "UA-14"
TRAILING_WINDOWS_DAYS = (30, 90, 365)
# The pace of the last 30, 90 and 365 days, side by side: any one alone swings widely (on the
# 90-day pace alone, from under 500 to over 7,000 days over the series).
DMZ_PACE_WINDOWS_DAYS = (30, 90, 365)
DMZ_PACE_WINDOW_DAYS = 90  # the pace that dmz_pace (advancing / never) describes
PACE_CAVEAT = N_(
    "A pace is the land taken over the last 30, 90 or 365 days carried forward unchanged; "
    "the front does not move at a steady pace, so read these as scenarios, not forecasts."
)
NOT_ADVANCING = "never/not advancing"


def trailing_change(values: pd.Series, days: int) -> pd.Series:
    """Change of ``values`` over the ``days`` calendar days before each date.

    ``values`` is indexed by date (ascending, one entry per calendar day, NaN on gap days).
    The change on date D is ``values[D] − values[D − days]``, looked up by date, not by row;
    it is NaN when either value is missing (a gap, or before the first date).
    """
    index = pd.DatetimeIndex(values.index)
    earlier = values.copy()
    earlier.index = index
    lookup = earlier.reindex(index - pd.Timedelta(days=days)).to_numpy()
    return pd.Series(values.to_numpy() - lookup, index=values.index)


def days_to_occupy(held_km2: float, gain_km2: float, window_days: int = DMZ_PACE_WINDOW_DAYS) -> float | None:
    """Days needed to occupy ``held_km2`` at the pace of ``gain_km2`` per ``window_days``.

    ``held_km2 / (gain_km2 / window_days)``; None when the pace is zero or negative (the line
    does not advance), NaN when either input is missing.
    """
    if held_km2 is None or gain_km2 is None or math.isnan(held_km2) or math.isnan(gain_km2):
        return float("nan")
    if gain_km2 <= 0:
        return None
    return held_km2 / (gain_km2 / window_days)


# --------------------------------------------------------------------------------------------
# The timeline table


@dataclass(frozen=True)
class Timeline:
    """Rows of the timeline (one per calendar day and region) and the gaps among them."""

    table: pd.DataFrame
    gaps: tuple[dt.date, ...]
    first: dt.date
    last: dt.date


def region_table(units: Units) -> pd.DataFrame:
    """Codes, names and land km² of the units, plus Crimea with Sevastopol."""
    from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL, REGION_NAMES

    frame = pd.DataFrame({"code": units.codes, "area_km2": units.areas_km2})
    crimea = frame[frame["code"].isin(["UA-43", "UA-40"])]["area_km2"].sum()
    frame.loc[len(frame)] = {"code": CRIMEA_WITH_SEVASTOPOL, "area_km2": crimea}
    frame["name"] = frame["code"].map(REGION_NAMES)
    return frame.sort_values("code", ignore_index=True)


def check_range(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The requested range clipped to nothing: raises SnapshotDateError outside the snapshots."""
    dates = registry.deepstate_dates()
    first, last = dates[0], dates[-1]
    start = start or first
    end = end or last
    for name, value in (("--from", start), ("--to", end)):
        if value < first or value > last:
            raise SnapshotDateError(
                f"{name} {value.isoformat()} is outside the DeepState snapshots, which run from "
                f"{first.isoformat()} to {last.isoformat()}; pick a date in that range"
            )
    if start > end:
        raise SnapshotDateError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    return start, end


def build_timeline(
    start: dt.date | None = None, end: dt.date | None = None, regions: Sequence[str] | None = None, *, use_cache: bool = True, progress: Progress | None = None
) -> Timeline:
    """Occupied km² per region and day from ``start`` to ``end`` (inclusive), with gaps flagged.

    Every calendar day in the range gets one row per region; days without a snapshot are
    rows with ``status = 'gap'`` and empty figures (nothing is interpolated). Trailing
    changes over 30, 90 and 365 days compare with the snapshot dated exactly that many days
    earlier (possibly before ``start``); when that day is a gap, the change is empty.

    Columns: ``date``, ``region``, ``region_name``, ``status``, ``occupied_km2``,
    ``occupied_pct`` (share of the region's land, %), ``held_km2``, ``change_30d_km2``,
    ``change_90d_km2``, ``change_365d_km2``, and for Donetsk ``dmz_days_at_30d_pace``,
    ``dmz_days_at_90d_pace``, ``dmz_days_at_365d_pace`` (days to occupy the held part at each
    trailing pace; empty when it does not advance) and ``dmz_pace`` ('never/not advancing' when
    the 90-day change is ≤ 0). See :data:`PACE_CAVEAT`.
    """
    start, end = check_range(start, end)
    units = load_units(use_cache=use_cache)
    table = region_table(units)
    codes = list(regions) if regions else list(table["code"])
    unknown = [c for c in codes if c not in set(table["code"])]
    if unknown:
        raise ValueError(f"unknown region code(s) {', '.join(unknown)}; known: {', '.join(table['code'])}")
    lookback = start - dt.timedelta(days=max(TRAILING_WINDOWS_DAYS))
    snapshot_days = [d for d in registry.deepstate_dates() if lookback <= d <= end]
    series = occupied_series(snapshot_days, use_cache=use_cache, units=units, progress=progress)
    series["UA-43+UA-40"] = series["UA-43"] + series["UA-40"]
    calendar = pd.date_range(min(snapshot_days[0], start), end, freq="D").date
    series = series.reindex(pd.Index(calendar, name="date"))
    regions_by_code = table.set_index("code")
    frames = [
        region_rows(series[code], code=code, name=regions_by_code.loc[code, "name"], area_km2=regions_by_code.loc[code, "area_km2"], start=start)
        for code in codes
    ]
    rows = pd.concat(frames, ignore_index=True).sort_values(["date", "region"], ignore_index=True)
    snapshots = set(registry.deepstate_dates())
    gaps = tuple(d for d in pd.date_range(start, end, freq="D").date if d not in snapshots)
    return Timeline(rows, gaps, start, end)


def region_rows(occupied: pd.Series, *, code: str, name: str, area_km2: float, start: dt.date) -> pd.DataFrame:
    """Timeline rows of one region from its occupied km² per calendar day (NaN on gap days).

    ``occupied`` is indexed by every calendar day from at least 90 days before ``start`` (or
    the first snapshot) on; rows before ``start`` only serve the trailing changes. Pure: no
    data is read.
    """
    frame = pd.DataFrame({"date": occupied.index, "region": code, "region_name": name})
    frame["status"] = np.where(occupied.isna().to_numpy(), "gap", "snapshot")
    frame["occupied_km2"] = occupied.to_numpy()
    frame["occupied_pct"] = 100.0 * frame["occupied_km2"] / area_km2
    frame["held_km2"] = area_km2 - frame["occupied_km2"]
    for days in TRAILING_WINDOWS_DAYS:
        frame[f"change_{days}d_km2"] = trailing_change(occupied, days).to_numpy()
    for window in DMZ_PACE_WINDOWS_DAYS:
        frame[f"dmz_days_at_{window}d_pace"] = np.nan
    frame["dmz_pace"] = ""
    if code == DONETSK:
        for window in DMZ_PACE_WINDOWS_DAYS:
            paces = [days_to_occupy(h, g, window) for h, g in zip(frame["held_km2"], frame[f"change_{window}d_km2"])]
            frame[f"dmz_days_at_{window}d_pace"] = [np.nan if p is None else p for p in paces]
            if window == DMZ_PACE_WINDOW_DAYS:
                frame["dmz_pace"] = [NOT_ADVANCING if p is None else ("" if math.isnan(p) else "advancing") for p in paces]
    return frame[frame["date"] >= start]


# --------------------------------------------------------------------------------------------
# Records for output files

_ROUNDING = {
    "occupied_km2": 2,
    "occupied_pct": 3,
    "held_km2": 2,
    "change_30d_km2": 2,
    "change_90d_km2": 2,
    "change_365d_km2": 2,
    "dmz_days_at_30d_pace": 0,
    "dmz_days_at_90d_pace": 0,
    "dmz_days_at_365d_pace": 0,
}


def timeline_records(timeline: Timeline) -> list[dict]:
    """Rows as dicts (dates as ISO strings, figures rounded, missing figures as None)."""
    records = []
    for row in timeline.table.to_dict("records"):
        record = {"date": row["date"].isoformat()}
        for key, value in row.items():
            if key == "date":
                continue
            if key in _ROUNDING:
                # + 0.0 turns the -0.0 that rounding a tiny negative change gives into 0.0
                value = None if value is None or math.isnan(value) else round(float(value), _ROUNDING[key]) + 0.0
            elif key == "region_name":
                value = region_label(row["region"], value)
            record[key] = value
        records.append(record)
    return records


def sources_note() -> str:
    """One line naming the sources and the method of the figures."""
    from peacemap.layers.regions import regions_sources_note
    from peacemap.layers.sources.deepstate import unpinned_note

    source = registry.deepstate_source(registry.deepstate_dates()[-1])
    note = gettext(
        "Occupied land: %(attribution)s (daily snapshots; %(license)s). Occupied = region minus Ukrainian-held land (the "
        "mainland and islands); enclaves count as occupied."
    ) % {"attribution": source_text(source.attribution), "license": source_text(source.license)}
    return f"{note} {regions_sources_note()} {unpinned_note()}".rstrip()  # the snapshots `data update` took in, if any


GAP_RULE = N_("days without a snapshot have status 'gap' and null figures; nothing is interpolated")


def timeline_document(timeline: Timeline) -> dict:
    """The timeline as one JSON-ready object: what it is, the gaps, and the rows."""
    return {
        "what": gettext("Occupied land per region and day (geodesic km²) from DeepState snapshots"),
        "from": timeline.first.isoformat(),
        "to": timeline.last.isoformat(),
        "gaps": [day.isoformat() for day in timeline.gaps],
        "gap_rule": gettext(GAP_RULE),
        "trailing_changes": gettext("km² on the day minus km² exactly 30 (90, 365) calendar days before; null if either is missing"),
        "dmz_pace": gettext(
            "Donetsk only: held km² / (N-day change / N) = days to occupy the held part (the 28-point plan's DMZ) at the "
            "trailing 30-, 90- and 365-day paces (null when the change is ≤ 0 or missing); dmz_pace says '%(value)s' "
            "when the 90-day change is ≤ 0"
        )
        % {"value": NOT_ADVANCING},
        "pace_caveat": gettext(PACE_CAVEAT),
        "sources": sources_note(),
        "method_key": method_key(),
        "rows": timeline_records(timeline),
    }
