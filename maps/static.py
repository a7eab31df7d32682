"""Static map of a plan (matplotlib) for print and reports, styled like the HTML map.

:func:`static_map` returns a matplotlib Figure drawn in the Lambert azimuthal equal-area
projection centred on Ukraine (:data:`peacemap.geo.projections.UKRAINE_LAEA`), framed on the
land the plan changes, with the sea and neighbouring countries around it, a legend, a scale bar
and a locator of Ukraine in Europe; :func:`save_static` writes it as PNG, SVG (names and legend
kept as ``<text>`` elements, so a desk can edit and translate them) or PDF (fonts embedded as
TrueType, text selectable).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib
import numpy as np
import shapely
import shapely.ops
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

from peacemap.geo.projections import UKRAINE_LAEA
from peacemap.layers.i18n.catalogue import gettext
from peacemap.layers.i18n.dates import date_text
from peacemap.layers.i18n.names import region_label
from peacemap.layers.i18n.source_names import control_label_text
from peacemap.layers.plans.apply import attribution
from peacemap.layers.plans.statuses import Status
from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL
from peacemap.layers.report.readings import plan_readings
from peacemap.layers.sources.countries import COUNTRIES_ATTRIBUTION, NEIGHBOURS
from peacemap.layers.writing import atomic_write
from peacemap.maps import furniture
from peacemap.maps.context import SEA_LABELS, europe
from peacemap.maps.facts import READINGS_IN_REPORT, Facts, readings_caveat
from peacemap.maps.furniture import figure_size_in
from peacemap.maps.legend import LEGEND_TITLE, LegendEntry, map_legend
from peacemap.maps.mpl import add_lines, add_polygons
from peacemap.maps.places import Place, map_places
from peacemap.maps.prepare import PRINT_SIMPLIFICATION_NOTE, MapLayers, for_print
from peacemap.maps.static_facts import FactLines, draw_facts, facts_height_in, fitted_fact_lines
from peacemap.maps.static_labels import Label, halos_off, halos_on, place_labels, svg_halos_as_text
from peacemap.maps.style import (
    CONTACT_CASING,
    CONTACT_CASING_EXTRA,
    COUNTRY_LABEL_COLOUR,
    NEIGHBOUR_BORDER,
    NEIGHBOUR_FILL,
    OUTLINE,
    OVERLAY_STYLES,
    PLACE_COLOUR,
    SEA,
    SEA_LABEL_COLOUR,
    STATUS_STYLES,
    UKRAINE_BORDER,
    contact_style,
)

FIGSIZE_IN = (12.0, 9.5)
FORMATS = ("png", "svg", "pdf")
FRAME_MARGIN = 0.05  # share of the framed extent added on each side
CLIP_MARGIN = 0.02  # share of the frame's width drawn beyond each edge (hidden by the frame)
PX_TO_PT = 0.6  # HTML line widths (CSS px) to static ones (points), as drawn before
# Text sizes (points) on the default 12 x 9.5 in figure; other sizes scale them (see _font_scale),
# down to MIN_FONT_PT, below which names cannot be read on a phone-sized image.
MIN_FONT_PT = 6.0
FONT_PT = {"title": 13.0, "legend": 9.0, "region": 9.0, "place": 7.5, "country": 8.5, "sea": 8.0, "notes": 6.5, "scale": 7.0, "facts": 7.5}

_SAVE_RC = {
    "svg.fonttype": "none",  # text as <text>, not outlined glyphs
    "svg.hashsalt": "peacemap",  # stable ids: the same map gives the same bytes
    "svg.id": "peacemap-map",
    "pdf.fonttype": 42,  # TrueType, so the PDF's text can be selected and edited
    "hatch.linewidth": 1.0,
}
_METADATA = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}, "png": {}}


def static_map(
    map_layers: MapLayers,
    *,
    figsize_in: tuple[float, float] = FIGSIZE_IN,
    places: Sequence[Place] | None = None,
    facts: Facts | None = None,
    extent: tuple[float, float, float, float] | None = None,
) -> Figure:
    """A matplotlib Figure of the plan's zones, the land changing hands, the line of contact,
    names, cities, towns and sites (``places``, most important first; default
    :func:`peacemap.maps.places.map_places` of the zones), legend, scale bar and locator, and
    below them the fact box ``facts`` (:func:`peacemap.maps.facts.report_facts`; None for none,
    the caveat on the readings then joins the sources).

    ``map_layers`` are simplified further for print (:func:`peacemap.maps.prepare.for_print`);
    ``figsize_in`` is the figure size in inches (width, height). Text sizes scale with the
    figure's area (0.6 to 1.5 times their size on the default 12 x 9.5 in). ``extent`` (xmin,
    ymin, xmax, ymax in the map's LAEA metres, as :func:`map_extent` gives it) fixes the frame, so that the frames of a video
    show the same ground (default: framed on the land the plan changes).
    """
    drawn = for_print(map_layers)
    scale = _font_scale(figsize_in)
    # A bare Figure (no pyplot): no GUI backend, no global figure registry to leak into.
    engine = ConstrainedLayoutEngine()
    fig = Figure(figsize=figsize_in, layout=engine)
    _title(fig, drawn, scale)
    footer_in = _sources(fig, drawn, scale, caveat=None if facts else readings_caveat(plan_readings(drawn.layers.plan), READINGS_IN_REPORT))
    band = _fact_band(facts, figsize_in, footer_in, scale) if facts is not None else None
    # The map, legend and locator are laid out above the fact box and the sources, which are set
    # here (their height is known from their lines).
    below = (footer_in + (band[2] if band else 0.0)) / figsize_in[1]
    engine.set(rect=(0.0, below, 1.0, 1.0 - below))
    map_ax, legend_ax, locator_ax = _axes(fig, figsize_in)
    _legend(legend_ax, drawn, scale)
    fig.draw_without_rendering()  # lays the figure out: the map's box is now known
    if band is not None:
        lines, facts_pt, band_in = band
        facts_ax = fig.add_axes((BAND_MARGIN_IN / figsize_in[0], footer_in / figsize_in[1], 1 - 2 * BAND_MARGIN_IN / figsize_in[0], band_in / figsize_in[1]))
        facts_ax.set_in_layout(False)
        draw_facts(facts_ax, lines, facts_pt)
    zones = drawn.zones.to_crs(UKRAINE_LAEA)
    if extent is None:
        extent = _frame(map_ax, zones)
    else:
        map_ax.set_xlim(extent[0], extent[2])
        map_ax.set_ylim(extent[1], extent[3])
        map_ax.set_aspect("equal", adjustable="box")
    _draw_context(map_ax, drawn, extent)
    _draw_zones(map_ax, _clipped(zones, extent))
    _draw_changes(map_ax, _clipped(drawn.changes.to_crs(UKRAINE_LAEA), extent))
    _draw_contact_line(map_ax, _clipped(drawn.contact_line.to_crs(UKRAINE_LAEA), extent))
    furniture.draw_locator(locator_ax, europe(), _ukraine(drawn), extent)
    fig.draw_without_rendering()
    places = map_places(drawn.layers.zones) if places is None else places
    dots = _place_dots(map_ax, places)
    bar = furniture.draw_scale_bar(map_ax, fontsize=_pt("scale", scale))
    shown = place_labels(map_ax, _labels(drawn, extent, scale, places, dots), obstacles=[bar, *dots], dots=dots)
    named = {label.key for label in shown}
    _draw_places(map_ax, [place for place in places if place in named])
    # Fix the layout: names were placed on it, and re-running it at each save would move axes by
    # rounding errors (and change the SVG's clip ids, so the same map would not give the same bytes).
    fig.set_layout_engine("none")
    return fig


def map_extent(fig: Figure) -> tuple[float, float, float, float]:
    """The ground a figure of :func:`static_map` shows: (xmin, ymin, xmax, ymax), LAEA metres."""
    (xmin, xmax), (ymin, ymax) = fig.axes[0].get_xlim(), fig.axes[0].get_ylim()
    return xmin, ymin, xmax, ymax


def save_static(fig: Figure, target: Path, *, fmt: str = "png", dpi: int = 200) -> Path:
    """Write ``fig`` to ``target`` as ``fmt`` ("png", "svg" or "pdf") atomically; ``dpi`` for PNG."""
    if fmt not in FORMATS:
        raise ValueError(f"'fmt' must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return atomic_write(Path(target), lambda path: write_static(fig, path, fmt=fmt, dpi=dpi))


def write_static(fig: Figure, target: Path, *, fmt: str, dpi: int) -> None:
    """Write ``fig`` to ``target`` with the same bytes for the same map: SVG text (names, halos,
    legend, title) as ``<text>``, PDF fonts as TrueType, no creation date."""
    with matplotlib.rc_context(_SAVE_RC):  # type: ignore[arg-type]  # the stub wants each key as a Literal
        if fmt != "svg":
            fig.savefig(target, format=fmt, dpi=dpi, facecolor="white", metadata=_METADATA[fmt])
            return
        saved = halos_off(fig)
        try:
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", dpi=dpi, facecolor="white", metadata=_METADATA[fmt])
        finally:
            halos_on(saved)
    Path(target).write_text(svg_halos_as_text(buffer.getvalue()), encoding="utf-8")


def _font_scale(figsize_in: tuple[float, float]) -> float:
    width, height = figsize_in
    return min(1.5, max(0.6, math.sqrt(width * height / (FIGSIZE_IN[0] * FIGSIZE_IN[1]))))


def _pt(kind: str, scale: float) -> float:
    """Size (points) of the text of ``kind`` on a figure whose text is scaled by ``scale``."""
    return max(MIN_FONT_PT, FONT_PT[kind] * scale)


# The fact box takes at most this share of the height the title and the sources leave: on a small
# figure it is set more compactly (fitted_fact_lines) rather than leave the map no room.
MAX_FACTS_SHARE = 0.35
TITLE_IN = 0.6  # the title's height, roughly (two lines)
BAND_MARGIN_IN = 0.1  # the fact box's margin left and right (inches)


def _fact_band(facts: Facts, figsize_in: tuple[float, float], footer_in: float, scale: float) -> tuple[FactLines, float, float]:
    """The fact box's lines, their size (points) and the band's height (inches) on a figure of
    ``figsize_in`` whose sources take ``footer_in`` inches at the bottom."""
    width_in = figsize_in[0] - 2 * BAND_MARGIN_IN
    room_in = MAX_FACTS_SHARE * max(0.5, figsize_in[1] - TITLE_IN - footer_in)
    lines, size = fitted_fact_lines(facts, width_in, room_in, _pt("facts", scale))
    return lines, size, facts_height_in(lines, size)  # all of it, even where the smallest text does not fit the room


def _axes(fig: Figure, figsize_in: tuple[float, float]) -> tuple[Axes, Axes, Axes]:
    """The map, and beside it (landscape) or below it (portrait) the legend over the locator."""
    width, height = figsize_in
    if width >= 1.1 * height:
        grid = fig.add_gridspec(2, 2, width_ratios=(3.0, 1.0), height_ratios=(1.6, 1.0))
        map_ax, legend_ax, locator_ax = fig.add_subplot(grid[:, 0]), fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, 1])
    else:
        grid = fig.add_gridspec(2, 2, width_ratios=(1.8, 1.0), height_ratios=(3.0, 1.1))
        map_ax, legend_ax, locator_ax = fig.add_subplot(grid[0, :]), fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[1, 1])
    legend_ax.set_axis_off()
    map_ax.set_facecolor(SEA)  # the sea: the axes patch stays visible (no set_axis_off)
    map_ax.set_xticks([])
    map_ax.set_yticks([])
    for spine in map_ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.6)
    return map_ax, legend_ax, locator_ax


def _title(fig: Figure, drawn: MapLayers, scale: float) -> None:
    plan, control = drawn.layers.plan, drawn.layers.control
    # parse_math=False: plan and control-file text is shown as written; "$...$" in it is not
    # mathtext (which would restyle it, or fail on an unknown command such as "$\x$").
    title = gettext("%(title)s (%(date)s): territorial provisions") % {"title": plan.title_text(), "date": date_text(plan.date)}
    control_line = gettext("Control: %(control)s") % {"control": control_label_text(control.label)}
    fig.suptitle(f"{title}\n{control_line}", x=0.01, ha="left", fontsize=_pt("title", scale), parse_math=False)


NOTES_LINE_SPACING = 1.2  # matplotlib's own, for a text of several lines


def _sources(fig: Figure, drawn: MapLayers, scale: float, *, caveat: str | None) -> float:
    """The sources at the foot of the figure (with ``caveat``, the readings' line, first when there
    is no fact box); returns the height they take (inches)."""
    plan, control = drawn.layers.plan, drawn.layers.control
    plan_text = gettext("Plan text: %(source)s.") % {"source": plan.source_line()}
    notes = f"{plan_text} {attribution(control)} {gettext(COUNTRIES_ATTRIBUTION)} {gettext(PRINT_SIMPLIFICATION_NOTE)}"
    notes = " ".join(part for part in (caveat, plan.text_note(), notes) if part)
    notes_pt = max(5.0, FONT_PT["notes"] * scale)  # the sources may be smaller than names
    # Characters per line: the figure's width over an average glyph of about half the text size.
    text = textwrap.fill(notes, int(fig.get_figwidth() * 72 / (notes_pt * 0.62)))
    fig.text(
        0.01,
        FOOT_PAD_IN / fig.get_figheight(),
        text,
        ha="left",
        va="bottom",
        fontsize=notes_pt,
        color="#444444",
        parse_math=False,
        gid="sources",
        in_layout=False,
    )
    return (len(text.splitlines()) * notes_pt * NOTES_LINE_SPACING) / 72 + 2 * FOOT_PAD_IN


FOOT_PAD_IN = 0.06  # space below the sources and above them (inches)


def _frame(ax: Axes, zones: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """Frame the zones the plan changes (all zones if it changes none), widened to the shape of
    the map's box so that no space is lost; returns (xmin, ymin, xmax, ymax) in metres."""
    changed = zones[zones["status"] != Status.UKRAINIAN]
    xmin, ymin, xmax, ymax = (changed if len(changed) else zones).total_bounds
    pad = FRAME_MARGIN * max(xmax - xmin, ymax - ymin)
    xmin, ymin, xmax, ymax = xmin - pad, ymin - pad, xmax + pad, ymax + pad
    box = ax.get_position()
    width_in, height_in = figure_size_in(ax)
    box_aspect = (box.width * width_in) / (box.height * height_in)
    cx, cy, width, height = (xmin + xmax) / 2, (ymin + ymax) / 2, xmax - xmin, ymax - ymin
    if width / height < box_aspect:
        width = height * box_aspect
    else:
        height = width / box_aspect
    extent = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    return extent


