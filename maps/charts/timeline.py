"""Charts of the timeline: a self-contained HTML page (inline SVG and script) and a static figure."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import datetime as dt

    from matplotlib.figure import Figure

from peacemap.layers.i18n.catalogue import N_, count_text, gettext
from peacemap.layers.i18n.dates import date_text, single_stop
from peacemap.layers.i18n.language import ENGLISH, current_language
from peacemap.layers.i18n.names import region_label
from peacemap.layers.i18n.numbers import number_text, percent_text, unit_text
from peacemap.layers.timeline.table import DMZ_PACE_WINDOWS_DAYS, DONETSK, PACE_CAVEAT, Timeline
from peacemap.maps.charts.small_multiples import COLUMNS as _COLUMNS
from peacemap.maps.charts.small_multiples import Panel, chart_page, draw_panel, legend_rows, readout_script, small_multiples_html
from peacemap.maps.charts.small_multiples import fitted_range as fitted_range  # re-exported for existing importers


def _chart_regions(table: pd.DataFrame) -> list[str]:
    """Regions with some occupied land in the range, largest first (all if none has any)."""
    peak = table.groupby("region")["occupied_km2"].max().fillna(0.0).sort_values(ascending=False)
    chosen = [code for code, km2 in peak.items() if km2 > 0]
    return chosen or list(peak.index)


def _region_area_km2(series: pd.DataFrame) -> float:
    """The region's land (km²) from a row's occupied km² and share (NaN if no row has both)."""
    rows = series.dropna(subset=["occupied_km2", "occupied_pct"])
    rows = rows[rows["occupied_pct"] > 0]
    if rows.empty:
        return float("nan")
    first = rows.iloc[0]
    return float(first["occupied_km2"] / first["occupied_pct"] * 100.0)


def region_panels(timeline: Timeline) -> list[Panel]:
    """One panel per region with occupied land: occupied km² per day, the share of the region on
    the right axis and in the read-out."""
    table = timeline.table
    panels = []
    for code in _chart_regions(table):
        series = table[table["region"] == code].sort_values("date")
        area_km2 = _region_area_km2(series)
        share = (lambda km2, a=area_km2: _share_text(100 * km2 / a)) if area_km2 == area_km2 and area_km2 > 0 else None
        name = region_label(code, series["region_name"].iloc[0])
        panels.append(
            Panel(
                gettext("%(region)s: occupied land") % {"region": f"{code} {name}"},
                series["occupied_km2"].tolist(),
                gettext("km²"),
                right=share,
                shares=series["occupied_pct"].tolist(),
                right_unit=(gettext("%% of region") % {}) if share else "",
            )
        )
    return panels


def _share_text(value_pct: float) -> str:
    """A share on the right axis: ``74.5 %`` (as the English charts have always written it), ``74,5 %``."""
    return f"{value_pct:.1f} %" if current_language() == ENGLISH else percent_text(value_pct)


def timeline_html(timeline: Timeline, *, title: str, sources_note: str) -> str:
    """A self-contained HTML page: the charts with their read-out, the latest figures and the gaps.

    No external resource is loaded (no CDN, fonts or images): the page works offline and can be
    embedded as it is.
    """
    table = timeline.table
    days = sorted(table["date"].unique())
    panels = region_panels(timeline)
    gaps = ", ".join(date_text(d) for d in timeline.gaps) or gettext("none")
    on_day = html.escape(gettext("On %(date)s") % {"date": date_text(timeline.last)})
    body = f"""<p>{html.escape(gettext(MOVE_POINTER))}</p>
{small_multiples_html(panels, days, timeline.gaps, label=gettext(CHARTS_LABEL))}
<h2 style="font-size:1.1em">{on_day}</h2>
<div class="peacemap-table">{_latest_table(table, timeline.last)}</div>
<p>{html.escape(single_stop(gettext(GAPS_LINE) % {"days": gaps}))}</p>
{readout_script(panels, days)}"""
    subtitle = gettext("Occupied land per region in km² (geodesic) and as a share of the region, on every daily snapshot")
    return chart_page(title, body, subtitle=html.escape(subtitle), legend=legend_rows(band=False), sources=html.escape(sources_note))


CHARTS_LABEL = N_("Occupied km² per region, one panel each")
MOVE_POINTER = N_("Move the pointer over a chart (or touch it) to read the figures of a day in every panel.")
GAPS_LINE = N_("Days without a snapshot (left empty, not interpolated; dashed lines): %(days)s.")


def _latest_table(table: pd.DataFrame, day: dt.date) -> str:
    rows = table[table["date"] == day]
    header = (N_("region"), N_("occupied km²"), N_("share %"), N_("30-day change km²"), N_("90-day change km²"))
    lines = ["<table><tr>" + "".join(f"<th>{html.escape(gettext(h))}</th>" for h in header) + "</tr>"]
    for row in rows.itertuples(index=False):
        cells = [
            f"{row.region} {region_label(row.region, row.region_name)}",
            _fmt(row.occupied_km2, 1),
            _fmt(row.occupied_pct, 2),
            _fmt(row.change_30d_km2, 1, signed=True),
            _fmt(row.change_90d_km2, 1, signed=True),
        ]
        lines.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    lines.append("</table>")
    donetsk = rows[rows["region"] == DONETSK]
    if len(donetsk):
        row = donetsk.iloc[0]
        lines.append("<p>" + html.escape(gettext("Donetsk: %(pace)s") % {"pace": _dmz_sentence(row)}, quote=False) + "</p>")
    return "\n".join(lines)


def _dmz_sentence(row: pd.Series) -> str:
    """Days to occupy the held part (the plan's DMZ) at the 30-, 90- and 365-day paces, and the caveat."""
    paces = []
    for window in DMZ_PACE_WINDOWS_DAYS:
        days, change = row[f"dmz_days_at_{window}d_pace"], row[f"change_{window}d_km2"]
        if _missing(change):
            paces.append(gettext("%(window)s-day pace: no figure (no snapshot %(window)s days earlier)") % {"window": window})
        elif _missing(days):
            paces.append(gettext("%(window)s-day pace (%(change)s): not advancing, never") % {"window": window, "change": _change_km2(change)})
        else:
            paces.append(
                gettext("%(window)s-day pace (%(change)s): %(days)s")
                % {"window": window, "change": _change_km2(change), "days": count_text(int(round(days)), "%(count)s day", "%(count)s days")}
            )
    return (
        gettext("days to occupy the held %(area)s (the plan's DMZ) at the trailing %(paces)s.")
        % {"area": unit_text(row["held_km2"], "km2"), "paces": "; ".join(paces)}
        + " "
        + gettext(PACE_CAVEAT)
    )


def _change_km2(change: float) -> str:
    """A signed change of land: ``+12.3 km²`` / ``+12,3 км²``."""
    return ("+" if change >= 0 else "-") + unit_text(abs(change), "km2", places=1)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _fmt(value: float | None, digits: int, *, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return ("+" if value >= 0 else "-") + number_text(abs(value), places=digits) if signed else number_text(value, places=digits)


def timeline_figure(timeline: Timeline, *, title: str) -> Figure:
    """A matplotlib Figure (no pyplot): one panel per region of occupied km² per day, each y-axis
    from zero or broken and labelled (:func:`peacemap.maps.charts.small_multiples.draw_panel`), the share
    of the region on the right; gaps left blank; and Donetsk's days to occupy its held part at the
    30-, 90- and 365-day paces (log scale)."""
    from matplotlib.figure import Figure

    table = timeline.table
    regions = _chart_regions(table)
    has_donetsk = (table["region"] == DONETSK).any()
    rows = math.ceil(len(regions) / _COLUMNS) + (1 if has_donetsk else 0)
    fig = Figure(figsize=(11, 2.3 * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, _COLUMNS, sharex=True, squeeze=False)
    days = sorted(table["date"].unique())
    for n, panel in enumerate(region_panels(timeline)):
        ax = axes[n // _COLUMNS][n % _COLUMNS]
        draw_panel(ax, panel, days, ylabel=gettext("occupied km²"))
        area_km2 = _region_area_km2(table[table["region"] == regions[n]])
        if area_km2 == area_km2 and area_km2 > 0:
            share = ax.secondary_yaxis("right", functions=(lambda km2, a=area_km2: 100 * km2 / a, lambda pct, a=area_km2: pct * a / 100))
            share.tick_params(labelsize=7)
            share.set_ylabel((gettext("%% of region") % {}), fontsize=7)
    for n in range(len(regions), (rows - (1 if has_donetsk else 0)) * _COLUMNS):
        axes[n // _COLUMNS][n % _COLUMNS].set_visible(False)
    if has_donetsk:
        for ax in axes[-1][1:]:
            ax.set_visible(False)
        pace = axes[-1][0]
        series = table[table["region"] == DONETSK].sort_values("date")
        for window, colour in zip(DMZ_PACE_WINDOWS_DAYS, ("#fdae61", "#d7191c", "#2c7bb6"), strict=True):
            pace.plot(
                pd.to_datetime(series["date"]),
                series[f"dmz_days_at_{window}d_pace"],
                color=colour,
                linewidth=1.1,
                label=gettext("%(window)s-day pace") % {"window": window},
            )
        pace.set_yscale("log")
        pace.set_ylabel(gettext("days (log scale)"), fontsize=8)
        pace.set_title(gettext("Donetsk: days to occupy its held part (the 28-point plan's DMZ)"), fontsize=9, loc="left")
        pace.legend(fontsize=7)
        pace.grid(alpha=0.3)
        pace.tick_params(labelsize=7)
    fig.suptitle(title, fontsize=11)
    return fig
