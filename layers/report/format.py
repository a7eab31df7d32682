"""How figures are written in every text output (terminal, Markdown, comparison tables): one place,
so that the same number reads the same everywhere, in the language being written
(:func:`peacemap.layers.i18n.language.current_language`: ``6,201 km²`` / ``6 201 км²``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from peacemap.layers.i18n import numbers
from peacemap.layers.i18n.catalogue import N_, gettext, ngettext
from peacemap.layers.i18n.dates import iso_date_text
from peacemap.layers.i18n.names import region_name
from peacemap.layers.i18n.numbers import number_text
from peacemap.layers.sources.codes import CRIMEA, CRIMEA_WITH_SEVASTOPOL, REGION_NAMES, SEVASTOPOL

NOT_AVAILABLE = N_("not available")


def km2_text(area_km2: float | None) -> str:
    """``6,201 km²`` (whole km², thousands separated), or ``–`` where there is no figure."""
    return numbers.km2_text(area_km2)


def people_text(figures: Mapping[str, object]) -> str:
    """The 1 January 2022 population of ``figures`` with its band and the regions it leaves out.

    ``figures`` holds ``population_2022`` (persons, or None), ``population_2022_low`` and
    ``population_2022_high``, and optionally ``population_excludes`` (region codes without an
    official figure). Gives ``672,338 (661,497 – 714,113)``, ``1,234, excl. AR Crimea (not
    available)``, or ``not available`` when nothing of the land has a figure.
    """
    return _count_text(figures, "population_2022", "population_excludes", NOT_AVAILABLE)


# Crimea and Sevastopol together, as a reader knows them ("АР Крим і м. Севастополь").
CRIMEA_AND_SEVASTOPOL = N_("AR Crimea and Sevastopol")


def excluded_names(codes: list[str]) -> str:
    """The regions a figure leaves out, by name as a reader knows them (codes mean nothing on a
    printed page), in the language being written: ``AR Crimea and Sevastopol``, ``AR Crimea and
    Sevastopol, Kherson`` / ``АР Крим і м. Севастополь, Херсонська область``."""
    if {CRIMEA, SEVASTOPOL} <= set(codes):  # the pair every official 2022 figure lacks
        codes = [CRIMEA_WITH_SEVASTOPOL, *(code for code in codes if code not in (CRIMEA, SEVASTOPOL))]
    return ", ".join(
        gettext(CRIMEA_AND_SEVASTOPOL) if code == CRIMEA_WITH_SEVASTOPOL else region_name(code) if code in REGION_NAMES else code for code in codes
    )


NOT_COVERED = N_("not covered")


def own_people_text(figures: Mapping[str, object]) -> str:
    """The user's population of ``figures`` (``population_own``, its band, the regions its file does
    not cover in ``population_own_excludes``), written as :func:`people_text` writes the official one."""
    return _count_text(figures, "population_own", "population_own_excludes", NOT_COVERED)


def _count_text(figures: Mapping[str, object], key: str, excludes_key: str, missing: str) -> str:
    """``figures[key]`` with its band (``key``_low, ``key``_high) and the regions in
    ``figures[excludes_key]`` it leaves out, named and marked ``missing``; ``missing`` alone when
    nothing of the land has a figure. In the language being written."""
    value = figures.get(key)
    excluded = list(figures.get(excludes_key) or [])  # type: ignore[call-overload]
    if value is None or (not value and excluded):
        return gettext(missing)
    text = numbers.band_text(value, figures.get(f"{key}_low"), figures.get(f"{key}_high"))  # type: ignore[arg-type]
    if excluded:
        text += ", " + gettext("excl. %(regions)s (%(reason)s)") % {"regions": excluded_names(excluded), "reason": gettext(missing)}
    return text


def own_label(source: Mapping[str, Any]) -> str:
    """What the outputs call the user's population: its label and date, marked as the user's."""
    return gettext("%(label)s (%(date)s, user-supplied)") % {"label": source["label"], "date": iso_date_text(source["date"])}


def percent_text(value_pct: float, places: int = 1) -> str:
    """A share in percent: ``74.5%`` / ``74,5 %``."""
    return numbers.percent_text(value_pct, places=places)


def count_text(count: int) -> str:
    """A whole number, thousands grouped: ``1,234`` / ``1 234``."""
    return number_text(count)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~<])")
# An ampersand that would start an entity or character reference ("&lt;", "&#60;").
_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def escape_markdown(text: str) -> str:
    """Escape ``text`` so that Markdown shows it literally, placed mid-line: Markdown's own
    backslash escapes before inline-formatting characters, ``<`` (no raw HTML or autolink) and an
    ``&`` that would start an entity; newlines folded to spaces. Quotes stay quotes."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return _ENTITY_START.sub(r"\\&", text)


_BACKTICK_RUN = re.compile(r"`+")


def code_span(text: str, *, in_table: bool = False) -> str:
    """``text`` as a Markdown code span that holds it literally, whatever it contains (CommonMark
    6.1): fenced by one backtick more than its longest run of backticks, and padded with a space on
    each side when it starts or ends with a backtick or a space (one of each is stripped again).
    Newlines are folded to spaces; nothing else is escaped, since backslashes in code are literal,
    but ``|`` in a table cell (``in_table``), which a GFM table splits on even inside code."""
    text = " ".join(str(text).splitlines())
    fence = "`" * (max((len(run) for run in _BACKTICK_RUN.findall(text)), default=0) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    span = f"{fence}{pad}{text}{pad}{fence}"
    return span.replace("|", "\\|") if in_table else span


def age_text(age: Mapping[str, Any]) -> str:
    """One sentence: the snapshot used, and how old it is (see pipeline.snapshot_age)."""
    asked = (
        gettext("the newest snapshot")
        if age["requested"] == "latest"
        else gettext("the latest snapshot on or before %(date)s") % {"date": iso_date_text(age["requested"])}
    )
    days = ngettext("%(count)s day", "%(count)s days", age["age_days"]) % {"count": number_text(age["age_days"])}
    return gettext("Line of contact: %(asked)s, dated %(snapshot)s: %(age)s old on %(counted_on)s. The line may have moved since.") % {
        "asked": asked,
        "snapshot": iso_date_text(age["snapshot"]),
        "age": days,
        "counted_on": iso_date_text(age["counted_on"]),
    }
