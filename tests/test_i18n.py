"""The language layer (layers/i18n): choosing a language, numbers, dates, plurals and region names
in English and Ukrainian (issue 30).

The expected Ukrainian texts are the conventions issue 30 sets ("6 201 км²", "74,5 %",
"20 листопада 2025 р.", "1 громада", "2 громади", "5 громад") and Ukrainian grammar; the
English ones are what layers/report/format.py has always printed, checked against it directly.
"""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peacemap.layers.errors import LanguageError, PeacemapError
from peacemap.layers.i18n.catalogue import count_text, gettext, ngettext, pgettext, translator
from peacemap.layers.i18n.dates import date_range_text, date_text
from peacemap.layers.i18n.language import DEFAULT_LANGUAGE, LANG_ENV, LANGUAGES, check_language, language_from_env
from peacemap.layers.i18n.names import REGION_NAMES_UK, REGION_SHORT_NAMES_UK, region_name
from peacemap.layers.i18n.numbers import NBSP, band_text, km2_text, number_text, percent_text, unit_text
from peacemap.layers.report import format as english
from peacemap.layers.sources.codes import CRIMEA_WITH_SEVASTOPOL, REGION_NAMES


def nbsp(text: str) -> str:
    """An expected text written with plain spaces, with the no-break spaces the output has."""
    return text.replace(" ", NBSP)


# --- the language ---------------------------------------------------------------------------


def test_languages_are_english_and_ukrainian():
    assert LANGUAGES == ("en", "uk")
    assert DEFAULT_LANGUAGE == "en"
    assert check_language(" UK ") == "uk"
    assert check_language("en") == "en"


@pytest.mark.parametrize("given_lang", ["de", "ru", "", "ua", None, 1, "uk-UA"])
def test_other_languages_are_refused_in_one_line(given_lang):
    with pytest.raises(LanguageError) as raised:
        check_language(given_lang)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("'lang' should be one of en, uk, got ")
    assert repr(given_lang) in message
    assert isinstance(raised.value, PeacemapError)
    assert isinstance(raised.value, ValueError)


def test_peacemap_lang_chooses_the_language():
    assert language_from_env({}) == "en"
    assert language_from_env({LANG_ENV: ""}) == "en"
    assert language_from_env({LANG_ENV: "uk"}) == "uk"
    with pytest.raises(LanguageError, match=r"^'PEACEMAP_LANG' should be one of en, uk, got 'pl'$"):
        language_from_env({LANG_ENV: "pl"})


def test_peacemap_lang_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv(LANG_ENV, "uk")
    assert language_from_env() == "uk"
    monkeypatch.delenv(LANG_ENV)
    assert language_from_env() == "en"


def test_every_function_refuses_an_unknown_language():
    for call in (
        lambda: km2_text(1.0, "fr"),
        lambda: date_text(dt.date(2025, 1, 1), "fr"),
        lambda: gettext("Area", "fr"),
        lambda: region_name("UA-14", "fr"),
        lambda: translator("fr"),
    ):
        with pytest.raises(LanguageError, match="got 'fr'"):
            call()


# --- numbers (issue 30: "120 275 км²", "6 201 км²", "74,5 %", "682 909") ----------------------


def test_ukrainian_figures_use_a_no_break_space_and_a_decimal_comma():
    assert km2_text(120_275.3, "uk") == nbsp("120 275 км²")
    assert km2_text(6_201.49, "uk") == nbsp("6 201 км²")
    assert km2_text(87.0, "uk") == nbsp("87 км²")
    assert number_text(682_909, "uk") == nbsp("682 909")
    assert number_text(32_309_284, "uk") == nbsp("32 309 284")
    assert percent_text(74.54, "uk") == nbsp("74,5 %")
    assert percent_text(1.0327, "uk", places=2) == nbsp("1,03 %")
    assert unit_text(0.5, "km", "uk", places=1) == nbsp("0,5 км")
    assert km2_text(None, "uk") == km2_text(None, "en") == "–"


