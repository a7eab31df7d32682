"""Small multiples over calendar days: one panel per series, gap days breaking the lines. As inline
SVG (one SVG per panel, with a hover read-out, for self-contained HTML pages) and as a matplotlib
figure.

Every chart is honest about its axes:

* the y-axis names its unit (``km²``, ``people on 1 January 2022``) and the x-axis has at least
  three date ticks;
* a y-axis starts at zero unless the data sit far above it (:func:`axis_range`); then it starts
  where the data do, the axis carries a break mark (two slanted strokes) and the panel prints its
  range ("axis 19,590 – 19,680 km², not from zero"), so that a 5 km² step is not read as a cliff;
* the read-out of the day under the pointer is written inside each panel (it stays in view wherever
  the page is scrolled) and gives the band where there is one.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from peacemap.layers.i18n.catalogue import N_, gettext, pgettext
from peacemap.layers.i18n.dates import date_text
from peacemap.layers.i18n.language import ENGLISH, current_language
from peacemap.layers.i18n.numbers import number_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.dates import DateLocator
    from matplotlib.ticker import Formatter

COLUMNS = 2  # panels to a row on the static figure (the page lays its panels out by its width)
PANEL_W = 420  # one panel's SVG (user units; drawn at up to this many CSS pixels, less on a phone)
PLOT_H = 130  # the plot's height; the panel adds its title, note and read-out lines above, dates below
PANEL_M = {"left": 70, "right": 56, "top": 22, "bottom": 34}  # around the plot; the right margin holds a second axis
FONT_PX = 13  # the SVG's text: about 10.5 px on a 390 px phone, where the panel is drawn ~350 px wide
LINE_PX = 16  # between the header's lines
TITLE_CHARS = 50  # a panel's title wraps at this many characters ...
NOTE_CHARS = 60  # ... and its unit and axis note at this many
LINE_COLOUR = "#b2182b"
BAND_COLOUR = "#f4a582"
POINT_COLOUR = "#2166ac"  # dated points (official statements) beside a series: a hue of their own
ZERO_SHARE = 0.25  # an axis starts at zero when the data's low end is under this share of its high end
MIN_DATE_TICKS = 3


@dataclass(frozen=True)
class Panel:
    """One panel: a value per calendar day (NaN on days without one), an optional band around it
    (low and high per day), and an optional second axis on the right (``right(value)`` is its label)."""

    title: str
    values: Sequence[float]
    unit: str  # of the values: the y-axis label and the read-out ("km²", "people on 1 January 2022")
    band: tuple[Sequence[float], Sequence[float]] | None = None
    right: Callable[[float], str] | None = None
    shares: Sequence[float] | None = None  # per day, %, shown in the read-out
    label: str | None = None  # what the read-out calls the values (default: the title; "" for none)
    right_unit: str = ""  # of the right axis ("% of region")
    # Dated points beside the series, each (day index, value, text), and their legend entry (the
    # static figure's; an HTML page gives its legend with the chart's, legend_rows(points=...)).
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


def axis_range(values: Sequence[float]) -> tuple[float, float, bool]:
    """(low, high, broken): from zero when the data's low end is near it (under :data:`ZERO_SHARE`
    of the high end), else :func:`fitted_range` with ``broken`` True (the axis does not start at
    zero: draw the break and print the range)."""
    low, high = fitted_range(values)
    if low <= ZERO_SHARE * high:
        return 0.0, high, False
    return low, high, True


def date_ticks(days: Sequence[dt.date]) -> list[tuple[int, str]]:
    """(index, label) of at least :data:`MIN_DATE_TICKS` ticks (fewer only when there are fewer days):
    first days of months (YYYY-MM) when the range holds enough of them, else days spread evenly
    (YYYY-MM-DD)."""
    if not days:
        return []
    months = [i for i, day in enumerate(days) if day.day == 1]
    if len(months) >= MIN_DATE_TICKS:
        step = max(1, len(months) // MIN_DATE_TICKS)  # 3 to 5 labels: they fit a phone's width
        return [(i, month_tick(days[i])) for i in months[::step]]
    count = min(len(days), MIN_DATE_TICKS)
    indices = sorted({round(k * (len(days) - 1) / max(1, count - 1)) for k in range(count)})
    return [(i, day_tick(days[i])) for i in indices]


def month_tick(day: dt.date) -> str:
    """A month on a date axis: ``2025-03`` in English, ``бер. 2025`` in Ukrainian (CLDR's
    abbreviated month, standalone)."""
    if current_language() == ENGLISH:
        return f"{day:%Y-%m}"
    from babel.dates import format_date

    return format_date(day, "LLL y", locale=current_language())


def day_tick(day: dt.date) -> str:
    """A day on a date axis: ``2025-03-01`` in English, ``01.03.2025`` in Ukrainian (the numeric
    date Ukrainian writes: day, month, year)."""
    return day.isoformat() if current_language() == ENGLISH else f"{day:%d.%m.%Y}"


def axis_note(panel: Panel, low: float, high: float, broken: bool) -> str:
    """The line under a panel's title: its unit, and its range when the axis does not start at zero."""
    if not broken:
        return gettext("%(unit)s; axis from zero") % {"unit": panel.unit}
    return gettext("%(unit)s; axis %(low)s – %(high)s, not from zero") % {"unit": panel.unit, "low": _tick(low), "high": _tick(high)}


