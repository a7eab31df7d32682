"""folium is pinned below its next minor version because peacemap's byte-identical maps rest on
its internals: maps/ids.py writes each element's ``_id`` and re-keys its ``_children``, and
maps/html/elements.py renders verbatim around branca's macros. These tests fail when an upgrade
moves any of that, before a map changes its bytes unnoticed."""

from __future__ import annotations

import hashlib
import tomllib
from collections import OrderedDict
from importlib.metadata import version
from pathlib import Path

import folium
from packaging.requirements import Requirement

from peacemap.maps.ids import content_id, set_ids

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
# sha256 of the bare map below as folium 0.20.0 (branca 0.8.2) writes it. A new folium or branca that
# changes it changes every map peacemap writes: compare a map before and after, then record the new
# digest here with the versions.
BARE_MAP_SHA256 = {("0.20.0", "0.8.2"): "0de1e27f15d1b601ebd10ea63e8a9c17ced3ce8c004994187c0008f395ae825d"}


def _requirement(name: str) -> Requirement:
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    return next(Requirement(d) for d in dependencies if Requirement(d).name == name)


def test_folium_is_pinned_below_its_next_minor_version_and_installed_within_the_pin():
    specifier = _requirement("folium").specifier
    installed = version("folium")
    assert specifier.contains(installed), f"folium {installed} is outside the pin {specifier}"
    major, minor = (int(part) for part in installed.split(".")[:2])
    assert not specifier.contains(f"{major}.{minor + 1}.0"), f"the pin {specifier} lets folium {major}.{minor + 1} in"


def test_the_internals_peacemap_sets_are_the_ones_folium_uses():
    fmap = folium.Map(location=[48.0, 35.0], zoom_start=6, tiles=None)
    folium.FeatureGroup(name="a").add_to(fmap)
    root = fmap.get_root()
    assert isinstance(root._children, OrderedDict)  # the internal under guard
    place = list(root._children.values()).index(fmap)  # the internal under guard
    set_ids(root, "salt")
    assert fmap.get_name() == f"map_{fmap._id}"  # the internal under guard
    assert fmap._id == content_id(content_id("salt"), str(place), "Map")  # the internal under guard
    group = next(child for child in fmap._children.values() if isinstance(child, folium.FeatureGroup))
    assert group.get_name() in fmap._children  # children keyed by their (new) names, as add_child keys them
    assert f"var {group.get_name()} = " in root.render()  # the rendered page uses the ids set


def test_a_bare_map_is_the_same_bytes_as_with_the_pinned_folium():
    fmap = folium.Map(
        location=[48.0, 35.0], zoom_start=6, tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.25, zoom_delta=0.5, min_zoom=4, width="100%"
    )
    folium.FeatureGroup(name="Plain background", overlay=False, control=True).add_to(fmap)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap", overlay=False, show=False).add_to(fmap)
    set_ids(fmap.get_root(), "bare")
    page = fmap.get_root().render().encode("utf-8")
    versions = (version("folium"), version("branca"))
    assert versions in BARE_MAP_SHA256, f"folium {versions[0]} with branca {versions[1]}: no digest recorded (see BARE_MAP_SHA256)"
    assert hashlib.sha256(page).hexdigest() == BARE_MAP_SHA256[versions], "folium's output changed: every map's bytes change with it"
