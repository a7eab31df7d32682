"""Official statements on how many people remain in an area: peacemap's own curated table, read,
validated and looked up.

The table (``curated/statements.csv``, shipped with the package; its README says how it was
compiled and checked) holds one row per statement of an identified official body: who said it,
when, "as of" when, the area in the statement's own words, the figure and its kind, the page it
was read on, a short quote, the land it refers to (see :mod:`peacemap.layers.population.statements`)
and what was checked. Figures of the occupying power are kept in the same table but apart: they
are of kind ``occupying-power-claim``, always labelled so, and returned only on request
(``with_claims=True``).

A statement is a figure beside the official estimate of 1 January 2022, never part of a total.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from importlib import resources
from typing import TypedDict

from peacemap.layers.errors import StatementsError
from peacemap.layers.settings import memoized
from peacemap.layers.sources.codes import REGION_NAMES

STATEMENTS_FILE = "statements.csv"
COLUMNS = (
    "id",
    "area_id",
    "area_kind",
    "region",
    "land",
    "unmatched_reason",
    "area_as_worded",
    "body",
    "person",
    "channel",
    "statement_date",
    "as_of",
    "figure",
    "figure_high",
    "qualifier",
    "kind",
    "url",
    "quote",
    "quote_language",
    "check",
    "check_note",
    "checked_url",
    "notes",
)

# What a figure counts, in the statement's words.
CIVILIANS, PEOPLE, ADMINISTRATIVE_COUNT, CLAIM = "civilians", "people", "administrative-count", "occupying-power-claim"
KINDS = (CIVILIANS, PEOPLE, ADMINISTRATIVE_COUNT, CLAIM)
KIND_LABELS = {CIVILIANS: "civilians", PEOPLE: "people", ADMINISTRATIVE_COUNT: "people (administrative count)", CLAIM: "people (OCCUPYING-POWER CLAIM)"}
# The area a statement is about. Occupying-power claims, and only they, are about occupied land.
HELD_PART, ZONE_OF_HOSTILITIES, HROMADA, CITY, OCCUPIED_PART = "held-part", "zone-of-hostilities", "hromada", "city", "occupied-part"
AREA_KINDS = (HELD_PART, ZONE_OF_HOSTILITIES, HROMADA, CITY, OCCUPIED_PART)
# The land a statement's area is, as the table names it: "held:UA-14" (the region's held land on
# the snapshot), "occupied:UA-14", "region:UA-43" (the whole region), "hromada:<name in table 6>",
# "settlement:<name in table 5>" (both within the row's region).
LAND_HELD, LAND_OCCUPIED, LAND_REGION, LAND_HROMADA, LAND_SETTLEMENT = "held", "occupied", "region", "hromada", "settlement"
LAND_KINDS = (LAND_HELD, LAND_OCCUPIED, LAND_REGION, LAND_HROMADA, LAND_SETTLEMENT)
# How a figure was qualified in the statement ("близько" = about, "понад" = more than, ...).
QUALIFIERS = {"": "", "about": "about ", "more-than": "more than ", "fewer-than": "fewer than ", "at-least": "at least ", "at-most": "at most ", "range": ""}
# What was verified against a page (README of the table): "checked" the figure, area and date;
# "figure-checked" the figure and area, the date not shown on the page; "not-checked" a lead whose
# page could not be read. Only the first two are ever shown beside peacemap's figures.
CHECKED, FIGURE_CHECKED, NOT_CHECKED = "checked", "figure-checked", "not-checked"
CHECKS = (CHECKED, FIGURE_CHECKED, NOT_CHECKED)
SHOWN_CHECKS = (CHECKED, FIGURE_CHECKED)
# A quote is a sentence or two of a public statement, not an article.
MAX_QUOTE_WORDS = 40

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*/(?:\d{4}(?:-\d{2}){0,2}|undated)(?:-\d+)?$")
_DATE = re.compile(r"^\d{4}(?:-\d{2}){0,2}$")
_WHOLE = re.compile(r"^\d+$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_URL = re.compile(r"^https?://\S+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date as precise as the source gives it: a day, a month (``2025-04``) or a year (``2023``)."""

    first: dt.date  # the period's first day
    last: dt.date  # its last day
    text: str  # as written in the table

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """``"2025-04-24"``, ``"2025-04"`` or ``"2025"`` as a PartialDate; ValueError for anything else."""
        if not _DATE.match(text):
            raise ValueError(text)
        parts = [int(part) for part in text.split("-")]
        if len(parts) == 3:
            day = dt.date(*parts)
            return cls(day, day, text)
        if len(parts) == 2:
            first = dt.date(parts[0], parts[1], 1)
            following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return cls(first, following - dt.timedelta(days=1), text)
        return cls(dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31), text)