def panel_svg(panel: Panel, days: Sequence[dt.date], gaps: Sequence[dt.date], *, index: int) -> str:
    """One panel as an SVG element (class ``peacemap-chart``, ``data-panel`` = ``index``): title,
    unit and axis note, y ticks with the unit, the break mark if the axis does not start at zero,
    the band and the line (broken at gaps), dashed gap days, date ticks, a hidden cursor and an
    empty read-out (class ``readout``) for :func:`readout_script`; the dated points, with a line of
    their own for the latest one's read-out (class ``readout-point``)."""
    low, high, broken = axis_range(_drawn_values(panel))
    title_lines = textwrap.wrap(panel.title, TITLE_CHARS)[:2]
    note_lines = textwrap.wrap(axis_note(panel, low, high, broken), NOTE_CHARS)[:2]
    header = [(line, "title") for line in title_lines] + [(line, "axis-note") for line in note_lines]
    readout_y = 16 + LINE_PX * len(header)  # the read-out's own line, under the title and the note
    point_y = readout_y + LINE_PX  # and the latest dated point's, where the panel has points
    left, top = PANEL_M["left"], (point_y if panel.points else readout_y) + PANEL_M["top"]
    plot_w = PANEL_W - PANEL_M["left"] - PANEL_M["right"]
    plot_h = PLOT_H
    height = top + plot_h + PANEL_M["bottom"]

    def x(i: int) -> float:
        return left + plot_w * i / max(1, len(days) - 1)

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="peacemap-chart" data-panel="{index}" viewBox="0 0 {PANEL_W} {height}" '
        f'role="img" aria-label="{html.escape(panel.title)}" style="font:{FONT_PX}px sans-serif">'
    ]
    for n, (line, kind) in enumerate(header):
        style = ' font-weight="bold"' if kind == "title" else f' class="axis-note" fill="#555" font-size="{FONT_PX - 1}"'
        parts.append(f'<text x="4" y="{16 + LINE_PX * n}"{style}>{html.escape(line)}</text>')
    parts.append(
        f'<text class="y-unit" x="{left - 6}" y="{top - 8}" text-anchor="end" fill="#555" font-size="{FONT_PX - 2}">'
        f"{html.escape(_short_unit(panel.unit))}</text>"
    )
    if panel.right:
        parts.append(
            f'<text class="y-unit-right" x="{PANEL_W - 2}" y="{top - 8}" text-anchor="end" fill="#666" font-size="{FONT_PX - 2}">'
            f"{html.escape(panel.right_unit)}</text>"
        )
    for tick in range(3):
        value = low + (high - low) * tick / 2
        right = html.escape(panel.right(value)) if panel.right else ""
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e3e3e3"/>'
            f'<text class="y-tick" x="{left - 4}" y="{y(value) + 4:.1f}" text-anchor="end">{_tick(value)}</text>'
            f'<text x="{left + plot_w + 4}" y="{y(value) + 4:.1f}" fill="#666">{right}</text>'
        )
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#999"/>')
    if broken:
        not_from_zero = html.escape(gettext("the axis does not start at zero"))
        bottom = top + plot_h
        parts.append(
            f'<path class="axis-break" d="M{left - 6},{bottom - 4} l12,-5 M{left - 6},{bottom + 1} l12,-5" '
            f'stroke="#333" stroke-width="1.5" fill="none"><title>{not_from_zero}</title></path>'
        )
    parts.extend(_series_svg(panel, len(days), x, y))
    parts.extend(_days_svg(days, gaps, x, top=top, bottom=top + plot_h, left=left, right=left + plot_w))
    parts.append(f'<line class="cursor" x1="0" x2="0" y1="{top}" y2="{top + plot_h}" stroke="#333" visibility="hidden"/>')
    parts.append(f'<text class="readout" x="4" y="{readout_y}" font-size="{FONT_PX - 1}" fill="#111"></text>')
    if panel.points:
        parts.append(f'<text class="readout-point" x="4" y="{point_y}" font-size="{FONT_PX - 2}" fill="{POINT_COLOUR}"></text>')
    parts.append("</svg>")
    return "".join(parts)


