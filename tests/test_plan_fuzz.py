"""Fuzzing plan files (issue 20): any document is either a sound Plan or a one-line PlanError.

Hypothesis builds valid plans (the shipped ones with mutated values) and broken ones (random
TOML text, hostile strings, extreme numbers, wrong types, deep nesting). ``load_plan`` and
``parse_plan`` must return a Plan that keeps every promise of the format, or raise a PlanError
whose message is one printable line; any other exception, or an example over its deadline,
fails the test.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
import tomllib
import unicodedata
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peacemap.cli.main import cli
from peacemap.layers.errors import PlanError
from peacemap.layers.plans.model import (
    MAX_NOTES,
    MAX_OPTIONS,
    MAX_PROVISIONS,
    MAX_ZONE_KM,
    MAX_ZONES_PER_OPTION,
    REQUIRED_REGIONS,
    UKRAINE_LAT_DEG,
    UKRAINE_LON_DEG,
    Plan,
    builtin_plan_ids,
    load_plan,
    parse_plan,
)
from peacemap.layers.plans.statuses import Kind, Recognition, Rule, Side, Status, Withdrawal, recognitions_for
from peacemap.layers.regions import REGION_NAMES

SHIPPED = {
    plan_id: tomllib.loads(resources.files("peacemap.layers.plans").joinpath("builtin", f"{plan_id}.toml").read_text(encoding="utf-8"))
    for plan_id in builtin_plan_ids()
}
UNIT_CODES = sorted(code for code in REGION_NAMES if "+" not in code)
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# --- the contract --------------------------------------------------------------------------


def _unsafe(text: str, *, multiline: bool) -> bool:
    """Whether ``text`` holds a character no plan string may carry (checked independently of plans.py)."""
    allowed = "\n\t" if multiline else ""
    return any((unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in BIDI) and c not in allowed for c in text)


def _assert_sound(plan: Plan) -> None:
    """Every promise of the plan format holds for ``plan``."""
    assert isinstance(plan, Plan)
    assert isinstance(plan.date, dt.date)
    one_line = [plan.id, plan.title, plan.title_uk, *map(str, plan.source.values())]
    one_line += [p.id for p in plan.provisions] + [o.id for o in plan.options]
    long_texts = [
        plan.summary,
        plan.summary_uk,
        *plan.notes,
        *plan.notes_uk,
        *(t for p in plan.provisions for t in (p.text, p.ambiguous, p.text_uk, p.ambiguous_uk)),
    ]
    long_texts += [t for o in plan.options for t in (o.description, o.ambiguous, o.description_uk, o.ambiguous_uk)]
    long_texts += [r.note for r in (*plan.rules.values(), plan.elsewhere)]
    assert all(isinstance(t, str) and not _unsafe(t, multiline=False) for t in one_line)
    assert all(isinstance(t, str) and not _unsafe(t, multiline=True) for t in long_texts)
    assert plan.id
    assert plan.title
    assert plan.source["name"]
    assert set(plan.source) <= {"name", "name_uk", "reprint", "published", "url"}
    assert 0 < len(plan.provisions) <= MAX_PROVISIONS
    assert len(plan.options) <= MAX_OPTIONS
    assert len(plan.notes) <= MAX_NOTES
    provision_ids = [p.id for p in plan.provisions]
    assert len(set(provision_ids)) == len(provision_ids)
    assert len({o.id for o in plan.options}) == len(plan.options)
    assert all(type(p.territorial) is bool for p in plan.provisions)
    assert set(REQUIRED_REGIONS) <= set(plan.rules)
    assert set(plan.rules) <= set(UNIT_CODES)
    option_rules = [*(r for o in plan.options for r in o.rules.values()), *(o.elsewhere for o in plan.options if o.elsewhere)]
    for rule in (*plan.rules.values(), plan.elsewhere, *option_rules):
        assert rule.rule in list(Rule)
        assert rule.rule == "keep" or rule.provision in provision_ids
        assert {rule.provision, rule.occupied_provision} - {""} <= set(provision_ids)
        _assert_sound_treatment(rule)
    for option in plan.options:
        assert set(option.rules) <= set(UNIT_CODES)
        assert option.provision in provision_ids
        assert option.rules or option.zones or option.elsewhere
        assert len(option.zones) <= MAX_ZONES_PER_OPTION
        for zone in option.zones:
            _assert_sound_zone(zone)


def _assert_sound_treatment(rule) -> None:
    """Every rule gives each part of a region a status, and says how it is recognised."""
    for part in ("occupied", "held"):
        assert rule.status(part) in list(Status)
    if rule.rule == "relinquish":
        assert not (rule.recognition)
        assert not (rule.recognised_by)
        assert not (rule.side_after)
        assert not (rule.withdraws)
        return
    assert rule.recognition in list(Recognition)
    assert rule.recognition_of("occupied") in list(Recognition)
    assert (rule.rule == "dmz") == bool(rule.side_after) == bool(rule.withdraws)
    assert rule.side_after in (None, *Side)
    assert rule.withdraws in (None, *Withdrawal)
    for text in (rule.recognised_by, rule.occupied_recognised_by):
        assert not _unsafe(text, multiline=False)
    for part in ("occupied", "held"):
        assert not rule.recognised_by_of(part) or rule.recognition_of(part) in ("de_jure", "de_facto")


def _assert_sound_zone(zone) -> None:
    assert zone.status in list(Status)
    assert zone.control in ("occupied", "held", "both")
    assert zone.within in ("", *UNIT_CODES)
    if zone.around is not None:
        lon, lat = zone.around
        assert UKRAINE_LON_DEG[0] <= lon <= UKRAINE_LON_DEG[1]
        assert UKRAINE_LAT_DEG[0] <= lat <= UKRAINE_LAT_DEG[1]
        assert math.isfinite(zone.radius_km)
        assert 0 < zone.radius_km <= MAX_ZONE_KM
        assert not zone.along_line_in
    else:
        assert zone.along_line_in in UNIT_CODES
        assert math.isfinite(zone.depth_km)
        assert 0 < zone.depth_km <= MAX_ZONE_KM


def _assert_one_line(error: PlanError) -> None:
    message = str(error)
    assert message, repr(message)
    assert message.isprintable(), repr(message)  # no newline, no control character
    assert len(message) < 1_000, len(message)


def _outcome(call) -> Plan | None:
    """The Plan ``call`` returns, checked, or None for a one-line PlanError; anything else fails."""
    try:
        plan = call()
    except PlanError as error:
        _assert_one_line(error)
        return None
    _assert_sound(plan)
    return plan


# --- writing documents as TOML ---------------------------------------------------------------


def _toml_string(text: str) -> str:
    """A TOML basic string; every control character escaped, so tomllib reads ``text`` back."""
    escaped = ["\\\\" if c == "\\" else '\\"' if c == '"' else f"\\u{ord(c):04x}" if unicodedata.category(c) == "Cc" else c for c in text]
    return '"' + "".join(escaped) + '"'


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (dt.date, dt.time)):  # dt.datetime is a dt.date
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_string(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML for {type(value)}")


def _toml(document: dict) -> str:
    """The document as TOML text, one top-level key per line, tables written inline."""
    return "".join(f"{_toml_string(key)} = {_toml_value(value)}\n" for key, value in document.items())


def test_the_toml_writer_round_trips_the_shipped_plans():
    for document in SHIPPED.values():
        assert tomllib.loads(_toml(document)) == document


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory):
    """A function writing TOML text to the same file and returning its path."""
    path = tmp_path_factory.mktemp("fuzz") / "plan.toml"

    def write(text: str | bytes):
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


# --- strategies ------------------------------------------------------------------------------

_SAFE_CHARACTERS = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters=BIDI)
TEMPLATES = ["{{7*7}}", "{% for x in y %}", "{#", "#}", "<script>alert(1)</script>", "${IFS}", "'\"", "\\", "](javascript:x)"]
# Template and markup syntax is valid text in a plan (other layers escape it): it must come through as written.
one_line_text = st.builds(
    lambda before, markup, after: before + markup + after,
    st.text(_SAFE_CHARACTERS, max_size=15),
    st.sampled_from(["", *TEMPLATES]),
    st.text(_SAFE_CHARACTERS, max_size=15),
).filter(str.strip)
long_text = st.text(st.one_of(_SAFE_CHARACTERS, st.sampled_from("\n\t")), min_size=1, max_size=60).filter(str.strip)
CONTROLS = ["\x1b[2J", "\x07", "\x00", "\r", "\x7f", "\x85", "\x9b", "\u2028", "\u202e", "\n", "\t"]
hostile_text = st.builds(
    lambda before, bad, after: before + bad + after,
    st.text(max_size=8),
    st.sampled_from(TEMPLATES + CONTROLS),
    st.text(max_size=8),
) | st.text(max_size=20)
extreme_number = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 300, 300.0000001, 2_000, 13_000, 10**18, -(10**18), 2**63, 1e308, 5e-324]),
    st.integers(),
)
hostile_scalar = st.one_of(hostile_text, extreme_number, st.booleans(), st.dates(), st.times(), st.datetimes())
hostile_value = st.recursive(
    hostile_scalar,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)


def _paths(value: object, path: tuple = ()) -> list[tuple]:
    """The path of every value in a document, containers included (not the root)."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _replace(document: dict, path: tuple, value: object) -> dict:
    edited = copy.deepcopy(document)
    target = edited
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return edited


