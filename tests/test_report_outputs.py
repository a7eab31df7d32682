"""Figures a desk can quote as printed (issue 25): the same figure under the same label in every
output, every headline figure rebuilt from every CSV, readings and dates on the figures, and the
places on the line of contact.

Reference facts: Pokrovsk had 60,127 people on 1 January 2022 (table 5 of the State Statistics
Service's collection); DeepState's line crossed the town between its snapshots of 2025-11-19 and
2025-11-20 (docs/howto/line-over-time.md). Donetsk oblast's official total is 4,059,372 (table 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import re

import pytest
from reference_figures import OFFICIAL_TOTALS

from peacemap import pipeline
from peacemap.cli.main import cli
from peacemap.layers.plans.statuses import Status
from peacemap.layers.report.format import km2_text, people_text
from peacemap.layers.report.measures import Measure
from peacemap.layers.report.render import report_csv, report_json, report_markdown

POKROVSK = 60_127


@pytest.fixture(scope="module")
def plan28_full():
    """plan28's report on 2025-11-20 as `peacemap report` makes it (places and the line included)."""
    return pipeline.plan_report("plan28", dt.date(2025, 11, 20))


@pytest.fixture(scope="module")
def plan28_day_before():
    return pipeline.plan_report("plan28", dt.date(2025, 11, 19))


def _table_rows(markdown: str, section: str) -> dict[str, list[str]]:
    """The rows of the first table under ``## section``: first cell -> the other cells."""
    body = markdown.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in body.splitlines():
        if line.startswith("| ") and not line.startswith("| ---") and not line.startswith("| |"):
            cells = [cell.strip() for cell in line.strip("|").split(" | ")]
            rows[cells[0]] = cells[1:]
    return rows


# --- one label, one figure -----------------------------------------------------------------------


def test_md_json_and_csv_give_the_same_figure_under_the_same_label(plan28_full):
    report = plan28_full.report
    markdown = report_markdown(report)
    document = json.loads(report_json(report))
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    headline = _table_rows(markdown, "Headline")
    for measure in Measure:
        figures = document["headline"][measure]
        if measure.parent is None or figures["area_km2"]:
            # then the people remaining beside it (tests/test_report_statements.py)
            assert headline[measure.label][:2] == [km2_text(figures["area_km2"]), people_text(figures)], measure
    totals = _table_rows(markdown, "Totals by status")
    counted = [row for row in rows if row["combined"] == "false"]
    for status, figures in document["totals"].items():
        label = Status(status).label
        assert totals[label][0] == km2_text(figures["area_km2"]), status
        assert totals[label][2] == people_text(figures), status
        own = [row for row in counted if row["status_label"] == label]
        assert round(sum(float(row["area_km2"]) for row in own)) == round(figures["area_km2"]), status
        assert sum(int(row["population_2022"]) for row in own if row["population_2022"]) == (figures["population_2022"] or 0), status


def _normal(label: str) -> str:
    """A label as a reader hears it: without "of which", case, brackets or commas."""
    return re.sub(r"[(),:]", "", label.lower().removeprefix("of which ")).replace("  ", " ").strip()


@pytest.mark.parametrize(
    ("plan_id", "options"),
    [
        ("plan28", ()),
        ("plan28", ("21c-none",)),
        ("plan28", ("21d-de-facto",)),
        ("plan20", ("donetsk-zone",)),
        ("eu-counter", ()),
        ("russia-max", ()),
        ("freeze", ()),
    ],
)
def test_no_label_appears_with_two_different_numbers(control_layers_20251120, zone_population_memo, plan_id, options):
    # Issue 25: "of which recognised as Russian de facto 114,074 km²" in the headline against
    # "Recognised as Russian (de facto) 74,251 km²" in the totals.
    from peacemap.layers.plans.apply import apply_plan
    from peacemap.layers.plans.model import load_plan
    from peacemap.layers.report.figures import build_report

    report = build_report(apply_plan(load_plan(plan_id).with_options(options), control_layers_20251120), zone_population_memo)
    markdown = report_markdown(report)
    seen: dict[str, str] = {}
    for section in ("Headline", "Totals by status"):
        for label, cells in _table_rows(markdown, section).items():
            area = cells[0]
            assert seen.setdefault(_normal(label), area) == area, (label, seen[_normal(label)], area)


# --- every headline figure from every CSV ---------------------------------------------------------


def test_every_headline_figure_is_rebuilt_from_compare_csv(plan28_full):
    from peacemap.layers.report.compare import comparison_rows
    from peacemap.layers.report.records import records_to_csv

    compared = pipeline.comparison(["plan28"], dt.date(2025, 11, 20))
    rows = list(csv.DictReader(io.StringIO(records_to_csv(comparison_rows(compared)))))
    everywhere = next(row for row in rows if row["region"] == "all")
    headline = plan28_full.report["headline"]
    for measure in Measure:
        figures = headline[measure]
        assert float(everywhere[f"{measure}_km2"]) == figures["area_km2"], measure
        for key in ("population_2022", "population_2022_low", "population_2022_high"):
            assert int(everywhere[f"{measure}_{key}"]) == figures[key], (measure, key)
    control = next(s for s in plan28_full.report["sources"] if s["id"] == "control")
    assert everywhere["control_sha256"] == control["sha256"]
    assert everywhere["control_snapshot"] == "DeepState snapshot 2025-11-20"


