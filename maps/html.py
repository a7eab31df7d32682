"""Interactive HTML map of a plan (folium/Leaflet): zones by status, the land that changes hands,
line of contact, region names, cities and towns by importance, neighbouring countries and sea, legend, layer control,
title and attribution, laid out for embedding at any size (see :mod:`peacemap.maps.embed`).

:func:`build_html_map` returns a ``folium.Map``; :func:`save_html` writes it. With
``self_contained=True`` Leaflet's JavaScript and CSS are inlined (see :mod:`peacemap.maps.assets`)
and no other script or stylesheet is linked, so the file works offline and inside any page or
iframe. Geometries are packed (see :mod:`peacemap.maps.packing`).

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

import datetime as dt
import hashlib
import math
from collections.abc import Callable
from pathlib import Path
from typing import cast

import folium
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from folium.map import CustomPane, Layer
from folium.template import Template

from peacemap.layers.i18n.catalogue import N_, count_text, gettext
from peacemap.layers.i18n.dates import date_text
from peacemap.layers.i18n.language import ENGLISH, current_language
from peacemap.layers.i18n.names import region_label
from peacemap.layers.i18n.numbers import km2_text, number_text, unit_text
from peacemap.layers.i18n.source_names import control_label_text
from peacemap.layers.plans.apply import attribution
from peacemap.layers.report.readings import plan_readings
from peacemap.layers.report.terms import status_text
from peacemap.layers.sources.codes import CRIMEA, SEVASTOPOL
from peacemap.layers.sources.countries import COUNTRIES_ATTRIBUTION
from peacemap.layers.writing import atomic_write
from peacemap.maps import assets, hromadas
from peacemap.maps.context import MapContext
from peacemap.maps.embed import EMBED_CSS, NARROW_PX, embed_js
from peacemap.maps.escape import esc, js_literal
from peacemap.maps.facts import FACTS_CSS, READINGS_IN_POPUPS, Facts, facts_html, readings_caveat, readings_html
from peacemap.maps.ids import content_id, set_ids
from peacemap.maps.layout import BOX_CSS, legend_box, title_box
from peacemap.maps.packing import UNPACK_JS, pack_geometry
from peacemap.maps.places import NO_2022_FIGURE, Place, map_places
from peacemap.maps.prepare import MapLayers, changes_hands
from peacemap.maps.style import (
    BACKGROUND,
    CONTACT_CASING,
    CONTACT_CASING_EXTRA,
    COUNTRY_LABEL_COLOUR,
    GIVEN_UP,
    NEIGHBOUR_BORDER,
    NEIGHBOUR_FILL,
    OUTLINE,
    OVERLAY_STYLES,
    PLACE_COLOUR,
    SEA_LABEL_COLOUR,
    STATUS_STYLES,
    contact_legend,
    contact_style,
    overlay_label,
    status_style,
)

CONTEXT_PANE = "peacemap-context"
ZONES_PANE = "peacemap-zones"
LINES_PANE = "peacemap-lines"
POINTS_PANE = "peacemap-points"
PANES = ((CONTEXT_PANE, 405), (ZONES_PANE, 410), (LINES_PANE, 420), (POINTS_PANE, 630))
OVERLAY_CASING_EXTRA = 2.5  # white casing of the overlays' outlines beyond their width, CSS px
# Order in which names are placed (lower first): places (most important first), region names by area, countries, seas.
LABEL_PRIORITY = {"place": 0, "region": 1000, "country": 2000, "sea": 3000}
OSM_TILES_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
SIMPLIFICATION_NOTE = N_("Outlines simplified for display (within 100 m); areas from full-resolution outlines.")
# The figures in popups and tooltips (zones' and towns' people) and the towns' positions.
POPULATION_ATTRIBUTION = N_(
    "Population on 1 January 2022: State Statistics Service of Ukraine (a zone's people estimated by peacemap's hromada "
    "model; no official figure for AR Crimea and Sevastopol). Towns placed with GeoNames (CC BY 4.0)."
)


class Verbatim(Element):
    """Text placed in the page exactly as given: never compiled as a Jinja template (a plain
    branca ``Element`` is)."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs) -> str:  # noqa: ARG002 - branca's signature
        return self.text


def raw_element(markup: str) -> Verbatim:
    """An element whose text goes into the page verbatim (scripts, styles)."""
    return Verbatim(markup)


