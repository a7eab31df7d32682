"""maps.hromadas: the "Hromadas" layer of the HTML map (issue 12): territories of the regions the
plan changes, off when the map opens, with name, 2022 population and zones in the tooltip.

Reference figures: table 6 of the 2022 collection (Kostiantynivska hromada: 72,422 people);
the 28-point plan changes Crimea, Sevastopol, the four oblasts and, by returning their occupied
parts, Kharkiv, Sumy, Dnipropetrovsk and Mykolaiv oblasts (DeepState, 2025-11-20).
"""

import re

import pytest

from peacemap.maps import hromadas
from peacemap.maps.html import build_html_map


@pytest.fixture(scope="module")
def plan28_html(plan28_map_layers) -> str:
    return build_html_map(plan28_map_layers).get_root().render()


def test_only_the_regions_the_plan_changes_are_drawn(plan28_map_layers):
    drawn = hromadas.drawn_hromadas(plan28_map_layers)
    assert set(drawn["region"]) == hromadas.changed_regions(plan28_map_layers)
    assert {"UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"} <= set(drawn["region"])
    assert "UA-05" not in set(drawn["region"])  # Vinnytsia: wholly Ukrainian and unchanged
    assert not any(geometry.is_empty for geometry in drawn.geometry)


def test_the_layer_is_listed_but_off_when_the_map_opens(plan28_html):
    assert hromadas.LAYER_NAME in plan28_html
    index = plan28_html.index("Костянтинівська міська ТГ")
    name = re.findall(r"var (packed_geo_json_layer_\w+) =", plan28_html[:index])[-1]
    assert f"{name}.addTo(" not in plan28_html  # zone layers are added; this one waits for the control


def test_the_tooltip_names_the_hromada_its_people_and_zones(plan28_html):
    tooltip = re.search(r"Костянтинівська міська ТГ.*?\"\}", plan28_html).group(0)
    assert "Kostiantynivska urban TC" in tooltip
    assert "72,422 people (2022)" in tooltip
    assert re.search(
        r"Demilitarised zone, Ukraine withdraws: recognised as Russian \(de jure\) 7\d\.\d%; "
        r"Recognised as Russian \(de facto\) 2\d\.\d%",
        tooltip,
    ), tooltip


def test_crimea_has_no_official_figure_in_its_tooltip(plan28_html):
    assert re.search(r"Autonomous Republic of Crimea\\u003cbr\\u003eno official 2022 figure", plan28_html)


def test_no_layer_without_territories(plan28_map_layers):
    import dataclasses

    bare = dataclasses.replace(plan28_map_layers, layers=dataclasses.replace(plan28_map_layers.layers, hromadas=None))
    assert hromadas.drawn_hromadas(bare) is None
    assert hromadas.LAYER_NAME not in build_html_map(bare).get_root().render()


def test_the_layer_carries_the_attribution_of_its_sources(plan28_html):
    assert "Civil Network OPORA / Fedir Gontsa" in plan28_html
