"""Headlines that cannot mislead (issues 17 and 25): for every shipped plan and option on three
dates, country-wide and in every region, the parts of each headline measure add up to it exactly,
every band lies within 0 and the official total of the regions involved around its figure, a
measure made of whole regions has no band, and report.csv summed by status gives the JSON totals.

The dates span the DeepState series: its first snapshot (2024-07-08), mid-2025 and the day the
28-point plan was handed over (2025-11-20). Control layers are built once per date and shared by
all plans; each region's population is estimated once per distinct set of zones. Region totals
come from the official table itself (State Statistics Service of Ukraine, table 1), read by
``population_tables``, not from the model.
"""

from __future__ import annotations

import csv
import io

import pytest
from reference_figures import OFFICIAL_TOTALS

from peacemap.layers.plans.model import builtin_plan_ids, load_plan
from peacemap.layers.report.measures import Measure
from peacemap.layers.report.render import report_csv

DATES = ("2024-07-08", "2025-07-24", "2025-11-20")
PEOPLE = ("population_2022", "population_2022_low", "population_2022_high")


def _variants() -> list[tuple[str, tuple[str, ...]]]:
    """Every shipped plan without options, with each option, and with all of them."""
    variants = []
    for plan_id in builtin_plan_ids():
        options = [o.id for o in load_plan(plan_id).options]
        chosen = {(), *((o,) for o in options), tuple(options)}
        variants += [(plan_id, c) for c in sorted(chosen)]
    return variants


VARIANTS = _variants()


@pytest.fixture(scope="module")
def reports(control_layers_on, zone_population_memo):
    """A function: the report of a plan with options on a date (each built once)."""
    from peacemap.layers.plans.apply import apply_plan
    from peacemap.layers.report.figures import build_report

    built = {}

    def report(day: str, plan_id: str, options: tuple[str, ...]):
        key = (day, plan_id, options)
        if key not in built:
            layers = apply_plan(load_plan(plan_id).with_options(options), control_layers_on(day))
            built[key] = (build_report(layers, zone_population_memo), layers)
        return built[key]

    return report


def _headlines(report):
    """The report's headline and every region's (the combined Crimea row too), with where they come from."""
    yield "all regions", report["headline"]
    for region in report["regions"]:
        yield region["code"], region["headline"]


@pytest.fixture(scope="module")
def official_totals():
    """Each region's official 1 January 2022 population (table 1), None where it has none."""
    from peacemap.layers.sources.population_tables import read_region_totals

    totals = read_region_totals()["total"]
    return {code: (None if value != value else int(value)) for code, value in totals.items()}


def _region_areas(report):
    return {region["code"]: region["area_km2"] for region in report["regions"] if not region["combined"]}


def test_the_variants_cover_every_plan_and_option():
    assert {plan for plan, _ in VARIANTS} == {"plan28", "plan20", "eu-counter", "russia-max", "freeze"}
    assert ("plan20", ("donetsk-zone", "enerhodar-zone")) in VARIANTS
    assert ("eu-counter", ("znpp-dam-kinburn",)) in VARIANTS
    assert {("plan28", ("21c-none",)), ("plan28", ("21d-de-facto",)), ("plan28", ("21c-none", "21d-de-facto"))} <= set(VARIANTS)


@pytest.mark.parametrize(("plan_id", "options"), VARIANTS, ids=lambda v: ",".join(v) if isinstance(v, tuple) else v)
@pytest.mark.parametrize("day", DATES)
def test_the_parts_of_every_measure_add_up_to_it(reports, day, plan_id, options):
    # Issue 25: "of which frozen along the line" was part of "recognised de facto" but printed
    # beside it, so the "of which" lines of plan28 added up to 160,098 km² against 120,275.
    report, _ = reports(day, plan_id, options)
    for where, headline in _headlines(report):
        for measure in Measure:
            parts = [headline[part] for part in measure.parts]
            if not parts:
                continue
            parent = headline[measure]
            # Areas are each rounded to 0.1 km².
            assert sum(p["area_km2"] for p in parts) == pytest.approx(parent["area_km2"], abs=0.05 * (len(parts) + 1)), (where, measure)
            assert sum(p["population_2022"] for p in parts) == parent["population_2022"], (where, measure)
            assert sorted({c for p in parts for c in p["regions"]}) == parent["regions"], (where, measure)
            assert sorted({c for p in parts for c in p["population_excludes"]}) == parent["population_excludes"], (where, measure)


@pytest.mark.parametrize(("plan_id", "options"), VARIANTS, ids=lambda v: ",".join(v) if isinstance(v, tuple) else v)
@pytest.mark.parametrize("day", DATES)
def test_every_band_lies_within_the_regions_and_around_its_figure(reports, official_totals, day, plan_id, options):
    # Issue 25: plan28's Russian side in Donetsk was 4,059,372 (4,009,468 – 4,109,370), the
    # band's upper end above the oblast's official total: the ends of the pieces' bands were added.
    report, _ = reports(day, plan_id, options)
    areas = _region_areas(report)
    for where, headline in _headlines(report):
        for measure in Measure:
            figures = headline[measure]
            counted = [code for code in figures["regions"] if code not in figures["population_excludes"]]
            ceiling = sum(official_totals[code] for code in counted)
            value, low, high = (figures[key] for key in PEOPLE)
            assert 0 <= low <= value <= high <= ceiling, (where, measure, low, value, high, ceiling)
            whole = all(_covers_region(report, code, measure, areas) for code in counted)
            if whole:  # made of whole regions: the official totals, exactly
                assert low == value == high == ceiling, (where, measure)


