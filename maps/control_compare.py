"""An HTML map comparing two maps of control A and B: each one's line of contact, the land only A
or only B counts as occupied (coloured by which source claims it), the land both count as
occupied, and the comparison's table beside the map.

Self-contained like every peacemap map (Leaflet inlined, see :mod:`peacemap.maps.html`).
Untrusted text (control files' names, layers, conditions, plan titles) is escaped with ``esc``
and carried only by elements that render verbatim (never read as a template).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from peacemap.geo.projections import from_metric, to_metric
from peacemap.geo.simplify import round_coordinates
from peacemap.layers.control.split import unit_regions
from peacemap.layers.i18n.catalogue import N_, gettext
from peacemap.layers.i18n.language import ENGLISH, current_language
from peacemap.layers.i18n.names import region_label
from peacemap.layers.i18n.numbers import number_text, unit_text
from peacemap.layers.plans.statuses import Status
from peacemap.layers.report.compare import variant_name
from peacemap.layers.report.contract import figures_under_each
from peacemap.layers.report.control_compare import HEADLINE_MEASURES, ControlComparisonResult, change_lines, comparison_title, source_facts
from peacemap.layers.report.format import km2_text, people_text
from peacemap.layers.report.readings import plan_readings
from peacemap.layers.report.terms import measure_label
from peacemap.maps import html, web
from peacemap.maps.context import map_context
from peacemap.maps.facts import POPULATION_SOURCE, citation, control_citation, readings_caveat, readings_html
from peacemap.maps.ids import content_id
from peacemap.maps.layout import NARROW_PX, legend_box, title_box
from peacemap.maps.packing import pack_geometry
from peacemap.maps.places import SITES, main_cities
from peacemap.maps.prepare import MAP_DECIMALS, MAP_TOLERANCE_M
from peacemap.maps.style import NEIGHBOUR_FILL, OUTLINE, SEA, STATUS_STYLES

# A colour-blind-safe pair (ColorBrewer PuOr): orange for A, purple for B; grey where both agree.
SIDE_COLOURS = ("#e66101", "#5e3c99")
BOTH_COLOUR = "#8c8c8c"
BOTH_OPACITY = 0.6  # over the land's colour: a grey darker than the neighbours' (see tests/test_maps_control_compare.py)
# Land only one source counts as occupied is drawn where a piece is at least this large (km²):
# smaller pieces are the noise of one line converted between formats or CRSs; the table counts them.
MIN_DRAWN_KM2 = 0.01
OUTLINE_TOLERANCE_M = 200.0  # region borders are context only
MAP_WIDTH = "62%"  # of the page; the table takes the rest (below it on narrow pages)
LAND_COLOUR = STATUS_STYLES[Status.UKRAINIAN].fill  # land neither map counts as occupied, as "Ukrainian, unchanged" on plan maps


def control_comparison_map(result: ControlComparisonResult, *, self_contained: bool = True) -> folium.Map:
    """A folium map of ``result`` (see :func:`peacemap.layers.report.control_compare.compare_controls`).

    Layers (switchable): land only A and only B count as occupied, land both count as occupied,
    A's and B's lines of contact, Ukraine's land and region borders, neighbouring countries, region
    names, the main cities. The table of the comparison sits beside the map (right; below it on
    narrow pages), the sources at the bottom of it. Title, legend and sources are laid out as on
    every peacemap map (:mod:`peacemap.maps.layout`).
    """
    regions = unit_regions(result.sides[0].regions)
    bounds = _bounds(result)
    salt = content_id(json.dumps(result.document, sort_keys=True, default=str))
    fmap = html.new_map(bounds, self_contained=self_contained, salt=salt, width=MAP_WIDTH)
    css = _CSS if current_language() == ENGLISH else _CSS + _LONGER_LABELS_CSS
    fmap.get_root().header.add_child(html.raw_element(f"<style>{css}</style>"), name="peacemap_control_css")  # type: ignore[attr-defined]
    folium.FeatureGroup(name=html.esc(gettext("Plain background")), overlay=False, control=True).add_to(fmap)
    context = map_context()
    html.context_layer(context).add_to(fmap)
    attribution = f"{html.esc(result.document['notes']['attribution'])} {html.esc(gettext(html.POPULATION_ATTRIBUTION))}"
    _land_layer(regions).add_to(fmap)
    _both_layer(result, attribution).add_to(fmap)
    for side in (0, 1):
        _only_layer(result, side).add_to(fmap)
    for side in (0, 1):
        _line_layer(result, side).add_to(fmap)
    html.region_names_layer(_labels(regions)).add_to(fmap)
    html.places_layer((*main_cities(), *SITES)).add_to(fmap)
    html.context_names_layer(context).add_to(fmap)
    html.HtmlBlock(_title_html(result)).add_to(fmap)
    html.HtmlBlock(legend_html(result)).add_to(fmap)
    html.HtmlBlock(_table_html(result)).add_to(fmap)
    return html.finish_map(fmap, bounds, salt)


def _side_name(result: ControlComparisonResult, side: int) -> str:
    return html.esc(result.document["sources"][side]["name"])


def _drawn(geometry: BaseGeometry, tolerance_m: float = MAP_TOLERANCE_M) -> BaseGeometry:
    """``geometry`` simplified in the metric projection, rounded to the map's decimals."""
    simplified = shapely.simplify(to_metric(geometry), tolerance_m, preserve_topology=True)
    return round_coordinates(from_metric(simplified), MAP_DECIMALS)


