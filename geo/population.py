"""Dasymetric population estimates for arbitrary zones from settlements and hromada territories.

All geometries here are planar, in an equal-area projection (metres; peacemap uses
``geo.projections.UKRAINE_LAEA``), so that area ratios are true area ratios.

The model of one region, for each hromada ``h``:

- persons at points: each located city or town of ``h`` with its people, and what is left of
  ``h``'s urban population at ``h``'s centre (:class:`RegionModel` ``points``, ``people``);
- ``rural[h]`` persons spread evenly over ``h``'s territory (its real territory, or, for a
  hromada without one, the Voronoi cell of its centre among all centres of the region).

A zone receives the people of the points that fall in it and, of each territory, the share of
the rural population equal to the share of the territory's area inside the zone *among all
zones*. Those shares add up to 1 over zones that tile the region, so the zones' populations add
up to the region's total exactly (up to floating point), whatever the zones are.

The band (:func:`allocate`) comes from what the model cannot know where a zone's edge cuts a
hromada: whether each town's people live on one side of the edge or spread over the town's
footprint across it, and whether a hromada's rural people live evenly over its land or in its
villages. Each is taken at its lower and its higher value, town by town and hromada by
hromada, and the rural part is widened further by the territory's area error.
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
    territories
        Land over which each hromada's rural people are spread, shape (n_hromadas,).
    rural
        Persons of each hromada spread over its territory, shape (n_hromadas,).
    points
        Points where people live together (towns, hromada centres), shape (n_points,).
    people
        Persons at each point, shape (n_points,).
    point_hromada
        Hromada (index into ``territories``) of each point, shape (n_points,).
    footprints
        Land each point's people may live on (a disc around a town), shape (n_points,): the
        band's alternative to the point.
    villages, village_hromada, village_weight
        Villages (points), the hromada each lies in and its weight (e.g. its population in an
        older count), shape (n_villages,): the band's alternative to spreading rural people
        evenly is putting them in their villages by weight.
    centre_point
        Index into ``points`` of each hromada's centre, shape (n_hromadas,); -1 if it has none.
        A hromada without villages has its rural people at its centre as the alternative (and
        none, if it has no centre either).
    region
        The region polygon the territories tile.
    territory_error
        Typical relative error of a territory's area (e.g. 0.015 for 1.5%), shape
        (n_hromadas,); widens the band of zones that cut through territories.
    """

    territories: np.ndarray
    rural: np.ndarray
    points: np.ndarray
    people: np.ndarray
    point_hromada: np.ndarray
    footprints: np.ndarray
    villages: np.ndarray
    village_hromada: np.ndarray
    village_weight: np.ndarray
    centre_point: np.ndarray
    region: BaseGeometry
    territory_error: np.ndarray

    def __post_init__(self) -> None:
        n_hromadas, n_points = len(self.territories), len(self.points)
        shapes = {
            "rural": (self.rural, n_hromadas),
            "territory_error": (self.territory_error, n_hromadas),
            "centre_point": (self.centre_point, n_hromadas),
            "people": (self.people, n_points),
            "point_hromada": (self.point_hromada, n_points),
            "footprints": (self.footprints, n_points),
            "village_hromada": (self.village_hromada, len(self.villages)),
            "village_weight": (self.village_weight, len(self.villages)),
        }
        for name, (values, expected) in shapes.items():
            if len(values) != expected:
                raise ValueError(f"RegionModel: {name!r} should have length {expected}, got {len(values)}")

    @property
    def total(self) -> float:
        """The region's population (persons)."""
        return float(self.people.sum() + self.rural.sum())

    @property
    def hromada_totals(self) -> np.ndarray:
        """Each hromada's population (persons), shape (n_hromadas,)."""
        return self.rural + np.bincount(self.point_hromada, weights=self.people, minlength=len(self.territories))


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
    # The tree holds the cells and the (few, large) zones are the queries, so that each zone is
    # prepared once for the predicates.
    shapely.prepare(zones)
    zone_index, cell_index = shapely.STRtree(cells).query(zones, predicate="intersects")
    # A cell that meets one zone only is wholly in it (its row is normalised), and one wholly
    # inside a zone needs no overlay either: only cells a zone's edge runs through are cut.
    areas = shapely.area(cells[cell_index])
    shared = np.flatnonzero(np.bincount(cell_index, minlength=len(cells))[cell_index] > 1)
    inside = shapely.contains_properly(zones[zone_index[shared]], cells[cell_index[shared]])
    edge = shared[~inside]
    areas[edge] = [_area_inside(cells[cell_index[i]], zones[zone_index[i]]) for i in edge]
    overlap[cell_index, zone_index] = areas
    covered = overlap.sum(axis=1, keepdims=True)
    return np.divide(overlap, covered, out=np.zeros_like(overlap), where=covered > 0)


