"""An official statement of people remaining as the outputs word it, in the language being written:
its figure with what it counts ("about 198,500 civilians" / "близько 198 500 цивільних"), who made
it and when, and the kinds of figure.

The curated table (:mod:`peacemap.layers.sources.statements`) keeps the statement's facts (figure,
qualifier, kind, body, dates); the English label it writes is the one this module gives in
English. Each figure phrase is one catalogue message per qualifier and noun, with the noun's plural
form chosen by the figure (Ukrainian nouns after "близько" and "понад" take other cases than after a
bare figure, so the phrase is never assembled from a qualifier word and a noun). Who made the
statement is translated where the catalogue knows the body (context ``body``), else left as the
table writes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peacemap.layers.i18n.catalogue import N_, N_plural, gettext, ngettext, pgettext
from peacemap.layers.i18n.dates import iso_date_text
from peacemap.layers.i18n.numbers import number_text
from peacemap.layers.sources.statements import ADMINISTRATIVE_COUNT, CIVILIANS, CLAIM, PEOPLE

# (singular, plural) of each qualifier's phrase, for a figure of people and of civilians.
_PEOPLE_PHRASES = {
    "": N_plural("%(figure)s person", "%(figure)s people"),
    "about": N_plural("about %(figure)s person", "about %(figure)s people"),
    "more-than": N_plural("more than %(figure)s person", "more than %(figure)s people"),
    "fewer-than": N_plural("fewer than %(figure)s person", "fewer than %(figure)s people"),
    "at-least": N_plural("at least %(figure)s person", "at least %(figure)s people"),
    "at-most": N_plural("at most %(figure)s person", "at most %(figure)s people"),
    "range": N_plural("%(figure)s person", "%(figure)s people"),
}
_CIVILIAN_PHRASES = {
    "": N_plural("%(figure)s civilian", "%(figure)s civilians"),
    "about": N_plural("about %(figure)s civilian", "about %(figure)s civilians"),
    "more-than": N_plural("more than %(figure)s civilian", "more than %(figure)s civilians"),
    "fewer-than": N_plural("fewer than %(figure)s civilian", "fewer than %(figure)s civilians"),
    "at-least": N_plural("at least %(figure)s civilian", "at least %(figure)s civilians"),
    "at-most": N_plural("at most %(figure)s civilian", "at most %(figure)s civilians"),
    "range": N_plural("%(figure)s civilian", "%(figure)s civilians"),
}
# The qualifiers' words alone, for a figure written without its noun (``figure_text``).
_QUALIFIED = {
    "": "%(figure)s",
    "about": N_("about %(figure)s"),
    "more-than": N_("more than %(figure)s"),
    "fewer-than": N_("fewer than %(figure)s"),
    "at-least": N_("at least %(figure)s"),
    "at-most": N_("at most %(figure)s"),
    "range": "%(figure)s",
}
# What each kind of figure counts, named on its own (the kinds note).
KIND_NAMES = {
    CIVILIANS: N_("civilians"),
    PEOPLE: N_("people"),
    ADMINISTRATIVE_COUNT: N_("people (administrative count)"),
    CLAIM: N_("people (OCCUPYING-POWER CLAIM)"),
}


def _figure(record: Mapping[str, Any]) -> str:
    """The figure, or the range ``60,000–70,000`` / ``60 000–70 000``."""
    if record.get("figure_high") is not None:
        return f"{number_text(record['figure'])}–{number_text(record['figure_high'])}"
    return number_text(record["figure"])


def statement_figure_text(record: Mapping[str, Any]) -> str:
    """The figure as stated, without its noun: ``about 198,500`` / ``близько 198 500``."""
    return gettext(_QUALIFIED[record["qualifier"]]) % {"figure": _figure(record)}


def statement_figure_phrase(record: Mapping[str, Any]) -> str:
    """The figure with what it counts: ``about 198,500 civilians``, ``60,000–70,000 people``,
    ``2,400,000 people (OCCUPYING-POWER CLAIM)``."""
    phrases = _CIVILIAN_PHRASES if record["kind"] == CIVILIANS else _PEOPLE_PHRASES
    singular, plural = phrases[record["qualifier"]]
    count = record["figure_high"] if record.get("figure_high") is not None else record["figure"]
    text = ngettext(singular, plural, count) % {"figure": _figure(record)}
    if record["kind"] == ADMINISTRATIVE_COUNT:
        return gettext("%(figure)s (administrative count)") % {"figure": text}
    if record["kind"] == CLAIM:
        return gettext("%(figure)s (OCCUPYING-POWER CLAIM)") % {"figure": text}
    return text


def statement_label(record: Mapping[str, Any]) -> str:
    """The figure with what it counts, who said it and when, in one line; an occupying power's
    claim says so first: ``about 198,500 civilians (Donetsk Oblast Military Administration, 2025-11-13)``."""
    when = iso_date_text(record["statement_date"]) if record.get("statement_date") else gettext("undated")
    text = f"{statement_figure_phrase(record)} ({body_text(record['body'])}, {when})"
    return gettext("OCCUPYING-POWER CLAIM: %(statement)s") % {"statement": text} if record["claim"] else text


def body_text(body: str) -> str:
    """Who made a statement (the table's English name of the body), in the language being written."""
    return pgettext("body", body)


def statement_period(statement: Mapping[str, Any]) -> str:
    """``, as of 2025-02-02`` where the statement gives its figure as of another day than the one
    it was made on, else ""."""
    if statement.get("as_of") and statement["as_of"] != statement.get("statement_date"):
        return ", " + gettext("as of %(date)s") % {"date": iso_date_text(statement["as_of"])}
    return ""


def kind_label(kind: str) -> str:
    """What a kind of figure counts: ``civilians`` / ``цивільні``."""
    return gettext(KIND_NAMES[kind])
