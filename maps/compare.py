"""An HTML map comparing plans: one layer per plan on the same line of contact, to switch between.

Untrusted text (plan titles and ids, sources, provisions, the control file's name) is handled as in
:mod:`peacemap.maps.html`: escaped with ``esc``/``js_literal`` and carried only by elements that
render verbatim (never read as a template).
"""

from __future__ import annotations

from typing import Any, cast

import folium
import pandas as pd
import shapely
from branca.element import Figure
from folium.template import Template

from peacemap.layers.i18n.catalogue import N_, gettext
from peacemap.layers.i18n.dates import single_stop
from peacemap.layers.i18n.source_names import control_label_text
from peacemap.layers.report.compare import variant_name
from peacemap.layers.report.readings import plan_readings
from peacemap.maps import html, web
from peacemap.maps.facts import Facts, facts_html, readings_html
from peacemap.maps.ids import content_id
from peacemap.maps.layout import title_box
from peacemap.maps.legend import legend_entries
from peacemap.maps.packing import pack_geometry
from peacemap.maps.places import map_places
from peacemap.maps.prepare import MapLayers
from peacemap.maps.style import OUTLINE, OVERLAY_STYLES, status_style


def comparison_map(plans: list[MapLayers], *, self_contained: bool = True, facts: list[Facts] | None = None) -> folium.Map:
    """A folium map with one base layer per plan (radio buttons in the layer control).

    ``plans`` are the simplified layers of each plan on one control snapshot (EPSG:4326); the
    first is shown when the map opens. Each plan's layer holds its zones, the land it changes
    hands and its line of contact, drawn by its own rules; geometries the plans share are
    written once. Region names, cities and towns are drawn once, for all plans. ``facts`` (one
    per plan, :func:`peacemap.maps.facts.compared_facts`) make a fact box that follows the plan
    shown. Every zone's popup gives its plan's readings in full.
    """
    if not plans:
        raise ValueError("'plans' should hold at least one plan's map layers, got none")
    if facts is not None and len(facts) != len(plans):
        raise ValueError(f"'facts' should hold one fact box per plan ({len(plans)}), got {len(facts)}")
    first = plans[0]
    all_zones = pd.concat([p.zones for p in plans], ignore_index=True)
    bounds = html.focus_bounds(all_zones)
    salt = content_id(*(html.map_identity(p) for p in plans))
    fmap = html.new_map(bounds, self_contained=self_contained, salt=salt)
    html.context_layer(first.context).add_to(fmap)
    shared = SharedGeometries()
    groups = [_plan_layer(plan_layers, shared, show=index == 0) for index, plan_layers in enumerate(plans)]
    for group in groups:
        group.add_to(fmap)
    # After peacemapUnpack's own definition in the header, before the layers' scripts in the body.
    header = cast(Figure, fmap.get_root()).header
    header.add_child(html.raw_element(f"<script>peacemapShared = {html.js_literal(shared.packed)};</script>"), name="peacemap_shared_geometries")
    header.add_child(html.raw_element(f"<script>{PLAN_BUTTONS_JS}</script><style>{PLAN_BUTTONS_CSS}</style>"), name="peacemap_plan_buttons")
    # Every plan's towns of the land it changes hands, the first plan's first.
    places = tuple(dict.fromkeys(place for plan_layers in plans for place in map_places(plan_layers.layers.zones)))
    html.add_name_layers(fmap, first, places=places)
    html.HtmlBlock(_title_html(plans)).add_to(fmap)
    # The legend lists what any of the plans shows; each plan's overlays and line switch with the plan.
    legend = legend_entries(
        all_zones["status"],
        [kind for p in plans for kind in p.changes["kind"]],
        [rule for p in plans for rule in p.contact_line["rule"]],
        day=html.map_day(first),
    )
    caveat = None if facts else gettext("Each plan's figures rest on readings of its text, given in full in its zones' popups.")
    html.HtmlBlock(html.legend_html(legend, fmap.get_name(), caveat=caveat)).add_to(fmap)
    if facts:
        html.HtmlBlock(facts_html(facts)).add_to(fmap)
    PlanButtons(groups).add_to(fmap)
    return html.finish_map(fmap, bounds, salt)


class PlanButtons(html.VerbatimMacroElement):
    """Makes the title box's plan buttons show their plan's layer (one at a time, as the layer
    control's radio buttons do, which stay in step)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            peacemapPlanButtons({{ this._parent.get_name() }}, [{{ this.groups_js }}]);
        {% endmacro %}
        """
    )

    def __init__(self, groups: list[html.LayerGroup]):
        super().__init__()
        self._name = "PlanButtons"
        self.groups = groups

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca renders into the figure
        self.groups_js = ", ".join(group.get_name() for group in self.groups)  # the names are final once the ids are set
        super().render(**kwargs)


