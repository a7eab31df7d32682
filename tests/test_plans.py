"""Plan files: the shipped plans validate; malformed ones are refused naming file, field, expectation."""

import tomllib

import pytest

from peacemap.cli.main import cli
from peacemap.layers.errors import PlanError
from peacemap.layers.plans.model import RULES, builtin_plan_ids, load_plan

PLAN28 = load_plan("plan28")


def test_builtin_plans_validate():
    for plan_id in builtin_plan_ids():
        plan = load_plan(plan_id)
        assert plan.id == plan_id and plan.source["name"]


def test_plan28_point_21():
    assert PLAN28.date.isoformat() == "2025-11-20"
    assert {PLAN28.rule_for(c).rule for c in ("UA-43", "UA-40", "UA-09")} == {"recognise"}
    assert PLAN28.rule_for("UA-14").rule == "dmz"
    assert PLAN28.rule_for("UA-23").rule == PLAN28.rule_for("UA-65").rule == "freeze"
    assert PLAN28.rule_for("UA-63").rule == "relinquish"
    assert {p.id for p in PLAN28.provisions} >= {"21a", "21b", "21c", "21d", "19", "23"}


@pytest.fixture
def plan28_text():
    from importlib import resources

    return resources.files("peacemap.layers.plans").joinpath("builtin", "plan28.toml").read_text(encoding="utf-8")


def _write(tmp_path, text):
    path = tmp_path / "my-plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "field", "expected"),
    [
        (lambda t: t.replace('rule = "freeze", provision = "21b" }      # Kherson', 'rule = "annex", provision = "21b" }'), "rules.UA-65.rule", "expected one of " + ", ".join(RULES)),
        (lambda t: t.replace('"UA-23" = { rule = "freeze", provision = "21b" }', ""), "rules", "UA-23 (Zaporizhzhia)"),
        (lambda t: t.replace("date = 2025-11-20", 'date = "2025-13-45"'), "date", "expected a date as YYYY-MM-DD"),
        (lambda t: t.replace('provision = "21c"', 'provision = "99z"'), "elsewhere.provision", "expected the id of one of the plan's provisions"),
        (lambda t: t.replace('id = "plan28"', 'id = "plan28"\ncolour = "red"'), "colour", "expected only"),
    ],
    ids=["unknown-rule", "missing-region", "bad-date", "unknown-provision", "unknown-field"],
)
def test_malformed_plans_are_refused(tmp_path, plan28_text, edit, field, expected):
    edited = edit(plan28_text)
    assert edited != plan28_text
    path = _write(tmp_path, edited)
    with pytest.raises(PlanError) as info:
        load_plan(path)
    message = str(info.value)
    assert str(path) in message and field in message and expected in message
    assert "\n" not in message


def test_invalid_toml_names_the_file(tmp_path):
    path = _write(tmp_path, "id = \n")
    with pytest.raises(PlanError, match="not valid TOML"):
        load_plan(path)


def test_unknown_plan_id_lists_the_known_ones():
    with pytest.raises(PlanError, match="plan28"):
        load_plan("plan99")


def test_cli_refuses_a_malformed_plan_with_exit_1(runner, tmp_path, plan28_text):
    path = _write(tmp_path, plan28_text.replace('rule = "dmz"', 'rule = "dmzz"'))
    result = runner.invoke(cli, ["layers", "--plan", str(path), "-o", str(tmp_path / "out.gpkg")])
    assert result.exit_code == 1
    assert "rules.UA-14.rule" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.gpkg").exists()


def test_plan_files_are_plain_toml(plan28_text):
    assert tomllib.loads(plan28_text)["id"] == "plan28"


def test_catalogue_has_the_five_plans_each_with_a_source():
    assert {"plan28", "plan20", "eu-counter", "russia-max", "freeze"} <= set(builtin_plan_ids())
    for plan_id in builtin_plan_ids():
        plan = load_plan(plan_id)
        assert plan.source["name"].strip() and plan.provisions


def test_ambiguous_provisions_are_options_off_by_default():
    plan20 = load_plan("plan20")
    assert {o.id for o in plan20.options} == {"donetsk-zone", "enerhodar-zone"}
    assert plan20.active_options() == ()
    for option in plan20.options:
        assert option.ambiguous and plan20.provision(option.provision).ambiguous


def test_unknown_option_is_refused():
    with pytest.raises(PlanError, match="donetsk-zone"):
        load_plan("plan20").with_options(["nope"])


def test_readme_example_plan_is_valid(tmp_path):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, flags=re.S)
    assert blocks, "README has no TOML plan example"
    plan = load_plan(_write(tmp_path, blocks[0]))
    assert plan.rule_for("UA-14").rule == "dmz"


def test_plans_command_lists_each_plan_with_its_source(runner):
    result = runner.invoke(cli, ["plans"])
    assert result.exit_code == 0
    for plan_id in ("plan28", "plan20", "eu-counter", "russia-max", "freeze"):
        line = next(line for line in result.stdout.splitlines() if line.startswith(plan_id))
        assert plan_id in line
    assert result.stdout.count("source:") == len(builtin_plan_ids())


def test_plans_show_prints_rules_and_options(runner):
    result = runner.invoke(cli, ["plans", "show", "plan20"])
    assert result.exit_code == 0
    assert "donetsk-zone" in result.stdout and "UA-14" in result.stdout and "ambiguous" in result.stdout
