"""Untrusted text (file names, layer names) made safe to show on one line of a terminal or report."""

from __future__ import annotations

# os.fsdecode maps each byte of a file name that is not UTF-8 to a lone surrogate in this range
# ("surrogateescape"); such a name cannot even be encoded to write it into report.md.
_SURROGATE_ESCAPES = range(0xDC80, 0xDD00)
# The no-break spaces figures are written with in Ukrainian ("6 201 км²", "74,5 %"): shown as they
# are (Unicode counts them separators, not printable, but they neither move nor hide text).
_KEPT_SPACES = frozenset("\u00a0\u202f")


def printable(text: str) -> str:
    """``text`` with every character that is not printable shown as an escape, on one line.

    Control characters (ESC, BEL, NUL, CR, newlines…), Unicode separators and format
    characters (such as U+202E, which reverses the text after it) become ``\\x1b``, ``\\r``,
    ``\\u202e`` and the like, as Python's ``repr`` writes them; a byte of a non-UTF-8 file name decoded
    with ``surrogateescape`` becomes ``\\xNN``. Printable text, non-Latin scripts included,
    is unchanged, and so are the no-break spaces figures are written with. For display only: the
    result is not meant to be parsed back.
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char in _KEPT_SPACES else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if code in _SURROGATE_ESCAPES:
        return f"\\x{code - 0xDC00:02x}"
    return repr(char)[1:-1]  # \n, \x1b, \u202e, \U000e0041
