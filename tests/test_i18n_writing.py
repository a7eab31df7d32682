"""Writing in a language (issue 30, phase 2): the language a request sets for everything written
while it is served, and the pieces the outputs are made of in Ukrainian: dates as the sources give
them, statements' figures with their nouns in the right case and number, labels of maps of control,
region names, and the no-break spaces a terminal line keeps.

Expected Ukrainian texts follow the issue's conventions ("20 листопада 2025 р.", no-break spaces
between thousands) and Ukrainian grammar (a noun after "близько" in the genitive: "близько 198 500
цивільних"; after a bare figure by its plural form: "1 724 особи", "5 000 осіб"); the English ones
are what the outputs have always printed.
"""

import datetime as dt
import threading

import pytest

from peacemap.layers.errors import LanguageError
from peacemap.layers.i18n.catalogue import gettext
from peacemap.layers.i18n.dates import iso_date_text, single_stop
from peacemap.layers.i18n.language import LANG_ENV, current_language, writing_in
from peacemap.layers.i18n.names import region_label
from peacemap.layers.i18n.numbers import NBSP
from peacemap.layers.i18n.source_names import control_label_text, is_deepstate_label
from peacemap.layers.report.statement_words import statement_figure_text, statement_label
from peacemap.layers.text import printable


def nbsp(text: str) -> str:
    """An expected text with "_" where the output has a no-break space (between thousands, before "р.")."""
    return text.replace("_", NBSP)


# --- the language being written ------------------------------------------------------------------------


def test_outside_any_request_the_outputs_are_english(monkeypatch):
    monkeypatch.setenv(LANG_ENV, "uk")  # the environment chooses a request's language, not this default
    assert current_language() == "en"
    assert gettext("Headline") == "Headline"


def test_a_request_writes_in_its_language_and_gives_the_old_one_back():
    with writing_in("uk") as chosen:
        assert chosen == "uk"
        assert current_language() == "uk"
        assert gettext("Headline") == "Головне"
        with writing_in("en"):
            assert gettext("Headline") == "Headline"
        assert current_language() == "uk"
    assert current_language() == "en"


def test_an_unset_language_keeps_the_enclosing_one_else_takes_peacemap_lang(monkeypatch):
    """The command line's --lang around an API call that leaves ``lang`` unset: the API writes in it."""
    monkeypatch.setenv(LANG_ENV, "en")
    with writing_in("uk"), writing_in(None) as chosen:
        assert chosen == "uk"
    monkeypatch.setenv(LANG_ENV, "uk")
    with writing_in(None) as chosen:
        assert chosen == "uk"
    monkeypatch.delenv(LANG_ENV)
    with writing_in(None) as chosen:
        assert chosen == "en"


def test_an_unknown_language_is_refused_in_one_line(monkeypatch):
    with pytest.raises(LanguageError, match=r"^'lang' should be one of en, uk, got 'pl'$"), writing_in("pl"):
        pass
    monkeypatch.setenv(LANG_ENV, "ru")
    with pytest.raises(LanguageError, match=r"^'PEACEMAP_LANG' should be one of en, uk, got 'ru'$"), writing_in(None):
        pass


def test_each_thread_writes_in_its_own_language():
    seen = {}

    def write(lang: str) -> None:
        with writing_in(lang):
            seen[lang] = gettext("Headline")

    threads = [threading.Thread(target=write, args=(lang,)) for lang in ("uk", "en")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"uk": "Головне", "en": "Headline"}
    assert current_language() == "en"


# --- dates as the sources give them ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "english", "ukrainian"),
    [
        ("2025-11-20", "2025-11-20", "20 листопада 2025_р."),
        ("2025-02", "2025-02", "лютий 2025_р."),  # a statement dated to the month
        ("2023", "2023", "2023_р."),
        ("late November 2025", "late November 2025", "late November 2025"),  # a plan's looser date, as written
        ("", "", ""),
    ],
)
def test_an_iso_date_reads_as_each_language_writes_dates(iso, english, ukrainian):
    assert iso_date_text(iso, "en") == english
    assert iso_date_text(iso, "uk") == nbsp(ukrainian)


def test_a_sentence_ending_with_a_ukrainian_date_takes_one_stop():
    with writing_in("uk"):
        text = f"лінія зіткнення: {iso_date_text('2025-11-20')}."
    assert single_stop(text) == nbsp("лінія зіткнення: 20 листопада 2025_р.")
    assert single_stop("Ends 2025-11-20.") == "Ends 2025-11-20."  # English has no abbreviation to join


# --- official statements ----------------------------------------------------------------------------------


def statement(figure: int, qualifier: str = "", kind: str = "people", high: int | None = None, claim: bool = False) -> dict:
    return {
        "figure": figure,
        "figure_high": high,
        "qualifier": qualifier,
        "kind": kind,
        "claim": claim,
        "body": "Donetsk Oblast Military Administration",
        "statement_date": "2025-11-13",
    }