class VerbatimMacroElement(MacroElement):
    """A MacroElement whose macros' output goes into the page as it is.

    branca's ``MacroElement.render`` wraps each macro's output in ``Element(output)``, which
    compiles that output as a *new* Jinja template: data inside it (a plan title holding
    ``{{ }}`` or ``{%``) would be evaluated, or crash the rendering. Here the output is placed
    in the page with :class:`Verbatim`, so the only template ever compiled is the class's own
    ``_template``, written in this module, with the data as variables.
    """

    def render(self, **kwargs) -> None:  # type: ignore[override]  # branca renders into the figure
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{self._name} can only be rendered inside a branca Figure, got {type(figure).__name__}")
        macros = self._template.module.__dict__
        for section in ("header", "html", "script"):
            macro = macros.get(section)
            if macro is not None:
                getattr(figure, section).add_child(Verbatim(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class PackedGeoJsonLayer(Layer, VerbatimMacroElement):
    """A Leaflet GeoJSON layer whose features arrive packed (see :mod:`peacemap.maps.packing`).

    Each feature's ``properties`` may hold ``tooltip`` and ``popup`` (HTML, already escaped by
    the caller) and ``style`` (Leaflet path options overriding ``style``); ``popup_foot`` (HTML,
    escaped) ends every popup of the layer, written once (the plan's readings). With ``casing`` (a
    colour), every line is drawn first in that colour ``casing_extra`` pixels wider, beneath
    the line, so that it reads over any fill. ``interactive=False`` lets clicks through to the
    layers beneath.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function () {
                var data = peacemapUnpack({{ this.features_js }});
                var base = {{ this.style_js }};
                {%- if this.casing_js %}
                // The casing is made first: a group adds its layers in the order Leaflet numbered
                // them, and a GeoJSON layer is numbered when its first feature is added to it.
                var casing = L.geoJSON(data, {
                    pane: {{ this.pane_js }},
                    interactive: false,
                    style: function (feature) {
                        var style = Object.assign({}, base, feature.properties.style || {});
                        return Object.assign(style, {color: {{ this.casing_js }}, weight: (style.weight || 1) + {{ this.casing_extra_js }},
                                                     dashArray: null, fill: false, className: ""});
                    }
                });
                {%- endif %}
                var layer = L.geoJSON(data, {
                    pane: {{ this.pane_js }},
                    attribution: {{ this.attribution_js }},
                    interactive: {{ this.interactive_js }},
                    style: function (feature) { return Object.assign({}, base, feature.properties.style || {}); },
                    onEachFeature: function (feature, layer) {
                        if (feature.properties.tooltip) { layer.bindTooltip(feature.properties.tooltip, {sticky: true}); }
                        if (feature.properties.popup) { layer.bindPopup(feature.properties.popup + {{ this.popup_foot_js }}, {maxWidth: 380}); }
                    }
                });
                {%- if this.casing_js %}
                return L.featureGroup([casing, layer]);
                {%- else %}
                return layer;
                {%- endif %}
            })();
        {% endmacro %}
        """
    )

    def __init__(
        self, features: list[dict], *, name: str, style: dict, pane: str, attribution: str = "", show: bool = True, overlay: bool = True,
        interactive: bool = True, casing: str = "", casing_extra: float = CONTACT_CASING_EXTRA, popup_foot: str = "",
    ):
        super().__init__(name=name, overlay=overlay, control=True, show=show)
        self._name = "PackedGeoJsonLayer"
        self.features_js = js_literal(features)
        self.style_js = js_literal(style)
        self.pane_js = js_literal(pane)
        self.attribution_js = js_literal(attribution)
        self.interactive_js = js_literal(bool(interactive))
        self.casing_js = js_literal(casing) if casing else ""
        self.casing_extra_js = js_literal(float(casing_extra))
        self.popup_foot_js = js_literal(popup_foot)


class LayerGroup(Layer, VerbatimMacroElement):
    """Several layers shown and hidden as one (a Leaflet ``featureGroup``): add the layers to it
    (``layer.add_to(group)``) and it to the map. The layers may lie in different panes (a plan's
    zones and its line of contact), and only the group appears in the layer control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.featureGroup();
        {% endmacro %}
        """
    )

    def __init__(self, *, name: str, show: bool = True, overlay: bool = True):
        super().__init__(name=name, overlay=overlay, control=True, show=show)
        self._name = "LayerGroup"


