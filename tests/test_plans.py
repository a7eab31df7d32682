"""Plan files: the shipped plans validate; malformed ones are refused naming file, field, expectation."""

import copy
import datetime as dt
import math
import os
import re
import threading
import time
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from peacemap.cli.main import cli
from peacemap.layers.errors import PlanError
from peacemap.layers.plans.model import (
    MAX_NOTES,
    MAX_OPTIONS,
    MAX_PLAN_BYTES,
    MAX_PROVISIONS,
    MAX_ZONE_KM,
    MAX_ZONES_PER_OPTION,
    UKRAINE_LAT_DEG,
    UKRAINE_LON_DEG,
    builtin_plan_ids,
    load_plan,
    parse_plan,
)
from peacemap.layers.plans.statuses import Rule, Status

PLAN28 = load_plan("plan28")


def test_builtin_plans_validate():
    for plan_id in builtin_plan_ids():
        plan = load_plan(plan_id)
        assert plan.id == plan_id
        assert plan.source["name"]


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
        (
            lambda t: t.replace('rule = "freeze", provision = "21b", recognition = "de_facto" }  # Kherson', 'rule = "annex", provision = "21b" }'),
            "rules.UA-65.rule",
            "expected one of " + ", ".join(Rule),
        ),
        (lambda t: t.replace('"UA-23" = { rule = "freeze", provision = "21b", recognition = "de_facto" }', ""), "rules", "UA-23 (Zaporizhzhia)"),
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
    assert str(path) in message
    assert field in message
    assert expected in message
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
    assert "rules.UA-14.rule" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.gpkg").exists()


def test_plan_files_are_plain_toml(plan28_text):
    assert tomllib.loads(plan28_text)["id"] == "plan28"


def test_catalogue_has_the_five_plans_each_with_a_source():
    assert {"plan28", "plan20", "eu-counter", "russia-max", "freeze"} <= set(builtin_plan_ids())
    for plan_id in builtin_plan_ids():
        plan = load_plan(plan_id)
        assert plan.source["name"].strip()
        assert plan.provisions


def test_ambiguous_provisions_are_options_off_by_default():
    plan20 = load_plan("plan20")
    assert {o.id for o in plan20.options} == {"donetsk-zone", "enerhodar-zone"}
    assert plan20.active_options() == ()
    for option in plan20.options:
        assert option.ambiguous
        assert plan20.provision(option.provision).ambiguous


def test_unknown_option_is_refused():
    with pytest.raises(PlanError, match="donetsk-zone"):
        load_plan("plan20").with_options(["nope"])


def test_the_documented_example_plan_is_valid(tmp_path):
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parent.parent / "docs" / "reference" / "plan-files.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", page, flags=re.S)
    assert blocks, "docs/reference/plan-files.md has no TOML plan example"
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
    assert "donetsk-zone" in result.stdout
    assert "UA-14" in result.stdout
    assert "ambiguous" in result.stdout
    # How each rule treats the land, in the labels every output uses (issue 17).
    crimea = result.stdout.split("UA-43 AR Crimea", 1)[1].splitlines()[1].strip()
    assert crimea == "occupied: Russian-held, not addressed; held: Ukrainian, unchanged"
    assert "occupied: Frozen along the line, Russian-held: not recognised" in result.stdout


# --- strict validation (issue 20: hostile plan files) --------------------------------------


def _shipped_document(plan_id):
    return tomllib.loads(resources.files("peacemap.layers.plans").joinpath("builtin", f"{plan_id}.toml").read_text(encoding="utf-8"))


