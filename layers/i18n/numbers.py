"""Figures as each language writes them: ``6,201 km²`` and ``74.5%`` in English, ``6 201 км²`` and
``74,5 %`` in Ukrainian (a no-break space between thousands and before the unit, a decimal comma).

A figure is rounded once, by Python's format specification (round half to even on the binary
value, as :mod:`peacemap.layers.report.format` has always rounded), and only its separators and
units change with the language: the same figure reads as the same number in every language. The
Ukrainian separators are the CLDR locale data Babel ships (``uk``: group U+00A0, decimal ``,``).
The English texts are byte for byte those of ``layers/report/format.py``.
"""

from __future__ import annotations

from functools import cache

from peacemap.layers.i18n.language import UKRAINIAN, language_or_current

NBSP = "\u00a0"  # no-break space: a figure and its unit, or its groups of digits, never part at a line end
EN_DASH = "\u2013"
NO_FIGURE = EN_DASH  # where there is no figure (as format.km2_text writes it)
_UNITS = {"km2": {"en": " km²", "uk": f"{NBSP}км²"}, "km": {"en": " km", "uk": f"{NBSP}км"}}


@cache
def _separators(lang: str) -> dict[int, str]:
    """str.translate table from Python's "," and "." to the language's group and decimal symbols."""
    if lang != UKRAINIAN:
        return {}
    from babel.numbers import get_decimal_symbol, get_group_symbol  # Babel's CLDR data, loaded when first needed

    return str.maketrans({",": get_group_symbol(UKRAINIAN), ".": get_decimal_symbol(UKRAINIAN)})


def number_text(value: float, lang: str | None = None, *, places: int = 0) -> str:
    """``value`` rounded to ``places`` decimals, thousands grouped: ``120,275`` / ``120 275``,
    ``74.5`` / ``74,5``. Integers are written exactly (no detour through a float)."""
    lang = language_or_current(lang)
    text = f"{value:,}" if isinstance(value, int) and not places else f"{value:,.{places}f}"
    return text.translate(_separators(lang))


def unit_text(value: float, unit: str, lang: str | None = None, *, places: int = 0) -> str:
    """``value`` with its unit (``km2`` or ``km``): ``6,201 km²`` / ``6 201 км²``, ``0.5 km`` / ``0,5 км``."""
    lang = language_or_current(lang)
    if unit not in _UNITS:
        raise ValueError(f"'unit' should be one of {', '.join(_UNITS)}, got {unit!r}")
    return number_text(value, lang, places=places) + _UNITS[unit][lang]


def km2_text(area_km2: float | None, lang: str | None = None) -> str:
    """Whole km², thousands grouped (``6,201 km²`` / ``6 201 км²``), or ``–`` where there is no figure."""
    lang = language_or_current(lang)
    return NO_FIGURE if area_km2 is None else unit_text(area_km2, "km2", lang)


def percent_text(value_pct: float, lang: str | None = None, *, places: int = 1) -> str:
    """A percentage (``value_pct`` in percent) to ``places`` decimals: ``74.5%`` / ``74,5 %``
    (Ukrainian sets the sign apart with a no-break space). Not grouped, as the English never was."""
    lang = language_or_current(lang)
    text = f"{value_pct:.{places}f}".translate(_separators(lang))
    return f"{text}{NBSP}%" if lang == UKRAINIAN else f"{text}%"


def band_text(value: int, low: int | None, high: int | None, lang: str | None = None) -> str:
    """A count with the band around it: ``682,909 (675,369 – 725,024)`` / ``682 909 (675 369 – 725 024)``.

    The band is left out where it is missing or is the value itself (a figure of whole regions),
    as :func:`peacemap.layers.report.format.people_text` leaves it out. In Ukrainian the space before
    the dash is a no-break space, so that a line never starts with the dash.
    """
    lang = language_or_current(lang)
    text = number_text(value, lang)
    if low is None or high is None or (low, high) == (value, value):
        return text
    before_dash = NBSP if lang == UKRAINIAN else " "
    return f"{text} ({number_text(low, lang)}{before_dash}{EN_DASH} {number_text(high, lang)})"
