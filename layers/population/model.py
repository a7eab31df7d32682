"""The 2022 population model: official totals spread over space, and the population of any zones.

Each hromada's people (table 6) are split between its cities and towns (table 5, located by
:mod:`.settlements`), whatever is left of its urban population at its centre
(:mod:`.placement`), and its rural population, spread evenly over its territory
(:mod:`.territories`: the OPORA polygon, clipped so that territories tile the region). A hromada
without a territory falls back on the Voronoi cell of its centre among all the region's centres.
A zone gets what falls inside it (:mod:`peacemap.geo.population`).

The model is a pure function of its inputs (:func:`build_population_model`); the registry's
sources give :func:`population_model`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from peacemap.geo.population import RegionModel, ZoneEstimate, allocate, estimate_population, voronoi_cells
from peacemap.geo.projections import to_metric
from peacemap.layers.errors import DataSourceError
from peacemap.layers.population.territories import NOT_JOINED, Territories
from peacemap.layers.regions import load_regions
from peacemap.layers.settings import memoized
from peacemap.layers.sources.population_tables import NOT_AVAILABLE_REGIONS

logger = logging.getLogger(__name__)

M2_PER_KM2 = 1_000_000.0
# Footprint of a town in the band: a disc holding its people at this density (persons per km²).
# An assumption, not a measured figure: a plausible density of a Ukrainian town within its
# limits. bench/dmz_population.py prints the band for other densities.
FOOTPRINT_DENSITY_PER_KM2 = 1_500.0
TERRITORY_OPORA, TERRITORY_VORONOI, TERRITORY_REGION = "opora", "voronoi", "region"
_Geometries = TypeVar("_Geometries", np.ndarray, BaseGeometry)


def _metric(geometries: _Geometries) -> _Geometries:
    """Project lon/lat geometries (one, or an array) to the equal-area metric CRS and repair what projection breaks."""
    return shapely.make_valid(to_metric(geometries))


def _placed(points: gpd.GeoSeries) -> np.ndarray:
    """Whether each centre is a point on the map (an unplaced one is missing, empty or NaN)."""
    present = points.notna().to_numpy() & ~points.is_empty.to_numpy()
    present[present] = np.isfinite(shapely.get_coordinates(points.to_numpy()[present])).all(axis=1)
    return present


def _sites(centres: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Distinct centre points (metric) and each hromada's site index (-1 where unplaced)."""
    xy = [None if point is None or point.is_empty else (point.x, point.y) for point in centres.geometry]
    keys = [key if key is not None and np.isfinite(key).all() else None for key in xy]  # NaN: unplaced
    distinct = sorted({key for key in keys if key is not None})
    position = {key: i for i, key in enumerate(distinct)}
    site_of = np.array([position[key] if key is not None else -1 for key in keys], dtype=int)
    sites = to_metric(shapely.points(np.array(distinct, dtype=float).reshape(-1, 2)))
    return np.asarray(sites, dtype=object), site_of


