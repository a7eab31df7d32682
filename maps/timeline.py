"""Charts of the timeline: a self-contained HTML page (inline SVG and script) and a static figure."""

from __future__ import annotations

import html
import json
import math
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from peacemap.layers.timeline.table import DMZ_PACE_WINDOWS_DAYS, DONETSK, PACE_CAVEAT, Timeline

_WIDTH = 960
_COLUMNS = 2  # small multiples: each region gets its own panel and its own y-axis
_PANEL_H = 150
_PANEL_M = {"left": 62, "right": 52, "top": 22, "bottom": 22}  # inside each panel; the right margin holds the % axis
def _chart_regions(table: pd.DataFrame) -> list[str]:
    """Regions with some occupied land in the range, largest first (all if none has any)."""
    peak = table.groupby("region")["occupied_km2"].max().fillna(0.0).sort_values(ascending=False)
    chosen = [code for code, km2 in peak.items() if km2 > 0]
    return chosen or list(peak.index)


def fitted_range(values: pd.Series) -> tuple[float, float]:
    """A y-axis range (km²) that fits ``values`` with a margin, on round numbers: a change of a
    few hundred km² in a region of 20,000 shows as the change it is, not a flat line at the top."""
    known = values.dropna()
    if known.empty:
        return 0.0, 1.0
    low, high = float(known.min()), float(known.max())
    pad = max((high - low) * 0.08, 1.0, 0.002 * high)
    low, high = max(0.0, low - pad), high + pad
    step = 10 ** math.floor(math.log10(high - low)) / 2
    return math.floor(low / step) * step, math.ceil(high / step) * step


def _region_area_km2(series: pd.DataFrame) -> float:
    """The region's land (km²) from a row's occupied km² and share (NaN if no row has both)."""
    rows = series.dropna(subset=["occupied_km2", "occupied_pct"])
    rows = rows[rows["occupied_pct"] > 0]
    if rows.empty:
        return float("nan")
    first = rows.iloc[0]
    return float(first["occupied_km2"] / first["occupied_pct"] * 100.0)


def timeline_svg(timeline: Timeline) -> str:
    """Small multiples: one SVG panel per region of occupied km² per day, each with a y-axis fitted
    to its own range (km² on the left, share of the region on the right); gap days break the lines."""
    table = timeline.table
    regions = _chart_regions(table)
    days = sorted(table["date"].unique())
    panel_w = _WIDTH / _COLUMNS
    rows = math.ceil(len(regions) / _COLUMNS)
    plot_w = panel_w - _PANEL_M["left"] - _PANEL_M["right"]
    plot_h = _PANEL_H - _PANEL_M["top"] - _PANEL_M["bottom"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {rows * _PANEL_H}" role="img" '
             f'aria-label="Occupied km² per region, one panel each" style="max-width:100%;font:11px sans-serif">']
    position = {day: i for i, day in enumerate(days)}
    for n, code in enumerate(regions):
        left = (n % _COLUMNS) * panel_w + _PANEL_M["left"]
        top = (n // _COLUMNS) * _PANEL_H + _PANEL_M["top"]
        series = table[table["region"] == code].sort_values("date")
        low, high = fitted_range(series["occupied_km2"])
        area_km2 = _region_area_km2(series)

        def x(index: int, left: float = left) -> float:
            return left + plot_w * index / max(1, len(days) - 1)

        def y(km2: float, top: float = top, low: float = low, high: float = high) -> float:
            return top + plot_h * (1 - (km2 - low) / (high - low))

        name = html.escape(f"{code} {series['region_name'].iloc[0]}")
        parts.append(f'<text x="{left}" y="{top - 8}" font-weight="bold">{name}</text>')
        for tick in range(3):
            value = low + (high - low) * tick / 2
            share = f"{100 * value / area_km2:.1f} %" if area_km2 == area_km2 and area_km2 > 0 else ""
            parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e3e3e3"/>'
                         f'<text x="{left - 4}" y="{y(value) + 4:.1f}" text-anchor="end">{value:,.0f}</text>'
                         f'<text x="{left + plot_w + 4}" y="{y(value) + 4:.1f}" fill="#666">{share}</text>')
        for run in _runs(series):
            points = " ".join(f"{x(position[d]):.1f},{y(v):.1f}" for d, v in run)
            parts.append(f'<polyline fill="none" stroke="#b2182b" stroke-width="1.5" points="{points}"/>')
        for gap in timeline.gaps:
            if gap in position:
                parts.append(f'<line x1="{x(position[gap]):.1f}" x2="{x(position[gap]):.1f}" y1="{top}" y2="{top + plot_h}" '
                             f'stroke="#999" stroke-dasharray="2,3"><title>no snapshot on {gap.isoformat()}</title></line>')
        if n >= len(regions) - _COLUMNS:
            for index in _month_ticks(days)[::2]:
                parts.append(f'<text x="{x(index):.1f}" y="{top + plot_h + 15}" text-anchor="middle" fill="#444">'
                             f"{days[index]:%Y-%m}</text>")
        parts.append(f'<line class="cursor" x1="0" x2="0" y1="{top}" y2="{top + plot_h}" stroke="#333" visibility="hidden"/>')
    parts.append("</svg>")
    return "".join(parts)