def _only_layer(result: ControlComparisonResult, side: int) -> html.PackedGeoJsonLayer:
    letter, other = "AB"[side], "BA"[side]
    features = []
    for row in result.only[side].itertuples(index=False):
        pieces = [p for p in shapely.get_parts(row.geometry) if _km2(p) >= MIN_DRAWN_KM2]
        if not pieces:
            continue
        tooltip = (
            f"<b>{html.esc(region_label(row.region, row.region_name))}</b>: "
            + html.esc(gettext("occupied under %(side)s, not under %(other)s") % {"side": letter, "other": other})
            + "<br>"
            + html.esc(gettext("%(area)s in this region") % {"area": unit_text(row.area_km2, "km2", places=1)})
        )
        features.append({"g": pack_geometry(_drawn(shapely.union_all(pieces))), "p": {"tooltip": tooltip}})
    style = {"color": SIDE_COLOURS[side], "weight": 0.8, "fillColor": SIDE_COLOURS[side], "fillOpacity": 0.7}
    return html.PackedGeoJsonLayer(features, name=html.esc(gettext("Occupied only under %(side)s") % {"side": letter}), style=style, pane=html.ZONES_PANE)


def _km2(piece: BaseGeometry) -> float:
    from peacemap.geo.area import geodesic_area_km2

    return geodesic_area_km2(piece)


def _both_layer(result: ControlComparisonResult, attribution: str) -> html.PackedGeoJsonLayer:
    """Land both maps count as occupied, for context."""
    zones = result.occupied
    features = []
    for code in zones[0].index:
        both = shapely.intersection(zones[0].at[code, "geometry"], zones[1].at[code, "geometry"])
        if both.is_empty or not both.area:
            continue
        both_text = html.esc(gettext("occupied under A and B"))
        tooltip = f"<b>{html.esc(region_label(code, zones[0].at[code, 'region_name']))}</b>: {both_text}"
        features.append({"g": pack_geometry(_drawn(both)), "p": {"tooltip": tooltip}})
    style = {"color": BOTH_COLOUR, "weight": 0, "fillColor": BOTH_COLOUR, "fillOpacity": BOTH_OPACITY}
    return html.PackedGeoJsonLayer(features, name=html.esc(gettext("Occupied under both")), style=style, pane=html.ZONES_PANE, attribution=attribution)


def _line_layer(result: ControlComparisonResult, side: int) -> html.PackedGeoJsonLayer:
    letter = "AB"[side]
    features = []
    for row in result.sides[side].contact_line.itertuples(index=False):
        line_name = html.esc(gettext("Line of contact under %(side)s") % {"side": letter})
        tooltip = f"<b>{line_name}</b>, {html.esc(region_label(row.region, row.region_name))} ({unit_text(row.length_km, 'km')})"
        features.append({"g": pack_geometry(_drawn(row.geometry)), "p": {"tooltip": tooltip}})
    style = {"color": SIDE_COLOURS[side], "weight": 2.5 if side else 2.0, "opacity": 1.0, "fill": False, "dashArray": None if side else "6 4"}
    return html.PackedGeoJsonLayer(features, name=html.esc(gettext("Line of contact under %(side)s") % {"side": letter}), style=style, pane=html.LINES_PANE)


def _land_layer(regions: gpd.GeoDataFrame) -> html.PackedGeoJsonLayer:
    """Ukraine's land (held under both maps where nothing else is drawn) and its region borders,
    beneath everything: land, Russia and the sea in their own colours, as on every map."""
    features = [{"g": pack_geometry(_drawn(row.geometry, OUTLINE_TOLERANCE_M)), "p": {}} for row in regions.itertuples(index=False)]
    style = {"color": OUTLINE.colour, "weight": OUTLINE.width, "fillColor": LAND_COLOUR, "fillOpacity": 1.0, "interactive": False}
    return html.PackedGeoJsonLayer(features, name=gettext("Ukraine's land and region borders"), style=style, pane=html.ZONES_PANE, interactive=False)