class LabelledPointsLayer(Layer, VerbatimMacroElement):
    """Points drawn as small circles (optional) with a text label beside them.

    ``points`` are dicts with ``lat``, ``lon`` (degrees), ``label`` and ``tooltip`` (escaped
    HTML, may be empty) and ``priority`` (a number: names are placed lowest first, see
    :mod:`peacemap.maps.embed`). ``kind`` (``place``, ``region``, ``country`` or ``sea``) sets
    the positions a name may take.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.layerGroup({{ this.points_js }}.map(function (p, index) {
                var group = L.layerGroup(), dotId = "";
                {%- if this.circle %}
                // The name knows its own dot (data-dot), so that it is placed beside it, never
                // beside another's, and the dot is hidden with it.
                dotId = "{{ this.get_name() }}-" + index;
                var dot = L.circleMarker([p.lat, p.lon], Object.assign({pane: {{ this.pane_js }}}, {{ this.circle_js }},
                                                                       {className: {{ this.circle_class_js }} + " " + dotId}));
                if (p.tooltip) { dot.bindTooltip(p.tooltip); }
                dot.addTo(group);
                {%- endif %}
                L.marker([p.lat, p.lon], {
                    pane: {{ this.pane_js }}, interactive: false, keyboard: false,
                    icon: L.divIcon({
                        className: "peacemap-label " + {{ this.class_name_js }},
                        html: "<span data-kind=" + (p.kind || {{ this.kind_js }}) + " data-priority=" + Number(p.priority || 0)
                              + (dotId ? " data-dot=" + dotId : "") + ">" + p.label + "</span>",
                        iconSize: null
                    })
                }).addTo(group);
                return group;
            }));
        {% endmacro %}
        """
    )

    def __init__(self, points: list[dict], *, name: str, class_name: str, pane: str, circle: dict | None = None, show: bool = True,
                 kind: str = "region"):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "LabelledPointsLayer"
        for value in (kind, *(p["kind"] for p in points if "kind" in p)):
            if value not in LABEL_PRIORITY:
                raise ValueError(f"'kind' must be one of {', '.join(LABEL_PRIORITY)}, got {value!r}")
        self.points_js = js_literal(points)
        self.class_name_js = js_literal(class_name)
        self.kind_js = js_literal(kind)
        self.pane_js = js_literal(pane)
        self.circle = circle
        self.circle_js = js_literal(circle)
        self.circle_class_js = js_literal((circle or {}).get("className", ""))


class HtmlBlock(VerbatimMacroElement):
    """HTML placed in the page body (title, legend); the caller escapes its text with :func:`esc`."""

    _template = Template("{% macro html(this, kwargs) %}{{ this.markup }}{% endmacro %}")

    def __init__(self, markup: str):
        super().__init__()
        self._name = "HtmlBlock"
        self.markup = markup


class LayerControl(VerbatimMacroElement):
    """Leaflet's layer control over the layers of the map it is added to (add it last).

    Like ``folium.LayerControl``, but layer names are written with :func:`js_literal` and the
    control is rendered verbatim. Leaflet shows the names as HTML: escape them with :func:`esc`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control.layers(
                {{ this.base_layers_js }}, {{ this.overlays_js }}, {{ this.options_js }}
            ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, position: str = "topright", collapsed: bool = True):
        super().__init__()
        self._name = "LayerControl"
        self.options_js = js_literal({"position": position, "collapsed": collapsed, "autoZIndex": True})
        self.base_layers_js = self.overlays_js = "{}"

    def render(self, **kwargs) -> None:  # type: ignore[override]  # branca renders into the figure
        parent = self._parent
        if parent is None:
            raise ValueError("a LayerControl is rendered as part of a map, got none")
        layers = [item for item in parent._children.values() if isinstance(item, Layer) and item.control]
        self.base_layers_js = _layers_js([layer for layer in layers if not layer.overlay])
        self.overlays_js = _layers_js([layer for layer in layers if layer.overlay])
        super().render(**kwargs)


class EmbedLayout(VerbatimMacroElement):
    """Fits the first view on ``bounds`` ([[south, west], [north, east]], degrees) clear of the
    map's boxes, folds the legend and the attribution on narrow pages and keeps names apart
    (:mod:`peacemap.maps.embed`). Add it after the legend and the layer control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            peacemapEmbed({{ this._parent.get_name() }}, {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], *, narrow_px: int = NARROW_PX):
        super().__init__()
        self._name = "EmbedLayout"
        self.options_js = js_literal({"bounds": bounds, "narrowPx": int(narrow_px)})


