"""`peacemap control compare` (issue 14, item 2): the acceptance run on two DeepState dates, the
outputs (table on stdout or in a file, the HTML map) and the usage errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import shapely

from peacemap.cli.main import cli
from peacemap.geo.area import geodesic_area_km2
from peacemap.layers.report import contract

DONETSK = "UA-14"


@pytest.fixture(scope="module")
def two_dates(tmp_path_factory):
    """Acceptance: `peacemap control compare deepstate:2025-11-20 deepstate:2025-07-24 --plan plan28`,
    as JSON on stdout, with the map written beside."""
    from click.testing import CliRunner

    html = tmp_path_factory.mktemp("control-compare") / "compare.html"
    result = CliRunner().invoke(
        cli, ["-q", "control", "compare", "deepstate:2025-11-20", "deepstate:2025-07-24", "--plan", "plan28", "--format", "json", "-o", str(html)]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), html


def test_the_dmz_shrinks_from_july_to_november(two_dates):
    document, _ = two_dates
    november, july = document["headline"]["ceded_demilitarised"]
    assert november["area_km2"] < july["area_km2"]
    assert november["population_2022"] < july["population_2022"]
    assert [s["date"] for s in document["sources"]] == ["2025-11-20", "2025-07-24"]
    assert contract.mismatches(document, contract.ControlComparison) == []


def test_under_a_the_figures_are_the_reports(two_dates, plan28_report):
    document, _ = two_dates
    for measure in ("ceded_beyond_line", "ceded_demilitarised"):
        assert document["headline"][measure][0] == plan28_report["headline"][measure]


def test_under_b_the_dmz_is_donetsk_outside_the_july_polygon(two_dates, regions):
    """Checked without the split: the largest piece of Donetsk's land outside DeepState's
    2025-07-24 polygon, measured directly (the 78 other pieces, 1.8 km² in all, are enclaves and
    strips that the split counts as occupied)."""
    from peacemap.layers.sources.deepstate import read_snapshot

    document, _ = two_dates
    donetsk = regions.set_index("code").at[DONETSK, "geometry"]
    outside = shapely.difference(donetsk, read_snapshot(dt.date(2025, 7, 24)))
    mainland = max(geodesic_area_km2(piece) for piece in shapely.get_parts(outside))
    assert abs(document["headline"]["ceded_demilitarised"][1]["area_km2"] - mainland) <= 0.1
    assert document["headline"]["ceded_demilitarised"][1]["regions"] == [DONETSK]


def test_the_map_is_written_self_contained(two_dates):
    _, html = two_dates
    page = html.read_text(encoding="utf-8")
    assert "<script src=" not in page
    assert 'rel="stylesheet" href="http' not in page
    assert "Which control map?" in page
    assert "DeepState snapshot 2025-07-24" in page
    assert "Occupied only under A" in page
    assert "Line of contact under B" in page
    assert len(page.encode()) <= 1_000_000


def test_a_file_against_deepstate_by_default(runner, control_format_files, monkeypatch, tmp_path):
    """B defaults to DeepState's snapshot of --date; the table goes to the file -o names."""
    monkeypatch.setattr("peacemap.layers.population.model.zone_population", None)  # areas are what is checked
    path, _ = control_format_files["fgb"]
    output = tmp_path / "compare.md"
    result = runner.invoke(cli, ["-q", "control", "compare", str(path), "--date", "2025-11-20", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    text = output.read_text(encoding="utf-8")
    assert "**A**: control file occupied.fgb (sha256 " in text
    assert "**B**: DeepState snapshot 2025-11-20" in text
    assert "| Donetsk (UA-14) | 20,329.6 | 20,329.6 | 0.0 | 0.0 |" in text


def test_layer_and_condition_reach_a_file_source(runner, control_format_files, monkeypatch):
    monkeypatch.setattr("peacemap.layers.population.model.zone_population", None)
    path, options = control_format_files["gpkg-layers"]
    result = runner.invoke(
        cli,
        [
            "-q",
            "control",
            "compare",
            "deepstate:2025-11-20",
            str(path),
            "--layer-b",
            options["layer"],
            "--where-b",
            options["where"],
            "--date",
            "2025-11-20",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "layers.gpkg, layer areas, features where category = 'Assessed Russian control'" in result.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["deepstate:2025-11-20", "--where-a", "x = 1"], "--where-a needs A to be a control file"),
        (["deepstate:2025-11-20", "deepstate:2025-07-24", "--layer-b", "x"], "--layer-b needs B to be a control file"),
        (["deepstate:yesterday"], "is not deepstate:YYYY-MM-DD"),
        (["deepstate:2025-11-20", "-o", "compare.txt"], "should end in .html"),
        (["x.fgb", "--where-a", ""], "empty condition"),
    ],
)
def test_usage_errors(runner, args, needle, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["control", "compare", *args])
    assert result.exit_code == 2, result.stderr
    assert needle in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["deepstate:2023-01-01"], "2024-07-08 to 2026-08-22"),
        (["missing.geojson", "--date", "2025-11-20"], "does not exist"),
    ],
)
def test_failures_are_one_line(runner, args, needle, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["-q", "control", "compare", *args])
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert needle in result.stderr, result.stderr
