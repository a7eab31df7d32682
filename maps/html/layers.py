"""The layers every peacemap HTML map draws (folium/Leaflet): a plan's zones by status with their
tooltips and popups, the land that changes hands, the line of contact, neighbouring countries, the
names of regions, places, countries and seas, and the hromadas. Text is escaped here (see
:mod:`peacemap.maps.html`)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import folium
import pandas as pd
import shapely

from peacemap.layers.i18n.catalogue import N_, count_text, gettext
from peacemap.layers.i18n.language import ENGLISH, current_language
from peacemap.layers.i18n.names import region_label
from peacemap.layers.i18n.numbers import km2_text, number_text, unit_text
from peacemap.layers.i18n.source_names import control_label_text
from peacemap.layers.report.terms import status_text
from peacemap.layers.sources.codes import CRIMEA, SEVASTOPOL
from peacemap.maps import hromadas
from peacemap.maps.context import MapContext
from peacemap.maps.escape import esc
from peacemap.maps.html.elements import LABEL_PRIORITY, LabelledPointsLayer, PackedGeoJsonLayer
from peacemap.maps.html.page import CONTEXT_PANE, LINES_PANE, OSM_TILES_ATTRIBUTION, POINTS_PANE, ZONES_PANE, new_map
from peacemap.maps.packing import pack_geometry
from peacemap.maps.places import NO_2022_FIGURE, Place, map_places
from peacemap.maps.prepare import MapLayers
from peacemap.maps.style import (
    CONTACT_CASING,
    NEIGHBOUR_BORDER,
    NEIGHBOUR_FILL,
    OUTLINE,
    OVERLAY_STYLES,
    PLACE_COLOUR,
    contact_style,
    overlay_label,
    status_style,
)

OVERLAY_CASING_EXTRA = 2.5  # white casing of the overlays' outlines beyond their width, CSS px
# A zone's land by its control on the map's date, as its popup says it.
CONTROL_LAND = {"occupied": N_("occupied land"), "held": N_("held land")}


def add_name_layers(fmap: folium.Map, map_layers: MapLayers, *, places: tuple[Place, ...] | None = None) -> None:
    """Add the names drawn above every map's zones: regions, cities, towns and sites by importance
    (default: :func:`peacemap.maps.places.map_places` of the plan's zones), then neighbouring
    countries and seas."""
    region_names_layer(map_layers.labels).add_to(fmap)
    places_layer(map_places(map_layers.layers.zones) if places is None else places).add_to(fmap)
    context_names_layer(map_layers.context).add_to(fmap)


def zone_layer(map_layers: MapLayers, status: str, source_text: str, readings: str) -> PackedGeoJsonLayer:
    style = status_style(status)
    rows = map_layers.zones[map_layers.zones["status"] == status]
    features = [
        {"g": pack_geometry(row.geometry), "p": {"tooltip": zone_tooltip(row), "popup": zone_popup(row, map_layers)}}
        for row in rows.itertuples(index=False)
        if not row.geometry.is_empty
    ]
    path_style = {
        "color": OUTLINE.colour,
        "weight": OUTLINE.width,
        "fillColor": style.fill,
        "fillOpacity": style.fill_opacity,
        "className": f"peacemap-status-{status}",
    }
    return PackedGeoJsonLayer(features, name=status_text(status), style=path_style, pane=ZONES_PANE, attribution=source_text, popup_foot=readings)


def zone_tooltip(row: Any) -> str:  # a zones row (namedtuple)
    return f"<b>{esc(region_label(row.region, row.region_name))}</b><br>{esc(status_text(row.status))}"


def zone_popup(row: Any, map_layers: MapLayers) -> str:  # a zones row (namedtuple)
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
    lines.append(
        f"<small>{esc(plan.title_text())}; "
        + gettext("control: %(control)s") % {"control": esc(control_label_text(map_layers.layers.control.label))}
        + "</small>"
    )
    return "<br>".join(lines)


def _population_text(row: Any) -> str:  # a zones row (namedtuple)
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
        tooltip = (
            "<b>" + esc(gettext("Line of contact")) + f"</b>, {esc(region_label(row.region, row.region_name))}: {esc(gettext(style.label))} "
            f"({unit_text(row.length_km, 'km')})"
        )
        path = {"color": style.colour, "weight": style.width, "dashArray": style.dash}
        features.append({**geometry(row.geometry), "p": {"tooltip": tooltip, "style": path}})
    label = gettext("Line of contact (%(control)s)") % {"control": esc(control_label_text(map_layers.layers.control.label))}
    return PackedGeoJsonLayer(features, name=label, style={"fill": False, "opacity": 1.0}, pane=LINES_PANE, casing=CONTACT_CASING)


def changes_layers(map_layers: MapLayers) -> list[PackedGeoJsonLayer]:
    """One layer per kind of land changing hands: hatched (given up) or outlined (returned),
    lines on a white casing; clicks go through to the zones beneath."""
    layers = []
    for row in map_layers.changes.itertuples(index=False):
        style = OVERLAY_STYLES[row.kind]
        path = {
            "color": style.colour,
            "weight": style.outline_width,
            "dashArray": style.outline_dash,
            "opacity": 1.0,
            "fill": bool(style.hatch),
            "fillOpacity": 1.0,
            "className": f"peacemap-change-{row.kind}",
        }
        features = [{"g": pack_geometry(row.geometry), "p": {}}]
        layers.append(
            PackedGeoJsonLayer(
                features,
                name=esc(overlay_label(row.kind, map_day(map_layers))),
                style=path,
                pane=ZONES_PANE,
                interactive=False,
                casing=style.casing,
                casing_extra=OVERLAY_CASING_EXTRA,
            )
        )
    return layers


def context_layer(context: MapContext) -> PackedGeoJsonLayer:
    """Neighbouring countries (Ukraine's units cut out), beneath everything, not clickable."""
    features = [{"g": pack_geometry(geometry), "p": {}} for geometry in context.countries.geometry if not geometry.is_empty]
    style = {"color": NEIGHBOUR_BORDER, "weight": 0.8, "fillColor": NEIGHBOUR_FILL, "fillOpacity": 1.0}
    return PackedGeoJsonLayer(features, name=esc(gettext("Neighbouring countries")), style=style, pane=CONTEXT_PANE, interactive=False)


def context_names_layer(context: MapContext) -> LabelledPointsLayer:
    labels = context.labels
    points = [
        {
            "lat": row.lat,
            "lon": row.lon,
            "label": esc(gettext(row.name).upper() if row.kind == "country" else gettext(row.name)),
            "tooltip": "",
            "priority": LABEL_PRIORITY[row.kind] + rank,
            "kind": row.kind,
        }
        for rank, row in enumerate(labels.itertuples(index=False))
    ]
    return LabelledPointsLayer(points, name=esc(gettext("Countries and seas")), class_name="peacemap-context-label", pane=POINTS_PANE, kind="country")


def region_names_layer(labels: pd.DataFrame) -> LabelledPointsLayer:
    """Region names; larger regions win where names would overlap ("Kyiv" over "Kyiv (city)")."""
    order = labels["area_km2"].rank(ascending=False, method="first") if "area_km2" in labels else pd.Series(range(len(labels)))
    points = [
        {
            "lat": row.lat,
            "lon": row.lon,
            "label": esc(region_label(row.code, row.name, short=True)),
            "tooltip": "",
            "priority": LABEL_PRIORITY["region"] + int(rank),
        }
        for row, rank in zip(labels.itertuples(index=False), order, strict=True)
    ]
    return LabelledPointsLayer(points, name=esc(gettext("Region names")), class_name="peacemap-region-label", pane=POINTS_PANE, kind="region")


def places_layer(places: tuple[Place, ...]) -> LabelledPointsLayer:
    """Cities, towns and sites as dots with their names, named in the order given (most important
    first; see :func:`peacemap.maps.places.map_places`)."""
    points = [
        {
            "lat": p.lat,
            "lon": p.lon,
            "label": esc(p.label()),
            "tooltip": f"<b>{esc(p.label())}</b><br>{esc(p.note_text())}",
            "priority": LABEL_PRIORITY["place"] + rank,
        }
        for rank, p in enumerate(places)
    ]
    circle = {"radius": 3.5, "color": "#ffffff", "weight": 1.5, "fillColor": PLACE_COLOUR, "fillOpacity": 1.0, "className": "peacemap-place-dot"}
    return LabelledPointsLayer(points, name=esc(gettext("Cities and towns")), class_name="peacemap-place-label", pane=POINTS_PANE, circle=circle, kind="place")


def add_hromada_layer(fmap: folium.Map, map_layers: MapLayers, *, pane: str) -> None:
    """Add the "Hromadas" layer (off by default) to ``fmap`` when the layers carry territories."""
    drawn = hromadas.drawn_hromadas(map_layers)
    if drawn is None:
        return
    features = [{"g": pack_geometry(row.geometry), "p": {"tooltip": hromada_tooltip(row)}} for row in drawn.itertuples(index=False)]
    from peacemap.layers.report.places import hromada_sources_note

    PackedGeoJsonLayer(
        features, name=esc(gettext(hromadas.LAYER_NAME)), style=hromadas.OUTLINE, pane=pane, show=False, attribution=esc(hromada_sources_note())
    ).add_to(fmap)


def hromada_tooltip(row: Any) -> str:  # a row of the drawn territories (namedtuple)
    """Name (Ukrainian and English), 2022 population and the zones of one hromada, escaped HTML."""
    population = row.population_2022
    people = (
        gettext("no official 2022 figure")
        if population is None or pd.isna(population)
        else f"{count_text(int(population), '%(count)s person', '%(count)s people')} (2022)"
    )
    names = [f"<b>{esc(row.hromada)}</b>"] + ([esc(row.hromada_en)] if current_language() == ENGLISH else [])
    lines = [*names, esc(people)]
    zones = getattr(row, "zones", "")
    if isinstance(zones, str) and zones:
        lines.append(esc(zones))
    return "<br>".join(lines)


def base_map(bounds: list[list[float]], context: MapContext, *, salt: str, self_contained: bool, tiles: bool) -> folium.Map:
    """:func:`new_map` with its base layers: a plain background (shown), OpenStreetMap tiles
    offered if ``tiles`` (off; they need the network), and the neighbouring countries and sea."""
    fmap = new_map(bounds, self_contained=self_contained, salt=salt)
    folium.FeatureGroup(name=esc(gettext("Plain background")), overlay=False, control=True).add_to(fmap)
    if tiles:
        folium.TileLayer("OpenStreetMap", name=esc(gettext("OpenStreetMap (needs network)")), overlay=False, show=False, attr=OSM_TILES_ATTRIBUTION).add_to(
            fmap
        )
    context_layer(context).add_to(fmap)
    return fmap


def map_day(map_layers: MapLayers) -> dt.date | None:
    """The date the map's control shows (the snapshot's, or the one a control file vouches for)."""
    return map_layers.layers.control.as_of