def _covers_region(report, code, measure, areas):
    region = next(r for r in report["regions"] if r["code"] == code)
    return region["headline"][measure]["area_km2"] == pytest.approx(areas[code], abs=0.2)


@pytest.mark.parametrize(("plan_id", "options"), VARIANTS, ids=lambda v: ",".join(v) if isinstance(v, tuple) else v)
@pytest.mark.parametrize("day", DATES)
def test_zone_and_status_bands_lie_within_their_regions(reports, official_totals, day, plan_id, options):
    report, _ = reports(day, plan_id, options)
    for region in report["regions"]:
        if region["population_2022"] is None:
            continue
        total = sum(official_totals[code] for code in region["code"].split("+"))
        assert region["population_2022"] == total, region["code"]
        for zone in region["zones"]:
            value, low, high = (zone[key] for key in PEOPLE)
            assert 0 <= low <= value <= high <= total, (region["code"], zone["status"])
            if len(region["zones"]) == 1:
                assert low == value == high == total, region["code"]
            assert sum(p["population_2022"] for p in zone["by_control"]) == value, (region["code"], zone["status"])


@pytest.mark.parametrize(("plan_id", "options"), VARIANTS, ids=lambda v: ",".join(v) if isinstance(v, tuple) else v)
@pytest.mark.parametrize("day", DATES)
def test_the_russian_side_is_occupied_land_less_returned_plus_given_up(reports, control_layers_on, day, plan_id, options):
    report, _ = reports(day, plan_id, options)
    zones = control_layers_on(day).zones
    occupied_km2 = float(zones.loc[zones["control"] == "occupied", "area_km2"].sum())
    headline = report["headline"]
    expected = (
        occupied_km2 - headline["returned"]["area_km2"] - headline["both_withdraw_held_by_russia"]["area_km2"] + headline["ceded_beyond_line"]["area_km2"]
    )
    assert headline["russian_side"]["area_km2"] == pytest.approx(expected, abs=0.5)
    # Under Russian forces: the Russian side less the demilitarised zones Russia does not enter.
    assert headline["under_russian_forces"]["area_km2"] == pytest.approx(
        headline["russian_side"]["area_km2"] - headline["ceded_demilitarised"]["area_km2"], abs=0.15
    )


@pytest.mark.parametrize(("plan_id", "options"), VARIANTS, ids=lambda v: ",".join(v) if isinstance(v, tuple) else v)
@pytest.mark.parametrize("day", DATES)
def test_report_csv_summed_gives_the_json_totals_and_headline(reports, day, plan_id, options):
    # Before: the combined UA-43+UA-40 row carried nothing to mark it, so summing the CSV gave
    # 101,497 km² recognised on 2025-11-20 (true 74,251) and a Ukraine of 629,367 km². Issue 25:
    # the CSV had no control column, so "given up beyond the line" could not be rebuilt from it.
    report, _ = reports(day, plan_id, options)
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert {row["combined"] for row in rows} == {"true", "false"}
    assert {row["region_code"] for row in rows if row["combined"] == "true"} == {"UA-43+UA-40"}
    counted = [row for row in rows if row["combined"] == "false"]
    assert sum(float(row["area_km2"]) for row in counted) == pytest.approx(report["ukraine_area_km2"], abs=0.05 * len(counted))
    for status, totals in report["totals"].items():
        own = [row for row in counted if row["status"] == status]
        assert sum(float(row["area_km2"]) for row in own) == pytest.approx(totals["area_km2"], abs=0.05 * len(own))
        assert sum(int(row["population_2022"]) for row in own if row["population_2022"]) == (totals["population_2022"] or 0), status
        assert sorted({row["region_code"] for row in own if not row["population_2022"]}) == totals["population_excludes"]
    for measure, chosen in csv_selections().items():
        own = [row for row in counted if chosen(row)]
        figures = report["headline"][measure]
        assert sum(float(row["area_km2"]) for row in own) == pytest.approx(figures["area_km2"], abs=0.05 * (len(own) + 1)), measure
        assert sum(int(row["population_2022"]) for row in own if row["population_2022"]) == figures["population_2022"], measure


