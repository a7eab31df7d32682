"""The table of official statements (layers.sources.statements): its schema refuses malformed rows
in one line, claims are hidden unless asked for, and the latest statement is the one the issue's
figures name.

Reference figures: the Donetsk regional military administration's weekly briefings (issue 27,
and the pages cited in the table): 198,500 civilians on 2025-11-13, 196,200 on 2025-12-04,
187,000 on 2026-02-05 in the Ukrainian-held part of Donetsk oblast.
"""

import csv
import datetime as dt
import io

import pytest

from peacemap.layers.errors import StatementsError
from peacemap.layers.sources import statements as st

GOOD = {
    "id": "donetsk-held/2025-11-13",
    "area_id": "donetsk-held",
    "area_kind": "held-part",
    "region": "UA-14",
    "land": "held:UA-14",
    "unmatched_reason": "",
    "area_as_worded": "на підконтрольній Україні території",
    "body": "Donetsk Oblast Military Administration",
    "person": "Dmytro Petlin",
    "channel": "briefing",
    "statement_date": "2025-11-13",
    "as_of": "",
    "figure": "198500",
    "figure_high": "",
    "qualifier": "about",
    "kind": "civilians",
    "url": "https://example.org/a",
    "quote": "на підконтрольній Україні території перебуває близько 198 500 цивільних",
    "quote_language": "uk",
    "check": "checked",
    "check_note": "page text matches",
    "checked_url": "",
    "notes": "",
}


def _table(*rows: dict, columns=st.COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


def _row(**changes) -> dict:
    return {**GOOD, **changes}


def test_a_well_formed_row_is_read():
    [statement] = st.parse_statements(_table(GOOD))
    assert statement.figure == 198500
    assert statement.statement_date == st.PartialDate.parse("2025-11-13")
    assert statement.figure_text() == "about 198,500"
    assert statement.label() == "about 198,500 civilians (Donetsk Oblast Military Administration, 2025-11-13)"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": ""}, "url"),
        ({"url": "example.org/a"}, "url"),
        ({"figure": "-5"}, "figure"),
        ({"figure": "nan"}, "figure"),
        ({"figure": "NaN"}, "figure"),
        ({"figure": "198500.5"}, "figure"),
        ({"figure": ""}, "figure"),
        ({"kind": "residents"}, "kind"),
        ({"as_of": "2025-12-05"}, "as_of"),  # a figure cannot be "as of" a day after it was given (2025-12-04)
        ({"statement_date": "2025-11-13", "as_of": "2025-12"}, "as_of"),
        ({"statement_date": "13.11.2025"}, "statement_date"),
        ({"statement_date": "2025-02-30", "id": "donetsk-held/2025-02-30"}, "statement_date"),
        ({"figure_high": "198000", "qualifier": "range"}, "figure_high"),
        ({"qualifier": "range"}, "qualifier"),
        ({"qualifier": "roughly"}, "qualifier"),
        ({"land": "held:UA-23"}, "land"),  # another region's land
        ({"land": "hromada:Покровська міська ТГ"}, "land"),  # a held part is no hromada
        ({"land": "", "unmatched_reason": ""}, "unmatched_reason"),
        ({"kind": "occupying-power-claim"}, "kind"),  # a claim must be about occupied land, kept apart
        ({"region": "UA-99"}, "region"),
        ({"quote": "word " * 41}, "quote"),
        ({"body": ""}, "body"),
        ({"check": "verified"}, "check"),
        ({"id": "pokrovsk-city/2025-11-13"}, "id"),
        ({"notes": "two\nlines"}, "notes"),
    ],
)
def test_a_malformed_row_is_refused_in_one_line_naming_row_and_field(changes, field):
    with pytest.raises(StatementsError) as caught:
        st.parse_statements(_table(GOOD, _row(**{"id": "donetsk-held/2025-12-04", "statement_date": "2025-12-04", **changes})))
    message = str(caught.value)
    assert "\n" not in message
    assert "line 3 (" in message
    assert f"{field!r}" in message


def test_statements_of_one_area_must_name_the_same_land():
    other = _row(id="donetsk-held/2025-12-04", statement_date="2025-12-04", land="", unmatched_reason="the front line only")
    with pytest.raises(StatementsError, match=r"line 3 .*'land' should be 'held:UA-14' as for the other statements of area 'donetsk-held'"):
        st.parse_statements(_table(GOOD, other))


