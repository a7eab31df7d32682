"""Untrusted text (file names, layer names) made safe to show on one line of a terminal or report."""

from __future__ import annotations

# os.fsdecode maps each byte of a file name that is not UTF-8 to a lone surrogate in this range
# ("surrogateescape"); such a name cannot even be encoded to write it into report.md.
_SURROGATE_ESCAPES = range(0xDC80, 0xDD00)
# The no-break spaces figures and dates are written with in Ukrainian ("6 201 км²", "20 листопада
# 2025 р."): Unicode counts them separators, not printable, though they neither move nor hide text.
_NO_BREAK_SPACES = frozenset("\u00a0\u202f")


def printable(text: str, *, keep_no_break_spaces: bool = False) -> str:
    """``text`` with every character that is not printable shown as an escape, on one line.

    Control characters (ESC, BEL, NUL, CR, newlines…), Unicode separators and format
    characters (such as U+202E, which reverses the text after it) become ``\\x1b``, ``\\r``,
    ``\\u202e`` and the like, as Python's ``repr`` writes them; a byte of a non-UTF-8 file name decoded
    with ``surrogateescape`` becomes ``\\xNN``. Printable text, non-Latin scripts included,
    is unchanged. ``keep_no_break_spaces`` keeps the no-break spaces too, for a line of figures or
    dates written in Ukrainian (a name from a file keeps the default: escaped, printable as
    ``str.isprintable`` says). For display only: the result is not meant to be parsed back.
    """
    if text.isprintable():
        return text
    kept = _NO_BREAK_SPACES if keep_no_break_spaces else frozenset()
    return "".join(char if char.isprintable() or char in kept else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if code in _SURROGATE_ESCAPES:
        return f"\\x{code - 0xDC00:02x}"
    return repr(char)[1:-1]  # \n, \x1b, \u202e, \U000e0041