class LocalScale(VerbatimMacroElement):
    """Leaflet's scale bar in the language being written: metric only, its units from the catalogue
    (``км``, ``м``), and the zoom buttons' titles translated. English maps keep folium's own scale
    (metric and imperial), as they always had."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map) {
                var units = {{ this.units_js }};
                var Scale = L.Control.Scale.extend({
                    _updateMetric: function (maxMeters) {
                        var meters = this._getRoundNum(maxMeters);
                        var label = meters < 1000 ? meters + units.m : (meters / 1000) + units.km;
                        this._updateScale(this._mScale, label, meters / maxMeters);
                    }
                });
                new Scale({imperial: false}).addTo(map);
                if (map.zoomControl) {
                    map.zoomControl._zoomInButton.title = units.zoomIn;
                    map.zoomControl._zoomOutButton.title = units.zoomOut;
                }
            })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "LocalScale"
        nbsp = "\u00a0"
        self.units_js = js_literal({"m": nbsp + gettext("m"), "km": nbsp + gettext("km"), "zoomIn": gettext("Zoom in"),
                                    "zoomOut": gettext("Zoom out")})


def _layers_js(layers: list[Layer]) -> str:
    """A JavaScript object literal: each layer's name (escaped HTML) -> its Leaflet variable."""
    return "{" + ",".join(f"{js_literal(layer.layer_name)}: {layer.get_name()}" for layer in layers) + "}"


def build_html_map(map_layers: MapLayers, *, self_contained: bool = True, tiles: bool = True,
                   places: tuple[Place, ...] | None = None, facts: Facts | None = None) -> folium.Map:
    """A folium map of a plan's zones on a date.

    Parameters
    ----------
    map_layers
        Simplified layers from :func:`peacemap.maps.prepare.prepare_map_layers` (EPSG:4326).
    self_contained
        Inline Leaflet's JavaScript and CSS (no network needed to open the file). Otherwise
        Leaflet is linked from a CDN.
    tiles
        Offer OpenStreetMap tiles as an optional base layer (off when the map opens; they need
        the network). The default base is a plain background, so the map never depends on them.
    places
        The cities, towns and sites to name, most important first (default:
        :func:`peacemap.maps.places.map_places` of the plan's zones).
    facts
        The fact box (:func:`peacemap.maps.facts.report_facts` of the plan's report), or None
        for none: the caveat on the readings then goes under the legend. Every zone's popup
        gives the plan's readings in full either way.
    """
    zones = map_layers.zones
    bounds = _focus_bounds(zones)
    salt = map_identity(map_layers)
    fmap = base_map(bounds, map_layers.context, salt=salt, self_contained=self_contained, tiles=tiles)
    source_text = _attribution_html(map_layers)
    readings = readings_html(plan_readings(map_layers.layers.plan))
    for status in [s for s in STATUS_STYLES if s in set(zones["status"])]:
        _zone_layer(map_layers, status, source_text, readings).add_to(fmap)
    for layer in _changes_layers(map_layers):
        layer.add_to(fmap)
    add_hromada_layer(fmap, map_layers, pane=ZONES_PANE)
    contact_layer(map_layers).add_to(fmap)
    add_name_layers(fmap, map_layers, places=places)
    HtmlBlock(_title_html(map_layers)).add_to(fmap)
    HtmlBlock(_legend_html(map_layers, fmap.get_name(), caveat=None if facts else readings_caveat(
        plan_readings(map_layers.layers.plan), READINGS_IN_POPUPS))).add_to(fmap)
    if facts is not None:
        HtmlBlock(facts_html([facts])).add_to(fmap)
    return finish_map(fmap, bounds, salt)


def base_map(bounds: list[list[float]], context: MapContext, *, salt: str, self_contained: bool, tiles: bool) -> folium.Map:
    """:func:`new_map` with its base layers: a plain background (shown), OpenStreetMap tiles
    offered if ``tiles`` (off; they need the network), and the neighbouring countries and sea."""
    fmap = new_map(bounds, self_contained=self_contained, salt=salt)
    folium.FeatureGroup(name=esc(gettext("Plain background")), overlay=False, control=True).add_to(fmap)
    if tiles:
        folium.TileLayer("OpenStreetMap", name=esc(gettext("OpenStreetMap (needs network)")), overlay=False, show=False,
                         attr=OSM_TILES_ATTRIBUTION).add_to(fmap)
    _context_layer(context).add_to(fmap)
    return fmap


def add_name_layers(fmap: folium.Map, map_layers: MapLayers, *, places: tuple[Place, ...] | None = None) -> None:
    """Add the names drawn above every map's zones: regions, cities, towns and sites by importance
    (default: :func:`peacemap.maps.places.map_places` of the plan's zones), then neighbouring
    countries and seas."""
    _region_names_layer(map_layers.labels).add_to(fmap)
    places_layer(map_places(map_layers.layers.zones) if places is None else places).add_to(fmap)
    _context_names_layer(map_layers.context).add_to(fmap)