def _area_inside(cell: BaseGeometry, zone: BaseGeometry) -> float:
    """Area of ``cell`` ∩ ``zone``; the zone is first cut to the cell's bounding box (a fast
    rectangle clip), so that the overlay only sees the part of a large zone near the cell."""
    near = shapely.clip_by_rect(zone, *shapely.bounds(cell))
    return float(shapely.area(shapely.intersection(cell, near)))


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
    index = np.full(len(points), -1, dtype=int)
    shapely.prepare(zones)
    zone_index, point_index = shapely.STRtree(points).query(zones, predicate="intersects")
    order = np.lexsort((zone_index, point_index))  # for each point, its first zone
    first = np.unique(point_index[order], return_index=True)
    index[first[0]] = zone_index[order][first[1]]
    missing = np.flatnonzero(index < 0)
    if len(missing):
        index[missing] = shapely.STRtree(zones).query_nearest(points[missing], all_matches=False)[1]
    return index


class ZoneEstimate(NamedTuple):
    """Population of each zone (persons): central ``estimate`` and a ``low``–``high`` band."""

    estimate: np.ndarray
    low: np.ndarray
    high: np.ndarray


class Allocation(NamedTuple):
    """Persons of each hromada in each zone, shape (n_hromadas, n_zones): the central
    allocation and the lower and higher ends of its band (before the band is kept within the
    region's total)."""

    central: np.ndarray
    low: np.ndarray
    high: np.ndarray


class ZoneShares(NamedTuple):
    """Where the model's parts lie among zones: all that :func:`allocate` needs of the zones'
    geometry. Built from the zones by :func:`zone_shares`, or from pieces that add up to them
    (the grid cells of a plan timeline).

    Attributes
    ----------
    territory
        Share of each territory in each zone, shape (n_hromadas, n_zones); rows add up to 1.
    point_zone
        Zone holding each point, shape (n_points,).
    footprint
        Share of each point's footprint in each zone, shape (n_points, n_zones); rows add up to 1.
    village_zone
        Zone holding each village, shape (n_villages,).
    """

    territory: np.ndarray
    point_zone: np.ndarray
    footprint: np.ndarray
    village_zone: np.ndarray


def zone_shares(zones: np.ndarray, model: RegionModel) -> ZoneShares:
    """The shares of the model's territories, points, footprints and villages in ``zones``
    (planar (multi)polygons in the model's coordinates, shape (n_zones,))."""
    zones = np.asarray(zones, dtype=object)
    if len(zones) == 0:
        raise ValueError("'zones' should hold at least one polygon, got none")
    spread = _territory_fractions(zones, model)
    point_zone = point_zones(model.points, zones) if len(model.points) else np.zeros(0, dtype=int)
    footprint = area_fractions(model.footprints, zones) if len(model.points) else np.zeros((0, len(zones)))
    empty = footprint.sum(axis=1) == 0
    footprint[empty, point_zone[empty]] = 1.0  # a footprint no zone meets: at the point
    village_zone = point_zones(model.villages, zones) if len(model.villages) else np.zeros(0, dtype=int)
    return ZoneShares(spread, point_zone, footprint, village_zone)


def allocate(zones: np.ndarray, model: RegionModel) -> Allocation:
    """Each hromada's people in each zone (see the module docstring).

    Parameters
    ----------
    zones
        Planar (multi)polygons in the model's coordinates, shape (n_zones,). When they tile
        ``model.region``, every hromada's row adds up to its population.

    Returns
    -------
    Allocation
        ``central``: town people at their points, rural people spread over territories. ``low``
        and ``high``: each town's people at its point or over its footprint, each hromada's
        rural people spread or in its villages (at its centre if it has none), whichever gives
        the zone fewer (more), minus (plus) ``territory_error`` times the rural people the zone
        gets from territories it only partly covers; never below 0.
    """
    return allocate_shares(zone_shares(zones, model), model)


