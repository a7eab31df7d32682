"""Dasymetric population estimates for arbitrary zones from point centres and Voronoi territories.

All geometries here are planar, in an equal-area projection (metres; peacemap uses
``geo.projections.UKRAINE_LAEA``), so that area ratios are true area ratios.

The model of one region, for each hromada ``h`` with centre site ``s(h)``:

- ``urban[h]`` persons sit at the site (the centre settlement);
- ``rural[h]`` persons are spread evenly over the site's territory, its Voronoi cell among all
  sites of the region clipped to the region (hromadas that share a site share its cell).

A zone receives the urban population of the sites that fall in it and, of each cell, the share of
the rural population equal to the share of the cell's area inside the zone *among all zones*.
Those shares add up to 1 over zones that tile the region, so the zones' populations add up to the
region's total exactly (up to floating point), whatever the zones are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class RegionModel:
    """Population model of one region (planar equal-area coordinates, metres).

    Attributes
    ----------
    sites
        Distinct centre points, shape (n_sites,).
    cells
        Territory of each site (Voronoi cell clipped to the region), shape (n_sites,).
    site_of
        Site index of each hromada, shape (n_hromadas,); -1 for a hromada without a site,
        whose whole population is spread over the region.
    urban, rural
        Persons of each hromada at its site and spread over its cell, shape (n_hromadas,).
    region
        The region polygon the cells tile.
    territory_error
        Typical relative error of a cell's area against the hromada's true area (e.g. 0.3 for
        30%); widens the band of zones that cut through cells (see :func:`estimate_population`).
    """

    sites: np.ndarray
    cells: np.ndarray
    site_of: np.ndarray
    urban: np.ndarray
    rural: np.ndarray
    region: BaseGeometry
    territory_error: float

    @property
    def total(self) -> float:
        """The region's population (persons)."""
        return float(self.urban.sum() + self.rural.sum())


def voronoi_cells(sites: np.ndarray, region: BaseGeometry) -> np.ndarray:
    """Voronoi cell of each site, clipped to ``region``.

    Parameters
    ----------
    sites
        Distinct points (planar, metres), shape (n,). Sites may lie outside ``region``.
    region
        The (multi)polygon the cells must tile.

    Returns
    -------
    ndarray of geometries
        Shape (n,), in the order of ``sites``; together they tile ``region``. A single site gets
        the whole region.
    """
    sites = np.asarray(sites, dtype=object)
    if len(sites) == 0:
        raise ValueError("'sites' should hold at least one point, got none")
    coordinates = shapely.get_coordinates(sites)
    if len(np.unique(coordinates, axis=0)) != len(sites):
        raise ValueError(f"'sites' should be distinct points; {len(sites) - len(np.unique(coordinates, axis=0))} repeat")
    if len(sites) == 1:
        return np.array([region], dtype=object)
    envelope = shapely.union(shapely.envelope(region), shapely.envelope(shapely.multipoints(coordinates)))
    diagram = shapely.voronoi_polygons(shapely.multipoints(coordinates), extend_to=envelope.buffer(1.0), ordered=True)
    cells = np.array(shapely.get_parts(diagram), dtype=object)
    return shapely.make_valid(shapely.intersection(cells, region))


def area_fractions(cells: np.ndarray, zones: np.ndarray) -> np.ndarray:
    """Share of each cell's area in each zone, normalised over the zones.

    Parameters
    ----------
    cells, zones
        Planar (multi)polygons (equal-area coordinates), shapes (n_cells,) and (n_zones,).

    Returns
    -------
    ndarray
        Shape (n_cells, n_zones); each row adds up to 1, or is all zero where a cell meets no zone.
        Normalising by the cell's area inside the zones (not its full area) keeps totals exact
        when the zones tile the region but their edges differ from it by slivers.
    """
    overlap = np.zeros((len(cells), len(zones)))
    tree = shapely.STRtree(zones)
    cell_index, zone_index = tree.query(cells, predicate="intersects")
    # Cells wholly inside a zone need no overlay; only those on a zone's edge are cut.
    shapely.prepare(zones)
    inside = shapely.contains_properly(zones[zone_index], cells[cell_index])
    areas = shapely.area(cells[cell_index])
    edge = ~inside
    areas[edge] = shapely.area(shapely.intersection(cells[cell_index[edge]], zones[zone_index[edge]]))
    overlap[cell_index, zone_index] = areas
    covered = overlap.sum(axis=1, keepdims=True)
    return np.divide(overlap, covered, out=np.zeros_like(overlap), where=covered > 0)