def finish_map(fmap: folium.Map, bounds: list[list[float]], salt: str, *, collapsed: bool = True) -> folium.Map:
    """Add the layer control and the embedding layout (opening on ``bounds``) as the last
    elements, then give every element its id from ``salt`` (:func:`peacemap.maps.ids.set_ids`)."""
    LayerControl(collapsed=collapsed, position="topright").add_to(fmap)
    EmbedLayout(bounds).add_to(fmap)
    set_ids(fmap.get_root(), salt, keep=(fmap,))
    return fmap


def map_identity(map_layers: MapLayers) -> str:
    """What tells one plan map from another (plan, options, map of control, drawn zones): the salt
    of the map's element ids (:mod:`peacemap.maps.ids`)."""
    layers = map_layers.layers
    zones = hashlib.sha256(b"".join(shapely.to_wkb(map_layers.zones.geometry.values))).hexdigest()
    return content_id(layers.plan.id, layers.plan.title, ",".join(layers.plan.enabled_options), layers.control.label,
                      layers.control.sha256 or "", zones, ",".join(map_layers.zones["status"]))


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
        location=[(south + north) / 2, (west + east) / 2], zoom_start=6, tiles=None, control_scale=english, zoom_control=True,
        prefer_canvas=False, zoom_snap=0.25, zoom_delta=0.5, min_zoom=4, width=width,
    )
    fmap._id = content_id(salt)  # before anything records the map's name (the legend's CSS does)
    _set_assets(fmap, self_contained=self_contained)
    if not english:
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


def _zone_layer(map_layers: MapLayers, status: str, source_text: str, readings: str) -> PackedGeoJsonLayer:
    style = status_style(status)
    rows = map_layers.zones[map_layers.zones["status"] == status]
    features = [
        {"g": pack_geometry(row.geometry), "p": {"tooltip": _zone_tooltip(row), "popup": _zone_popup(row, map_layers)}}
        for row in rows.itertuples(index=False)
        if not row.geometry.is_empty
    ]
    path_style = {
        "color": OUTLINE.colour, "weight": OUTLINE.width, "fillColor": style.fill, "fillOpacity": style.fill_opacity,
        "className": f"peacemap-status-{status}",
    }
    return PackedGeoJsonLayer(features, name=status_text(status), style=path_style, pane=ZONES_PANE, attribution=source_text, popup_foot=readings)


def _zone_tooltip(row) -> str:  # noqa: ANN001 - a zones row (namedtuple)
    return f"<b>{esc(region_label(row.region, row.region_name))}</b><br>{esc(status_text(row.status))}"


def _zone_popup(row, map_layers: MapLayers) -> str:  # noqa: ANN001 - a zones row (namedtuple)
    plan = map_layers.layers.plan
    lines = [
        f"<b>{esc(region_label(row.region, row.region_name))}</b> ({esc(row.region)}), {esc(gettext(CONTROL_LAND[row.control]))}",
        f"<b>{esc(status_text(row.status))}</b>",
    ]
    provision = plan.provision(row.provision) if row.provision else None
    if provision is not None:
        lines.append(gettext("Provision %(id)s") % {"id": esc(provision.id)} + f": <q>{esc(plan.provision_text(provision))}</q>")
    lines.append(gettext("Area: %(area)s") % {"area": km2_text(row.area_km2)})
    population = _population_text(row)
    if population:
        lines.append(population)
    lines.append(f"<small>{esc(plan.title_text())}; " + gettext("control: %(control)s") % {
        "control": esc(control_label_text(map_layers.layers.control.label))} + "</small>")
    return "<br>".join(lines)


def _population_text(row) -> str:  # noqa: ANN001 - a zones row (namedtuple)
    """Population line when the zones carry population columns (added by the report), else "";
    for AR Crimea and Sevastopol, which have no official 2022 figure, why there is none."""
    if not hasattr(row, "population_2022"):
        return ""
    value = row.population_2022
    if _missing(value):
        if set(str(row.region).split("+")) <= {CRIMEA, SEVASTOPOL}:
            return gettext("Population (1 January 2022): %(population)s") % {"population": esc(gettext(NO_2022_FIGURE))}
        return ""
    text = number_text(float(value))
    low, high = getattr(row, "population_2022_low", None), getattr(row, "population_2022_high", None)
    if low is not None and high is not None and not _missing(low) and not _missing(high):
        text += " (" + gettext("range %(low)s–%(high)s") % {"low": number_text(float(low)), "high": number_text(float(high))} + ")"
    return gettext("Population (1 January 2022): %(population)s") % {"population": text}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value)


def packed(geometry: shapely.Geometry) -> dict:
    """A feature's geometry written in the feature itself (``{"g": ...}``)."""
    return {"g": pack_geometry(geometry)}


