"""Occupied km² per region for a sequence of occupied polygons, updated where the line moved.

Gives the figures of ``layers.control`` (``control_zones(units, split_country(country, P))``)
without cutting whole regions each day. The regions are cut once on a grid of cells; a
polygon cuts each cell into *atoms* (the parts of cell − P and of cell ∩ P). Only cells that a
changed edge of the polygon crosses, or that went wholly in or out of it, are cut again the
next day; the rest keep their atoms. From the atoms and which of them share an edge:

* the pieces of country − P are the connected groups of outside atoms: the largest (by
  planar area, as ``split_country`` picks it) is the mainland; pieces that do not touch P
  are islands; both are held. The other pieces (enclaves) are occupied;
* a region's held (occupied) parts are the connected groups of its held (occupied) atoms.
  A part is thin everywhere (under the sliver width) only if each of its atoms is, so only
  groups of thin atoms are joined and measured; a thin part that touches the other side
  changes sides, as ``geo.clean.swap_slivers`` moves it.

An outside atom within a tolerance (``layers.control.TOUCH_TOLERANCE_DEG``) of P touches it,
as in the report; atoms cut from one cell share their edges exactly, so whether two atoms
meet is asked without one. Areas are geodesic and additive (``geo.area`` densifies edges,
so cutting on the grid does not change them); the figures equal the report's to 0.0001 km²
on the days sampled (tests compare them).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import ArrayLike
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from peacemap.geo.area import geodesic_areas_km2
from peacemap.geo.clean import is_sliver, polygonal

# Cell size (degrees). Smaller cells are cheaper to cut again but more of them are crossed
# and related. Measured over 200 snapshots: 0.5° 15.5 ms a day, 0.25° 14.7 ms, 0.125° 16.0 ms;
# cutting the grid takes 0.8 s, 1.3 s and 2.4 s.
CELL_DEG = 0.25


@dataclass(frozen=True)
class Cells:
    """Unit regions cut on a grid (EPSG:4326), with what does not depend on the polygon.

    One cell is one polygon of (unit ∩ grid square). ``pairs`` are the pairs (i < j) of cells
    that meet, and ``linked`` says for each whether the two share an edge (are connected).
    ``neighbours``, ``pair_linked`` and ``tree`` are derived from them.
    """

    geometries: np.ndarray
    unit_count: int
    unit: np.ndarray  # index of the unit each cell belongs to
    km2: np.ndarray  # geodesic
    planar: np.ndarray  # deg², for picking the largest piece as split_country does
    thin: np.ndarray  # narrower than the sliver width everywhere
    probes: np.ndarray  # (n, 2) lon/lat of a point inside each cell
    pairs: np.ndarray  # (m, 2) cell indices
    linked: np.ndarray  # (m,) bool: the pair shares an edge
    tree: shapely.STRtree = field(init=False, repr=False)
    neighbours: list[np.ndarray] = field(init=False, repr=False)
    pair_linked: dict[tuple[int, int], bool] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        neighbours: list[list[int]] = [[] for _ in range(len(self.geometries))]
        for i, j in self.pairs.tolist():
            neighbours[i].append(j)
            neighbours[j].append(i)
        object.__setattr__(self, "tree", shapely.STRtree(self.geometries))
        object.__setattr__(self, "neighbours", [np.array(n, dtype=int) for n in neighbours])
        object.__setattr__(self, "pair_linked", {(i, j): bool(linked) for (i, j), linked in zip(self.pairs.tolist(), self.linked.tolist())})


# The arrays of Cells saved as they are (geometries are saved as WKB).
_SAVED_ARRAYS = ("unit", "km2", "planar", "thin", "probes", "pairs", "linked")


def cut_cells(units: Sequence[Polygon | MultiPolygon] | np.ndarray, *, sliver_width_m: float, cell_deg: float = CELL_DEG) -> Cells:
    """Cut ``units`` (EPSG:4326 polygons that tile the country) on a ``cell_deg`` grid."""
    pieces: list[Polygon] = []
    unit: list[int] = []
    for index, region in enumerate(units):
        xmin, ymin, xmax, ymax = shapely.bounds(region)
        columns = (int(np.floor(xmin / cell_deg)), int(np.ceil(xmax / cell_deg)))
        rows = (int(np.floor(ymin / cell_deg)), int(np.ceil(ymax / cell_deg)))
        parts = [part for piece in _grid_pieces(region, columns, rows, cell_deg) for part in shapely.get_parts(piece)]
        pieces.extend(parts)
        unit.extend([index] * len(parts))
    geometries = np.array(pieces, dtype=object)
    left, right = shapely.STRtree(geometries).query(geometries, predicate="intersects")
    pairs = np.column_stack([left, right])[left < right]
    linked, _ = _relations(geometries[pairs[:, 0]], geometries[pairs[:, 1]])
    return Cells(
        geometries=geometries,
        unit_count=len(units),
        unit=np.array(unit, dtype=int),
        km2=geodesic_areas_km2(geometries),
        planar=shapely.area(geometries),
        thin=np.array([is_sliver(g, min_width_m=sliver_width_m) for g in geometries], dtype=bool),
        probes=shapely.get_coordinates(shapely.point_on_surface(geometries)),
        pairs=pairs,
        linked=linked,
    )


def _grid_pieces(geometry: BaseGeometry, columns: tuple[int, int], rows: tuple[int, int], cell_deg: float) -> list:
    """``geometry`` cut into the grid squares in ``columns`` × ``rows`` (index ranges).

    Halving the range each time cuts every vertex about log2(squares) times, where cutting
    square by square would visit every vertex once per square.
    """
    (c0, c1), (r0, r1) = columns, rows
    if geometry.is_empty:
        return []
    if c1 - c0 <= 1 and r1 - r0 <= 1:
        return [geometry]
    if c1 - c0 >= r1 - r0:
        middle = (c0 + c1) // 2
        halves = [((c0, middle), rows), ((middle, c1), rows)]
    else:
        middle = (r0 + r1) // 2
        halves = [(columns, (r0, middle)), (columns, (middle, r1))]
    pieces = []
    for (a, b), (c, d) in halves:
        half = polygonal(geometry.intersection(shapely.box(a * cell_deg, c * cell_deg, b * cell_deg, d * cell_deg)))
        pieces += _grid_pieces(half, (a, b), (c, d), cell_deg)
    return pieces


def cells_to_arrays(cells: Cells) -> dict[str, np.ndarray]:
    """``cells`` as plain arrays (geometries as WKB), for saving with ``numpy.savez``."""
    blobs = shapely.to_wkb(cells.geometries)
    return {
        "wkb": np.frombuffer(b"".join(blobs), dtype=np.uint8),
        "wkb_lengths": np.array([len(blob) for blob in blobs]),
        "unit_count": np.array(cells.unit_count),
        **{name: getattr(cells, name) for name in _SAVED_ARRAYS},
    }


def cells_from_arrays(arrays: dict[str, np.ndarray]) -> Cells:
    """The inverse of :func:`cells_to_arrays`."""
    data = arrays["wkb"].tobytes()
    offsets = np.concatenate([[0], np.cumsum(arrays["wkb_lengths"])])
    geometries = shapely.from_wkb([data[a:b] for a, b in itertools.pairwise(offsets)])
    return Cells(geometries=np.asarray(geometries, dtype=object), unit_count=int(arrays["unit_count"]), **{name: arrays[name] for name in _SAVED_ARRAYS})


def _relations(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For pairs of polygons: (share an edge or overlap, meet at all), from their DE-9IM matrix."""
    if len(first) == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    matrices = shapely.relate(first, second)
    linked = np.array([m[0] != "F" or m[4] == "1" for m in matrices], dtype=bool)
    touching = np.array([m[0] != "F" or m[1] != "F" or m[3] != "F" or m[4] != "F" for m in matrices], dtype=bool)
    return linked, touching