def test_a_missing_column_and_a_repeated_id_are_refused():
    columns = tuple(c for c in st.COLUMNS if c != "url")
    with pytest.raises(StatementsError, match="missing \\['url'\\]"):
        st.parse_statements(_table(GOOD, columns=columns))
    with pytest.raises(StatementsError, match="line 3: 'id' 'donetsk-held/2025-11-13' is used by an earlier row"):
        st.parse_statements(_table(GOOD, GOOD))


def test_the_shipped_table_is_valid_and_cited():
    table = st.load_statements()
    assert len(table) == 182
    assert len({s.id for s in table}) == len(table)
    assert all(s.url.startswith(("https://", "http://")) and s.quote and s.check_note for s in table)
    for s in table:
        if s.check in st.SHOWN_CHECKS and s.id not in ("donetsk-held/2024-10", "luhansk-occupied-claim/undated"):
            assert s.area_as_worded.lower() in s.quote.lower(), s.id  # the area in the statement's own words


def test_claims_are_kept_apart_and_labelled():
    table = st.load_statements()
    claims = [s for s in table if s.is_claim]
    assert len(claims) == 11
    assert all(s.area_kind == st.OCCUPIED_PART for s in claims)
    assert all(s.label().startswith("OCCUPYING-POWER CLAIM: ") and s.record()["claim"] for s in claims)
    assert not any(s.is_claim for s in st.statements())
    assert {s.id for s in st.statements(with_claims=True)} == {s.id for s in table}
    with pytest.raises(StatementsError, match="add --with-claims"):
        st.statements("donetsk-occupied-claim")
    assert all(s.is_claim for s in st.statements("donetsk-occupied-claim", with_claims=True))
    assert st.latest_statement("donetsk-occupied-claim", dt.date(2026, 1, 1), with_claims=True).figure == 2_900_000


@pytest.mark.parametrize(
    ("day", "figure", "said"),
    [
        ("2025-11-20", 198_500, "2025-11-13"),
        ("2025-12-04", 196_200, "2025-12-04"),
        ("2026-02-05", 187_000, "2026-02-05"),
        ("2026-06-01", 187_000, "2026-02-05"),
        ("2025-11-12", 208_000, "2025-09-25"),
    ],
)
def test_the_latest_statement_for_the_held_part_of_donetsk(day, figure, said):
    latest = st.latest_statement("donetsk-held", dt.date.fromisoformat(day))
    assert (latest.figure, latest.statement_date.text) == (figure, said)
    assert latest.body == "Donetsk Oblast Military Administration"
    assert latest.kind == st.CIVILIANS


def test_the_issue_s_statement_keeps_its_url_and_quote():
    latest = st.latest_statement("donetsk-held", dt.date(2025, 11, 20))
    assert latest.url == (
        "https://regionews.ua/ukr/news/donetchina/1763018011-na-donechchini-u-zoni-boyiv-zalishayutsya-15-400-tsivilnih-ditey-sered-nih-nemae"
    )
    assert "198 500" in latest.quote
    assert latest.check == st.CHECKED


def test_undated_unchecked_and_later_statements_are_never_the_latest():
    rows = [
        _row(id="donetsk-held/2025-04", statement_date="2025-04", figure="283000"),
        _row(id="donetsk-held/2025-04-24", statement_date="2025-04-24", figure="281500", qualifier=""),
        _row(id="donetsk-held/2025-05-01", statement_date="2025-05-01", figure="1", check="not-checked"),
        _row(id="donetsk-held/undated", statement_date="", figure="2"),
    ]
    table = st.parse_statements(_table(*rows))

    def latest(day):
        found = st.latest_statement("donetsk-held", dt.date.fromisoformat(day), table=table)
        return found.figure if found else None

    assert latest("2025-04-23") is None  # a month-dated statement counts from the month's end
    assert latest("2025-04-25") == 281500
    assert latest("2025-04-30") == 281500  # the April statement is older than 24 April's
    assert latest("2025-06-01") == 281500  # the unchecked and the undated are never chosen
