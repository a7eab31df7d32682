"""Charts of a plan over time: for each headline measure the plan touches, km² and population on
1 January 2022 (with its band) per day, as a self-contained HTML page and as a static figure."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from peacemap.layers.i18n.catalogue import N_, gettext
from peacemap.layers.i18n.dates import date_range_text, date_text, iso_date_text, single_stop
from peacemap.layers.i18n.names import region_label
from peacemap.layers.regions import REGION_NAMES
from peacemap.layers.report.contract import PlanTimelineStatement
from peacemap.layers.report.format import km2_text, people_text
from peacemap.layers.report.measures import Measure
from peacemap.layers.report.statement_points import point_text
from peacemap.layers.report.terms import measure_label, measure_short_label
from peacemap.layers.timeline.plan import FIGURES, PLAN_MEASURES, PlanTimeline
from peacemap.maps.charts.small_multiples import COLUMNS, PEOPLE_UNIT, Panel, chart_page, draw_panel, legend_rows, readout_script, small_multiples_html
from peacemap.maps.charts.timeline import GAPS_LINE

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


STATEMENTS_LABEL = N_("official statement of people remaining")


def plan_panels(timeline: PlanTimeline, statements: Sequence[PlanTimelineStatement] = ()) -> list[Panel]:
    """Two panels per charted measure: km² per day, and 2022 population per day with its band and
    the official statements of people remaining in its land as dated points."""
    panels = []
    position = {day.isoformat(): n for n, day in enumerate(timeline.days)}
    for measure in charted_measures(timeline):
        short = measure_short_label(measure)
        name = short[:1].upper() + short[1:]
        excluded = _excluded(timeline, measure)
        people_unit = gettext(PEOPLE_UNIT) + (", " + gettext("without %(regions)s") % {"regions": excluded} if excluded else "")
        mine = [s for s in statements if s["measure"] == measure]
        points = [(position[s["date"]], float(s["figure"]), point_text(s)) for s in mine]
        panels.append(Panel(gettext("%(measure)s: land") % {"measure": name}, _series(timeline, measure, _AREA), gettext("km²"), label=name))
        panels.append(
            Panel(
                gettext("%(measure)s: people") % {"measure": name},
                _series(timeline, measure, _PEOPLE),
                people_unit,
                label="",
                band=(_series(timeline, measure, _LOW), _series(timeline, measure, _HIGH)),
                points=points,
                points_label=_points_label(mine) if points else "",
            )
        )
    return panels


def _points_label(statements: Sequence[PlanTimelineStatement]) -> str:
    regions = sorted({s["region"] for s in statements})
    if len(regions) <= 1:
        return gettext(STATEMENTS_LABEL)
    return gettext("official statements, each of one region's part (%(regions)s)") % {
        "regions": ", ".join(region_label(code, REGION_NAMES.get(code, code)) for code in regions)
    }


def plan_timeline_title(timeline: PlanTimeline) -> str:
    """E.g. "plan28 over time: DeepState snapshots 2024-07-08 to 2026-08-22"."""
    return gettext("%(plan)s over time: DeepState snapshots %(dates)s") % {"plan": timeline.plan.id, "dates": date_range_text(timeline.first, timeline.last)}


def plan_timeline_html(timeline: PlanTimeline, *, sources_note: str, statements: Sequence[PlanTimelineStatement] = ()) -> str:
    """A self-contained HTML page: the charts, a hover read-out, the figures of the last snapshot,
    the official statements drawn (with their pages) and the gaps. Nothing is loaded from
    elsewhere; plan text is escaped."""
    panels = plan_panels(timeline, statements)
    title = plan_timeline_title(timeline)
    gaps = ", ".join(date_text(day) for day in timeline.gaps) or gettext("none")
    chart = (
        small_multiples_html(panels, timeline.days, timeline.gaps, label=gettext("%(title)s, km² and people per measure") % {"title": title})
        if panels
        else "<p>" + html.escape(gettext("The plan moves no land on any day of the range.")) + "</p>"
    )
    intro = html.escape(
        gettext(
            "What the plan would mean if it were applied to the line of each day: each day's figures are those of\n"
            "%(command)s. Move the pointer over a chart (or touch it)\nto read the figures of a day in every panel."
        ),
        quote=False,
    ) % {"command": f"<code>peacemap report --plan {html.escape(timeline.plan.id)} --date DAY</code>"}
    notes = f"<p>{html.escape(timeline.plan.text_note())}</p>\n" if timeline.plan.text_note() else ""
    body = f"""<p>{intro}</p>
{notes}{chart}
<div class="peacemap-table">{_latest_table(timeline)}</div>
{_statements_list(statements)}
<p>{html.escape(single_stop(gettext(GAPS_LINE) % {"days": gaps}))}</p>
{readout_script(panels, timeline.days) if panels else ""}"""
    subtitle = html.escape(gettext("%(title)s: land (km², geodesic) and people on 1 January 2022, with the model's band"), quote=False) % {
        "title": html.escape(timeline.plan.title_text())
    }
    points = (
        gettext(
            "A dot: an %(statement)s in one region's part of the land (hover for its figure, source and date); not the population "
            "of 1 January 2022, and never part of it"
        )
        % {"statement": gettext(STATEMENTS_LABEL)}
        if statements
        else ""
    )
    return chart_page(title, body, subtitle=subtitle, legend=legend_rows(band=True, points=points), sources=html.escape(sources_note))


def _latest_table(timeline: PlanTimeline) -> str:
    if not timeline.figures:
        return "<p>" + html.escape(gettext("No snapshot in the range.")) + "</p>"
    day = max(timeline.figures)
    header = (N_("measure"), N_("km²"), N_("people (1 January 2022, with band)"))
    on_day = html.escape(gettext("On %(date)s") % {"date": date_text(day)})
    lines = [f'<h2 style="font-size:1.1em">{on_day}</h2>', "<table><tr>" + "".join(f"<th>{html.escape(gettext(h))}</th>" for h in header) + "</tr>"]
    for measure in PLAN_MEASURES:
        area, people, low, high, excluded = timeline.figures[day][measure]
        figures = {
            "population_2022": people,
            "population_2022_low": low,
            "population_2022_high": high,
            "population_excludes": excluded.split("+") if excluded else [],
        }
        cells = (measure_label(measure), km2_text(area), people_text(figures))
        lines.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _statements_list(statements: Sequence[PlanTimelineStatement]) -> str:
    """The statements drawn as points, each with its page (escaped)."""
    if not statements:
        return ""
    from peacemap.layers.report.statement_points import NOTE

    items = "".join(
        f"<li>{html.escape(iso_date_text(s['date']))}, {html.escape(s['measure_label'])}: {html.escape(point_text(s).rsplit(', ', 1)[0])}, "
        f'<a href="{html.escape(s["url"])}">{html.escape(s["url"].split("//", 1)[-1].split("/", 1)[0])}</a></li>'
        for s in statements
    )
    heading = html.escape(gettext("Official statements of people remaining (dots)"))
    return f'<h2 style="font-size:1.1em">{heading}</h2><p>{html.escape(gettext(NOTE))}</p><ul>{items}</ul>'


def plan_timeline_figure(timeline: PlanTimeline, statements: Sequence[PlanTimelineStatement] = ()) -> Figure:
    """A matplotlib Figure (no pyplot): a row per charted measure, km² on the left and population
    on 1 January 2022 with its band (and the official statements as dated points) on the right,
    each y-axis from zero or broken and labelled (:func:`peacemap.maps.charts.small_multiples.draw_panel`);
    gaps left blank."""
    from matplotlib.figure import Figure

    panels = plan_panels(timeline, statements)
    rows = max(1, math.ceil(len(panels) / COLUMNS))
    fig = Figure(figsize=(11, 2.3 * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, COLUMNS, sharex=True, squeeze=False)
    for n, panel in enumerate(panels):
        draw_panel(axes[n // COLUMNS][n % COLUMNS], panel, timeline.days)
    for n in range(len(panels), rows * COLUMNS):
        axes[n // COLUMNS][n % COLUMNS].set_visible(False)
    fig.suptitle(plan_timeline_title(timeline), fontsize=11, parse_math=False)  # a plan file's id is shown as written
    return fig
