"""Hromada territories: the OPORA polygons joined to the hromadas of table 6 and made to tile
every region's land.

**Join.** The OPORA file has names, not codes (:mod:`peacemap.layers.sources.hromadas`). Within
each oblast, a polygon and a hromada of table 6 are paired when their names agree, and where
names repeat within an oblast (two "Покровська" hromadas in Dnipropetrovsk oblast) by the
hromada's type, its raion and whether its centre (:mod:`.placement`) lies in the polygon; each
is paired at most once (an optimal assignment). Hromadas left over are then paired with
polygons left over whose names differ by at most :data:`MAX_NAME_EDITS` letters (the source's
typos: "Лутугінська" for "Лутугинська", "Сєверодонецька" for "Сєвєродонецька"). A hromada that
still has no polygon keeps its people in the model through the Voronoi fallback; a polygon with
no hromada gives its land to its neighbours.

**Tiling.** Each region's territories are clipped to its land (the land of ``peacemap
regions``) and made to tile it (:func:`peacemap.geo.tiling.tile_region`). AR Crimea and
Sevastopol (no hromadas in table 6) and Kyiv city (one hromada) are units whose territory is
the region's land.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from peacemap.geo.area import geodesic_areas_km2
from peacemap.geo.tiling import tile_region
from peacemap.layers.regions import CRIMEA, REGION_NAMES, SEVASTOPOL, load_regions
from peacemap.layers.settings import memoized
from peacemap.layers.sources.hromadas import HROMADA_UNIT, OPORA_SOURCE, UNKNOWN_TYPE, raion_key, read_opora_hromadas
from peacemap.layers.sources.population_tables import KYIV_CITY

logger = logging.getLogger(__name__)

# Names of one hromada in two sources differing by more letters than this are not paired.
MAX_NAME_EDITS = 2
# Costs of a pairing (lower is better): a name letter off outweighs everything else; a centre
# outside the polygon outweighs a type and a raion that differ (both sources' raions and types
# changed in places after 2020; the centre is where the hromada is).
_COST_PER_EDIT, _COST_CENTRE_OUTSIDE, _COST_TYPE, _COST_RAION = 1000.0, 30.0, 10.0, 10.0
_FORBIDDEN = 1e9

JOINED_BY_NAME = "name"
JOINED_BY_CLOSE_NAME = "close name"
REGION_LEVEL = "region unit"
NOT_JOINED = "not joined (Voronoi fallback)"
# Units whose territory is the region's land: their (Ukrainian, English) names.
REGION_UNITS = {
    CRIMEA: ("Автономна Республіка Крим", "Autonomous Republic of Crimea"),
    SEVASTOPOL: ("Севастополь", "Sevastopol"),
    KYIV_CITY: ("Київ", "Kyiv"),
}


@dataclass(frozen=True)
class Territories:
    """Every hromada's territory, tiling its region.

    Attributes
    ----------
    frame
        One row per hromada of table 6 (index ``hromada``: the row of the centres it is, -1 for
        AR Crimea and Sevastopol) with ``region``, ``raion_uk``, ``raion_en``, ``name_uk``,
        ``name_en``, ``population`` (persons, NaN for AR Crimea and Sevastopol), ``opora_id``
        (-1 where none), ``joined`` (how), ``area_km2`` (geodesic, of the tiled territory),
        ``kse_km2`` (KSE ``square``, NaN where unknown), geometry (EPSG:4326; empty for a
        hromada that could not be joined).
    unmatched_polygons
        OPORA polygons paired with no hromada (``opora_id``, ``region``, ``name_uk``): their
        land went to their neighbours.
    """

    frame: gpd.GeoDataFrame
    unmatched_polygons: pd.DataFrame

    @property
    def not_joined(self) -> pd.DataFrame:
        """Hromadas of table 6 without a territory (their people are spread by the fallback)."""
        return self.frame.loc[self.frame["joined"] == NOT_JOINED, ["region", "raion_uk", "name_uk"]]


def levenshtein(a: str, b: str) -> int:
    """Number of single-letter insertions, deletions and substitutions that turn ``a`` into ``b``."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def join_hromadas(centres: gpd.GeoDataFrame, opora: gpd.GeoDataFrame) -> pd.DataFrame:
    """Pair every hromada of table 6 with an OPORA polygon (see the module docstring).

    Parameters
    ----------
    centres
        :func:`peacemap.layers.population.placement.hromada_centres` (table 6 with centres,
        EPSG:4326).
    opora
        :func:`peacemap.layers.sources.hromadas.read_opora_hromadas`, hromada units only.

    Returns
    -------
    DataFrame
        Index of ``centres``; ``opora`` (row label in ``opora``, -1 where none) and ``joined``
        (:data:`JOINED_BY_NAME`, :data:`JOINED_BY_CLOSE_NAME` or :data:`NOT_JOINED`).
    """
    pairs: dict = {}
    for code, members in centres.groupby("region", sort=True):
        polygons = opora[opora["region"] == code]
        if code == KYIV_CITY or polygons.empty:
            continue
        exact = _assign(members, polygons, exact_names=True)
        pairs.update({hromada: (polygon, JOINED_BY_NAME) for hromada, polygon in exact.items()})
        left_members = members.drop(index=list(exact))
        left_polygons = polygons.drop(index=list(exact.values()))
        if len(left_members) and len(left_polygons):
            close = _assign(left_members, left_polygons, exact_names=False)
            pairs.update({hromada: (polygon, JOINED_BY_CLOSE_NAME) for hromada, polygon in close.items()})
    return pd.DataFrame(
        {"opora": [pairs[i][0] if i in pairs else -1 for i in centres.index], "joined": [pairs[i][1] if i in pairs else NOT_JOINED for i in centres.index]},
        index=centres.index,
    )