def _delete(document: dict, path: tuple) -> dict:
    edited = copy.deepcopy(document)
    target = edited
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return edited


@st.composite
def broken_documents(draw) -> dict:
    """A shipped plan with a few of its values replaced, deleted, or joined by unknown keys."""
    document = copy.deepcopy(SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(document)))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            document = _replace(document, path, draw(hostile_value))
        elif action == "delete":
            document = _delete(document, path)
        else:
            parent = document if len(path) == 1 else _at(document, path[:-1])
            if isinstance(parent, dict):
                parent[draw(st.text(max_size=10))] = draw(hostile_value)
    return document


def _at(document: dict, path: tuple) -> object:
    for step in path:
        document = document[step]
    return document


@st.composite
def valid_documents(draw) -> dict:
    """A shipped plan with valid new values: texts, rules, dates, booleans and option zones."""
    document = copy.deepcopy(SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))])
    provision_ids = [p["id"] for p in document["provisions"]]
    document["title"] = draw(one_line_text)
    document["summary"] = draw(long_text)
    document["date"] = draw(st.dates(min_value=dt.date(2022, 2, 24), max_value=dt.date(2030, 12, 31)))
    document["source"]["name"] = draw(one_line_text)
    document["notes"] = draw(st.lists(long_text, max_size=3))
    for provision in document["provisions"]:
        provision["text"] = draw(long_text)
        provision["territorial"] = draw(st.booleans())
    for code in draw(st.lists(st.sampled_from(UNIT_CODES), max_size=5, unique=True)):
        document["rules"][code] = _valid_rule(draw, draw(st.sampled_from(list(Rule))), draw(st.sampled_from(provision_ids)))
    for option in document.get("options", []):
        for zone in option.get("zones", []):
            _mutate_zone(draw, zone)
    return document


