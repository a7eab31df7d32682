"""--control-where is one condition (issue 24, item 5): the documented operators pass; a ';', a
comment, a subquery or a function outside the allow-list is refused wherever it stands, inside
quotes excepted; other syntax errors are told apart so that GDAL can word them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peacemap.cli.main import cli
from peacemap.layers.errors import ControlFileError
from peacemap.layers.sources.control_file import read_control_file
from peacemap.layers.sources.control_where import (
    ALLOWED_FUNCTIONS,
    MAX_CONDITION_CHARS,
    ConditionError,
    ConditionSyntaxError,
    check_condition,
)

DOCUMENTED = [
    "layer = 'Assessed Russian control'",
    "category <> 'Claimed' AND category <> 'Russian advances'",
    "category IN ('Assessed Russian control', 'Russian advances')",
    "category NOT IN ('Claimed')",
    "NOT category = 'Claimed'",
    "category LIKE 'Assessed%'",
    "category ILIKE 'assessed%'",
    "category NOT LIKE '%claim%' ESCAPE '\\'",
    "comment IS NULL OR comment IS NOT NULL",
    "area_km2 >= 10.5 AND area_km2 < 1e6 AND id != -3 AND id == 4 AND id <= .5 AND id > 0",
    "id BETWEEN 1 AND 10",
    '"my field" = \'x\' AND "a ""quoted"" name" = 1',
    "статус = 'окуповано'",  # Ukrainian field names and values
    "(a = 1 OR b = 2) AND NOT (c = 3)",
    "LOWER(category) = 'assessed' AND LENGTH(name) > 3 AND SUBSTR(name, 1, 2) = 'Do'",
    "CAST(code AS integer) = 14 AND CAST(code AS VARCHAR(10)) = '14' AND COALESCE(a, 0) = 0",
    "1=0",
    "name = 'a;b' AND note = '-- not a comment' AND other = '/* nor this */'",
    "x = 'SELECT * FROM t'",
    "a + b * 2 - c / 4 % 3 = 0 AND name || 'x' = 'yx'",
]


@pytest.mark.parametrize("where", DOCUMENTED)
def test_the_documented_conditions_pass(where):
    check_condition(where)


@pytest.mark.parametrize(
    ("where", "needle"),
    [
        ("layer = 'Claimed'; xyz", "';' at character 18 ends a statement"),  # the issue's probe
        ("layer = 'Claimed';", "';'"),
        ("a = 1 -- and the rest", "'--' at character 7 starts a comment"),
        ("a = 1 /* hidden */ OR 1 = 1", "'/*' at character 7 starts a comment"),
        ("a IN (SELECT name FROM sqlite_master)", "SELECT at character 7 starts a subquery"),
        ("EXISTS (SELECT 1)", "EXISTS at character 1 starts a subquery"),
        ("a = 1 UNION SELECT 1", "UNION at character 7 starts another statement"),
        ("a = 1 ORDER BY b", "ORDER at character 7 starts another statement"),
        ("load_extension('x') = 1", "function load_extension() at character 1 is not allowed"),
        ("gdal_get_pixel_value('/etc/passwd', 1, 'pixel', 0, 0) IS NULL", "function gdal_get_pixel_value()"),
        ("ogr_geocode('Kyiv') = 1", "function ogr_geocode()"),
        ("a = = ogr_geocode('Kyiv')", "function ogr_geocode()"),  # found after a syntax error too
    ],
)
def test_unsafe_conditions_are_refused_naming_what_and_where(where, needle):
    with pytest.raises(ConditionError) as info:
        check_condition(where)
    assert not isinstance(info.value, ConditionSyntaxError), info.value
    assert needle in str(info.value)


@pytest.mark.parametrize(
    "where", ["category = ", "a = 1 b = 2", "name = 'unclosed", "a = `b`", "a IN ()", "CAST(a AS)", "(" * 40 + "a = 1" + ")" * 40, "a = 1 )"]
)
def test_syntax_errors_are_told_apart(where):
    with pytest.raises(ConditionSyntaxError):
        check_condition(where)


@pytest.mark.parametrize(("where", "needle"), [("", "empty"), ("   ", "empty"), ("a = '" + "x" * MAX_CONDITION_CHARS + "'", "characters")])
def test_empty_and_overlong_conditions_are_refused(where, needle):
    with pytest.raises(ConditionError, match=needle):
        check_condition(where)


# --- properties ---------------------------------------------------------------------------------

names = st.one_of(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True).filter(
        lambda n: (
            n.upper() not in {"AND", "OR", "NOT", "IN", "LIKE", "ILIKE", "ESCAPE", "IS", "NULL", "BETWEEN", "AS"}
            and n.upper()
            not in {
                "SELECT",
                "FROM",
                "UNION",
                "WITH",
                "EXISTS",
                "VALUES",
                "WHERE",
                "ORDER",
                "GROUP",
                "LIMIT",
                "HAVING",
                "INTO",
                "JOIN",
                "INSERT",
                "UPDATE",
                "DELETE",
                "DROP",
                "CREATE",
                "ATTACH",
                "DETACH",
                "PRAGMA",
                "ALTER",
                "REPLACE",
                "VACUUM",
                "EXCEPT",
                "INTERSECT",
            }
        )
    ),
    st.text(max_size=8).map(lambda t: '"' + t.replace('"', '""') + '"'),
)
strings = st.text(max_size=12).map(lambda t: "'" + t.replace("'", "''") + "'")  # anything, ; and -- included
numbers = st.one_of(st.integers(0, 10**6).map(str), st.floats(0, 1e6, allow_nan=False).map(repr))
values = st.one_of(strings, numbers, names)


@st.composite
def conditions(draw, depth=0):
    """A condition of the documented grammar, nested up to three levels."""
    field = draw(names)
    leaves = [
        f"{field} {draw(st.sampled_from(['=', '<>', '!=', '<', '<=', '>', '>=']))} {draw(values)}",
        f"{field} {draw(st.sampled_from(['IN', 'NOT IN']))} ({', '.join(draw(st.lists(values, min_size=1, max_size=3)))})",
        f"{field} {draw(st.sampled_from(['LIKE', 'ILIKE', 'NOT LIKE']))} {draw(strings)}",
        f"{field} IS {draw(st.sampled_from(['', 'NOT ']))}NULL",
        f"{draw(st.sampled_from(ALLOWED_FUNCTIONS[2:]))}({field}) = {draw(values)}",
    ]
    leaf = draw(st.sampled_from(leaves))
    if depth >= 3 or draw(st.booleans()):
        return leaf
    other = draw(conditions(depth + 1))
    return draw(st.sampled_from([f"{leaf} AND {other}", f"{leaf} OR {other}", f"NOT ({other})", f"({leaf}) AND ({other})"]))


@settings(max_examples=300, deadline=None)
@given(where=conditions())
def test_every_condition_of_the_grammar_passes(where):
    check_condition(where)


@settings(max_examples=300, deadline=None)
@given(
    where=conditions(), tail=st.sampled_from(["; DROP TABLE x", "-- rest", "/* x */", ";"]), junk=st.text(st.characters(exclude_characters="'\""), max_size=10)
)
def test_a_statement_end_or_comment_after_a_condition_is_always_refused(where, tail, junk):
    with pytest.raises(ConditionError) as info:
        check_condition(f"{where} {tail}{junk}")
    assert not isinstance(info.value, ConditionSyntaxError)


@settings(max_examples=300, deadline=None)
@given(where=conditions(), word=st.sampled_from(["SELECT 1", "(SELECT name FROM t)", "EXISTS (SELECT 1)"]))
def test_a_subquery_anywhere_is_always_refused(where, word):
    with pytest.raises(ConditionError) as info:
        check_condition(f"{where} AND x IN {word}")
    assert not isinstance(info.value, ConditionSyntaxError)
    assert "subquery" in str(info.value)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_any_text_is_checked_or_refused_with_a_one_line_reason(text):
    try:
        check_condition(text)
    except ConditionError as error:
        assert "\n" not in str(error)
        assert str(error)


# --- through the reader and the command line ----------------------------------------------------------------


def test_the_issues_condition_on_a_geopackage_is_refused(control_format_files):
    """Issue 24, item 5: SQLite stopped at the ';' and the whole text was printed as the condition."""
    path, options = control_format_files["gpkg-layers"]
    with pytest.raises(ControlFileError) as info:
        read_control_file(path, as_of=None, layer=options["layer"], where="category = 'Claimed Russian control'; xyz")
    message = str(info.value)
    assert "is not one condition" in message
    assert "';' at character 37 ends a statement" in message
    assert "\n" not in message


def test_a_syntax_error_is_worded_by_gdal_with_the_fields(control_format_files):
    path, options = control_format_files["gpkg-layers"]
    with pytest.raises(ControlFileError) as info:
        read_control_file(path, as_of=None, layer=options["layer"], where="category = ")
    assert "not a valid OGR SQL condition" in str(info.value)
    assert "its fields: category" in str(info.value)


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--control", "{path}", "--control-where", "category = 'x'; DROP TABLE areas"],
        ["control", "compare", "{path}", "--where-a", "category IN (SELECT 1)"],
        ["control", "compare", "deepstate:2025-11-20", "{path}", "--where-b", "load_extension('x') = 1"],
    ],
)
def test_an_unsafe_condition_is_a_usage_error(runner, control_format_files, args):
    path, _ = control_format_files["gpkg-layers"]
    result = runner.invoke(cli, [arg.format(path=path) for arg in args])
    assert result.exit_code == 2, result.stderr
    assert "not one condition" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
