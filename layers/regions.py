"""The regions peacemap reports on: Ukraine's first-level units, as land, keyed by ISO 3166-2.

A region's land is its geoBoundaries polygon minus the open sea (see geo.land): land from
DeepState's fine coastline where it covers the coast, Natural Earth 1:10m elsewhere, with
inland waters (estuaries, lagoons, reservoirs) kept, as official areas keep them.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import shapely

from peacemap.geo.area import geodesic_areas_km2
from peacemap.geo.land import land_with_inland_water, merge_land
from peacemap.layers.i18n.catalogue import N_, gettext
from peacemap.layers.i18n.dates import iso_date_text
from peacemap.layers.settings import memoized
from peacemap.layers.sources import boundaries, deepstate, registry
from peacemap.layers.sources.cache import cached, frame_dumps, frame_loads, make_key

# The region codes and names live in a light reference module (no geometry), the land-mask
# snapshot with the DeepState reader; they are re-exported here, where the regions are built.
from peacemap.layers.sources.codes import (
    CRIMEA as CRIMEA,
)
from peacemap.layers.sources.codes import (
    CRIMEA_WITH_SEVASTOPOL as CRIMEA_WITH_SEVASTOPOL,
)
from peacemap.layers.sources.codes import (
    DONETSK as DONETSK,
)
from peacemap.layers.sources.codes import (
    FIVE_REGIONS as FIVE_REGIONS,
)
from peacemap.layers.sources.codes import (
    KHERSON as KHERSON,
)
from peacemap.layers.sources.codes import (
    LUHANSK as LUHANSK,
)
from peacemap.layers.sources.codes import (
    PLAN_UNITS as PLAN_UNITS,
)
from peacemap.layers.sources.codes import (
    REGION_NAMES as REGION_NAMES,
)
from peacemap.layers.sources.codes import (
    SEVASTOPOL as SEVASTOPOL,
)
from peacemap.layers.sources.codes import (
    ZAPORIZHZHIA as ZAPORIZHZHIA,
)
from peacemap.layers.sources.deepstate import LAND_MASK_SNAPSHOT as LAND_MASK_SNAPSHOT


@dataclass(frozen=True)
class OfficialArea:
    """An official area (km², land and inland waters) with its source."""

    km2: float
    source: str


_UKRSTAT = N_("State Statistics Service of Ukraine, area of the territory by region (land and inland waters)")
# Official areas (km², land and inland waters) of all 27 units, as the State Statistics Service
# of Ukraine publishes them in its tables of the area of the territory by region (in thousand km²
# to one decimal in its yearbooks; to the km² in the table of the administrative division of
# Ukraine that the Ukrainian Wikipedia reproduces from it, "Адміністративний поділ України", read
# as of 2007: the units' borders have not moved since). The 27 figures add up exactly to the
# official area of Ukraine, 603,628 km² (tests/test_layers_regions.py checks it). AR Crimea,
# Sevastopol, Donetsk, Luhansk, Zaporizhzhia and Kherson are also in the data mirror's notes
# (../shared/data/README.md). Dnipropetrovsk is also quoted as 31,914 km² (English Wikipedia's
# list by area); only 31,974 makes the official total, and both round to the yearbooks' 31.9.
_OFFICIAL_KM2 = {
    "UA-05": 26_513,
    "UA-07": 20_144,
    "UA-09": 26_684,
    "UA-12": 31_974,
    "UA-14": 26_517,
    "UA-18": 29_832,
    "UA-21": 12_777,
    "UA-23": 27_180,
    "UA-26": 13_928,
    "UA-30": 839,
    "UA-32": 28_131,
    "UA-35": 24_588,
    "UA-40": 864,
    "UA-43": 26_081,
    "UA-46": 21_833,
    "UA-48": 24_598,
    "UA-51": 33_310,
    "UA-53": 28_748,
    "UA-56": 20_047,
    "UA-59": 23_834,
    "UA-61": 13_823,
    "UA-63": 31_415,
    "UA-65": 28_461,
    "UA-68": 20_645,
    "UA-71": 20_900,
    "UA-74": 31_865,
    "UA-77": 8_097,
}
OFFICIAL_AREAS = {code: OfficialArea(km2, _UKRSTAT) for code, km2 in _OFFICIAL_KM2.items()}
OFFICIAL_AREAS[CRIMEA_WITH_SEVASTOPOL] = OfficialArea(_OFFICIAL_KM2[CRIMEA] + _OFFICIAL_KM2[SEVASTOPOL], _UKRSTAT)
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

    Built once per process, and kept in the disk cache (:mod:`peacemap.layers.sources.cache`)
    under the sources' sha256 and the code that builds them; each call returns a copy.
    """
    return _regions_from_registry().copy()


# Bump when region land changes meaning without a change of code or sources.
REGIONS_METHOD = 1


def regions_key() -> str:
    """Cache key of region land: its three sources' sha256, the method and the code (this module's
    import closure: :func:`peacemap.layers.sources.cache.make_key`)."""
    sources = [registry.get_source(boundaries.GEOBOUNDARIES_ID), registry.get_source(boundaries.NATURALEARTH_ID), registry.deepstate_source(LAND_MASK_SNAPSHOT)]
    return make_key("regions", method=REGIONS_METHOD, code=__name__, sources=[s.sha256 for s in sources])


@memoized
def _regions_from_registry() -> gpd.GeoDataFrame:
    def build() -> gpd.GeoDataFrame:
        return build_regions(
            boundaries.read_geoboundaries(),
            boundaries.read_naturalearth(),
            deepstate.read_snapshot(LAND_MASK_SNAPSHOT),
        )

    return cached("regions", regions_key(), build, dump=frame_dumps, load=frame_loads)


def regions_sources_note() -> str:
    """One line naming where region areas come from, in the language being written."""
    return gettext(
        "Areas: geodesic km² (WGS84) of geoBoundaries ADM1 (CC BY 4.0) minus the open sea; land from DeepState's coastline "
        "(snapshot %(snapshot)s) and Natural Earth 1:10m. Official areas: %(official)s."
    ) % {"snapshot": iso_date_text(LAND_MASK_SNAPSHOT.isoformat()), "official": gettext(_UKRSTAT)}


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