def _runs(series: pd.DataFrame) -> list[list[tuple]]:
    """Consecutive days with a value, as lists of (date, km²): a gap ends a run."""
    runs: list[list[tuple]] = [[]]
    for day, value in zip(series["date"], series["occupied_km2"]):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((day, float(value)))
    return [run for run in runs if run]


def _month_ticks(days: list) -> list[int]:
    ticks = [i for i, day in enumerate(days) if day.day == 1]
    step = max(1, math.ceil(len(ticks) / 10))
    return ticks[::step]


def timeline_html(timeline: Timeline, *, title: str, sources_note: str) -> str:
    """A self-contained HTML page: the chart, a hover read-out, the latest figures and the gaps.

    No external resource is loaded (no CDN, fonts or images): the page works offline and can be
    embedded as it is.
    """
    table = timeline.table
    days = sorted(table["date"].unique())
    regions = _chart_regions(table)
    ordered = {code: table[table["region"] == code].sort_values("date") for code in regions}
    values = {code: [None if math.isnan(v) else round(v, 1) for v in rows["occupied_km2"]] for code, rows in ordered.items()}
    shares = {code: [None if math.isnan(v) else round(v, 2) for v in rows["occupied_pct"]] for code, rows in ordered.items()}
    data = {"days": [d.isoformat() for d in days], "values": values, "shares": shares, "columns": _COLUMNS,
            "left": _PANEL_M["left"], "width": _WIDTH / _COLUMNS - _PANEL_M["left"] - _PANEL_M["right"],
            "panelWidth": _WIDTH / _COLUMNS, "svgWidth": _WIDTH}
    gaps = ", ".join(d.isoformat() for d in timeline.gaps) or "none"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font:14px sans-serif;margin:1em;max-width:1000px}}table{{border-collapse:collapse}}
