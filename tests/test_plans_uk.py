"""Plan files in Ukrainian (issue 30): optional title_uk, summary_uk, notes_uk (peacemap's own
words) and, per provision, text_uk quoting a Ukrainian text as published, which the plan must cite
in [source_uk]; checked like the English fields."""

import copy
import re
import tomllib
from importlib import resources

import pytest

from peacemap.layers.errors import PlanError
from peacemap.layers.plans.model import builtin_plan_ids, load_plan, parse_plan

CYRILLIC = re.compile("[а-яіїєґ]", re.IGNORECASE)


def shipped_document(plan_id):
    return tomllib.loads(resources.files("peacemap.layers.plans").joinpath("builtin", f"{plan_id}.toml").read_text(encoding="utf-8"))


PLAN20 = shipped_document("plan20")
PLAN28 = shipped_document("plan28")


def refused(document, *fragments):
    with pytest.raises(PlanError) as info:
        parse_plan(document, label="my-plan.toml")
    message = str(info.value)
    assert message.isprintable()
    assert message.startswith("my-plan.toml: ")
    for fragment in fragments:
        assert fragment in message, (fragment, message)


@pytest.mark.parametrize("plan_id", builtin_plan_ids())
def test_every_shipped_plan_has_a_ukrainian_title_and_summary(plan_id):
    plan = load_plan(plan_id)
    assert CYRILLIC.search(plan.title_uk)
    assert CYRILLIC.search(plan.summary_uk)
    assert len(plan.notes_uk) == len(plan.notes)  # each note in both languages
    assert all(CYRILLIC.search(note) for note in plan.notes_uk)


@pytest.mark.parametrize("plan_id", builtin_plan_ids())
def test_every_ukrainian_quote_of_a_shipped_plan_cites_where_it_was_published(plan_id):
    plan = load_plan(plan_id)
    quoted = [provision for provision in plan.provisions if provision.text_uk]
    assert plan.has_ukrainian_text() == bool(quoted)
    if quoted:
        assert plan.source_uk["url"].startswith("https://")
        assert plan.source_uk["published"]
        assert plan.source_uk["name"]
        assert all(CYRILLIC.search(provision.text_uk) for provision in quoted)
    else:
        assert plan.source_uk == {}


def test_plan20_quotes_its_line_of_contact_as_published_in_ukrainian():
    plan = load_plan("plan20")
    assert plan.provision("line").text_uk.startswith("У Донецькій, Луганській, Запорізькій, Херсонській областях лінія розташування військ")
    assert "objectiv.tv" in plan.source_uk["url"]
    assert plan.source_uk["published"].isoformat() == "2025-12-24"


def test_a_plan_without_ukrainian_fields_still_validates():
    document = {key: value for key, value in PLAN28.items() if not key.endswith("_uk")}
    plan = parse_plan(document)
    assert (plan.title_uk, plan.summary_uk, plan.notes_uk, plan.source_uk, plan.has_ukrainian_text()) == ("", "", (), {}, False)


def test_a_ukrainian_quote_without_its_source_is_refused():
    document = copy.deepcopy(PLAN28)
    document["provisions"][0]["text_uk"] = "Текст українською."
    refused(document, "'provisions[0].text_uk' quotes a Ukrainian text", "no [source_uk]")


def test_a_source_without_a_quote_is_refused():
    document = copy.deepcopy(PLAN20)
    del document["provisions"][0]["text_uk"]
    refused(document, "'source_uk' cites a Ukrainian text, but no provision quotes one")


def test_a_source_that_cannot_be_checked_is_refused():
    document = copy.deepcopy(PLAN20)
    del document["source_uk"]["url"], document["source_uk"]["published"]
    refused(document, "'source_uk' names no url and no published date")


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("source_uk.url", "ftp://example.org", "'source_uk.url'"),
        ("source_uk.published", 2025, "'source_uk.published'"),
        ("source_uk.name", "", "'source_uk.name' is empty"),
        ("source_uk.publisher", "x", "unknown field(s) 'publisher' at source_uk"),
        ("provisions.0.text_uk", "  ", "'provisions[0].text_uk' is empty"),
        ("title_uk", "", "'title_uk' is empty"),
        ("title_uk", "Рядок\nрозірвано", "'title_uk' holds control character U+000A"),
        ("notes_uk", "одна примітка", "'notes_uk' is 'одна примітка' (a string); expected a list of strings"),
    ],
)
def test_malformed_ukrainian_fields_are_refused(field, value, fragment):
    document = copy.deepcopy(PLAN20)
    *path, last = [int(step) if step.isdigit() else step for step in field.split(".")]
    target = document
    for step in path:
        target = target[step]
    target[last] = value
    refused(document, fragment)


@pytest.mark.parametrize("field", ["summary_uk", "notes_uk.0", "provisions.0.text_uk"])
def test_long_ukrainian_texts_may_hold_newlines(field):
    document = copy.deepcopy(PLAN20)
    *path, last = [int(step) if step.isdigit() else step for step in field.split(".")]
    target = document
    for step in path:
        target = target[step]
    target[last] = "Перший рядок,\n\tдругий рядок."
    parse_plan(document)
