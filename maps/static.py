"""Static map of a plan (matplotlib) for print and reports, styled like the HTML map.

:func:`static_map` returns a matplotlib Figure drawn in the Lambert azimuthal equal-area
projection centred on Ukraine (:data:`peacemap.geo.projections.UKRAINE_LAEA`), framed on the
land the plan changes; :func:`save_static` writes it as PNG or SVG.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import geopandas as gpd
import matplotlib
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from peacemap.geo.projections import UKRAINE_LAEA
from peacemap.layers.writing import atomic_write
from peacemap.layers.plans.apply import attribution
from peacemap.layers.plans.statuses import UKRAINIAN
from peacemap.maps.html import SIMPLIFICATION_NOTE
from peacemap.maps.places import KEY_PLACES
from peacemap.maps.prepare import MapLayers
from peacemap.maps.style import (
    BACKGROUND,
    CONTACT_FROZEN,
    CONTACT_OTHER,
    OUTLINE,
    PLACE_COLOUR,
    STATUS_STYLES,
    contact_style,
)

FRAME_MARGIN = 0.06  # share of the framed extent added on each side
_HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]


def static_map(map_layers: MapLayers, *, figsize_in: tuple[float, float] = (12.0, 9.5)) -> Figure:
    """A matplotlib Figure of the plan's zones, line of contact, names, key places and legend.

    ``figsize_in`` is the figure size in inches (width, height).
    """
    zones = map_layers.zones.to_crs(UKRAINE_LAEA)
    # A bare Figure (no pyplot): no GUI backend, no global figure registry to leak into.
    fig = Figure(figsize=figsize_in, layout="constrained")
    ax = fig.subplots()
    ax.set_facecolor(BACKGROUND)
    with matplotlib.rc_context({"hatch.linewidth": 1.2}):
        for status, style in STATUS_STYLES.items():
            part = zones[zones["status"] == status]
            if len(part):
                part.plot(ax=ax, facecolor=style.fill, edgecolor=style.hatch_colour or "none", hatch=style.hatch or None, linewidth=0)
    zones.boundary.plot(ax=ax, color=OUTLINE.colour, linewidth=OUTLINE.width)
    _draw_contact_line(ax, map_layers.contact_line.to_crs(UKRAINE_LAEA))
    _frame(ax, zones)
    _draw_names(ax, map_layers)
    _draw_places(ax)
    ax.set_axis_off()
    ax.legend(handles=_legend_handles(zones), loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False, title="Under the plan", title_fontsize=10, alignment="left")
    plan, control = map_layers.layers.plan, map_layers.layers.control
    # parse_math=False: plan and control-file text is shown as written; "$...$" in it is not
    # mathtext (which would restyle it, or fail on an unknown command such as "$\x$").
    ax.set_title(f"{plan.title} ({plan.date.isoformat()}): territorial provisions\nControl: {control.label}", fontsize=12, loc="left",
                 parse_math=False)
    notes = f"Plan text: {plan.source_line()}. {attribution(control)} {SIMPLIFICATION_NOTE}"
    fig.supxlabel(textwrap.fill(notes, 190), x=0.01, ha="left", fontsize=6.5, color="#444444", parse_math=False)
    return fig


def save_static(fig: Figure, target: Path, *, fmt: str = "png", dpi: int = 200) -> Path:
    """Write ``fig`` to ``target`` as ``fmt`` ("png" or "svg") atomically; ``dpi`` for PNG."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"'fmt' must be 'png' or 'svg', got {fmt!r}")
    return atomic_write(Path(target), lambda path: fig.savefig(path, format=fmt, dpi=dpi, facecolor="white"))


def _draw_contact_line(ax, lines: gpd.GeoDataFrame) -> None:  # noqa: ANN001 - matplotlib Axes
    for row in lines.itertuples(index=False):
        style = contact_style(row.rule)
        dashes = tuple(float(v) for v in style.dash.split()) if style.dash else None
        gpd.GeoSeries([row.geometry]).plot(
            ax=ax, color=style.colour, linewidth=style.width * 0.6, linestyle=(0, dashes) if dashes else "solid", zorder=3
        )


def _frame(ax, zones: gpd.GeoDataFrame) -> None:  # noqa: ANN001 - matplotlib Axes
    """Frame the zones the plan changes (all zones if it changes none)."""
    changed = zones[zones["status"] != UKRAINIAN]
    xmin, ymin, xmax, ymax = (changed if len(changed) else zones).total_bounds
    pad = FRAME_MARGIN * max(xmax - xmin, ymax - ymin)
    ax.set_xlim(xmin - pad, xmax + pad)
    ax.set_ylim(ymin - pad, ymax + pad)
    ax.set_aspect("equal")


def _draw_names(ax, map_layers: MapLayers) -> None:  # noqa: ANN001 - matplotlib Axes
    labels = map_layers.labels
    points = gpd.GeoSeries(gpd.points_from_xy(labels["lon"], labels["lat"]), crs=4326).to_crs(UKRAINE_LAEA)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for name, point in zip(labels["name"], points, strict=True):
        if x0 <= point.x <= x1 and y0 <= point.y <= y1:
            ax.annotate(name, (point.x, point.y), ha="center", va="center", fontsize=9, fontweight="bold", color="#222222", zorder=5, path_effects=_HALO)


def _draw_places(ax) -> None:  # noqa: ANN001 - matplotlib Axes
    points = gpd.GeoSeries(gpd.points_from_xy([p.lon for p in KEY_PLACES], [p.lat for p in KEY_PLACES]), crs=4326).to_crs(UKRAINE_LAEA)
    ax.scatter(points.x, points.y, s=14, color=PLACE_COLOUR, edgecolor="white", linewidth=0.6, zorder=6)
    for place, point in zip(KEY_PLACES, points, strict=True):
        ax.annotate(place.name, (point.x, point.y), xytext=(4, 0), textcoords="offset points", fontsize=7, va="center", zorder=6, path_effects=_HALO)


def _legend_handles(zones: gpd.GeoDataFrame) -> list:
    present = set(zones["status"])
    handles = [
        Patch(facecolor=style.fill, edgecolor=style.hatch_colour or OUTLINE.colour, hatch=style.hatch or None, linewidth=0.5, label=style.label)
        for status, style in STATUS_STYLES.items()
        if status in present
    ]
    for line in (CONTACT_FROZEN, CONTACT_OTHER):
        dashes = tuple(float(v) for v in line.dash.split()) if line.dash else None
        handles.append(Line2D([], [], color=line.colour, linewidth=line.width * 0.6, linestyle=(0, dashes) if dashes else "solid", label=line.label))
    handles.append(Line2D([], [], marker="o", color="none", markerfacecolor=PLACE_COLOUR, markeredgecolor="white", label="Key place"))
    return handles
