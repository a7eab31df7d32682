"""The frame of every peacemap HTML map: a folium map with fixed element ids, Leaflet inlined or
linked, peacemap's scripts and styles (:mod:`peacemap.maps.web`), its panes, the base layers, and the
layer control and embedding layout added last."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import folium
from branca.element import Figure
from folium.map import CustomPane

from peacemap.layers.i18n.language import ENGLISH, current_language
from peacemap.layers.writing import atomic_write
from peacemap.maps import assets, web
from peacemap.maps.embed import EMBED_CSS, embed_js
from peacemap.maps.facts import FACTS_CSS
from peacemap.maps.html.elements import EmbedLayout, LayerControl, LocalScale, raw_element
from peacemap.maps.ids import content_id, set_ids
from peacemap.maps.layout import BOX_CSS
from peacemap.maps.packing import UNPACK_JS
from peacemap.maps.style import (
    BACKGROUND,
    COUNTRY_LABEL_COLOUR,
    SEA_LABEL_COLOUR,
)

CONTEXT_PANE = "peacemap-context"
ZONES_PANE = "peacemap-zones"
LINES_PANE = "peacemap-lines"
POINTS_PANE = "peacemap-points"
PANES = ((CONTEXT_PANE, 405), (ZONES_PANE, 410), (LINES_PANE, 420), (POINTS_PANE, 630))


OSM_TILES_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


def finish_map(fmap: folium.Map, bounds: list[list[float]], salt: str, *, collapsed: bool = True) -> folium.Map:
    """Add the layer control and the embedding layout (opening on ``bounds``) as the last
    elements, then give every element its id from ``salt`` (:func:`peacemap.maps.ids.set_ids`)."""
    LayerControl(collapsed=collapsed, position="topright").add_to(fmap)
    EmbedLayout(bounds).add_to(fmap)
    set_ids(fmap.get_root(), salt, keep=(fmap,))
    return fmap


def new_map(bounds: list[list[float]], *, self_contained: bool, salt: str, width: str = "100%") -> folium.Map:
    """An empty map opening on ``bounds`` ([[south, west], [north, east]], degrees), with
    peacemap's assets and panes; :class:`EmbedLayout` refines the view once the page is laid out.
    ``width`` is the map's share of the page (CSS; a side panel takes the rest).

    Its id is made from ``salt`` (:mod:`peacemap.maps.ids`), so that the same map is written
    with the same bytes; call :func:`peacemap.maps.ids.set_ids` on its root once it is built.
    """
    (south, west), (north, east) = bounds
    english = current_language() == ENGLISH
    fmap = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=6,
        tiles=None,
        control_scale=english,
        zoom_control=True,
        prefer_canvas=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
        min_zoom=4,
        width=width,
    )
    fmap._id = content_id(salt)  # noqa: SLF001 - folium's id (guarded): set before anything records the map's name (the legend's CSS does)
    _set_assets(fmap, self_contained=self_contained)
    if not english:  # the scale bar in the language's units (English keeps folium's own)
        LocalScale().add_to(fmap)
    for name, z_index in PANES:
        CustomPane(name, z_index=z_index, pointer_events=name != CONTEXT_PANE).add_to(fmap)
    return fmap


def save_html(fmap: folium.Map, target: Path) -> Path:
    """Write ``fmap`` to ``target`` (HTML, UTF-8) atomically; returns the path."""
    return atomic_write(Path(target), lambda path: fmap.save(str(path)))


def _set_assets(fmap: folium.Map, *, self_contained: bool) -> None:
    """Keep only Leaflet (inlined or linked) and peacemap's own script and CSS."""
    header = cast(Figure, fmap.get_root()).header
    if self_contained:
        fmap.default_js, fmap.default_css = [], []
        header.add_child(raw_element(f"<style>{assets.leaflet_css()}</style>"), name="leaflet_css_inline")
        header.add_child(raw_element(f"<script>{assets.leaflet_js()}</script>"), name="leaflet_js_inline")
    else:
        fmap.default_js = [js for js in fmap.default_js if js[0] == "leaflet"]
        fmap.default_css = [css for css in fmap.default_css if css[0] == "leaflet_css"]
    header.add_child(raw_element(f"<script>{UNPACK_JS}</script>"), name="peacemap_unpack")
    header.add_child(raw_element(f"<script>{embed_js()}</script>"), name="peacemap_embed")
    header.add_child(raw_element(f"<style>{BOX_CSS}{FACTS_CSS}{_CSS}{EMBED_CSS}</style>"), name="peacemap_css")


_CSS = web.style("map.css", background=BACKGROUND, country_label_colour=COUNTRY_LABEL_COLOUR, sea_label_colour=SEA_LABEL_COLOUR)
