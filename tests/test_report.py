"""The plan28 report on 2025-11-20: official totals, additivity, the DMZ figure, the JSON contract.

Official 1 January 2022 present population (State Statistics Service of Ukraine, table 1 of
"Present population of Ukraine as of January 1, 2022"): Donetsk 4,059,372; Luhansk 2,102,921;
Zaporizhzhia 1,638,462; Kherson 1,001,598. AR Crimea and Sevastopol: not available ("…").
"""

import json

import pytest
from reference_figures import CRIMEA_PROJECTIONS as CRIMEA_UNITS_PROJECTIONS
from reference_figures import OFFICIAL_TOTALS as OFFICIAL_2022

from peacemap.cli.main import cli
from peacemap.layers.plans.statuses import Status
from peacemap.layers.report.render import report_csv, report_markdown

ZONE_KEYS = {"status", "area_km2", "population_2022", "population_2022_low", "population_2022_high"}
REGION_KEYS = {"code", "name", "area_km2", "official_area_km2", "population_2022", "zones"}


def _region(report, code):
    return next(region for region in report["regions"] if region["code"] == code)


@pytest.mark.parametrize("code", sorted(OFFICIAL_2022))
def test_region_population_equals_the_official_total(plan28_report, code):
    region = _region(plan28_report, code)
    assert region["population_2022"] == OFFICIAL_2022[code]
    assert sum(zone["population_2022"] for zone in region["zones"]) == OFFICIAL_2022[code]


@pytest.mark.parametrize("code", ["UA-43", "UA-40", "UA-43+UA-40"])
def test_crimea_population_is_not_available_never_zero(plan28_report, code):
    region = _region(plan28_report, code)
    assert region["population_2022"] is None
    assert all(zone["population_2022"] is None for zone in region["zones"])


def test_dmz_has_area_and_population_with_a_band(plan28_report):
    dmz = plan28_report["headline"]["ceded_demilitarised"]
    assert dmz["area_km2"] == pytest.approx(6_200, rel=0.03)  # the reading of the snapshot
    assert 0 < dmz["population_2022_low"] <= dmz["population_2022"] <= dmz["population_2022_high"]
    # The DMZ is part of Donetsk oblast: it cannot hold more than the oblast's people.
    assert dmz["population_2022_high"] <= OFFICIAL_2022["UA-14"]
    donetsk_dmz = next(z for z in _region(plan28_report, "UA-14")["zones"] if z["status"] == "dmz")
    assert donetsk_dmz["population_2022"] == dmz["population_2022"]
    assert (donetsk_dmz["population_2022_low"], donetsk_dmz["population_2022_high"]) == (dmz["population_2022_low"], dmz["population_2022_high"])


def test_headline_land_given_up_beyond_the_line_is_held_land_only(plan28_report):
    ceded = plan28_report["headline"]["ceded_beyond_line"]
    held_russian_side = sum(
        zone["held_area_km2"]
        for region in plan28_report["regions"]
        if not region.get("combined")
        for zone in region["zones"]
        if zone["side_after"] == "russian"
    )
    assert ceded["area_km2"] == pytest.approx(held_russian_side, abs=0.2)
    assert set(ceded["regions"]) == {"UA-14", "UA-09"}


def test_json_contract(plan28_report):
    document = json.loads(json.dumps(plan28_report))
    assert {"plan", "date", "control_snapshot", "sources", "regions", "totals"} <= set(document)
    assert document["plan"] == "plan28"
    assert document["date"] == "2025-11-20"
    assert "2025-11-20" in document["control_snapshot"]
    for region in document["regions"]:
        assert set(region) >= REGION_KEYS
        for zone in region["zones"]:
            assert set(zone) >= ZONE_KEYS
            assert zone["status"] in list(Status)
    for status, figures in document["totals"].items():
        assert status in list(Status)
        assert {"area_km2", "population_2022"} <= set(figures)
    assert all(source.get("name") for source in document["sources"])


def test_totals_add_up_over_regions(plan28_report):
    units = [r for r in plan28_report["regions"] if not r.get("combined")]
    for status, figures in plan28_report["totals"].items():
        area = sum(z["area_km2"] for r in units for z in r["zones"] if z["status"] == status)
        assert figures["area_km2"] == pytest.approx(area, abs=0.1 * len(units))


def test_markdown_names_sources_and_dates(plan28_report):
    text = report_markdown(plan28_report)
    for needle in ("DeepState snapshot 2025-11-20", "1 January 2022", "State Statistics Service of Ukraine", "geoBoundaries", "not available"):
        assert needle in text
    assert "| Ukraine gives up beyond the line of contact |" in text


