"""The plan over time (`peacemap timeline --plan`): each snapshot's figures are the report's, gaps
stay gaps, and the figures are cached per plan without ever being read stale."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging

import pytest

from peacemap.cli.main import cli
from peacemap.layers.plans.model import load_plan
from peacemap.layers.report.contract import PlanTimelineRow, keys
from peacemap.layers.timeline import plan as plan_timeline
from peacemap.layers.timeline.plan import FIGURES, PLAN_MEASURES, PlanTimeline, build_plan_timeline, measure_plan

HANDED_OVER = dt.date(2025, 11, 20)  # the day the 28-point plan was handed to Kyiv
SUMMER = dt.date(2025, 7, 24)
GAP = dt.date(2025, 11, 26)  # DeepState has snapshots on 2025-11-25 and 2025-11-27, none between


@pytest.fixture(scope="module")
def plan28_on_two_days():
    """plan28's figures on 2025-07-24 and 2025-11-20, measured on two forked workers."""
    figures = measure_plan(load_plan("plan28"), [SUMMER, HANDED_OVER], workers=2)
    return dict(zip([SUMMER, HANDED_OVER], figures))


def test_each_snapshot_gives_the_report_headline(plan28_on_two_days, plan28_report):
    day = plan28_on_two_days[HANDED_OVER]
    for measure in PLAN_MEASURES:
        expected = plan28_report["headline"][measure]
        assert day[measure] == [*(expected[name] for name in FIGURES), "+".join(expected["population_excludes"])], measure


def test_the_dmz_was_larger_in_july(plan28_on_two_days):
    summer, november = (plan28_on_two_days[day]["ceded_demilitarised"] for day in (SUMMER, HANDED_OVER))
    assert summer[0] > november[0] > 0  # km²: the line moved west between the two
    assert summer[1] > november[1] > 0  # people (1 January 2022)


@pytest.fixture
def private_plan_cache(tmp_path, monkeypatch):
    """The plan figures cached under tmp_path (the other caches stay where they are)."""
    monkeypatch.setattr(plan_timeline, "timeline_cache_dir", lambda: tmp_path)
    return tmp_path


def test_days_without_a_snapshot_are_gaps_with_no_figures(private_plan_cache):
    timeline = build_plan_timeline(load_plan("plan28"), dt.date(2025, 11, 25), dt.date(2025, 11, 27), workers=1)
    assert timeline.gaps == (GAP,)
    records = plan_timeline.plan_timeline_records(timeline)
    assert len(records) == 3 * len(PLAN_MEASURES)
    on_gap = [r for r in records if r["date"] == GAP.isoformat()]
    assert {r["status"] for r in on_gap} == {"gap"}
    assert all(r[name] is None for r in on_gap for name in FIGURES)
    around = [r for r in records if r["date"] != GAP.isoformat()]
    assert {r["status"] for r in around} == {"snapshot"}
    assert all(r["area_km2"] > 0 for r in around if r["measure"] == "dmz")


def _fake_figures(calls: list):
    """A stand-in for measure_plan: figures that encode the day, and a log of the days asked for."""

    def measure(plan, days, **options):
        calls.extend(days)
        return [{m: [float(day.day), day.day, day.day, day.day, ""] for m in PLAN_MEASURES} for day in days]

    return measure


def test_figures_are_measured_once_then_read_from_the_cache(private_plan_cache, monkeypatch):
    calls: list = []
    monkeypatch.setattr(plan_timeline, "measure_plan", _fake_figures(calls))
    plan = load_plan("plan28")
    first = build_plan_timeline(plan, dt.date(2025, 11, 18), dt.date(2025, 11, 20))
    assert calls == [dt.date(2025, 11, 18), dt.date(2025, 11, 19), HANDED_OVER]
    wider = build_plan_timeline(plan, dt.date(2025, 11, 17), dt.date(2025, 11, 20))
    assert calls[3:] == [dt.date(2025, 11, 17)]  # only the new day
    assert {day: wider.figures[day] for day in first.figures} == first.figures
    again = build_plan_timeline(plan, dt.date(2025, 11, 17), dt.date(2025, 11, 20))
    assert len(calls) == 4
    assert plan_timeline.plan_timeline_records(again) == plan_timeline.plan_timeline_records(wider)


