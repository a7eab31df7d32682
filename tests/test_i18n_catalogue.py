"""The Ukrainian message catalogue (layers/i18n/locale/uk/LC_MESSAGES/peacemap.po, issue 30): every
message translated, placeholders kept, the compiled .mo the same catalogue as the .po, the plural
rule CLDR's, every message the code uses in it (found by Babel's extractor, as ``pybabel extract``
finds them) and none it no longer uses, and every label peacemap prints in it, in the glossary's
terms."""

import gettext
import re
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from peacemap.layers.i18n.catalogue import catalogue_path
from peacemap.layers.plans.statuses import Status
from peacemap.layers.report import format as report_format
from peacemap.layers.report import render
from peacemap.layers.report.beside import STATEMENT_HEAD
from peacemap.layers.report.figures import POPULATION_NOTE
from peacemap.layers.report.measures import DEFINITIONS, Measure
from peacemap.layers.sources.countries import COUNTRIES_ATTRIBUTION, NEIGHBOURS
from peacemap.maps.context import SEA_LABELS
from peacemap.maps.places import NO_2022_FIGURE, SETTLEMENT_KINDS, SITES
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
    untranslated = [message.id for message in messages(catalogue) if not all(message.string if isinstance(message.string, tuple) else (message.string,))]
    assert untranslated == []
    fuzzy = [message.id for message in messages(catalogue) if message.fuzzy]
    assert fuzzy == []
    assert not catalogue.fuzzy  # pybabel compile skips a fuzzy catalogue


def test_every_translation_is_ukrainian_not_a_copy(catalogue):
    for message in messages(catalogue):
        for string in message.string if isinstance(message.string, tuple) else (message.string,):
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
    labels = {f"status {status}": status.label for status in Status}
    for measure in Measure:
        labels |= {
            f"measure {measure.name}": measure.label,
            f"measure {measure.name} short": measure.short_label,
            f"measure {measure.name} definition": DEFINITIONS[measure],
            f"measure {measure.name} name": measure.heading,
        }
    labels |= {f"overlay {kind}": style.label for kind, style in OVERLAY_STYLES.items()}
    labels |= {f"line {line.label}": line.label for line in (CONTACT_FROZEN, CONTACT_OTHER, OUTLINE, UKRAINE_BORDER)}
    labels |= {
        "render.POPULATION_LABEL": render.POPULATION_LABEL,
        "render.POPULATION_HEAD": render.POPULATION_HEAD,
        "render.BAND_NOTE": render.BAND_NOTE,
        "render.PARTS_NOTE": render.PARTS_NOTE,
        "format.NOT_AVAILABLE": report_format.NOT_AVAILABLE,
        "format.NOT_COVERED": report_format.NOT_COVERED,
        "figures.POPULATION_NOTE": POPULATION_NOTE,
        "beside.STATEMENT_HEAD": STATEMENT_HEAD,
        "countries.COUNTRIES_ATTRIBUTION": COUNTRIES_ATTRIBUTION,
        "prepare.PRINT_SIMPLIFICATION_NOTE": PRINT_SIMPLIFICATION_NOTE,
    }
    labels |= {f"neighbour {code}": name for code, name in NEIGHBOURS.items()}
    labels |= {f"sea {name}": name for name, _, _ in SEA_LABELS}
    labels |= {f"site {place.name}": place.name for place in SITES} | {f"site note {place.name}": place.note for place in SITES}
    labels |= {"places.NO_2022_FIGURE": NO_2022_FIGURE} | {f"settlement kind {kind}": kind for kind in SETTLEMENT_KINDS}
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
    wrong = [
        (message.id, message.string)
        for message in messages(catalogue)
        if isinstance(message.id, str)
        and re.search(rf"\b{re.escape(term)}", message.id, re.IGNORECASE)
        and GLOSSARY_STEMS[term].lower() not in message.string.lower()
    ]
    assert wrong == []


# --- the messages the code uses (issue 30, phase 2) ---------------------------------------------------

PACKAGE = Path(__file__).resolve().parent.parent
# What pybabel extract looks for: gettext's functions, the constants' markers (N_, N_plural) and
# count_text (its noun's singular and plural).
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "N_plural": (1, 2), "count_text": (2, 3)}


def extracted() -> dict[tuple[str | None, str], str]:
    """(context, message id) -> where, of every message the package's code uses."""
    found = {}
    for filename, lineno, message, _, context in extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, strip_comment_tags=False):
        if filename.split("/")[0] in ("tests", "bench", ".venv", "build"):
            continue
        found.setdefault((context, message if isinstance(message, str) else message[0]), f"{filename}:{lineno}")
    return found


def vocabulary_messages() -> set[tuple[str | None, str]]:
    """The messages the outputs translate by value rather than by a literal in the code: the
    vocabulary's labels (statuses, measures, lines, places, neighbours and seas), the words of its
    ids (contexts side, recognition, control), and the data's own English
    texts the catalogue translates (contexts body, source, recognised_by)."""
    from peacemap.layers.plans.model import builtin_plan_ids, load_plan
    from peacemap.layers.plans.statuses import Recognition, Side
    from peacemap.layers.report.measures import ControlMeasure
    from peacemap.layers.sources import statements as table
    from peacemap.layers.sources.registry import sources

    known = {(None, label) for label in printed_labels().values()}
    known |= {("side", side) for side in Side} | {("recognition", r.replace("_", " ")) for r in Recognition}
    known |= {("control", c) for c in ("occupied", "held")}
    known |= {(None, measure.label) for measure in ControlMeasure}
    known |= {("body", s.body) for s in table.statements(with_claims=True)}
    plans = [load_plan(plan_id) for plan_id in builtin_plan_ids()]
    rules = [rule for plan in plans for rule in (*plan.rules.values(), plan.elsewhere, *(r for option in plan.options for r in option.rules.values()))]
    known |= {("recognised_by", part) for rule in rules for text in (rule.recognised_by, rule.occupied_recognised_by) if text for part in text.split("; ")}
    registry = list(sources().values())
    known |= {("source", text) for source in registry for text in (source.upstream, source.attribution, source.license) if text}
    return known


def test_every_message_the_code_uses_is_translated(catalogue):
    """pybabel extract's messages (literal texts in gettext calls and N_ marks) are all in the
    catalogue, translated: a Ukrainian output never falls back to an English message."""
    missing = {
        where: message
        for (context, message), where in extracted().items()
        if (catalogue.get(message, context=context) is None or not catalogue.get(message, context=context).string)
    }
    assert missing == {}


def test_the_catalogue_holds_no_message_the_code_no_longer_uses(catalogue):
    """Every message of the catalogue is one the code writes: found by the extractor, or a label of
    the vocabulary or the data translated by value."""
    used = set(extracted()) | vocabulary_messages()
    stale = [
        (message.context, message.id)
        for message in messages(catalogue)
        if (message.context, message.id if isinstance(message.id, str) else message.id[0]) not in used
    ]
    assert stale == []
