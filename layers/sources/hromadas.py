"""Hromada territories of the 2020 reform (``hromadas-opora-2020``): read and their names parsed.

The file (Civil Network OPORA / Fedir Gontsa, via slawomirmatuszak/ukrainian_geodata, CC BY 4.0)
holds 1,472 MultiPolygons in EPSG:4326 with Ukrainian names and no codes: ``region``
("Донецька область"), ``rayon`` ("Краматорський район") and ``hromada`` ("Слов'янська міська
громада"). Its quirks, handled here:

- the hromadas of the areas occupied since 2014 are named "... територіальна громада", without
  their type (міська/селищна/сільська): their ``type`` is ``""`` (unknown);
- AR Crimea is two whole polygons (AR Crimea, and Sevastopol under AR Crimea's ``region``) and
  Kyiv city one: these are region-level units (``unit == "region"``), not hromadas;
- raion names carry typos ("Маріупольский район" beside "Маріупольський район"): ``raion`` is a
  normalised key that unifies them;
- hromada names carry typos too ("Лутугінська" for table 6's "Лутугинська"); the join to the
  population tables (:mod:`peacemap.layers.population.territories`) tolerates them.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import geopandas as gpd
import pyogrio

from peacemap.layers.errors import DataSourceError
from peacemap.layers.settings import memoized
from peacemap.layers.sources import registry
from peacemap.layers.sources.codes import CRIMEA, SEVASTOPOL
from peacemap.layers.sources.population_tables import HROMADA_TYPES, KYIV_CITY, normalise_name, region_code

logger = logging.getLogger(__name__)

OPORA_SOURCE = "hromadas-opora-2020"
UNKNOWN_TYPE = ""  # "територіальна громада": the source does not say which type
HROMADA_UNIT, REGION_UNIT = "hromada", "region"
_REGION_UNITS = {"київ": KYIV_CITY, "автономна республіка крим": CRIMEA, "севастополь": SEVASTOPOL}
_RAION_TYPO = re.compile("ский$")


def raion_key(name: str | None) -> str:
    """A raion name as a join key: normalised, without "район", "-ский" typos made "-ський"."""
    if not isinstance(name, str):
        return ""
    text = normalise_name(name).removesuffix(" район").strip()
    return _RAION_TYPO.sub("ський", text)


def split_hromada_name(name: str) -> tuple[str, str]:
    """``"Слов'янська міська громада"`` -> (``"слов'янська"``, ``"міська"``); an unknown type is ``""``.

    Raises
    ------
    DataSourceError
        If ``name`` does not end in "<type> громада" with a type in HROMADA_TYPES or "територіальна".
    """
    words = normalise_name(name).split(" ")
    if len(words) < 3 or words[-1] != "громада" or words[-2] not in (*HROMADA_TYPES, "територіальна"):
        raise DataSourceError(f"{OPORA_SOURCE}: hromada {name!r} does not end in '<type> громада'")
    kind = words[-2] if words[-2] in HROMADA_TYPES else UNKNOWN_TYPE
    return " ".join(words[:-2]), kind


def parse_opora_hromadas(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The OPORA territories with region codes and parsed names.

    Parameters
    ----------
    frame
        The file as read, EPSG:4326, with columns ``id``, ``region``, ``rayon``, ``hromada``.

    Returns
    -------
    GeoDataFrame
        Columns ``opora_id``, ``region`` (ISO 3166-2), ``raion_uk`` (as the source spells it;
        "" for region-level units), ``raion`` (:func:`raion_key`), ``name_uk`` (as in the
        source), ``stem`` (normalised adjective), ``type`` (міська/селищна/сільська, or "" where
        the source does not say), ``unit`` (``hromada``, or ``region`` for AR Crimea, Sevastopol
        and Kyiv city), geometry (EPSG:4326, as in the source).
    """
    if frame.crs is None or not frame.crs.equals(4326):
        raise DataSourceError(f"{OPORA_SOURCE}: expected EPSG:4326, got {frame.crs}")
    missing = [column for column in ("id", "region", "rayon", "hromada") if column not in frame.columns]
    if missing:
        raise DataSourceError(f"{OPORA_SOURCE}: expected columns {missing}, not in the file")
    rows = [_parsed_row(row) for row in frame.itertuples(index=False)]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


def _parsed_row(row: Any) -> dict:  # a row of the source (a namedtuple of its columns)
    hromada = normalise_name(row.hromada)
    if hromada in _REGION_UNITS:
        code, raion, stem, kind, unit = _REGION_UNITS[hromada], "", hromada, UNKNOWN_TYPE, REGION_UNIT
    else:
        code, raion, unit = region_code(row.region), str(row.rayon).strip(), HROMADA_UNIT
        stem, kind = split_hromada_name(row.hromada)
    return {
        "opora_id": int(row.id),
        "region": code,
        "raion_uk": raion,
        "raion": raion_key(raion),
        "name_uk": " ".join(str(row.hromada).split()),
        "stem": stem,
        "type": kind,
        "unit": unit,
        "geometry": row.geometry,
    }


@memoized
def _opora_from_registry() -> gpd.GeoDataFrame:
    frame = pyogrio.read_dataframe(registry.fetch(OPORA_SOURCE))
    parsed = parse_opora_hromadas(frame)
    logger.debug("%s: %d territories", OPORA_SOURCE, len(parsed))
    return parsed


def read_opora_hromadas() -> gpd.GeoDataFrame:
    """The OPORA hromada territories (see :func:`parse_opora_hromadas`); a copy per call."""
    return _opora_from_registry().copy()
