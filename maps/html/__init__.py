"""Interactive HTML map of a plan (folium/Leaflet): zones by status, the land that changes hands,
line of contact, region names, cities and towns by importance, neighbouring countries and sea, legend, layer control,
title and attribution, laid out for embedding at any size (see :mod:`peacemap.maps.embed`).

:func:`build_html_map` returns a ``folium.Map``; :func:`save_html` writes it. With
``self_contained=True`` Leaflet's JavaScript and CSS are inlined (see :mod:`peacemap.maps.assets`)
and no other script or stylesheet is linked, so the file works offline and inside any page or
iframe. Geometries are packed (see :mod:`peacemap.maps.packing`).

The package by concern: :mod:`.elements` (what renders verbatim), :mod:`.page` (the map's frame,
scripts and styles), :mod:`.layers` (what every map draws), :mod:`.legend` (the legend, drawn from
:func:`peacemap.maps.legend.legend_entries`) and :mod:`.plan_map` (a plan's map). The names below
are the package's public face; the comparison, control-comparison and animated maps use them.

Untrusted text (a plan file's title, source and provisions, a control file's name) never becomes
template source. branca, under folium, compiles the output of every element's macro as a *new*
Jinja template, so a title holding ``{{ ... }}`` would be evaluated when the page is written.
Two independent guards stop that:

* every text is escaped for HTML and for Jinja (:func:`esc` writes ``{`` and ``}`` as character
  references) or, inside scripts, written as a JavaScript literal with the template markers as
  ``\\u`` escapes (:func:`js_literal`); neither can hold ``{{``, ``{%`` or ``{#``;
* every element that carries such text (:class:`VerbatimMacroElement`: the zone and label
  layers, the title and legend, the layer control) puts its rendered output into the page as
  it is, never compiling it as a template again. The folium elements left (the map, panes,
  tiles, bounds) carry constants only.
"""

from __future__ import annotations

from peacemap.maps.escape import esc, js_literal
from peacemap.maps.html.elements import (
    LABEL_PRIORITY,
    EmbedLayout,
    HtmlBlock,
    LabelledPointsLayer,
    LayerControl,
    LayerGroup,
    PackedGeoJsonLayer,
    Verbatim,
    VerbatimMacroElement,
    raw_element,
)
from peacemap.maps.html.layers import (
    OVERLAY_CASING_EXTRA,
    add_hromada_layer,
    add_name_layers,
    base_map,
    changes_layers,
    contact_layer,
    context_layer,
    context_names_layer,
    hromada_tooltip,
    map_day,
    packed,
    places_layer,
    region_names_layer,
    zone_layer,
    zone_popup,
    zone_tooltip,
)
from peacemap.maps.html.legend import legend_html
from peacemap.maps.html.page import CONTEXT_PANE, LINES_PANE, OSM_TILES_ATTRIBUTION, PANES, POINTS_PANE, ZONES_PANE, finish_map, new_map, save_html
from peacemap.maps.html.plan_map import POPULATION_ATTRIBUTION, SIMPLIFICATION_NOTE, attribution_html, build_html_map, focus_bounds, map_identity

__all__ = [
    "CONTEXT_PANE",
    "LABEL_PRIORITY",
    "LINES_PANE",
    "OSM_TILES_ATTRIBUTION",
    "OVERLAY_CASING_EXTRA",
    "PANES",
    "POINTS_PANE",
    "POPULATION_ATTRIBUTION",
    "SIMPLIFICATION_NOTE",
    "ZONES_PANE",
    "EmbedLayout",
    "HtmlBlock",
    "LabelledPointsLayer",
    "LayerControl",
    "LayerGroup",
    "PackedGeoJsonLayer",
    "Verbatim",
    "VerbatimMacroElement",
    "add_hromada_layer",
    "add_name_layers",
    "attribution_html",
    "base_map",
    "build_html_map",
    "changes_layers",
    "contact_layer",
    "context_layer",
    "context_names_layer",
    "esc",
    "finish_map",
    "focus_bounds",
    "hromada_tooltip",
    "js_literal",
    "legend_html",
    "map_day",
    "map_identity",
    "new_map",
    "packed",
    "places_layer",
    "raw_element",
    "region_names_layer",
    "save_html",
    "zone_layer",
    "zone_popup",
    "zone_tooltip",
]
