"""How figures are written in every text output (terminal, Markdown, comparison tables): one place,
so that the same number reads the same everywhere."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from peacemap.layers.sources.codes import CRIMEA, CRIMEA_WITH_SEVASTOPOL, REGION_NAMES, SEVASTOPOL

NOT_AVAILABLE = "not available"


def km2_text(area_km2: float | None) -> str:
    """``6,201 km²`` (whole km², thousands separated), or ``–`` where there is no figure."""
    return "–" if area_km2 is None else f"{area_km2:,.0f} km²"


def people_text(figures: Mapping[str, object]) -> str:
    """The 1 January 2022 population of ``figures`` with its band and the regions it leaves out.

    ``figures`` holds ``population_2022`` (persons, or None), ``population_2022_low`` and
    ``population_2022_high``, and optionally ``population_excludes`` (region codes without an
    official figure). Gives ``672,338 (661,497 – 714,113)``, ``1,234, excl. AR Crimea (not
    available)``, or ``not available`` when nothing of the land has a figure.
    """
    return _count_text(figures, "population_2022", "population_excludes", NOT_AVAILABLE)


def excluded_names(codes: list[str]) -> str:
    """The regions a figure leaves out, by name as a reader knows them (codes mean nothing on a
    printed page): ``AR Crimea and Sevastopol``, ``AR Crimea and Sevastopol, Kherson``."""
    if {CRIMEA, SEVASTOPOL} <= set(codes):  # the pair every official 2022 figure lacks
        codes = [CRIMEA_WITH_SEVASTOPOL, *(code for code in codes if code not in (CRIMEA, SEVASTOPOL))]
    names = [REGION_NAMES.get(code, code) for code in codes]
    names = ["AR Crimea and Sevastopol" if code == CRIMEA_WITH_SEVASTOPOL else name for code, name in zip(codes, names, strict=True)]
    return ", ".join(names)


NOT_COVERED = "not covered"


def own_people_text(figures: Mapping[str, object]) -> str:
    """The user's population of ``figures`` (``population_own``, its band, the regions its file does
    not cover in ``population_own_excludes``), written as :func:`people_text` writes the official one."""
    return _count_text(figures, "population_own", "population_own_excludes", NOT_COVERED)


def _count_text(figures: Mapping[str, object], key: str, excludes_key: str, missing: str) -> str:
    """``figures[key]`` with its band (``key``_low, ``key``_high) and the regions in
    ``figures[excludes_key]`` it leaves out, named and marked ``missing``; ``missing`` alone when
    nothing of the land has a figure."""
    value = figures.get(key)
    excluded = list(figures.get(excludes_key) or [])  # type: ignore[call-overload]
    if value is None or (not value and excluded):
        return missing
    low, high = figures.get(f"{key}_low"), figures.get(f"{key}_high")
    band = f" ({low:,} – {high:,})" if low is not None and high is not None and (low, high) != (value, value) else ""
    note = f", excl. {excluded_names(excluded)} ({missing})" if excluded else ""
    return f"{value:,}{band}{note}"


def own_label(source: Mapping[str, Any]) -> str:
    """What the outputs call the user's population: its label and date, marked as the user's."""
    return f"{source['label']} ({source['date']}, user-supplied)"


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
    asked = "the newest snapshot" if age["requested"] == "latest" else f"the latest snapshot on or before {age['requested']}"
    return (f"Line of contact: {asked}, dated {age['snapshot']}: {age['age_days']:,} days old on {age['counted_on']}. "
            "The line may have moved since.")