def _assign(members: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, *, exact_names: bool) -> dict:
    """Optimal one-to-one pairing of hromadas and polygons of one region: {hromada: polygon}."""
    cost = np.full((len(members), len(polygons)), _FORBIDDEN)
    member_raions = [raion_key(r) for r in members["raion_uk"]]
    for i, (stem, kind, raion) in enumerate(zip(members["stem"], members["type"], member_raions)):
        for j, (other_stem, other_kind, other_raion) in enumerate(zip(polygons["stem"], polygons["type"], polygons["raion"])):
            edits = 0 if stem == other_stem else (MAX_NAME_EDITS + 1 if exact_names else levenshtein(stem, other_stem))
            if edits > MAX_NAME_EDITS or (edits and min(len(stem), len(other_stem)) < 3 * edits):
                continue
            cost[i, j] = _COST_PER_EDIT * edits + _COST_TYPE * (other_kind not in (kind, UNKNOWN_TYPE)) + _COST_RAION * (raion != other_raion)
    candidates = cost < _FORBIDDEN
    if not candidates.any():
        return {}
    inside = _centres_inside(members.geometry.to_numpy(), polygons.geometry.to_numpy(), candidates)
    cost = np.where(candidates & ~inside, cost + _COST_CENTRE_OUTSIDE, cost)
    # Imported here: scipy.optimize takes 0.3 s to import, and a warm run reads the territories
    # from the cache without pairing anything.
    from scipy.optimize import linear_sum_assignment

    rows, columns = linear_sum_assignment(cost)
    return {members.index[i]: polygons.index[j] for i, j in zip(rows, columns) if cost[i, j] < _FORBIDDEN}


