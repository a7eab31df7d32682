"""maps.style: every status has a style and a legend entry, and the styles are told apart."""

from __future__ import annotations

import matplotlib.colors as mcolors
import pytest

from peacemap.layers.plans.statuses import STATUSES
from peacemap.maps.style import STATUS_STYLES, contact_style, legend_entries, status_style


def test_every_status_has_a_style_and_a_legend_entry():
    assert set(STATUS_STYLES) == set(STATUSES)
    assert [status for status, _ in legend_entries()] == list(STATUS_STYLES)
    for status in STATUSES:
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


def test_the_dmz_is_hatched():
    dmz = status_style("dmz")
    assert dmz.hatch and mcolors.is_color_like(dmz.hatch_colour)


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


def test_every_demilitarised_zone_is_hatched():
    for status in ("dmz", "dmz_de_facto", "dmz_mutual", "dmz_ukrainian"):
        assert status_style(status).hatch
