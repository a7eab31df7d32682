"""maps.html: the plan28 map as a string: self-contained, small, complete, and escaped."""

from __future__ import annotations

import dataclasses
import re

import pytest

from peacemap.maps.html import build_html_map, js_literal
from peacemap.maps.style import STATUS_STYLES

MAX_BYTES = 1_000_000  # issue 5: the self-contained plan28 map is at most 1.0 MB


def _render(fmap) -> str:
    return fmap.get_root().render()


@pytest.fixture(scope="module")
def plan28_html(plan28_map_layers) -> str:
    return _render(build_html_map(plan28_map_layers))


def test_self_contained_map_links_nothing(plan28_html):
    assert not re.search(r"<script[^>]+src=", plan28_html)
    assert not re.search(r"<link[^>]+stylesheet", plan28_html)
    for unwanted in ("jquery", "bootstrap", "font-awesome", "fontawesome", "awesome-markers"):
        assert unwanted not in plan28_html.lower()
    assert "Leaflet 1.9.3" in plan28_html  # Leaflet itself is inlined (its licence header)


def test_self_contained_map_is_at_most_1_mb(plan28_html):
    assert len(plan28_html.encode("utf-8")) <= MAX_BYTES


def test_cdn_map_links_leaflet_only(plan28_map_layers):
    text = _render(build_html_map(plan28_map_layers, self_contained=False))
    sources = re.findall(r'<script[^>]+src="([^"]+)"', text)
    assert sources
    assert all("leaflet" in s for s in sources)


def test_every_present_status_has_a_layer_and_a_legend_row(plan28_html, plan28_map_layers):
    present = set(plan28_map_layers.zones["status"])
    assert present == {"recognised_de_facto", "frozen_de_facto", "dmz", "frozen_ukrainian", "relinquished", "ukrainian"}
    for status in present:
        label = STATUS_STYLES[status].label
        assert plan28_html.count(label) >= 2  # layer control entry and legend row


def test_title_attribution_and_layers(plan28_html):
    assert "US 28-point peace plan" in plan28_html
    assert "DeepState snapshot 2025-11-20" in plan28_html
    assert "geoBoundaries" in plan28_html
    assert "Natural Earth" in plan28_html
    for name in ("Line of contact", "Region names", "Cities and towns", "Plain background"):
        assert name in plan28_html


def test_population_shown_only_when_present(plan28_map_layers):
    without = _render(build_html_map(plan28_map_layers))
    assert "Population (1 January 2022)" not in without
    zones = plan28_map_layers.zones.assign(population_2022=1234567.0, population_2022_low=1200000.0, population_2022_high=1300000.0)
    with_population = _render(build_html_map(dataclasses.replace(plan28_map_layers, zones=zones)))
    assert "Population (1 January 2022): 1,234,567 (range 1,200,000–1,300,000)" in with_population


def test_text_from_a_plan_file_is_escaped(plan28_map_layers):
    hostile = "<script>alert('pwned')</script><img src=x onerror=alert(1)>"
    plan = plan28_map_layers.layers.plan
    provisions = tuple(dataclasses.replace(p, text=hostile + p.text) for p in plan.provisions)
    bad_plan = dataclasses.replace(plan, title=hostile, provisions=provisions)
    bad_layers = dataclasses.replace(plan28_map_layers, layers=dataclasses.replace(plan28_map_layers.layers, plan=bad_plan))
    text = _render(build_html_map(bad_layers))
    assert "<script>alert" not in text
    assert "<img src=x" not in text
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in text  # the title, as text
    benign = _render(build_html_map(plan28_map_layers))
    assert text.count("<script") == benign.count("<script")


def test_js_literal_is_safe_in_script_and_template():
    text = js_literal({"a": "</script>{{x}}{%y%}{#z#}&'"})
    for forbidden in ("</script", "{{", "{%", "{#", "&", "'"):
        assert forbidden not in text