def _clipped(frame: gpd.GeoDataFrame, extent: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """``frame`` cut to a little more than the map's ``extent``: what lies outside is never
    seen, and would only make SVG and PDF files larger (the cut edges fall outside the frame)."""
    xmin, ymin, xmax, ymax = extent
    margin = CLIP_MARGIN * (xmax - xmin)
    clipped = shapely.clip_by_rect(frame.geometry.values, xmin - margin, ymin - margin, xmax + margin, ymax + margin)
    return frame.assign(geometry=clipped)[~shapely.is_empty(clipped)]


def _draw_context(ax: Axes, drawn: MapLayers, extent: tuple[float, float, float, float]) -> None:
    countries = _clipped(drawn.context.countries.to_crs(UKRAINE_LAEA), extent)
    add_polygons(ax, countries.geometry.values, facecolor=NEIGHBOUR_FILL, edgecolor=NEIGHBOUR_BORDER, linewidth=0.6, zorder=1)


def _draw_zones(ax: Axes, zones: gpd.GeoDataFrame) -> None:
    for status, style in STATUS_STYLES.items():
        part = zones[zones["status"] == status]
        if len(part):
            add_polygons(
                ax,
                part.geometry.values,
                facecolor=style.fill,
                edgecolor=OUTLINE.colour,
                linewidth=OUTLINE.width,
                hatch=style.hatch or None,
                hatchcolor=style.hatch_colour or OUTLINE.colour,
                zorder=2,
            )
    country = shapely.coverage_union_all(zones.geometry.values)
    add_lines(ax, [country.boundary], colors=UKRAINE_BORDER.colour, linewidths=UKRAINE_BORDER.width * 0.8, zorder=2.5)


def _draw_changes(ax: Axes, changes: gpd.GeoDataFrame) -> None:
    """Hatch and outline the land that changes hands, each line on a white casing."""
    for row in changes.itertuples(index=False):
        style = OVERLAY_STYLES[row.kind]
        if style.hatch:
            for colour, width in ((style.casing, 2.6), (style.colour, 0.9)):
                add_polygons(ax, [row.geometry], facecolor="none", edgecolor="none", hatch=style.hatch, hatchcolor=colour, hatch_linewidth=width, zorder=3)
        dashes: Any = (0, tuple(float(v) for v in style.outline_dash.split())) if style.outline_dash else "solid"
        add_lines(ax, [row.geometry.boundary], colors=style.casing, linewidths=style.outline_width + 1.6, zorder=3.1)
        add_lines(ax, [row.geometry.boundary], colors=style.colour, linewidths=style.outline_width, linestyles=[dashes], zorder=3.2)


def _draw_contact_line(ax: Axes, lines: gpd.GeoDataFrame) -> None:
    for row in lines.itertuples(index=False):
        style = contact_style(row.rule)
        dashes = (0, tuple(float(v) for v in style.dash.split())) if style.dash else "solid"
        add_lines(ax, [row.geometry], colors=CONTACT_CASING, linewidths=(style.width + CONTACT_CASING_EXTRA) * PX_TO_PT, zorder=4, capstyle="round")
        add_lines(ax, [row.geometry], colors=style.colour, linewidths=style.width * PX_TO_PT, linestyles=[dashes], zorder=4.1)


def _projected(places: Sequence[Place]) -> gpd.GeoSeries:
    return gpd.GeoSeries(gpd.points_from_xy([p.lon for p in places], [p.lat for p in places]), crs=4326).to_crs(UKRAINE_LAEA)


def _place_dots(ax: Axes, places: Sequence[Place]) -> list[Bbox]:
    """The extent of each place's dot (display coordinates), in the order of ``places``."""
    points = _projected(places)
    radius = 3.0 * ax.figure.dpi / 72
    centres = ax.transData.transform(np.column_stack([points.x, points.y])) if len(places) else np.empty((0, 2))
    return [Bbox.from_extents(x - radius, y - radius, x + radius, y + radius) for x, y in centres]


def _draw_places(ax: Axes, places: Sequence[Place]) -> None:
    """Dots for the places whose names were placed (a dot is never left without its name)."""
    if places:
        points = _projected(places)
        ax.scatter(points.x, points.y, s=16, color=PLACE_COLOUR, edgecolor="white", linewidth=0.7, zorder=6, gid="places")


def _labels(drawn: MapLayers, extent: tuple[float, float, float, float], scale: float, places: Sequence[Place], dots: list[Bbox]) -> list[Label]:
    """Places (most important first, each with its dot), region names (largest first),
    neighbouring countries and seas."""

    def projected(lons: list[float], lats: list[float]) -> gpd.GeoSeries:
        return gpd.GeoSeries(gpd.points_from_xy(lons, lats), crs=4326).to_crs(UKRAINE_LAEA)

    labels = []
    style = {"fontsize": _pt("place", scale), "color": "#111111", "zorder": 7}
    for rank, (place, point, dot) in enumerate(zip(places, _projected(places), dots, strict=True)):
        labels.append(Label(place.label(), point.x, point.y, "place", rank, style, dot=dot, key=place))
    regions = drawn.labels.sort_values("area_km2", ascending=False)
    names = [region_label(code, name, short=True) for code, name in zip(regions["code"], regions["name"], strict=True)]
    for rank, (name, point) in enumerate(zip(names, projected(list(regions["lon"]), list(regions["lat"])), strict=True)):
        style = {"fontsize": _pt("region", scale), "fontweight": "bold", "color": "#222222", "zorder": 6.5}
        labels.append(Label(name, point.x, point.y, "region", rank, style))
    style = {"fontsize": _pt("country", scale), "color": COUNTRY_LABEL_COLOUR, "zorder": 6}
    labels += [Label(gettext(name).upper(), x, y, "country", rank, style) for rank, (name, x, y) in enumerate(_country_points(drawn, extent))]
    style = {"fontsize": _pt("sea", scale), "color": SEA_LABEL_COLOUR, "fontstyle": "italic", "zorder": 6}
    labels += [Label(gettext(name), x, y, "sea", rank, style) for rank, (name, x, y) in enumerate(_sea_points(extent))]
    return labels


def _inner(extent: tuple[float, float, float, float], share: float = 0.08) -> shapely.Polygon:
    xmin, ymin, xmax, ymax = extent
    dx, dy = share * (xmax - xmin), share * (ymax - ymin)
    return shapely.box(xmin + dx, ymin + dy, xmax - dx, ymax - dy)


def _country_points(drawn: MapLayers, extent: tuple[float, float, float, float]) -> list[tuple[str, float, float]]:
    """Each neighbour seen in the frame, at the most open point of its largest visible part."""
    inner = _inner(extent)
    countries = drawn.context.countries.to_crs(UKRAINE_LAEA)
    points = []
    for code, name in NEIGHBOURS.items():
        shape = shapely.intersection(shapely.union_all(countries.geometry.values[countries["iso_n3"] == code]), inner)
        if shape.area < 0.01 * inner.area:
            continue
        point = shapely.ops.polylabel(max(shapely.get_parts(shape), key=lambda part: part.area), tolerance=1000.0)
        points.append((name, point.x, point.y))
    return points


def _sea_points(extent: tuple[float, float, float, float]) -> list[tuple[str, float, float]]:
    """Each sea at the first of its label positions inside the frame."""
    inner, points = _inner(extent), {}
    for name, lon, lat in SEA_LABELS:
        point = gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs=4326).to_crs(UKRAINE_LAEA).iloc[0]
        if name not in points and inner.contains(point):
            points[name] = (name, point.x, point.y)
    return list(points.values())


