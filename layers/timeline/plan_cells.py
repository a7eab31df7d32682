"""A plan's headline on consecutive snapshots from grid cells: the report's figures without a split a day.

The report's way (:class:`peacemap.layers.timeline.plan.PlanDayFigures`) splits every region
along the day's line, applies the plan and estimates each zone's people. Here the regions are
cut on the grid of :class:`peacemap.layers.control.cells.CellControl`, which cuts again only the
cells where the line moved, and everything else follows the cells' *atoms*:

* a plan whose zones follow from region and control alone (no option draws a zone of its own)
  gives each region's held and occupied land a status once; a day's pieces are those with land;
* a piece's km² is the sum of its atoms' geodesic km², less what cutting its edges added: an
  edge cut at points that are no vertex of the report's zone (on grid lines; where the line meets
  the border inside one zone) counts as the cut pieces, whose densified geodesic area differs a
  little (:func:`_zone_areas_km2`); a region wholly on one side has its own km², as in the report;
* a piece's people come from the population model run on *shares* instead of geometry
  (:class:`peacemap.geo.population.ZoneShares`): a territory's or a town footprint's area in a
  zone is the sum of its areas in the zone's atoms, a town or village lies in the zone of the
  atom holding it. Each atom is projected as the report projects its zone, vertex by vertex,
  with the points cutting added moved onto the projected edge they lie on
  (:mod:`peacemap.geo.grid_projection`); its areas are measured when the atom is made (whole
  cells once a process), so a day costs only the cells the line crossed. The model's own
  arithmetic (:func:`peacemap.geo.population.estimate_from_shares`) and rounding give the people;
* the headline is the report's own (:func:`peacemap.layers.report.figures.headline_of`).

The sums still differ from the report's overlays in the last digits (up to about 0.00001 km² a
piece and 0.0005 persons a zone, measured). So each day checks how far every rounded figure lies
from turning: an area within :data:`AREA_MARGIN_KM2` of a rounding boundary (0.05 km²), people
within :data:`PERSONS_MARGIN` of one, a town on the line, a territory that barely touches a zone
(the band widens for a territory a zone only partly covers). Such a day is measured the report's
way instead, so every figure equals the report's.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import cast

import geopandas as gpd
import numpy as np
import shapely

from peacemap.geo import grid_projection
from peacemap.geo.area import geodesic_area_km2, ring_signed_area_m2
from peacemap.geo.population import RegionModel, ZoneShares, estimate_from_shares
from peacemap.geo.projections import to_metric
from peacemap.layers.control import HELD, OCCUPIED
from peacemap.layers.control.cells import CELL_DEG, CellControl
from peacemap.layers.plans.model import Plan
from peacemap.layers.population.model import PopulationModel, rounded_estimate, rounding_margin
from peacemap.layers.report.measures import Measure
from peacemap.layers.report.pieces import POPULATION_COLUMNS, Pieces, Record

logger = logging.getLogger(__name__)

# An area figure this close (km²) to a rounding boundary of 0.1 km² could round the other way in
# the report: the day is measured the slow way. A piece's km² from its atoms differs from the
# report's by at most 1.4e-5 km² on 20 days sampled over the whole range (the geodesic area of
# a polygon depends a little on where its edges are cut, even after the corrections below), and
# a headline measure adds up at most a dozen pieces.
AREA_MARGIN_KM2 = 2e-4
# The same for people (persons): a zone's estimate from its atoms differs from the report's by at
# most 0.0005 persons on the days checked (bench/plan_timeline.py compares every day).
PERSONS_MARGIN = 2e-3
# A territory's share of a zone this close to 0 or 1 (but not equal) may be a touch in the
# report: there it is not "partly covered", and the band does not widen.
SHARE_MARGIN = 1e-9


class AmbiguousDay(Exception):
    """A figure of the day lies too close to a rounding boundary to trust the cells: use the slow path."""


def cells_can_measure(plan: Plan) -> bool:
    """Whether ``plan``'s zones follow from region and control alone (no option draws a zone)."""
    return not any(option.zones for option in plan.active_options())


@dataclass(frozen=True)
class PlanPieces:
    """The records of a plan's pieces, one per region and control, as the report makes them."""

    by_key: dict[tuple[str, str], Record]  # (region, control) -> record without area or people
    order: dict[str, list[str]]  # region -> its controls in the report's order of pieces


