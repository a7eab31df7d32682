"""`peacemap statements`: the dated series of an area, claims only on request, one-line refusals.

Reference figures: the Donetsk regional military administration's briefings (issue 27): 198,500
civilians on 2025-11-13, 196,200 on 2025-12-04, 187,000 on 2026-02-05 in the held part of the oblast.
"""

import csv
import io
import json

from peacemap.cli.main import cli


def test_the_held_part_of_donetsk_gives_the_dated_series(runner):
    result = runner.invoke(cli, ["statements", "--area", "donetsk-held", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    series = {(r["statement_date"], int(r["figure"])) for r in rows}
    assert {("2025-11-13", 198_500), ("2025-12-04", 196_200), ("2026-02-05", 187_000)} <= series
    assert {r["area_id"] for r in rows} == {"donetsk-held"}
    assert all(r["url"].startswith("http") for r in rows)
    dated = [r["statement_date"] for r in rows if r["statement_date"]]
    assert dated == sorted(dated)  # oldest first (a month-dated statement before that month's days)
    assert all(r["claim"] == "false" for r in rows)


def test_claims_are_listed_only_with_the_flag_and_labelled(runner):
    plain = runner.invoke(cli, ["statements", "--format", "json"])
    assert plain.exit_code == 0
    assert not any(s["claim"] for s in json.loads(plain.output)["statements"])
    assert "OCCUPYING-POWER" not in runner.invoke(cli, ["statements"]).output
    claims = runner.invoke(cli, ["statements", "--with-claims", "--format", "json"])
    flagged = [s for s in json.loads(claims.output)["statements"] if s["claim"]]
    assert len(flagged) == 11
    assert all(s["label"].startswith("OCCUPYING-POWER CLAIM: ") for s in flagged)
    markdown = runner.invoke(cli, ["statements", "--with-claims"]).output
    assert "## OCCUPYING-POWER CLAIMS" in markdown
    assert "people (OCCUPYING-POWER CLAIM)" in markdown
    table = list(csv.DictReader(io.StringIO(runner.invoke(cli, ["statements", "--with-claims", "--format", "csv"]).output)))
    assert {r["claim"] for r in table if r["kind"] == "occupying-power-claim"} == {"true"}


def test_an_unknown_area_is_refused_in_one_line(runner):
    result = runner.invoke(cli, ["statements", "--area", "atlantis"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "'area' should be one of" in result.output
    assert "'atlantis'" in result.output
    claims_only = runner.invoke(cli, ["statements", "--area", "donetsk-occupied-claim"])
    assert claims_only.exit_code == 1
    assert "add --with-claims" in claims_only.output


def test_the_output_file_is_written_and_reads_the_same(runner, tmp_path):
    target = tmp_path / "held.md"
    result = runner.invoke(cli, ["statements", "--area", "donetsk-held", "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text == runner.invoke(cli, ["statements", "--area", "donetsk-held"]).output
    assert "about 198,500 civilians" in text
    assert "regionews.ua" in text
    assert [p.name for p in tmp_path.iterdir()] == ["held.md"]  # no temporary file left