# Bump when the locator's outline changes meaning without a change of code.
LOCATOR_METHOD = 1


def _ukraine(drawn: MapLayers) -> shapely.Geometry:
    """Ukraine's land as one shape (EPSG:4326), from the regions (geoBoundaries), for the locator;
    kept in the disk cache under the regions' outlines (their union takes a quarter of a second)."""
    from peacemap.layers.sources.cache import cached, geometries_digest, geometries_dumps, geometries_loads, make_key

    regions = drawn.layers.regions
    units = regions.loc[regions["code"] != CRIMEA_WITH_SEVASTOPOL, "geometry"].to_numpy()
    key = make_key("locator-outline", method=LOCATOR_METHOD, code=__name__, sources=[geometries_digest(units)])
    outline = cached(
        "locator-outline", key, lambda: np.array([shapely.simplify(shapely.union_all(units), 0.02)], dtype=object), dump=geometries_dumps, load=geometries_loads
    )
    return outline[0]


LEGEND_WRAP = 36  # characters per line of a legend entry


def _legend(ax: Axes, drawn: MapLayers, scale: float) -> None:
    handles = legend_handles(map_legend(drawn))
    for handle in handles:
        handle.set_label(textwrap.fill(handle.get_label(), LEGEND_WRAP))
    ax.legend(
        handles=handles,
        loc="upper left",
        fontsize=_pt("legend", scale),
        frameon=False,
        title=gettext(LEGEND_TITLE),
        title_fontsize=_pt("legend", scale) + 1,
        alignment="left",
        borderaxespad=0.0,
    )