def plan_pieces_template(plan: Plan, units: gpd.GeoDataFrame) -> PlanPieces:
    """Status and meaning of every region's held and occupied land under ``plan``, through the
    report's own functions (:func:`peacemap.layers.plans.apply.assign_status`, ``dissolved``)."""
    from peacemap.layers.plans.apply import assign_status
    from peacemap.layers.report.figures import dissolved

    rows = [
        {"region": code, "region_name": name, "control": control, "area_km2": 1.0, "geometry": shapely.box(k, 2 * i, k + 1, 2 * i + 1)}
        for k, (code, name) in enumerate(zip(units["code"], units["name"]))
        for i, control in enumerate((OCCUPIED, HELD))
    ]
    zones = assign_status(gpd.GeoDataFrame(rows, geometry="geometry", crs=4326), plan)
    pieces = dissolved(zones, ["region", "status", "control"])
    by_key: dict[tuple[str, str], Record] = {}
    order: dict[str, list[str]] = {}
    for record in pieces.drop(columns="geometry").to_dict("records"):
        by_key[(record["region"], record["control"])] = {k: v for k, v in record.items() if k != "area_km2"}
        order.setdefault(record["region"], []).append(record["control"])
    return PlanPieces(by_key, order)


@dataclass
class _RegionParts:
    """One region's population model, with trees over its parts (metric)."""

    model: RegionModel
    territories: shapely.STRtree
    footprints: shapely.STRtree
    points: shapely.STRtree
    villages: shapely.STRtree
    territory_m2: np.ndarray
    footprint_m2: np.ndarray


@dataclass
class _AtomShares:
    """What one atom (metric) holds of its region's model: areas (m²) of the territories and
    footprints it meets, and the towns and villages on it (boundary included)."""

    territory: np.ndarray  # territory indices
    territory_m2: np.ndarray
    footprint: np.ndarray
    footprint_m2: np.ndarray
    points: np.ndarray
    villages: np.ndarray
    geometry: object  # the atom, metric (for the nearest zone of what lies on no atom)


