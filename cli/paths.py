"""Output paths given on the command line: refused when empty or carrying control characters,
checked for writability before any work, and ``-`` for standard output where a command takes it."""

from __future__ import annotations

import errno
import logging
import os
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from peacemap.cli.stdout import write_stdout
from peacemap.layers.writing import OutputError, atomic_write_text, check_replaceable, os_reason, shown_path

logger = logging.getLogger(__name__)

STDOUT = "-"  # an output path meaning standard output (commands whose -o help says so)


class OutputPath(click.Path):
    """A ``click.Path`` for files and folders peacemap writes.

    Refuses, as a usage error, an empty path (which would mean the current folder) and a path
    with a control character (a newline, ESC, ...: almost always a pasting or quoting slip, and
    GDAL cannot write such names). The raw text is checked, before click turns ``''`` into ``.``.
    ``-`` means standard output where ``allow_dash`` is set, and is refused elsewhere (write
    ``./-`` for a file of that name).
    """

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:  # click's signature; a Path, or what path_type makes
        if isinstance(value, str):
            problem = output_path_problem(value)
            if value == STDOUT and not self.allow_dash:
                problem = "'-' (standard output) is not available here: this command writes a file; name one (./- for a file called '-')"
            if problem:
                self.fail(problem, param, ctx)
        return super().convert(value, param, ctx)


TEXT_OUTPUT_HELP = "Write to this file (replaced whole, or not at all; never a device or a pipe) instead of standard output; '-': standard output."


def text_output_option(help_text: str = TEXT_OUTPUT_HELP) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``-o/--output FILE`` of a command that prints text: a file, or ``-`` (or nothing) for
    standard output; ``help_text`` says what each format writes where."""
    return click.option("-o", "--output", type=OutputPath(dir_okay=False, allow_dash=True, path_type=Path), default=None, help=help_text)


def is_stdout(output: Path | None) -> bool:
    """True if ``output`` is ``-`` (standard output) or None (no -o: standard output too)."""
    return output is None or str(output) == STDOUT


def write_text_output(output: Path | None, text: str) -> None:
    """``text`` to the file ``output`` (atomically), or to standard output for ``-`` or None."""
    if output is None or is_stdout(output):
        write_stdout(text)
        return
    atomic_write_text(output, text)
    logger.info("wrote %s", output)


def output_path_problem(text: str) -> str | None:
    """Why ``text`` cannot name an output (one line, the text shown escaped), or None."""
    if not text.strip():
        return f"{text!r} is empty; give a file or folder name"
    bad = sorted({c for c in text if unicodedata.category(c) == "Cc"})
    if bad:
        shown = ", ".join(ascii(c) for c in bad)
        return f"{text!r} contains a control character ({shown}); remove it"
    return None


def check_output_file(path: Path | None) -> None:
    """Raise OutputError now, before any work, if ``path`` could not be written at the end.

    Refuses a path that exists and is not a regular file (a device, a FIFO, a link to one:
    :func:`~peacemap.layers.writing.check_replaceable`). Looks at the nearest folder of ``path``
    that exists (missing ones are created when the file is written) and makes a temporary file
    there. Standard output (``-`` or None) needs no check.
    """
    if path is None or is_stdout(path):
        return
    path = Path(path)
    check_replaceable(path)
    folder = path.parent
    try:
        while not folder.exists() and folder != folder.parent:  # exists() raises for a name too long
            folder = folder.parent
        if not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
        with tempfile.TemporaryFile(prefix=".peacemap-check-", dir=folder):
            pass
    except OSError as error:
        culprit = f" ({shown_path(folder)})" if folder != path.parent else ""
        raise OutputError(path, os_reason(error) + culprit) from error
