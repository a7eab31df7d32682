"""`peacemap compare` on 2025-11-20 (acceptance of the plan-catalogue issue)."""

import json

import pytest

from peacemap.cli.main import cli

PLANS = ["plan28", "plan20", "eu-counter", "russia-max", "freeze"]


@pytest.fixture(scope="module")
def document():
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["-q", "compare", *PLANS, "--date", "2025-11-20", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def comparison(document):
    return {entry["plan"]: entry for entry in document["plans"]}


def test_the_json_follows_the_contract(document):
    from peacemap.layers.report.contract import Comparison, mismatches

    assert mismatches(document, Comparison) == []


def test_every_plan_gives_land_and_population_ceded(comparison):
    assert list(comparison) == PLANS
    for entry in comparison.values():
        ceded = entry["totals"]["ceded_beyond_line"]
        assert {"area_km2", "population_2022", "population_2022_low", "population_2022_high"} <= set(ceded)
        assert entry["source"]


@pytest.mark.parametrize("plan", ["freeze", "eu-counter"])
def test_freeze_and_eu_counter_cede_nothing(comparison, plan):
    assert comparison[plan]["totals"]["ceded_beyond_line"]["area_km2"] == 0
    assert comparison[plan]["totals"]["ceded_beyond_line"]["population_2022"] == 0
    assert all(region["ceded_beyond_line"]["area_km2"] == 0 for region in comparison[plan]["regions"].values())


def test_russia_max_cedes_at_least_as_much_as_plan28_everywhere(comparison):
    russia, plan28 = comparison["russia-max"]["regions"], comparison["plan28"]["regions"]
    assert set(russia) == set(plan28)
    for code in plan28:
        for key in ("area_km2", "population_2022"):
            assert russia[code]["ceded_beyond_line"][key] >= plan28[code]["ceded_beyond_line"][key], (code, key)
    assert comparison["russia-max"]["totals"]["ceded_beyond_line"]["area_km2"] > comparison["plan28"]["totals"]["ceded_beyond_line"]["area_km2"]


def test_plan28_cedes_the_dmz_and_plan20_returns_the_four_oblasts(comparison):
    assert comparison["plan28"]["regions"]["UA-14"]["ceded_beyond_line"]["area_km2"] == pytest.approx(6_200, rel=0.03)
    returned = comparison["plan20"]["regions"]
    for code in ("UA-12", "UA-48", "UA-59", "UA-63"):
        assert returned[code]["returned"]["area_km2"] > 0