def _labels(regions: gpd.GeoDataFrame) -> pd.DataFrame:
    rows = []
    for row in regions.itertuples(index=False):
        biggest = max(shapely.get_parts(row.geometry), key=lambda part: part.area)
        point = shapely.point_on_surface(biggest)
        rows.append({"code": row.code, "name": row.name, "lon": point.x, "lat": point.y})
    return pd.DataFrame(rows, columns=["code", "name", "lon", "lat"])


def _bounds(result: ControlComparisonResult) -> list[list[float]]:
    """[[south, west], [north, east]] of the land either map counts as occupied."""
    zones = pd.concat(result.occupied, ignore_index=True)
    zones = zones[zones["area_km2"] > 0]
    xmin, ymin, xmax, ymax = gpd.GeoSeries(zones.geometry.values, crs=4326).total_bounds
    return [[ymin, xmin], [ymax, xmax]]


def _title_html(result: ControlComparisonResult) -> str:
    date = result.document["date"]
    title, _, rest = comparison_title(date).partition("?")  # the question in bold
    return title_box(
        f"<b>{html.esc(title)}?</b>{html.esc(rest)}" if rest else f"<b>{html.esc(title)}</b>",
        [f'<b style="color:{SIDE_COLOURS[0]}">A</b>: {_side_name(result, 0)}', f'<b style="color:{SIDE_COLOURS[1]}">B</b>: {_side_name(result, 1)}'],
    )


def legend_html(result: ControlComparisonResult) -> str:
    del result  # the legend is the same for every comparison
    rows = [
        _swatch_row(SIDE_COLOURS[0], gettext("Occupied only under %(side)s") % {"side": "A"}),
        _swatch_row(SIDE_COLOURS[1], gettext("Occupied only under %(side)s") % {"side": "B"}),
        _swatch_row(BOTH_COLOUR, gettext("Occupied under both"), opacity=BOTH_OPACITY),
        _swatch_row(LAND_COLOUR, gettext("Held by Ukraine under both"), opacity=1.0, edge=OUTLINE.colour),
        _swatch_row(NEIGHBOUR_FILL, gettext("Russia and other neighbours"), opacity=1.0, edge="#ffffff"),
        _swatch_row(SEA, gettext("Sea"), opacity=1.0),
        _line_row(SIDE_COLOURS[0], gettext("Line of contact under %(side)s") % {"side": "A"}, dash="6 4"),
        _line_row(SIDE_COLOURS[1], gettext("Line of contact under %(side)s") % {"side": "B"}),
    ]
    note = gettext("Pieces under %(area)s are counted in the table, not drawn.") % {"area": unit_text(MIN_DRAWN_KM2, "km2", places=_decimals(MIN_DRAWN_KM2))}
    return legend_box(html.esc(gettext("Where A and B disagree")), rows, note=html.esc(note) + " " + html.esc(gettext("Sources: with the table.")))


def _decimals(value: float) -> int:
    """The decimals ``value`` is written with (as ``str`` writes it): 0 for 1.0, 1 for 0.5."""
    return 0 if float(value).is_integer() else len(str(value).split(".")[1])


def _swatch_row(colour: str, label: str, *, opacity: float = 0.7, edge: str | None = None) -> str:
    swatch = f'<svg width="22" height="14"><rect width="22" height="14" fill="{colour}" fill-opacity="{opacity}" stroke="{edge or colour}"/></svg>'
    return f"{swatch} {html.esc(label)}"


def _line_row(colour: str, label: str, dash: str | None = None) -> str:
    pattern = f' stroke-dasharray="{dash}"' if dash else ""
    swatch = f'<svg width="22" height="14"><line x1="0" y1="7" x2="22" y2="7" stroke="{colour}" stroke-width="2.5"{pattern}/></svg>'
    return f"{swatch} {html.esc(label)}"