@dataclass
class PlanCells:
    """A plan's pieces on snapshots fed in date order (see the module doc).

    Parameters
    ----------
    plan
        A plan whose zones follow from region and control alone (:func:`cells_can_measure`).
    control
        A fresh :class:`CellControl` of the unit regions.
    codes, unit_geometries, areas_km2
        The unit regions (ISO 3166-2) in the order of ``control``'s units, their land (EPSG:4326)
        and geodesic km².
    model
        The population model.
    """

    plan: Plan
    control: CellControl
    codes: tuple[str, ...]
    unit_geometries: np.ndarray
    areas_km2: np.ndarray
    model: PopulationModel
    template: PlanPieces = field(init=False)
    _regions: dict[str, _RegionParts] = field(default_factory=dict, init=False)
    # By ("cell", index) for a whole cell, ("atom", id) for a cut one: its vertices on grid lines
    # and its own geodesic km².
    _rows: dict[tuple[str, int], tuple[_GridRows, float, np.ndarray, np.ndarray]] = field(default_factory=dict, init=False)
    # By region, its atoms, their sides and the chords on its border: areas, people, rounding margin.
    _figures: dict[tuple[str, bytes], tuple[list[float], list[tuple[float, float, float]], float]] = field(default_factory=dict, init=False)
    # By that and the chords of those vertices: the shares of the projected atom.
    _measured: dict[tuple[tuple[str, int], bytes], _AtomShares] = field(default_factory=dict, init=False)
    _boundaries: dict[int, _Boundary] = field(default_factory=dict, init=False)
    _unit_cells: list[np.ndarray] = field(init=False)
    _polygon: shapely.Geometry = field(default=None, init=False)
    _edges: tuple[np.ndarray, np.ndarray, shapely.STRtree] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        units = gpd.GeoDataFrame({"code": list(self.codes), "name": list(self.codes)}, geometry=[None] * len(self.codes))
        self.template = plan_pieces_template(self.plan, units)
        self._unit_cells = [np.flatnonzero(self.control.cells.unit == index) for index in range(len(self.codes))]

    def pieces(self, occupied_polygon: shapely.Geometry) -> Pieces:
        """The day's pieces with area and people, as :func:`peacemap.layers.report.figures.plan_pieces`
        gives them for a snapshot whose (cleaned) occupied territory is ``occupied_polygon``.

        Raises
        ------
        AmbiguousDay
            A figure lies too near a rounding boundary (see the module doc).
        """
        occupied_km2 = self.control.occupied_km2(occupied_polygon)
        held_km2 = self.control.held_km2()
        self._polygon, self._edges = occupied_polygon, None
        records: list[Record] = []
        for index, code in enumerate(self.codes):
            present = [control for control, km2 in ((OCCUPIED, occupied_km2[index]), (HELD, held_km2[index])) if km2 > 0]
            present.sort(key=self.template.order[code].index)
            figures = self._whole_region(index, code) if len(present) == 1 else self._split_region(index, code, present)
            for control, (area, people) in zip(present, figures):
                record = dict(self.template.by_key[(code, control)], area_km2=area)
                record.update(zip(POPULATION_COLUMNS, people))
                records.append(record)
        return Pieces(records=records, geometries={}, zone_population=None)

    def _whole_region(self, index: int, code: str) -> list[tuple[float, tuple[float, float, float]]]:
        """A region wholly on one side: its own km² and its total, as the report gives them."""
        region = self.model.regions.get(code)
        total = float(round(region.total)) if region is not None else math.nan
        return [(float(self.areas_km2[index]), (total, total, total))]

    def _split_region(self, unit: int, code: str, present: list[str]) -> list[tuple[float, tuple[float, float, float]]]:
        """Area and people (population, low, high) of the region's pieces ``present`` (in that order)."""
        atoms = self.control.atoms
        ids = np.flatnonzero(atoms.alive[: atoms.size] & (atoms.unit[: atoms.size] == unit))
        key = (code, ids.tobytes() + self.control.occupied_atoms[ids].tobytes())
        if key not in self._figures:  # the region's atoms or their sides changed
            self._figures[key] = self._measure_region(unit, code, present)
        areas, people, margin = self._figures[key]
        if margin < PERSONS_MARGIN:
            raise AmbiguousDay(f"{code}: people {margin:.2g} from a rounding boundary")
        if min(areas) < AREA_MARGIN_KM2:
            raise AmbiguousDay(f"{code}: a piece of {min(areas):.2g} km²")
        return list(zip(areas, people))

    def _measure_region(self, unit: int, code: str, present: list[str]) -> tuple[list[float], list[tuple[float, float, float]], float]:
        """Areas (km²) and people of the pieces of a region on both sides of the line, and how far
        the people lie from a rounding boundary."""
        boundary = self._unit_boundary(unit)
        atoms = [atom for cell in self._unit_cells[unit].tolist() for atom in self._cell_atoms(cell, unit)]
        atom_ids = np.array([atom.atom for atom in atoms], dtype=int)
        zone_of_atom = np.where(self.control.occupied_atoms[atom_ids], present.index(OCCUPIED), present.index(HELD))
        runs = _border_runs(atoms, zone_of_atom)
        entries = [
            _AtomEntry(
                atom.atom,
                atom.anchor,
                atom.geometry,
                atom.rows,
                _chords(atom.rows, runs[zone]),
                atom.km2,
                atom.spans,
                atom.border,
                _border_chords(atom.border, runs[zone]),
            )
            for atom, zone in zip(atoms, zone_of_atom.tolist())
        ]
        areas = _zone_areas_km2(entries, zone_of_atom, len(present), runs, boundary)
        region = self.model.regions.get(code)
        if region is None:
            return areas, [(math.nan, math.nan, math.nan)] * len(present), math.inf
        parts = self._region_parts(code)
        shares = [self._shares(entry, parts, boundary) for entry in entries]
        estimate = estimate_from_shares(_zone_shares(shares, zone_of_atom, len(present), parts), parts.model)
        figures = rounded_estimate(estimate, region.total)
        return areas, [(float(a), float(b), float(c)) for a, b, c in figures], rounding_margin(estimate, region.total)

    def _region_parts(self, code: str) -> _RegionParts:
        if code not in self._regions:
            model = self.model.regions[code]
            self._regions[code] = _RegionParts(
                model=model,
                territories=shapely.STRtree(model.territories),
                footprints=shapely.STRtree(model.footprints),
                points=shapely.STRtree(model.points),
                villages=shapely.STRtree(model.villages),
                territory_m2=shapely.area(model.territories),
                footprint_m2=shapely.area(model.footprints),
            )
        return self._regions[code]

    def _cell_atoms(self, cell: int, unit: int) -> list[_AtomEntry]:
        """The atoms of ``cell``, each with its own km², its vertices on grid lines and the parts
        of its boundary along the region's (chords not set yet)."""
        entries = []
        atoms = self.control.atoms
        for atom in self.control.cell_atoms[cell].tolist():
            whole = bool(atoms.whole[atom])
            anchor = ("cell", cell) if whole else ("atom", atom)
            geometry = self.control.cells.geometries[cell] if whole else atoms.geometry[atom]
            if anchor not in self._rows:
                boundary = self._unit_boundary(unit)
                km2 = float(self.control.cells.km2[cell]) if whole else geodesic_area_km2(geometry)
                rows = _grid_rows(geometry, boundary.edges, None if whole else self._polygon_edges())
                self._rows[anchor] = (rows, km2, *_border_spans(geometry, boundary))
            rows, km2, spans, border = self._rows[anchor]
            entries.append(_AtomEntry(atom, anchor, geometry, rows, rows.static, km2, spans, border, np.zeros((0, 2))))
        return entries

    def _shares(self, entry: _AtomEntry, parts: _RegionParts, boundary: _Boundary) -> _AtomShares:
        """What the atom, projected as the report projects its zone, holds of the region's model."""
        key = (entry.anchor, entry.chords.tobytes() + entry.border_chords.tobytes())
        if key not in self._measured:
            self._measured[key] = _measure_part(_projected(entry, boundary), parts)
        return self._measured[key]

    def _unit_boundary(self, unit: int) -> _Boundary:
        if unit not in self._boundaries:
            self._boundaries[unit] = _Boundary.of(self.unit_geometries[unit])
        return self._boundaries[unit]

    def _polygon_edges(self) -> tuple[np.ndarray, np.ndarray, shapely.STRtree]:
        """The day's polygon's edges (starts, ends) and a tree over them."""
        if self._edges is None:
            starts, ends = grid_projection.segments(self._polygon)
            self._edges = (starts, ends, shapely.STRtree(shapely.linestrings(np.stack([starts, ends], axis=1))))
        return self._edges

    def forget_dead_atoms(self) -> None:
        """Drop what was kept of atoms no longer alive (the cells they were cut from were cut again)."""
        alive = self.control.atoms.alive
        for key in [key for key in self._measured if key[0][0] == "atom" and not alive[key[0][1]]]:
            del self._measured[key]
        for anchor in [anchor for anchor in self._rows if anchor[0] == "atom" and not alive[anchor[1]]]:
            del self._rows[anchor]


