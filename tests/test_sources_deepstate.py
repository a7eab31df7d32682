"""Choosing and reading DeepState snapshots."""

import datetime as dt
import itertools

import pytest

from peacemap.layers.errors import SnapshotDateError
from peacemap.layers.sources import registry
from peacemap.layers.sources.deepstate import choose_snapshot, read_snapshot

# From the data mirror's README: daily snapshots 2024-07-08 .. 2026-08-22, 769 days, 5 gaps.
FIRST, LAST, COUNT = dt.date(2024, 7, 8), dt.date(2026, 8, 22), 769


def test_registry_lists_every_snapshot():
    dates = registry.deepstate_dates()
    assert (dates[0], dates[-1], len(dates)) == (FIRST, LAST, COUNT)
    gaps = [(a, b) for a, b in itertools.pairwise(dates) if (b - a).days > 1]
    assert len(gaps) == 5


def test_exact_day_is_used():
    choice = choose_snapshot(dt.date(2025, 11, 20), registry.deepstate_dates())
    assert choice.exact
    assert choice.snapshot == dt.date(2025, 11, 20)


def test_missing_day_falls_back_to_the_previous_snapshot_and_says_so():
    dates = registry.deepstate_dates()
    gap = next(d + dt.timedelta(days=1) for d, e in itertools.pairwise(dates) if (e - d).days > 1)
    choice = choose_snapshot(gap, dates)
    assert not choice.exact
    assert choice.snapshot == gap - dt.timedelta(days=1)
    assert "latest on or before" in choice.describe()


@pytest.mark.parametrize("requested", [FIRST - dt.timedelta(days=1), LAST + dt.timedelta(days=1)])
def test_dates_outside_the_snapshots_name_the_range(requested):
    with pytest.raises(SnapshotDateError, match=f"{FIRST.isoformat()} to {LAST.isoformat()}"):
        choose_snapshot(requested, registry.deepstate_dates())


def test_snapshot_reads_as_a_valid_polygon_in_lon_lat():
    occupied = read_snapshot(dt.date(2025, 11, 20))
    assert occupied.is_valid
    assert occupied.geom_type in ("Polygon", "MultiPolygon")
    min_lon, min_lat, max_lon, max_lat = occupied.bounds
    # Ukraine's extent: 22-41 E, 44-53 N.
    assert 22 < min_lon < max_lon < 41
    assert 44 < min_lat < max_lat < 53
