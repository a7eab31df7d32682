"""A progress bar on stderr for long runs: shown on a terminal, silent with -q or when stderr is a
pipe or a file (the library's periodic log lines are left for those)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A callback ``(done, total)`` that draws click's progress bar with an estimate of the time
    left, or None (no bar) when stderr is not a terminal or messages are off (``-q``)."""
    context = click.get_current_context(silent=True)
    verbosity = (context.find_root().obj or {}).get("verbosity", 1) if context else 1
    if verbosity < 1 or not sys.stderr.isatty():
        yield None
        return
    bars: list = []

    def advance(done: int, total: int) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label=label, file=sys.stderr, show_eta=True, show_pos=True))
            bars[0].__enter__()
        bars[0].update(done - bars[0].pos)

    try:
        yield advance
    finally:
        if bars:
            bars[0].__exit__(None, None, None)
