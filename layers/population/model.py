"""The 2022 population model: official totals spread over space, and the population of any zones.

Each hromada's urban population sits at its centre (:mod:`peacemap.layers.population.placement`)
and its rural population is spread over an approximate territory (a Voronoi cell, see
:mod:`peacemap.geo.population`); a zone gets what falls inside it.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from peacemap.geo.population import RegionModel, estimate_population, voronoi_cells
from peacemap.geo.projections import to_metric
from peacemap.layers.errors import DataSourceError
from peacemap.layers.population.placement import hromada_centres
from peacemap.layers.regions import load_regions
from peacemap.layers.sources.population_tables import NOT_AVAILABLE_REGIONS

logger = logging.getLogger(__name__)

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