def test_csv_rows_carry_source_and_date(plan28_report):
    lines = report_csv(plan28_report).splitlines()
    assert lines[0].startswith("plan,options,control_snapshot,date,region_code")
    assert all("2025-11-20" in line for line in lines[1:])


def test_report_command_json(runner, tmp_path):
    out = tmp_path / "r.json"
    result = runner.invoke(cli, ["-q", "report", "--plan", "plan28", "--date", "2025-11-20", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["headline"]["ceded_demilitarised"]["population_2022"] > 0


# --- issue 17, item 8: what a careful reader notices -------------------------------------------


def test_markdown_escaping_is_markdowns_own():
    from peacemap.layers.report.render import escape_markdown

    # Quotes stay quotes (before: &quot; in report.md's source list).
    assert escape_markdown('collection "Present population"') == 'collection "Present population"'
    assert escape_markdown("<script>a|b</script>") == r"\<script>a\|b\</script>"
    assert escape_markdown("AT&T &lt; &#60;") == r"AT&T \&lt; \&#60;"  # an entity would be decoded
    assert escape_markdown("*bold* [link](x) `code` ~x~ _i_ \\") == r"\*bold\* \[link\](x) \`code\` \~x\~ \_i\_ \\"
    assert escape_markdown("two\nlines") == "two lines"


def test_sources_list_reads_cleanly(plan28_report):
    text = report_markdown(plan28_report)
    sources = text.split("## Sources", 1)[1].split("\n## ", 1)[0]
    assert "&quot;" not in text
    assert '"Present population of Ukraine as of January 1, 2022"' in sources
    control = next(line for line in sources.splitlines() if "DeepState snapshot 2025-11-20" in line)
    assert control.count("2025-11-20") == 1, control  # before: "(as of 2025-11-20)" repeated the date
    assert "sha256 " + plan28_report["sources"][1]["sha256"] in control
    # A control file's label already says "as of".
    renamed = {
        **plan28_report,
        "sources": [{**s, "name": "control file x.geojson (sha256 0123…), as of 2025-11-20"} if s["id"] == "control" else s for s in plan28_report["sources"]],
    }
    line = next(line for line in report_markdown(renamed).splitlines() if "control file x.geojson" in line)
    assert line.count("as of 2025-11-20") == 1, line


def test_notes_cite_the_statistics_service_not_the_data_mirror(plan28_report):
    text = report_markdown(plan28_report)
    assert "mirror" not in text
    assert "mirror" not in plan28_report["notes"]["area"]
    assert "Official areas: State Statistics Service of Ukraine" in plan28_report["notes"]["area"]


def test_sources_carry_the_control_files_full_sha256(plan28_report):
    import datetime

    from peacemap.layers.sources import registry

    control = next(source for source in plan28_report["sources"] if source["id"] == "control")
    assert control["sha256"] == registry.deepstate_source(datetime.date(2025, 11, 20)).sha256
    assert len(control["sha256"]) == 64
    plan = next(source for source in plan28_report["sources"] if source["id"] == "plan")
    assert plan["date"] == "2025-11-20"


def test_markdown_marks_the_combined_crimea_row(plan28_report):
    text = report_markdown(plan28_report)
    rows = [line for line in text.splitlines() if "(UA-43+UA-40)" in line]
    assert rows
    assert all("†" in row for row in rows)
    assert "† AR Crimea and Sevastopol together: repeats their two rows, not counted in the totals." in text


def test_headline_lines_show_every_measure(plan28_report):
    from peacemap.layers.report.measures import Measure
    from peacemap.layers.report.render import headline_lines

    lines = headline_lines(plan28_report)
    text = "\n".join(lines)
    for measure in Measure:  # every measure, and every part with land (the others are 0 and left out)
        shown = measure.parent is None or plan28_report["headline"][measure]["area_km2"] > 0
        assert (f"{measure.label}:" in text) == shown, measure
    dmz = next(line for line in lines if "of which demilitarised zone" in line)
    assert dmz.startswith("    ")  # indented under "Ukraine gives up beyond the line of contact"
    figures = plan28_report["headline"]["ceded_demilitarised"]
    assert "6,201 km²" in dmz  # DeepState 2025-11-20: the held part of Donetsk (docs/method/control.md)
    assert f"{figures['population_2022']:,} ({figures['population_2022_low']:,} – {figures['population_2022_high']:,})" in dmz


def test_the_population_memo_gives_what_the_model_gives(plan28_layers):
    from pandas.testing import assert_frame_equal

    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import RegionPopulationMemo, dissolved

    some = plan28_layers.zones[plan28_layers.zones["region"].isin(["UA-14", "UA-23", "UA-43", "UA-46"])]
    zones = dissolved(some, ["region", "status", "control"])
    direct = zone_population(zones)
    memo = RegionPopulationMemo(zone_population)
    assert_frame_equal(memo(zones), direct, check_dtype=False)
    # Remembered per region: a subset in another order, and the whole again, read back the same.
    subset = zones[zones["region"].isin(["UA-14", "UA-43", "UA-46"])].iloc[::-1]
    assert_frame_equal(memo(subset).sort_index(), direct.loc[subset.index].sort_index(), check_dtype=False)
    assert_frame_equal(memo(zones), direct, check_dtype=False)


def test_every_population_source_is_named(plan28_report):
    ids = {source["id"] for source in plan28_report["sources"]}
    assert {"population-ukrstat-2022", "hromadas-kse", "hromadas-opora-2020", "population-ocha-cod-ps-2020"} <= ids


CRIMEA_PROJECTIONS = {**CRIMEA_UNITS_PROJECTIONS, "UA-43+UA-40": sum(CRIMEA_UNITS_PROJECTIONS.values())}


@pytest.mark.parametrize("code", sorted(CRIMEA_PROJECTIONS))
def test_crimea_carries_its_projection_apart_from_the_official_figure(plan28_report, code):
    region = next(r for r in plan28_report["regions"] if r["code"] == code)
    assert region["population_2022"] is None
    assert region["population_projection_2020"] == CRIMEA_PROJECTIONS[code]
    source = next(s for s in plan28_report["sources"] if s["id"] == region["population_projection_source"])
    assert "projection" in source["name"].lower()
    assert source["date"] == "2020-01-01"


def test_no_other_region_has_a_projection_and_no_total_counts_one(plan28_report):
    others = [r for r in plan28_report["regions"] if r["code"] not in CRIMEA_PROJECTIONS]
    assert not any("population_projection_2020" in r for r in others)
    recognised = plan28_report["totals"]["recognised_de_facto"]
    official_parts = sum(z["population_2022"] for r in others if not r["combined"] for z in r["zones"] if z["status"] == "recognised_de_facto")
    assert recognised["population_2022"] == official_parts
    assert {"UA-40", "UA-43"} <= set(recognised["population_excludes"])


def test_recognised_land_with_crimea_projection_is_a_labelled_sum_outside_the_headline(plan28_report):
    from peacemap.layers.report.render import headline_lines, report_markdown

    headline = plan28_report["headline"]
    recognised = (headline["russian_side_de_jure"], headline["russian_side_de_facto"], headline["russian_side_frozen_de_facto"])
    with_crimea = plan28_report["recognised_with_crimea_projection"]
    assert with_crimea["population_projection_2020"] == CRIMEA_PROJECTIONS["UA-43+UA-40"]
    assert with_crimea["population_2022"] == sum(part["population_2022"] for part in recognised)
    assert with_crimea["population_with_projection"] == with_crimea["population_2022"] + CRIMEA_PROJECTIONS["UA-43+UA-40"]
    assert with_crimea["area_km2"] == pytest.approx(sum(part["area_km2"] for part in recognised), abs=0.1)
    # The headline itself still leaves Crimea out of every official figure.
    assert {"UA-40", "UA-43"} <= set(headline["russian_side_de_facto"]["population_excludes"])
    sentence = f"{with_crimea['population_with_projection']:,} people"
    for text in (report_markdown(plan28_report), "\n".join(headline_lines(plan28_report))):
        line = next(line for line in text.splitlines() if sentence in line)
        assert "projection for 1 January 2020" in line
        assert "not an official figure" in line


@pytest.mark.parametrize("recognition", ["not_addressed", "none"])
def test_no_crimea_projection_sum_unless_all_of_crimea_is_recognised(plan28_report, recognition):
    import copy

    from peacemap.layers.report.crimea_projection import recognised_with_projection

    regions = copy.deepcopy(plan28_report["regions"])
    sevastopol = next(r for r in regions if r["code"] == "UA-40")
    sevastopol["zones"][0]["recognition"] = recognition
    assert recognised_with_projection(regions, plan28_report["headline"]) is None