def _series_svg(panel: Panel, count: int, x: Callable[[int], float], y: Callable[[float], float]) -> list[str]:
    """The panel's band and line (each broken at gaps) and its dated points, in SVG."""
    parts = []
    if panel.band:
        for run in _runs(list(zip(range(count), panel.band[0], panel.band[1]))):
            outline = [(i, lo) for i, lo, _ in run] + [(i, hi) for i, _, hi in reversed(run)]
            points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in outline)
            parts.append(f'<polygon class="band" fill="{BAND_COLOUR}" fill-opacity="0.45" stroke="none" points="{points}"/>')
    for run in _runs(list(zip(range(count), panel.values))):
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
        parts.append(f'<polyline fill="none" stroke="{LINE_COLOUR}" stroke-width="1.8" points="{points}"/>')
    for i, value, text in panel.points:
        parts.append(
            f'<circle class="point" cx="{x(i):.1f}" cy="{y(value):.1f}" r="3.5" fill="{POINT_COLOUR}" stroke="#fff" stroke-width="0.8">'
            f"<title>{html.escape(text)}</title></circle>"
        )
    return parts


def _days_svg(
    days: Sequence[dt.date], gaps: Sequence[dt.date], x: Callable[[int], float], *, top: float, bottom: float, left: float, right: float
) -> list[str]:
    """The dashed lines of the gap days and the date ticks under the plot (SVG user units)."""
    parts = []
    position = {day: i for i, day in enumerate(days)}
    for gap in gaps:
        if gap in position:
            no_snapshot = html.escape(gettext("no snapshot on %(date)s") % {"date": date_text(gap)})
            parts.append(
                f'<line x1="{x(position[gap]):.1f}" x2="{x(position[gap]):.1f}" y1="{top}" y2="{bottom}" '
                f'stroke="#999" stroke-dasharray="2,3"><title>{no_snapshot}</title></line>'
            )
    for i, label in date_ticks(days):
        anchor = "start" if x(i) < left + 30 else "end" if x(i) > right - 30 else "middle"
        parts.append(
            f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{bottom}" y2="{bottom + 4}" stroke="#999"/>'
            f'<text class="x-tick" x="{x(i):.1f}" y="{bottom + 18}" text-anchor="{anchor}" fill="#444">{label}</text>'
        )
    return parts


