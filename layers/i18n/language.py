"""Which language an output is written in: ``en`` (the default) or ``uk``, from ``lang=`` or
``PEACEMAP_LANG``, checked with a one-line refusal."""

from __future__ import annotations

import os
from collections.abc import Mapping

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