def legend_handles(entries: Iterable[LegendEntry]) -> list:
    """The matplotlib handles of ``entries`` (:func:`peacemap.maps.legend.map_legend`: only what the
    map shows)."""
    handles: list[Artist] = []
    for entry in entries:
        dashes: Any = (0, tuple(float(v) for v in entry.dash.split())) if entry.dash else "solid"
        if entry.kind == "status":
            handles.append(Patch(facecolor=entry.fill, edgecolor=entry.edge, hatch=entry.hatch or None, linewidth=0.5, label=entry.label))
        elif entry.kind == "change" and entry.hatch:
            handles.append(
                Patch(facecolor=entry.fill, edgecolor=entry.edge, hatch=entry.hatch, hatchcolor=entry.hatch_colour, linewidth=1.2, label=entry.label)
            )
        elif entry.kind == "change":
            handles.append(Patch(facecolor="none", edgecolor=entry.edge, linestyle=dashes, linewidth=entry.width, label=entry.label))
        elif entry.kind == "line":
            handles.append(Line2D([], [], color=entry.edge, linewidth=entry.width * PX_TO_PT, linestyle=dashes, label=entry.label))
        else:
            handles.append(Line2D([], [], marker="o", color="none", markerfacecolor=entry.fill, markeredgecolor=entry.edge, label=entry.label))
    return handles