def contact_layer(map_layers: MapLayers, *, geometry: Callable[[shapely.Geometry], dict] = packed) -> PackedGeoJsonLayer:
    """The line of contact on its white casing: bold where the plan freezes it, dashed elsewhere
    (:func:`peacemap.maps.style.contact_style`). ``geometry`` writes each line's geometry into
    its feature (default: :func:`packed`; the comparison map shares them between plans)."""
    features = []
    for row in map_layers.contact_line.itertuples(index=False):
        style = contact_style(row.rule)
        tooltip = ("<b>" + esc(gettext("Line of contact")) + f"</b>, {esc(region_label(row.region, row.region_name))}: {esc(gettext(style.label))} "
                   f"({unit_text(row.length_km, 'km')})")
        path = {"color": style.colour, "weight": style.width, "dashArray": style.dash}
        features.append({**geometry(row.geometry), "p": {"tooltip": tooltip, "style": path}})
    label = gettext("Line of contact (%(control)s)") % {"control": esc(control_label_text(map_layers.layers.control.label))}
    return PackedGeoJsonLayer(features, name=label, style={"fill": False, "opacity": 1.0}, pane=LINES_PANE, casing=CONTACT_CASING)


def _changes_layers(map_layers: MapLayers) -> list[PackedGeoJsonLayer]:
    """One layer per kind of land changing hands: hatched (given up) or outlined (returned),
    lines on a white casing; clicks go through to the zones beneath."""
    layers = []
    for row in map_layers.changes.itertuples(index=False):
        style = OVERLAY_STYLES[row.kind]
        path = {"color": style.colour, "weight": style.outline_width, "dashArray": style.outline_dash, "opacity": 1.0,
                "fill": bool(style.hatch), "fillOpacity": 1.0, "className": f"peacemap-change-{row.kind}"}
        features = [{"g": pack_geometry(row.geometry), "p": {}}]
        layers.append(PackedGeoJsonLayer(features, name=esc(overlay_label(row.kind, map_day(map_layers))), style=path, pane=ZONES_PANE, interactive=False,
                                         casing=style.casing, casing_extra=OVERLAY_CASING_EXTRA))
    return layers


def _context_layer(context: MapContext) -> PackedGeoJsonLayer:
    """Neighbouring countries (Ukraine's units cut out), beneath everything, not clickable."""
    features = [{"g": pack_geometry(geometry), "p": {}} for geometry in context.countries.geometry if not geometry.is_empty]
    style = {"color": NEIGHBOUR_BORDER, "weight": 0.8, "fillColor": NEIGHBOUR_FILL, "fillOpacity": 1.0}
    return PackedGeoJsonLayer(features, name=esc(gettext("Neighbouring countries")), style=style, pane=CONTEXT_PANE, interactive=False)


def _context_names_layer(context: MapContext) -> LabelledPointsLayer:
    labels = context.labels
    points = [
        {"lat": row.lat, "lon": row.lon, "label": esc(gettext(row.name).upper() if row.kind == "country" else gettext(row.name)), "tooltip": "",
         "priority": LABEL_PRIORITY[row.kind] + rank, "kind": row.kind}
        for rank, row in enumerate(labels.itertuples(index=False))
    ]
    return LabelledPointsLayer(points, name=esc(gettext("Countries and seas")), class_name="peacemap-context-label", pane=POINTS_PANE, kind="country")


def _region_names_layer(labels: pd.DataFrame) -> LabelledPointsLayer:
    """Region names; larger regions win where names would overlap ("Kyiv" over "Kyiv (city)")."""
    order = labels["area_km2"].rank(ascending=False, method="first") if "area_km2" in labels else pd.Series(range(len(labels)))
    points = [
        {"lat": row.lat, "lon": row.lon, "label": esc(region_label(row.code, row.name, short=True)), "tooltip": "",
         "priority": LABEL_PRIORITY["region"] + int(rank)}
        for row, rank in zip(labels.itertuples(index=False), order, strict=True)
    ]
    return LabelledPointsLayer(points, name=esc(gettext("Region names")), class_name="peacemap-region-label", pane=POINTS_PANE, kind="region")


def places_layer(places: tuple[Place, ...]) -> LabelledPointsLayer:
    """Cities, towns and sites as dots with their names, named in the order given (most important
    first; see :func:`peacemap.maps.places.map_places`)."""
    points = [
        {"lat": p.lat, "lon": p.lon, "label": esc(p.label()), "tooltip": f"<b>{esc(p.label())}</b><br>{esc(p.note_text())}",
         "priority": LABEL_PRIORITY["place"] + rank}
        for rank, p in enumerate(places)
    ]
    circle = {"radius": 3.5, "color": "#ffffff", "weight": 1.5, "fillColor": PLACE_COLOUR, "fillOpacity": 1.0, "className": "peacemap-place-dot"}
    return LabelledPointsLayer(points, name=esc(gettext("Cities and towns")), class_name="peacemap-place-label", pane=POINTS_PANE, circle=circle, kind="place")