def _table_html(result: ControlComparisonResult) -> str:
    """The comparison's figures beside the map: the plan's headline under each, then by region."""
    document = result.document
    plan = result.sides[0].plan
    under_a_head, under_b_head = html.esc(gettext("under A")), html.esc(gettext("under B"))
    head = [
        f"<p>{html.esc(plan.title_text())} (<code>{html.esc(variant_name(plan))}</code>)</p>",
        f'<table class="peacemap-headline"><tr><th></th><th>{under_a_head}</th><th>{under_b_head}</th></tr>',
    ]
    for measure in HEADLINE_MEASURES:
        under_a, under_b = figures_under_each(document["headline"], measure)
        cells = "".join(f"<td>{html.esc(km2_text(under['area_km2']))}<br><small>{html.esc(_people_line(under))}</small></td>" for under in (under_a, under_b))
        head.append(f"<tr><th>{html.esc(measure_label(measure))}</th>{cells}</tr>")
    head.append("</table>")
    head += [f"<p>{html.esc(line)}</p>" for line in change_lines(document)]
    if plan.text_note():
        head.append(f"<p>{html.esc(plan.text_note())}</p>")
    head = [_facts_box(result, "".join(head))]
    heading, region_head, only_a, only_b = (html.esc(gettext(text)) for text in (N_("Occupied land by region, km²"), N_("Region"), N_("only A"), N_("only B")))
    rows = [
        f"<h2>{heading}</h2>",
        f"<table><tr><th>{region_head}</th><th>A</th><th>B</th>"
        f'<th style="color:{SIDE_COLOURS[0]}">{only_a}</th><th style="color:{SIDE_COLOURS[1]}">{only_b}</th></tr>',
    ]
    for region in document["regions"]:
        if not any(region["occupied_km2"]) and not region["only_a_km2"] and not region["only_b_km2"]:
            continue
        rows.append(
            f"<tr><th>{html.esc(region_label(region['code'], region['name'], short=True))}</th>"
            + "".join(f"<td>{number_text(value, places=1)}</td>" for value in (*region["occupied_km2"], region["only_a_km2"], region["only_b_km2"]))
            + "</tr>"
        )
    totals = document["totals"]
    rows.append(
        "<tr><th>"
        + html.esc(gettext("All regions"))
        + "</th>"
        + "".join(f"<td>{number_text(value, places=1)}</td>" for value in (*totals["occupied_km2"], totals["only_a_km2"], totals["only_b_km2"]))
        + "</tr></table>"
    )
    sources = ["<h2>" + html.esc(gettext("Sources")) + "</h2>"]
    for letter, source in zip("AB", document["sources"], strict=True):
        facts = source_facts(source)
        sources.append(
            f"<p><b>{letter}</b>: {html.esc(source['name'])}; {html.esc(source.get('attribution', ''))}"
            + (f"<br><small>{html.esc('; '.join(facts))}</small>" if facts else "")
            + "</p>"
        )
    notes = document["notes"]
    sources += [f"<p><small>{html.esc(note)}</small></p>" for note in (notes["area"], notes["population"], notes["attribution"])]
    return f'<div class="peacemap-control-table">{"".join(head + rows + sources)}</div>'


def _people_line(figures: Mapping[str, Any]) -> str:
    """``683,654 (675,369 – 725,781) people on 1 January 2022``."""
    return gettext("%(people)s people on 1 January 2022") % {"people": people_text(figures)}


def _facts_box(result: ControlComparisonResult, headline: str) -> str:
    """The fact box of the comparison, at the top of the side panel (it covers no land): the
    plan's headline under each map (``headline``, HTML), the caveat on the plan's readings and the
    readings in full, the sources and one sentence to cite the figures by."""
    document, plan = result.document, result.sides[0].plan
    readings = plan_readings(plan)
    lines = "; ".join(f"{letter}: {control_citation(source)}" for letter, source in zip("AB", document["sources"], strict=True))
    cite = citation(variant_name(plan), plan.source_line(), lines)
    # The catalogue's own words, written as they are (an apostrophe stays one).
    summary, cite_as = gettext("The plan's headline under each map"), html.esc(gettext("Cite as:"))
    return (
        f'<details class="peacemap-facts peacemap-facts-panel" open><summary><b>{summary}</b></summary>'
        f'{headline}<p class="peacemap-fact-caveat">{html.esc(readings_caveat(readings, READINGS_BELOW))}</p>'
        f"{readings_html(readings)}"
        f'<p class="peacemap-fact-sources">{html.esc(gettext(POPULATION_SOURCE))}</p>'
        f'<p class="peacemap-fact-cite"><b>{cite_as}</b> <span class="peacemap-citation">{html.esc(cite)}</span></p></details>'
    )


READINGS_BELOW = N_("in full below")


_CSS = web.style("control_compare.css", map_width=MAP_WIDTH, narrow_max=NARROW_PX - 1)
# Written in a language whose names run longer (Ukrainian: "Дніпропетровська обл."), the table of a
# narrow page keeps to its width with tighter cells (the English page keeps its own style).
_LONGER_LABELS_CSS = web.style("control_compare_longer_labels.css", narrow_max=NARROW_PX - 1)
