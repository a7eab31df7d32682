"""Map elements that render verbatim (see :mod:`peacemap.maps.html`): branca compiles the output of a
plain element's macros as a new Jinja template; these put it into the page as it is. Packed GeoJSON
layers (:mod:`peacemap.maps.packing`), groups, labelled points, HTML blocks, the layer control and
the embedding layout."""

from __future__ import annotations

import textwrap
from typing import Any

from branca.element import Element, Figure, MacroElement
from folium.map import Layer
from folium.template import Template

from peacemap.layers.i18n.catalogue import gettext
from peacemap.maps import web
from peacemap.maps.embed import NARROW_PX
from peacemap.maps.escape import js_literal
from peacemap.maps.style import CONTACT_CASING_EXTRA

# Order in which names are placed (lower first): places (most important first), region names by area, countries, seas.
LABEL_PRIORITY = {"place": 0, "region": 1000, "country": 2000, "sea": 3000}
SCRIPT_INDENT = 12  # spaces before the lines of a script written into a macro


class Verbatim(Element):
    """Text placed in the page exactly as given: never compiled as a Jinja template (a plain
    branca ``Element`` is)."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs: Any) -> str:  # branca's signature
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

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca renders into the figure
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
        self,
        features: list[dict],
        *,
        name: str,
        style: dict,
        pane: str,
        attribution: str = "",
        show: bool = True,
        overlay: bool = True,
        interactive: bool = True,
        casing: str = "",
        casing_extra: float = CONTACT_CASING_EXTRA,
        popup_foot: str = "",
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

    def __init__(self, points: list[dict], *, name: str, class_name: str, pane: str, circle: dict | None = None, show: bool = True, kind: str = "region"):
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

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca renders into the figure
        parent = self._parent
        if parent is None:
            raise ValueError("a LayerControl is rendered as part of a map, got none")
        layers = [item for item in parent._children.values() if isinstance(item, Layer) and item.control]  # noqa: SLF001 - branca's children (guarded)
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
            {{ this.script_js }}({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "LocalScale"
        nbsp = "\u00a0"
        units = {"m": nbsp + gettext("m"), "km": nbsp + gettext("km"), "zoomIn": gettext("Zoom in"), "zoomOut": gettext("Zoom out")}
        # maps/web/local_scale.js (a function of the map), indented as the page's other scripts.
        self.script_js = textwrap.indent(web.script("local_scale.js", units=units), " " * SCRIPT_INDENT).strip()


def _layers_js(layers: list[Layer]) -> str:
    """A JavaScript object literal: each layer's name (escaped HTML) -> its Leaflet variable."""
    return "{" + ",".join(f"{js_literal(layer.layer_name)}: {layer.get_name()}" for layer in layers) + "}"
