"""Official population tables: the 2022 collection of the State Statistics Service of Ukraine
(table 1 by region, table 5 by city and town, table 6 by hromada) and the KSE hromada dataset,
parsed and checked.

- ``population-ukrstat-2022``: present population on 1 January 2022. Table 1 (sheet ``"6"``):
  every region's total, urban and rural population. Table 6 (sheet ``"48-81"``): every hromada
  (territorial community, ТГ) with its population, including those in the areas of Donetsk and
  Luhansk oblasts occupied since 2014. AR Crimea and Sevastopol have no figure (``…``/``–``):
  they are reported as not available, never as zero. Table 5 (sheet ``"12-47"``): every city
  (``м.``) and urban-type settlement (``смт``) with its population, by region and raion.
- ``hromadas-kse``: KSE-Loc-Data-Hub hromada dataset: centre coordinates, area (``square``,
  km²) and urban population of the 1469 hromadas government-controlled in 2020.
"""

from __future__ import annotations

import logging
import math
import re

import numpy as np
import pandas as pd

from peacemap.layers.errors import DataSourceError
from peacemap.layers.settings import memoized
from peacemap.layers.sources import registry
from peacemap.layers.sources.codes import CRIMEA, SEVASTOPOL

logger = logging.getLogger(__name__)

POPULATION_SOURCE = "population-ukrstat-2022"
KSE_SOURCE = "hromadas-kse"
TABLE_1_SHEET = "6"
TABLE_5_SHEET = "12-47"
TABLE_6_SHEET = "48-81"
KYIV_CITY = "UA-30"

# Ukrainian region names as the tables spell them (lower case, without "область"), by ISO 3166-2.
REGION_CODES_UK = {
    "вінницька": "UA-05",
    "волинська": "UA-07",
    "луганська": "UA-09",
    "дніпропетровська": "UA-12",
    "донецька": "UA-14",
    "житомирська": "UA-18",
    "закарпатська": "UA-21",
    "запорізька": "UA-23",
    "івано-франківська": "UA-26",
    "м.київ": KYIV_CITY,
    "київська": "UA-32",
    "кіровоградська": "UA-35",
    "м.севастополь": SEVASTOPOL,
    "автономнареспублікакрим": CRIMEA,
    "львівська": "UA-46",
    "миколаївська": "UA-48",
    "одеська": "UA-51",
    "полтавська": "UA-53",
    "рівненська": "UA-56",
    "сумська": "UA-59",
    "тернопільська": "UA-61",
    "харківська": "UA-63",
    "херсонська": "UA-65",
    "хмельницька": "UA-68",
    "черкаська": "UA-71",
    "чернігівська": "UA-74",
    "чернівецька": "UA-77",
}
NOT_AVAILABLE_REGIONS = (CRIMEA, SEVASTOPOL)
# Hromada types in table 6 ("<name> <type> ТГ") and in the KSE file's ``type`` column.
HROMADA_TYPES = ("міська", "селищна", "сільська")

# Placement methods, in the ``placement`` column of the centres.

_APOSTROPHES = re.compile("[’'ʼ`´]")
_SPACES = re.compile(r"\s+")
CYRILLIC = re.compile("[а-яіїєґ]")
_LATIN_LOOKALIKES = str.maketrans("aceiopxy", "асеіорху")


def normalise_name(text: str) -> str:
    """Lower-case a Ukrainian name, unify apostrophes and collapse white space."""
    text = _APOSTROPHES.sub("'", str(text)).replace("\u00a0", " ")
    text = _SPACES.sub(" ", text).strip().lower()
    if CYRILLIC.search(text):  # Latin look-alikes typed into Cyrillic names ("вiйтовецька")
        text = text.translate(_LATIN_LOOKALIKES)
    return text


def region_code(name_uk: str) -> str:
    """ISO 3166-2 code of a region named in Ukrainian as in the 2022 tables.

    Raises
    ------
    DataSourceError
        If ``name_uk`` is no known region name.
    """
    key = normalise_name(name_uk).replace(" область", "").replace(" (міськрада)", "").replace(" ", "")
    if key not in REGION_CODES_UK:
        raise DataSourceError(f"population table: region name {name_uk!r} is not a known region name")
    return REGION_CODES_UK[key]


def _count(value: object) -> float:
    """A population cell as a number: NaN for the table's not-available marks (…, –, х)."""
    if isinstance(value, (int, np.integer)):
        return float(value)
    if isinstance(value, float):
        return value
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if text.isdigit():
        return float(text)
    return math.nan