def test_the_band_is_written_as_issue_30_shows_it():
    # No-break spaces within the figures and before the dash; plain ones where the line may break.
    assert band_text(682_909, 675_369, 725_024, "uk") == f"682{NBSP}909 (675{NBSP}369{NBSP}– 725{NBSP}024)"
    assert band_text(682_909, 675_369, 725_024, "uk").replace(NBSP, " ") == "682 909 (675 369 – 725 024)"
    assert band_text(2_102_921, 2_102_921, 2_102_921, "uk") == nbsp("2 102 921")  # whole regions: no band
    assert band_text(745, None, None, "uk") == "745"


def test_english_is_written_as_format_py_writes_it():
    assert km2_text(6_201.49, "en") == english.km2_text(6_201.49) == "6,201 km²"
    figures = {"population_2022": 682_909, "population_2022_low": 675_369, "population_2022_high": 725_024}
    assert band_text(682_909, 675_369, 725_024, "en") == english.people_text(figures) == "682,909 (675,369 – 725,024)"
    assert percent_text(74.54, "en") == "74.5%"


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_english_km2_is_byte_for_byte_format_py(area_km2):
    assert km2_text(area_km2, "en") == english.km2_text(area_km2)


@given(st.integers(min_value=0, max_value=50_000_000), st.integers(min_value=0, max_value=50_000_000), st.integers(min_value=0, max_value=50_000_000))
def test_english_band_is_byte_for_byte_format_py(value, low, high):
    figures = {"population_2022": value, "population_2022_low": low, "population_2022_high": high}
    assert band_text(value, low, high, "en") == english.people_text(figures)


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False), st.integers(min_value=0, max_value=3))
def test_a_figure_reads_the_same_number_in_both_languages(value, places):
    """Only the separators differ: the digits, rounded once, are the same in English and Ukrainian."""
    english_digits = number_text(value, "en", places=places).replace(",", "")
    ukrainian_digits = number_text(value, "uk", places=places).replace(NBSP, "").replace(",", ".")
    assert ukrainian_digits == english_digits


def test_a_half_is_rounded_once_the_same_way_in_both_languages():
    # 2.675 is 2.67499999… in binary: Python's format gives 2.67; Babel's decimal rounding of
    # its repr would give 2,68. Both languages must say 2.67.
    assert number_text(2.675, "en", places=2) == "2.67"
    assert number_text(2.675, "uk", places=2) == "2,67"


def test_large_integers_are_written_exactly():
    assert number_text(10**17 + 1, "uk") == nbsp("100 000 000 000 000 001")


def test_an_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="'unit' should be one of km2, km, got 'mi'"):
        unit_text(1, "mi", "uk")


# --- dates ("20 листопада 2025 р.", month names in the genitive) ------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 11, 20), "20 листопада 2025 р."),
        (dt.date(2022, 1, 1), "1 січня 2022 р."),
        (dt.date(2024, 7, 8), "8 липня 2024 р."),
        (dt.date(2025, 12, 24), "24 грудня 2025 р."),
        (dt.date(2025, 5, 3), "3 травня 2025 р."),
        (dt.date(2023, 6, 6), "6 червня 2023 р."),
    ],
)
def test_ukrainian_dates_give_the_month_in_the_genitive(day, expected):
    text = date_text(day, "uk")
    assert text.replace(NBSP, " ") == expected
    assert text.endswith(f"{day.year}{NBSP}р.")  # the year and "р." never part at a line end
    assert date_text(day, "en") == day.isoformat()