@dataclass(frozen=True)
class _AtomEntry:
    """An atom of a region on the day: its id, what it is kept under, its lon/lat geometry, its
    vertices on grid lines with the day's chords there, its own geodesic km², and where its
    boundary runs along the region's edges (the parts that start or end inside an edge)."""

    atom: int
    anchor: tuple[str, int]
    geometry: shapely.Geometry
    rows: _GridRows
    chords: np.ndarray
    km2: float
    spans: np.ndarray  # (n, 3): region edge, t from, t to: the atom's boundary along the region's
    border: np.ndarray  # (m, 3): coordinate index, region edge, t: its vertices inside the region's edges
    border_chords: np.ndarray  # (m, 2): the run of the zone's boundary along the edge each lies in (nan: none)


@dataclass(frozen=True)
class _GridRows:
    """The vertices of an atom (lon/lat) that lie on a grid line inside an edge of its region's
    boundary or of the day's polygon: their row among the atom's coordinates, the edge, where
    on it they lie (t), and the chord around them when it does not change with the day."""

    row: np.ndarray
    point: np.ndarray  # (n, 2) the vertices, lon/lat
    left: np.ndarray  # bool: the atom lies to the left of its edge (start to end)
    region_edge: np.ndarray  # bool: on an edge of the region's boundary (else of the polygon)
    edge: np.ndarray  # the region edge's index, for a region edge
    start: np.ndarray  # (n, 2) the edge, lon/lat
    end: np.ndarray
    t: np.ndarray
    static: np.ndarray  # (n, 2) chord parameters: a polygon edge cut where it crosses the region's boundary


def _grid_rows(
    geometry: shapely.Geometry, boundary: tuple[np.ndarray, np.ndarray, shapely.STRtree], polygon_edges: tuple[np.ndarray, np.ndarray, shapely.STRtree] | None
) -> _GridRows:
    """The grid vertices of ``geometry`` (see :class:`_GridRows`) on an edge of ``boundary`` or
    of ``polygon_edges`` (starts, ends, a tree over them; None: a whole cell, which has none)."""
    coords = shapely.get_coordinates(geometry)
    candidates = np.flatnonzero(grid_projection.on_grid(coords, CELL_DEG))
    b_starts, b_ends, b_tree = boundary
    on_boundary = _edges_through(coords[candidates], boundary)
    on_polygon = _edges_through(coords[candidates], polygon_edges) if polygon_edges is not None else np.full(len(candidates), -1)
    rows, region_edge, edge, start, end, t, static = [], [], [], [], [], [], []
    for row, k_boundary, k_polygon in zip(candidates.tolist(), on_boundary.tolist(), on_polygon.tolist()):
        point = coords[row]
        if k_boundary >= 0:
            a, b, on_region, k = b_starts[k_boundary], b_ends[k_boundary], True, k_boundary
        elif k_polygon >= 0 and polygon_edges is not None:
            a, b, on_region, k = polygon_edges[0][k_polygon], polygon_edges[1][k_polygon], False, -1
        else:
            continue  # a true vertex on a grid line: projected as it is
        where = float(np.dot(point - a, b - a) / np.dot(b - a, b - a))
        rows.append(row)
        region_edge.append(on_region)
        edge.append(k)
        start.append(a)
        end.append(b)
        t.append(where)
        if on_region:
            static.append((0.0, 1.0))
        else:  # a polygon edge is cut where it crosses the region's boundary
            near = b_tree.query(shapely.linestrings([a, b]))
            static.append(grid_projection.chord_parameters(where, grid_projection.crossings(a, b, b_starts[near], b_ends[near])))
    row_array = np.array(rows, dtype=int)
    starts, ends = np.array(start, dtype=float).reshape(-1, 2), np.array(end, dtype=float).reshape(-1, 2)
    return _GridRows(
        row_array,
        coords[row_array].reshape(-1, 2),
        _left_of_edges(geometry, row_array, starts, ends),
        np.array(region_edge, dtype=bool),
        np.array(edge, dtype=int),
        starts,
        ends,
        np.array(t, dtype=float),
        np.array(static, dtype=float).reshape(-1, 2),
    )


