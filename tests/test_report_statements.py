"""Official statements of people remaining beside the report's figures (issue 27): terminal,
report.md, report.json, report.csv and compare.

Reference facts (issue 27, from the Donetsk regional military administration's briefings): the
civilians remaining in the Ukrainian-held part of Donetsk oblast, which is exactly the land the
28-point plan demilitarises, were 198,500 on 2025-11-13 and 187,000 on 2026-02-05. The 1 January
2022 figure of that land on DeepState's 2025-11-20 snapshot is 682,909 (docs/method/population.md, "The DMZ of the
28-point plan"). The 20-point draft's Donetsk option is a 5 km band along the line, only part of
the held land: Pokrovsk and Myrnohrad lay on the line then (DeepState).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from peacemap import pipeline
from peacemap.cli.main import cli
from peacemap.layers.report.beside import INSIDE_KEY, OWN
from peacemap.layers.report.compare import comparison_rows
from peacemap.layers.report.measures import Measure
from peacemap.layers.report.records import records_to_csv
from peacemap.layers.report.render import headline_lines, report_csv, report_json, report_markdown

DMZ = Measure.CEDED_DEMILITARISED  # "of which demilitarised zone": JSON headline.ceded_demilitarised
DMZ_2022 = 682_909
BRIEFING_URL = "https://regionews.ua/ukr/news/donetchina/1763018011-"
CLAIM = "OCCUPYING-POWER CLAIM"


@pytest.fixture(scope="module")
def plan28():
    return pipeline.plan_report("plan28", dt.date(2025, 11, 20)).report


@pytest.fixture(scope="module")
def plan28_claims():
    return pipeline.plan_report("plan28", dt.date(2025, 11, 20), with_claims=True).report


@pytest.fixture(scope="module")
def plan20_band():
    return pipeline.plan_report("plan20", dt.date(2025, 11, 20), options=["donetsk-zone"]).report


def _row(markdown: str, label: str) -> list[str]:
    body = markdown.split("## Headline\n", 1)[1].split("\n## ", 1)[0]
    [line] = [line for line in body.splitlines() if line.startswith(f"| {label} |")]
    return [cell.strip() for cell in line.strip("|").split(" | ")]


def test_the_dmz_carries_the_donetsk_administrations_figure_in_json(plan28):
    document = json.loads(report_json(plan28))
    figures = document["headline"][DMZ]
    assert figures["population_2022"] == DMZ_2022
    [own] = figures["statements"]
    assert own["figure"] == 198_500  # issue 27's acceptance: headline.<the DMZ>.statements[0].figure
    assert (own["statement_date"], own["kind"], own["body"]) == ("2025-11-13", "civilians", "Donetsk Oblast Military Administration")
    assert own["url"].startswith(BRIEFING_URL)
    assert own["land"] == "held:UA-14"
    assert document["statements_beside"]["on_or_before"] == "2025-11-20"
    assert document["statements_beside"]["with_claims"] is False


def test_the_dmz_line_gives_the_statement_beside_the_2022_figure_in_md_terminal_and_csv(plan28):
    figure, who = "about 198,500 civilians", "(Donetsk Oblast Military Administration, 2025-11-13)"
    cells = _row(report_markdown(plan28), DMZ.label)
    assert cells[2].startswith(f"{DMZ_2022:,}")
    assert f"{figure} {who}" in cells[3]
    assert BRIEFING_URL in cells[3]
    lines = headline_lines(plan28)
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(DMZ.label))
    assert f"{DMZ_2022:,}" in lines[at]
    assert f"{figure} {who}" in lines[at + 1]
    assert BRIEFING_URL in lines[at + 1]
    rows = list(csv.DictReader(io.StringIO(report_csv(plan28))))
    [dmz] = [row for row in rows if row["status"] == "dmz" and row["combined"] == "false"]
    assert int(dmz["population_2022"]) == DMZ_2022
    assert (dmz["statement_figure"], dmz["statement_kind"], dmz["statement_date"]) == ("198500", "civilians", "2025-11-13")
    assert dmz["statement_by"] == "Donetsk Oblast Military Administration"
    assert dmz["statement_url"].startswith(BRIEFING_URL)
    assert "kramatorsk-city" in dmz["statements_inside"]


def test_on_the_snapshot_of_2026_02_05_or_later_it_is_187000():
    report = pipeline.plan_report("plan28", dt.date(2026, 2, 10)).report
    assert report["date"] >= "2026-02-05"
    [own] = report["headline"][DMZ]["statements"]
    assert (own["figure"], own["statement_date"]) == (187_000, "2026-02-05")
    assert "about 187,000 civilians" in _row(report_markdown(report), DMZ.label)[3]


def test_a_zone_that_is_only_part_of_the_held_land_lists_its_towns_instead(plan20_band):
    # plan20's 5 km band: the held part's 198,500 is not the band's figure.
    figures = plan20_band["headline"][Measure.BOTH_WITHDRAW]
    assert figures["area_km2"] > 0
    assert figures[OWN] == []
    inside = {place["area_id"]: place for place in figures[INSIDE_KEY]}
    assert {"pokrovsk-city", "myrnohrad-city", "pokrovsk-hromada"} <= set(inside)
    assert "donetsk-held" not in inside
    assert all(0 < place["share_of_area_pct"] <= 100 for place in inside.values() if place["land"].startswith("hromada:"))
    cited = plan20_band["statements_beside"]["cited"]
    assert all(cited[place["statement_id"]]["area_id"] == area for area, place in inside.items())
    markdown = report_markdown(plan20_band)
    cell = _row(markdown, Measure.BOTH_WITHDRAW.label)[3]
    assert "none for this land as a whole" in cell
    assert "198,500" not in cell
    section = markdown.split("## People remaining", 1)[1].split("\n## ", 1)[0]
    assert "pokrovsk-city" in section
    assert "myrnohrad-city" in section
    assert not any("198,500" in line for line in headline_lines(plan20_band) if "both sides withdraw" in line)


def test_a_measure_over_several_regions_gives_each_regions_statement_never_a_sum(plan28):
    figures = plan28["headline"][Measure.FROZEN_UKRAINIAN_SIDE]
    assert figures["regions"] == ["UA-23", "UA-65"]
    assert [s["region"] for s in figures[OWN]] == ["UA-65"]  # held Kherson; no statement of held Zaporizhzhia by then
    cell = _row(report_markdown(plan28), Measure.FROZEN_UKRAINIAN_SIDE.label)[3]
    assert cell.startswith("Kherson (UA-65): about 145,000 people")
    assert "none for Zaporizhzhia (UA-23)" in cell
    ceded = plan28["headline"][Measure.CEDED]
    assert {s["region"]: s["figure"] for s in ceded[OWN]} == {"UA-14": 198_500, "UA-09": 3}
    assert "201,503" not in report_markdown(plan28)
    assert "201503" not in report_json(plan28)


def test_a_statement_never_enters_a_total(plan28_layers, zone_population_memo, plan28):
    from peacemap.layers.report.figures import build_report

    plain = build_report(plan28_layers, zone_population_memo)
    strip = {OWN, INSIDE_KEY}
    for measure in Measure:
        assert {k: v for k, v in plan28["headline"][measure].items() if k not in strip} == plain["headline"][measure], measure
    assert plan28["totals"] == plain["totals"]


def test_compare_gives_the_statements_beside_its_figures():
    compared = pipeline.comparison(["plan28", "plan20+donetsk-zone"], dt.date(2025, 11, 20))
    [plan28, plan20] = compared["plans"]
    assert plan28["totals"][DMZ][OWN][0]["figure"] == 198_500
    assert plan28["regions"]["UA-14"][DMZ][OWN][0]["figure"] == 198_500
    assert plan20["totals"][Measure.BOTH_WITHDRAW][OWN] == []
    rows = list(csv.DictReader(io.StringIO(records_to_csv(comparison_rows(compared)))))
    everywhere = {row["variant"]: row for row in rows if row["region"] == "all"}
    assert "about 198,500 civilians (Donetsk Oblast Military Administration, 2025-11-13)" in everywhere["plan28"][f"{DMZ}_statements"]
    assert everywhere["plan20+donetsk-zone"][f"{Measure.BOTH_WITHDRAW}_statements"] == ""
    assert "pokrovsk-city" in everywhere["plan20+donetsk-zone"][f"{Measure.BOTH_WITHDRAW}_statements_inside"]
    markdown = pipeline.comparison_text(compared, "md")
    assert "## People remaining: latest official statements" in markdown
    [line] = [line for line in markdown.splitlines() if line.startswith(f"| {DMZ.label} |") and "civilians" in line]
    assert "about 198,500 civilians" in line


# --- occupying-power claims: only on request, labelled in every output -----------------------------


def _claims_in(text: str) -> bool:
    return CLAIM in text or '"claim": true' in text


def test_without_with_claims_no_output_holds_a_claim(plan28):
    assert not _claims_in(report_markdown(plan28))
    assert not _claims_in(report_json(plan28))
    assert not _claims_in(report_csv(plan28))
    assert not any(CLAIM in line for line in headline_lines(plan28))
    assert all(not s["claim"] for s in plan28["statements_beside"]["cited"].values())


def test_with_claims_every_output_labels_them(plan28_claims):
    cited = plan28_claims["statements_beside"]["cited"]
    claims = [s for s in cited.values() if s["claim"]]
    assert "donetsk-occupied-claim" in {s["area_id"] for s in claims}
    assert all(s["label"].startswith(f"{CLAIM}: ") for s in claims)
    # occupied Donetsk, recognised de facto under plan28, is the land of the occupying power's claim
    [own] = plan28_claims["regions"][0]["headline"][Measure.RUSSIAN_SIDE_DE_FACTO][OWN]
    assert own["claim"]
    assert own["area_id"] == "donetsk-occupied-claim"
    markdown = report_markdown(plan28_claims)
    assert f"{CLAIM}: " in _row(markdown, Measure.RUSSIAN_SIDE_DE_FACTO.label)[3]
    assert "claims are included" in markdown
    rows = list(csv.DictReader(io.StringIO(report_csv(plan28_claims))))
    claimed = [row for row in rows if row["statement_claim"] == "true"]
    assert claimed
    assert all(row["statement"].startswith(f"{CLAIM}: ") for row in claimed)
    assert all(CLAIM in row["statement"] for row in rows if row["statement_kind"] == "occupying-power-claim")
    assert any(CLAIM in line for line in headline_lines(plan28_claims))


def test_with_claims_on_the_command_line(runner, tmp_path):
    for flags, expected in (([], False), (["--with-claims"], True)):
        for output_format in ("md", "csv", "json"):
            out = tmp_path / f"r{len(flags)}.{output_format}"
            result = runner.invoke(cli, ["-q", "report", "--plan", "plan28", "--date", "2025-11-20", "--format", output_format, "-o", str(out), *flags])
            assert result.exit_code == 0, result.output
            assert (CLAIM in out.read_text(encoding="utf-8")) is expected, (flags, output_format)
        compared = runner.invoke(cli, ["-q", "compare", "plan28", "--date", "2025-11-20", "--format", "csv", *flags])
        assert compared.exit_code == 0
        assert (CLAIM in compared.output) is expected
        places = runner.invoke(cli, ["-q", "places", "--plan", "plan28", "--date", "2025-11-20", "--status", "dmz", "--format", "csv", *flags])
        assert places.exit_code == 0
        assert CLAIM not in places.output  # no hromada or city has a claim
