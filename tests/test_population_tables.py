"""The official 2022 population tables (table 1, table 6) and the KSE hromada file, parsed and checked.

Reference figures are the official ones of the State Statistics Service of Ukraine, "Present
population of Ukraine as of January 1, 2022", table 1 (as quoted in issue 4): Donetsk 4,059,372;
Luhansk 2,102,921; Zaporizhzhia 1,638,462; Kherson 1,001,598; Ukraine 41,167,335. AR Crimea and
Sevastopol have no figure there. Cross-checks use the KSE hromada file, an independent
compilation.
"""

import numpy as np
import pandas as pd
import pytest
from reference_figures import OFFICIAL_TOTALS, UKRAINE_TOTAL

from peacemap.layers.errors import DataSourceError
from peacemap.layers.sources import population_tables as tables


@pytest.mark.parametrize("code", sorted(OFFICIAL_TOTALS))
def test_region_totals_are_the_official_figures(code):
    assert tables.read_region_totals().loc[code, "total"] == OFFICIAL_TOTALS[code]


def test_region_totals_add_up_to_ukraine_without_crimea_and_sevastopol():
    totals = tables.read_region_totals()
    assert len(totals) == 27
    assert totals.loc[["UA-43", "UA-40"], ["total", "urban", "rural"]].isna().all().all()
    assert totals["total"].sum() == UKRAINE_TOTAL


@pytest.mark.parametrize("code", sorted(OFFICIAL_TOTALS))
def test_hromadas_add_up_to_the_official_totals(code):
    hromadas = tables.read_hromada_population()
    assert hromadas.loc[hromadas["region"] == code, "population"].sum() == OFFICIAL_TOTALS[code]


def test_every_hromada_of_the_country_is_read():
    hromadas = tables.read_hromada_population()
    # 1469 hromadas in the KSE file plus Kyiv city, which table 6 lists as one unit.
    assert len(hromadas) == 1470
    assert hromadas["population"].sum() == UKRAINE_TOTAL
    assert not hromadas["region"].isin(["UA-43", "UA-40"]).any()
    assert set(hromadas["type"]) == {"міська", "селищна", "сільська"}


def _sheet(rows):
    return pd.DataFrame(rows, dtype=object)


def test_parse_survives_headers_page_breaks_and_spacing():
    sheet = _sheet(
        [
            ["6. Чисельність наявного населення", None, None],
            [None, "Осіб / Persons", None],
            ["Україна", 30, "Ukraine"],
            ["Автономна Республіка Крим", "–", "Autonomous Republic of Crimea"],
            ["Вінницька  область", 30, "Vinnytsya oblast"],
            ["Вінницький район", 30, "Vinnytskyi district"],
            ["Агрономічна сільська ТГ", 10, "Ahronomichna rural TC"],
            [None, None, None],  # page break
            [None, "Осіб / Persons", "(на 1 січня 2022 / as of January 1, 2022)"],  # repeated header
            ["Вінницька міська  ТГ", " 20", "Vinnytska urban TC"],
        ]
    )
    hromadas, subtotals = tables.parse_hromada_population(sheet)
    assert hromadas[["region", "stem", "type", "population"]].values.tolist() == [
        ["UA-05", "агрономічна", "сільська", 10.0],
        ["UA-05", "вінницька", "міська", 20.0],
    ]
    assert subtotals["region"].tolist() == ["UA-43", "UA-05", "UA-05"]
    assert np.isnan(subtotals["population"].iloc[0])  # Crimea: "–", not available, not zero
    assert subtotals["population"].iloc[1:].tolist() == [30.0, 30.0]


def test_sums_that_disagree_are_reported():
    sheet = _sheet([["Вінницька область", 31, ""], ["Вінницький район", 30, ""], ["Агрономічна сільська ТГ", 30, ""]])
    hromadas, subtotals = tables.parse_hromada_population(sheet)
    totals = pd.DataFrame({"total": [31.0]}, index=["UA-05"])
    with pytest.raises(DataSourceError, match="hromadas of UA-05 add up to 30"):
        tables.check_hromada_sums(hromadas, subtotals, totals)


def test_a_hromada_row_without_a_type_is_reported():
    sheet = _sheet([["Вінницька область", 1, ""], ["Вінницький район", 1, ""], ["Агрономічна ТГ", 1, ""]])
    with pytest.raises(DataSourceError, match="'Агрономічна ТГ' does not end in '<type> ТГ'"):
        tables.parse_hromada_population(sheet)