def _left_of_edges(geometry: shapely.Geometry, rows: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Whether the polygon ``geometry`` lies to the left of each edge (start to end) at the vertex
    ``rows`` (its index among the polygon's coordinates), from the way its ring runs there: a
    ring with the polygon on its left (a counter-clockwise shell, a clockwise hole) runs along
    the edge forwards exactly when the polygon is on the edge's left."""
    left = np.zeros(len(rows), dtype=bool)
    if len(rows) == 0:
        return left
    rings = shapely.get_rings(geometry)
    counts = shapely.get_num_coordinates(rings)
    offsets = np.concatenate([[0], np.cumsum(counts)])
    coords = shapely.get_coordinates(geometry)
    ccw = shapely.is_ccw(rings)
    for k, row in enumerate(rows.tolist()):
        ring = int(np.searchsorted(offsets, row, side="right") - 1)
        first, size = offsets[ring], counts[ring] - 1  # the closing vertex repeats the first
        i = (row - first) % size
        direction = ends[k] - starts[k]
        forward = _runs_forward(coords[first + (i + 1) % size] - coords[row], coords[row] - coords[first + (i - 1) % size], direction)
        polygon_on_left = bool(ccw[ring]) == (ring == 0)
        left[k] = forward == polygon_on_left
    return left


def _runs_forward(to_next: np.ndarray, from_previous: np.ndarray, direction: np.ndarray) -> bool:
    """Whether a ring runs along ``direction`` at a vertex: of its two sides (to the next vertex,
    from the previous one), the one along the edge (the other runs along the grid line)."""

    def off_line(v: np.ndarray) -> float:
        norm = float(np.hypot(*v) * np.hypot(*direction))
        return abs(float(grid_projection.cross(v, direction))) / norm if norm > 0 else math.inf

    along = to_next if off_line(to_next) <= off_line(from_previous) else from_previous
    return float(np.dot(along, direction)) > 0


def _edges_through(points: np.ndarray, edges: tuple[np.ndarray, np.ndarray, shapely.STRtree]) -> np.ndarray:
    """For each point, the index of the edge it lies inside, or -1."""
    starts, ends, tree = edges
    found = np.full(len(points), -1)
    if len(points) == 0:
        return found
    which, candidate = tree.query(shapely.points(points))
    for k in np.unique(which).tolist():
        mine = candidate[which == k]
        hit = grid_projection.edge_through(points[k], starts[mine], ends[mine])
        if hit >= 0:
            found[k] = mine[hit]
    return found


@dataclass(frozen=True)
class _Boundary:
    """A region's boundary as edges (lon/lat), with a tree over them, whether the region lies to
    the left of each, and its vertices (as bytes keys, sorted)."""

    starts: np.ndarray
    ends: np.ndarray
    tree: shapely.STRtree
    inside_left: np.ndarray
    vertices: np.ndarray

    @classmethod
    def of(cls, region: shapely.Geometry) -> _Boundary:
        parts = shapely.get_parts(region)
        starts, ends, left = [], [], []
        for part in parts:
            for ring_index, ring in enumerate(shapely.get_rings(part)):
                a, b = grid_projection.segments(shapely.polygons(ring))
                starts.append(a)
                ends.append(b)
                # A shell runs with the region on its left when counter-clockwise, a hole when clockwise.
                left.append(np.full(len(a), bool(shapely.is_ccw(ring)) == (ring_index == 0)))
        start, end = np.concatenate(starts), np.concatenate(ends)
        tree = shapely.STRtree(shapely.linestrings(np.stack([start, end], axis=1)))
        return cls(start, end, tree, np.concatenate(left), np.unique(_keys(shapely.get_coordinates(region))))

    @property
    def edges(self) -> tuple[np.ndarray, np.ndarray, shapely.STRtree]:
        return self.starts, self.ends, self.tree


def _keys(coords: np.ndarray) -> np.ndarray:
    """Coordinates (n, 2) as complex numbers (x + iy), which sort and compare exactly."""
    return coords[:, 0] + 1j * coords[:, 1]


def _among(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` is one of ``sorted_keys`` (sorted, as :func:`numpy.unique` gives them)."""
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys


def _border_spans(geometry: shapely.Geometry, boundary: _Boundary) -> tuple[np.ndarray, np.ndarray]:
    """Where ``geometry``'s rings run along an edge of the region's boundary from or to a point
    inside the edge (a grid crossing, where the line crosses the border): rows of (edge, t from,
    t to), t along the edge from its start; and those points: rows of (coordinate index, edge, t)."""
    coords = shapely.get_coordinates(geometry)
    inner = np.flatnonzero(~_among(_keys(coords), boundary.vertices))
    edge_of = np.full(len(coords), -1)
    edge_of[inner] = _edges_through(coords[inner], boundary.edges)
    spans = []
    rings = shapely.get_rings(geometry)
    offsets = np.concatenate([[0], np.cumsum(shapely.get_num_coordinates(rings))])
    for first, stop in zip(offsets[:-1].tolist(), offsets[1:].tolist()):
        for i in range(first, stop - 1):
            edge = edge_of[i] if edge_of[i] >= 0 else edge_of[i + 1]
            if edge < 0 or (edge_of[i] >= 0 and edge_of[i + 1] >= 0 and edge_of[i] != edge_of[i + 1]):
                continue
            t0, t1 = _along(coords[i], boundary, edge), _along(coords[i + 1], boundary, edge)
            if t0 is not None and t1 is not None:
                spans.append((edge, min(t0, t1), max(t0, t1)))
    on_edges = np.flatnonzero(edge_of >= 0)
    border = [(i, edge_of[i], _along(coords[i], boundary, int(edge_of[i]))) for i in on_edges.tolist()]
    return (np.array(spans, dtype=float).reshape(-1, 3), np.array([row for row in border if row[2] is not None], dtype=float).reshape(-1, 3))


def _along(point: np.ndarray, boundary: _Boundary, edge: int) -> float | None:
    """Where ``point`` lies along ``edge`` (0 at its start, 1 at its end), None if off it."""
    a, b = boundary.starts[edge], boundary.ends[edge]
    if (point == a).all():
        return 0.0
    if (point == b).all():
        return 1.0
    d = b - a
    t = float(np.dot(point - a, d) / np.dot(d, d))
    off = abs(float(grid_projection.cross(d, point - a))) / float(np.hypot(*d))
    return t if 0 < t < 1 and off <= grid_projection.ON_LINE_DEG else None


def _border_runs(atoms: list[_AtomEntry], zone_of_atom: np.ndarray) -> list[dict[int, list[tuple[float, float, list[float]]]]]:
    """For each zone and region edge: the runs of the zone's boundary along the edge (t from, t to,
    and the atoms' vertices between). A run ends only where the zone's boundary leaves the edge:
    where the line meets the border between two zones, not where it meets it inside one (an
    enclave by the border), nor at a grid line."""
    n_zones = int(zone_of_atom.max()) + 1 if len(zone_of_atom) else 0
    spans: list[dict[int, list[tuple[float, float]]]] = [{} for _ in range(n_zones)]
    for atom, zone in zip(atoms, zone_of_atom.tolist()):
        for edge, t0, t1 in atom.spans.tolist():
            spans[zone].setdefault(int(edge), []).append((t0, t1))
    runs: list[dict[int, list[tuple[float, float, list[float]]]]] = [{} for _ in range(n_zones)]
    for zone, by_edge in enumerate(spans):
        for edge, pieces in by_edge.items():
            merged: list[tuple[float, float, list[float]]] = []
            for t0, t1 in sorted(pieces):
                if merged and t0 <= merged[-1][1]:
                    start, end, inside = merged[-1]
                    merged[-1] = (start, max(end, t1), [*inside, t0])
                else:
                    merged.append((t0, t1, []))
            runs[zone][edge] = [(a, b, sorted({t for t in inside if a < t < b})) for a, b, inside in merged]
    return runs


def _chords(rows: _GridRows, runs: dict[int, list[tuple[float, float, list[float]]]]) -> np.ndarray:
    """The chord of each grid vertex: on a polygon edge, between the true vertices around it
    (fixed); on a region edge, the ends of the zone's run along the edge that holds it."""
    chords = rows.static.copy()
    for k in np.flatnonzero(rows.region_edge).tolist():
        for start, end, _ in runs.get(int(rows.edge[k]), []):
            if start <= rows.t[k] <= end:
                chords[k] = (start, end)
                break
    return chords


def _border_chords(border: np.ndarray, runs: dict[int, list[tuple[float, float, list[float]]]]) -> np.ndarray:
    """For each vertex inside a region's edge (``border`` rows), the run of the zone's boundary
    along the edge it lies strictly inside, (t from, t to); nan where it ends a run (a true
    vertex of the zone, projected as it is)."""
    chords = np.full((len(border), 2), np.nan)
    for k, (_, edge, t) in enumerate(border.tolist()):
        for start, end, _ in runs.get(int(edge), []):
            if start < t < end:
                chords[k] = (start, end)
                break
    return chords


def _zone_areas_km2(
    entries: list[_AtomEntry], zone_of_atom: np.ndarray, n_zones: int, runs: list[dict[int, list[tuple[float, float, list[float]]]]], boundary: _Boundary
) -> list[float]:
    """Geodesic km² of each zone: its atoms' km², less what cutting its edges added.

    A zone's edge from U to W cut at X1 … Xn (on grid lines; on the region's border also where
    the line meets it inside the zone) counts, in its atoms, as U→X1 … Xn→W; measured
    geodesically with densified edges that is not quite U→W. The difference is the signed area
    of the ring U, X1 … Xn, W (geo.area.ring_signed_area_m2), taken off on the zone's side.
    """
    areas = np.bincount(zone_of_atom, weights=[entry.km2 for entry in entries], minlength=n_zones).astype(float)
    for zone, by_edge in enumerate(runs):
        for edge, edge_runs in by_edge.items():
            start, end = boundary.starts[edge], boundary.ends[edge]
            for t0, t1, inside in edge_runs:
                if inside:
                    areas[zone] -= _cut_km2(start, end, [t0, *inside, t1], bool(boundary.inside_left[edge]))
    # Polygon edges: by zone, edge and chord, the grid vertices on it, by side (an edge inside a
    # zone, such as the line around an enclave, has the zone on both sides; the two cancel).
    edges: dict[tuple, tuple[np.ndarray, np.ndarray, dict[bool, set[float]]]] = {}
    for entry, zone in zip(entries, zone_of_atom.tolist()):
        rows = entry.rows
        for k in np.flatnonzero(~rows.region_edge).tolist():
            key = (zone, rows.start[k].tobytes(), rows.end[k].tobytes(), entry.chords[k].tobytes())
            found = edges.setdefault(key, (rows.start[k], rows.end[k], {True: set(), False: set()}))
            found[2][bool(rows.left[k])].add(float(rows.t[k]))
    for key, (start, end, sides) in edges.items():
        before, after = np.frombuffer(key[3])
        for left, points in sides.items():
            if points:
                areas[key[0]] -= _cut_km2(start, end, [before, *sorted(points), after], left)
    return areas.tolist()


_CUTS: dict[tuple[bytes, bytes, tuple[float, ...]], float] = {}  # by edge and cuts: the signed km², once a process


def _cut_km2(start: np.ndarray, end: np.ndarray, t: list[float], left: bool) -> float:
    """What cutting the edge (start to end) at the inner ``t`` adds to a zone on its left (or right)."""
    key = (start.tobytes(), end.tobytes(), tuple(t))
    if key not in _CUTS:
        _CUTS[key] = _signed_cut_km2(start, end, t)
    return _CUTS[key] if left else -_CUTS[key]


def _signed_cut_km2(start: np.ndarray, end: np.ndarray, t: list[float]) -> float:
    ring = start + np.array(t)[:, None] * (end - start)
    ring[0] = start if t[0] == 0 else ring[0]
    ring[-1] = end if t[-1] == 1 else ring[-1]
    return ring_signed_area_m2(np.vstack([ring, ring[:1]])) / 1e6


def _projected(entry: _AtomEntry, boundary: _Boundary) -> shapely.Geometry:
    """The atom projected to the model's metric CRS vertex by vertex, each vertex that cutting
    added inside an edge of the zone (on a grid line; where the line meets the border inside the
    zone) moved onto the projected chord of that edge, and repaired as the population model
    repairs projected zones."""
    projected = to_metric(entry.geometry)
    rows, chords = entry.rows, entry.chords
    moves = [(int(rows.row[k]), rows.start[k], rows.end[k], float(rows.t[k]), float(chords[k, 0]), float(chords[k, 1])) for k in range(len(rows.row))]
    for (row, edge, t), (before, after) in zip(entry.border.tolist(), entry.border_chords.tolist(), strict=True):
        if not np.isnan(before):
            moves.append((int(row), boundary.starts[int(edge)], boundary.ends[int(edge)], t, before, after))
    if moves:
        coords = shapely.get_coordinates(projected)
        ends_lonlat = np.array([start + t_end * (end - start) for _, start, end, _, before, after in moves for t_end in (before, after)])
        ends_metric = shapely.get_coordinates(to_metric(shapely.multipoints(ends_lonlat)))
        for k, (row, _, _, t, before, after) in enumerate(moves):
            coords[row] = grid_projection.chord_point(ends_metric[2 * k], ends_metric[2 * k + 1], t, before, after)
        projected = grid_projection.with_coordinates(projected, coords)
    return shapely.make_valid(projected)


def _measure_part(atom: shapely.Geometry, parts: _RegionParts) -> _AtomShares:
    """A part's (metric) areas of territories and footprints and the towns and villages on it."""
    shapely.prepare(atom)
    territory, territory_m2 = _areas(atom, parts.territories, parts.model.territories, parts.territory_m2)
    footprint, footprint_m2 = _areas(atom, parts.footprints, parts.model.footprints, parts.footprint_m2)
    points = parts.points.query(atom, predicate="intersects") if len(parts.model.points) else np.zeros(0, dtype=int)
    villages = parts.villages.query(atom, predicate="intersects") if len(parts.model.villages) else np.zeros(0, dtype=int)
    return _AtomShares(territory, territory_m2, footprint, footprint_m2, np.asarray(points, dtype=int), np.asarray(villages, dtype=int), atom)


def _areas(atom: shapely.Geometry, tree: shapely.STRtree, geometries: np.ndarray, full_m2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices and areas (m²) of ``geometries`` within ``atom``; one wholly inside it counts whole,
    as :func:`peacemap.geo.population.area_fractions` counts it."""
    if len(geometries) == 0:
        return np.zeros(0, dtype=int), np.zeros(0)
    found = np.asarray(tree.query(atom, predicate="intersects"), dtype=int)
    if len(found) == 0:
        return found, np.zeros(0)
    inside = shapely.contains_properly(atom, geometries[found])
    areas = np.where(inside, full_m2[found], 0.0)
    edge = np.flatnonzero(~inside)
    if len(edge):
        areas[edge] = shapely.area(shapely.intersection(geometries[found[edge]], atom))
    return found, areas


def _zone_shares(shares: list[_AtomShares], zone_of_atom: np.ndarray, n_zones: int, parts: _RegionParts) -> ZoneShares:
    """The zones' shares of the region's model, summed over their atoms.

    Raises
    ------
    AmbiguousDay
        A town or village on atoms of two zones (on the line), or on none with two zones about
        as near; a territory no zone holds, or that barely touches a zone.
    """
    model = parts.model
    territory = _summed([s.territory for s in shares], [s.territory_m2 for s in shares], zone_of_atom, (len(model.territories), n_zones))
    footprint = _summed([s.footprint for s in shares], [s.footprint_m2 for s in shares], zone_of_atom, (len(model.points), n_zones))
    territory = _normalised(territory)
    if (territory.sum(axis=1) == 0).any():
        raise AmbiguousDay("a territory that no zone holds")
    if (((territory > 0) & (territory < SHARE_MARGIN)) | ((territory < 1) & (territory > 1 - SHARE_MARGIN))).any():
        raise AmbiguousDay("a territory that barely touches a zone")
    point_zone = _point_zones([s.points for s in shares], zone_of_atom, len(model.points), model.points, shares)
    footprint = _normalised(footprint)
    empty = footprint.sum(axis=1) == 0
    footprint[empty, point_zone[empty]] = 1.0
    village_zone = _point_zones([s.villages for s in shares], zone_of_atom, len(model.villages), model.villages, shares)
    return ZoneShares(territory, point_zone, footprint, village_zone)


def _summed(indices: list[np.ndarray], values: list[np.ndarray], zone_of_atom: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    matrix = np.zeros(shape)
    if shape[0] == 0:
        return matrix
    zones = np.concatenate([np.full(len(i), z) for i, z in zip(indices, zone_of_atom.tolist())])
    np.add.at(matrix, (np.concatenate(indices).astype(int), zones.astype(int)), np.concatenate(values))
    return matrix


def _normalised(overlap: np.ndarray) -> np.ndarray:
    """Rows divided by their sums, as :func:`peacemap.geo.population.area_fractions` normalises them."""
    covered = overlap.sum(axis=1, keepdims=True)
    return np.divide(overlap, covered, out=np.zeros_like(overlap), where=covered > 0)


def _point_zones(indices: list[np.ndarray], zone_of_atom: np.ndarray, count: int, points: np.ndarray, shares: list[_AtomShares]) -> np.ndarray:
    """The zone holding each point; the nearest zone for one on no atom (as point_zones)."""
    if count == 0:
        return np.zeros(0, dtype=int)
    found = np.zeros((count, int(zone_of_atom.max()) + 1), dtype=bool)
    for index, zone in zip(indices, zone_of_atom.tolist()):
        found[index, zone] = True
    if (found.sum(axis=1) > 1).any():
        raise AmbiguousDay("a town or village on the line")
    zone = np.argmax(found, axis=1)
    nowhere = np.flatnonzero(~found.any(axis=1))
    if len(nowhere):
        zone[nowhere] = _nearest_zones(points[nowhere], shares, zone_of_atom, found.shape[1])
    return zone


def _nearest_zones(points: np.ndarray, shares: list[_AtomShares], zone_of_atom: np.ndarray, n_zones: int) -> np.ndarray:
    geometries = np.array([s.geometry for s in shares], dtype=object)
    distances = np.full((len(points), n_zones), np.inf)
    for zone in range(n_zones):
        mine = geometries[zone_of_atom == zone]
        if len(mine):
            tree = shapely.STRtree(mine)
            _, distance = tree.query_nearest(points, return_distance=True, all_matches=False)
            distances[:, zone] = distance
    ordered = np.sort(distances, axis=1)
    if n_zones > 1 and (ordered[:, 1] - ordered[:, 0] < 1e-6).any():
        raise AmbiguousDay("a town or village off the region about as near to two zones")
    return np.argmin(distances, axis=1)


def headline_figures(pieces: Pieces, measures: tuple[Measure, ...]) -> dict:
    """The headline of ``pieces`` for ``measures``, checking that no area figure lies within
    :data:`AREA_MARGIN_KM2` of a rounding boundary (0.05 km²)."""
    from peacemap.layers.report.figures import SELECTIONS, headline_of

    for measure in measures:
        area = sum(r["area_km2"] for r in pieces.records if SELECTIONS[measure](r))
        if abs(area * 10 - math.floor(area * 10) - 0.5) * 0.1 < AREA_MARGIN_KM2 and area > 0:
            raise AmbiguousDay(f"{measure}: {area} km² near a rounding boundary")
    return cast(dict, headline_of(pieces))
