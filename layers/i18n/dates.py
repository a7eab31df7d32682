"""Dates as each language writes them for people: ISO 8601 in English (``2025-11-20``, as every
English output has written them), ``20 листопада 2025 р.`` in Ukrainian (day, month in the
genitive, year and "р."), with Babel's CLDR data for the month names and the pattern. The space
CLDR puts before "р." (a narrow no-break space in recent releases) is written as the no-break
space the figures use, so the text does not change with Babel's release and every font has it.

JSON, CSV and file names keep ISO dates in every language; these are for text people read.
"""

from __future__ import annotations

import datetime as dt
import re

from peacemap.layers.i18n.language import UKRAINIAN, language_or_current
from peacemap.layers.i18n.numbers import EN_DASH, NBSP

NARROW_NBSP = "\u202f"


def date_text(day: dt.date, lang: str | None = None) -> str:
    """``2025-11-20`` / ``20 листопада 2025 р.``."""
    lang = language_or_current(lang)
    if lang != UKRAINIAN:
        return day.isoformat()
    return _babel_date(day, "long")


def iso_date_text(day: str | None, lang: str | None = None) -> str:
    """A date written as ISO text (``2025-11-20``, as reports and sources keep them; also a month,
    ``2025-02``, or a year, ``2025``, as the statements table gives a looser date) as ``lang``
    writes dates for people: ``20 листопада 2025 р.``, ``лютий 2025 р.``, ``2025 р.``; any other
    text (``late November 2025``) as it is, and "" for None or "". English gives the ISO text back
    unchanged."""
    if not day:
        return ""
    if language_or_current(lang) != UKRAINIAN or not _ISO_PARTIAL.match(day):
        return str(day)
    parts = [int(part) for part in day.split("-")]
    try:
        if len(parts) == 3:
            return date_text(dt.date(*parts), UKRAINIAN)
        if len(parts) == 2:
            return f"{_babel_date(dt.date(parts[0], parts[1], 1), 'LLLL y')}{NBSP}р."
    except ValueError:
        return str(day)
    return f"{parts[0]}{NBSP}р."


_ISO_PARTIAL = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def date_range_text(first: dt.date, last: dt.date, lang: str | None = None) -> str:
    """The days from ``first`` to ``last`` (inclusive), written once each where the language does:
    ``2025-11-20 to 2025-11-24``; ``20–24 листопада 2025 р.``, ``20 листопада – 24 грудня 2025 р.``,
    ``8 липня 2024 р. – 24 грудня 2025 р.`` (Ukrainian press usage: what the two dates share is
    written once, at the end; the dash between spaced parts is spaced, the first space no-break).

    Raises
    ------
    ValueError
        ``last`` before ``first``.
    """
    lang = language_or_current(lang)
    if last < first:
        raise ValueError(f"'last' should be on or after 'first' ({first.isoformat()}), got {last.isoformat()}")
    if lang != UKRAINIAN:
        return f"{first.isoformat()} to {last.isoformat()}"
    if first == last:
        return date_text(first, lang)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{EN_DASH}{date_text(last, lang)}"
    start = _babel_date(first, "d MMMM") if first.year == last.year else date_text(first, lang)
    return f"{start}{NBSP}{EN_DASH} {date_text(last, lang)}"


def _babel_date(day: dt.date, pattern: str) -> str:
    from babel.dates import format_date  # Babel's CLDR data, loaded when first needed

    return format_date(day, format=pattern, locale=UKRAINIAN).replace(NARROW_NBSP, NBSP)


def single_stop(text: str) -> str:
    """``text`` with a full stop after a Ukrainian date written once: a sentence that ends with a
    date ("… 20 листопада 2025 р.") takes no second stop ("р.." becomes "р.")."""
    return text.replace(f"{NBSP}р..", f"{NBSP}р.")
