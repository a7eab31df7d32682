"""An HTML map comparing plans: one layer per plan on the same line of contact, to switch between.

Untrusted text (plan titles and ids, sources, provisions, the control file's name) is handled as in
:mod:`peacemap.maps.html`: escaped with ``esc``/``js_literal`` and carried only by elements that
render verbatim (never read as a template).
"""

from __future__ import annotations

import dataclasses

import folium
import pandas as pd
from folium.map import CustomPane

from peacemap.maps import html
from peacemap.maps.packing import pack_geometry
from peacemap.maps.places import KEY_PLACES
from peacemap.maps.prepare import MapLayers
from peacemap.maps.style import OUTLINE, status_style


def comparison_map(plans: list[MapLayers], *, self_contained: bool = True) -> folium.Map:
    """A folium map with one base layer per plan (radio buttons in the layer control).

    ``plans`` are the simplified layers of each plan on one control snapshot (EPSG:4326); the
    first is shown when the map opens. The line of contact, region names and key places are
    drawn once, the same for all plans.
    """
    if not plans:
        raise ValueError("'plans' should hold at least one plan's map layers, got none")
    first = plans[0]
    fmap = folium.Map(tiles=None, control_scale=True, zoom_control=True, zoom_snap=0.25, zoom_delta=0.5)
    html._set_assets(fmap, self_contained=self_contained)
    for name, z_index in ((html.ZONES_PANE, 410), (html.LINES_PANE, 420), (html.POINTS_PANE, 630)):
        CustomPane(name, z_index=z_index, pointer_events=True).add_to(fmap)
    for index, plan_layers in enumerate(plans):
        _plan_layer(plan_layers, show=index == 0).add_to(fmap)
    neutral_lines = dataclasses.replace(first, contact_line=first.contact_line.assign(rule=""))
    html._contact_layer(neutral_lines).add_to(fmap)
    html._region_names_layer(first.labels).add_to(fmap)
    html._places_layer(KEY_PLACES).add_to(fmap)
    all_zones = pd.concat([p.zones for p in plans], ignore_index=True)
    fmap.fit_bounds(html._focus_bounds(all_zones), padding_top_left=(10, 60), padding_bottom_right=(10, 10))
    html.HtmlBlock(_title_html(plans)).add_to(fmap)
    html.HtmlBlock(html._legend_html(dataclasses.replace(first, zones=all_zones), fmap.get_name())).add_to(fmap)
    html.LayerControl(collapsed=False, position="topright").add_to(fmap)
    return fmap


def _plan_layer(plan_layers: MapLayers, *, show: bool) -> html.PackedGeoJsonLayer:
    features = []
    for row in plan_layers.zones.itertuples(index=False):
        if row.geometry.is_empty:
            continue
        style = status_style(row.status)
        features.append(
            {
                "g": pack_geometry(row.geometry),
                "p": {
                    "tooltip": html._zone_tooltip(row),
                    "popup": html._zone_popup(row, plan_layers),
                    "style": {"fillColor": style.fill, "fillOpacity": style.fill_opacity, "className": f"peacemap-status-{row.status}"},
                },
            }
        )
    plan = plan_layers.layers.plan
    return html.PackedGeoJsonLayer(
        features,
        name=f"{html.esc(plan.title)} ({html.esc(plan.id)})",
        style={"color": OUTLINE.colour, "weight": OUTLINE.width},
        pane=html.ZONES_PANE,
        attribution=html._attribution_html(plan_layers),
        show=show,
        overlay=False,
    )


def _title_html(plans: list[MapLayers]) -> str:
    control = plans[0].layers.control
    names = ", ".join(html.esc(p.layers.plan.id) for p in plans)
    return (
        '<div class="peacemap-title"><b>Peace plans compared</b>: ' + names
        + f"<br><span>Line of contact and control: {html.esc(control.label)}. Switch plans in the layer control.</span></div>"
    )