def edge_keys(polygons: Sequence[Polygon]) -> np.ndarray:
    """The polygons' edges as sorted, direction-free byte keys (x1, y1, x2, y2 as float64)."""
    if len(polygons) == 0:
        return np.zeros(0, dtype=np.dtype((np.void, 32)))
    coords, ring = shapely.get_coordinates(shapely.get_rings(polygons), return_index=True)
    same_ring = ring[:-1] == ring[1:]
    start, end = coords[:-1][same_ring], coords[1:][same_ring]
    swap = (start[:, 0] > end[:, 0]) | ((start[:, 0] == end[:, 0]) & (start[:, 1] > end[:, 1]))
    first = np.where(swap[:, None], end, start)
    second = np.where(swap[:, None], start, end)
    segments = np.ascontiguousarray(np.hstack([first, second]))
    return np.unique(segments.view(np.dtype((np.void, 32))).ravel())


def _concatenate_keys(keys: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(keys) if keys else np.zeros(0, dtype=np.dtype((np.void, 32)))


class _Atoms:
    """The atoms alive and dead, as growing arrays indexed by atom id."""

    def __init__(self) -> None:
        self.size = 0
        self.geometry: list = []
        capacity = 1024
        self.unit = np.zeros(capacity, dtype=int)
        self.cell = np.zeros(capacity, dtype=int)  # the cell it was cut from
        self.inside = np.zeros(capacity, dtype=bool)  # part of cell ∩ P (else of cell − P)
        self.alive = np.zeros(capacity, dtype=bool)
        self.whole = np.zeros(capacity, dtype=bool)  # the whole cell
        self.km2 = np.zeros(capacity)
        self.planar = np.zeros(capacity)
        self.thin = np.zeros(capacity, dtype=bool)
        self.touches = np.zeros(capacity, dtype=bool)  # an outside atom meeting P
        self.bounds = np.zeros((capacity, 4))  # xmin, ymin, xmax, ymax

    _ARRAYS = ("unit", "cell", "inside", "alive", "whole", "km2", "planar", "thin", "touches", "bounds")

    def add(self, geometry: list, **columns: ArrayLike) -> np.ndarray:
        """Append atoms; returns their ids."""
        count = len(geometry)
        while self.size + count > len(self.alive):
            for name in self._ARRAYS:
                array = getattr(self, name)
                setattr(self, name, np.concatenate([array, np.zeros_like(array)]))
        ids = np.arange(self.size, self.size + count)
        self.geometry.extend(geometry)
        for name, values in columns.items():
            getattr(self, name)[ids] = values
        self.alive[ids] = True
        self.size += count
        return ids

    def geometries(self, ids: np.ndarray) -> np.ndarray:
        return np.array([self.geometry[k] for k in ids.tolist()], dtype=object)

    def kill(self, ids: np.ndarray) -> None:
        self.alive[ids] = False
        for i in ids.tolist():
            self.geometry[i] = None  # dead atoms are never measured again


class CellControl:
    """Occupied km² per unit for occupied polygons fed in date order (see the module doc).

    Parameters
    ----------
    cells
        The units cut on a grid (:func:`cut_cells`).
    sliver_width_m
        Parts narrower than this everywhere change sides (``layers.control.SLIVER_WIDTH_M``).
    touch_tolerance_deg
        Held land this close to the polygon touches it (``layers.control.TOUCH_TOLERANCE_DEG``).
    """

    def __init__(self, cells: Cells, *, sliver_width_m: float, touch_tolerance_deg: float) -> None:
        self.cells = cells
        self.touch_tolerance_deg = touch_tolerance_deg
        self.sliver_width_m = sliver_width_m
        self.atoms = _Atoms()
        self.cell_atoms: list[np.ndarray] = [np.zeros(0, dtype=int)] * len(cells.geometries)
        self.edges = np.zeros((0, 4), dtype=int)  # atom i, atom j, linked, touching
        self.cell_inside = np.zeros(len(cells.geometries), dtype=bool)
        self.previous: tuple[dict[bytes, Polygon], np.ndarray] | None = None  # parts by WKB, result
        self.part_keys: dict[bytes, np.ndarray] = {}  # edge keys of the parts new last time, by WKB
        self.thin_groups: dict[tuple[int, ...], bool] = {}  # atom ids -> their union is thin
        self.stats = {"cells_cut": 0, "relations": 0, "unchanged": 0}
        # Which atoms (by id) are occupied on the polygon measured last, slivers moved across.
        self.occupied_atoms = np.zeros(0, dtype=bool)

    def occupied_km2(self, occupied_polygon: Polygon | MultiPolygon) -> np.ndarray:
        """Occupied geodesic km² of each unit for a cleaned DeepState polygon (EPSG:4326)."""
        shapely.prepare(occupied_polygon)
        parts = shapely.get_parts(occupied_polygon)
        blobs = dict(zip(shapely.to_wkb(parts), parts))
        previous_blobs = self.previous[0] if self.previous is not None else {}
        new = [blob for blob in blobs if blob not in previous_blobs]
        gone = [blob for blob in previous_blobs if blob not in blobs]
        if self.previous is not None and not new and not gone:
            self.stats["unchanged"] += 1
            return self.previous[1].copy()
        # A part that was new last time is usually gone now: its edges were keyed then.
        new_keys = {blob: edge_keys([blobs[blob]]) for blob in new}
        kept_keys = [self.part_keys.get(blob) for blob in gone]
        gone_keys = [keys if keys is not None else edge_keys([previous_blobs[blob]]) for blob, keys in zip(gone, kept_keys, strict=True)]
        self.part_keys = new_keys
        changed = np.setxor1d(_concatenate_keys(list(new_keys.values())), _concatenate_keys(gone_keys))
        inside = shapely.contains_xy(occupied_polygon, self.cells.probes[:, 0], self.cells.probes[:, 1])
        crossed = self._cells_crossed(changed)
        flipped = np.flatnonzero(inside != self.cell_inside) if self.previous is not None else np.arange(len(inside))
        redo = np.union1d(crossed, flipped)
        self.cell_inside = inside
        # A changed edge that crosses a cell may have left it (the edge is gone); a cell the
        # line still crosses, unchanged, is cut again if its probe flipped.
        cut = set(crossed[self._meets_boundary(crossed, occupied_polygon)].tolist())
        cut |= {c for c in np.setdiff1d(flipped, crossed).tolist() if self._was_cut(c)}
        for cell in redo.tolist():
            self.atoms.kill(self.cell_atoms[cell])
        for cell in redo.tolist():
            if cell in cut:
                self._cut(cell, occupied_polygon)
            else:
                self._whole(cell, bool(inside[cell]))
        self._relate(redo)
        result = self._measure()
        self.previous = (blobs, result)
        return result.copy()

    def _meets_boundary(self, cells: np.ndarray, occupied_polygon: BaseGeometry) -> np.ndarray:
        """Whether each of ``cells`` meets the polygon's boundary (within the touch tolerance):
        a cell that does not is wholly inside or wholly away from the polygon."""
        geometries = self.cells.geometries[cells]
        near = shapely.dwithin(occupied_polygon, geometries, self.touch_tolerance_deg)
        return near & ~shapely.contains_properly(occupied_polygon, geometries)

    def _was_cut(self, cell: int) -> bool:
        atoms = self.cell_atoms[cell]
        return len(atoms) > 0 and not self.atoms.whole[atoms[0]]

    def _cells_crossed(self, keys: np.ndarray) -> np.ndarray:
        """Cells that the segments ``keys`` (see :func:`edge_keys`) meet."""
        if len(keys) == 0:
            return np.zeros(0, dtype=int)
        segments = shapely.linestrings(keys.view(np.float64).reshape(-1, 2, 2))
        return np.unique(self.cells.tree.query(segments, predicate="intersects")[1])

    def _whole(self, cell: int, inside: bool) -> None:
        c = self.cells
        self.cell_atoms[cell] = self.atoms.add(
            [c.geometries[cell]],
            unit=c.unit[cell],
            cell=cell,
            inside=inside,
            whole=True,
            km2=c.km2[cell],
            planar=c.planar[cell],
            thin=c.thin[cell],
            touches=False,
            bounds=shapely.bounds(c.geometries[cell]),
        )

    def _cut(self, cell: int, occupied_polygon: BaseGeometry) -> None:  # a prepared polygon
        self.stats["cells_cut"] += 1
        geometry = self.cells.geometries[cell]
        outside = list(shapely.get_parts(polygonal(geometry.difference(occupied_polygon))))
        inside = list(shapely.get_parts(polygonal(geometry.intersection(occupied_polygon))))
        pieces = np.array(outside + inside, dtype=object)
        is_inside = np.array([False] * len(outside) + [True] * len(inside), dtype=bool)
        touches = np.zeros(len(pieces), dtype=bool)
        if len(pieces):
            touches = ~is_inside & shapely.dwithin(occupied_polygon, pieces, self.touch_tolerance_deg)
        self.cell_atoms[cell] = self.atoms.add(
            list(pieces),
            unit=self.cells.unit[cell],
            cell=cell,
            inside=is_inside,
            whole=False,
            km2=self._pieces_km2(cell, pieces),
            planar=shapely.area(pieces),
            thin=[is_sliver(p, min_width_m=self.sliver_width_m) for p in pieces],
            touches=touches,
            bounds=shapely.bounds(pieces).reshape(-1, 4),
        )

    def _pieces_km2(self, cell: int, pieces: np.ndarray) -> np.ndarray:
        """Geodesic km² of pieces that tile ``cell``: the piece with most vertices is the cell's
        km² less the others (areas add up; the overlay drops at most specks of 0.01 m²)."""
        km2 = np.zeros(len(pieces))
        if len(pieces) == 0:
            return km2
        largest = int(np.argmax(shapely.get_num_coordinates(pieces)))
        others = np.arange(len(pieces)) != largest
        km2[others] = geodesic_areas_km2(pieces[others])
        km2[largest] = self.cells.km2[cell] - km2[others].sum()
        return km2

    def _relate(self, redo: np.ndarray) -> None:
        """Replace the relations (shared edge, meeting) of the atoms of the cells ``redo``."""
        a = self.atoms
        keep = a.alive[self.edges[:, 0]] & a.alive[self.edges[:, 1]]
        self.edges = self.edges[keep]
        redone = set(redo.tolist())
        first: list[int] = []
        second: list[int] = []
        known: list[tuple[bool, bool] | None] = []  # (linked, touching) where known without an overlay
        for cell in redo.tolist():
            own = self.cell_atoms[cell]
            for i in range(len(own)):  # atoms of one cell meet at most along the polygon's edge
                for j in range(i + 1, len(own)):
                    first.append(own[i])
                    second.append(own[j])
                    known.append(None)
            for other in self.cells.neighbours[cell].tolist():
                if other in redone and other < cell:
                    continue  # done from the other side
                for i in own.tolist():
                    for j in self.cell_atoms[other].tolist():
                        # Whole cells of a pair meet (pairs come from an intersects query).
                        static = (self.cells.pair_linked[(min(cell, other), max(cell, other))], True) if a.whole[i] and a.whole[j] else None
                        first.append(i)
                        second.append(j)
                        known.append(static)
        if not first:
            return
        first_ids, second_ids = np.array(first, dtype=int), np.array(second, dtype=int)
        linked = np.zeros(len(first_ids), dtype=bool)
        touching = np.zeros(len(first_ids), dtype=bool)
        for k, relation in enumerate(known):
            if relation is not None:
                linked[k], touching[k] = relation
        unknown = np.array([k is None for k in known], dtype=bool)
        if unknown.any():
            todo = np.flatnonzero(unknown)
            b1, b2 = a.bounds[first_ids[todo]], a.bounds[second_ids[todo]]
            boxes_meet = (b1[:, 0] <= b2[:, 2]) & (b2[:, 0] <= b1[:, 2]) & (b1[:, 1] <= b2[:, 3]) & (b2[:, 1] <= b1[:, 3])
            candidates = todo[boxes_meet]
            self.stats["relations"] += len(candidates)
            linked[candidates], touching[candidates] = _relations(a.geometries(first_ids[candidates]), a.geometries(second_ids[candidates]))
        found = touching
        self.edges = np.vstack([self.edges, np.column_stack([first_ids[found], second_ids[found], linked[found], touching[found]])])

    def _measure(self) -> np.ndarray:
        a, n = self.atoms, self.atoms.size
        i, j = self.edges[:, 0], self.edges[:, 1]
        linked, touching = self.edges[:, 2].astype(bool), self.edges[:, 3].astype(bool)
        alive, inside = a.alive[:n], a.inside[:n]
        outside = alive & ~inside
        labels = _components(n, i, j, linked & outside[i] & outside[j])
        piece_planar = np.bincount(labels, weights=np.where(outside, a.planar[:n], 0.0))
        piece_touches = np.bincount(labels, weights=(outside & a.touches[:n])) > 0
        mainland = int(np.argmax(piece_planar))
        held = outside & ((labels == mainland) | ~piece_touches[labels])
        occupied = alive & ~held
        same_unit = a.unit[i] == a.unit[j]
        leaving = self._thin_parts(held, occupied, i, j, linked & same_unit, touching & same_unit)
        joining = self._thin_parts(occupied, held, i, j, linked & same_unit, touching & same_unit)
        # Summed from the occupied atoms, so that a unit with none has exactly 0 km².
        self.occupied_atoms = (occupied & ~joining) | leaving
        final = self.occupied_atoms
        return np.bincount(a.unit[:n][final], weights=a.km2[:n][final], minlength=self.cells.unit_count)

    def held_km2(self) -> np.ndarray:
        """Held geodesic km² of each unit on the polygon measured last (its alive atoms not occupied)."""
        a, n = self.atoms, self.atoms.size
        held = a.alive[:n] & ~self.occupied_atoms
        return np.bincount(a.unit[:n][held], weights=a.km2[:n][held], minlength=self.cells.unit_count)

    def _thin_parts(self, side: np.ndarray, other: np.ndarray, i: np.ndarray, j: np.ndarray, linked: np.ndarray, touching: np.ndarray) -> np.ndarray:
        """The atoms of the parts of ``side`` thinner than the sliver width that meet ``other``
        (a mask over the atoms), which change sides.

        Parts are connected groups of ``side`` atoms of one unit; a group changes sides only if
        every atom is thin and one meets an ``other`` atom of the same unit.
        """
        a, n = self.atoms, self.atoms.size
        labels = _components(n, i, j, linked & side[i] & side[j])
        wide = np.bincount(labels, weights=side & ~a.thin[:n]) > 0
        meets = np.zeros(len(wide), dtype=bool)
        for x, y in ((i, j), (j, i)):
            hit = touching & side[x] & other[y]
            meets[labels[x[hit]]] = True
        candidates = np.flatnonzero(meets & ~wide)
        moving = np.zeros(n, dtype=bool)
        if len(candidates) == 0:
            return moving
        members = np.flatnonzero(side & np.isin(labels, candidates))
        order = np.argsort(labels[members], kind="stable")
        members = members[order]
        groups = np.split(members, np.flatnonzero(np.diff(labels[members])) + 1)
        for group in groups:
            key = tuple(group.tolist())
            if key not in self.thin_groups:
                self.thin_groups[key] = self._union_is_thin(group)
            if self.thin_groups[key]:
                moving[group] = True
        return moving

    def _union_is_thin(self, group: np.ndarray) -> bool:
        geometries = self.atoms.geometries(group)
        union = geometries[0] if len(geometries) == 1 else polygonal(shapely.union_all(geometries))
        return all(is_sliver(part, min_width_m=self.sliver_width_m) for part in shapely.get_parts(union))


def _components(size: int, i: np.ndarray, j: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Connected-component label of each of ``size`` nodes, over the edges (i, j) where ``mask``."""
    graph = coo_matrix((np.ones(int(mask.sum()), dtype=np.int8), (i[mask], j[mask])), shape=(size, size))
    return connected_components(graph, directed=False)[1]