def test_ukrainian_date_ranges_write_what_the_dates_share_once():
    def uk(first, last):
        return date_range_text(first, last, "uk").replace(NBSP, " ")

    assert uk(dt.date(2025, 11, 20), dt.date(2025, 11, 24)) == "20–24 листопада 2025 р."
    assert uk(dt.date(2025, 11, 20), dt.date(2025, 12, 24)) == "20 листопада – 24 грудня 2025 р."
    assert uk(dt.date(2024, 7, 8), dt.date(2025, 12, 24)) == "8 липня 2024 р. – 24 грудня 2025 р."
    assert uk(dt.date(2025, 11, 20), dt.date(2025, 11, 20)) == "20 листопада 2025 р."
    assert date_range_text(dt.date(2025, 11, 20), dt.date(2025, 11, 24), "en") == "2025-11-20 to 2025-11-24"


def test_a_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="'last' should be on or after 'first' \\(2025-11-20\\), got 2025-11-01"):
        date_range_text(dt.date(2025, 11, 20), dt.date(2025, 11, 1), "uk")


# --- plurals (Ukrainian has three forms) --------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 громада"),
        (2, "2 громади"),
        (4, "4 громади"),
        (5, "5 громад"),
        (11, "11 громад"),
        (12, "12 громад"),
        (14, "14 громад"),
        (21, "21 громада"),
        (22, "22 громади"),
        (25, "25 громад"),
        (0, "0 громад"),
        (101, "101 громада"),
        (111, "111 громад"),
        (1472, "1 472 громади"),
    ],
)
def test_ukrainian_plurals(count, expected):
    assert count_text(count, "%(count)s hromada", "%(count)s hromadas", "uk").replace(NBSP, " ") == expected


@pytest.mark.parametrize(("count", "expected"), [(1, "1 день"), (3, "3 дні"), (11, "11 днів"), (31, "31 день"), (644, "644 дні")])
def test_days_take_their_plural_too(count, expected):
    assert count_text(count, "%(count)s day", "%(count)s days", "uk") == expected


def test_english_plurals_are_the_message_ids():
    assert count_text(1, "%(count)s hromada", "%(count)s hromadas", "en") == "1 hromada"
    assert count_text(1472, "%(count)s hromada", "%(count)s hromadas", "en") == "1,472 hromadas"
    assert ngettext("a", "b", 2, "en") == "b"


# --- messages -----------------------------------------------------------------------------------


def test_english_messages_are_returned_as_they_are():
    assert gettext("Returned to Ukraine", "en") == "Returned to Ukraine"
    assert gettext("a message no catalogue has", "uk") == "a message no catalogue has"  # gettext's fallback


def test_ukrainian_messages_come_from_the_catalogue():
    assert gettext("Returned to Ukraine", "uk") == "Повернуто Україні"
    assert gettext("Line of contact", "uk") == "Лінія зіткнення"
    assert pgettext("side", "russian", "uk") == "російський"
    assert pgettext("recognition", "none", "uk") == "немає"
    assert translator("uk") is translator(" uk")  # read once


# --- region names -------------------------------------------------------------------------------


def test_every_region_has_a_ukrainian_name_and_a_short_one():
    assert set(REGION_NAMES_UK) == set(REGION_SHORT_NAMES_UK) == set(REGION_NAMES)
    assert region_name("UA-14", "uk") == "Донецька область"
    assert region_name("UA-14", "uk", short=True) == "Донецька обл."
    assert region_name("UA-14", "en") == region_name("UA-14", "en", short=True) == "Donetsk"


def test_crimea_sevastopol_and_kyiv_take_ukraines_official_names():
    assert region_name("UA-43", "uk") == "Автономна Республіка Крим"
    assert region_name("UA-40", "uk") == "м. Севастополь"
    assert region_name("UA-30", "uk") == "м. Київ"
    assert region_name("UA-32", "uk") == "Київська область"
    assert region_name(CRIMEA_WITH_SEVASTOPOL, "uk") == "Крим (Автономна Республіка Крим і м. Севастополь)"


def test_an_unknown_region_is_refused():
    with pytest.raises(KeyError, match="got 'UA-99'"):
        region_name("UA-99", "uk")