def test_a_damaged_cache_file_is_rebuilt_with_one_warning(private_plan_cache, monkeypatch, caplog):
    calls: list = []
    monkeypatch.setattr(plan_timeline, "measure_plan", _fake_figures(calls))
    plan = load_plan("plan28")
    first = build_plan_timeline(plan, HANDED_OVER, HANDED_OVER)
    path = plan_timeline.plan_cache_path(plan)
    for damage in (
        lambda text: text[: len(text) // 2],
        lambda text: text.replace("[20.0,", "[-20.0,", 1),
        lambda text: json.dumps({"measures": ["dmz"], "by_sha256": {}}),
    ):
        path.write_text(damage(path.read_text()))
        with caplog.at_level(logging.WARNING):
            caplog.clear()
            rebuilt = build_plan_timeline(plan, HANDED_OVER, HANDED_OVER)
        assert rebuilt.figures == first.figures
        assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1
    assert len(calls) == 4


def test_another_plan_or_option_has_other_cached_figures():
    plan = load_plan("plan20")
    option = plan.options[0].id
    paths = {plan_timeline.plan_cache_path(p) for p in (load_plan("plan28"), plan, plan.with_options((option,)))}
    assert len(paths) == 3


def test_a_plan_id_never_leaves_the_cache_folder():
    plan = dataclasses.replace(load_plan("plan28"), id="../../etc/x")
    path = plan_timeline.plan_cache_path(plan)
    assert path.parent == plan_timeline.timeline_cache_dir()
    assert "/" not in path.name
    assert ".." not in path.name


def test_the_cli_writes_the_plan_timeline(runner, tmp_path, plan28_report):
    output = tmp_path / "plan28.csv"
    result = runner.invoke(cli, ["-q", "timeline", "--plan", "plan28", "--from", "2025-11-20", "--to", "2025-11-20", "-o", str(output)])
    assert result.exit_code == 0, result.output
    dmz = [row for row in output.read_text().splitlines() if ",ceded_demilitarised," in row]
    expected = plan28_report["headline"]["ceded_demilitarised"]
    assert len(dmz) == 1
    assert f",{expected['area_km2']},{expected['population_2022']},{expected['population_2022_low']}," in dmz[0]


@pytest.mark.parametrize("arguments", [["--plan", "plan28", "--region", "UA-14"], ["--option", "x"]])
def test_options_that_do_not_go_together_are_usage_errors(runner, tmp_path, arguments):
    result = runner.invoke(cli, ["timeline", *arguments, "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert "--plan" in result.output


def _timeline_of(plan, figures: dict) -> PlanTimeline:
    first, last = min(figures), max(figures)
    days = tuple(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return PlanTimeline(plan, first, last, days, figures)


def test_the_page_shows_plan_text_as_written_and_charts_only_measures_with_land():
    from peacemap.maps.charts.plan_timeline import charted_measures, plan_timeline_html

    hostile = "X{{7*191}}X</script><b>"
    plan = dataclasses.replace(load_plan("plan28"), title=hostile)
    zero = {m: [0.0, 0, 0, 0, ""] for m in PLAN_MEASURES}
    figures = {
        HANDED_OVER: zero | {"ceded_demilitarised": [6201.0, 682909, 675369, 725024, ""]},
        dt.date(2025, 11, 22): zero | {"ceded_demilitarised": [6195.0, 682000, 675000, 724000, ""]},
    }
    timeline = _timeline_of(plan, figures)
    assert charted_measures(timeline) == ["ceded_demilitarised"]
    page = plan_timeline_html(timeline, sources_note="sources")
    assert hostile not in page
    assert "X1337X" not in page
    assert "X{{7*191}}X&lt;/script&gt;&lt;b&gt;" in page
    assert "no snapshot on 2025-11-21" in page  # the missing day is drawn as a gap


def test_the_python_api_gives_the_same_rows(plan28_report):
    import peacemap

    rows = peacemap.plan_timeline("plan28", "2025-11-20", "2025-11-20")
    dmz = rows[rows["measure"] == "ceded_demilitarised"].iloc[0]
    expected = plan28_report["headline"]["ceded_demilitarised"]
    assert (dmz["area_km2"], dmz["population_2022"]) == (expected["area_km2"], expected["population_2022"])
    assert list(rows.columns) == keys(PlanTimelineRow)
