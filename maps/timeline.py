"""Charts of the timeline: a self-contained HTML page (inline SVG and script) and a static figure."""

from __future__ import annotations

import html
import json
import math

import pandas as pd

from peacemap.layers.timeline.table import DMZ_PACE_WINDOWS_DAYS, DONETSK, PACE_CAVEAT, Timeline

_WIDTH, _HEIGHT = 960, 440
_MARGIN = {"left": 70, "right": 190, "top": 20, "bottom": 40}
# matplotlib's tab20, so that up to 20 regions get distinct colours in both charts
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf", "#aec7e8", "#ff9896", "#98df8a", "#c5b0d5", "#ffbb78", "#c49c94",
            "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5")


def _chart_regions(table: pd.DataFrame) -> list[str]:
    """Regions with some occupied land in the range, largest first (all if none has any)."""
    peak = table.groupby("region")["occupied_km2"].max().fillna(0.0).sort_values(ascending=False)
    chosen = [code for code, km2 in peak.items() if km2 > 0]
    return chosen or list(peak.index)


def _nice_max(value: float) -> float:
    if value <= 0 or math.isnan(value):
        return 1.0
    step = 10 ** math.floor(math.log10(value))
    return math.ceil(value / step) * step


def timeline_svg(timeline: Timeline) -> str:
    """An SVG line chart of occupied km² per region and day; gap days break the lines."""
    table = timeline.table
    regions = _chart_regions(table)
    days = sorted(table["date"].unique())
    y_max = _nice_max(float(table.loc[table["region"].isin(regions), "occupied_km2"].max()))
    plot_w = _WIDTH - _MARGIN["left"] - _MARGIN["right"]
    plot_h = _HEIGHT - _MARGIN["top"] - _MARGIN["bottom"]

    def x(index: int) -> float:
        return _MARGIN["left"] + (plot_w * index / max(1, len(days) - 1))

    def y(km2: float) -> float:
        return _MARGIN["top"] + plot_h * (1 - km2 / y_max)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
             f'aria-label="Occupied km² per region" style="max-width:100%;font:12px sans-serif">']
    for tick in range(6):
        value = y_max * tick / 5
        parts.append(f'<line x1="{_MARGIN["left"]}" x2="{_MARGIN["left"] + plot_w}" y1="{y(value):.1f}" '
                     f'y2="{y(value):.1f}" stroke="#ddd"/><text x="{_MARGIN["left"] - 6}" y="{y(value) + 4:.1f}" '
                     f'text-anchor="end">{value:,.0f}</text>')
    for index in _month_ticks(days):
        parts.append(f'<text x="{x(index):.1f}" y="{_HEIGHT - 18}" text-anchor="middle">{days[index]:%Y-%m}</text>')
    position = {day: i for i, day in enumerate(days)}
    for n, code in enumerate(regions):
        colour = _COLOURS[n % len(_COLOURS)]
        series = table[table["region"] == code].sort_values("date")
        for run in _runs(series):
            points = " ".join(f"{x(position[d]):.1f},{y(v):.1f}" for d, v in run)
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{points}"/>')
        name = html.escape(str(series["region_name"].iloc[0]))
        label_y = _MARGIN["top"] + 14 + 16 * n
        parts.append(f'<rect x="{_WIDTH - _MARGIN["right"] + 10}" y="{label_y - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{_WIDTH - _MARGIN["right"] + 25}" y="{label_y}">{html.escape(code)} {name}</text>')
    for gap in timeline.gaps:
        if gap in position:
            parts.append(f'<line x1="{x(position[gap]):.1f}" x2="{x(position[gap]):.1f}" y1="{_MARGIN["top"]}" '
                         f'y2="{_MARGIN["top"] + plot_h}" stroke="#999" stroke-dasharray="2,3"><title>no snapshot on '
                         f'{gap.isoformat()}</title></line>')
    parts.append(f'<text x="14" y="{_MARGIN["top"] + plot_h / 2}" transform="rotate(-90 14 {_MARGIN["top"] + plot_h / 2})" '
                 f'text-anchor="middle">occupied km² (geodesic)</text>')
    parts.append(f'<line id="cursor" x1="0" x2="0" y1="{_MARGIN["top"]}" y2="{_MARGIN["top"] + plot_h}" stroke="#333" visibility="hidden"/>')
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
    values = {code: [None if math.isnan(v) else round(v, 1) for v in
                     table[table["region"] == code].sort_values("date")["occupied_km2"]] for code in regions}
    data = {"days": [d.isoformat() for d in days], "values": values,
            "left": _MARGIN["left"], "width": _WIDTH - _MARGIN["left"] - _MARGIN["right"], "svgWidth": _WIDTH}
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
  var svg = document.querySelector("#chart svg"), cursor = document.getElementById("cursor");
  var out = document.getElementById("readout");
  svg.addEventListener("mousemove", function (event) {{
    var box = svg.getBoundingClientRect();
    var px = (event.clientX - box.left) * data.svgWidth / box.width;
    var i = Math.round((px - data.left) / data.width * (data.days.length - 1));
    if (i < 0 || i >= data.days.length) return;
    var x = data.left + data.width * i / Math.max(1, data.days.length - 1);
    cursor.setAttribute("x1", x); cursor.setAttribute("x2", x); cursor.setAttribute("visibility", "visible");
    var text = data.days[i] + ": ";
    var parts = [];
    for (var code in data.values) {{
      var v = data.values[code][i];
      parts.push(code + " " + (v === null ? "no snapshot" : v.toLocaleString("en") + " km²"));
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


def timeline_figure(timeline: Timeline, *, title: str):  # noqa: ANN201 - matplotlib Figure
    """A matplotlib figure: occupied km² per region and day (gaps left blank), and Donetsk's pace."""
    try:
        import matplotlib
        import matplotlib.dates

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - matplotlib is a dependency
        raise ImportError("matplotlib must be installed to write PNG charts (pip install matplotlib)") from error
    table = timeline.table
    regions = _chart_regions(table)
    has_donetsk = (table["region"] == DONETSK).any()
    fig, axes = plt.subplots(2 if has_donetsk else 1, 1, figsize=(11, 7 if has_donetsk else 4.5), squeeze=False,
                             sharex=True, constrained_layout=True)
    ax = axes[0][0]
    for n, code in enumerate(regions):
        series = table[table["region"] == code].sort_values("date")
        ax.plot(pd.to_datetime(series["date"]), series["occupied_km2"], color=_COLOURS[n % len(_COLOURS)],
                label=f"{code} {series['region_name'].iloc[0]}", linewidth=1.3)
    ax.set_ylabel("occupied km² (geodesic)")
    ax.set_title(title, fontsize=11)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    ax.grid(alpha=0.3)
    if has_donetsk:
        series = table[table["region"] == DONETSK].sort_values("date")
        pace = axes[1][0]
        pace.plot(pd.to_datetime(series["date"]), series["dmz_days_at_90d_pace"], color="#d62728", linewidth=1.3)
        pace.set_ylabel("days to occupy Donetsk's held part\nat the 90-day pace (blank: gap\nor not advancing)")
        pace.grid(alpha=0.3)
        pace.set_yscale("log")
    locator = matplotlib.dates.AutoDateLocator()
    axes[-1][0].xaxis.set_major_locator(locator)
    axes[-1][0].xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))
    return fig