# --------------------------------------------------------------------------------------------
# The caption of a frame of a film (issue 31): its date, and the key figures and source of a frame
# without a fact box.


def add_frame_caption(fig: Figure, *, day: str, figures: Sequence[tuple[str, str]] = (), source: str | None = None) -> None:
    """Write a frame's date (large) at the top left of the map of ``fig`` (the first axes), and
    under it, in a white box, its key ``figures`` (label: value) and its ``source`` where given (a
    frame without a fact box), so that each frame of a film says what it shows and where from."""
    map_ax = fig.axes[0]
    scale = _font_scale((fig.get_figwidth(), fig.get_figheight()))
    box = {"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "#888888", "alpha": 0.92}
    map_ax.text(
        0.015,
        0.985,
        day,
        transform=map_ax.transAxes,
        ha="left",
        va="top",
        fontsize=_pt("title", scale) * 1.6,
        fontweight="bold",
        bbox=box,
        parse_math=False,
        zorder=30,
        gid="frame-date",
    )
    lines = [f"{label}: {value}" for label, value in figures] + ([gettext("Source: %(source)s") % {"source": source}] if source else [])
    if not lines:
        return
    # Lines wrapped to the map's width: an average glyph is about 0.6 of the text size wide.
    width_chars = int(map_ax.get_position().width * fig.get_figwidth() * 72 / (_pt("legend", scale) * 0.6)) - 4
    text = "\n".join(textwrap.fill(line, width_chars, subsequent_indent="  ") for line in lines)
    map_ax.text(
        0.015,
        0.90,
        text,
        transform=map_ax.transAxes,
        ha="left",
        va="top",
        fontsize=_pt("legend", scale),
        bbox=box,
        parse_math=False,
        zorder=30,
        gid="frame-caption",
    )
