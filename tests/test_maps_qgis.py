"""QGIS styles in the GeoPackage (maps/qgis.py): the layer_styles table QGIS reads, with the maps'
colours, and the same bytes for the same layers."""

import re
import sqlite3
import xml.etree.ElementTree as ElementTree

import pytest

from peacemap import pipeline
from peacemap.maps import qgis
from peacemap.maps.style import CONTACT_FROZEN, CONTACT_OTHER, STATUS_STYLES


@pytest.fixture(scope="module")
def gpkg(plan28_layers, tmp_path_factory):
    return pipeline.write_layers(plan28_layers, tmp_path_factory.mktemp("styled") / "layers.gpkg")


def _styles(path):
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT f_table_name, f_geometry_column, styleQML, styleSLD, useAsDefault FROM layer_styles").fetchall()
    return {row[0]: row[1:] for row in rows}


def _category_colours(qml: str) -> dict[str, str]:
    """value -> the first symbol layer's colour (QGIS 'r,g,b,a'), from a categorized renderer, or
    from a rule-based one whose rules test one field for one value."""
    root = ElementTree.fromstring(qml.split("\n", 1)[1])  # past the DOCTYPE line
    symbols = {s.get("name"): s for s in root.iter("symbol")}
    colours = {}
    classes = [(c.get("value"), c.get("symbol")) for c in root.iter("category")]
    classes += [
        (re.fullmatch(r'"\w+" = \'(\w+)\'', r.get("filter")).group(1), r.get("symbol"))
        for r in root.iter("rule")
        if re.fullmatch(r'"\w+" = \'\w+\'', r.get("filter") or "")
    ]
    for value, symbol in classes:
        options = {o.get("name"): o.get("value") for o in symbols[symbol].find("layer").find("Option")}
        colours[value] = options.get("color") or options.get("line_color")
    return colours


def _rules(qml: str) -> dict[str, ElementTree.Element]:
    """filter -> rule of a rule-based renderer."""
    root = ElementTree.fromstring(qml.split("\n", 1)[1])
    return {rule.get("filter"): rule for rule in root.iter("rule")}


def test_every_layer_has_a_default_style(gpkg):
    styles = _styles(gpkg)
    assert set(styles) == {"zones", "contact_line", "regions", "hromadas"}
    assert all(geometry == "geom" and default == 1 for geometry, _, _, default in styles.values())
    for _, qml, sld, _ in styles.values():
        ElementTree.fromstring(qml.split("\n", 1)[1])
        ElementTree.fromstring(sld.encode())


def test_zone_fills_are_the_maps_colours(gpkg):
    colours = _category_colours(_styles(gpkg)["zones"][1])
    for status, style in STATUS_STYLES.items():
        red, green, blue = (int(style.fill[i : i + 2], 16) for i in (1, 3, 5))
        assert colours[status] == f"{red},{green},{blue},{round(255 * style.fill_opacity)}"


def test_contact_line_is_bold_where_frozen(gpkg):
    colours = _category_colours(_styles(gpkg)["contact_line"][1])
    assert colours["freeze"] == qgis._rgba(CONTACT_FROZEN.colour)
    assert colours["keep"] == qgis._rgba(CONTACT_OTHER.colour)


def test_the_same_layers_give_the_same_file(gpkg, plan28_layers, tmp_path):
    again = pipeline.write_layers(plan28_layers, tmp_path / "layers.gpkg")
    assert again.read_bytes() == gpkg.read_bytes()


def test_land_changing_hands_is_styled_from_the_control_field(gpkg):
    """Issue 26: the QML styled zones by status only, so QGIS showed no hatch for land that
    changes hands. Rules on ``control`` (and ``side_after``) hatch the land given up and outline
    the land returned, labelled with the map's date as the maps' legends are."""
    qml, sld = _styles(gpkg)["zones"][1:3]
    rules = _rules(qml)
    given_up = rules[""""control" = 'held' AND "side_after" = 'russian'"""]
    returned = rules[""""control" = 'occupied' AND "side_after" = 'ukrainian'"""]
    assert given_up.get("label") == "Held by Ukraine on 20 Nov 2025, Russian side under the plan"
    assert returned.get("label") == "Occupied on 20 Nov 2025, returned to Ukraine under the plan"
    root = ElementTree.fromstring(qml.split("\n", 1)[1])
    symbols = {s.get("name"): s for s in root.iter("symbol")}
    assert "LinePatternFill" in [layer.get("class") for layer in symbols[given_up.get("symbol")].findall("layer")]
    dashed = [o.get("value") for o in symbols[returned.get("symbol")].iter("Option") if o.get("name") == "use_custom_dash"]
    assert dashed == ["1"]
    assert "<ogc:PropertyName>control</ogc:PropertyName><ogc:Literal>held</ogc:Literal>" in sld
