"""Projecting pieces cut on a lon/lat grid as the uncut polygon would be projected.

A polygon projected vertex by vertex has straight edges in the projected plane between its
projected vertices. A piece of it cut on a grid line has an extra vertex where an edge crosses
the line; projected, that vertex lies on the image of the lon/lat edge, which is curved, not on
the straight projected edge, so the pieces would not add up to the projected polygon (by
metres along an edge of 20 km). Here such vertices are moved onto the straight projected edge
(the *chord*) between the nearest true vertices around them, so that pieces projected one by one
tile the projected polygon. All functions are pure; lon/lat in degrees (EPSG:4326).
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

# Two lon/lat coordinates closer than this (degrees) lie on the same line.
ON_LINE_DEG = 1e-10


def cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The z component of the cross product of 2D vectors (last axis of size 2), broadcast."""
    return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]


def segments(geometry: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:
    """The edges of ``geometry``'s rings as start and end points, shapes (n, 2) and (n, 2)."""
    rings = shapely.get_rings(shapely.get_parts(geometry))
    if len(rings) == 0:
        return np.zeros((0, 2)), np.zeros((0, 2))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same_ring = ring[:-1] == ring[1:]
    return coords[:-1][same_ring], coords[1:][same_ring]


def on_grid(coords: np.ndarray, cell_deg: float) -> np.ndarray:
    """Which of ``coords`` (n, 2) lie on exactly one grid line (a grid corner is on two)."""
    on = np.mod(coords, cell_deg) == 0.0
    return on[:, 0] ^ on[:, 1]


def edge_through(point: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> int:
    """Index of the edge (``starts``, ``ends``) that ``point`` lies inside (not at an end), or -1."""
    d = ends - starts
    length2 = (d**2).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = ((point - starts) * d).sum(axis=1) / length2
        off = np.abs(cross(d, point - starts)) / np.sqrt(length2)
    found = np.flatnonzero((length2 > 0) & (t > 0) & (t < 1) & (off <= ON_LINE_DEG))
    return int(found[0]) if len(found) else -1


def crossings(start: np.ndarray, end: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Parameters t in (0, 1) where the edge ``start``–``end`` crosses the edges (``starts``,
    ``ends``), sorted; edges along it (parallel) are left out."""
    d = end - start
    e = ends - starts
    denominator = cross(d, e)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = cross(starts - start, e) / denominator
        u = cross(starts - start, d) / denominator
    hit = (denominator != 0) & (t > 0) & (t < 1) & (u >= 0) & (u <= 1)
    return np.sort(t[hit])


def chord_parameters(t: float, cuts: np.ndarray) -> tuple[float, float]:
    """The true vertices around parameter ``t`` of an edge cut at ``cuts``: (t before, t after)."""
    before = cuts[cuts < t]
    after = cuts[cuts > t]
    return (float(before[-1]) if len(before) else 0.0), (float(after[0]) if len(after) else 1.0)


def chord_point(start_m: np.ndarray, end_m: np.ndarray, t: float, t_before: float, t_after: float) -> np.ndarray:
    """Where the vertex at lon/lat parameter ``t`` of an edge goes on the projected chord between
    the true vertices at ``t_before`` and ``t_after`` (``start_m``, ``end_m``: their projections)."""
    share = (t - t_before) / (t_after - t_before)
    return start_m + share * (end_m - start_m)


def with_coordinates(geometry: BaseGeometry, coords: np.ndarray) -> BaseGeometry:
    """``geometry`` with its coordinates replaced by ``coords`` (same order and count)."""
    return shapely.set_coordinates(shapely.from_wkb(shapely.to_wkb(geometry)), coords)
