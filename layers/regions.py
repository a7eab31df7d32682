"""The regions peacemap reports on: Ukraine's first-level units, as land, keyed by ISO 3166-2.

A region's land is its geoBoundaries polygon minus the open sea (see geo.land): land from
DeepState's fine coastline where it covers the coast, Natural Earth 1:10m elsewhere, with
inland waters (estuaries, lagoons, reservoirs) kept, as official areas keep them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import geopandas as gpd
import shapely

from peacemap.geo.area import geodesic_areas_km2
from peacemap.geo.land import land_with_inland_water, merge_land
from peacemap.layers.sources import boundaries
from peacemap.layers.sources import deepstate

# The snapshot whose coastline serves as the fine land mask. Coasts do not move between
# snapshots; the newest one covers the most occupied land, hence the most fine coastline.
LAND_MASK_SNAPSHOT = dt.date(2026, 8, 22)

CRIMEA = "UA-43"
SEVASTOPOL = "UA-40"
DONETSK = "UA-14"
LUHANSK = "UA-09"
ZAPORIZHZHIA = "UA-23"
KHERSON = "UA-65"
# Crimea is reported both as AR Crimea and Sevastopol apart, and together under this code.
CRIMEA_WITH_SEVASTOPOL = "UA-43+UA-40"
FIVE_REGIONS = (CRIMEA_WITH_SEVASTOPOL, DONETSK, LUHANSK, ZAPORIZHZHIA, KHERSON)
# The six first-level units the five regions are made of: every plan gives each a rule.
PLAN_UNITS = (CRIMEA, SEVASTOPOL, DONETSK, LUHANSK, ZAPORIZHZHIA, KHERSON)

# English short names (ISO 3166-2:UA, romanised per the 2010 national standard).
REGION_NAMES = {
    "UA-05": "Vinnytsia", "UA-07": "Volyn", "UA-09": "Luhansk", "UA-12": "Dnipropetrovsk",
    "UA-14": "Donetsk", "UA-18": "Zhytomyr", "UA-21": "Zakarpattia", "UA-23": "Zaporizhzhia",
    "UA-26": "Ivano-Frankivsk", "UA-30": "Kyiv (city)", "UA-32": "Kyiv", "UA-35": "Kirovohrad",
    "UA-40": "Sevastopol", "UA-43": "AR Crimea", "UA-46": "Lviv", "UA-48": "Mykolaiv",
    "UA-51": "Odesa", "UA-53": "Poltava", "UA-56": "Rivne", "UA-59": "Sumy", "UA-61": "Ternopil",
    "UA-63": "Kharkiv", "UA-65": "Kherson", "UA-68": "Khmelnytskyi", "UA-71": "Cherkasy",
    "UA-74": "Chernihiv", "UA-77": "Chernivtsi",
    CRIMEA_WITH_SEVASTOPOL: "Crimea (AR Crimea and Sevastopol)",
}


@dataclass(frozen=True)
class OfficialArea:
    """An official area (km², land and inland waters) with its source."""

    km2: float
    source: str


_UKRSTAT = "State Statistics Service of Ukraine, area of the territory by region (land and inland waters)"
# Official areas of the units peacemap's plans turn on. Other oblasts have none recorded here
# rather than an uncited figure.
OFFICIAL_AREAS = {
    CRIMEA: OfficialArea(26_081, _UKRSTAT),
    SEVASTOPOL: OfficialArea(864, _UKRSTAT),
    DONETSK: OfficialArea(26_517, _UKRSTAT),
    LUHANSK: OfficialArea(26_684, _UKRSTAT),
    ZAPORIZHZHIA: OfficialArea(27_180, _UKRSTAT),
    KHERSON: OfficialArea(28_461, _UKRSTAT),
    CRIMEA_WITH_SEVASTOPOL: OfficialArea(26_081 + 864, _UKRSTAT),
}
UKRAINE_OFFICIAL_AREA = OfficialArea(603_628, _UKRSTAT)


def build_regions(
    units: gpd.GeoDataFrame,
    coarse_land: gpd.GeoDataFrame,
    fine_land: shapely.Geometry,
) -> gpd.GeoDataFrame:
    """Land of every unit, plus Crimea with Sevastopol as one more row.

    Parameters
    ----------
    units
        geoBoundaries ADM1 units (``code``, ``name``, geometry incl. territorial sea), EPSG:4326.
    coarse_land
        Natural Earth admin-1 land polygons, EPSG:4326.
    fine_land
        A DeepState occupied-territory polygon, whose coastline is finer, EPSG:4326.

    Returns
    -------
    GeoDataFrame
        Columns ``code``, ``name``, ``area_km2`` (geodesic), ``official_area_km2`` (NaN where
        none is recorded), ``deviation_pct``, geometry (EPSG:4326), sorted by code.
    """
    for name, frame in (("units", units), ("coarse_land", coarse_land)):
        if frame.crs is None or not frame.crs.equals(4326):
            raise ValueError(f"{name!r} must be in EPSG:4326, got {frame.crs}")
    land = merge_land(shapely.union_all(coarse_land.geometry.values), fine_land)
    territory = shapely.union_all(units.geometry.values)
    land_and_inland_water = land_with_inland_water(territory, land)
    geometries = shapely.intersection(units.geometry.values, land_and_inland_water)
    regions = gpd.GeoDataFrame({"code": units["code"].values}, geometry=geometries, crs=4326)
    crimea = regions[regions["code"].isin([CRIMEA, SEVASTOPOL])].union_all()
    regions.loc[len(regions)] = {"code": CRIMEA_WITH_SEVASTOPOL, "geometry": crimea}
    return _with_area_columns(regions)


def _with_area_columns(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    regions = regions.copy()
    regions["name"] = regions["code"].map(REGION_NAMES)
    regions["area_km2"] = geodesic_areas_km2(regions.geometry.values)
    regions["official_area_km2"] = regions["code"].map(lambda code: OFFICIAL_AREAS[code].km2 if code in OFFICIAL_AREAS else float("nan"))
    regions["deviation_pct"] = 100.0 * (regions["area_km2"] / regions["official_area_km2"] - 1.0)
    columns = ["code", "name", "area_km2", "official_area_km2", "deviation_pct", "geometry"]
    return regions[columns].sort_values("code", ignore_index=True)


def load_regions() -> gpd.GeoDataFrame:
    """Build the regions from the registry's sources (see :func:`build_regions`).

    Built once per process; each call returns a copy.
    """
    return _regions_from_registry().copy()


@cache
def _regions_from_registry() -> gpd.GeoDataFrame:
    return build_regions(
        boundaries.read_geoboundaries(),
        boundaries.read_naturalearth(),
        deepstate.read_snapshot(LAND_MASK_SNAPSHOT),
    )


def regions_sources_note() -> str:
    """One line naming where region areas come from."""
    return (
        "Areas: geodesic km² (WGS84) of geoBoundaries ADM1 (CC BY 4.0) minus the open sea; land from "
        f"DeepState's coastline (snapshot {LAND_MASK_SNAPSHOT.isoformat()}) and Natural Earth 1:10m. "
        f"Official areas: {_UKRSTAT}."
    )


def region_records(regions: gpd.GeoDataFrame) -> list[dict]:
    """Rows of ``code``, ``name``, ``area_km2``, ``official_area_km2``, ``deviation_pct`` (rounded)."""
    records = []
    for row in regions.itertuples(index=False):
        records.append(
            {
                "code": row.code,
                "name": row.name,
                "area_km2": round(float(row.area_km2), 1),
                "official_area_km2": None if row.official_area_km2 != row.official_area_km2 else float(row.official_area_km2),
                "deviation_pct": None if row.deviation_pct != row.deviation_pct else round(float(row.deviation_pct), 2),
            }
        )
    return records