def voronoi_territories(members: gpd.GeoDataFrame, region: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:  # region: metric polygon
    """The fallback territory of each hromada of one region: the Voronoi cell of its centre among
    all the region's centres, clipped to ``region`` (metric); the whole region where it has no
    centre. Returns the territories and each one's error against its KSE area (cell km² / KSE
    km² − 1 over the hromadas sharing the cell; NaN where unknown)."""
    sites, site_of = _sites(members)
    cells = voronoi_cells(sites, region) if len(sites) else np.array([], dtype=object)
    territories = np.array([cells[site] if site >= 0 else region for site in site_of], dtype=object)
    errors = np.full(len(members), np.nan)
    for site in range(len(cells)):
        mine = site_of == site
        known = members["square_km2"].to_numpy(float)[mine]
        if not np.isnan(known).any():
            errors[mine] = shapely.area(cells[site]) / M2_PER_KM2 / known.sum() - 1.0
    return territories, errors


def _region_polygon(regions: gpd.GeoDataFrame, code: str) -> BaseGeometry:
    found = regions.loc[regions["code"] == code, "geometry"]
    if len(found) != 1:
        raise DataSourceError(f"regions: expected one polygon for {code!r}, found {len(found)}")
    return found.iloc[0]


@dataclass(frozen=True)
class PopulationModel:
    """The 2022 population model: one :class:`RegionModel` per region with official figures.

    Attributes
    ----------
    regions
        The model of each region (ISO 3166-2 code).
    hromadas
        For each region, the hromada (index of ``centres``) behind each row of its model.
    territory_error
        Median absolute relative error of the real territories' areas against the KSE areas
        (NaN if none has both; then the Voronoi cells' error).
    territories
        One row per hromada: ``region``, ``name_uk``, ``territory`` (opora, voronoi or region:
        where its rural people are spread), ``area_km2``, ``kse_km2``, ``relative_error``.
    centres
        :func:`peacemap.layers.population.placement.hromada_centres`.
    settlements
        Located cities and towns (:mod:`.settlements`), or an empty frame.
    """

    regions: dict[str, RegionModel]
    hromadas: dict[str, np.ndarray]
    territory_error: float
    territories: pd.DataFrame
    centres: gpd.GeoDataFrame
    settlements: gpd.GeoDataFrame


def build_population_model(
    centres: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    *,
    territories: Territories | None = None,
    settlements: gpd.GeoDataFrame | None = None,
    villages: gpd.GeoDataFrame | None = None,
) -> PopulationModel:
    """Assemble the per-region models (all inputs EPSG:4326).

    Parameters
    ----------
    centres
        :func:`peacemap.layers.population.placement.hromada_centres`.
    regions
        :func:`peacemap.layers.regions.load_regions`.
    territories
        :func:`peacemap.layers.population.territories.hromada_territories`; without it (or for a
        hromada it could not join) the Voronoi fallback.
    settlements
        :func:`peacemap.layers.population.settlements.located_settlements`; without it every
        hromada's urban population sits at its centre.
    villages
        Village points (``region``, ``weight``, point geometry) for the band's alternative
        rural allocation (:func:`peacemap.layers.population.settlements.village_points`).
    """
    for name, frame in (("centres", centres), ("regions", regions), ("settlements", settlements), ("villages", villages)):
        if frame is not None and (frame.crs is None or not frame.crs.equals(4326)):
            raise ValueError(f"{name!r} must be in EPSG:4326, got {frame.crs}")
    real = territories.frame[territories.frame.index >= 0] if territories is not None else None  # hromadas only
    parts = {}
    for code, members in centres.groupby("region", sort=True):
        region = _metric(_region_polygon(regions, code))
        parts[code] = (members, region, *_region_territories(members, region, real))
    table = pd.concat([_territory_rows(members, kinds, spread, real, errors) for members, _, spread, kinds, errors in parts.values()])
    error = _territory_error(real)
    if math.isnan(error):  # no real territories: the Voronoi cells' error, as before them
        error = float(table["relative_error"].abs().median())
    models, order = {}, {}
    for code, (members, region, spread, kinds, errors) in parts.items():
        used = np.nan_to_num(np.where(kinds == TERRITORY_OPORA, error, np.abs(errors)), nan=error)
        towns = settlements[settlements["hromada"].isin(members.index)] if settlements is not None else None
        in_region = villages[villages["region"] == code] if villages is not None else None
        models[code] = _region_model(members, region, spread, used, towns, in_region)
        order[code] = members.index.to_numpy()
    empty = gpd.GeoDataFrame({"hromada": []}, geometry=[], crs=4326)
    return PopulationModel(models, order, error, table, centres, settlements if settlements is not None else empty)


def _territory_error(real: gpd.GeoDataFrame | None) -> float:
    if real is None:
        return math.nan
    joined = real[(real["joined"] != NOT_JOINED) & real["kse_km2"].notna() & (real.index >= 0)]
    return float((joined["area_km2"] / joined["kse_km2"] - 1.0).abs().median()) if len(joined) else math.nan


def _region_territories(
    members: gpd.GeoDataFrame,
    region: BaseGeometry,
    real: gpd.GeoDataFrame | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each member's territory (metric), where it comes from, and the Voronoi error where used."""
    has_real = np.zeros(len(members), dtype=bool)
    if real is not None:
        found = real.reindex(members.index)
        has_real = (found["joined"] != NOT_JOINED).to_numpy() & ~found.geometry.isna().to_numpy()
        has_real &= ~np.array([g is None or g.is_empty for g in found.geometry], dtype=bool)
    spread = np.empty(len(members), dtype=object)
    errors = np.full(len(members), np.nan)
    kinds = np.full(len(members), TERRITORY_OPORA, dtype=object)
    if has_real.any() and real is not None:
        spread[has_real] = _metric(real.loc[members.index[has_real]].geometry.to_numpy())
    if not has_real.all():
        cells, cell_errors = voronoi_territories(members, region)
        spread[~has_real], errors[~has_real] = cells[~has_real], cell_errors[~has_real]
        placed = _placed(members.geometry)
        kinds[~has_real] = np.where(placed[~has_real], TERRITORY_VORONOI, TERRITORY_REGION)
    return spread, kinds, errors


def _region_model(
    members: gpd.GeoDataFrame,
    region: BaseGeometry,
    spread: np.ndarray,
    errors: np.ndarray,  # region: metric polygon
    towns: gpd.GeoDataFrame | None,
    villages: gpd.GeoDataFrame | None,
) -> RegionModel:
    """One region's model: centres and towns as points, the rest spread over territories."""
    position = {hromada: i for i, hromada in enumerate(members.index)}
    population = members["population"].to_numpy(float)
    urban = members["urban"].to_numpy(float)
    town_people = np.zeros(len(members))
    town_points, town_hromada, town_values = [], [], []
    if towns is not None and not towns.empty:
        for town in towns.itertuples():
            h = position[town.hromada]
            # A town never holds more people than its hromada has (a mislocated town would).
            value = min(float(town.population), population[h] - town_people[h])
            town_points.append(town.geometry)
            town_hromada.append(h)
            town_values.append(value)
            town_people[h] += value
    # What is left of the hromada's urban population (towns not located) sits at its centre; a
    # hromada without a centre has it spread with its rural people.
    remainder = np.clip(urban - town_people, 0.0, population - town_people)
    placed = _placed(members.geometry)
    centre_point = np.where(placed, np.cumsum(placed) - 1, -1)
    centres: np.ndarray | list[object] = _metric(members.geometry.to_numpy()[placed]) if placed.any() else []
    towns_at: np.ndarray | list[object] = _metric(np.array(town_points, dtype=object)) if town_points else []
    points = np.array([*centres, *towns_at], dtype=object)
    people = np.concatenate([remainder[placed], town_values])
    point_hromada = np.concatenate([np.flatnonzero(placed), town_hromada]).astype(int)
    rural = population - town_people - np.where(placed, remainder, 0.0)
    footprints = _footprints(points, people, spread[point_hromada] if len(points) else np.array([], dtype=object))
    village_points, village_hromada, village_weight = _villages_in(villages, spread)
    return RegionModel(
        territories=spread,
        rural=rural,
        points=points,
        people=people,
        point_hromada=point_hromada,
        footprints=footprints,
        villages=village_points,
        village_hromada=village_hromada,
        village_weight=village_weight,
        centre_point=centre_point,
        region=region,
        territory_error=errors,
    )


def _footprints(points: np.ndarray, people: np.ndarray, territories: np.ndarray) -> np.ndarray:
    """Land each point's people may live on, for the band: a disc holding them at
    FOOTPRINT_DENSITY_PER_KM2, within their hromada's territory (a town on a river bank does not
    spill across it; the disc itself where it misses the territory)."""
    if len(points) == 0:
        return np.array([], dtype=object)
    radius_m = np.sqrt(people / (math.pi * FOOTPRINT_DENSITY_PER_KM2)) * 1000.0
    discs = shapely.buffer(points, np.maximum(radius_m, 1.0), quad_segs=8)
    clipped = shapely.make_valid(shapely.intersection(discs, territories))
    return np.where(shapely.area(clipped) > 0, clipped, discs)


def _villages_in(villages: gpd.GeoDataFrame | None, territories: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Villages (metric points), the territory each lies in (first one holding it), their weights."""
    if villages is None or villages.empty:
        return np.array([], dtype=object), np.zeros(0, dtype=int), np.zeros(0)
    points = np.asarray(_metric(villages.geometry.to_numpy()), dtype=object)
    point_index, territory_index = shapely.STRtree(territories).query(points, predicate="intersects")
    first, where = np.unique(point_index, return_index=True)
    return points[first], territory_index[where].astype(int), villages["weight"].to_numpy(float)[first]


def _territory_rows(members: gpd.GeoDataFrame, kinds: np.ndarray, spread: np.ndarray, real: gpd.GeoDataFrame | None, errors: np.ndarray) -> pd.DataFrame:
    area = shapely.area(spread) / M2_PER_KM2
    if real is not None:
        geodesic = real["area_km2"].reindex(members.index).to_numpy(float)
        area = np.where(kinds == TERRITORY_OPORA, geodesic, area)
    table = pd.DataFrame(
        {"region": members["region"], "name_uk": members["name_uk"], "territory": kinds, "area_km2": area, "kse_km2": members["square_km2"].astype(float)},
        index=members.index,
    )
    table["relative_error"] = np.where(kinds == TERRITORY_OPORA, table["area_km2"] / table["kse_km2"] - 1.0, errors)
    return table


@memoized
def population_model() -> PopulationModel:
    """The model built from the registry's sources (cached in-process)."""
    from peacemap.layers.population.placement import hromada_centres, population_key
    from peacemap.layers.population.settlements import village_points
    from peacemap.layers.population.territories import hromada_territories
    from peacemap.layers.sources.cache import cached_frame

    logger.info("building the 2022 population model (official tables, hromada territories, cities and towns)")
    villages = cached_frame("village-points", population_key("village-points", code=__name__), village_points)
    return build_population_model(hromada_centres(), load_regions(), territories=hromada_territories(), settlements=model_settlements(), villages=villages)


@memoized
def model_settlements() -> gpd.GeoDataFrame:
    """The located cities and towns the registry's model places (those of a hromada of table 6):
    :attr:`PopulationModel.settlements` of :func:`population_model`, without building the model."""
    from peacemap.layers.population.settlements import located_settlements

    settlements = located_settlements()
    return settlements[settlements["hromada"] >= 0]


# Bump when the figures of zone_population change meaning without a change of code or sources.
ZONE_POPULATION_METHOD = 1


def zone_population(zones: gpd.GeoDataFrame, model: PopulationModel | None = None) -> pd.DataFrame:
    """Official 1 January 2022 population of each zone, spread by the dasymetric model.

    Parameters
    ----------
    zones
        GeoDataFrame with a ``region`` column (ISO 3166-2) and polygons (EPSG:4326); the zones of
        one region should tile it (then their populations add up to its official total).
    model
        Defaults to :func:`population_model`; then the figures are kept in the disk cache
        (:mod:`peacemap.layers.sources.cache`) under the model's key and the zones' regions and
        outlines, and the model is built only when they are not there.

    Returns
    -------
    DataFrame
        Index of ``zones``; ``population_2022`` (persons, whole numbers, rounded so that a
        region's zones add up exactly to its total), ``population_2022_low``,
        ``population_2022_high`` (band, persons). NaN (not available) for AR Crimea (UA-43),
        Sevastopol (UA-40) and their union UA-43+UA-40, which have no official 2022 figure.
    """
    _check_zones(zones)
    if model is not None:
        return _zone_population(zones, model)
    from peacemap.layers.population.placement import population_key
    from peacemap.layers.sources.cache import cached_frame, frame_digest, make_key

    # The registry's model has a key (its sources, method and code): a run that meets the same
    # zones again reads their figures from the disk cache without building the model. The key
    # holds the zones' regions and outlines in order; their index labels are put back on reading.
    outlines = frame_digest(gpd.GeoDataFrame({"region": zones["region"].to_numpy()}, geometry=zones.geometry.to_numpy(), crs=zones.crs))
    key = make_key("zone-population", method=ZONE_POPULATION_METHOD, code=__name__, sources=[population_key("zone-population", code=__name__), outlines])
    figures = cached_frame("zone-population", key, lambda: _zone_population(zones, population_model()).reset_index(drop=True))
    return figures.set_axis(zones.index)


def _zone_population(zones: gpd.GeoDataFrame, model: PopulationModel) -> pd.DataFrame:
    result = pd.DataFrame(np.nan, index=zones.index, columns=["population_2022", "population_2022_low", "population_2022_high"])
    for code, members in _modelled(zones, model):
        region = model.regions[code]
        estimate = estimate_population(np.asarray(_metric(members.geometry.to_numpy()), dtype=object), region)
        result.loc[members.index, list(result.columns)] = rounded_estimate(estimate, region.total)
        _warn_if_not_tiling(code, estimate.estimate.sum(), region.total)
    return result


def rounded_estimate(estimate: ZoneEstimate, total: float) -> np.ndarray:
    """The whole persons of zones that tile a region of ``total`` people: columns
    ``population_2022`` (adding up to the rounded total), low and high (floor and ceiling)."""
    return np.column_stack([largest_remainder(estimate.estimate, round(total)), np.floor(estimate.low), np.ceil(estimate.high)])


def rounding_margin(estimate: ZoneEstimate, total: float) -> float:
    """How far (persons) the unrounded ``estimate`` lies from changing :func:`rounded_estimate`:
    the least distance of a value from a whole number (where floor and ceiling turn), and of two
    fractional parts from each other (where the largest remainder picks another zone). A band's
    end kept at 0 or at the total does not turn. An estimate computed another way, off by less
    than this, rounds to the same persons."""
    values = np.asarray(estimate.estimate, dtype=float)
    if abs(values.sum() - round(total)) > 0.5:
        return 0.0  # not tiling: largest_remainder would round each value on its own
    fractions = values - np.floor(values)
    distances = [np.minimum(fractions, 1.0 - fractions)]
    if len(values) > 1:
        ordered = np.sort(fractions)
        distances.append(np.diff(ordered))
    for end in (np.asarray(estimate.low, dtype=float), np.asarray(estimate.high, dtype=float)):
        inside = end[(end > 0.0) & (end < total)]
        distances.append(np.minimum(inside - np.floor(inside), np.ceil(inside) - inside))
    joined = np.concatenate(distances)
    return float(joined.min()) if len(joined) else math.inf


def hromada_population(zones: gpd.GeoDataFrame, model: PopulationModel | None = None) -> pd.DataFrame:
    """Each hromada's 1 January 2022 people in each zone it has any in.

    Parameters
    ----------
    zones
        As for :func:`zone_population`.

    Returns
    -------
    DataFrame
        One row per zone and hromada with people there: ``zone`` (index label in ``zones``),
        ``hromada`` (index of the model's centres), ``population_2022`` (whole persons). A
        hromada's rows add up to its official figure, and the rows of a zone to the zone's
        :func:`zone_population` (controlled rounding). Regions without official figures
        (AR Crimea, Sevastopol) have no rows.
    """
    model = _checked(zones, model)
    frames = []
    for code, members in _modelled(zones, model):
        region = model.regions[code]
        central = allocate(np.asarray(_metric(members.geometry.to_numpy()), dtype=object), region).central
        zone_totals = largest_remainder(central.sum(axis=0), round(region.total))
        persons = controlled_rounding(central, np.round(region.hromada_totals), zone_totals)
        hromada_index, zone_index = np.nonzero(persons)
        frames.append(
            pd.DataFrame(
                {
                    "zone": members.index.to_numpy()[zone_index],
                    "hromada": model.hromadas[code][hromada_index],
                    "population_2022": persons[hromada_index, zone_index].astype(int),
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["zone", "hromada", "population_2022"])


def _checked(zones: gpd.GeoDataFrame, model: PopulationModel | None) -> PopulationModel:
    _check_zones(zones)
    return model or population_model()


def _check_zones(zones: gpd.GeoDataFrame) -> None:
    if zones.crs is None or not zones.crs.equals(4326):
        raise ValueError(f"'zones' must be in EPSG:4326, got {zones.crs}")
    if "region" not in zones.columns:
        raise ValueError(f"'zones' needs a 'region' column of ISO 3166-2 codes; it has {list(zones.columns)}")


def _modelled(zones: gpd.GeoDataFrame, model: PopulationModel) -> Iterator[tuple[str, gpd.GeoDataFrame]]:
    """The zones of each region the model covers; AR Crimea and Sevastopol are skipped."""
    for code, members in zones.groupby("region", sort=True):
        if code not in model.regions:
            if not set(str(code).split("+")) <= set(NOT_AVAILABLE_REGIONS):
                raise ValueError(f"'zones' region {code!r} is not a region with 2022 figures ({sorted(model.regions)})")
            continue  # AR Crimea / Sevastopol: not available
        yield code, members


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


def controlled_rounding(values: np.ndarray, row_totals: np.ndarray, column_totals: np.ndarray) -> np.ndarray:
    """Round a non-negative matrix to integers whose rows and columns add up to the given
    integer totals, each cell rounded down or up (a controlled rounding).

    Cells are rounded up in order of their fractional part, then, where that leaves a row or a
    column short, by a maximum flow over the cells with a fractional part. If no such rounding
    exists (the totals are not within a person of the values' sums), each row is rounded on its
    own by :func:`largest_remainder`.
    """
    values = np.asarray(values, dtype=float)
    floors = np.floor(values + 1e-9)
    fraction = np.where(values - floors > 1e-9, values - floors, 0.0)
    row_need = (np.asarray(row_totals) - floors.sum(axis=1)).round().astype(int)
    column_need = (np.asarray(column_totals) - floors.sum(axis=0)).round().astype(int)
    if row_need.sum() != column_need.sum() or (row_need < 0).any() or (column_need < 0).any():
        return np.array([largest_remainder(row, int(total)) for row, total in zip(values, row_totals)])
    up = _round_up_cells(fraction, row_need, column_need)
    if up is None:
        return np.array([largest_remainder(row, int(total)) for row, total in zip(values, row_totals)])
    return floors + up


def _round_up_cells(fraction: np.ndarray, row_need: np.ndarray, column_need: np.ndarray) -> np.ndarray | None:
    """Which cells to round up: greedily by fractional part, else by a maximum flow (None if impossible)."""
    up = np.zeros(fraction.shape)
    rows, columns = row_need.copy(), column_need.copy()
    for flat in np.argsort(-fraction, axis=None, kind="stable"):
        i, j = np.unravel_index(flat, fraction.shape)
        if fraction[i, j] <= 0:
            break
        if rows[i] > 0 and columns[j] > 0:
            up[i, j], rows[i], columns[j] = 1, rows[i] - 1, columns[j] - 1
    if not rows.any():
        return up
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import maximum_flow

    n_rows, n_columns = fraction.shape
    cell_rows, cell_columns = np.nonzero(fraction > 0)
    source, sink = n_rows + n_columns, n_rows + n_columns + 1
    tails = np.concatenate([np.full(n_rows, source), cell_rows, n_rows + np.arange(n_columns)])
    heads = np.concatenate([np.arange(n_rows), n_rows + cell_columns, np.full(n_columns, sink)])
    capacity = np.concatenate([row_need, np.ones(len(cell_rows), dtype=int), column_need]).astype(np.int32)
    graph = csr_array((capacity, (tails, heads)), shape=(sink + 1, sink + 1))
    flow = maximum_flow(graph, source, sink)
    if flow.flow_value != row_need.sum():
        return None
    result = np.zeros(fraction.shape)
    result[cell_rows, cell_columns] = flow.flow.toarray()[cell_rows, n_rows + cell_columns]
    return result
