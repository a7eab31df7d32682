"""peacemap's message catalogues (gettext): the English texts are the message ids, and
``locale/uk/LC_MESSAGES/peacemap.po`` translates them into Ukrainian (managed with Babel;
``peacemap.mo`` beside it is the compiled catalogue gettext reads, kept in the repository and in
the wheel, and checked against the ``.po`` by the tests).

English needs no catalogue: its translator returns every message as it is. Every function takes the
language as ``lang``, by default the language being written now
(:func:`peacemap.layers.i18n.language.current_language`).
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from peacemap.layers.i18n.language import ENGLISH, check_language, language_or_current
from peacemap.layers.i18n.numbers import number_text

DOMAIN = "peacemap"
LOCALE_PACKAGE = "peacemap.layers.i18n"


def catalogue_path(lang: str, suffix: str = "mo") -> Traversable:
    """Where the catalogue of ``lang`` is (``suffix`` ``mo``, compiled, or ``po``, its source) in the package."""
    return resources.files(LOCALE_PACKAGE).joinpath("locale", check_language(lang), "LC_MESSAGES", f"{DOMAIN}.{suffix}")


def translator(lang: str | None = None) -> _gettext.NullTranslations:
    """The gettext translations of ``lang`` (``en``: messages returned unchanged), read once."""
    return _translator(language_or_current(lang))


@cache
def _translator(lang: str) -> _gettext.NullTranslations:
    if lang == ENGLISH:
        return _gettext.NullTranslations()
    with catalogue_path(lang).open("rb") as stream:  # a package file: read from the wheel as from a checkout
        return _gettext.GNUTranslations(stream)


def gettext(message: str, lang: str | None = None) -> str:
    """``message`` (English, the message id) in ``lang``; as it is where the catalogue has no translation."""
    return translator(lang).gettext(message)


def pgettext(context: str, message: str, lang: str | None = None) -> str:
    """``message`` in ``lang`` where the same English word means different things: ``context`` names
    which (``side``, ``recognition``, ``withdraws``, ``rule``, ``kind``, ``control``), e.g.
    ``pgettext("side", "russian", "uk")`` is ``російський``."""
    return translator(lang).pgettext(context, message)


def ngettext(singular: str, plural: str, count: int, lang: str | None = None) -> str:
    """The form of a message for ``count`` in ``lang``: English has two (``singular`` for 1),
    Ukrainian three (1, 21…: одна; 2–4, 22–24…: кілька; 0, 5–20, 25…: багато), chosen by the
    catalogue's Plural-Forms."""
    return translator(lang).ngettext(singular, plural, count)


def count_text(count: int, singular: str, plural: str, lang: str | None = None) -> str:
    """``count`` with its noun in the right form: ``"%(count)s hromada"`` / ``"%(count)s hromadas"``
    give ``1 hromada``, ``5 hromadas``; ``1 громада``, ``2 громади``, ``5 громад``, ``21 громада``,
    ``11 громад``. The message ids hold ``%(count)s``, which takes the count written by
    :func:`peacemap.layers.i18n.numbers.number_text` (``1,472`` / ``1 472``)."""
    return ngettext(singular, plural, count, lang) % {"count": number_text(count, lang)}


def N_(message: str) -> str:  # gettext's conventional name for the marker, which pybabel extract finds
    """``message`` as it is: marks an English text kept in a constant as a message of the catalogue
    (``pybabel extract`` finds it), translated where it is written out with :func:`gettext`."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # a marker, named as N_ is
    """``(singular, plural)`` as they are: marks a message with plural forms kept in a constant
    (``pybabel extract -k N_plural:1,2`` finds it), written out with :func:`ngettext`."""
    return singular, plural
