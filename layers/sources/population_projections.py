"""OCHA COD-PS Ukraine (``population-ocha-cod-ps-2020``): 2020 population projections by region.

The only machine-readable population figures in the data for AR Crimea and Sevastopol after
2014, which the official 2022 tables leave without a figure. They are **projections** (UNFPA,
from the 2001 census and registered births, deaths and migration; reference date 1 January
2020), not official estimates, and are never added into an official 2022 total: peacemap shows
them in fields of their own (``population_projection_2020``), naming this source.
"""

from __future__ import annotations

import json

import pandas as pd

from peacemap.layers.errors import DataSourceError
from peacemap.layers.settings import memoized
from peacemap.layers.sources import registry
from peacemap.layers.sources.codes import CRIMEA, SEVASTOPOL

PROJECTION_SOURCE = "population-ocha-cod-ps-2020"
ADM1_SHEET = "ukr_admpop_adm1_2020"
# COD-AB codes (KOATUU-based, not ISO 3166-2) of the units read here, with the name each must carry.
_PCODES = {CRIMEA: ("UA01", "Crimea"), SEVASTOPOL: ("UA85", "Sevastopol")}


def parse_projections(sheet: pd.DataFrame) -> dict[str, int]:
    """AR Crimea's and Sevastopol's projected total population (``T_TL``) from the adm1 sheet.

    Parameters
    ----------
    sheet
        Sheet ``ukr_admpop_adm1_2020`` read with its header row (``ADM1_PCODE``, ``ADM1_NAME``,
        ``T_TL``, ...).

    Returns
    -------
    dict
        Persons on 1 January 2020 by ISO 3166-2 code (UA-43, UA-40).

    Raises
    ------
    DataSourceError
        If a unit is missing, repeated, named differently or has no whole number of persons.
    """
    missing = [column for column in ("ADM1_PCODE", "ADM1_NAME", "T_TL") if column not in sheet.columns]
    if missing:
        raise DataSourceError(f"{PROJECTION_SOURCE}: sheet {ADM1_SHEET!r} lacks columns {missing}")
    found = {}
    for code, (pcode, name) in _PCODES.items():
        rows = sheet[sheet["ADM1_PCODE"].astype(str).str.strip() == pcode]
        if len(rows) != 1 or name.lower() not in str(rows["ADM1_NAME"].iloc[0]).lower():
            raise DataSourceError(f"{PROJECTION_SOURCE}: expected one row {pcode} named like {name!r}, found {rows['ADM1_NAME'].tolist()}")
        value = pd.to_numeric(rows["T_TL"].iloc[0], errors="coerce")
        if pd.isna(value) or value <= 0 or value != int(value):
            raise DataSourceError(f"{PROJECTION_SOURCE}: {pcode} T_TL should be a positive whole number, got {rows['T_TL'].iloc[0]!r}")
        found[code] = int(value)
    return found


# Bump when what read_projections gives changes meaning without a change of code or source.
PROJECTIONS_METHOD = 1


@memoized
def read_projections() -> dict[str, int]:
    """Projected population on 1 January 2020 of AR Crimea (UA-43) and Sevastopol (UA-40); kept in
    the disk cache under the file's sha256 (reading the workbook takes a fifth of a second)."""
    from peacemap.layers.sources.cache import cached, json_dumps, make_key

    key = make_key("crimea-projections", method=PROJECTIONS_METHOD, code=__name__, sources=[registry.get_source(PROJECTION_SOURCE).sha256])
    return cached(
        "crimea-projections",
        key,
        lambda: parse_projections(pd.read_excel(registry.fetch(PROJECTION_SOURCE), sheet_name=ADM1_SHEET)),
        dump=json_dumps,
        load=_checked_projections,
    )


def _checked_projections(data: bytes) -> dict[str, int]:
    """The projections read back from the cache: persons (positive whole numbers) of exactly
    AR Crimea and Sevastopol, else a DamagedCacheError."""
    from peacemap.layers.sources.cache import DamagedCacheError

    found = json.loads(data)
    if not isinstance(found, dict) or set(found) != set(_PCODES) or not all(type(v) is int and v > 0 for v in found.values()):
        raise DamagedCacheError(f"expected the projected persons of {sorted(_PCODES)}")
    return found
