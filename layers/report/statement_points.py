"""Official statements as dated points beside a plan's figures over time (``timeline --plan``).

A headline measure's land in a region is an area with statements when the plan's rule for the
region gives exactly that area's land to the measure: plan28's demilitarised zone is the held part
of Donetsk oblast on every day, so every statement about the held part stands as a point beside the
zone's 1 January 2022 series. This follows from the plan's rules alone (the statuses of the held and
the occupied land of each region), the same on every snapshot; a region an option zone may cut (a
band along the line, a disc) is left out, since the zone may hold only part of the area on a given
day. Statements about hromadas and cities are not drawn: they are places inside the land, not its
figure (the report lists them). A point is drawn on the day its statement was made (a statement
dated only to a month, on the month's last day). A statement never enters a total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from peacemap.layers.control import HELD, OCCUPIED
from peacemap.layers.i18n.catalogue import N_
from peacemap.layers.plans.model import Plan
from peacemap.layers.plans.statuses import meaning_of
from peacemap.layers.report.beside import beside, region_name, statement_text
from peacemap.layers.report.contract import PlanTimelineStatement
from peacemap.layers.report.figures import SELECTIONS
from peacemap.layers.report.measures import Measure
from peacemap.layers.report.terms import measure_label
from peacemap.layers.sources import statements as table

# The controls of a region whose land each kind of area is.
AREA_CONTROLS = {table.LAND_HELD: frozenset({HELD}), table.LAND_OCCUPIED: frozenset({OCCUPIED}), table.LAND_REGION: frozenset({HELD, OCCUPIED})}
NOTE = N_(
    "Official statements of people remaining, drawn on the day they were made, beside a measure whose land in a region is "
    "exactly the statement's area under the plan's rules (one region each, never summed); not the population of "
    "1 January 2022 and never part of a figure. Statements of hromadas and cities inside the land are in the report."
)
CSV_COLUMNS = ("statement_region", "statement_figure", "statement_kind", "statement_claim", "statement_by", "statement_url", "statement")


def statement_points(
    plan: Plan,
    measures: Sequence[Measure],
    first: dt.date,
    last: dt.date,
    *,
    with_claims: bool = False,
    cut: frozenset[tuple[str, str]] = frozenset(),
    statements: Sequence[table.Statement] | None = None,
) -> list[PlanTimelineStatement]:
    """The statements to draw beside ``plan``'s ``measures`` from ``first`` to ``last``.

    Parameters
    ----------
    plan
        The plan, with its options switched on.
    measures
        The measures charted.
    first, last
        The range (inclusive): statements made in it are drawn.
    with_claims
        Include the occupying power's claims (labelled as such).
    cut
        ``(region, control)`` pairs whose land an option zone may take part of
        (:func:`cut_by_options`): their areas are left out.
    statements
        The statements to use (default: the table shipped with peacemap).

    Returns
    -------
    list of PlanTimelineStatement
        By date, then measure (in ``measures`` order), region and statement id.
    """
    chosen = table.statements(with_claims=with_claims, table=tuple(statements) if statements is not None else None)
    points: list[PlanTimelineStatement] = []
    for statement in chosen:
        controls = AREA_CONTROLS.get(statement.land_kind or "")
        if controls is None or not statement.shown or statement.statement_date is None:
            continue
        day = statement.statement_date.last
        if not first <= day <= last or any((statement.region, control) in cut for control in controls):
            continue
        for measure in measures:
            if measure_controls(plan, measure, statement.region) == controls:
                points.append(_point(plan, measure, day, statement))
    order = {str(measure): n for n, measure in enumerate(measures)}
    return sorted(points, key=lambda p: (p["date"], order[p["measure"]], p["region"], p["statement_id"]))


def measure_controls(plan: Plan, measure: Measure, region: str) -> frozenset[str]:
    """Which of ``region``'s held and occupied land the plan's rule gives ``measure``."""
    chosen = set()
    for control in (HELD, OCCUPIED):
        status = plan.status_for(region, control)
        meaning = meaning_of(status)
        record = {
            "status": status,
            "control": control,
            "kind": meaning.kind,
            "side_after": meaning.side_after,
            "recognition": meaning.recognition,
            "withdraws": meaning.withdraws,
        }
        if SELECTIONS[measure](record):
            chosen.add(control)
    return frozenset(chosen)


def cut_by_options(plan: Plan, regions: Any) -> frozenset[tuple[str, str]]:  # a GeoDataFrame of regions
    """The ``(region, control)`` pairs whose land an option zone of ``plan`` may take part of: the
    zone's region (``within``, ``along_line_in``), or each region a disc reaches."""
    import shapely

    from peacemap.geo.projections import from_metric, to_metric

    cut: set[tuple[str, str]] = set()
    for option in plan.active_options():
        for zone in option.zones:
            controls = (HELD, OCCUPIED) if zone.control == "both" else (zone.control,)
            if zone.within or zone.along_line_in:
                codes = [zone.within or zone.along_line_in]
            else:
                disc = from_metric(to_metric(shapely.Point(zone.around)).buffer(zone.radius_km * 1000.0))
                codes = [str(code) for code, geometry in zip(regions["code"], regions.geometry) if geometry.intersects(disc)]
            cut.update((code, control) for code in codes for control in controls)
    return frozenset(cut)


def _point(plan: Plan, measure: Measure, day: dt.date, statement: table.Statement) -> PlanTimelineStatement:
    record = beside(statement.record())
    return {
        "date": day.isoformat(),
        "plan": plan.id,
        "measure": measure,
        "measure_label": measure_label(measure),
        "region": statement.region,
        "statement_id": statement.id,
        "figure": statement.figure,
        "figure_high": statement.figure_high,
        "kind": statement.kind,
        "claim": statement.is_claim,
        "body": statement.body,
        "statement_date": record["statement_date"],
        "as_of": record["as_of"],
        "url": statement.url,
        "label": record["label"],
    }


def point_text(point: Mapping[str, Any]) -> str:
    """A point on one line: its region, the statement, who, when, the page."""
    return f"{region_name(point['region'])}: {statement_text(point)}"


def csv_rows(records: Sequence[Mapping[str, Any]], points: Sequence[PlanTimelineStatement]) -> list[dict[str, Any]]:
    """The plan timeline's CSV rows with the points among them: a row with status ``statement`` on
    each point's day after that day's figures, its figures empty and its statement in the columns
    of :data:`CSV_COLUMNS` (empty on the other rows)."""
    empty = dict.fromkeys(CSV_COLUMNS)
    template = {key: None for key in records[0]} if records else {}
    readings = records[0]["readings"] if records else ""
    by_day: dict[str, list[dict[str, Any]]] = {}
    for point in points:
        by_day.setdefault(point["date"], []).append(
            {
                **template,
                "date": point["date"],
                "plan": point["plan"],
                "status": "statement",
                "measure": point["measure"],
                "measure_label": point["measure_label"],
                "readings": readings,
                "statement_region": point["region"],
                "statement_figure": point["figure"],
                "statement_kind": point["kind"],
                "statement_claim": "true" if point["claim"] else "false",
                "statement_by": point["body"],
                "statement_url": point["url"],
                "statement": statement_text(point),
            }
        )
    rows: list[dict[str, Any]] = []
    for n, record in enumerate(records):
        rows.append({**record, **empty})
        if n + 1 == len(records) or records[n + 1]["date"] != record["date"]:
            rows += by_day.pop(record["date"], [])
    return rows