class SharedGeometries:
    """Geometries drawn by several plans' layers, packed once: features refer to them by index
    (``{"r": i}``), so that the comparison map does not repeat the regions' land per plan."""

    def __init__(self) -> None:
        self.packed: list[dict] = []
        self._index: dict[bytes, int] = {}

    def ref(self, geometry: shapely.Geometry) -> dict:
        """``{"r": i}`` for ``geometry``, packing it the first time it is seen."""
        key = shapely.to_wkb(geometry)
        if key not in self._index:
            self._index[key] = len(self.packed)
            self.packed.append(pack_geometry(geometry))
        return {"r": self._index[key]}


def _plan_layer(plan_layers: MapLayers, shared: SharedGeometries, *, show: bool) -> html.LayerGroup:
    """One plan's zones, the land it changes hands, and its line of contact drawn by its own rules
    (bold where it freezes the line): a base layer, so that one plan shows at a time."""
    plan = plan_layers.layers.plan
    # A plan with options is named as compare takes it (plan28+21c-none): two readings, two layers.
    group = html.LayerGroup(name=f"{html.esc(plan.title_text())} ({html.esc(variant_name(plan))})", show=show, overlay=False)
    _zones_layer(plan_layers, shared).add_to(group)
    html.contact_layer(plan_layers, geometry=shared.ref).add_to(group)
    return group


def _zones_layer(plan_layers: MapLayers, shared: SharedGeometries) -> html.PackedGeoJsonLayer:
    features = []
    for row in plan_layers.zones.itertuples(index=False):
        if row.geometry.is_empty:
            continue
        style = status_style(row.status)
        features.append(
            {
                **shared.ref(row.geometry),
                "p": {
                    "tooltip": html.zone_tooltip(row),
                    "popup": html.zone_popup(row, plan_layers),
                    "style": {"fillColor": style.fill, "fillOpacity": style.fill_opacity, "className": f"peacemap-status-{row.status}"},
                },
            }
        )
    features += _change_features(plan_layers, shared)
    return html.PackedGeoJsonLayer(
        features,
        name=html.esc(gettext("Zones")),
        style={"color": OUTLINE.colour, "weight": OUTLINE.width},
        pane=html.ZONES_PANE,
        attribution=html.attribution_html(plan_layers),
        popup_foot=readings_html(plan_readings(plan_layers.layers.plan)),
    )


def _change_features(plan_layers: MapLayers, shared: SharedGeometries) -> list[dict]:
    """The plan's land changing hands, as features of its layer (so they switch with it): a white
    casing under each outline, then the hatched or dashed overlay; neither takes clicks."""
    features = []
    for row in plan_layers.changes.itertuples(index=False):
        style = OVERLAY_STYLES[row.kind]
        casing = {"color": style.casing, "weight": style.outline_width + html.OVERLAY_CASING_EXTRA, "fill": False, "interactive": False}
        overlay = {
            "color": style.colour,
            "weight": style.outline_width,
            "dashArray": style.outline_dash,
            "fill": bool(style.hatch),
            "fillOpacity": 1.0,
            "interactive": False,
            "className": f"peacemap-change-{row.kind}",
        }
        ref = shared.ref(row.geometry)
        features += [{**ref, "p": {"style": casing}}, {**ref, "p": {"style": overlay}}]
    return features


def _title_html(plans: list[MapLayers]) -> str:
    """The title, the line of contact's source, and one button per plan (the first pressed)."""
    control = plans[0].layers.control
    buttons = "".join(
        f'<button type="button" class="peacemap-plan-button" data-plan="{index}" aria-pressed="{"true" if index == 0 else "false"}"'
        f' title="{html.esc(p.layers.plan.title_text())}">{html.esc(variant_name(p.layers.plan))}</button>'
        for index, p in enumerate(plans)
    )
    # One note for all the plans where any quotes its provisions in English.
    notes = [html.esc(gettext(ENGLISH_PROVISIONS))] if any(p.layers.plan.text_note() for p in plans) else []
    line = gettext("Line of contact and control: %(control)s") % {"control": html.esc(control_label_text(control.label))}
    title, show, shown = html.esc(gettext("Peace plans compared")), html.esc(gettext("Show a plan:")), html.esc(gettext("Plan shown"))
    lines = [single_stop(f"{line}."), *notes, show] if notes else [f"{line}. {show}"]  # the buttons follow "Show a plan:"
    return title_box(f"<b>{title}</b>", lines, extra=f'<div class="peacemap-plan-buttons" role="group" aria-label="{shown}">{buttons}</div>')


# The Ukrainian pages' one note on plans quoted in English (the plan's own, Plan.text_note, per plan).
ENGLISH_PROVISIONS = N_("Provisions with no published Ukrainian text are quoted in English.")

PLAN_BUTTONS_JS = web.script("plan_buttons.js")

PLAN_BUTTONS_CSS = web.style("plan_buttons.css")
