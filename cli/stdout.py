"""Standard output of the commands: a closed stream or a full device is one line on stderr and exit
code 1 (a :class:`StdoutError`), never a traceback, and never a success that printed nothing; a
pipe whose reader has gone (``| head``) ends the command quietly with exit code 1.

Python sets ``sys.stdout`` to None when the command starts with its standard output closed
(``peacemap report >&-``), and click then drops what it is asked to print without a word; a write
to a full device (``> /dev/full``) or a closed pipe raises a bare OSError, at the write or at the
interpreter's last flush. :func:`guard_stdout` puts a :class:`GuardedStdout` in its place, so
every ``click.echo`` of every command gets the same treatment.
"""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO, cast

import click

from peacemap.layers.writing import OutputError, os_reason

STDOUT_NAME = "standard output"


class StdoutError(OutputError):
    """Standard output cannot be written: it is closed, its device is full, its reader has gone."""

    def __init__(self, reason: str, *, reader_gone: bool = False) -> None:
        super().__init__(STDOUT_NAME, reason)
        # The reader of a pipe stopped reading (`peacemap plans | head -1`): what it asked for,
        # so the command ends quietly (exit 1), as other tools do, instead of saying so.
        self.reader_gone = reader_gone


class GuardedStdout:
    """Stands in for ``sys.stdout``: writes and flushes go to ``stream``, and a failure, or a closed
    stream (None), raises :class:`StdoutError`.

    After a failure the file descriptor is pointed at the null device, so that what is still
    buffered cannot fail a second time when the interpreter exits (which would print an
    "Exception ignored" traceback and exit with 120). Other attributes are the stream's.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._failed: StdoutError | None = None  # why the stream failed, once it has

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:
        return getattr(self._stream, "errors", None) or "backslashreplace"

    def write(self, text: str) -> int:
        if self._stream is None:
            raise StdoutError("it is closed")
        if self._failed is not None:
            raise StdoutError(self._failed.reason, reader_gone=self._failed.reader_gone)
        try:
            return self._stream.write(text)
        except OSError as error:
            raise self._failure(error) from error

    def flush(self) -> None:
        if self._stream is None or self._failed is not None:
            return  # nothing was written, or nothing more can be
        try:
            self._stream.flush()
        except OSError as error:
            raise self._failure(error) from error

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def __getattr__(self, name: str) -> Any:
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)

    def _failure(self, error: OSError) -> StdoutError:
        self._failed = StdoutError(os_reason(error), reader_gone=isinstance(error, BrokenPipeError))
        _discard_buffered(self._stream)
        return self._failed


def _discard_buffered(stream: Any) -> None:
    """Point ``stream``'s file descriptor at the null device (its buffer then drains there)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, stream.fileno())
        finally:
            os.close(null)
    except (OSError, ValueError, AttributeError):  # no descriptor (a test's stream): nothing to drain
        pass


def guard_stdout() -> None:
    """Put a :class:`GuardedStdout` in place of ``sys.stdout`` (once)."""
    if not isinstance(sys.stdout, GuardedStdout):
        sys.stdout = cast(TextIO, GuardedStdout(sys.stdout))


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output and flush it; :class:`StdoutError` if it cannot be written."""
    stream = sys.stdout if isinstance(sys.stdout, GuardedStdout) else GuardedStdout(sys.stdout)
    click.echo(text, nl=False, file=cast(TextIO, stream))