class StatementRecord(TypedDict):
    """One statement as outputs write it (JSON, CSV). ``figure`` in persons; dates ISO, possibly
    partial ("2025-04"); ``claim`` true only for the occupying power's figures."""

    id: str
    area_id: str
    area_kind: str
    region: str
    land: str | None  # e.g. "held:UA-14"; None where the area matches no land peacemap knows
    unmatched_reason: str | None
    area_as_worded: str
    figure: int
    figure_high: int | None
    qualifier: str
    figure_text: str  # "about 198,500"
    kind: str
    claim: bool
    body: str
    person: str | None
    statement_date: str | None
    as_of: str | None
    url: str
    quote: str
    quote_language: str
    check: str
    check_note: str
    label: str  # "about 198,500 civilians (Donetsk Oblast Military Administration, 2025-11-13)"


@dataclass(frozen=True)
class Statement:
    """One row of the table (see the module docstring and :data:`COLUMNS`)."""

    id: str
    area_id: str
    area_kind: str
    region: str
    land: str
    unmatched_reason: str
    area_as_worded: str
    body: str
    person: str
    channel: str
    statement_date: PartialDate | None
    as_of: PartialDate | None
    figure: int
    figure_high: int | None
    qualifier: str
    kind: str
    url: str
    quote: str
    quote_language: str
    check: str
    check_note: str
    checked_url: str
    notes: str

    @property
    def is_claim(self) -> bool:
        """Whether the figure is the occupying power's."""
        return self.kind == CLAIM

    @property
    def shown(self) -> bool:
        """Whether the statement may stand beside peacemap's figures: checked against its page
        (figure at least) and dated."""
        return self.check in SHOWN_CHECKS and self.statement_date is not None

    @property
    def land_kind(self) -> str | None:
        """``held``, ``occupied``, ``region``, ``hromada`` or ``settlement``; None where unmatched."""
        return self.land.split(":", 1)[0] if self.land else None

    @property
    def land_name(self) -> str | None:
        """The region code, or the hromada's or settlement's Ukrainian name; None where unmatched."""
        return self.land.split(":", 1)[1] if self.land else None

    def figure_text(self) -> str:
        """The figure as stated: "about 198,500", "300,000–305,000", "more than 800,000"."""
        if self.figure_high is not None:
            return f"{self.figure:,}–{self.figure_high:,}"
        return f"{QUALIFIERS[self.qualifier]}{self.figure:,}"

    def label(self) -> str:
        """The figure with its kind, who said it and when, in one line (claims say so first)."""
        when = self.statement_date.text if self.statement_date else "undated"
        text = f"{self.figure_text()} {KIND_LABELS[self.kind]} ({self.body}, {when})"
        return f"OCCUPYING-POWER CLAIM: {text}" if self.is_claim else text

    def record(self) -> StatementRecord:
        """The statement as outputs write it."""
        return {
            "id": self.id,
            "area_id": self.area_id,
            "area_kind": self.area_kind,
            "region": self.region,
            "land": self.land or None,
            "unmatched_reason": self.unmatched_reason or None,
            "area_as_worded": self.area_as_worded,
            "figure": self.figure,
            "figure_high": self.figure_high,
            "qualifier": self.qualifier,
            "figure_text": self.figure_text(),
            "kind": self.kind,
            "claim": self.is_claim,
            "body": self.body,
            "person": self.person or None,
            "statement_date": self.statement_date.text if self.statement_date else None,
            "as_of": self.as_of.text if self.as_of else None,
            "url": self.url,
            "quote": self.quote,
            "quote_language": self.quote_language,
            "check": self.check,
            "check_note": self.check_note,
            "label": self.label(),
        }