@memoized
def _sheet(name: str) -> pd.DataFrame:
    path = registry.fetch(POPULATION_SOURCE)
    return pd.read_excel(path, sheet_name=name, header=None, dtype=object)


def parse_region_totals(sheet: pd.DataFrame) -> pd.DataFrame:
    """Table 1 as one row per region.

    Parameters
    ----------
    sheet
        Sheet ``"6"`` of the 2022 collection, read without a header (Ukrainian region name in
        column 0, total/urban/rural population in columns 1-3, English name in column 6).

    Returns
    -------
    DataFrame
        Index ``code`` (ISO 3166-2), columns ``name_en``, ``total``, ``urban``, ``rural``
        (persons; NaN where the table has none: AR Crimea, Sevastopol, Kyiv's rural).
    """
    rows = []
    for values in sheet.itertuples(index=False):
        name = values[0]
        if not isinstance(name, str) or normalise_name(name) in ("", "україна"):
            continue
        try:
            code = region_code(name)
        except DataSourceError:
            continue  # titles and column headers
        rows.append({"code": code, "name_en": str(values[6]).strip(), "total": _count(values[1]), "urban": _count(values[2]), "rural": _count(values[3])})
    totals = pd.DataFrame(rows).set_index("code").sort_index()
    _check_region_rows(totals, "table 1 (sheet '6')")
    return totals


def _check_region_rows(frame: pd.DataFrame, where: str) -> None:
    expected = set(REGION_CODES_UK.values())
    if set(frame.index) != expected or frame.index.has_duplicates:
        missing = sorted(expected - set(frame.index))
        raise DataSourceError(f"{where}: expected one row for each of 27 regions; missing {missing}, got {len(frame)} rows")


@memoized
def read_region_totals() -> pd.DataFrame:
    """Official 1 January 2022 population of each region (table 1); see :func:`parse_region_totals`.

    Rows for AR Crimea (UA-43) and Sevastopol (UA-40) are NaN: the table has no figure for them.
    The urban and rural columns are checked to add up to the total.
    """
    totals = parse_region_totals(_sheet(TABLE_1_SHEET))
    known = totals.dropna(subset=["total"])
    sums = known["urban"] + known["rural"].fillna(0.0)
    bad = known.index[sums != known["total"]]
    if len(bad):
        raise DataSourceError(f"table 1: urban + rural differs from the total for {list(bad)}")
    ukraine = _ukraine_total(_sheet(TABLE_1_SHEET))
    if known["total"].sum() != ukraine:
        raise DataSourceError(f"table 1: regions add up to {known['total'].sum():,.0f}, the Ukraine row says {ukraine:,.0f}")
    return totals


def _ukraine_total(sheet: pd.DataFrame) -> float:
    for values in sheet.itertuples(index=False):
        if isinstance(values[0], str) and normalise_name(values[0]) == "україна":
            return _count(values[1])
    raise DataSourceError("population table: no 'Україна' row")


def _row_kind(name: str) -> str:
    text = normalise_name(name)
    if text.endswith(" тг"):
        return "hromada"
    if text.endswith(" район"):
        return "raion"
    if text == "україна":
        return "country"
    try:
        region_code(text)
    except DataSourceError:
        return "other"
    return "region"


def _split_hromada_name(name: str) -> tuple[str, str]:
    """``'Агрономічна сільська ТГ'`` -> (``'агрономічна'``, ``'сільська'``)."""
    words = normalise_name(name)[: -len(" тг")].split(" ")
    if len(words) < 2 or words[-1] not in HROMADA_TYPES:
        raise DataSourceError(f"table 6: hromada row {name!r} does not end in '<type> ТГ' with a type in {HROMADA_TYPES}")
    return " ".join(words[:-1]), words[-1]