def csv_selections():
    """Each headline measure as a choice of report.csv rows (docs/reference/outputs.md: which rows add up
    to which measure), written from the CSV's own columns."""

    def russian(row):
        return row["side_after"] == "russian"

    def dmz(row):
        return row["status"].startswith("dmz")

    return {
        Measure.RUSSIAN_SIDE: russian,
        Measure.RUSSIAN_SIDE_DE_JURE: lambda r: russian(r) and r["recognition"] == "de_jure",
        Measure.RUSSIAN_SIDE_DE_FACTO: lambda r: russian(r) and r["recognition"] == "de_facto" and not r["status"].startswith("frozen"),
        Measure.RUSSIAN_SIDE_FROZEN_DE_FACTO: lambda r: russian(r) and r["recognition"] == "de_facto" and r["status"].startswith("frozen"),
        Measure.RUSSIAN_SIDE_NOT_RECOGNISED: lambda r: russian(r) and r["recognition"] == "none",
        Measure.RUSSIAN_SIDE_NOT_ADDRESSED: lambda r: russian(r) and r["recognition"] == "not_addressed",
        Measure.UNDER_RUSSIAN_FORCES: lambda r: russian(r) and not dmz(r),
        Measure.CEDED: lambda r: russian(r) and r["control"] == "held",
        Measure.CEDED_DEMILITARISED: lambda r: russian(r) and r["control"] == "held" and dmz(r),
        Measure.CEDED_TO_RUSSIAN_FORCES: lambda r: russian(r) and r["control"] == "held" and not dmz(r),
        Measure.BOTH_WITHDRAW: lambda r: r["status"] == "dmz_mutual",
        Measure.BOTH_WITHDRAW_HELD: lambda r: r["status"] == "dmz_mutual" and r["control"] == "held",
        Measure.BOTH_WITHDRAW_OCCUPIED: lambda r: r["status"] == "dmz_mutual" and r["control"] == "occupied",
        Measure.RETURNED: lambda r: r["side_after"] == "ukrainian" and r["control"] == "occupied",
        Measure.FROZEN_UKRAINIAN_SIDE: lambda r: r["status"] == "frozen_ukrainian",
    }


def test_csv_selections_cover_every_measure():
    assert set(csv_selections()) == set(Measure)


def test_plan28_donetsk_is_exact_and_the_headline_band_narrower(reports):
    # Issue 25, acceptance: all of Donetsk oblast passes to the Russian side, so its people are
    # the official total with no band; the headline band was 7,314,033 - 7,486,070.
    report, _ = reports("2025-11-20", "plan28", ())
    donetsk = next(r for r in report["regions"] if r["code"] == "UA-14")["headline"]["russian_side"]
    assert (donetsk["population_2022"], donetsk["population_2022_low"], donetsk["population_2022_high"]) == (OFFICIAL_TOTALS["UA-14"],) * 3
    side = report["headline"]["russian_side"]
    assert 7_314_033 < side["population_2022_low"] <= side["population_2022"] <= side["population_2022_high"] < 7_486_070


def test_headline_keys_never_name_a_status():
    from peacemap.layers.plans.statuses import Status
    from peacemap.layers.report.contract import Headline, keys

    assert keys(Headline) == [str(m) for m in Measure]
    assert not set(keys(Headline)) & set(Status)


def test_recognition_reads_differently_in_every_report(reports):
    # Acceptance: plan28's occupied Kherson and Zaporizhzhia are recognised de facto (21b),
    # eu-counter's occupied land not at all, plan20's Crimea is not addressed; before, all three
    # were "Frozen, Russian-held side".
    from peacemap.layers.report.render import report_markdown

    def occupied_zone(plan_id, code):
        report, _ = reports("2025-11-20", plan_id, ())
        region = next(r for r in report["regions"] if r["code"] == code)
        zone = next(z for z in region["zones"] if z["side_after"] == "russian")
        return report, zone

    cases = {
        ("plan28", "UA-65"): "de_facto",
        ("plan28", "UA-23"): "de_facto",
        ("eu-counter", "UA-14"): "none",
        ("eu-counter", "UA-63"): "none",
        ("plan20", "UA-43"): "not_addressed",
        ("plan20", "UA-40"): "not_addressed",
    }
    labels = {}
    for (plan_id, code), recognition in cases.items():
        report, zone = occupied_zone(plan_id, code)
        assert zone["recognition"] == recognition, (plan_id, code)
        labels[recognition] = next(line for line in report_markdown(report).splitlines() if f"({code}) |" in line and "| russian |" in line)
    texts = {recognition: line.split(" | ")[1] for recognition, line in labels.items()}
    assert texts == {
        "de_facto": "Frozen along the line: de facto recognition",
        "none": "Russian-held, not recognised",
        "not_addressed": "Russian-held, not addressed",
    }


def test_plan20_zones_both_sides_leave_are_not_given_up(reports):
    # Before: "given up beyond the line of contact: 1,524 km² … of which demilitarised zone:
    # 3,366 km²" with both plan20 zones on, because a zone both sides leave counted as Russian.
    report, _ = reports("2025-11-20", "plan20", ("donetsk-zone", "enerhodar-zone"))
    headline = report["headline"]
    assert headline["ceded_beyond_line"]["area_km2"] == 0
    assert headline["ceded_demilitarised"]["area_km2"] == 0
    assert headline["both_withdraw_held_by_ukraine"]["area_km2"] > 0
    assert headline["both_withdraw_held_by_russia"]["area_km2"] > 0
    assert set(headline["both_withdraw"]["regions"]) == {"UA-14", "UA-23"}