def allocate_shares(shares: ZoneShares, model: RegionModel) -> Allocation:
    """:func:`allocate` from the zones' shares of the model's parts (:func:`zone_shares`)."""
    n_hromadas, n_zones = len(model.territories), shares.territory.shape[1]
    spread = shares.territory
    at_points = _point_matrix(model.people, model.point_hromada, shares.point_zone, n_hromadas, n_zones)
    footprint = _by_hromada(model.people[:, None] * shares.footprint, model.point_hromada, n_hromadas)
    rural_even = model.rural[:, None] * spread
    rural_villages = _village_matrix(n_zones, model, shares)
    partial = (spread > 0) & (spread < 1)
    widening = (model.territory_error * model.rural)[:, None] * spread * partial
    central = at_points.sum(axis=0) + rural_even
    low = np.maximum(np.minimum(at_points, footprint).sum(axis=0) + np.minimum(rural_even, rural_villages) - widening, 0.0)
    high = np.maximum(at_points, footprint).sum(axis=0) + np.maximum(rural_even, rural_villages) + widening
    return Allocation(central, low, high)


def estimate_population(zones: np.ndarray, model: RegionModel) -> ZoneEstimate:
    """Estimate the population of zones of one region: :func:`allocate` summed over hromadas.

    Returns
    -------
    ZoneEstimate
        ``estimate`` (adds up to ``model.total`` over zones that tile the region) and the band,
        kept within [0, region total].
    """
    return estimate_from_shares(zone_shares(zones, model), model)


def estimate_from_shares(shares: ZoneShares, model: RegionModel) -> ZoneEstimate:
    """:func:`estimate_population` from the zones' shares of the model's parts (:func:`zone_shares`)."""
    allocation = allocate_shares(shares, model)
    low = np.clip(allocation.low.sum(axis=0), 0.0, model.total)
    high = np.clip(allocation.high.sum(axis=0), 0.0, model.total)
    return ZoneEstimate(allocation.central.sum(axis=0), low, high)


def _territory_fractions(zones: np.ndarray, model: RegionModel) -> np.ndarray:
    """Share of each territory in each zone (rows add up to 1); a territory no zone meets goes
    whole to the zone nearest to it, so that no one is dropped."""
    fractions = area_fractions(model.territories, zones)
    empty = np.flatnonzero(fractions.sum(axis=1) == 0)
    if len(empty):
        anchors = shapely.point_on_surface(model.territories[empty])
        fractions[empty, point_zones(anchors, zones)] = 1.0
    return fractions


def _point_matrix(people: np.ndarray, hromada: np.ndarray, zone: np.ndarray, n_hromadas: int, n_zones: int) -> np.ndarray:
    """Persons of each point in its zone, shape (n_points, n_hromadas, n_zones) (see :func:`_by_hromada`)."""
    matrix = np.zeros((len(people), n_zones))
    matrix[np.arange(len(people)), zone] = people
    return _by_hromada(matrix, hromada, n_hromadas)


def _by_hromada(per_point: np.ndarray, hromada: np.ndarray, n_hromadas: int) -> np.ndarray:
    """(n_points, n_zones) → (n_points, n_hromadas, n_zones) as a stack whose sum over axis 0 is
    each hromada's row; kept per point so that town-by-town minima and maxima can be taken."""
    stacked = np.zeros((len(per_point), n_hromadas, per_point.shape[1]))
    stacked[np.arange(len(per_point)), hromada] = per_point
    return stacked


def _village_matrix(n_zones: int, model: RegionModel, shares: ZoneShares) -> np.ndarray:
    """Rural people of each hromada in its villages by weight; at its centre where it has no
    village, and spread as in the central allocation where it has neither."""
    n_hromadas = len(model.territories)
    weights = np.zeros((n_hromadas, n_zones))
    if len(model.villages):
        np.add.at(weights, (model.village_hromada, shares.village_zone), model.village_weight)
    totals = weights.sum(axis=1, keepdims=True)
    village_shares = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
    no_village = totals[:, 0] == 0
    centred = no_village & (model.centre_point >= 0)
    village_shares[np.flatnonzero(centred), shares.point_zone[model.centre_point[centred]]] = 1.0
    village_shares[no_village & ~centred] = shares.territory[no_village & ~centred]
    return model.rural[:, None] * village_shares
