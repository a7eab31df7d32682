"""maps.legend: one function decides a map's legend; the HTML and the static renderers draw its
entries, no more, no fewer, in its order."""

from __future__ import annotations

import datetime as dt
import re

from peacemap.layers.plans.statuses import Status
from peacemap.maps.html.legend import legend_html
from peacemap.maps.legend import PLACES_LONG_LABEL, legend_entries
from peacemap.maps.static import legend_handles
from peacemap.maps.style import GIVEN_UP, OVERLAY_STYLES, RETURNED, STATUS_STYLES


def test_entries_follow_the_palette_order_whatever_order_they_arrive_in():
    statuses = [Status.UKRAINIAN, Status.DMZ, Status.RECOGNISED_DE_FACTO]
    entries = legend_entries(statuses, [RETURNED, GIVEN_UP, ""], ["freeze", "other", "freeze"], day=dt.date(2025, 11, 20))
    kinds = [(entry.kind, entry.key) for entry in entries]
    assert kinds[:3] == [("status", str(s)) for s in STATUS_STYLES if s in statuses]
    assert kinds[3:5] == [("change", kind) for kind in OVERLAY_STYLES]
    assert [kind for kind, _ in kinds[5:]] == ["line", "line", "place"]
    assert "on 20 Nov 2025" in entries[3].label
    assert legend_entries([], [GIVEN_UP], [], day=None, on="on the frame's date")[0].label.count("on the frame's date") == 1


def test_both_renderers_draw_the_same_rows_with_the_same_labels():
    entries = legend_entries([Status.DMZ, Status.RUSSIAN_HELD], [GIVEN_UP, RETURNED], ["freeze"], day=dt.date(2025, 11, 20))
    page = legend_html(entries, "map_test")
    rows = re.findall(r"</svg> ([^<]+)</div>", page)
    handles = legend_handles(entries)
    assert len(rows) == len(handles) == len(entries)
    assert [h.get_label() for h in handles] == [entry.label for entry in entries]
    assert rows == [entry.full_label for entry in entries]
    assert rows[-1] == PLACES_LONG_LABEL
    assert handles[-1].get_label() != PLACES_LONG_LABEL
    # The hatched status (Russian-held) gets its SVG pattern on the page and its hatch on the figure.
    assert 'id="map_test-hatch-russian_held"' in page
    assert handles[1].get_hatch() == STATUS_STYLES[Status.RUSSIAN_HELD].hatch