def _centres_inside(points: np.ndarray, polygons: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """For the candidate ``pairs`` (bool matrix), whether the hromada's centre lies in the polygon
    (True where the centre is unknown: no evidence either way)."""
    inside = np.ones(pairs.shape, dtype=bool)
    rows, columns = np.nonzero(pairs)
    known = np.array([p is not None and not p.is_empty for p in points[rows]], dtype=bool)
    inside[rows[known], columns[known]] = shapely.covers(polygons[columns[known]], points[rows[known]])
    return inside


def build_territories(centres: gpd.GeoDataFrame, opora: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> Territories:
    """Join the OPORA polygons to the hromadas and tile each region's land with them.

    Parameters
    ----------
    centres
        :func:`peacemap.layers.population.placement.hromada_centres` (EPSG:4326).
    opora
        :func:`peacemap.layers.sources.hromadas.read_opora_hromadas` (EPSG:4326).
    regions
        :func:`peacemap.layers.regions.load_regions` (EPSG:4326).

    Returns
    -------
    Territories
        See :class:`Territories`; the territories of each region tile its land.
    """
    for name, frame in (("centres", centres), ("opora", opora), ("regions", regions)):
        if frame.crs is None or not frame.crs.equals(4326):
            raise ValueError(f"{name!r} must be in EPSG:4326, got {frame.crs}")
    hromada_polygons = opora[opora["unit"] == HROMADA_UNIT]
    joined = join_hromadas(centres, hromada_polygons)
    land = regions.set_index("code")["geometry"]
    geometry = pd.Series([shapely.MultiPolygon()] * len(centres), index=centres.index, dtype=object)
    for code, members in joined[joined["opora"] >= 0].groupby(centres["region"], sort=True):
        order = members.sort_values("opora")  # the polygon listed first in the source keeps an overlap
        tiles = tile_region(hromada_polygons.loc[order["opora"], "geometry"].to_numpy(), land[code])
        geometry[order.index] = tiles
    kyiv = centres.index[centres["region"] == KYIV_CITY]
    if len(kyiv):
        geometry[kyiv] = [land[KYIV_CITY]] * len(kyiv)
        joined.loc[kyiv, "joined"] = REGION_LEVEL
    frame = _territory_frame(centres, joined, hromada_polygons, geometry, land)
    matched = set(joined["opora"])
    unmatched = hromada_polygons.loc[[i for i in hromada_polygons.index if i not in matched], ["opora_id", "region", "name_uk"]]
    _log_join(frame, unmatched)
    return Territories(frame=frame, unmatched_polygons=pd.DataFrame(unmatched).reset_index(drop=True))


def _territory_frame(centres: gpd.GeoDataFrame, joined: pd.DataFrame, opora: gpd.GeoDataFrame, geometry: pd.Series, land: pd.Series) -> gpd.GeoDataFrame:
    opora_ids = joined["opora"].map(lambda i: int(opora.at[i, "opora_id"]) if i >= 0 else -1)
    rows = pd.DataFrame(
        {
            "region": centres["region"],
            "raion_uk": centres["raion_uk"],
            "raion_en": centres["raion_en"],
            "name_uk": centres["name_uk"],
            "name_en": centres["name_en"],
            "population": centres["population"],
            "opora_id": opora_ids,
            "joined": joined["joined"],
            "kse_km2": centres["square_km2"],
        }
    )
    present = [code for code in (CRIMEA, SEVASTOPOL) if code in land.index]
    units = pd.DataFrame(
        [
            {
                "region": code,
                "raion_uk": None,
                "raion_en": None,
                "name_uk": REGION_UNITS[code][0],
                "name_en": REGION_UNITS[code][1],
                "population": np.nan,
                "opora_id": -1,
                "joined": REGION_LEVEL,
                "kse_km2": np.nan,
            }
            for code in present
        ],
        index=[-1] * len(present),
        columns=rows.columns,
    )
    kyiv = rows["region"] == KYIV_CITY
    rows.loc[kyiv, ["name_uk", "name_en"]] = list(REGION_UNITS[KYIV_CITY])
    frame = gpd.GeoDataFrame(pd.concat([rows, units]), geometry=[*geometry.to_numpy(), *land[present]], crs=4326)
    frame.index.name = "hromada"
    frame["area_km2"] = geodesic_areas_km2(frame.geometry.to_numpy())
    return frame


def _log_join(frame: gpd.GeoDataFrame, unmatched: gpd.GeoDataFrame) -> None:
    counts = frame["joined"].value_counts().to_dict()
    logger.debug("hromada territories: %s", ", ".join(f"{n} {how}" for how, n in counts.items()))
    for row in frame[frame["joined"] == NOT_JOINED].itertuples():
        logger.warning(
            "hromada %s (%s, %s) has no territory in %s: its people are spread by the Voronoi fallback",
            row.name_uk,
            row.raion_uk,
            REGION_NAMES.get(row.region, row.region),
            OPORA_SOURCE,
        )
    for row in unmatched.itertuples():
        logger.warning("territory %s (%s) of %s matches no hromada of table 6: its land goes to its neighbours", row.name_uk, row.region, OPORA_SOURCE)


@memoized
def _territories_from_registry() -> Territories:
    from peacemap.layers.population.placement import hromada_centres, population_key
    from peacemap.layers.sources.cache import cached, frames_dumps, frames_loads

    def build() -> Territories:
        return build_territories(hromada_centres(), read_opora_hromadas(), load_regions())

    def load(data: bytes) -> Territories:
        frame, unmatched = frames_loads(data)
        return Territories(frame=frame, unmatched_polygons=unmatched)

    return cached(
        "hromada-territories",
        population_key("hromada-territories", code=__name__),
        build,
        dump=lambda territories: frames_dumps([territories.frame, territories.unmatched_polygons]),
        load=load,
    )


def hromada_territories() -> Territories:
    """The territories built from the registry's sources (built once per process)."""
    return _territories_from_registry()