_DMZ_ZONES = [s.meaning for s in Status if s.meaning.kind is Kind.DEMILITARISED]


def _valid_rule(draw, rule: Rule, provision: str) -> dict:
    """A rule with a treatment it can give: a recognition (and who recognises), and for a dmz
    rule one of the demilitarised zones of the status table."""
    entry = {"rule": rule, "provision": provision}
    if rule == "relinquish":
        return entry
    if rule == "dmz":
        zone = draw(st.sampled_from(_DMZ_ZONES))
        entry.update(side_after=zone.side_after, withdraws=zone.withdraws, recognition=zone.recognition)
    else:
        entry["recognition"] = draw(st.sampled_from(recognitions_for(rule, "held" if rule == "recognise" else "occupied")))
    if entry["recognition"] in ("de_jure", "de_facto") and draw(st.booleans()):
        entry["recognised_by"] = draw(one_line_text)
    if rule in ("recognise", "dmz") and draw(st.booleans()):
        entry["occupied_recognition"] = draw(st.sampled_from(recognitions_for(rule, "occupied")))
    return entry


def _mutate_zone(draw, zone: dict) -> None:
    km = st.floats(min_value=0, max_value=MAX_ZONE_KM, exclude_min=True) | st.integers(1, int(MAX_ZONE_KM))
    zone["status"] = draw(st.sampled_from(list(Status)))
    zone["control"] = draw(st.sampled_from(["occupied", "held", "both"]))
    if "around" in zone:
        zone["around"] = [draw(st.floats(*UKRAINE_LON_DEG)), draw(st.floats(*UKRAINE_LAT_DEG))]
        zone["radius_km"] = draw(km)
    else:
        zone["depth_km"] = draw(km)


# --- the properties --------------------------------------------------------------------------


@FUZZ
@given(document=valid_documents())
def test_valid_plans_load_and_keep_their_values(plan_file, document):
    plan = _outcome(lambda: load_plan(plan_file(_toml(document))))
    assert plan is not None
    assert plan.title == document["title"].strip()
    assert plan.date == document["date"]
    assert [p.text for p in plan.provisions] == [p["text"].strip() for p in document["provisions"]]
    assert [p.territorial for p in plan.provisions] == [p["territorial"] for p in document["provisions"]]
    assert {code: rule.rule for code, rule in plan.rules.items()} == {code: r["rule"] for code, r in document["rules"].items()}
    assert {code: rule.recognition for code, rule in plan.rules.items()} == {code: r.get("recognition") for code, r in document["rules"].items()}
    expected = {code: r.get("recognised_by", "").strip() for code, r in document["rules"].items()}
    assert {code: rule.recognised_by for code, rule in plan.rules.items()} == expected
    zones = [z for o in document.get("options", []) for z in o.get("zones", [])]
    assert [z.radius_km or z.depth_km for o in plan.options for z in o.zones] == [z.get("radius_km", z.get("depth_km")) for z in zones]


@FUZZ
@given(document=broken_documents())
def test_broken_documents_are_refused_in_one_line_or_sound(document):
    _outcome(lambda: parse_plan(document, label="fuzz.toml"))


