"""The interactive HTML map of a plan on a date: :func:`build_html_map` returns a ``folium.Map``,
:func:`save_html` (:mod:`peacemap.maps.html.page`) writes it. With ``self_contained=True``
Leaflet's JavaScript and CSS are inlined (see :mod:`peacemap.maps.assets`) and no other script or
stylesheet is linked, so the file works offline and inside any page or iframe. Geometries are
packed (see :mod:`peacemap.maps.packing`)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import folium
import shapely

from peacemap.layers.i18n.catalogue import N_, gettext
from peacemap.layers.i18n.dates import date_text
from peacemap.layers.i18n.source_names import control_label_text
from peacemap.layers.plans.apply import attribution
from peacemap.layers.report.readings import plan_readings
from peacemap.layers.sources.countries import COUNTRIES_ATTRIBUTION
from peacemap.maps.escape import esc
from peacemap.maps.facts import READINGS_IN_POPUPS, Facts, facts_html, readings_caveat, readings_html
from peacemap.maps.html.elements import HtmlBlock
from peacemap.maps.html.layers import (
    add_hromada_layer,
    add_name_layers,
    base_map,
    changes_layers,
    contact_layer,
    zone_layer,
)
from peacemap.maps.html.legend import legend_html
from peacemap.maps.html.page import ZONES_PANE, finish_map
from peacemap.maps.ids import content_id
from peacemap.maps.layout import title_box
from peacemap.maps.legend import map_legend
from peacemap.maps.places import Place
from peacemap.maps.prepare import MapLayers, changes_hands
from peacemap.maps.style import STATUS_STYLES

if TYPE_CHECKING:
    import geopandas as gpd

SIMPLIFICATION_NOTE = N_("Outlines simplified for display (within 100 m); areas from full-resolution outlines.")


# The figures in popups and tooltips (zones' and towns' people) and the towns' positions.
POPULATION_ATTRIBUTION = N_(
    "Population on 1 January 2022: State Statistics Service of Ukraine (a zone's people estimated by peacemap's hromada "
    "model; no official figure for AR Crimea and Sevastopol). Towns placed with GeoNames (CC BY 4.0)."
)


def build_html_map(
    map_layers: MapLayers, *, self_contained: bool = True, tiles: bool = True, places: tuple[Place, ...] | None = None, facts: Facts | None = None
) -> folium.Map:
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
    bounds = focus_bounds(zones)
    salt = map_identity(map_layers)
    fmap = base_map(bounds, map_layers.context, salt=salt, self_contained=self_contained, tiles=tiles)
    source_text = attribution_html(map_layers)
    readings = readings_html(plan_readings(map_layers.layers.plan))
    for status in [s for s in STATUS_STYLES if s in set(zones["status"])]:
        zone_layer(map_layers, status, source_text, readings).add_to(fmap)
    for layer in changes_layers(map_layers):
        layer.add_to(fmap)
    add_hromada_layer(fmap, map_layers, pane=ZONES_PANE)
    contact_layer(map_layers).add_to(fmap)
    add_name_layers(fmap, map_layers, places=places)
    HtmlBlock(_title_html(map_layers)).add_to(fmap)
    HtmlBlock(
        legend_html(
            map_legend(map_layers), fmap.get_name(), caveat=None if facts else readings_caveat(plan_readings(map_layers.layers.plan), READINGS_IN_POPUPS)
        )
    ).add_to(fmap)
    if facts is not None:
        HtmlBlock(facts_html([facts])).add_to(fmap)
    return finish_map(fmap, bounds, salt)


def map_identity(map_layers: MapLayers) -> str:
    """What tells one plan map from another (plan, options, map of control, drawn zones): the salt
    of the map's element ids (:mod:`peacemap.maps.ids`)."""
    layers = map_layers.layers
    zones = hashlib.sha256(b"".join(shapely.to_wkb(map_layers.zones.geometry.values))).hexdigest()
    return content_id(
        layers.plan.id,
        layers.plan.title,
        ",".join(layers.plan.enabled_options),
        layers.control.label,
        layers.control.sha256 or "",
        zones,
        ",".join(map_layers.zones["status"]),
    )


def focus_bounds(zones: gpd.GeoDataFrame) -> list[list[float]]:
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
    return title_box(
        gettext("%(title)s (%(date)s): territorial provisions") % {"title": f"<b>{esc(plan.title_text())}</b>", "date": esc(date_text(plan.date))},
        [
            gettext("Line of contact and control: %(control)s") % {"control": esc(control_label_text(control.label))},
            '<span style="overflow-wrap:anywhere">' + gettext("Plan: %(origin)s") % {"origin": esc(plan.origin_text())} + "</span>",
            *([esc(plan.text_note())] if plan.text_note() else []),
        ],
    )


def attribution_html(map_layers: MapLayers) -> str:
    """Sources of the plan text and of every data layer and figure the map shows, escaped, for
    Leaflet's attribution."""
    plan_source = esc(map_layers.layers.plan.source_line())
    plan_text = gettext("Plan text: %(source)s.") % {"source": plan_source}
    return (
        f"{plan_text} {esc(attribution(map_layers.layers.control))} "
        f"{esc(gettext(POPULATION_ATTRIBUTION))} {esc(gettext(COUNTRIES_ATTRIBUTION))} {esc(gettext(SIMPLIFICATION_NOTE))}"
    )
