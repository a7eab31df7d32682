"""Which language an output is written in: ``en`` (the default) or ``uk``, from ``lang=`` or
``PEACEMAP_LANG``, checked with a one-line refusal; and the language the outputs being written now
are in (:func:`writing_in`, :func:`current_language`).

The command line and the Python API set the language once, where a request comes in
(``--lang``, ``lang=``), for everything written while it is served: ``with writing_in("uk"): ...``.
Every text peacemap writes for people (labels, figures, dates, names) then reads
:func:`current_language`, so that the language need not be handed down through every function
between the request and the text. It is a context variable: each thread and asyncio task has its
own, a forked process inherits it, a spawned one gets it from its parent explicitly (the animated
map's frames). Outside any request it is English.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from peacemap.layers.errors import LanguageError

ENGLISH, UKRAINIAN = "en", "uk"
LANGUAGES = (ENGLISH, UKRAINIAN)
DEFAULT_LANGUAGE = ENGLISH
LANG_ENV = "PEACEMAP_LANG"


def check_language(lang: object, *, name: str = "lang") -> str:
    """``lang`` if it is one of :data:`LANGUAGES` (surrounding spaces and case ignored), as that code.

    ``name`` is the argument or setting the value came from, for the message.

    Raises
    ------
    LanguageError
        One line naming ``name``, the languages peacemap writes and what arrived.
    """
    code = lang.strip().lower() if isinstance(lang, str) else None
    if code not in LANGUAGES:
        raise LanguageError(f"{name!r} should be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return code


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language ``PEACEMAP_LANG`` asks for (``os.environ`` unless ``environ`` is given);
    :data:`DEFAULT_LANGUAGE` where it is unset or empty.

    Raises
    ------
    LanguageError
        ``PEACEMAP_LANG`` set to a language peacemap does not write.
    """
    value = (os.environ if environ is None else environ).get(LANG_ENV, "")
    return check_language(value, name=LANG_ENV) if value.strip() else DEFAULT_LANGUAGE


_CURRENT: ContextVar[str | None] = ContextVar("peacemap_language", default=None)


def current_language() -> str:
    """The language the outputs being written now are in (:func:`writing_in`); English outside one."""
    return _CURRENT.get() or DEFAULT_LANGUAGE


@contextmanager
def writing_in(lang: str | None) -> Iterator[str]:
    """Write in ``lang`` (checked) inside the ``with`` block, which gets the language's code; the
    language before it is back after it. ``lang`` None keeps the language of an enclosing
    ``writing_in`` (the command line's ``--lang`` around an API call), else takes ``PEACEMAP_LANG``,
    else English.

    Raises
    ------
    LanguageError
        ``lang`` (or ``PEACEMAP_LANG``) is no language peacemap writes.
    """
    chosen = check_language(lang) if lang is not None else _CURRENT.get() or language_from_env()
    token = _CURRENT.set(chosen)
    try:
        yield chosen
    finally:
        _CURRENT.reset(token)


def language_or_current(lang: str | None) -> str:
    """``lang`` checked, or the current language where it is None."""
    return current_language() if lang is None else check_language(lang)
