"""Small multiples over calendar days: one panel per series, each with a y-axis fitted to its own
range, gap days breaking the lines. As inline SVG (with a hover read-out, for self-contained HTML
pages) and as a matplotlib figure."""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WIDTH = 960
COLUMNS = 2
PANEL_H = 150
PANEL_M = {"left": 62, "right": 52, "top": 22, "bottom": 22}  # inside each panel; the right margin holds a second axis
LINE_COLOUR = "#b2182b"
BAND_COLOUR = "#f4a582"
POINT_COLOUR = "#2166ac"  # dated points (official statements) beside a series: a hue of their own


@dataclass(frozen=True)
class Panel:
    """One panel: a value per calendar day (NaN on days without one), an optional band around it
    (low and high per day), and an optional second axis on the right (``right(value)`` is its label)."""

    title: str
    values: Sequence[float]
    unit: str  # of the values, for the read-out ("km²", "people")
    band: tuple[Sequence[float], Sequence[float]] | None = None
    right: Callable[[float], str] | None = None
    shares: Sequence[float] | None = None  # per day, %, shown in the read-out
    label: str | None = None  # what the read-out calls the values (default: the title; "" for none)
    # Dated points beside the series, each (day index, value, text), and their legend entry (the
    # static figure's; an HTML page gives its legend beside the chart, points_legend()).
    points: Sequence[tuple[int, float, str]] = ()
    points_label: str = ""


def fitted_range(values: Sequence[float]) -> tuple[float, float]:
    """A y-axis range that fits ``values`` (NaN ignored) with a margin, on round numbers: a change
    of a few hundred km² in a region of 20,000 shows as the change it is, not a flat line."""
    known = [float(v) for v in values if not _missing(v)]
    if not known:
        return 0.0, 1.0
    low, high = min(known), max(known)
    pad = max((high - low) * 0.08, 1.0, 0.002 * high)
    low, high = max(0.0, low - pad), high + pad
    step = 10 ** math.floor(math.log10(high - low)) / 2
    return math.floor(low / step) * step, math.ceil(high / step) * step


def small_multiples_svg(panels: Sequence[Panel], days: Sequence[dt.date], gaps: Sequence[dt.date], *, label: str) -> str:
    """The panels side by side (:data:`COLUMNS` to a row) as one SVG element; each panel has a
    hidden cursor line (class ``cursor``) that :func:`readout_script` moves; gap days are dashed."""
    panel_w = WIDTH / COLUMNS
    rows = math.ceil(len(panels) / COLUMNS)
    plot_w = panel_w - PANEL_M["left"] - PANEL_M["right"]
    plot_h = PANEL_H - PANEL_M["top"] - PANEL_M["bottom"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {rows * PANEL_H}" role="img" '
             f'aria-label="{html.escape(label)}" style="max-width:100%;font:11px sans-serif">']
    position = {day: i for i, day in enumerate(days)}
    for n, panel in enumerate(panels):
        left = (n % COLUMNS) * panel_w + PANEL_M["left"]
        top = (n // COLUMNS) * PANEL_H + PANEL_M["top"]
        band_values = [*panel.band[0], *panel.band[1]] if panel.band else []
        low, high = fitted_range([*panel.values, *band_values, *(value for _, value, _ in panel.points)])

        def x(index: int, left: float = left) -> float:
            return left + plot_w * index / max(1, len(days) - 1)

        def y(value: float, top: float = top, low: float = low, high: float = high) -> float:
            return top + plot_h * (1 - (value - low) / (high - low))

        parts.append(f'<text x="{left}" y="{top - 8}" font-weight="bold">{html.escape(panel.title)}</text>')
        for tick in range(3):
            value = low + (high - low) * tick / 2
            right = html.escape(panel.right(value)) if panel.right else ""
            parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e3e3e3"/>'
                         f'<text x="{left - 4}" y="{y(value) + 4:.1f}" text-anchor="end">{_tick(value)}</text>'
                         f'<text x="{left + plot_w + 4}" y="{y(value) + 4:.1f}" fill="#666">{right}</text>')
        if panel.band:
            for run in _runs(list(zip(range(len(days)), panel.band[0], panel.band[1]))):
                outline = [(i, lo) for i, lo, _ in run] + [(i, hi) for i, _, hi in reversed(run)]
                points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in outline)
                parts.append(f'<polygon fill="{BAND_COLOUR}" fill-opacity="0.45" stroke="none" points="{points}"/>')
        for run in _runs(list(zip(range(len(days)), panel.values))):
            points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
            parts.append(f'<polyline fill="none" stroke="{LINE_COLOUR}" stroke-width="1.5" points="{points}"/>')
        for index, value, text in panel.points:
            parts.append(f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="3" fill="{POINT_COLOUR}" stroke="#fff" stroke-width="0.8">'
                         f"<title>{html.escape(text)}</title></circle>")
        for gap in gaps:
            if gap in position:
                parts.append(f'<line x1="{x(position[gap]):.1f}" x2="{x(position[gap]):.1f}" y1="{top}" y2="{top + plot_h}" '
                             f'stroke="#999" stroke-dasharray="2,3"><title>no snapshot on {gap.isoformat()}</title></line>')
        if n >= len(panels) - COLUMNS:
            for index in _month_ticks(days)[::2]:
                parts.append(f'<text x="{x(index):.1f}" y="{top + plot_h + 15}" text-anchor="middle" fill="#444">'
                             f"{days[index]:%Y-%m}</text>")
        parts.append(f'<line class="cursor" x1="0" x2="0" y1="{top}" y2="{top + plot_h}" stroke="#333" visibility="hidden"/>')
    parts.append("</svg>")
    return "".join(parts)