@FUZZ
@given(document=broken_documents())
def test_broken_plan_files_are_refused_in_one_line_or_sound(plan_file, document):
    _outcome(lambda: load_plan(plan_file(_toml(document))))


RAW_TOKENS = [
    "9" * 5_000,
    "1e400",
    "-1e400",
    "nan",
    "-nan",
    "+inf",
    "0x" + "f" * 100,
    "1_000_000",
    "-0.0",
    "1979-05-27T07:32:00Z",
    "07:32:00",
    "'''a\nb'''",
    '"\\u001b[31m"',
    '"\\u0000"',
    "true",
    '"false"',
    "[]",
    "{}",
]


@FUZZ
@given(document=valid_documents(), data=st.data())
def test_raw_toml_values_in_any_field(plan_file, document, data):
    # TOML forms the writer above never produces (long integers, hex, nan, times, literal strings).
    path = data.draw(st.sampled_from(_paths(document)))
    text = _toml(_replace(document, path, "@@RAW@@")).replace('"@@RAW@@"', data.draw(st.sampled_from(RAW_TOKENS)))
    _outcome(lambda: load_plan(plan_file(text)))


@FUZZ
@given(depth=st.integers(1, 5_000), kind=st.sampled_from(["array", "inline-table", "dotted-key", "table-header"]))
def test_deep_nesting_is_refused_in_one_line(plan_file, depth, kind):
    nested = {
        "array": "x = " + "[" * depth + "]" * depth,
        "inline-table": "x = " + "{a = " * depth + "1" + "}" * depth,
        "dotted-key": "x" + ".a" * depth + " = 1",
        "table-header": "[x" + ".a" * depth + "]\nb = 1",
    }[kind]
    assert _outcome(lambda: load_plan(plan_file(nested + "\n"))) is None


@FUZZ
@given(text=st.text(max_size=300) | st.binary(max_size=300))
def test_random_text_is_refused_in_one_line(plan_file, text):
    assert _outcome(lambda: load_plan(plan_file(text))) is None


TOML_LINES = st.one_of(
    st.builds(
        lambda k, v: f"{k} = {v}",
        st.sampled_from(["id", "title", "date", "summary", "notes", "radius_km", "around", "rule", '"UA-14"', "name"]),
        st.sampled_from(['"x"', "1", "nan", "inf", "true", "[1, 2]", '{ rule = "keep" }', "2025-11-20", '"\\u001b"', '"{{7*7}}"']),
    ),
    st.sampled_from(["[source]", "[[provisions]]", "[rules]", "[elsewhere]", "[[options]]", "[[options.zones]]", "[rules.UA-14]", "[[provisions.x]]"]),
    st.text(max_size=20),
)


@FUZZ
@given(lines=st.lists(TOML_LINES, max_size=25))
def test_plan_shaped_toml_is_refused_in_one_line_or_sound(plan_file, lines):
    _outcome(lambda: load_plan(plan_file("\n".join(lines) + "\n")))


# --- the command line ------------------------------------------------------------------------

_PLAN28 = _toml(SHIPPED["plan28"])
BROKEN_FILES = {
    "escape-in-title": _PLAN28.replace('"US 28-point peace plan"', '"US \\u001b[2J28 \\u0007"'),
    "template-in-id": _PLAN28.replace('"plan28"', '"{{7*7}}\\n{% x %}"', 1),
    "nan-radius": _toml(_replace(SHIPPED["plan20"], ("options", 1, "zones", 0, "radius_km"), math.nan)),
    "deep-nesting": "x = " + "[" * 2_000 + "]" * 2_000 + "\n" + _PLAN28,
    "newline-in-key": _PLAN28 + '"evil\\nkey" = 1\n',
    "not-toml": "id = \n\x1b[31m",
    "oversized": _PLAN28 + "# padding\n" * 120_000,
}


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_plans_show_refuses_a_broken_file_in_one_line(runner, tmp_path, name):
    path = tmp_path / f"{name}.toml"
    path.write_text(BROKEN_FILES[name], encoding="utf-8")
    result = runner.invoke(cli, ["plans", "show", str(path)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path}"), result.stderr
    assert lines[0].isprintable(), result.stderr
    assert "Traceback" not in result.output


def test_plans_show_refuses_binary_in_one_line(runner, tmp_path):
    path = tmp_path / "binary.toml"
    path.write_bytes(b'id = "\xff\xfe"\n')
    result = runner.invoke(cli, ["plans", "show", str(path)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "UTF-8" in result.stderr


def test_messages_quote_hostile_text_as_data():
    # A template in a refused value is quoted with its escapes, never run or unescaped.
    document = _replace(SHIPPED["plan28"], ("rules", "UA-14", "rule"), "{{7*7}}\x1b")
    with pytest.raises(PlanError, match=re.escape("'{{7*7}}\\x1b'")):
        parse_plan(document)