def small_multiples_html(panels: Sequence[Panel], days: Sequence[dt.date], gaps: Sequence[dt.date], *, label: str) -> str:
    """Every panel (:func:`panel_svg`) in a grid (class ``peacemap-charts``) that puts as many
    side by side as the page's width allows: one column on a phone."""
    body = "".join(panel_svg(panel, days, gaps, index=n) for n, panel in enumerate(panels))
    return f'<div class="peacemap-charts" role="group" aria-label="{html.escape(label)}">{body}</div>'


def _drawn_values(panel: Panel) -> list[float]:
    """Every value a panel draws (its line, band and points): what its y-axis must hold."""
    band = [*panel.band[0], *panel.band[1]] if panel.band else []
    return [*panel.values, *band, *(value for _, value, _ in panel.points)]


def points_legend(label: str) -> str:
    """A legend entry (HTML) for the panels' dated points: a dot in their colour and ``label`` (escaped)."""
    return f'<svg width="22" height="14" aria-hidden="true"><circle cx="11" cy="7" r="3.5" fill="{POINT_COLOUR}"/></svg> {html.escape(label)}'


def _short_unit(unit: str) -> str:
    """The unit as the y-axis shows it: "people" for people on a date (the note gives the date)."""
    people = gettext(PEOPLE_UNIT)
    return pgettext("unit", "people") if unit.startswith(people) else unit


# The unit of a population panel (its note may add the regions it leaves out).
PEOPLE_UNIT = N_("people on 1 January 2022")


def _tick(value: float) -> str:
    """An axis label: whole numbers, thousands separated (7,412,632 fits the left margin)."""
    return number_text(float(value))


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


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def legend_rows(*, band: bool, points: str = "") -> list[str]:
    """The chart pages' legend: what the line, the band, the dated points (``points``: their
    label, where the panels have some), a dashed day and the break mark mean."""
    line = f'<svg width="22" height="14"><line x1="0" y1="7" x2="22" y2="7" stroke="{LINE_COLOUR}" stroke-width="2"/></svg>'
    rows = [f"{line} " + html.escape(gettext("The figure on each day's DeepState snapshot"), quote=False)]
    if band:
        rows.append(
            f'<svg width="22" height="14"><rect width="22" height="14" fill="{BAND_COLOUR}" fill-opacity="0.45"/></svg> '
            + html.escape(gettext("The population model's band (low and high estimate)"), quote=False)
        )
    if points:
        rows.append(points_legend(points))
    rows.append(
        '<svg width="22" height="14"><line x1="11" y1="0" x2="11" y2="14" stroke="#999" stroke-dasharray="2,3"/></svg> '
        + html.escape(gettext("A day without a snapshot (left empty, not interpolated)"), quote=False)
    )
    rows.append(
        '<svg width="22" height="14"><path d="M5,11 l12,-5 M5,14 l12,-5" stroke="#333" stroke-width="1.5" fill="none"/></svg> '
        + html.escape(gettext("The y-axis does not start at zero: the panel prints its range"), quote=False)
    )
    return rows


def chart_page(title: str, body: str, *, subtitle: str = "", legend: Sequence[str] = (), sources: str = "") -> str:
    """A self-contained HTML page in the layout every peacemap page shares (:mod:`peacemap.maps.layout`):
    ``title`` (plain text, escaped here) in the title box with ``subtitle`` (HTML, escaped by the
    caller), the ``legend`` rows, ``body`` (HTML, escaped by the caller), then the ``sources``
    (HTML); nothing is loaded from elsewhere."""
    from peacemap.maps.layout import BOX_CSS, FOLD_JS, legend_box, sources_box, title_box

    legend_html = legend_box(html.escape(gettext("How to read the charts")), legend) if legend else ""
    return f"""<!DOCTYPE html>
<html lang="{current_language()}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{BOX_CSS}
body{{font:14px/1.45 system-ui,sans-serif;margin:12px;max-width:1320px}}table{{border-collapse:collapse}}
td,th{{padding:2px 8px;text-align:right;border-bottom:1px solid #eee}}td:first-child,th:first-child{{text-align:left}}
.peacemap-charts{{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,{PANEL_W}px));gap:8px 16px}}
.peacemap-chart{{width:100%;height:auto;touch-action:pan-y}}
.peacemap-table{{overflow-x:auto}}
</style></head><body class="peacemap-page">
{title_box(f"<b>{html.escape(title)}</b>", [subtitle] if subtitle else [])}
{legend_html}
{body}
{sources_box(sources) if sources else ""}
{FOLD_JS}
</body></html>
"""