def test_every_headline_figure_is_rebuilt_from_the_places_csv(plan28_full, model, territories):
    # The places CSV mixed hromada and town rows in one column: its dmz rows added up to
    # 1,284,526, not 682,909. Its hromada rows of one status, control and region add up to that
    # piece of the report (a row of report.csv), from which every headline figure adds up
    # (tests/test_headline.py).
    from peacemap.layers.report.places import build_places, places_records
    from peacemap.layers.report.records import records_to_csv

    places = build_places(plan28_full.layers, model, territories)
    rows = list(csv.DictReader(io.StringIO(records_to_csv(places_records(places)))))
    assert {row["level"] for row in rows} == {"hromada", "settlement"}
    pieces = {}
    for row in rows:
        if row["level"] == "hromada" and row["population_2022"]:
            key = (row["region"], row["status"], row["control"])
            pieces[key] = pieces.get(key, 0) + int(row["population_2022"])
    report_rows = [row for row in csv.DictReader(io.StringIO(report_csv(plan28_full.report))) if row["combined"] == "false"]
    for row in report_rows:
        if row["population_2022"]:
            assert pieces.get((row["region_code"], row["status"], row["control"]), 0) == int(row["population_2022"]), row["region_code"]
    dmz = sum(count for (region, status, control), count in pieces.items() if status == "dmz")
    assert dmz == plan28_full.report["headline"]["ceded_demilitarised"]["population_2022"]
    donetsk = sum(count for (region, _, _), count in pieces.items() if region == "UA-14")
    assert donetsk == OFFICIAL_TOTALS["UA-14"]


# --- readings, dates and the line ------------------------------------------------------------------


def test_the_readings_section_quotes_21c_and_21d(plan28_full):
    from peacemap.layers.plans.model import load_plan

    plan = load_plan("plan28")
    markdown = report_markdown(plan28_full.report)
    readings = markdown.split("## Readings\n", 1)[1].split("\n## ", 1)[0]
    for provision_id in ("21c", "21d"):
        provision = plan.provision(provision_id)
        assert f"**{provision_id}**" in readings
        assert provision.text.split(";")[0] in readings  # the text, quoted
        assert provision.ambiguous.replace('"', "")[:80] in readings.replace('"', "")
    assert {r["provision"] for r in plan28_full.report["readings"]} == {"21c", "21d"}
    rows = list(csv.DictReader(io.StringIO(report_csv(plan28_full.report))))
    assert all(row["readings"].startswith("21c: ") and " | 21d: " in row["readings"] for row in rows)


def test_every_population_label_says_1_january_2022(plan28_full):
    from peacemap.layers.report.render import headline_lines

    markdown = report_markdown(plan28_full.report)
    heads = [line for line in markdown.splitlines() if line.startswith("| ") and "Population" in line]
    assert heads
    assert all("Population on 1 January 2022" in head for head in heads)
    assert "Population 2022" not in markdown
    assert "people in 2022" not in "\n".join(headline_lines(plan28_full.report))


def test_the_report_names_pokrovsk_on_the_line_the_day_before(plan28_day_before):
    # Issue 25, acceptance: the DMZ held 743,190 people on 2025-11-19 and 682,909 on 2025-11-20,
    # as the line passed Pokrovsk's point; the report now says which places sit on the line.
    from peacemap.layers.report.render import headline_lines

    report = plan28_day_before.report
    towns = {town["name_en"]: town for town in report["line_sensitivity"]["towns"]}
    pokrovsk = towns["Pokrovsk"]
    assert pokrovsk["population_2022"] == POKROVSK
    assert pokrovsk["region"] == "UA-14"
    assert pokrovsk["distance_km"] <= report["line_sensitivity"]["threshold_km"] == 2.0
    assert pokrovsk["control"] == "held"
    assert pokrovsk["status"] == "dmz"  # on 2025-11-19, still in the zone
    markdown = report_markdown(report)
    section = markdown.split("## On the line of contact\n", 1)[1].split("\n## ", 1)[0]
    assert "| Pokrovsk (Покровськ) | UA-14 |" in section
    assert "60,127" in section
    under_headline = markdown.split("## Headline\n", 1)[1].split("\n## ", 1)[0]
    assert "Pokrovsk (UA-14) 60,127 people" in under_headline
    assert any("Pokrovsk (UA-14) 60,127 people" in line for line in headline_lines(report))
    hromadas = {h["hromada_en"] for h in report["line_sensitivity"]["hromadas"]}
    assert "Pokrovska urban TC" in hromadas


def test_towns_on_the_line_are_within_the_threshold_and_largest_first(plan28_full):
    towns = plan28_full.report["line_sensitivity"]["towns"]
    assert towns
    assert all(0 <= t["distance_km"] <= 2.0 for t in towns)
    assert [t["population_2022"] for t in towns] == sorted((t["population_2022"] for t in towns), reverse=True)
    assert all(t["control"] in ("held", "occupied") for t in towns)


