"""Official statements as dated points beside a plan's figures over time (issue 27: "The
`timeline --plan plan28` chart shows the statements as points"), in CSV, JSON and the charts.

Reference facts (issue 27): the Donetsk regional military administration counted 198,500 civilians
in the Ukrainian-held part of the oblast on 2025-11-13, 196,200 on 2025-12-04 and 187,000 on
2026-02-05; that held part is the 28-point plan's demilitarised zone on every day (point 21d).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

import peacemap
from peacemap import pipeline
from peacemap.layers.plans.model import load_plan
from peacemap.layers.report import contract
from peacemap.layers.report.measures import Measure
from peacemap.layers.report.statement_points import measure_controls, statement_points
from peacemap.layers.timeline.plan import PLAN_MEASURES

FIRST, LAST = dt.date(2025, 11, 10), dt.date(2025, 11, 20)


@pytest.fixture(scope="module")
def short_timeline():
    return pipeline.plan_timeline("plan28", FIRST, LAST)


def _figures(points, measure, region="UA-14"):
    return [(p["date"], p["figure"]) for p in points if p["measure"] == measure and p["region"] == region]


def test_the_dmz_gets_the_donetsk_series_as_points():
    points = statement_points(load_plan("plan28"), PLAN_MEASURES, dt.date(2025, 7, 24), dt.date(2026, 2, 10))
    dmz = _figures(points, Measure.CEDED_DEMILITARISED)
    assert ("2025-11-13", 198_500) in dmz
    assert ("2025-12-04", 196_200) in dmz
    assert dmz[-1] == ("2026-02-05", 187_000)
    assert dmz == sorted(dmz)
    # the held part of Donetsk is not the land of a measure that holds more (or less) than it
    assert not _figures(points, Measure.RUSSIAN_SIDE)
    assert not _figures(points, Measure.CEDED_TO_RUSSIAN_FORCES)
    # a measure over two regions has each region's points, never a sum
    frozen = {p["region"] for p in points if p["measure"] == Measure.FROZEN_UKRAINIAN_SIDE}
    assert frozen == {"UA-65", "UA-23"}
    assert not any(p["claim"] for p in points)


def test_a_region_an_option_zone_cuts_gets_no_points():
    plan = load_plan("plan20").with_options(["donetsk-zone"])
    assert pipeline.statement_points(plan, dt.date(2025, 7, 24), dt.date(2026, 2, 10), with_claims=False)
    assert not [p for p in pipeline.statement_points(plan, dt.date(2025, 7, 24), dt.date(2026, 2, 10), with_claims=False) if p["region"] == "UA-14"]
    # without the option the held part of Donetsk is the frozen Ukrainian side's land there
    assert measure_controls(load_plan("plan20"), Measure.FROZEN_UKRAINIAN_SIDE, "UA-14") == frozenset({"held"})


def test_claims_only_with_claims_and_labelled():
    plan = load_plan("plan28")
    with_claims = statement_points(plan, PLAN_MEASURES, dt.date(2024, 7, 8), dt.date(2026, 8, 22), with_claims=True)
    claims = [p for p in with_claims if p["claim"]]
    assert claims
    assert all(p["label"].startswith("OCCUPYING-POWER CLAIM: ") for p in claims)
    # occupied Donetsk is the land under Russian forces there (the held part is the DMZ, which they do not enter)
    assert {(p["measure"], p["region"]) for p in claims} == {(Measure.UNDER_RUSSIAN_FORCES, "UA-14")}
    without = statement_points(plan, PLAN_MEASURES, dt.date(2024, 7, 8), dt.date(2026, 8, 22))
    assert without == [p for p in with_claims if not p["claim"]]


def test_the_charts_show_the_statements_as_points(short_timeline):
    from peacemap.maps.charts.plan_timeline import plan_timeline_figure, plan_timeline_html

    points = pipeline.plan_timeline_statements(short_timeline)
    assert _figures(points, Measure.CEDED_DEMILITARISED) == [("2025-11-13", 198_500)]
    page = plan_timeline_html(short_timeline, sources_note="", statements=points)
    assert page.count("<circle") >= 2
    assert "Donetsk (UA-14): about 198,500 civilians (Donetsk Oblast Military Administration, 2025-11-13)" in page
    assert "official statement of people remaining" in page
    assert "latest statement: " in page  # legend and read-out
    figure = plan_timeline_figure(short_timeline, points)
    dots = [collection for ax in figure.axes for collection in ax.collections if collection.get_label().startswith("official statement")]
    assert dots
    assert any(198_500 in collection.get_offsets()[:, 1] for collection in dots)
    assert any(ax.get_legend() is not None for ax in figure.axes)
    assert "<circle" not in plan_timeline_html(short_timeline, sources_note="")


def test_csv_and_json_carry_the_points(short_timeline, tmp_path):
    points = pipeline.plan_timeline_statements(short_timeline)
    pipeline.write_plan_timeline(short_timeline, tmp_path / "t.csv", statements=points)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8"))))
    figures = [row for row in rows if row["status"] != "statement"]
    assert len(figures) == len(short_timeline.days) * len(PLAN_MEASURES)
    statements = [row for row in rows if row["status"] == "statement"]
    assert [(row["date"], row["measure"], row["statement_figure"]) for row in statements if row["statement_region"] == "UA-14"] == [
        ("2025-11-13", "ceded_beyond_line", "198500"),
        ("2025-11-13", "ceded_demilitarised", "198500"),
    ]
    assert all(row["area_km2"] == "" and row["population_2022"] == "" for row in statements)
    at = rows.index(statements[0])
    assert rows[at - 1]["date"] == "2025-11-13"
    assert rows[at - 1]["status"] == "snapshot"  # after that day's figures
    pipeline.write_plan_timeline(short_timeline, tmp_path / "t.json", statements=points)
    document = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert document["statements"]
    assert all(contract.mismatches(p, contract.PlanTimelineStatement) == [] for p in document["statements"])


def test_the_api_gives_the_points_as_a_frame():
    frame = peacemap.plan_statements("plan28", "2025-11-01", "2025-11-20")
    dmz = frame[(frame["measure"] == "ceded_demilitarised") & (frame["region"] == "UA-14")]
    assert list(dmz["date"]) == [dt.date(2025, 11, 13)]
    assert list(dmz["figure"]) == [198_500]
    with pytest.raises(peacemap.PeacemapError, match="'with_claims' should be True or False"):
        peacemap.plan_statements("plan28", with_claims="yes")