def parse_statements(text: str, *, source: str = STATEMENTS_FILE) -> tuple[Statement, ...]:
    """The statements of a table in the format of :data:`COLUMNS` (CSV text, UTF-8, one header row).

    Raises
    ------
    StatementsError
        A missing or unknown column, or a malformed row: one line naming the row (its line in
        the file and its id), the field, what was expected and what arrived.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(reader.fieldnames or ())
    if header != COLUMNS:
        missing = [column for column in COLUMNS if column not in header]
        unknown = [column for column in header if column not in COLUMNS]
        raise StatementsError(f"{source}: expected the columns {', '.join(COLUMNS)} in this order; missing {missing or 'none'}, unknown {unknown or 'none'}")
    statements: list[Statement] = []
    seen: set[str] = set()
    areas: dict[str, Statement] = {}
    for line, row in enumerate(reader, start=2):
        statement = _statement(row, f"{source} line {line} ({_shown(row.get('id'))})")
        if statement.id in seen:
            raise StatementsError(f"{source} line {line}: 'id' {statement.id!r} is used by an earlier row; ids must be unique")
        first = areas.setdefault(statement.area_id, statement)
        for field in ("land", "region", "area_kind"):  # an area is one piece of land: its statements are comparable
            if getattr(statement, field) != getattr(first, field):
                raise StatementsError(
                    f"{source} line {line} ({_shown(statement.id)}): {field!r} should be {getattr(first, field)!r} "
                    f"as for the other statements of area {statement.area_id!r}, got {_shown(getattr(statement, field))}"
                )
        seen.add(statement.id)
        statements.append(statement)
    return tuple(statements)


def _shown(value: object) -> str:
    text = str(value or "")
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _fail(where: str, field: str, expected: str, got: object) -> StatementsError:
    return StatementsError(f"{where}: {field!r} should be {expected}, got {_shown(got)}")


def _statement(row: dict, where: str) -> Statement:
    text = _text_fields(row, where)
    _check_ids(text, where)
    kind, area_kind = _kinds(text, where)
    if text["region"] not in REGION_NAMES or "+" in text["region"]:
        raise _fail(where, "region", "an ISO 3166-2 code of a region of Ukraine such as 'UA-14'", text["region"])
    _check_land(text, where)
    statement_date = _partial_date(text, "statement_date", where)
    as_of = _partial_date(text, "as_of", where)
    if statement_date and as_of and as_of.first > statement_date.last:
        raise _fail(where, "as_of", f"on or before the statement date {statement_date.text} (a figure cannot be of a later day)", as_of.text)
    figure, figure_high = _figures(text, where)
    _check_source(text, where)
    check = _one_of(text, "check", CHECKS, where)
    return Statement(
        id=text["id"],
        area_id=text["area_id"],
        area_kind=area_kind,
        region=text["region"],
        land=text["land"],
        unmatched_reason=text["unmatched_reason"],
        area_as_worded=text["area_as_worded"],
        body=text["body"],
        person=text["person"],
        channel=text["channel"],
        statement_date=statement_date,
        as_of=as_of,
        figure=figure,
        figure_high=figure_high,
        qualifier=text["qualifier"],
        kind=kind,
        url=text["url"],
        quote=text["quote"],
        quote_language=text["quote_language"],
        check=check,
        check_note=text["check_note"],
        checked_url=text["checked_url"],
        notes=text["notes"],
    )


def _text_fields(row: dict, where: str) -> dict[str, str]:
    """The row's fields stripped, once checked: as many as the header, one line each, the required ones given."""
    if None in row or any(value is None for value in row.values()):  # more or fewer fields than the header
        raise StatementsError(f"{where}: expected {len(COLUMNS)} fields, as many as the header has")
    for field, value in row.items():
        if _CONTROL.search(value):
            raise _fail(where, field, "one line of text without control characters", value)
    text = {field: value.strip() for field, value in row.items()}
    for field in ("id", "area_id", "area_as_worded", "body", "quote", "check_note"):
        if not text[field]:
            raise _fail(where, field, "non-empty", text[field])
    return text


def _check_ids(text: dict[str, str], where: str) -> None:
    if not _ID.match(text["id"]) or not text["id"].startswith(text["area_id"] + "/"):
        raise _fail(where, "id", "'<area_id>/<statement date or undated>' (a suffix -2, -3 for repeats)", text["id"])
    if not _SLUG.match(text["area_id"]):
        raise _fail(where, "area_id", "a lower-case slug such as 'donetsk-held'", text["area_id"])


def _kinds(text: dict[str, str], where: str) -> tuple[str, str]:
    """The statement's kind and its area's kind: a claim exactly when the area is occupied land."""
    kind = _one_of(text, "kind", KINDS, where)
    area_kind = _one_of(text, "area_kind", AREA_KINDS, where)
    if (kind == CLAIM) != (area_kind == OCCUPIED_PART):
        raise _fail(where, "kind", f"{CLAIM!r} exactly when area_kind is {OCCUPIED_PART!r} (claims are kept apart)", kind)
    return kind, area_kind


def _check_source(text: dict[str, str], where: str) -> None:
    """Where the figure was read: its page, the page it was checked on, a short quote and its language."""
    if not _URL.match(text["url"]):
        raise _fail(where, "url", "the http(s) address of the page the figure was read on", text["url"])
    if text["checked_url"] and not _URL.match(text["checked_url"]):
        raise _fail(where, "checked_url", "empty or an http(s) address", text["checked_url"])
    if len(text["quote"].split()) > MAX_QUOTE_WORDS:
        raise _fail(where, "quote", f"a short quote of at most {MAX_QUOTE_WORDS} words", text["quote"])
    if not _LANGUAGE.match(text["quote_language"]):
        raise _fail(where, "quote_language", "a two-letter language code such as 'uk'", text["quote_language"])


def _one_of(text: dict[str, str], field: str, choices: tuple[str, ...], where: str) -> str:
    if text[field] not in choices:
        raise _fail(where, field, f"one of {', '.join(choices)}", text[field])
    return text[field]