def _refused(document, *fragments):
    """The one-line message of the PlanError ``document`` raises; each fragment must be in it."""
    with pytest.raises(PlanError) as info:
        parse_plan(document, label="my-plan.toml")
    message = str(info.value)
    assert message.isprintable(), message  # no newline, no control character from the input
    assert message.startswith("my-plan.toml: ")
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def _leaves(value, path=""):
    """(path, value) of every scalar in a plan document, paths written as the messages write them."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}[{index}]")
    else:
        yield path, value


def _set(document, path, value):
    """A copy of ``document`` with the leaf at ``path`` (as :func:`_leaves` writes it) set to ``value``."""
    edited = copy.deepcopy(document)
    steps = [int(s[1:-1]) if s.startswith("[") else s for s in re.findall(r"\[\d+\]|[^.\[\]]+", path)]
    target = edited
    for step in steps[:-1]:
        target = target[step]
    target[steps[-1]] = value
    return edited


def _parent(path):
    return path.rsplit("[", 1)[0] if path.endswith("]") else path


PLAN20 = _shipped_document("plan20")
EU_COUNTER = _shipped_document("eu-counter")
PLAN20_LEAVES = list(_leaves(PLAN20)) + list(_leaves({"source": {"url": "https://example.org/"}}))


def test_a_million_provisions_are_refused_at_once():
    # Before: ids.count() made the duplicate check quadratic (20,000 provisions took 4 s; a
    # million, hours). The count is capped, and checked before any provision is read: entries
    # that are not tables would be refused one by one if any were read first.
    document = dict(PLAN20, provisions=[None] * 1_000_000)
    message = _refused(document, "'provisions'", "1,000,000 entries", f"at most {MAX_PROVISIONS:,}")
    assert "provisions[0]" not in message


@pytest.mark.slow  # a wall-clock bound: kept out of the fast subset, where a loaded machine would make it flaky
def test_a_plan_at_the_caps_is_read_quickly():
    document = copy.deepcopy(PLAN20)
    document["provisions"] += [{"id": f"p{i}", "text": "t"} for i in range(MAX_PROVISIONS - len(document["provisions"]))]
    started = time.perf_counter()
    assert len(parse_plan(document).provisions) == MAX_PROVISIONS
    assert time.perf_counter() - started < 1.0


def test_repeated_provision_ids_are_named():
    document = copy.deepcopy(PLAN20)
    document["provisions"].append(dict(document["provisions"][0]))
    _refused(document, "'provisions' repeats id(s) 'line'")


def test_a_file_over_the_size_cap_is_refused_without_parsing(tmp_path, plan28_text):
    path = _write(tmp_path, plan28_text + "# padding\n" * (MAX_PLAN_BYTES // 10))
    with pytest.raises(PlanError, match=f"larger than {MAX_PLAN_BYTES:,} bytes"):
        load_plan(path)


@pytest.mark.parametrize("nested", ["x = " + "[" * 1000 + "]" * 1000, "x = " + "{a = " * 1000 + "1" + "}" * 1000], ids=["arrays", "inline-tables"])
def test_deep_nesting_is_one_line(tmp_path, plan28_text, nested):
    path = _write(tmp_path, nested + "\n" + plan28_text)
    with pytest.raises(PlanError, match="nested too deeply") as info:
        load_plan(path)
    assert "\n" not in str(info.value)


def test_an_integer_too_long_to_read_is_a_plan_error(tmp_path, plan28_text):
    path = _write(tmp_path, plan28_text.replace('rule = "relinquish"', f'rule = "relinquish"\nx = {"9" * 5000}'))
    with pytest.raises(PlanError, match="not valid TOML"):
        load_plan(path)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "plan.toml"
    os.mkfifo(fifo)
    # Were the FIFO opened for reading, this writer would connect and close, ending the read with
    # EOF: the test then fails on the message instead of hanging.
    writer = threading.Thread(target=lambda: open(fifo, "wb").close(), daemon=True)
    writer.start()
    try:
        with pytest.raises(PlanError, match="not a regular file"):
            load_plan(fifo)
    finally:
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # lets the writer's open() return
        writer.join(timeout=5)
        os.close(reader)
    assert not writer.is_alive()


def test_a_plan_file_with_a_byte_order_mark_is_read(tmp_path, plan28_text):
    path = tmp_path / "bom.toml"
    path.write_text(plan28_text, encoding="utf-8-sig")
    assert load_plan(path).id == "plan28"


def test_a_path_with_a_newline_stays_on_one_line(tmp_path):
    path = tmp_path / "my\nplan.toml"
    path.write_text("id = \n", encoding="utf-8")
    with pytest.raises(PlanError, match="not valid TOML") as info:
        load_plan(path)
    assert "\n" not in str(info.value)
    assert "my\\nplan.toml" in str(info.value)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 0, -5, MAX_ZONE_KM + 1, 2_000, 13_000, 10**400, True, "5", [5]])
@pytest.mark.parametrize("key", ["radius_km", "depth_km"])
def test_zone_sizes_must_be_finite_positive_and_local(key, value):
    # Before: NaN and infinities passed and crashed in shapely ("buffer distance must be finite"),
    # 13,000 km silently covered nothing and 2,000 km all of Ukraine; True counted as 1 km.
    option = 1 if key == "radius_km" else 0
    _refused(_set(PLAN20, f"options[{option}].zones[0].{key}", value), f"'options[{option}].zones[0].{key}'", f"at most {MAX_ZONE_KM:g}")


@pytest.mark.parametrize(
    "around", [[2.35, 48.86], [500, 47.5], [34.5, -91], [34.5, math.nan], [math.inf, 47.5], [34.5], [34.5, 47.5, 0], [True, 47.5], "34.5, 47.5"]
)
def test_zone_centres_must_lie_over_ukraine(around):
    _refused(_set(PLAN20, "options[1].zones[0].around", around), "'options[1].zones[0].around'", "over Ukraine")


def test_swapped_coordinates_are_pointed_out():
    _refused(_set(PLAN20, "options[1].zones[0].around", [47.512, 34.586]), "look swapped")


def test_ukraine_box_holds_every_region(regions):
    lon_min, lat_min, lon_max, lat_max = regions.total_bounds
    assert UKRAINE_LON_DEG[0] <= lon_min
    assert lon_max <= UKRAINE_LON_DEG[1]
    assert UKRAINE_LAT_DEG[0] <= lat_min
    assert lat_max <= UKRAINE_LAT_DEG[1]


@pytest.mark.parametrize("field", ["within", "along_line_in"])
def test_combined_crimea_code_is_refused_in_zones(field):
    # Before: within = "UA-43+UA-40" passed and raised KeyError when the zone was cut.
    zone = {"around": [34.0, 45.0], "radius_km": 10} if field == "within" else {"depth_km": 5}
    document = _set(PLAN20, "options[0].zones[0]", {**zone, "status": "dmz", field: "UA-43+UA-40"})
    _refused(document, f"'options[0].zones[0].{field}'", "UA-43 and UA-40")


def test_a_zone_is_a_disc_or_a_band_not_both():
    document = _set(PLAN20, "options[0].zones[0].around", [37.5, 48.0])
    _refused(document, "'options[0].zones[0]'", "one of the two")


def test_territorial_must_be_a_toml_boolean():
    # Before: bool("false") made the provision territorial.
    document = _shipped_document("plan28")
    index = next(i for i, p in enumerate(document["provisions"]) if p.get("territorial") is False)
    _refused(_set(document, f"provisions[{index}].territorial", "false"), f"'provisions[{index}].territorial'", "'false' (a string)", "TOML boolean")


def test_unknown_source_keys_are_refused():
    _refused(_set(PLAN20, "source.licence", "CC0"), "'licence'", "at source", "name, name_uk, published, reprint, url")


def test_source_url_must_be_a_web_address():
    assert parse_plan(_set(PLAN20, "source.url", "https://example.org/plan")).source["url"] == "https://example.org/plan"
    _refused(_set(PLAN20, "source.url", "javascript:alert(1)"), "'source.url'", "https://")


@pytest.mark.parametrize("code", ["UA-99", "UA-43+UA-40", "ua-14", ""])
def test_option_rules_name_known_regions(code):
    # Before: an option's rules could name any code; it was kept and never matched a region.
    document = _set(EU_COUNTER, "options[0].rules", {code: {"rule": "relinquish", "provision": "territory"}})
    _refused(document, "'options[0].rules'", "unknown region", repr(code))


def test_repeated_option_ids_are_refused():
    document = copy.deepcopy(PLAN20)
    document["options"].append(dict(document["options"][0]))
    _refused(document, "'options' repeats id(s) 'donetsk-zone'")


CONTROL_CHARACTERS = ["\x1b", "\x07", "\x00", "\r", "\x7f", "\x85", "\x9b", "\u2028", "\u202e"]


@pytest.mark.parametrize("character", CONTROL_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("path", [p for p, v in PLAN20_LEAVES if isinstance(v, str)])
def test_control_characters_are_refused_in_every_string(path, character):
    # Before: a title with ESC reached the terminal and report.md.
    message = _refused(_set(PLAN20, path, f"A{character}[31mB"), repr(path))
    # Free text names the character; a field with set values (rule, status...) quotes the value.
    assert f"U+{ord(character):04X}" in message or f"'A{character.encode('unicode_escape').decode()}[31mB'" in message


@pytest.mark.parametrize("path", ["summary", "provisions[0].text", "provisions[2].ambiguous", "options[0].description", "notes[0]"])
def test_long_texts_may_hold_newlines_and_tabs(path):
    parse_plan(_set(PLAN20, path, "First line,\n\tsecond line."))


@pytest.mark.parametrize("path", ["title", "id", "source.name", "provisions[0].id", "options[0].id", "rules.UA-09.provision"])
@pytest.mark.parametrize("whitespace", ["\n", "\t"])
def test_one_line_fields_refuse_newlines_and_tabs(path, whitespace):
    _refused(_set(PLAN20, path, f"line{whitespace}break"), repr(path), "one line of text")


# A value of the wrong TOML type for every field of the document: each must name the field.
_WRONG_TYPES = [[1], {"a": 1}, dt.time(12, 0), math.nan]


@pytest.mark.parametrize("wrong", _WRONG_TYPES, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("path", [p for p, _ in PLAN20_LEAVES])
def test_every_field_checks_its_type(path, wrong):
    message = _refused(_set(PLAN20, path, wrong))
    assert repr(path) in message or repr(_parent(path)) in message, message


@pytest.mark.parametrize(
    ("path", "value", "arrived"),
    [("title", 5, "5 (an integer)"), ("id", True, "True (a boolean)"), ("date", 2025, "2025 (an integer)"), ("notes", "a note", "'a note' (a string)")],
)
def test_messages_say_what_arrived(path, value, arrived):
    _refused(_set(PLAN20, path, value), repr(path), arrived)


def test_long_or_multiline_values_are_quoted_short():
    message = _refused(_set(PLAN20, "options[0].zones[0].status", "x\n" * 1000))
    # The quoted value is cut to about 60 characters; the rest names the 13 statuses.
    assert len(message) < 160 + len(", ".join(Status))
    assert "x\\nx" in message


def test_unknown_keys_are_quoted():
    message = _refused(dict(PLAN20, **{"evil\x1b[2J\nkey": 1}), "unknown field(s)")
    assert "evil\\x1b[2J\\nkey" in message


def test_unknown_option_id_is_quoted():
    with pytest.raises(PlanError) as info:
        load_plan("plan20").with_options(["x\n\x1b" * 100])
    assert "\n" not in str(info.value)
    assert len(str(info.value)) < 200


def test_not_a_table_at_the_top():
    _refused([1, 2], "TOML document")


def test_option_zone_over_no_land_of_ukraine_is_refused(regions):
    from peacemap.layers.control.split import unit_regions
    from peacemap.layers.plans.apply import option_zone_polygon
    from peacemap.layers.plans.model import OptionZone

    # Inside the box, but in Poland: before, the option silently changed nothing.
    zone = OptionZone(status="dmz", around=(22.1, 52.3), radius_km=5)
    with pytest.raises(PlanError, match="covers no part of any land of Ukraine"):
        option_zone_polygon(zone, None, unit_regions(regions))
    # A disc limited to a region it does not reach (the plant is ~700 km from Lviv oblast) is refused too.
    far = OptionZone(status="dmz", around=(34.586, 47.512), radius_km=5, within="UA-46")
    with pytest.raises(PlanError, match="covers no part of the land of UA-46"):
        option_zone_polygon(far, None, unit_regions(regions))
    near = OptionZone(status="dmz", around=(34.586, 47.512), radius_km=15, within="UA-23")
    assert option_zone_polygon(near, None, unit_regions(regions)).area > 0


def test_the_plan_files_page_states_the_caps():
    page = (Path(__file__).resolve().parent.parent / "docs" / "reference" / "plan-files.md").read_text(encoding="utf-8")
    section = page.split("## What is refused", 1)[1].split("\n## ", 1)[0]
    for figure in (
        f"{MAX_PLAN_BYTES:,} bytes",
        f"**{MAX_ZONE_KM:g} km**",
        f"**{MAX_PROVISIONS:,}** provisions",
        f"**{MAX_OPTIONS}**",
        f"**{MAX_ZONES_PER_OPTION}** zones",
        f"**{MAX_NOTES}** notes",
        f"{UKRAINE_LON_DEG[0]}–{UKRAINE_LON_DEG[1]} °E",
        f"{UKRAINE_LAT_DEG[0]}–{UKRAINE_LAT_DEG[1]} °N",
    ):
        assert figure in section, figure


# --- how each rule treats the land (issue 17) ----------------------------------------------

PLAN28_DOCUMENT = _shipped_document("plan28")


def test_shipped_plans_state_how_they_treat_the_land():
    # The reading of ../shared/plans.md ("How each plan treats the land").
    plan28, eu, plan20, russia = (load_plan(p) for p in ("plan28", "eu-counter", "plan20", "russia-max"))
    for code in ("UA-23", "UA-65"):  # 21b: "will mean de facto recognition along the line of contact"
        assert plan28.rule_for(code).status("occupied") == "frozen_de_facto"
        assert plan28.rule_for(code).recognition_of("occupied") == "de_facto"
    donetsk = plan28.rule_for("UA-14")  # 21a for the occupied part, 21d for the zone
    assert (donetsk.status("occupied"), donetsk.status("held")) == ("recognised_de_facto", "dmz")
    assert donetsk.recognised_by_of("held") == "internationally"
    assert donetsk.recognised_by_of("occupied") == "including by the United States"
    assert {eu.rule_for(code).status("occupied") for code in ("UA-43", "UA-14", "UA-63")} == {"russian_held"}
    assert {plan20.rule_for(code).status("occupied") for code in ("UA-43", "UA-40")} == {"russian_held_unaddressed"}
    assert {russia.rule_for(code).status("occupied") for code in ("UA-14", "UA-23")} == {"recognised_de_jure"}
    assert russia.elsewhere.status("occupied") == "russian_held_unaddressed"
    assert {z.status for o in plan20.options for z in o.zones} == {"dmz_mutual"}
    # Held land a rule leaves Ukrainian is recognised as nothing, whatever the occupied part is.
    freeze = parse_plan(_set(PLAN28_DOCUMENT, "rules.UA-65.recognised_by", "by the parties")).rule_for("UA-65")
    assert (freeze.recognised_by_of("occupied"), freeze.recognised_by_of("held"), freeze.recognition_of("held")) == ("by the parties", "", None)
    assert plan28.provision("21c").ambiguous
    assert "agreed" in plan28.provision("21c").ambiguous


def _rule_edit(code, **fields):
    """plan28 with the rule of ``code`` replaced by ``fields``."""
    return _set(PLAN28_DOCUMENT, f"rules.{code}", fields)


@pytest.mark.parametrize(
    ("rule", "fragments"),
    [
        ({"rule": "recognise", "provision": "21a"}, ["'rules.UA-09.recognition' is missing", "de_jure or de_facto"]),
        ({"rule": "keep", "provision": "21a", "recognition": "de_facto"}, ["'rules.UA-09.recognition'", "one of none, not_addressed"]),
        ({"rule": "freeze", "provision": "21a", "recognition": "not_addressed"}, ["'rules.UA-09.recognition'", "one of de_facto, none"]),
        ({"rule": "recognise", "provision": "21a", "recognition": "none"}, ["'rules.UA-09.recognition'", "one of de_jure, de_facto"]),
        ({"rule": "relinquish", "provision": "21a", "recognition": "none"}, ["'rules.UA-09.recognition' does not apply", "relinquish"]),
        ({"rule": "keep", "provision": "21a", "recognition": "none", "recognised_by": "the UN"}, ["'rules.UA-09.recognised_by'", "recognition 'none'"]),
        ({"rule": "freeze", "provision": "21a", "recognition": "none", "side_after": "russian"}, ["'rules.UA-09.side_after' does not apply"]),
        (
            {"rule": "freeze", "provision": "21a", "recognition": "de_facto", "occupied_recognition": "none"},
            ["'rules.UA-09.occupied_recognition' does not apply"],
        ),
        (
            {"rule": "recognise", "provision": "21a", "recognition": "de_facto", "occupied_recognised_by": "the UN"},
            ["'rules.UA-09.occupied_recognised_by' needs occupied_recognition"],
        ),
        ({"rule": "dmz", "provision": "21a", "recognition": "de_jure", "withdraws": "ukraine"}, ["'rules.UA-09.side_after' is missing"]),
        ({"rule": "dmz", "provision": "21a", "recognition": "de_jure", "side_after": "russian"}, ["'rules.UA-09.withdraws' is missing"]),
        (
            {"rule": "dmz", "provision": "21a", "recognition": "de_jure", "side_after": "undetermined", "withdraws": "both"},
            ["'rules.UA-09'", "undetermined/both/de_jure", "russian/ukraine/de_jure", "undetermined/both/none"],
        ),
        (
            {"rule": "dmz", "provision": "21a", "recognition": "de_jure", "side_after": "theirs", "withdraws": "ukraine"},
            ["'rules.UA-09.side_after'", "one of russian, ukrainian, undetermined"],
        ),
        ({"rule": "recognise", "provision": "21a", "recognition": "de_facto", "recognised_by": ""}, ["'rules.UA-09.recognised_by' is empty"]),
    ],
    ids=[
        "missing",
        "keep-de-facto",
        "freeze-unaddressed",
        "recognise-none",
        "relinquish",
        "by-whom-without-recognition",
        "side-on-freeze",
        "occupied-on-freeze",
        "occupied-by-alone",
        "dmz-no-side",
        "dmz-no-withdraws",
        "dmz-no-status",
        "dmz-bad-side",
        "empty-by-whom",
    ],
)
def test_a_rule_must_say_how_it_treats_the_land(rule, fragments):
    _refused(_rule_edit("UA-09", **rule), *fragments)


def test_a_dmz_rule_can_leave_sovereignty_undetermined():
    plan = parse_plan(
        _rule_edit("UA-14", rule="dmz", provision="21d", recognition="none", side_after="undetermined", withdraws="both", occupied_recognition="not_addressed")
    )
    rule = plan.rule_for("UA-14")
    assert (rule.status("held"), rule.status("occupied")) == ("dmz_mutual", "russian_held_unaddressed")


@pytest.mark.parametrize("character", ["\x1b", "\n", "\u202e"], ids=["ESC", "LF", "RLO"])
def test_recognised_by_is_one_line_of_text(character):
    _refused(_set(PLAN28_DOCUMENT, "rules.UA-09.recognised_by", f"the{character}UN"), "'rules.UA-09.recognised_by'", "one line of text")


def test_the_plan_text_date_is_the_date_it_was_published():
    russia = load_plan("russia-max")
    assert russia.date.isoformat() == "2024-07-08"
    assert russia.text_date() == "2024-06-14"
    assert "(2024-06-14)" in russia.source_line()
    loose = parse_plan(_set(PLAN28_DOCUMENT, "source.published", "late November 2025"))
    assert loose.text_date() == "late November 2025"
    # Issue 25: a plan without a text says so instead of giving the date it is drawn on.
    freeze = load_plan("freeze")
    assert freeze.text_date() is None
    assert "(no dated text)" in freeze.source_line()
