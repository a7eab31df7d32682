"""Frame scheduling: the dates of an animation's frames over a range, and which of them have a
DeepState snapshot to draw (the others are gaps, never interpolated)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peacemap.layers.errors import SnapshotDateError


@dataclass(frozen=True)
class FrameSchedule:
    """The frame dates of a range (``days``, in order) and those with a snapshot (``drawn``)."""

    first: dt.date
    last: dt.date
    every_days: int
    days: tuple[dt.date, ...]
    drawn: tuple[dt.date, ...]

    @property
    def gaps(self) -> tuple[dt.date, ...]:
        """The frame dates without a snapshot, in order."""
        drawn = set(self.drawn)
        return tuple(day for day in self.days if day not in drawn)


def frame_days(first: dt.date, last: dt.date, every_days: int) -> list[dt.date]:
    """The dates of an animation's frames: every ``every_days`` days from ``first``, and ``last``
    (the range's end is shown, the day a plan was handed over say, however near the one before)."""
    days = [first + dt.timedelta(days=n) for n in range(0, (last - first).days + 1, every_days)]
    return days if days[-1] == last else [*days, last]


def frame_schedule(first: dt.date | None, last: dt.date | None, every_days: int) -> FrameSchedule:
    """The frames from ``first`` to ``last`` (None: the first or the newest snapshot; checked as a
    timeline's range is) every ``every_days`` days, and which dates have a DeepState snapshot.

    Raises
    ------
    ValueError
        ``every_days`` is less than 1.
    SnapshotDateError
        The range is not within the snapshots, or no frame date has a snapshot.
    """
    from peacemap.layers.sources import registry
    from peacemap.layers.timeline.table import check_range

    if every_days < 1:
        raise ValueError(f"'every_days' should be a whole number of days, at least 1, got {every_days}")
    first_day, last_day = check_range(first, last)
    days = frame_days(first_day, last_day, every_days)
    available = set(registry.deepstate_dates())
    drawn = tuple(day for day in days if day in available)
    if not drawn:
        raise SnapshotDateError(
            f"no DeepState snapshot on any of the {len(days)} date(s) from {first_day} to {last_day} every {every_days} day(s); pick another range or step"
        )
    return FrameSchedule(first_day, last_day, every_days, tuple(days), drawn)
