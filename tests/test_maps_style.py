"""maps.style: every status has a style and a legend entry, and the styles are told apart."""

from __future__ import annotations

import matplotlib.colors as mcolors
import pytest

from peacemap.layers.plans.statuses import Status
from peacemap.maps.legend import legend_entries
from peacemap.maps.style import (
    GIVEN_UP,
    OVERLAY_STYLES,
    RETURNED,
    STATUS_STYLES,
    contact_legend,
    contact_style,
    status_style,
)


def test_every_status_has_a_style_and_a_legend_entry():
    assert set(STATUS_STYLES) == set(Status)
    legend = legend_entries(list(reversed(Status)), (), (), day=None)
    assert [entry.key for entry in legend if entry.kind == "status"] == [str(status) for status in STATUS_STYLES]
    for status in Status:
        style = status_style(status)
        assert style.label.strip()
        assert mcolors.is_color_like(style.fill)


def test_statuses_are_told_apart():
    labels = [style.label for style in STATUS_STYLES.values()]
    fills = [style.fill.lower() for style in STATUS_STYLES.values()]
    assert len(set(labels)) == len(labels)
    assert len(set(fills)) == len(fills)
    # Any two fills differ clearly (sum of RGB channel differences, 0-765 scale).
    rgb = [tuple(round(255 * c) for c in mcolors.to_rgb(f)) for f in fills]
    for i, a in enumerate(rgb):
        for b in rgb[i + 1 :]:
            assert sum(abs(x - y) for x, y in zip(a, b)) > 60, (a, b)


def test_land_changing_hands_has_its_own_marks():
    """Given-up land is hatched, returned land outlined with a dashed line: neither mark is a
    status colour, and each line has a casing so that it reads on dark and light fills."""
    given_up, returned = OVERLAY_STYLES[GIVEN_UP], OVERLAY_STYLES[RETURNED]
    assert given_up.hatch
    assert not returned.hatch
    assert returned.outline_dash
    import datetime as dt

    from peacemap.maps.style import overlay_label

    # Issue 26: the label names the map's date, never "today".
    assert overlay_label(GIVEN_UP, dt.date(2025, 11, 20)) == "Held by Ukraine on 20 Nov 2025, Russian side under the plan"
    assert overlay_label(RETURNED, None, on="on the frame's date") == "Occupied on the frame's date, returned to Ukraine under the plan"
    for style in (given_up, returned):
        assert mcolors.is_color_like(style.colour)
        assert mcolors.is_color_like(style.casing)
        assert style.colour.lower() not in {s.fill.lower() for s in STATUS_STYLES.values()}
    assert all(style.hatch != given_up.hatch for style in STATUS_STYLES.values())  # that hatch means one thing only


def test_unknown_status_names_the_argument():
    with pytest.raises(KeyError, match="'status' 'annexed' has no style"):
        status_style("annexed")


def test_line_of_contact_is_strongest_where_frozen():
    assert contact_style("freeze").width > contact_style("dmz").width
    assert contact_style("freeze").dash is None


def test_the_three_ways_of_leaving_land_russian_read_differently():
    # Issue 17: plan28's de facto freeze, eu-counter's "no recognition" and plan20's unaddressed
    # Crimea all carried "Frozen, Russian-held side" in every legend.
    labels = {status_style(s).label for s in ("frozen_de_facto", "russian_held", "russian_held_unaddressed")}
    assert len(labels) == 3
    fills = {status_style(s).fill for s in ("frozen_de_facto", "russian_held", "russian_held_unaddressed")}
    assert len(fills) == 3


def test_every_demilitarised_zone_is_marked_by_a_pattern():
    # The 28-point plan's zone is held land given up: the given-up overlay hatches it on every
    # map (tests/test_maps_changes.py); the others carry a hatch of their own.
    for status in ("dmz_de_facto", "dmz_mutual", "dmz_ukrainian"):
        assert status_style(status).hatch


def test_contact_legend_lists_only_the_lines_drawn():
    assert contact_legend(["freeze", "freeze"]) == [contact_style("freeze")]
    assert contact_legend(["dmz", "recognise"]) == [contact_style("dmz")]
    assert contact_legend([]) == []
