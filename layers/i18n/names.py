"""Names of Ukraine's regions in English and Ukrainian, and the choice between a source's
Ukrainian and English name of a raion, hromada or settlement.

Regions: the English names are ``layers/sources/codes.py``'s (ISO 3166-2:UA, the 2010 national
romanisation). The Ukrainian ones are Ukraine's official names as the Constitution of Ukraine lists
the units of Ukraine (Article 133: "Автономна Республіка Крим, Вінницька, Волинська, …
Чернігівська області, міста Київ та Севастополь"), written as the State Statistics Service writes
the cities ("м. Київ", "м. Севастополь"); ``tests/test_i18n_names.py`` checks each against the
names the State Statistics Service's 2022 population table (table 1) gives. Hromadas, raions and
settlements carry their Ukrainian names in the sources themselves (OPORA, the State Statistics
tables: ``name_uk``, ``raion_uk``…); no table of them is kept here.
"""

from __future__ import annotations

from peacemap.layers.i18n.language import UKRAINIAN, current_language, language_or_current
from peacemap.layers.sources.codes import CRIMEA, CRIMEA_WITH_SEVASTOPOL, REGION_NAMES, SEVASTOPOL

KYIV_CITY = "UA-30"
# Oblasts by the adjective of their official name ("Донецька область").
_OBLASTS_UK = {
    "UA-05": "Вінницька",
    "UA-07": "Волинська",
    "UA-09": "Луганська",
    "UA-12": "Дніпропетровська",
    "UA-14": "Донецька",
    "UA-18": "Житомирська",
    "UA-21": "Закарпатська",
    "UA-23": "Запорізька",
    "UA-26": "Івано-Франківська",
    "UA-32": "Київська",
    "UA-35": "Кіровоградська",
    "UA-46": "Львівська",
    "UA-48": "Миколаївська",
    "UA-51": "Одеська",
    "UA-53": "Полтавська",
    "UA-56": "Рівненська",
    "UA-59": "Сумська",
    "UA-61": "Тернопільська",
    "UA-63": "Харківська",
    "UA-65": "Херсонська",
    "UA-68": "Хмельницька",
    "UA-71": "Черкаська",
    "UA-74": "Чернігівська",
    "UA-77": "Чернівецька",
}
_CITIES_AND_CRIMEA_UK = {CRIMEA: "Автономна Республіка Крим", KYIV_CITY: "м. Київ", SEVASTOPOL: "м. Севастополь"}
# Full names: reports, tables, popups.
REGION_NAMES_UK = {
    **{code: f"{adjective} область" for code, adjective in _OBLASTS_UK.items()},
    **_CITIES_AND_CRIMEA_UK,
    CRIMEA_WITH_SEVASTOPOL: "Крим (Автономна Республіка Крим і м. Севастополь)",
}
# Short names: map labels, chart panels ("Донецька обл.", as Ukrainian maps abbreviate область).
REGION_SHORT_NAMES_UK = {
    **{code: f"{adjective} обл." for code, adjective in _OBLASTS_UK.items()},
    CRIMEA: "АР Крим",
    KYIV_CITY: "м. Київ",
    SEVASTOPOL: "м. Севастополь",
    CRIMEA_WITH_SEVASTOPOL: "Крим (АР Крим і м. Севастополь)",
}


def region_name(code: str, lang: str | None = None, *, short: bool = False) -> str:
    """The name of region ``code`` (ISO 3166-2, or ``UA-43+UA-40`` for Crimea with Sevastopol) in
    ``lang``: ``Donetsk`` / ``Донецька область`` (``short``: ``Донецька обл.``; English has one form).

    Raises
    ------
    KeyError
        ``code`` is no region of Ukraine.
    """
    lang = language_or_current(lang)
    if code not in REGION_NAMES:
        raise KeyError(f"'code' should be an ISO 3166-2 code of a region of Ukraine such as UA-14, got {code!r}")
    if lang != UKRAINIAN:
        return REGION_NAMES[code]
    return (REGION_SHORT_NAMES_UK if short else REGION_NAMES_UK)[code]


def region_label(code: str, name: str, *, short: bool = False) -> str:
    """Region ``code``'s name as an output writes it: ``name`` (the English name the layers carry)
    in English, :func:`region_name` in Ukrainian; ``name`` where ``code`` is no region of Ukraine."""
    if current_language() != UKRAINIAN or code not in REGION_NAMES:
        return name
    return region_name(code, short=short)
