"""The HTML map of two maps of control compared (maps/control_compare.py): self-contained, both
lines and the disagreement drawn, the table beside it, and untrusted names (control files,
layers, conditions, plan titles) shown verbatim, never read as a template."""

from __future__ import annotations

import dataclasses
import html
import re

import folium
import pytest
from branca.element import Element
from folium.map import CustomPane, FitBounds

from peacemap.maps.control_compare import SIDE_COLOURS, control_comparison_map
from peacemap.maps.html import Verbatim, VerbatimMacroElement

CONSTANT_ONLY = (folium.Map, CustomPane, FitBounds, folium.FeatureGroup)
HOSTILE = "X{{7*191}}X {% endraw %} {# <script>alert('q\"1')</script> & `t`"
EVALUATED = "X1337X"  # what "X{{7*191}}X" becomes when a template reads it


def _decoded(page: str) -> str:
    """The page's text as a reader gets it: JavaScript \\u escapes and HTML references decoded."""
    unescaped = re.sub(r'\\(u[0-9a-fA-F]{4}|["\\/])', lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1).startswith("u") else m.group(1), page)
    return html.unescape(unescaped)


@pytest.fixture(scope="module")
def hostile(control_comparisons):
    """The DeepState-vs-file comparison with every untrusted text replaced by hostile text."""
    result = control_comparisons["ab"]
    document = {
        **result.document,
        "sources": [
            {**source, "name": f"SOURCE{i}[{HOSTILE}]", "where": f"WHERE[{HOSTILE}]", "layer": f"LAYER[{HOSTILE}]", "attribution": f"ATTR[{HOSTILE}]"}
            for i, source in enumerate(result.document["sources"])
        ],
        "notes": {**result.document["notes"], "attribution": f"NOTE[{HOSTILE}]"},
    }
    plan = dataclasses.replace(result.sides[0].plan, title=f"TITLE[{HOSTILE}]", id=f"ID[{HOSTILE}]")
    sides = tuple(dataclasses.replace(side, plan=plan) for side in result.sides)
    return dataclasses.replace(result, document=document, sides=sides)


def test_hostile_names_are_shown_verbatim(hostile):
    page = control_comparison_map(hostile).get_root().render()
    for marker in ("{{", "{%", "{#"):
        assert marker not in page  # escaping alone keeps every template marker out
    decoded = _decoded(page)
    assert EVALUATED not in decoded
    for field in ("SOURCE0", "SOURCE1", "WHERE", "LAYER", "ATTR", "NOTE", "TITLE", "ID"):
        assert f"{field}[{HOSTILE}]" in decoded, field
    assert "<script>alert" not in page


def test_only_verbatim_elements_carry_text(hostile):
    fmap = control_comparison_map(hostile)
    elements, pending = [], [fmap]
    while pending:
        element = pending.pop()
        elements.append(element)
        pending.extend(element._children.values())
    for element in [*elements, *fmap.get_root().header._children.values()]:
        assert isinstance(element, (VerbatimMacroElement, Verbatim, *CONSTANT_ONLY)) or type(element) is Element, type(element)


def test_the_map_draws_both_sides_and_the_table(control_comparisons):
    page = control_comparison_map(control_comparisons["ab"]).get_root().render()
    for text in (
        "Occupied only under A",
        "Occupied only under B",
        "Occupied under both",
        "Line of contact under A",
        "Line of contact under B",
        "Region names",
        "Cities and towns",
        "peacemap-control-table",
        *SIDE_COLOURS,
    ):
        assert text in page, text
    assert "<script src=" not in page
    assert "20,329.6" in page  # Donetsk's occupied km², in the table


def test_a_source_compared_with_itself_draws_no_disagreement(control_comparisons):
    page = control_comparison_map(control_comparisons["aa"]).get_root().render()
    assert "occupied under A, not under B" not in page
    assert "occupied under B, not under A" not in page


def test_the_map_opens_in_a_browser(control_comparisons, chromium, tmp_path):
    from peacemap.maps.html import save_html

    path = save_html(control_comparison_map(control_comparisons["ab"]), tmp_path / "compare.html")

    def probe(page, report):  # playwright Page
        report["table"] = page.eval_on_selector(".peacemap-control-table", "e => e.getBoundingClientRect().width")
        report["lines"] = page.eval_on_selector_all(".leaflet-peacemap-lines-pane path", "els => els.length")

    report = chromium(path, tmp_path / "profile", probe)
    assert report["page_errors"] == []
    assert report["console_errors"] == []
    assert report["network_requests"] == []
    assert report["table"] > 300
    assert report["lines"] > 0


def test_held_land_russia_occupied_land_and_the_sea_have_their_own_colours():
    """Issue 26: the page drew held land and Russia in the sea's pale blue. Held land, land both
    maps count as occupied (its grey over the land), the neighbours and the sea now differ by at
    least the palette's context step (ΔE76) under every simulated vision."""
    import itertools

    import colour_checks as colour

    from peacemap.maps.control_compare import BOTH_COLOUR, BOTH_OPACITY, LAND_COLOUR
    from peacemap.maps.style import MIN_CONTEXT_DELTA_E, NEIGHBOUR_FILL, SEA

    drawn = {"held land": LAND_COLOUR, "occupied under both": colour.blend(BOTH_COLOUR, LAND_COLOUR, BOTH_OPACITY), "neighbours": NEIGHBOUR_FILL, "sea": SEA}
    for (first, a), (second, b) in itertools.combinations(drawn.items(), 2):
        for vision in colour.VISIONS:
            assert colour.delta_e(a, b, vision) >= MIN_CONTEXT_DELTA_E, (first, second, vision)


def test_the_page_draws_the_neighbours_and_ukraines_land(control_comparisons):
    page = control_comparison_map(control_comparisons["ab"]).get_root().render()
    assert "Neighbouring countries" in page
    assert "Ukraine\\u0027s land and region borders" in page
    assert "State Statistics Service of Ukraine" in page  # the population's source, credited on the map
