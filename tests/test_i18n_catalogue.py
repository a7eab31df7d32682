"""The Ukrainian message catalogue (layers/i18n/locale/uk/LC_MESSAGES/peacemap.po, issue 30): every
message translated, placeholders kept, the compiled .mo the same catalogue as the .po, the plural
rule CLDR's, and every label peacemap prints today in it, in the glossary's terms."""

import gettext
import re

import pytest
from babel import Locale
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from peacemap.layers.i18n.catalogue import catalogue_path
from peacemap.layers.plans.statuses import STATUS_LABELS
from peacemap.layers.report import format as report_format
from peacemap.layers.report import render
from peacemap.layers.report.beside import STATEMENT_HEAD
from peacemap.layers.report.figures import POPULATION_NOTE
from peacemap.layers.report.measures import DEFINITIONS, Measure
from peacemap.layers.sources.countries import COUNTRIES_ATTRIBUTION, NEIGHBOURS
from peacemap.maps.context import SEA_LABELS
from peacemap.maps.places import KEY_PLACES
from peacemap.maps.prepare import PRINT_SIMPLIFICATION_NOTE
from peacemap.maps.style import CONTACT_FROZEN, CONTACT_OTHER, OUTLINE, OVERLAY_STYLES, UKRAINE_BORDER


@pytest.fixture(scope="module")
def catalogue():
    with catalogue_path("uk", "po").open("rb") as stream:
        return read_po(stream, locale="uk", domain="peacemap")


@pytest.fixture(scope="module")
def compiled():
    with catalogue_path("uk", "mo").open("rb") as stream:
        return gettext.GNUTranslations(stream)


def messages(catalogue):
    return [message for message in catalogue if message.id]


def test_every_message_has_a_ukrainian_translation(catalogue):
    untranslated = [message.id for message in messages(catalogue) if not all(message.string if isinstance(message.string, tuple)
                                                                             else (message.string,))]
    assert untranslated == []
    fuzzy = [message.id for message in messages(catalogue) if message.fuzzy]
    assert fuzzy == [] and not catalogue.fuzzy  # pybabel compile skips a fuzzy catalogue


def test_every_translation_is_ukrainian_not_a_copy(catalogue):
    for message in messages(catalogue):
        for string in (message.string if isinstance(message.string, tuple) else (message.string,)):
            assert re.search("[а-яіїєґ]", string, re.IGNORECASE), (message.id, string)


def test_placeholders_and_format_are_kept(catalogue):
    """Babel's checkers: the same %(name)s placeholders in the id and every translation."""
    assert [(message.id, errors) for message, errors in catalogue.check()] == []
    for message in messages(catalogue):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\((\w+)\)s", ids[0]))
        assert all(set(re.findall(r"%\((\w+)\)s", string)) == wanted for string in strings), message.id


def test_the_plural_rule_is_cldrs_for_ukrainian(catalogue):
    assert catalogue.num_plurals == get_plural("uk").num_plurals == 3
    assert catalogue.plural_expr == get_plural("uk").plural_expr
    # The rule gives CLDR's categories for Ukrainian integers: one (1, 21…), few (2–4, 22–24…), many.
    rule = Locale("uk").plural_form
    forms = {"one": 0, "few": 1, "many": 2}
    compiled_rule = gettext.c2py(catalogue.plural_expr)
    assert all(compiled_rule(n) == forms[rule(n)] for n in range(0, 1000))


def test_the_mo_file_is_the_po_file_compiled(catalogue, compiled):
    """The committed peacemap.mo holds exactly the .po's translations (run pybabel compile after
    editing the .po): every message, plural form and context, and nothing else."""
    expected = {}
    for message in messages(catalogue):
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        key = f"{message.context}\x04{singular}" if message.context else singular  # gettext's key of a message with a context
        if isinstance(message.id, tuple):
            expected |= {(key, index): string for index, string in enumerate(message.string)}
        else:
            expected[key] = message.string
    assert compiled._catalog.pop("") is not None  # the header
    assert compiled._catalog == expected
    assert compiled.info()["plural-forms"] == catalogue.plural_forms
    hromadas = catalogue.get("%(count)s hromada").string
    assert [compiled.ngettext("%(count)s hromada", "%(count)s hromadas", n) for n in (1, 2, 5)] == list(hromadas)


def printed_labels() -> dict[str, str]:
    """The English labels peacemap prints today, by where they come from (issue 30, part 3)."""
    labels = {f"status {status}": label for status, label in STATUS_LABELS.items()}
    for measure in Measure:
        name = measure.label.removeprefix("of which ")
        labels |= {f"measure {measure.name}": measure.label, f"measure {measure.name} short": measure.short_label,
                   f"measure {measure.name} definition": DEFINITIONS[measure], f"measure {measure.name} name": name[0].upper() + name[1:]}
    labels |= {f"overlay {kind}": style.label for kind, style in OVERLAY_STYLES.items()}
    labels |= {f"line {line.label}": line.label for line in (CONTACT_FROZEN, CONTACT_OTHER, OUTLINE, UKRAINE_BORDER)}
    labels |= {"render.POPULATION_LABEL": render.POPULATION_LABEL, "render.POPULATION_HEAD": render.POPULATION_HEAD,
               "render.BAND_NOTE": render.BAND_NOTE, "render.PARTS_NOTE": render.PARTS_NOTE,
               "format.NOT_AVAILABLE": report_format.NOT_AVAILABLE, "format.NOT_COVERED": report_format.NOT_COVERED,
               "figures.POPULATION_NOTE": POPULATION_NOTE, "beside.STATEMENT_HEAD": STATEMENT_HEAD,
               "countries.COUNTRIES_ATTRIBUTION": COUNTRIES_ATTRIBUTION, "prepare.PRINT_SIMPLIFICATION_NOTE": PRINT_SIMPLIFICATION_NOTE}
    labels |= {f"neighbour {code}": name for code, name in NEIGHBOURS.items()}
    labels |= {f"sea {name}": name for name, _, _ in SEA_LABELS}
    labels |= {f"place {place.name}": place.name for place in KEY_PLACES} | {f"place note {place.name}": place.note for place in KEY_PLACES}
    return labels


def test_every_label_peacemap_prints_is_in_the_catalogue(catalogue):
    missing = {where: label for where, label in printed_labels().items() if catalogue.get(label) is None or not catalogue.get(label).string}
    assert missing == {}


# Terms every translation that holds the English term must use (docs/glossary.md), by a stem that
# each inflected form of the Ukrainian term contains.
GLOSSARY_STEMS = {
    "line of contact": "зіткнення",
    "de jure": "де-юре",
    "de facto": "де-факто",
    "demilitarised": "демілітаризован",
    "Russian-held": "під контролем Росії",
    "held by Ukraine": "під контролем України",
    "sovereignty": "суверенітет",
    "1 January 2022": "1 січня 2022 р.",
    "band": "діапазон",
    "frozen": "заморож",
    "returned": "поверн",
    "withdraw": "вивод",
    "occupied": "тимчасово окупован",  # the official term (Law of Ukraine of 15 April 2014 No. 1207-VII)
}


@pytest.mark.parametrize("term", GLOSSARY_STEMS)
def test_translations_use_the_glossarys_terms(catalogue, term):
    wrong = [(message.id, message.string) for message in messages(catalogue)
             if isinstance(message.id, str) and re.search(rf"\b{re.escape(term)}", message.id, re.IGNORECASE)
             and GLOSSARY_STEMS[term].lower() not in message.string.lower()]
    assert wrong == []
