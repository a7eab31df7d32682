"""QGIS styles in the GeoPackage (maps/qgis.py): the layer_styles table QGIS reads, with the maps'
colours, and the same bytes for the same layers."""

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
    """value -> the first symbol layer's colour (QGIS 'r,g,b,a'), from a categorized renderer."""
    root = ElementTree.fromstring(qml.split("\n", 1)[1])  # past the DOCTYPE line
    symbols = {s.get("name"): s for s in root.iter("symbol")}
    colours = {}
    for category in root.iter("category"):
        options = {o.get("name"): o.get("value") for o in symbols[category.get("symbol")].find("layer").find("Option")}
        colours[category.get("value")] = options.get("color") or options.get("line_color")
    return colours


def test_every_layer_has_a_default_style(gpkg):
    styles = _styles(gpkg)
    assert set(styles) == {"zones", "contact_line", "regions"}
    assert all(geometry == "geom" and default == 1 for geometry, _, _, default in styles.values())
    for _, qml, sld, _ in styles.values():
        ElementTree.fromstring(qml.split("\n", 1)[1])
        ElementTree.fromstring(sld.encode())


def test_zone_fills_are_the_maps_colours(gpkg):
    colours = _category_colours(_styles(gpkg)["zones"][1])
    for status, style in STATUS_STYLES.items():
        red, green, blue = (int(style.fill[i:i + 2], 16) for i in (1, 3, 5))
        assert colours[status] == f"{red},{green},{blue},{round(255 * style.fill_opacity)}"


def test_contact_line_is_bold_where_frozen(gpkg):
    colours = _category_colours(_styles(gpkg)["contact_line"][1])
    assert colours["freeze"] == qgis._rgba(CONTACT_FROZEN.colour) and colours["keep"] == qgis._rgba(CONTACT_OTHER.colour)


def test_the_same_layers_give_the_same_file(gpkg, plan28_layers, tmp_path):
    again = pipeline.write_layers(plan28_layers, tmp_path / "layers.gpkg")
    assert again.read_bytes() == gpkg.read_bytes()