@pytest.mark.parametrize(
    ("record", "english", "ukrainian"),
    [
        (statement(198_500, "about", "civilians"), "about 198,500 civilians", "близько 198_500 цивільних"),
        (statement(1_724), "1,724 people", "1_724 особи"),
        (statement(1_101), "1,101 people", "1_101 особа"),
        (statement(5_000, "more-than"), "more than 5,000 people", "понад 5_000 осіб"),
        (statement(21, "about"), "about 21 people", "близько 21 особи"),
        (statement(500, "fewer-than"), "fewer than 500 people", "менше ніж 500 осіб"),
        (statement(60_000, "range", high=70_000), "60,000–70,000 people", "60_000–70_000 осіб"),
        (statement(3, "", "civilians"), "3 civilians", "3 цивільних"),
    ],
)
def test_a_statements_figure_takes_its_nouns_form(record, english, ukrainian):
    when = {"en": "2025-11-13", "uk": nbsp("13 листопада 2025_р.")}
    with writing_in("en"):
        assert statement_label(record) == f"{english} (Donetsk Oblast Military Administration, {when['en']})"
    with writing_in("uk"):
        assert statement_label(record) == f"{nbsp(ukrainian)} (Донецька обласна військова адміністрація, {when['uk']})"


def test_an_occupying_powers_claim_says_so_first_in_both_languages():
    record = statement(2_400_000, "", "occupying-power-claim", claim=True)
    with writing_in("uk"):
        assert statement_label(record).startswith(nbsp("ТВЕРДЖЕННЯ ОКУПАЦІЙНОЇ ВЛАДИ: 2_400_000 осіб (ТВЕРДЖЕННЯ ОКУПАЦІЙНОЇ ВЛАДИ)"))
        assert statement_figure_text(record) == nbsp("2_400_000")


def test_a_body_the_catalogue_does_not_know_stays_as_the_table_writes_it():
    with writing_in("uk"):
        assert "Some new council" in statement_label({**statement(10), "body": "Some new council"})


# --- maps of control, regions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "ukrainian"),
    [
        ("DeepState snapshot 2025-11-20", "знімок DeepState від 20 листопада 2025_р."),
        (
            "DeepState snapshot 2025-11-19 (latest on or before 2025-11-20)",
            "знімок DeepState від 19 листопада 2025_р. (останній на 20 листопада 2025_р. або раніше)",
        ),
        (
            "control file mine.geojson, layer front (sha256 0123456789ab…), as of 2025-11-20 (date vouched for, not checked)",
            "файл контролю mine.geojson, шар front (sha256 0123456789ab…), станом на 20 листопада 2025_р. (за словами користувача, не перевірено)",
        ),
        ("something else", "something else"),
    ],
)
def test_a_control_maps_label_in_ukrainian(label, ukrainian):
    with writing_in("uk"):
        assert control_label_text(label) == nbsp(ukrainian)
        assert is_deepstate_label(control_label_text(label)) is label.startswith("DeepState")
    assert control_label_text(label) == label  # English: the reader's own label


def test_regions_are_named_by_their_official_ukrainian_names():
    with writing_in("uk"):
        assert region_label("UA-14", "Donetsk") == "Донецька область"
        assert region_label("UA-14", "Donetsk", short=True) == "Донецька обл."
        assert region_label("UA-43", "AR Crimea") == "Автономна Республіка Крим"
        assert region_label("UA-40", "Sevastopol") == "м. Севастополь"
        assert region_label("XX-99", "Elsewhere") == "Elsewhere"
    assert region_label("UA-14", "Donetsk") == "Donetsk"


def test_a_terminal_line_keeps_the_figures_no_break_spaces_and_escapes_controls():
    line = f"6{NBSP}201{NBSP}км², 74,5{NBSP}% \x1b[31m"
    assert printable(line, keep_no_break_spaces=True) == f"6{NBSP}201{NBSP}км², 74,5{NBSP}% \\x1b[31m"
    assert printable(f"{NBSP}.geojson") == "\\xa0.geojson"  # a file's name: printable as str.isprintable says


def test_a_date_range_in_a_title():
    from peacemap.layers.i18n.dates import date_range_text

    with writing_in("uk"):
        assert date_range_text(dt.date(2025, 9, 1), dt.date(2025, 11, 20)) == nbsp("1 вересня_– 20 листопада 2025_р.")
    assert date_range_text(dt.date(2025, 9, 1), dt.date(2025, 11, 20)) == "2025-09-01 to 2025-11-20"


# --- the command line ------------------------------------------------------------------------------------


def test_lang_refuses_a_language_peacemap_does_not_write():
    from click.testing import CliRunner

    from peacemap.cli.main import cli

    result = CliRunner().invoke(cli, ["report", "--lang", "de"])
    assert result.exit_code == 2
    assert "'de' is not one of 'en', 'uk'" in result.output


def test_peacemap_lang_of_an_unknown_language_is_one_line_before_any_work(monkeypatch):
    from click.testing import CliRunner

    from peacemap.cli.main import cli

    monkeypatch.setenv(LANG_ENV, "fr")
    result = CliRunner().invoke(cli, ["report"])
    assert result.exit_code == 1
    assert result.output == "Error: 'PEACEMAP_LANG' should be one of en, uk, got 'fr'\n"