def test_latest_prints_the_snapshots_date_and_its_age_once(runner, monkeypatch, tmp_path):
    # Issue 25: `--date latest` silently used the snapshot of 2026-08-22, 107 days before the run.
    from peacemap.layers.sources import registry

    newest = registry.deepstate_dates()[-1]
    monkeypatch.setattr(pipeline.plan, "today", lambda: newest + dt.timedelta(days=107))
    out = tmp_path / "r.json"
    result = runner.invoke(cli, ["report", "--plan", "plan28", "--date", "latest", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "days old" in line]
    assert len(warnings) == 1
    assert newest.isoformat() in warnings[0]
    assert "107 days old" in warnings[0]
    age = json.loads(out.read_text())["snapshot_age"]
    assert age == {"snapshot": newest.isoformat(), "requested": "latest", "age_days": 107, "counted_on": (newest + dt.timedelta(days=107)).isoformat()}


def test_an_explicit_date_warns_only_far_from_its_snapshot(caplog):
    snapshot = dt.date(2025, 1, 1)
    today = dt.date(2026, 1, 1)
    with caplog.at_level(logging.WARNING, logger="peacemap"):
        assert pipeline.snapshot_age(snapshot + dt.timedelta(days=14), snapshot, today=today) is None
        assert pipeline.snapshot_age(snapshot, snapshot, today=today) is None
        assert not caplog.records
        age = pipeline.snapshot_age(snapshot + dt.timedelta(days=15), snapshot, today=today)
    assert age == {"snapshot": "2025-01-01", "requested": "2025-01-16", "age_days": 365, "counted_on": "2026-01-01"}
    assert len(caplog.records) == 1
    assert "2025-01-01" in caplog.records[0].getMessage()


def test_a_dated_report_carries_no_age(plan28_full):
    assert "snapshot_age" not in plan28_full.report  # the same inputs give the same bytes on any day


def test_no_text_output_says_today_where_a_date_belongs(plan28_full, model, territories):
    from peacemap.layers.report.compare import comparison_markdown, comparison_rows
    from peacemap.layers.report.places import build_places, places_markdown, places_records
    from peacemap.layers.report.records import json_text, records_to_csv
    from peacemap.layers.report.render import headline_lines

    report = plan28_full.report
    compared = pipeline.comparison(["plan28", "freeze"], dt.date(2025, 11, 20))
    places = build_places(plan28_full.layers, model, territories)
    outputs = {
        "report.md": report_markdown(report),
        "report.json": report_json(report),
        "report.csv": report_csv(report),
        "terminal": "\n".join(headline_lines(report)),
        "compare.md": comparison_markdown(compared),
        "compare.json": json_text(compared),
        "compare.csv": records_to_csv(comparison_rows(compared)),
        "places.md": places_markdown(places),
        "places.json": json_text(places),
        "places.csv": records_to_csv(places_records(places)),
    }
    for name, text in outputs.items():
        assert not re.search(r"\btoday\b", text, flags=re.I), name
        assert "people in 2022" not in text, name


def test_control_compare_says_1_january_2022():
    from peacemap.layers.control.resolve import parse_control_source
    from peacemap.layers.report.control_compare import control_comparison_rows
    from peacemap.layers.report.records import records_to_csv

    result = pipeline.control_comparison(parse_control_source("deepstate:2025-11-20"), parse_control_source("deepstate:2025-07-24"))
    text = pipeline.control_comparison_text(result, "md")
    assert "people on 1 January 2022" in text
    assert "people in 2022" not in text
    assert "2022 population" not in text
    assert not re.search(r"\btoday\b", text + pipeline.control_comparison_text(result, "csv"), flags=re.I)
    rows = list(csv.DictReader(io.StringIO(records_to_csv(control_comparison_rows(result.document)))))
    assert {row["measure_label"] for row in rows} >= {Measure.CEDED.label, Measure.CEDED_DEMILITARISED.label}


def test_the_comparison_and_places_carry_the_age_of_latest(monkeypatch, model, territories):
    from peacemap.layers.control.resolve import LATEST
    from peacemap.layers.report.compare import comparison_markdown
    from peacemap.layers.report.places import build_places, places_markdown
    from peacemap.layers.sources import registry

    newest = registry.deepstate_dates()[-1]
    monkeypatch.setattr(pipeline.plan, "today", lambda: newest + dt.timedelta(days=30))
    compared = pipeline.comparison(["freeze"], LATEST)
    assert compared["snapshot_age"]["age_days"] == 30
    assert compared["snapshot_age"]["snapshot"] == newest.isoformat()
    assert f"dated {newest.isoformat()}: 30 days old" in comparison_markdown(compared)
    layers = pipeline.plan_layers("freeze", LATEST)
    places = build_places(layers, model, territories, status="frozen_russian", region="UA-14")
    assert places["snapshot_age"]["age_days"] == 30
    assert "30 days old" in places_markdown(places)