def readout_script(panels: Sequence[Panel], days: Sequence[dt.date]) -> str:
    """A ``<script>`` that, as the pointer (or a finger) moves over any panel, moves every panel's
    cursor to the day under it and writes that day's figure, its band and share, and the latest of
    the panel's dated points on or before it, into each panel's read-out. The data is JSON with
    ``<`` escaped."""

    def rounded(values: Sequence[float] | None, digits: int) -> list | None:
        return None if values is None else [None if _missing(v) else round(float(v), digits) for v in values]

    data = {
        "days": [d.isoformat() if current_language() == ENGLISH else date_text(d) for d in days],
        "left": PANEL_M["left"],
        "plotWidth": PANEL_W - PANEL_M["left"] - PANEL_M["right"],
        "width": PANEL_W,
        "series": [
            {
                "unit": _short_unit(p.unit),
                "values": rounded(p.values, 1),
                "shares": rounded(p.shares, 2),
                "low": rounded(p.band[0], 0) if p.band else None,
                "high": rounded(p.band[1], 0) if p.band else None,
                "points": [[index, value] for index, value, _ in p.points],
            }
            for p in panels
        ],
    }
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    words = _readout_words()
    return f"""<script>
(function () {{
  var data = {payload};
  var charts = Array.prototype.slice.call(document.querySelectorAll("svg.peacemap-chart"));
  function number(v) {{ return v.toLocaleString({words["locale"]}, {{maximumFractionDigits: v < 100 ? 1 : 0}}); }}
  function show(i) {{
    charts.forEach(function (svg) {{
      var s = data.series[Number(svg.dataset.panel)], x = data.left + data.plotWidth * i / Math.max(1, data.days.length - 1);
      var cursor = svg.querySelector(".cursor"), out = svg.querySelector(".readout"), v = s.values[i];
      cursor.setAttribute("x1", x); cursor.setAttribute("x2", x); cursor.setAttribute("visibility", "visible");
      var text = data.days[i] + ": ";
      if (v === null) {{ text += {words["no snapshot"]}; }}
      else {{
        text += number(v) + " " + s.unit;
        if (s.low && s.low[i] !== null) {{ text += " (" + number(s.low[i]) + "–" + number(s.high[i]) + ")"; }}
        if (s.shares && s.shares[i] !== null) {{ text += ", " + {words["share"]} + " %"; }}
      }}
      out.textContent = text;
      var point = svg.querySelector(".readout-point");
      if (point) {{
        var latest = null;
        s.points.forEach(function (p) {{ if (p[0] <= i) {{ latest = p; }} }});
        point.textContent = latest === null ? {words["no statement"]}
          : {words["latest before"]} + number(latest[1]) + {words["latest on"]} + data.days[latest[0]] + {words["latest after"]};
      }}
    }});
  }}
  function move(event) {{
    var box = event.currentTarget.getBoundingClientRect();
    var px = (event.clientX - box.left) * data.width / box.width;
    var i = Math.round((px - data.left) / data.plotWidth * (data.days.length - 1));
    if (i >= 0 && i < data.days.length) {{ show(i); }}
  }}
  charts.forEach(function (svg) {{ svg.addEventListener("pointermove", move); svg.addEventListener("pointerdown", move); }});
  if (data.days.length) {{ show(data.days.length - 1); }}
}})();
</script>"""