def _focus_bounds(zones) -> list[list[float]]:  # noqa: ANN001 - GeoDataFrame
    """[[south, west], [north, east]] of the land that changes hands under the plan (the news, and
    the first view: close enough to name the towns in it); else of every zone the plan gives a
    status other than "Ukrainian, unchanged" (a freeze); else of all zones."""
    changing = zones[changes_hands(zones) != ""] if "control" in zones else zones.iloc[:0]
    touched = zones[zones["status"] != "ukrainian"]
    chosen = changing if len(changing) else touched if len(touched) else zones
    xmin, ymin, xmax, ymax = chosen.total_bounds
    return [[ymin, xmin], [ymax, xmax]]


def _title_html(map_layers: MapLayers) -> str:
    plan = map_layers.layers.plan
    control = map_layers.layers.control
    return title_box(gettext("%(title)s (%(date)s): territorial provisions") % {"title": f"<b>{esc(plan.title_text())}</b>",
                                                                             "date": esc(date_text(plan.date))},
                     [gettext("Line of contact and control: %(control)s") % {"control": esc(control_label_text(control.label))},
                      '<span style="overflow-wrap:anywhere">' + gettext("Plan: %(origin)s") % {"origin": esc(plan.origin_text())} + "</span>",
                      *([esc(plan.text_note())] if plan.text_note() else [])])


def map_day(map_layers: MapLayers) -> dt.date | None:
    """The date the map's control shows (the snapshot's, or the one a control file vouches for)."""
    return map_layers.layers.control.as_of


def _legend_html(map_layers: MapLayers, map_name: str, *, on: str | None = None, caveat: str | None = None) -> str:
    """The legend of what ``map_layers`` show: statuses, land changing hands (labelled with the
    map's date, or with ``on``: "on the frame's date"), lines of contact, places; and ``caveat``
    (the readings' line, on a map without a fact box) in its note."""
    present = set(map_layers.zones["status"])
    patterns, rows = [], []
    for status, style in STATUS_STYLES.items():
        if status not in present:
            continue
        fill = style.fill
        if style.hatch:
            pattern_id = f"{map_name}-hatch-{status}"
            patterns.append(_hatch_pattern(pattern_id, style.fill, style.hatch_colour))
            patterns.append(f"<style>#{map_name} path.peacemap-status-{status} {{ fill: url(#{pattern_id}); }}</style>")
            fill = f"url(#{pattern_id})"
        swatch = f'<svg width="22" height="14"><rect width="22" height="14" fill="{fill}" stroke="{OUTLINE.colour}" stroke-width="1"/></svg>'
        rows.append(f"{swatch} {esc(status_text(status))}")
    for kind in map_layers.changes["kind"]:
        overlay = OVERLAY_STYLES[kind]
        if kind == GIVEN_UP:
            pattern_id = f"{map_name}-change-{kind}"
            patterns.append(_cased_hatch_pattern(pattern_id, overlay.colour, overlay.casing))
            patterns.append(f"<style>#{map_name} path.peacemap-change-{kind} {{ fill: url(#{pattern_id}); }}</style>")
            swatch = (f'<svg width="22" height="14"><rect width="22" height="14" fill="#d9d9d9"/><rect width="22" height="14" fill="url(#{pattern_id})" '
                      f'stroke="{overlay.colour}" stroke-width="2"/></svg>')
        else:
            swatch = (f'<svg width="22" height="14"><rect x="1" y="1" width="20" height="12" fill="none" stroke="{overlay.colour}" '
                      f'stroke-width="{overlay.outline_width}" stroke-dasharray="{overlay.outline_dash or ""}"/></svg>')
        rows.append(f"{swatch} {esc(overlay_label(kind, map_day(map_layers), on=on))}")
    for line in contact_legend(map_layers.contact_line["rule"]):
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        swatch = f'<svg width="22" height="14"><line x1="0" y1="7" x2="22" y2="7" stroke="{line.colour}" stroke-width="{line.width}"{dash}/></svg>'
        rows.append(f"{swatch} {esc(gettext(line.label))}")
    dot = f'<svg width="22" height="14"><circle cx="11" cy="7" r="4" fill="{PLACE_COLOUR}" stroke="#fff"/></svg>'
    rows.append(f"{dot} {esc(gettext(PLACES_LEGEND))}")
    pattern_defs = "".join(p for p in patterns if p.startswith("<pattern"))
    defs = f'<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>{pattern_defs}</defs></svg>'
    styles = "".join(p for p in patterns if p.startswith("<style"))
    note = (f"{esc(caveat)} " if caveat else "") + esc(gettext("Sources: bottom right."))
    return defs + styles + legend_box(esc(gettext("Under the plan")), rows, note=note)


