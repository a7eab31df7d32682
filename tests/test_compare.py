"""`peacemap compare` on 2025-11-20 (acceptance of the plan-catalogue issue and of issue 25:
columns that mean the same for every plan, plans with options, readings per plan)."""

import json

import pytest

from peacemap.cli.main import cli

# Issue 25's acceptance command: plan28 with its default reading of 21c and with none returned.
PLANS = ["plan28", "plan28+21c-none", "plan20", "eu-counter", "russia-max", "freeze"]


@pytest.fixture(scope="module")
def document():
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["-q", "compare", *PLANS, "--date", "2025-11-20", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def comparison(document):
    return {entry["variant"]: entry for entry in document["plans"]}


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


def test_the_russian_side_after_the_plan_ranks_the_plans_honestly(comparison):
    # Issue 17 acceptance: before, eu-counter's "frozen, Russian side 115,968 km²" against
    # plan28's 39,823 made the European proposal read as the bigger concession.
    side = {plan: entry["totals"]["russian_side"]["area_km2"] for plan, entry in comparison.items()}
    assert side["plan28"] > side["eu-counter"]
    assert side["russia-max"] > side["plan28"]
    assert side["russia-max"] > side["eu-counter"]
    # Neither eu-counter nor the baseline moves the line: their Russian side is the occupied land.
    assert side["eu-counter"] == side["freeze"]


def test_recognition_is_compared(comparison):
    russia = comparison["russia-max"]["totals"]["russian_side_de_jure"]["area_km2"]
    # The six regions whole: official areas 26,517 + 26,684 + 27,180 + 28,461 + 26,081 + 864 km²
    # (State Statistics Service of Ukraine); peacemap's land is 0.7% less (Kherson's bays, docs/method/land.md).
    assert russia == pytest.approx(26_517 + 26_684 + 27_180 + 28_461 + 26_081 + 864, rel=0.01)
    assert comparison["plan28"]["totals"]["russian_side_de_facto"]["area_km2"] > 0
    for plan in ("eu-counter", "freeze", "plan20"):
        totals = comparison[plan]["totals"]
        recognised = ("russian_side_de_jure", "russian_side_de_facto", "russian_side_frozen_de_facto")
        assert all(totals[key]["area_km2"] == 0 for key in recognised), plan
    # plan20 does not address Crimea: AR Crimea and Sevastopol, whole.
    assert comparison["plan20"]["totals"]["russian_side_not_addressed"]["regions"] == ["UA-40", "UA-43"]


def test_eu_counter_holds_russian_held_land_not_recognised(comparison, document):
    # Issue 25 acceptance: eu-counter's Russian side was 115,968 km² with every breakdown column 0.
    totals = comparison["eu-counter"]["totals"]
    assert round(totals["russian_side_not_recognised"]["area_km2"]) == 115_968
    assert totals["russian_side_not_recognised"]["area_km2"] == totals["russian_side"]["area_km2"]


def test_freeze_does_not_call_all_held_land_frozen(comparison, document):
    # Issue 25 acceptance: freeze's "frozen, Ukrainian side" was 486,153 km² and 34,382,795 people,
    # all government-held Ukraine (Lviv included). It is now the held land of the regions it
    # freezes by name, as plan20's, and the table says how it reads.
    from peacemap.layers.report.compare import comparison_markdown

    frozen = comparison["freeze"]["totals"]["frozen_ukrainian_side"]
    assert 0 < frozen["area_km2"] < 100_000
    assert frozen["regions"] == ["UA-09", "UA-14", "UA-23", "UA-65"]
    assert frozen["area_km2"] == comparison["plan20"]["totals"]["frozen_ukrainian_side"]["area_km2"]
    assert comparison["eu-counter"]["totals"]["frozen_ukrainian_side"]["area_km2"] == 0
    notes = comparison_markdown(document).split("## How to read the columns", 1)[1]
    assert "freeze" in notes
    assert "Ukrainian and unchanged" in notes


def test_a_plan_with_options_is_compared_beside_itself(comparison):
    default, none = comparison["plan28"], comparison["plan28+21c-none"]
    assert (none["plan"], none["options"]) == ("plan28", ["21c-none"])
    assert none["totals"]["returned"]["area_km2"] == 0
    moved = default["totals"]["returned"]["area_km2"]
    assert none["totals"]["russian_side"]["area_km2"] == pytest.approx(default["totals"]["russian_side"]["area_km2"] + moved, abs=0.2)
    assert none["totals"]["russian_side_not_recognised"]["area_km2"] == pytest.approx(moved, abs=0.1)
    assert any(reading["option"] == "21c-none" for reading in none["readings"])
    assert not any(reading["option"] for reading in default["readings"])


def test_plan_titles_give_the_text_date_beside_the_snapshot(document):
    from peacemap.layers.report.compare import comparison_markdown
    from peacemap.layers.report.measures import Measure

    text = comparison_markdown(document)
    assert "| `russia-max`: Russia's demand of June 2024 | text of 2024-06-14 | DeepState snapshot 2025-11-20 |" in text
    assert "| `plan28`: US 28-point peace plan | text of 2025-11-20 | DeepState snapshot 2025-11-20 |" in text
    # Issue 25: freeze was titled "text of 2025-11-20", though it has no text.
    assert "| `freeze`: Ceasefire on the current line (baseline) | no dated text |" in text
    russia = next(entry for entry in document["plans"] if entry["plan"] == "russia-max")
    assert (russia["text_date"], russia["plan_date"]) == ("2024-06-14", "2024-07-08")
    freeze = next(entry for entry in document["plans"] if entry["plan"] == "freeze")
    assert freeze["text_date"] is None
    for measure in Measure:
        assert f"| {measure.label} |" in text


def test_every_plans_readings_are_in_the_comparison(document):
    from peacemap.layers.report.compare import comparison_markdown, comparison_rows

    text = comparison_markdown(document).split("## Readings", 1)[1]
    plan28 = next(entry for entry in document["plans"] if entry["variant"] == "plan28")
    assert {r["provision"] for r in plan28["readings"]} == {"21c", "21d"}
    for reading in plan28["readings"]:
        assert reading["reading"].replace('"', "") in text.replace('"', "").replace("\\", "")
    rows = comparison_rows(document)
    assert all("21d" in row["readings"] for row in rows if row["plan"] == "plan28")


def test_csv_rows_say_which_populations_they_leave_out(document):
    from peacemap.layers.report.compare import comparison_rows

    rows = {(row["variant"], row["region"]): row for row in comparison_rows(document)}
    assert rows[("plan28", "all")]["population_excludes"] == "UA-40 UA-43"
    assert rows[("plan28", "UA-14")]["population_excludes"] == ""
    assert rows[("plan20", "all")]["russian_side_not_addressed_population_2022"] is None  # Crimea only: not available
    assert rows[("russia-max", "all")]["text_date"] == "2024-06-14"
    assert rows[("freeze", "all")]["text_date"] == "no dated text"


def test_csv_carries_bands_and_the_control_source(document):
    # Issue 25: compare.csv had no bands and no control source, so it could not be quoted alone.
    from peacemap.layers.report.compare import comparison_rows

    rows = {(row["variant"], row["region"]): row for row in comparison_rows(document)}
    plan28 = rows[("plan28", "all")]
    side = next(e for e in document["plans"] if e["variant"] == "plan28")["totals"]["russian_side"]
    assert (plan28["russian_side_population_2022_low"], plan28["russian_side_population_2022_high"]) == (
        side["population_2022_low"],
        side["population_2022_high"],
    )
    assert all(row["control_sha256"] == document["control"]["sha256"] and len(row["control_sha256"]) == 64 for row in rows.values())
    assert all(row["control_snapshot"] == "DeepState snapshot 2025-11-20" for row in rows.values())
