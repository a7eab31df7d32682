"""The fact box of the static map (matplotlib): the plan's key figures, the caveat on its readings,
the sources and the citation (:mod:`peacemap.maps.facts`), drawn as plain text in a band below
the map.

Every line is its own text artist (``gid="facts"``), written with ``parse_math=False``: a plan
title or file name holding ``$`` stays as written, never mathtext. In an SVG each line is a
``<text>`` element a desk can read, edit or translate.

Wide figures put the figures on the left (label, then value, in two aligned columns) and the
caveat, sources and citation on the right; narrower ones stack them, each figure's value on the
line below its label.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes

from peacemap.layers.i18n.catalogue import gettext
from peacemap.maps.facts import READINGS_IN_REPORT, Facts

LINE_SPACING = 1.3  # line height over the text size
TWO_COLUMNS_MIN_IN = 8.0  # a figure at least this wide (inches) puts the notes beside the figures
CHAR_WIDTH = 0.56  # an average glyph's width over the text size (DejaVu Sans), for wrapping
INDENT = "    "  # a part's label, under its measure
FIGURES_SHARE = 0.56  # of the band's width, for the figures when there are two columns


@dataclass(frozen=True)
class FactLines:
    """The fact box as lines: ``figures`` (label cell, value cell; the label column ``label_chars``
    wide when there are two columns) and ``notes`` (one text each), wrapped for a band of a given
    width."""

    heading: str
    figures: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    two_columns: bool
    label_chars: int

    @property
    def count(self) -> int:
        """Lines from the top of the band to the end of its longer column."""
        if self.two_columns:
            return 1 + max(len(self.figures), len(self.notes))
        return 1 + len(self.figures) + len(self.notes)


def fact_lines(facts: Facts, width_in: float, fontsize: float, *, compact: bool = False) -> FactLines:
    """``facts`` laid out in lines for a band ``width_in`` inches wide at ``fontsize`` points;
    ``compact`` leaves out the sources sentence (the title and the sources below the map name the
    line of contact and the population)."""
    two_columns = width_in >= TWO_COLUMNS_MIN_IN
    chars = int(width_in * 72 / (fontsize * CHAR_WIDTH))
    label_chars = max((len(INDENT * row.depth + row.label) for row in facts.rows), default=0)
    value_chars = max(24, int(chars * FIGURES_SHARE) - label_chars - 2) if two_columns else max(24, chars - 2 * len(INDENT))
    figures: list[tuple[str, str]] = []
    for row in facts.rows:
        label = INDENT * row.depth + row.label
        values = _wrap(row.value, value_chars)
        statements = [line for statement in row.statements for line in _wrap(statement, value_chars)]
        if two_columns:
            figures += [(label, values[0]), *(("", line) for line in values[1:] + statements)]
        else:
            figures += [(label, ""), *(("", INDENT * (row.depth + 1) + line) for line in values + statements)]
    notes_chars = max(24, int(chars * (1 - FIGURES_SHARE)) - 2) if two_columns else chars
    paragraphs = [facts.caveat(READINGS_IN_REPORT), *([] if compact else [f"{facts.sources} {facts.age}".strip()]), gettext("Cite as:") + f" {facts.citation}"]
    notes = tuple(line for paragraph in paragraphs for line in textwrap.wrap(paragraph, notes_chars))
    return FactLines(facts.heading, tuple(figures), notes, two_columns, label_chars)


_KEPT_SPACE = "\x00"  # a space inside brackets while wrapping: a band ("675,369 – 725,781") stays on one line
_BRACKETED = re.compile(r"\([^()]*\)")


def _wrap(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` characters, never inside brackets (where a line allows it)."""
    kept = _BRACKETED.sub(lambda match: match.group(0).replace(" ", _KEPT_SPACE), text)
    return [line.replace(_KEPT_SPACE, " ") for line in textwrap.wrap(kept, width, break_long_words=True)]


def facts_height_in(lines: FactLines, fontsize: float) -> float:
    """The band's height (inches) for ``lines`` at ``fontsize`` points, with a little room below."""
    return (lines.count * fontsize * LINE_SPACING + fontsize) / 72


MIN_FITTED_PT = 4.0  # the smallest text a fact box on a small figure is set in


def fitted_fact_lines(facts: Facts, width_in: float, height_in: float, fontsize: float) -> tuple[FactLines, float]:
    """The lines of ``facts`` that fit a band ``width_in`` by ``height_in`` inches, and their size
    (points): at ``fontsize`` in full, else compact, else compact in smaller text (down to
    :data:`MIN_FITTED_PT`)."""
    lines = fact_lines(facts, width_in, fontsize)
    if facts_height_in(lines, fontsize) <= height_in + 0.005:
        return lines, fontsize
    size = fontsize
    lines = fact_lines(facts, width_in, size, compact=True)
    while facts_height_in(lines, size) > height_in + 0.005 and size > MIN_FITTED_PT:
        size = max(MIN_FITTED_PT, size - 0.25)
        lines = fact_lines(facts, width_in, size, compact=True)
    return lines, size


def draw_facts(ax: Axes, lines: FactLines, fontsize: float) -> None:
    """Draw ``lines`` into ``ax`` (its frame turned off) from its top left corner, one text artist
    per line: measures' labels in bold, their parts' in italics, values beside them (two columns)
    or below them."""
    ax.set_axis_off()
    box = ax.get_window_extent()
    dpi = ax.get_figure(root=True).dpi  # type: ignore[union-attr]
    height_pt, width_pt = box.height * 72 / dpi, box.width * 72 / dpi
    step = fontsize * LINE_SPACING / height_pt  # one line, in axes fraction
    style: dict[str, Any] = {
        "fontsize": fontsize,
        "color": "#222222",
        "va": "top",
        "ha": "left",
        "transform": ax.transAxes,
        "parse_math": False,
        "gid": "facts",
        "in_layout": False,
    }
    ax.text(0.0, 1.0, lines.heading, **{**style, "fontweight": "bold"})
    labels = []
    for index, (label, _) in enumerate(lines.figures, start=1):
        if label:
            part = label.startswith(INDENT)
            labels.append(
                ax.text(0.0, 1.0 - index * step, label, **{**style, "fontweight": "normal" if part else "bold", "fontstyle": "italic" if part else "normal"})
            )
    # The values start a little after the widest label as drawn (bold text is wider than its estimate).
    widest = max((text.get_window_extent().x1 for text in labels), default=box.x0)
    value_x = (widest - box.x0) / box.width + fontsize * CHAR_WIDTH * 2 / width_pt if lines.two_columns else 0.0
    for index, (_, value) in enumerate(lines.figures, start=1):
        if value:
            ax.text(value_x, 1.0 - index * step, value, **style)
    notes_x, first = (FIGURES_SHARE + 0.02, 1) if lines.two_columns else (0.0, 1 + len(lines.figures))
    for index, note in enumerate(lines.notes, start=first):
        ax.text(notes_x, 1.0 - index * step, note, **{**style, "color": "#444444"})
