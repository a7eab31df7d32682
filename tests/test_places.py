"""`peacemap places` and the report's "Places" (layers.report.places): which hromadas, cities and
towns lie in each zone of a plan.

Reference facts: the 28-point plan's DMZ is the part of Donetsk oblast Ukraine held on
2025-11-20 (DeepState); Kramatorsk, Sloviansk, Druzhkivka and Kostiantynivka lie in it (the plan
notes); Kostiantynivka's south-east was occupied by that date (issue 12). Populations: table 6
(hromadas: Kostiantynivska 72,422) and table 5 (cities: Kramatorsk 147,145, Sloviansk 105,141,
Druzhkivka 53,977, Kostiantynivka 67,350) of the 2022 collection.
"""

import json

import pytest

from peacemap.cli.main import cli
from peacemap.layers.report import contract
from peacemap.layers.report import places as place_list
from peacemap.layers.report.render import report_markdown


@pytest.fixture(scope="module")
def plan28_places(plan28_layers, model, territories):
    return place_list.build_places(plan28_layers, model, territories)


def _hromada(places, name, status="dmz"):
    return [h for h in places["hromadas"] if h["hromada"].replace("’", "'") == name and h["status"] == status]


def test_places_follow_the_contract(plan28_places):
    assert contract.mismatches(plan28_places, contract.Places) == []
    assert plan28_places["plan"] == "plan28"
    assert plan28_places["date"] == "2025-11-20"
    assert {"hromadas-opora-2020", "population-ukrstat-2022"} <= {s["id"] for s in plan28_places["sources"]}


@pytest.mark.parametrize(
    ("name", "at_least"),
    [
        ("Краматорська міська ТГ", 99.0),
        ("Слов'янська міська ТГ", 99.0),
        ("Дружківська міська ТГ", 97.0),
    ],
)
def test_the_dmz_holds_the_hromadas_of_the_agglomeration(plan28_places, name, at_least):
    [entry] = _hromada(plan28_places, name)
    assert entry["region"] == "UA-14"
    assert entry["share_of_hromada_pct"] >= at_least


def test_kostiantynivka_hromada_is_only_partly_in_the_dmz(plan28_places):
    [held] = _hromada(plan28_places, "Костянтинівська міська ТГ")
    [occupied] = _hromada(plan28_places, "Костянтинівська міська ТГ", status="recognised_de_facto")
    assert 0 < held["share_of_hromada_pct"] < 100
    assert 0 < occupied["share_of_hromada_pct"] < 100
    assert held["share_of_hromada_pct"] + occupied["share_of_hromada_pct"] == pytest.approx(100, abs=0.2)
    assert held["population_2022"] + occupied["population_2022"] == 72_422


def test_the_four_cities_are_settlements_of_the_dmz(plan28_places):
    dmz = {t["name_en"]: t["population_2022"] for t in plan28_places["settlements"] if t["status"] == "dmz"}
    assert {"Kramatorsk": 147_145, "Sloviansk": 105_141, "Druzhkivka": 53_977, "Kostiantynivka": 67_350}.items() <= dmz.items()


def test_hromada_rows_add_up_to_the_report(plan28_places, plan28_report):
    for region in plan28_report["regions"]:
        if region["combined"]:
            continue
        for zone in region["zones"]:
            rows = [h for h in plan28_places["hromadas"] if h["region"] == region["code"] and h["status"] == zone["status"]]
            if zone["population_2022"] is None:
                assert all(h["population_2022"] is None for h in rows)
            else:
                assert sum(h["population_2022"] for h in rows) == zone["population_2022"], (region["code"], zone["status"])


def test_crimea_and_sevastopol_are_listed_as_region_units_without_an_official_figure(plan28_places):
    units = [h for h in plan28_places["hromadas"] if h["region"] in ("UA-43", "UA-40")]
    assert sorted(h["hromada_en"] for h in units) == ["Autonomous Republic of Crimea", "Sevastopol"]
    assert all(h["population_2022"] is None and h["raion"] is None and h["share_of_hromada_pct"] == 100.0 for h in units)


def test_a_status_and_a_region_can_be_chosen(plan28_layers, model, territories):
    chosen = place_list.build_places(plan28_layers, model, territories, status="frozen_ukrainian", region="UA-23")
    assert chosen["hromadas"]
    assert {(h["status"], h["region"]) for h in chosen["hromadas"]} == {("frozen_ukrainian", "UA-23")}
    assert "Zaporizhzhia" in {t["name_en"] for t in chosen["settlements"]}


def test_the_report_names_the_largest_towns_of_each_zone(plan28_layers, plan28_report, settlements, territories):
    groups = place_list.report_places(plan28_layers, settlements[settlements["hromada"] >= 0], territories.frame)
    assert contract.mismatches({**plan28_report, "places": groups}, contract.Report) == []
    dmz = next(g for g in groups if g["status"] == "dmz")
    assert [t["name_en"] for t in dmz["largest"]][:4] == ["Kramatorsk", "Sloviansk", "Kostiantynivka", "Druzhkivka"]
    assert "ukrainian" not in {g["status"] for g in groups}
    text = report_markdown({**plan28_report, "places": groups})
    assert "## Places" in text
    assert "Kramatorsk (UA-14) 147,145" in text
    assert "1,941,905" in text
    assert "projection" in text  # Crimea's COD-PS projection, labelled as such


def test_markdown_and_csv_carry_every_row(plan28_places):
    text = place_list.places_markdown(plan28_places)
    assert "## Demilitarised zone" in text
    assert "Краматорська міська ТГ (Kramatorska urban TC)" in text
    rows = place_list.places_records(plan28_places)
    assert len(rows) == len(plan28_places["hromadas"]) + len(plan28_places["settlements"])
    assert {r["level"] for r in rows} == {"hromada", "settlement"}
    assert {r["control"] for r in rows} == {"held", "occupied"}
    assert all("21c" in r["readings"] and "21d" in r["readings"] for r in rows)


def test_cli_places_json(runner, tmp_path):
    out = tmp_path / "dmz.json"
    result = runner.invoke(cli, ["-q", "places", "--plan", "plan28", "--date", "2025-11-20", "--status", "dmz", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert contract.mismatches(written, contract.Places) == []
    assert {h["status"] for h in written["hromadas"]} == {"dmz"}


def test_cli_places_refuses_an_unknown_region(runner):
    result = runner.invoke(cli, ["places", "--region", "UA-99"])
    assert result.exit_code == 2
    assert "'UA-99' is not a region code" in result.output
