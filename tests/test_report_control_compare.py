"""Two maps of control compared (issue 14, item 2; layers/report/control_compare.py): symmetric,
zero for a source compared with itself, the JSON contract, and the Markdown and CSV tables."""

from __future__ import annotations

import csv
import io

import pytest

from peacemap.layers.report import contract
from peacemap.layers.report.control_compare import CSV_COLUMNS, change_lines, control_comparison_markdown, control_comparison_rows

ROUNDING_KM2 = 0.15  # three figures rounded to 0.1 km² each


def test_the_comparison_conforms_to_its_contract(control_comparisons):
    for result in control_comparisons.values():
        assert contract.mismatches(result.document, contract.ControlComparison) == []


def test_b_a_swaps_the_columns_of_a_b(control_comparisons):
    ab, ba = control_comparisons["ab"].document, control_comparisons["ba"].document
    assert [r["code"] for r in ab["regions"]] == [r["code"] for r in ba["regions"]]
    for one, other in zip(ab["regions"], ba["regions"], strict=True):
        assert one["occupied_km2"] == other["occupied_km2"][::-1]
        assert (one["only_a_km2"], one["only_b_km2"]) == (other["only_b_km2"], other["only_a_km2"])
    assert ab["totals"]["occupied_km2"] == ba["totals"]["occupied_km2"][::-1]
    assert (ab["totals"]["only_a_km2"], ab["totals"]["only_b_km2"]) == (ba["totals"]["only_b_km2"], ba["totals"]["only_a_km2"])
    for measure in ab["headline"]:
        assert ab["headline"][measure] == ba["headline"][measure][::-1]
    assert ab["sources"] == [{**source, "id": new_id} for source, new_id in zip(ba["sources"][::-1], ("a", "b"), strict=True)]


def test_a_source_compared_with_itself_disagrees_nowhere(control_comparisons):
    document = control_comparisons["aa"].document
    assert all(r["only_a_km2"] == 0 and r["only_b_km2"] == 0 for r in document["regions"])
    assert all(r["occupied_km2"][0] == r["occupied_km2"][1] for r in document["regions"])
    assert document["headline"]["ceded_demilitarised"][0] == document["headline"]["ceded_demilitarised"][1]
    assert all(frame.empty for frame in control_comparisons["aa"].only)


def test_the_same_polygon_in_another_format_disagrees_by_under_a_tenth_of_a_km2(control_comparisons):
    for region in control_comparisons["ab"].document["regions"]:
        assert region["only_a_km2"] <= 0.1, region
        assert region["only_b_km2"] <= 0.1, region
        assert abs(region["occupied_km2"][0] - region["occupied_km2"][1]) <= 0.1, region


def test_occupied_difference_equals_only_a_minus_only_b(control_comparisons):
    for region in control_comparisons["ab"].document["regions"]:
        difference = region["occupied_km2"][0] - region["occupied_km2"][1]
        assert abs(difference - (region["only_a_km2"] - region["only_b_km2"])) <= ROUNDING_KM2, region


def test_occupied_land_is_the_reports(control_comparisons, plan28_report):
    """Under A (DeepState 2025-11-20) a region's occupied land is the report's: the region's area
    minus the land Ukraine held (the report's own zones, measured separately)."""
    compared = {r["code"]: r["occupied_km2"][0] for r in control_comparisons["ab"].document["regions"]}
    for region in plan28_report["regions"]:
        if region["combined"]:
            continue
        held = sum(zone["held_area_km2"] for zone in region["zones"])
        assert abs(compared[region["code"]] - (region["area_km2"] - held)) <= ROUNDING_KM2, region["code"]
    headline = control_comparisons["ab"].document["headline"]
    for measure in ("ceded_beyond_line", "ceded_demilitarised"):
        assert headline[measure][0]["area_km2"] == plan28_report["headline"][measure]["area_km2"]


def test_markdown_names_both_sources_and_every_region_with_occupied_land(control_comparisons):
    document = control_comparisons["ab"].document
    text = control_comparison_markdown(document, plan_title="US 28-point peace plan")
    assert "**A**: DeepState snapshot 2025-11-20" in text
    assert "**B**: control file occupied-3857.zip (sha256 " in text
    assert document["sources"][1]["sha256"] in text  # the full sha256 under "Sources and notes"
    for region in document["regions"]:
        if any(region["occupied_km2"]):
            assert f"({region['code']})" in text
    assert "| Vinnytsia (UA-05)" not in text  # nothing occupied under either map
    assert "Boundaries: geoBoundaries" in text
    assert "Population: present population on 1 January 2022" in text


def test_csv_has_a_row_per_region_the_total_and_the_headline(control_comparisons):
    document = control_comparisons["ab"].document
    rows = list(csv.DictReader(io.StringIO("".join(_csv(document)))))
    assert tuple(rows[0]) == CSV_COLUMNS
    occupied = [row for row in rows if row["measure"] == "occupied"]
    assert [row["region"] for row in occupied] == [r["code"] for r in document["regions"]] + ["all"]
    assert [row["measure"] for row in rows[-2:]] == ["ceded_beyond_line", "ceded_demilitarised"]
    assert [row["measure_label"] for row in rows[-2:]] == ["Ukraine gives up beyond the line of contact", "of which demilitarised zone"]
    assert all(row["source_b_sha256"] == document["sources"][1]["sha256"] for row in rows)
    assert all("Boundaries: geoBoundaries" in row["attribution"] for row in rows)


def _csv(document):
    from peacemap.layers.report.records import records_to_csv

    return records_to_csv(control_comparison_rows(document))


@pytest.mark.parametrize(
    ("dates", "dmz", "expected"),
    [
        (
            ("2025-11-20", "2025-07-24"),
            ((100.0, 1000), (110.0, 1500)),
            "From 2025-07-24 (B) to 2025-11-20 (A), the demilitarised zone shrinks by 10.0 km² and loses 500 people",
        ),
        (
            ("2025-07-24", "2025-11-20"),
            ((110.0, 1500), (100.0, 1000)),
            "From 2025-07-24 (A) to 2025-11-20 (B), the demilitarised zone shrinks by 10.0 km² and loses 500 people",
        ),
        (
            ("2025-07-24", "2025-11-20"),
            ((100.0, 1000), (110.0, 1500)),
            "From 2025-07-24 (A) to 2025-11-20 (B), the demilitarised zone grows by 10.0 km² and gains 500 people",
        ),
    ],
)
def test_change_lines_say_how_the_headline_moves_between_dates(dates, dmz, expected):
    def figures(area, people):
        return {"area_km2": area, "population_2022": people}

    document = {
        "sources": [{"date": dates[0]}, {"date": dates[1]}],
        "headline": {"ceded_beyond_line": [figures(5.0, 10), figures(5.0, 10)], "ceded_demilitarised": [figures(*dmz[0]), figures(*dmz[1])]},
    }
    lines = change_lines(document)
    assert lines[1].startswith(expected), lines
    assert lines[0].endswith("stays at 5.0 km².")


def test_no_change_lines_without_two_dates(control_comparisons):
    assert change_lines(control_comparisons["aa"].document) == []  # the same date twice
