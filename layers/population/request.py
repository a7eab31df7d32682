"""A request for a population of the user's own (``--population``): the file, what to call it and
the date its counts stand for. Light to import (the command line's options build it)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from peacemap.layers.errors import PopulationFileError
from peacemap.layers.text import printable

MAX_LABEL_CHARS = 80
# Control characters, line and paragraph separators and bidirectional overrides: a label is one
# line of plain text in every output.
_NOT_PRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class PopulationRequest:
    """A population file of the user's own, what the outputs call it (default: the file's name)
    and the date its counts stand for."""

    path: Path
    date: dt.date
    label: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime):
            raise PopulationFileError(f"'population_date' should be a date (the day the counts stand for), got {self.date!r}")
        if self.label is not None:
            check_label(self.label)


def check_label(label: str) -> str:
    """``label`` if it is one line of printable text of 1 to :data:`MAX_LABEL_CHARS` characters.

    Raises
    ------
    PopulationFileError
        Anything else, in one line.
    """
    if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL_CHARS or _NOT_PRINTABLE.search(label):
        shown = printable(str(label))[:MAX_LABEL_CHARS]
        raise PopulationFileError(
            f"'population_label' should be one line of text of 1 to {MAX_LABEL_CHARS} characters without control characters, got {shown!r}"
        )
    return label
