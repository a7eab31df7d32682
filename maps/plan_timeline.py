"""Charts of a plan over time: for each headline measure the plan touches, km² and population on
1 January 2022 (with its band) per day, as a self-contained HTML page and as a static figure."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

from peacemap.layers.report.format import km2_text, people_text
from peacemap.layers.report.measures import Measure
from peacemap.layers.timeline.plan import FIGURES, PLAN_MEASURES, PlanTimeline
from peacemap.maps.small_multiples import COLUMNS, Panel, chart_page, draw_panel, legend_rows, readout_script, small_multiples_html

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_AREA, _PEOPLE, _LOW, _HIGH = range(len(FIGURES))


def charted_measures(timeline: PlanTimeline) -> list[Measure]:
    """The measures with land on some day of the range (all would be flat zero lines otherwise)."""
    return [m for m in PLAN_MEASURES if any(day[m][_AREA] > 0 for day in timeline.figures.values())]


def _series(timeline: PlanTimeline, measure: str, index: int) -> list[float]:
    """One figure of ``measure`` per calendar day, NaN on gap days."""
    return [float(timeline.figures[day][measure][index]) if day in timeline.figures else math.nan for day in timeline.days]


def _excluded(timeline: PlanTimeline, measure: str) -> str:
    """The regions without a 2022 figure that ``measure`` covers on some day, joined by '+'."""
    return "+".join(sorted({r for day in timeline.figures.values() for r in day[measure][-1].split("+") if r}))


def plan_panels(timeline: PlanTimeline) -> list[Panel]:
    """Two panels per charted measure: km² per day, and 2022 population per day with its band."""
    panels = []
    for measure in charted_measures(timeline):
        name = measure.short_label[0].upper() + measure.short_label[1:]
        excluded = _excluded(timeline, measure)
        people_unit = "people on 1 January 2022" + (f", without {excluded}" if excluded else "")
        panels.append(Panel(f"{name}: land", _series(timeline, measure, _AREA), "km²", label=name))
        panels.append(Panel(f"{name}: people", _series(timeline, measure, _PEOPLE), people_unit, label="",
                            band=(_series(timeline, measure, _LOW), _series(timeline, measure, _HIGH))))
    return panels


def plan_timeline_title(timeline: PlanTimeline) -> str:
    """E.g. "plan28 over time: DeepState snapshots 2024-07-08 to 2026-08-22"."""
    return f"{timeline.plan.id} over time: DeepState snapshots {timeline.first.isoformat()} to {timeline.last.isoformat()}"


def plan_timeline_html(timeline: PlanTimeline, *, sources_note: str) -> str:
    """A self-contained HTML page: the charts, a hover read-out, the figures of the last snapshot
    and the gaps. Nothing is loaded from elsewhere; plan text is escaped."""
    panels = plan_panels(timeline)
    title = plan_timeline_title(timeline)
    gaps = ", ".join(day.isoformat() for day in timeline.gaps) or "none"
    chart = (small_multiples_html(panels, timeline.days, timeline.gaps, label=f"{title}, km² and people per measure")
             if panels else "<p>The plan moves no land on any day of the range.</p>")
    body = f"""<p>What the plan would mean if it were applied to the line of each day: each day's figures are those of
<code>peacemap report --plan {html.escape(timeline.plan.id)} --date DAY</code>. Move the pointer over a chart (or touch it)
to read the figures of a day in every panel.</p>
{chart}
<div class="peacemap-table">{_latest_table(timeline)}</div>
<p>Days without a snapshot (left empty, not interpolated; dashed lines): {html.escape(gaps)}.</p>
{readout_script(panels, timeline.days) if panels else ""}"""
    subtitle = f"{html.escape(timeline.plan.title)}: land (km², geodesic) and people on 1 January 2022, with the model's band"
    return chart_page(title, body, subtitle=subtitle, legend=legend_rows(band=True), sources=html.escape(sources_note))


def _latest_table(timeline: PlanTimeline) -> str:
    if not timeline.figures:
        return "<p>No snapshot in the range.</p>"
    day = max(timeline.figures)
    header = ("measure", "km²", "people (1 January 2022, with band)")
    lines = [f'<h2 style="font-size:1.1em">On {day.isoformat()}</h2>',
             "<table><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>"]
    for measure in PLAN_MEASURES:
        area, people, low, high, excluded = timeline.figures[day][measure]
        figures = {"population_2022": people, "population_2022_low": low, "population_2022_high": high,
                   "population_excludes": excluded.split("+") if excluded else []}
        cells = (measure.label, km2_text(area), people_text(figures))
        lines.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def plan_timeline_figure(timeline: PlanTimeline) -> Figure:
    """A matplotlib Figure (no pyplot): a row per charted measure, km² on the left and population
    on 1 January 2022 with its band on the right, each y-axis from zero or broken and labelled
    (:func:`peacemap.maps.small_multiples.draw_panel`); gaps left blank."""
    from matplotlib.figure import Figure

    panels = plan_panels(timeline)
    rows = max(1, math.ceil(len(panels) / COLUMNS))
    fig = Figure(figsize=(11, 2.3 * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, COLUMNS, sharex=True, squeeze=False)
    for n, panel in enumerate(panels):
        draw_panel(axes[n // COLUMNS][n % COLUMNS], panel, timeline.days)
    for n in range(len(panels), rows * COLUMNS):
        axes[n // COLUMNS][n % COLUMNS].set_visible(False)
    fig.suptitle(plan_timeline_title(timeline), fontsize=11, parse_math=False)  # a plan file's id is shown as written
    return fig