def points_legend(label: str) -> str:
    """An HTML legend entry for the panels' dated points: a dot in their colour and ``label`` (escaped)."""
    return (f'<span style="color:{POINT_COLOUR}"><svg width="10" height="10" aria-hidden="true"><circle cx="5" cy="5" r="3.5" '
            f'fill="{POINT_COLOUR}"/></svg> {html.escape(label)}</span>')


def _tick(value: float) -> str:
    """An axis label: whole numbers, thousands separated (7,412,632 fits the left margin)."""
    return f"{value:,.0f}"


def _runs(points: list[tuple]) -> list[list[tuple]]:
    """Consecutive points whose values are all present: a missing value (a gap) ends a run."""
    runs: list[list[tuple]] = [[]]
    for point in points:
        if any(_missing(v) for v in point[1:]):
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((point[0], *(float(v) for v in point[1:])))
    return [run for run in runs if run]


def _month_ticks(days: Sequence[dt.date]) -> list[int]:
    ticks = [i for i, day in enumerate(days) if day.day == 1]
    step = max(1, math.ceil(len(ticks) / 10))
    return ticks[::step]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def chart_page(title: str, body: str) -> str:
    """A self-contained HTML page: ``title`` (plain text, escaped here) as its title and heading,
    then ``body`` (HTML, escaped by the caller), in the charts' style; nothing is loaded from elsewhere."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font:14px sans-serif;margin:1em;max-width:1000px}}table{{border-collapse:collapse}}
td,th{{padding:2px 8px;text-align:right;border-bottom:1px solid #eee}}td:first-child,th:first-child{{text-align:left}}
#readout{{min-height:1.4em;color:#333}}</style></head><body>
<h1 style="font-size:1.3em">{html.escape(title)}</h1>
{body}
</body></html>
"""


def readout_script(panels: Sequence[Panel], days: Sequence[dt.date], *, chart: str, readout: str) -> str:
    """A ``<script>`` that, as the pointer moves over the SVG inside element ``#chart``, moves the
    panels' cursors to the day under it and writes that day's values into element ``#readout``.
    Element ids are fixed strings of ours; the data is JSON with ``<`` escaped."""
    data = {
        "days": [d.isoformat() for d in days], "columns": COLUMNS, "left": PANEL_M["left"],
        "width": WIDTH / COLUMNS - PANEL_M["left"] - PANEL_M["right"], "panelWidth": WIDTH / COLUMNS, "svgWidth": WIDTH,
        "series": [{"label": p.title if p.label is None else p.label, "unit": p.unit, "values": [None if _missing(v) else round(float(v), 1) for v in p.values],
                    "shares": None if p.shares is None else [None if _missing(v) else round(float(v), 2) for v in p.shares],
                    "points": [[index, text] for index, _, text in p.points]}
                   for p in panels],
    }
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return f"""<script>
(function () {{
  var data = {payload};
  var svg = document.querySelector("#{chart} svg"), cursors = svg.querySelectorAll(".cursor");
  var out = document.getElementById("{readout}");
  svg.addEventListener("mousemove", function (event) {{
    var box = svg.getBoundingClientRect();
    var px = ((event.clientX - box.left) * data.svgWidth / box.width) % data.panelWidth;
    var i = Math.round((px - data.left) / data.width * (data.days.length - 1));
    if (i < 0 || i >= data.days.length) return;
    cursors.forEach(function (cursor, n) {{
      var x = (n % data.columns) * data.panelWidth + data.left + data.width * i / Math.max(1, data.days.length - 1);
      cursor.setAttribute("x1", x); cursor.setAttribute("x2", x); cursor.setAttribute("visibility", "visible");
    }});
    var parts = data.series.map(function (s) {{
      var v = s.values[i];
      var label = s.label ? s.label + " " : "";
      var latest = null;
      s.points.forEach(function (p) {{ if (p[0] <= i) latest = p[1]; }});
      var beside = latest === null ? "" : " · latest statement: " + latest;
      if (v === null) return label + "no snapshot" + beside;
      var text = label + v.toLocaleString("en") + " " + s.unit;
      return (s.shares ? text + " (" + s.shares[i] + " %)" : text) + beside;
    }});
    out.textContent = data.days[i] + ": " + parts.join(" · ");
  }});
}})();
</script>"""


def draw_panel(ax: Axes, panel: Panel, days: Sequence[dt.date], *, ylabel: str = "") -> None:
    """``panel`` on matplotlib ``ax``: the line, its band, a fitted y-axis, the second axis if any;
    gaps (NaN) are left blank."""
    import pandas as pd
    from matplotlib.ticker import StrMethodFormatter

    x = pd.to_datetime(pd.Series(list(days)))
    if panel.band:
        ax.fill_between(x, list(panel.band[0]), list(panel.band[1]), color=BAND_COLOUR, alpha=0.45, linewidth=0)
    ax.plot(x, list(panel.values), color=LINE_COLOUR, linewidth=1.2)
    if panel.points:
        ax.scatter([x.iloc[index] for index, _, _ in panel.points], [value for _, value, _ in panel.points], s=12, color=POINT_COLOUR,
                   zorder=3, label=panel.points_label)
        ax.legend(fontsize=7, loc="best", frameon=False)
    band_values = [*panel.band[0], *panel.band[1]] if panel.band else []
    ax.set_ylim(*fitted_range([*panel.values, *band_values, *(value for _, value, _ in panel.points)]))
    ax.set_title(panel.title, fontsize=9, loc="left", parse_math=False)
    ax.grid(alpha=0.3)
    ax.tick_params(labelsize=7)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))  # 7,400,000, not 7.4 with "1e6" above
    if ylabel:
        ax.set_ylabel(ylabel, fontsize=8)
