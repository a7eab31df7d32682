"""Output paths given on the command line: refused when empty or carrying control characters,
and checked for writability before any work."""

from __future__ import annotations

import errno
import os
import tempfile
import unicodedata
from pathlib import Path

import click

from peacemap.layers.writing import OutputError, os_reason


class OutputPath(click.Path):
    """A ``click.Path`` for files and folders peacemap writes.

    Refuses, as a usage error, an empty path (which would mean the current folder) and a path
    with a control character (a newline, ESC, ...: almost always a pasting or quoting slip, and
    GDAL cannot write such names). The raw text is checked, before click turns ``''`` into ``.``.
    """

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201 - click's signature
        if isinstance(value, str):
            problem = output_path_problem(value)
            if problem:
                self.fail(problem, param, ctx)
        return super().convert(value, param, ctx)


def output_path_problem(text: str) -> str | None:
    """Why ``text`` cannot name an output (one line, the text shown escaped), or None."""
    if not text.strip():
        return f"{text!r} is empty; give a file or folder name"
    bad = sorted({c for c in text if unicodedata.category(c) == "Cc"})
    if bad:
        shown = ", ".join(ascii(c) for c in bad)
        return f"{text!r} contains a control character ({shown}); remove it"
    return None


def check_output_file(path: Path) -> None:
    """Raise OutputError now, before any work, if ``path`` could not be written at the end.

    Looks at the nearest folder of ``path`` that exists (missing ones are created when the file
    is written) and makes a temporary file there.
    """
    path = Path(path)
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        if not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
        with tempfile.TemporaryFile(prefix=".peacemap-check-", dir=folder):
            pass
    except OSError as error:
        culprit = f" ({folder})" if folder != path.parent else ""
        raise OutputError(path, os_reason(error) + culprit) from error