def _check_land(text: dict[str, str], where: str) -> None:
    land, reason = text["land"], text["unmatched_reason"]
    if not land:
        if not reason:
            raise _fail(where, "unmatched_reason", "why the area matches no land, when 'land' is empty", reason)
        return
    if reason:
        raise _fail(where, "unmatched_reason", "empty when 'land' is given", reason)
    kind, _, name = land.partition(":")
    if kind not in LAND_KINDS or not name.strip():
        raise _fail(where, "land", f"'<kind>:<name>' with a kind among {', '.join(LAND_KINDS)}", land)
    if kind in (LAND_HELD, LAND_OCCUPIED, LAND_REGION) and name != text["region"]:
        raise _fail(where, "land", f"'{kind}:{text['region']}', the row's own region", land)
    expected = {
        HELD_PART: (LAND_HELD,),
        HROMADA: (LAND_HROMADA,),
        CITY: (LAND_SETTLEMENT,),
        ZONE_OF_HOSTILITIES: (),
        OCCUPIED_PART: (LAND_OCCUPIED, LAND_REGION),
    }[text["area_kind"]]
    if kind not in expected:
        raise _fail(where, "land", f"land of kind {' or '.join(expected) or 'none'} for an area of kind {text['area_kind']!r}", land)


def _partial_date(text: dict[str, str], field: str, where: str) -> PartialDate | None:
    if not text[field]:
        return None
    try:
        return PartialDate.parse(text[field])
    except ValueError:
        raise _fail(where, field, "empty or a date YYYY-MM-DD, YYYY-MM or YYYY", text[field]) from None


def _figures(text: dict[str, str], where: str) -> tuple[int, int | None]:
    if not _WHOLE.match(text["figure"]):
        raise _fail(where, "figure", "a whole number of people, 0 or more, digits only", text["figure"])
    figure = int(text["figure"])
    high = None
    if text["figure_high"]:
        if not _WHOLE.match(text["figure_high"]) or int(text["figure_high"]) <= figure:
            raise _fail(where, "figure_high", f"empty or a whole number above the figure {figure}", text["figure_high"])
        high = int(text["figure_high"])
    qualifier = text["qualifier"]
    if qualifier not in QUALIFIERS:
        raise _fail(where, "qualifier", f"empty or one of {', '.join(q for q in QUALIFIERS if q)}", qualifier)
    if (qualifier == "range") != (high is not None):
        raise _fail(where, "qualifier", "'range' exactly when figure_high is given", qualifier)
    return figure, high


@memoized
def load_statements() -> tuple[Statement, ...]:
    """The statements shipped with peacemap (``curated/statements.csv``), validated; read once."""
    resource = resources.files("peacemap.layers.sources").joinpath("curated", STATEMENTS_FILE)
    return parse_statements(resource.read_text(encoding="utf-8"), source=STATEMENTS_FILE)


def statements(area: str | None = None, *, with_claims: bool = False, table: tuple[Statement, ...] | None = None) -> list[Statement]:
    """The statements about ``area`` (an ``area_id``; every area if None), in table order: by
    area, then by statement date (undated last).

    Occupying-power claims are left out unless ``with_claims``.

    Raises
    ------
    StatementsError
        ``area`` is no area of the table (with ``with_claims`` False, a claims-only area is unknown).
    """
    table = load_statements() if table is None else table
    chosen = [s for s in table if with_claims or not s.is_claim]
    if area is None:
        return chosen
    mine = [s for s in chosen if s.area_id == area]
    if not mine:
        known = sorted({s.area_id for s in chosen})
        hint = " (an area of occupying-power claims: add --with-claims)" if any(s.area_id == area for s in table) else ""
        raise StatementsError(f"'area' should be one of {', '.join(known)}, got {_shown(area)}{hint}")
    return mine


def latest_statement(area: str, on_or_before: dt.date, *, with_claims: bool = False, table: tuple[Statement, ...] | None = None) -> Statement | None:
    """The latest statement about ``area`` made on or before ``on_or_before`` that may be shown
    (checked, dated; see :attr:`Statement.shown`); None if there is none.

    A statement dated only to a month or a year counts from the period's last day (it cannot be
    known to have been made earlier), and is ordered among the others by its first day.
    Between statements of one day, the one "as of" the later date wins, then the later row.
    """
    chosen = [
        s for s in statements(area, with_claims=with_claims, table=table) if s.shown and s.statement_date is not None and s.statement_date.last <= on_or_before
    ]
    return max(chosen, key=_recency, default=None)


def _recency(statement: Statement) -> tuple:
    date = statement.statement_date
    as_of = statement.as_of or date
    assert date is not None
    assert as_of is not None  # only dated statements are compared
    return (date.first, date.last, as_of.first, as_of.last, statement.id)
