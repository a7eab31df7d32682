"""Headlines that cannot mislead (issue 17): for every shipped plan and option on three dates,
every "of which" is at most its total, the Russian side adds up, and report.csv summed by status
gives the JSON totals.

The dates span the DeepState series: its first snapshot (2024-07-08), mid-2025 and the day the
28-point plan was handed over (2025-11-20). Control layers are built once per date and shared by
all plans; each region's population is estimated once per distinct set of zones.
"""

from __future__ import annotations

import csv
import io
import itertools

import pytest

from peacemap.layers.plans.model import builtin_plan_ids, load_plan
from peacemap.layers.report.render import report_csv

DATES = ("2024-07-08", "2025-07-24", "2025-11-20")
MEASURES = ("area_km2", "population_2022", "population_2022_low", "population_2022_high")
# (part, total): each "of which" and what it is part of.
OF_WHICH = [
    ("recognised_de_jure", "russian_side_after_plan"),
    ("recognised_de_facto", "russian_side_after_plan"),
    ("not_addressed", "russian_side_after_plan"),
    ("frozen_russian", "russian_side_after_plan"),
    ("ceded_beyond_line", "russian_side_after_plan"),
    ("dmz", "ceded_beyond_line"),
]


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
    """The report's headline and every region's, with where they come from."""
    yield "all regions", report["headline"]
    for region in report["regions"]:
        yield region["code"], region["headline"]


def test_the_variants_cover_every_plan_and_option():
    assert {plan for plan, _ in VARIANTS} == {"plan28", "plan20", "eu-counter", "russia-max", "freeze"}
    assert ("plan20", ("donetsk-zone", "enerhodar-zone")) in VARIANTS and ("eu-counter", ("znpp-dam-kinburn",)) in VARIANTS


@pytest.mark.parametrize(("plan_id", "options"), VARIANTS, ids=lambda v: ",".join(v) if isinstance(v, tuple) else v)
@pytest.mark.parametrize("day", DATES)
def test_every_of_which_is_at_most_its_total(reports, day, plan_id, options):
    report, layers = reports(day, plan_id, options)
    for where, headline in _headlines(report):
        for (part, total), measure in itertools.product(OF_WHICH, MEASURES):
            assert headline[part][measure] <= headline[total][measure], (where, part, total, measure)
        # Recognised de jure, de facto and not addressed are disjoint parts of the Russian side.
        disjoint = [headline[key] for key in ("recognised_de_jure", "recognised_de_facto", "not_addressed")]
        assert sum(f["area_km2"] for f in disjoint) <= headline["russian_side_after_plan"]["area_km2"] + 0.15, where
        for measure in MEASURES[1:]:
            assert sum(f[measure] for f in disjoint) <= headline["russian_side_after_plan"][measure], (where, measure)
        mutual = headline["dmz_mutual"]
        parts = (mutual["held_by_ukraine"], mutual["held_by_russia"])
        assert sum(p["area_km2"] for p in parts) == pytest.approx(mutual["area_km2"], abs=0.11), where  # each rounded to 0.1
        for measure in MEASURES[1:]:
            assert sum(p[measure] for p in parts) == mutual[measure], (where, measure)


@pytest.mark.parametrize(("plan_id", "options"), VARIANTS, ids=lambda v: ",".join(v) if isinstance(v, tuple) else v)
@pytest.mark.parametrize("day", DATES)
def test_the_russian_side_is_occupied_land_less_returned_plus_given_up(reports, control_layers_on, day, plan_id, options):
    report, _ = reports(day, plan_id, options)
    zones = control_layers_on(day).zones
    occupied_km2 = float(zones.loc[zones["control"] == "occupied", "area_km2"].sum())
    headline = report["headline"]
    expected = (occupied_km2 - headline["returned"]["area_km2"] - headline["dmz_mutual"]["held_by_russia"]["area_km2"]
                + headline["ceded_beyond_line"]["area_km2"])
    assert headline["russian_side_after_plan"]["area_km2"] == pytest.approx(expected, abs=0.5)


@pytest.mark.parametrize(("plan_id", "options"), VARIANTS, ids=lambda v: ",".join(v) if isinstance(v, tuple) else v)
@pytest.mark.parametrize("day", DATES)
def test_report_csv_summed_by_status_gives_the_json_totals(reports, day, plan_id, options):
    # Before: the combined UA-43+UA-40 row carried nothing to mark it, so summing the CSV gave
    # 101,497 km² recognised on 2025-11-20 (true 74,251) and a Ukraine of 629,367 km².
    report, _ = reports(day, plan_id, options)
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert {row["combined"] for row in rows} == {"true", "false"}
    assert {row["region_code"] for row in rows if row["combined"] == "true"} == {"UA-43+UA-40"}
    counted = [row for row in rows if row["combined"] == "false"]
    assert sum(float(row["area_km2"]) for row in counted) == pytest.approx(report["ukraine_area_km2"], abs=0.05 * len(counted))
    for status, totals in report["totals"].items():
        own = [row for row in counted if row["status"] == status]
        assert sum(float(row["area_km2"]) for row in own) == pytest.approx(totals["area_km2"], abs=0.05 * len(own))
        for key in ("population_2022", "population_2022_low", "population_2022_high"):
            assert sum(int(row[key]) for row in own if row[key]) == (totals[key] or 0), (status, key)
        assert sorted(row["region_code"] for row in own if not row["population_2022"]) == totals["population_excludes"]


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

    cases = {("plan28", "UA-65"): "de_facto", ("plan28", "UA-23"): "de_facto", ("eu-counter", "UA-14"): "none",
             ("eu-counter", "UA-63"): "none", ("plan20", "UA-43"): "not_addressed", ("plan20", "UA-40"): "not_addressed"}
    labels = {}
    for (plan_id, code), recognition in cases.items():
        report, zone = occupied_zone(plan_id, code)
        assert zone["recognition"] == recognition, (plan_id, code)
        labels[recognition] = next(line for line in report_markdown(report).splitlines() if f"({code}) |" in line and "| russian |" in line)
    texts = {recognition: line.split(" | ")[1] for recognition, line in labels.items()}
    assert texts == {"de_facto": "Frozen along the line: de facto recognition", "none": "Russian-held, not recognised",
                     "not_addressed": "Russian-held, not addressed"}


def test_plan20_zones_both_sides_leave_are_not_given_up(reports):
    # Before: "given up beyond the line of contact: 1,524 km² … of which demilitarised zone:
    # 3,366 km²" with both plan20 zones on, because a zone both sides leave counted as Russian.
    report, _ = reports("2025-11-20", "plan20", ("donetsk-zone", "enerhodar-zone"))
    headline = report["headline"]
    assert headline["ceded_beyond_line"]["area_km2"] == 0 and headline["dmz"]["area_km2"] == 0
    mutual = headline["dmz_mutual"]
    assert mutual["held_by_ukraine"]["area_km2"] > 0 and mutual["held_by_russia"]["area_km2"] > 0
    assert set(mutual["regions"]) == {"UA-14", "UA-23"}