# A zone's land by its control on the map's date, as its popup says it.
CONTROL_LAND = {"occupied": N_("occupied land"), "held": N_("held land")}
PLACES_LEGEND = N_("City, town or site (largest towns of the land changing hands first)")


def _attribution_html(map_layers: MapLayers) -> str:
    """Sources of the plan text and of every data layer and figure the map shows, escaped, for
    Leaflet's attribution."""
    plan_source = esc(map_layers.layers.plan.source_line())
    plan_text = gettext("Plan text: %(source)s.") % {"source": plan_source}
    return (f"{plan_text} {esc(attribution(map_layers.layers.control))} "
            f"{esc(gettext(POPULATION_ATTRIBUTION))} {esc(gettext(COUNTRIES_ATTRIBUTION))} {esc(gettext(SIMPLIFICATION_NOTE))}")


def _cased_hatch_pattern(pattern_id: str, colour: str, casing: str) -> str:
    """Diagonal lines in ``colour`` on wider lines of ``casing``, over a transparent background."""
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="9" height="9" patternTransform="rotate(45)">'
        f'<line x1="0" y1="0" x2="0" y2="9" stroke="{casing}" stroke-width="4.5"/>'
        f'<line x1="0" y1="0" x2="0" y2="9" stroke="{colour}" stroke-width="1.8"/></pattern>'
    )


def _hatch_pattern(pattern_id: str, background: str, colour: str) -> str:
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="{background}"/><line x1="0" y1="0" x2="0" y2="8" stroke="{colour}" stroke-width="3"/></pattern>'
    )


_CSS = f"""
.leaflet-container {{ background: {BACKGROUND}; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }}
.leaflet-control-layers {{ font: 12px/1.4 system-ui, sans-serif; }}
.leaflet-popup-content {{ font: 13px/1.4 system-ui, sans-serif; }}
.leaflet-tooltip {{ font: 12px/1.35 system-ui, sans-serif; }}
/* Chromium draws a focus box around a clicked SVG path's bounding box: not wanted on a map. */
.leaflet-container path.leaflet-interactive:focus {{ outline: none; }}
.peacemap-label span {{ display: inline-block; white-space: nowrap; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }}
.peacemap-region-label span {{ transform: translate(-50%, -50%); font: 600 12px system-ui, sans-serif; color: #222; }}
.peacemap-place-label span {{ transform: translate(8px, -50%); font: 11px system-ui, sans-serif; color: #111; }}
.peacemap-context-label span {{ transform: translate(-50%, -50%); font: 11px system-ui, sans-serif; letter-spacing: 0.08em;
  color: {COUNTRY_LABEL_COLOUR}; }}
.peacemap-context-label span[data-kind="sea"] {{ font-style: italic; letter-spacing: 0; color: {SEA_LABEL_COLOUR}; }}
"""


def add_hromada_layer(fmap: folium.Map, map_layers: MapLayers, *, pane: str) -> None:
    """Add the "Hromadas" layer (off by default) to ``fmap`` when the layers carry territories."""
    drawn = hromadas.drawn_hromadas(map_layers)
    if drawn is None:
        return
    features = [{"g": pack_geometry(row.geometry), "p": {"tooltip": hromada_tooltip(row)}} for row in drawn.itertuples(index=False)]
    from peacemap.layers.report.places import hromada_sources_note

    PackedGeoJsonLayer(features, name=esc(gettext(hromadas.LAYER_NAME)), style=hromadas.OUTLINE, pane=pane, show=False,
                       attribution=esc(hromada_sources_note())).add_to(fmap)


def hromada_tooltip(row) -> str:  # noqa: ANN001 - a row of the drawn territories (namedtuple)
    """Name (Ukrainian and English), 2022 population and the zones of one hromada, escaped HTML."""
    population = row.population_2022
    people = (gettext("no official 2022 figure") if population is None or pd.isna(population)
              else f'{count_text(int(population), "%(count)s person", "%(count)s people")} (2022)')
    names = [f"<b>{esc(row.hromada)}</b>"] + ([esc(row.hromada_en)] if current_language() == ENGLISH else [])
    lines = [*names, esc(people)]
    zones = getattr(row, "zones", "")
    if isinstance(zones, str) and zones:
        lines.append(esc(zones))
    return "<br>".join(lines)