def _readout_words() -> dict[str, str]:
    """The read-out script's words and number locale in the language being written, as JavaScript
    literals (English: the script's own words)."""
    latest = gettext("latest statement: %(figure)s on %(date)s (a dot; who and where: below)")
    before, rest = latest.split("%(figure)s")
    on, after = rest.split("%(date)s")

    def literal(text: str) -> str:
        return json.dumps(text, ensure_ascii=False).replace("<", "\\u003c")

    share = "s.shares[i]" if current_language() == ENGLISH else 'String(s.shares[i]).replace(".", ",")'
    return {
        "locale": literal(current_language()),
        "no snapshot": literal(gettext("no snapshot")),
        "no statement": literal(gettext("no statement on or before this day")),
        "latest before": literal(before),
        "latest on": literal(on),
        "latest after": literal(after),
        "share": share,
    }


def draw_panel(ax: Axes, panel: Panel, days: Sequence[dt.date], *, ylabel: str = "") -> None:
    """``panel`` on matplotlib ``ax``: the line, its band, the y-axis from zero or fitted with a
    break mark and its range printed (:func:`axis_range`), the unit as the y label (``ylabel``
    overrides it), at least three date ticks; gaps (NaN) are left blank."""
    import matplotlib.dates
    import pandas as pd
    from matplotlib.ticker import FuncFormatter, StrMethodFormatter

    x = pd.to_datetime(pd.Series(list(days)))
    if panel.band:
        ax.fill_between(x, list(panel.band[0]), list(panel.band[1]), color=BAND_COLOUR, alpha=0.45, linewidth=0)
    ax.plot(x, list(panel.values), color=LINE_COLOUR, linewidth=1.2)
    if panel.points:
        ax.scatter(
            [x.iloc[index] for index, _, _ in panel.points],
            [value for _, value, _ in panel.points],
            s=12,
            color=POINT_COLOUR,
            zorder=3,
            label=panel.points_label,
        )
        ax.legend(fontsize=7, loc="best", frameon=False)
    low, high, broken = axis_range(_drawn_values(panel))
    ax.set_ylim(low, high)
    ax.set_title(panel.title, fontsize=9, loc="left", parse_math=False)
    ax.text(0.0, 1.0, axis_note(panel, low, high, broken), transform=ax.transAxes, fontsize=7, color="#555", va="bottom", ha="left", parse_math=False)
    ax.title.set_y(1.08)
    if broken:  # two slanted strokes across the bottom of the y-axis
        for dy in (0.0, 0.035):
            ax.plot([-0.02, 0.02], [0.01 + dy, 0.04 + dy], transform=ax.transAxes, color="#333", linewidth=1.0, clip_on=False, gid="axis-break")
    ax.grid(alpha=0.3)
    ax.tick_params(labelsize=7)
    if current_language() == ENGLISH:
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))  # 7,400,000, not 7.4 with "1e6" above
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _tick(value)))
    ax.set_ylabel(ylabel or _short_unit(panel.unit), fontsize=8)
    locator = matplotlib.dates.AutoDateLocator(minticks=MIN_DATE_TICKS, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(date_formatter(locator))


def date_formatter(locator: DateLocator) -> Formatter:
    """matplotlib's concise date labels, their month names in the language being written (CLDR's
    abbreviated standalone months for Ukrainian, ``вер. 2025``, ``жовт.``, ``15``; matplotlib's own,
    English, otherwise)."""
    import matplotlib.dates

    if current_language() == ENGLISH:
        return matplotlib.dates.ConciseDateFormatter(locator)
    from babel.dates import format_date
    from matplotlib.ticker import FuncFormatter

    def label(value: float, position: int | None) -> str:
        # As matplotlib's concise labels: a month by its name (with the year on the first tick and
        # in January), other days by their number.
        day = matplotlib.dates.num2date(value).date()
        if day.day != 1:
            return str(day.day)
        return format_date(day, "LLL y" if position == 0 or day.month == 1 else "LLL", locale=current_language())

    return FuncFormatter(label)