def point_zones(points: np.ndarray, zones: np.ndarray) -> np.ndarray:
    """Index of the zone holding each point, or of the nearest zone for a point in none.

    Parameters
    ----------
    points, zones
        Planar points and (multi)polygons, shapes (n,) and (n_zones,).

    Returns
    -------
    ndarray of int
        Shape (n,). A point on a shared edge goes to the first zone holding it.
    """
    tree = shapely.STRtree(zones)
    index = np.full(len(points), -1, dtype=int)
    point_index, zone_index = tree.query(points, predicate="intersects")
    first = np.unique(point_index, return_index=True)
    index[first[0]] = zone_index[first[1]]
    missing = np.flatnonzero(index < 0)
    if len(missing):
        index[missing] = tree.query_nearest(points[missing], all_matches=False)[1]
    return index


class ZoneEstimate(NamedTuple):
    """Population of each zone (persons): central ``estimate`` and a ``low``–``high`` band."""

    estimate: np.ndarray
    low: np.ndarray
    high: np.ndarray


def estimate_population(zones: np.ndarray, model: RegionModel) -> ZoneEstimate:
    """Estimate the population of zones of one region (see the module docstring).

    Parameters
    ----------
    zones
        Planar (multi)polygons in the model's coordinates, shape (n_zones,). When they tile
        ``model.region``, the estimates add up to ``model.total``.

    Returns
    -------
    ZoneEstimate
        ``estimate``: urban at centres, rural spread. The band is the envelope of three
        allocations (this one, everybody at the centre, everybody spread over the cell), widened
        by ``model.territory_error`` times the rural population the zone gets from cells it only
        partly covers (a cell's true extent is uncertain by about that much), and kept within
        [0, region total].
    """
    zones = np.asarray(zones, dtype=object)
    if len(zones) == 0:
        raise ValueError("'zones' should hold at least one polygon, got none")
    at_site, spread = _allocation_matrices(zones, model)
    central = model.urban @ at_site + model.rural @ spread
    everyone = model.urban + model.rural
    at_centre = everyone @ at_site
    all_spread = everyone @ spread
    partial = (spread > 0) & (spread < 1)
    widening = model.territory_error * (model.rural[:, None] * spread * partial).sum(axis=0)
    low = np.minimum.reduce([central, at_centre, all_spread]) - widening
    high = np.maximum.reduce([central, at_centre, all_spread]) + widening
    return ZoneEstimate(central, np.clip(low, 0.0, model.total), np.clip(high, 0.0, model.total))


def _allocation_matrices(zones: np.ndarray, model: RegionModel) -> tuple[np.ndarray, np.ndarray]:
    """Hromada-by-zone fractions of the centre point and of the territory (rows add up to 1)."""
    n_hromadas = len(model.site_of)
    cell_fractions = area_fractions(model.cells, zones)
    site_zone = point_zones(model.sites, zones)
    # A cell that no zone meets (zones that do not cover the region) gives its people to the
    # zone of its site rather than dropping them.
    empty = cell_fractions.sum(axis=1) == 0
    cell_fractions[empty, site_zone[empty]] = 1.0
    at_site = np.zeros((n_hromadas, len(zones)))
    spread = np.zeros((n_hromadas, len(zones)))
    placed = model.site_of >= 0
    at_site[placed, site_zone[model.site_of[placed]]] = 1.0
    spread[placed] = cell_fractions[model.site_of[placed]]
    if not placed.all():  # hromadas without a centre are spread over the whole region
        region_fractions = area_fractions(np.array([model.region], dtype=object), zones)[0]
        at_site[~placed] = region_fractions
        spread[~placed] = region_fractions
    return at_site, spread