def parse_hromada_population(sheet: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Table 6 as one row per hromada, plus the table's own region and raion rows.

    Parameters
    ----------
    sheet
        Sheet ``"48-81"`` read without a header: Ukrainian name in column 0, population in
        column 1, English name in column 2; titles, blank and page-break rows are skipped.

    Returns
    -------
    hromadas
        Columns ``region`` (ISO 3166-2), ``raion_uk``, ``raion_en``, ``name_uk``, ``stem``
        (normalised name without type), ``type`` (міська/селищна/сільська), ``name_en``,
        ``population`` (persons). Kyiv city, which has no hromada rows, is one hromada.
    subtotals
        Columns ``level`` (``region``/``raion``), ``region``, ``raion_uk``, ``population`` as
        printed (NaN where the table has none).
    """
    hromadas, subtotals = [], []
    region = raion = raion_en = None
    for values in sheet.itertuples(index=False):
        name = values[0]
        if not isinstance(name, str) or not name.strip():
            continue
        kind = _row_kind(name)
        if kind == "region":
            region, raion, raion_en = region_code(name), None, None
            subtotals.append({"level": "region", "region": region, "raion_uk": None, "population": _count(values[1])})
            if region == KYIV_CITY:  # the capital is one hromada and has no rows of its own
                hromadas.append(_hromada_row(region, None, None, "Київська міська ТГ", "Kyivska urban TC", values[1]))
        elif kind == "raion":
            raion, raion_en = name.strip(), str(values[2]).strip()
            subtotals.append({"level": "raion", "region": region, "raion_uk": raion, "population": _count(values[1])})
        elif kind == "hromada":
            if region is None or raion is None:
                raise DataSourceError(f"table 6: hromada row {name!r} comes before any region or raion row")
            hromadas.append(_hromada_row(region, raion, raion_en, name, values[2], values[1]))
    return pd.DataFrame(hromadas), pd.DataFrame(subtotals)


def _hromada_row(region: str, raion: str | None, raion_en: str | None, name: str, name_en: object, count: object) -> dict:
    stem, kind = _split_hromada_name(name)
    population = _count(count)
    if math.isnan(population):
        raise DataSourceError(f"table 6: hromada {name!r} ({region}) has no population figure, got {count!r}")
    return {
        "region": region,
        "raion_uk": raion,
        "raion_en": raion_en,
        "name_uk": _SPACES.sub(" ", name.strip()),
        "stem": stem,
        "type": kind,
        "name_en": str(name_en).strip(),
        "population": population,
    }


def check_hromada_sums(hromadas: pd.DataFrame, subtotals: pd.DataFrame, totals: pd.DataFrame) -> None:
    """Raise DataSourceError unless hromadas add up to every raion row, region row and table 1 total."""
    by_raion = hromadas.groupby(["region", "raion_uk"])["population"].sum()
    for row in subtotals[subtotals["level"] == "raion"].itertuples():
        if by_raion.get((row.region, row.raion_uk), 0.0) != row.population:
            raise DataSourceError(
                f"table 6: hromadas of {row.raion_uk} ({row.region}) add up to "
                f"{by_raion.get((row.region, row.raion_uk), 0.0):,.0f}, the raion row says {row.population:,.0f}"
            )
    by_region = hromadas.groupby("region")["population"].sum()
    for row in subtotals[subtotals["level"] == "region"].itertuples():
        official = totals.loc[row.region, "total"]
        if math.isnan(official) and row.region not in by_region.index:
            continue
        if by_region.get(row.region) != row.population or row.population != official:
            raise DataSourceError(
                f"table 6: hromadas of {row.region} add up to {by_region.get(row.region)}, the region row says {row.population}, table 1 says {official}"
            )


@memoized
def read_hromada_population() -> pd.DataFrame:
    """Every hromada's official 1 January 2022 population (table 6), checked against tables 1 and 6.

    Returns
    -------
    DataFrame
        See :func:`parse_hromada_population`; the hromadas of each region add up exactly to the
        region's total in table 1 and of each raion to the raion row.
    """
    hromadas, subtotals = parse_hromada_population(_sheet(TABLE_6_SHEET))
    check_hromada_sums(hromadas, subtotals, read_region_totals())
    logger.debug("table 6: %d hromadas, %s persons", len(hromadas), f"{hromadas['population'].sum():,.0f}")
    return hromadas


@memoized
def read_kse_hromadas() -> pd.DataFrame:
    """The KSE hromada dataset, reduced to what placement needs.

    Returns
    -------
    DataFrame
        Columns ``region`` (ISO 3166-2), ``raion`` (normalised name), ``stem`` (normalised
        hromada name), ``type``, ``centre`` (centre settlement, Ukrainian), ``lon``, ``lat``
        (centre, EPSG:4326 degrees), ``square_km2`` (NaN for the 31 hromadas occupied before 2022),
        ``kse_total``, ``kse_urban`` (2022 population, persons), ``occupied_before_2022``.
    """
    raw = pd.read_csv(registry.fetch(KSE_SOURCE), dtype={"hromada_code": str})
    needed = [
        "oblast_name",
        "raion_name",
        "hromada_name",
        "type",
        "hromada_center",
        "lon_center",
        "lat_center",
        "square",
        "total_popultaion_2022",
        "urban_popultaion_2022.x",
        "occipied_before_2022",
    ]
    missing = [column for column in needed if column not in raw.columns]
    if missing:
        raise DataSourceError(f"{KSE_SOURCE}: expected columns {missing}, not in the file")
    return pd.DataFrame(
        {
            "region": raw["oblast_name"].map(region_code),
            "raion": raw["raion_name"].map(normalise_name),
            "stem": raw["hromada_name"].map(normalise_name),
            "type": raw["type"].map(normalise_name),
            "centre": raw["hromada_center"].astype(str).str.strip(),
            "lon": raw["lon_center"].astype(float),
            "lat": raw["lat_center"].astype(float),
            "square_km2": raw["square"].astype(float),
            "kse_total": raw["total_popultaion_2022"].astype(float),
            "kse_urban": raw["urban_popultaion_2022.x"].astype(float),
            "occupied_before_2022": raw["occipied_before_2022"].astype(bool),
        }
    )


# Table 5: rows of settlements start with their kind; a city is "м.", an urban-type settlement "смт".
SETTLEMENT_KINDS = {"м.": "city", "смт": "urban-type settlement"}
_SETTLEMENT = re.compile(r"^(м\.|смт)\s*(.+)$")
_URBAN_ROW, _RURAL_ROW = "міське населення", "сільське населення"


def parse_settlements(sheet: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Table 5 as one row per city and urban-type settlement, plus its region and raion rows.

    Parameters
    ----------
    sheet
        Sheet ``"12-47"`` read without a header: Ukrainian name in column 0 (``м. Краматорськ``,
        ``смт Біленьке``; a region, raion, ``Міське населення`` or ``Сільське населення`` row),
        population in column 1, English name in column 2. A settlement whose name the table
        qualifies by its hromada on the next lines (``(Краматорської міської`` /
        ``територіальної громади)``) carries that hromada's name stem.

    Returns
    -------
    settlements
        Columns ``region`` (ISO 3166-2), ``raion_uk``, ``raion_en`` (None for Kyiv city),
        ``kind`` (city / urban-type settlement), ``name_uk``, ``name_en``, ``other_name_uk`` (the
        name in brackets, e.g. a former name; "" if none), ``hromada_stem`` (normalised
        adjective of the hromada the table names, "" if none), ``population`` (persons; rows the
        table leaves without a figure, such as Prypiat, are dropped).
    subtotals
        Columns ``level`` (region/raion), ``region``, ``raion_uk``, ``total``, ``urban``,
        ``rural`` as printed (NaN where the table has none).
    """
    settlements: list[dict] = []
    subtotals: list[dict] = []
    region = raion = raion_en = None
    for values in sheet.itertuples(index=False):
        name = values[0]
        if not isinstance(name, str) or not name.strip():
            continue
        text = normalise_name(name)
        if text in (_URBAN_ROW, _RURAL_ROW):
            if subtotals:
                subtotals[-1]["urban" if text == _URBAN_ROW else "rural"] = _count(values[1])
            continue
        if text.startswith("(") or text.endswith("громади)"):
            _qualify_hromada(settlements, text)
            continue
        kind = _settlement_row_kind(text)
        if kind == "region":
            region, raion, raion_en = _add_region(name, values, subtotals, settlements), None, None
        elif kind == "raion":
            raion, raion_en = _add_raion(name, values, region, subtotals)
        elif kind == "settlement" and not math.isnan(_count(values[1])):
            if region is None or raion is None:
                raise DataSourceError(f"table 5: settlement row {name!r} comes before any region or raion row")
            row = _settlement_row(region, raion, raion_en, name, values[2], values[1])
            if row is not None:
                settlements.append(row)
    columns = ["region", "raion_uk", "raion_en", "kind", "name_uk", "name_en", "other_name_uk", "hromada_stem", "population"]
    return pd.DataFrame(settlements, columns=columns), pd.DataFrame(subtotals)


def _add_region(name: str, values: tuple, subtotals: list[dict], settlements: list[dict]) -> str:
    """A region row of table 5: its subtotal, and Kyiv city as the capital's own only city; returns
    the region's ISO 3166-2 code."""
    region = region_code(name)
    subtotals.append({"level": "region", "region": region, "raion_uk": None, "total": _count(values[1]), "urban": math.nan, "rural": math.nan})
    if region == KYIV_CITY and not math.isnan(_count(values[1])):  # the capital is its own only city
        kyiv = _settlement_row(region, None, None, "м. Київ", "city Kyiv", values[1])
        if kyiv is not None:
            settlements.append(kyiv)
    return region


def _add_raion(name: str, values: tuple, region: str | None, subtotals: list[dict]) -> tuple[str, str]:
    """A raion row of table 5: its subtotal; returns its Ukrainian and English names."""
    if region is None:
        raise DataSourceError(f"table 5: raion row {name!r} comes before any region row")
    raion, raion_en = _SPACES.sub(" ", name.strip()), _SPACES.sub(" ", str(values[2]).strip())
    subtotals.append({"level": "raion", "region": region, "raion_uk": raion, "total": _count(values[1]), "urban": math.nan, "rural": math.nan})
    return raion, raion_en


def _settlement_row_kind(text: str) -> str:
    if text.endswith(" район"):
        return "raion"
    if text == "україна":
        return "country"
    try:
        region_code(text)
    except DataSourceError:
        return "settlement" if _SETTLEMENT.match(text) else "other"
    return "region"


def _settlement_row(region: str, raion: str | None, raion_en: str | None, name: str, name_en: object, count: object) -> dict | None:
    population = _count(count)
    if math.isnan(population):
        return None  # "–": no figure (Prypiat, Chornobyl), not zero people
    match = _SETTLEMENT.match(_SPACES.sub(" ", name.strip()))
    if match is None:
        raise DataSourceError(f"table 5: settlement row {name!r} does not start with a settlement type")
    prefix, rest = match.groups()
    main, _, other = rest.partition("(")
    english = _SPACES.sub(" ", str(name_en).strip())
    english = re.sub(r"^(city|stlmt)\s+", "", english).split("(")[0].strip()
    return {
        "region": region,
        "raion_uk": raion,
        "raion_en": raion_en,
        "kind": SETTLEMENT_KINDS[prefix],
        "name_uk": main.strip(),
        "name_en": english,
        "other_name_uk": other.rstrip(") ").strip(),
        "hromada_stem": "",
        "population": population,
    }


def _qualify_hromada(settlements: list[dict], text: str) -> None:
    """Attach a ``(Краматорської міської`` / ``територіальної громади)`` note to the settlement above."""
    if not settlements:
        raise DataSourceError(f"table 5: hromada note {text!r} follows no settlement row")
    if text.startswith("("):
        adjective = text.lstrip("(").split(" ")[0]
        # The note names the hromada in the genitive ("Краматорської"): the stem is its nominative.
        settlements[-1]["hromada_stem"] = re.sub("ої$", "а", adjective)


def check_settlement_sums(settlements: pd.DataFrame, subtotals: pd.DataFrame, totals: pd.DataFrame) -> None:
    """Raise DataSourceError unless table 5 adds up: settlements to each raion's urban row, urban
    and rural to each raion's total, raions to each region row, and regions to table 1."""
    by_raion = settlements.groupby(["region", "raion_uk"])["population"].sum()
    raions = subtotals[subtotals["level"] == "raion"]
    for row in raions.itertuples():
        urban = by_raion.get((row.region, row.raion_uk), 0.0)
        if urban != row.urban or row.urban + row.rural != row.total:
            raise DataSourceError(
                f"table 5: {row.raion_uk} ({row.region}): cities and towns add up to {urban:,.0f}, "
                f"the urban row says {row.urban:,.0f}; urban + rural {row.urban + row.rural:,.0f}, total {row.total:,.0f}"
            )
    for row in subtotals[subtotals["level"] == "region"].itertuples():
        official = totals.loc[row.region]
        if math.isnan(row.total) and math.isnan(official["total"]):
            continue
        mine = raions[raions["region"] == row.region]
        if row.region == KYIV_CITY:
            urban, total = row.total, row.total
        else:
            urban, total = mine["urban"].sum(), mine["total"].sum()
        if not (total == row.total == official["total"] and urban == official["urban"]):
            raise DataSourceError(
                f"table 5: {row.region}: raions add up to {total:,.0f} ({urban:,.0f} urban), the region "
                f"row says {row.total:,.0f}, table 1 says {official['total']:,.0f} ({official['urban']:,.0f} urban)"
            )


@memoized
def read_settlements() -> pd.DataFrame:
    """Every city and urban-type settlement of table 5 with its 1 January 2022 population.

    Returns
    -------
    DataFrame
        See :func:`parse_settlements`; checked with :func:`check_settlement_sums` (the cities
        and towns of each raion add up to its urban population, each region's to table 1's).
    """
    settlements, subtotals = parse_settlements(_sheet(TABLE_5_SHEET))
    check_settlement_sums(settlements, subtotals, read_region_totals())
    logger.debug("table 5: %d cities and towns, %s persons", len(settlements), f"{settlements['population'].sum():,.0f}")
    return settlements