def test_names_are_normalised_across_apostrophes_and_latin_lookalikes():
    assert tables.normalise_name("Слов’янська") == tables.normalise_name("Слов'янська")
    assert tables.normalise_name("Вiйтовецька") == "війтовецька"  # Latin i in the KSE file


# --- placement ---------------------------------------------------------------------------------


# --- table 5: cities and urban-type settlements -------------------------------------------------
# Ukraine's urban population on 1 January 2022 (table 1 of the collection): 28,693,708.
UKRAINE_URBAN = 28_693_708


def test_cities_and_towns_add_up_to_the_official_urban_population():
    settlements = tables.read_settlements()
    assert settlements["population"].sum() == UKRAINE_URBAN
    official = tables.read_region_totals()["urban"].dropna()
    by_region = settlements.groupby("region")["population"].sum()
    assert (by_region.reindex(official.index) == official).all()


@pytest.mark.parametrize(
    ("name", "population"),
    [
        # Table 5 of the 2022 collection, Kramatorskyi district of Donetsk oblast.
        ("Краматорськ", 147_145),
        ("Слов'янськ", 105_141),
        ("Дружківка", 53_977),
        ("Костянтинівка", 67_350),
    ],
)
def test_the_dmz_cities_are_read_with_their_official_population(name, population):
    settlements = tables.read_settlements()
    found = settlements[(settlements["region"] == "UA-14") & (settlements["name_uk"].map(tables.normalise_name) == tables.normalise_name(name))]
    assert found["population"].tolist() == [population]
    assert found["raion_uk"].tolist() == ["Краматорський район"]


def test_kyiv_city_is_its_own_city_and_crimea_has_none():
    settlements = tables.read_settlements()
    assert settlements.loc[settlements["region"] == "UA-30", "population"].tolist() == [2_952_301]
    assert not settlements["region"].isin(["UA-43", "UA-40"]).any()


def test_table_5_rows_are_parsed_with_their_notes():
    sheet = _sheet(
        [
            ["5. Чисельність наявного населення", None, None],
            ["Донецька область", 40, "Donetska oblast"],
            ["Міське населення", 30, "Urban population"],
            ["Сільське населення", 10, "Rural population"],
            ["м. Прип'ять", "–", "city Prypiat"],  # no figure, before any raion: skipped, not zero
            ["Краматорський район", 40, "Kramatorskyi  district"],
            ["Міське населення", 30, "Urban population"],
            ["м. Краматорськ", 20, "city Kramatorsk"],
            ["смт Олександрівка", 4, "stlmt Oleksandrivka"],
            ["(Краматорської міської", None, "(Kramatorskoi miskoi"],
            ["територіальної громади)", None, "terytorialnoi hromady)"],
            ["смт Нью-Йорк (Новгородське)", 6, "stlmt Nʹyu-York (Novhorodske)"],
            ["Сільське населення", 10, "Rural population"],
        ]
    )
    settlements, subtotals = tables.parse_settlements(sheet)
    assert settlements[["name_uk", "name_en", "kind", "hromada_stem", "other_name_uk", "population"]].values.tolist() == [
        ["Краматорськ", "Kramatorsk", "city", "", "", 20.0],
        ["Олександрівка", "Oleksandrivka", "urban-type settlement", "краматорська", "", 4.0],
        ["Нью-Йорк", "Nʹyu-York", "urban-type settlement", "", "Новгородське", 6.0],
    ]
    assert subtotals[["level", "total", "urban", "rural"]].values.tolist() == [["region", 40, 30, 10], ["raion", 40, 30, 10]]
    totals = pd.DataFrame({"total": [40.0], "urban": [30.0]}, index=["UA-14"])
    tables.check_settlement_sums(settlements, subtotals, totals)


def test_table_5_sums_that_disagree_are_reported():
    sheet = _sheet(
        [
            ["Донецька область", 40, ""],
            ["Міське населення", 30, ""],
            ["Сільське населення", 10, ""],
            ["Краматорський район", 40, ""],
            ["Міське населення", 30, ""],
            ["м. Краматорськ", 29, ""],
            ["Сільське населення", 10, ""],
        ]
    )
    settlements, subtotals = tables.parse_settlements(sheet)
    with pytest.raises(DataSourceError, match="cities and towns add up to 29"):
        tables.check_settlement_sums(settlements, subtotals, pd.DataFrame({"total": [40.0], "urban": [30.0]}, index=["UA-14"]))