td,th{{padding:2px 8px;text-align:right;border-bottom:1px solid #eee}}td:first-child,th:first-child{{text-align:left}}
#readout{{min-height:1.4em;color:#333}}</style></head><body>
<h1 style="font-size:1.3em">{html.escape(title)}</h1>
<div id="chart">{timeline_svg(timeline)}</div>
<div id="readout">Move the pointer over the chart to read the figures of a day.</div>
<h2 style="font-size:1.1em">On {timeline.last.isoformat()}</h2>
{_latest_table(table, timeline.last)}
<p>Days without a snapshot (left empty, not interpolated; dashed lines): {html.escape(gaps)}.</p>
<p><small>{html.escape(sources_note)}</small></p>
<script>
(function () {{
  var data = {json.dumps(data)};
  var svg = document.querySelector("#chart svg"), cursors = svg.querySelectorAll(".cursor");
  var out = document.getElementById("readout");
  svg.addEventListener("mousemove", function (event) {{
    var box = svg.getBoundingClientRect();
    var px = ((event.clientX - box.left) * data.svgWidth / box.width) % data.panelWidth;
    var i = Math.round((px - data.left) / data.width * (data.days.length - 1));
    if (i < 0 || i >= data.days.length) return;
    cursors.forEach(function (cursor, n) {{
      var x = (n % data.columns) * data.panelWidth + data.left + data.width * i / Math.max(1, data.days.length - 1);
      cursor.setAttribute("x1", x); cursor.setAttribute("x2", x); cursor.setAttribute("visibility", "visible");
    }});
    var text = data.days[i] + ": ";
    var parts = [];
    for (var code in data.values) {{
      var v = data.values[code][i], share = data.shares[code][i];
      parts.push(code + " " + (v === null ? "no snapshot" : v.toLocaleString("en") + " km² (" + share + " %)"));
    }}
    out.textContent = text + parts.join(" · ");
  }});
}})();
</script>
</body></html>
"""


def _latest_table(table: pd.DataFrame, day) -> str:
    rows = table[table["date"] == day]
    header = ("region", "occupied km²", "share %", "30-day change km²", "90-day change km²")
    lines = ["<table><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>"]
    for row in rows.itertuples(index=False):
        cells = [f"{row.region} {row.region_name}", _fmt(row.occupied_km2, 1), _fmt(row.occupied_pct, 2),
                 _fmt(row.change_30d_km2, 1, signed=True), _fmt(row.change_90d_km2, 1, signed=True)]
        lines.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    lines.append("</table>")
    donetsk = rows[rows["region"] == DONETSK]
    if len(donetsk):
        row = donetsk.iloc[0]
        lines.append(f"<p>Donetsk: {_dmz_sentence(row)}</p>")
    return "\n".join(lines)


def _dmz_sentence(row: pd.Series) -> str:
    """Days to occupy the held part (the plan's DMZ) at the 30-, 90- and 365-day paces, and the caveat."""
    paces = []
    for window in DMZ_PACE_WINDOWS_DAYS:
        days, change = row[f"dmz_days_at_{window}d_pace"], row[f"change_{window}d_km2"]
        if _missing(change):
            paces.append(f"{window}-day pace: no figure (no snapshot {window} days earlier)")
        elif _missing(days):
            paces.append(f"{window}-day pace ({change:+,.1f} km²): not advancing, never")
        else:
            paces.append(f"{window}-day pace ({change:+,.1f} km²): {days:,.0f} days")
    return (f"days to occupy the held {row['held_km2']:,.0f} km² (the plan's DMZ) at the trailing "
            f"{'; '.join(paces)}. {PACE_CAVEAT}")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _fmt(value, digits: int, *, signed: bool = False) -> str:  # noqa: ANN001
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:+,.{digits}f}" if signed else f"{value:,.{digits}f}"


def timeline_figure(timeline: Timeline, *, title: str) -> Figure:
    """A matplotlib Figure (no pyplot): one panel per region of occupied km² per day, each with its
    y-axis fitted to its range and the share of the region on the right; gaps left blank; and
    Donetsk's days to occupy its held part at the 30-, 90- and 365-day paces."""
    import matplotlib.dates
    from matplotlib.figure import Figure

    table = timeline.table
    regions = _chart_regions(table)
    has_donetsk = (table["region"] == DONETSK).any()
    rows = math.ceil(len(regions) / _COLUMNS) + (1 if has_donetsk else 0)
    fig = Figure(figsize=(11, 1.9 * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, _COLUMNS, sharex=True, squeeze=False)
    for n, code in enumerate(regions):
        ax = axes[n // _COLUMNS][n % _COLUMNS]
        series = table[table["region"] == code].sort_values("date")
        ax.plot(pd.to_datetime(series["date"]), series["occupied_km2"], color="#b2182b", linewidth=1.2)
        low, high = fitted_range(series["occupied_km2"])
        ax.set_ylim(low, high)
        ax.set_title(f"{code} {series['region_name'].iloc[0]}", fontsize=9, loc="left")
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=7)
        area_km2 = _region_area_km2(series)
        if area_km2 == area_km2 and area_km2 > 0:
            share = ax.secondary_yaxis("right", functions=(lambda km2, a=area_km2: 100 * km2 / a,
                                                           lambda pct, a=area_km2: pct * a / 100))
            share.tick_params(labelsize=7)
            share.set_ylabel("% of region", fontsize=7)
        if n % _COLUMNS == 0:
            ax.set_ylabel("occupied km²", fontsize=8)
    for n in range(len(regions), (rows - (1 if has_donetsk else 0)) * _COLUMNS):
        axes[n // _COLUMNS][n % _COLUMNS].set_visible(False)
    if has_donetsk:
        for ax in axes[-1][1:]:
            ax.set_visible(False)
        pace = axes[-1][0]
        series = table[table["region"] == DONETSK].sort_values("date")
        for window, colour in zip(DMZ_PACE_WINDOWS_DAYS, ("#fdae61", "#d7191c", "#2c7bb6"), strict=True):
            pace.plot(pd.to_datetime(series["date"]), series[f"dmz_days_at_{window}d_pace"], color=colour, linewidth=1.1,
                      label=f"{window}-day pace")
        pace.set_yscale("log")
        pace.set_title("Donetsk: days to occupy its held part (the 28-point plan's DMZ)", fontsize=9, loc="left")
        pace.legend(fontsize=7)
        pace.grid(alpha=0.3)
        pace.tick_params(labelsize=7)
    fig.suptitle(title, fontsize=11)
    locator = matplotlib.dates.AutoDateLocator()
    for ax in axes[-1]:
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))
    return fig
