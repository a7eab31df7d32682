"""Occupied km² per region on every DeepState snapshot, fast and cached, and its trailing changes.

The figure for a region on a date is the report's (``layers.control``): the region minus its
held land, where held land is the largest piece of the country minus the occupied polygon
(the mainland) plus the pieces that do not touch the polygon (islands); enclaves count as
occupied; strips under 50 m wide change sides. :class:`FastControl` gets the same geodesic
km² from cheaper overlays:

* held(R) = the parts of R − polygon that lie outside every enclave, less thin held strips
  touching occupied land, plus thin occupied strips (parts of R ∩ polygon and of enclaves)
  touching held land, as geo.clean.swap_slivers moves them; every part of R − polygon lies
  wholly inside one piece of country − polygon, so a point of it says whether it is in an
  enclave, and no overlay with the enclaves is needed. occupied(R) = area(R) − held(R);
* enclaves are found in a box around the polygon (the country outside the box is checked to
  be one connected part, else the whole country is used);
* held(R) is reused while neither the polygon across R nor the enclaves in R changed since
  the day before; polygon parts seen before are not measured again;
* runs of consecutive snapshots are measured in parallel processes.

Results are cached per snapshot (keyed by its sha256) in the user cache folder, under a key
made of the region sources' sha256, the method version and the code that computes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from peacemap.geo.area import geodesic_areas_km2
from peacemap.geo.clean import clean_polygon, is_sliver, polygonal
from peacemap.layers import registry
from peacemap.layers.control import SLIVER_WIDTH_M
from peacemap.layers.errors import DataSourceError, SnapshotDateError
from peacemap.layers.writing import atomic_write, atomic_write_text

logger = logging.getLogger(__name__)

# Bump when the meaning of a cached figure changes. The cache key also holds a hash of the
# source code of the modules that compute the figures, so editing them invalidates it too.
METHOD_VERSION = 2  # 2: strips under SLIVER_WIDTH_M moved across, as control_zones does
DONETSK = "UA-14"
TRAILING_WINDOWS_DAYS = (30, 90)
DMZ_PACE_WINDOW_DAYS = 90
NOT_ADVANCING = "never/not advancing"
PROGRESS_EVERY = 100  # snapshots between progress messages
# Code that shapes the figures: the region land (units cache), then the split (series cache).
_UNITS_CODE = ("layers/regions.py", "layers/boundaries.py", "layers/control.py", "geo/land.py", "geo/clean.py",
               "geo/area.py")
_SERIES_CODE = ("layers/timeline.py", "layers/deepstate.py")


# --------------------------------------------------------------------------------------------
# Reading snapshots


def read_occupied_fast(path: Path) -> Polygon | MultiPolygon:
    """Occupied territory of a DeepState file (EPSG:4326), as :func:`deepstate.read_occupied`.

    Parses with GEOS's GeoJSON reader instead of building shapes in Python (about 5 times
    faster); the cleaning steps are the same, so the polygon is identical.
    """
    try:
        collection = shapely.from_geojson(Path(path).read_bytes())
    except (OSError, shapely.errors.GEOSException) as error:
        raise DataSourceError(f"cannot read DeepState snapshot {path}: {error}") from error
    parts = [clean_polygon(part) for part in shapely.get_parts(collection) if part is not None and not part.is_empty]
    if len(parts) == 1:
        # A cleaned (valid) polygon is its own union; deepstate.read_occupied unions it anyway,
        # which changes at most where its rings start (tests check the areas agree).
        return parts[0]
    return clean_polygon(shapely.union_all(parts))


# --------------------------------------------------------------------------------------------
# The fast control split


# The occupied polygon's bounding box, widened by this margin and rounded out to this grid
# (degrees), is the window in which enclaves are found; few distinct windows occur.
_WINDOW_MARGIN_DEG = 0.05
_WINDOW_GRID_DEG = 0.5
_MAX_REMEMBERED_PARTS = 100_000  # polygons whose area is remembered
_REMEMBERED_PART_COORDS = 200  # only polygons with at most this many vertices (WKB ≤ 3.2 kB)


@dataclass(frozen=True)
class _Window:
    """Country ∩ a box, and how the country outside the box meets it.

    ``anchors`` are points on the box edge, one in each stretch where the country crosses it;
    ``far_area`` is the planar area (deg²) of the country outside the box. ``usable`` is False
    when the country outside the box is not one connected part meeting the box along a line
    (a piece could then be cut off outside the box); the whole country is used then.
    """

    bounds: tuple[float, float, float, float]
    land: Polygon | MultiPolygon
    anchors: np.ndarray | None  # shapely Points; None for the whole country
    far_area: float
    usable: bool


@dataclass
class FastControl:
    """Occupied km² per unit region for occupied polygons, as the report computes them.

    The report's occupied land of unit R is R − held land, where held land is the mainland
    (the largest piece of country − polygon) and islands (pieces not touching the polygon).
    As pieces of country − polygon touch one another at points at most, R − polygon is the
    disjoint union of R ∩ piece over the pieces, so

        occupied(R) = area(R) − area(R − polygon) + Σ area(R ∩ enclave)

    where enclaves are the pieces that touch the polygon but are not the mainland. The overlays
    are the report's (R cut by the polygon's edges), so the geodesic areas agree (to about
    0.003 km²). Enclaves are found in a box around the polygon; area(R − polygon) is reused
    while no edge of the polygon across R changed; each enclave is cut by the units once.

    Feed it the snapshots in date order: reuse is checked against the polygon it was given
    before, so any order gives the same figures, only slower.

    Parameters
    ----------
    geometries
        Unit region polygons (land and inland water), EPSG:4326; they tile ``country``.
    country
        Their union, EPSG:4326 (as the report builds it: ``shapely.union_all``).
    areas_km2
        The units' geodesic areas, if already known.
    """

    geometries: np.ndarray
    country: Polygon | MultiPolygon
    areas_km2: np.ndarray | None = None
    stats: dict = field(default_factory=lambda: {"overlays": 0, "reused": 0, "unchanged": 0, "windows": 0,
                                                 "whole_country": 0})

    def __post_init__(self) -> None:
        self.geometries = np.asarray(self.geometries, dtype=object)
        self.country = clean_polygon(self.country)
        if self.areas_km2 is None:
            self.areas_km2 = geodesic_areas_km2(self.geometries)
        self._tree = shapely.STRtree(self.geometries)
        shapely.prepare(self.geometries)
        # One point inside each part of each unit: a part no edge crosses is all in or all out.
        self._probes = [shapely.point_on_surface(shapely.get_parts(g)) for g in self.geometries]
        self._windows: dict[tuple[float, ...], _Window] = {}
        self._units_of: dict[bytes, np.ndarray] = {}  # enclave (normalised WKB) -> units it overlaps
        self._outside: dict[int, tuple[float, tuple]] = {}  # unit -> (held km², its enclaves' keys), while unchanged
        self._part_km2: dict[bytes, float] = {}  # polygon (normalised WKB) -> geodesic km²
        self._previous: tuple[dict, list[np.ndarray], np.ndarray] | None = None  # parts, probes, result

    def occupied_km2(self, occupied_polygon: Polygon | MultiPolygon) -> np.ndarray:
        """Occupied geodesic km² of each unit (same order as ``geometries``) for one polygon.

        ``occupied_polygon`` is a cleaned DeepState polygon, EPSG:4326. The figures are those
        of ``control_zones(units, split_country(country, occupied_polygon))``.
        """
        shapely.prepare(occupied_polygon)
        parts = shapely.get_parts(occupied_polygon)
        blobs = dict(zip(shapely.to_wkb(parts), parts))
        inside = [shapely.contains(occupied_polygon, probes) for probes in self._probes]
        if self._previous is not None and self._forget_changed(blobs, inside):
            self.stats["unchanged"] += 1
            return self._previous[2].copy()
        occupied = self._occupied_km2(occupied_polygon)
        self._previous = (blobs, inside, occupied)
        return occupied.copy()

    def _forget_changed(self, blobs: dict, inside: list[np.ndarray]) -> bool:
        """Forget units whose part of the polygon changed; True if nothing changed at all.

        Edges that changed are those of the polygon parts (compared as WKB) that are new or
        gone; a unit is forgotten if one of them crosses it, or if one of its own parts went
        from outside the polygon to inside or back.
        """
        previous_blobs, previous_inside, _ = self._previous
        new = [part for blob, part in blobs.items() if blob not in previous_blobs]
        gone = [part for blob, part in previous_blobs.items() if blob not in blobs]
        flipped = [not np.array_equal(a, b) for a, b in zip(previous_inside, inside)]
        if not new and not gone and not any(flipped):
            return True
        changed = np.setxor1d(_edge_keys(new), _edge_keys(gone))
        segments = shapely.linestrings(changed.view(np.float64).reshape(-1, 2, 2)) if len(changed) else None
        for unit in list(self._outside):
            if flipped[unit] or (segments is not None and shapely.intersects(self.geometries[unit], segments).any()):
                del self._outside[unit]
        return False

    def _occupied_km2(self, occupied_polygon) -> np.ndarray:
        occupied = np.zeros(len(self.geometries))
        candidates = self._tree.query(occupied_polygon)
        touched = candidates[shapely.intersects(self.geometries[candidates], occupied_polygon)]
        if len(touched) == 0:
            return occupied
        enclaves = self._enclaves(occupied_polygon)
        keys = shapely.to_wkb(shapely.normalize(enclaves)).tolist() if len(enclaves) else []
        shapes = dict(zip(keys, enclaves))
        enclave_keys = self._enclave_keys_by_unit(enclaves, keys)
        touched = np.union1d(touched, np.array(sorted(enclave_keys), dtype=int))
        held = self._held_km2(touched, occupied_polygon, shapes, enclave_keys)
        occupied[touched] = self.areas_km2[touched] - held
        return occupied

    def _enclaves(self, occupied_polygon) -> np.ndarray:
        """Pieces of country − polygon that touch the polygon and are not the mainland."""
        window = self._window(occupied_polygon)
        pieces = self._pieces_of(window, occupied_polygon)
        if pieces is None:
            pieces = self._pieces_of(self._whole_country(), occupied_polygon)
        return pieces[shapely.intersects(occupied_polygon, pieces)]

    def _pieces_of(self, window: _Window, occupied_polygon) -> np.ndarray | None:
        """The non-mainland pieces of the window's land − polygon, or None if undecidable."""
        if not window.usable or not shapely.contains_properly(shapely.box(*window.bounds), occupied_polygon):
            return None
        # GEOS overlay results are valid, so only clean_polygon's polygon filter is needed here
        # (its validity check costs about 4 ms a snapshot; tests compare with the report).
        pieces = shapely.get_parts(polygonal(window.land.difference(occupied_polygon)))
        planar = shapely.area(pieces)
        linked = np.zeros(len(pieces), dtype=bool)
        if window.anchors is None:  # the whole country: the mainland is the largest piece
            if len(pieces):
                linked[int(np.argmax(planar))] = True  # first of equals, as max() in control
            self.stats["whole_country"] += 1
        else:
            linked[shapely.STRtree(pieces).query(window.anchors, predicate="intersects")[1]] = True
            if (~linked).any() and planar[~linked].max() >= window.far_area + planar[linked].sum():
                return None
            self.stats["windows"] += 1
        return pieces[~linked]

    def _window(self, occupied_polygon) -> _Window:
        xmin, ymin, xmax, ymax = shapely.bounds(occupied_polygon)
        grid, margin = _WINDOW_GRID_DEG, _WINDOW_MARGIN_DEG
        bounds = (math.floor((xmin - margin) / grid) * grid, math.floor((ymin - margin) / grid) * grid,
                  math.ceil((xmax + margin) / grid) * grid, math.ceil((ymax + margin) / grid) * grid)
        if bounds not in self._windows:
            self._windows[bounds] = _build_window(self.country, bounds)
        return self._windows[bounds]

    def _whole_country(self) -> _Window:
        if "country" not in self._windows:
            self._windows["country"] = _Window((-180.0, -90.0, 180.0, 90.0), self.country, None, 0.0, True)
        return self._windows["country"]

    def _held_km2(self, units: np.ndarray, occupied_polygon, shapes: dict[bytes, Polygon], enclave_keys: dict) -> np.ndarray:
        """km² of held land in ``units``, as control_zones makes it: unit − polygon − enclaves,
        then strips under SLIVER_WIDTH_M moved across as geo.clean.swap_slivers moves them. Reused while
        the polygon across a unit and the enclaves in it are unchanged."""
        todo = [u for u in units if self._outside.get(u, (None, None))[1] != enclave_keys.get(u, ())]
        self.stats["overlays"] += len(todo)
        self.stats["reused"] += len(units) - len(todo)
        for unit in todo:
            km2 = self._held_with_slivers_moved_km2(self.geometries[unit], occupied_polygon,
                                                    [shapes[key] for key in enclave_keys.get(unit, ())])
            self._outside[unit] = (km2, enclave_keys.get(unit, ()))
        return np.array([self._outside[u][0] for u in units])

    def _held_with_slivers_moved_km2(self, region, occupied_polygon, enclaves: list) -> float:
        """Held km² of one unit as control_zones makes it, from two overlays of the unit with
        the polygon and no overlay with the enclaves.

        Held land is region − polygon less the enclaves. Each enclave is a whole piece of
        country − polygon, so every part of region − polygon lies wholly inside one enclave or
        outside all of them: a point of the part tells which. Then, as geo.clean.swap_slivers
        does, held parts thinner than SLIVER_WIDTH_M that touch occupied land leave, and
        occupied parts that thin and touching held land join.
        """
        crossed = shapely.intersects(region, occupied_polygon)
        outside = list(shapely.get_parts(polygonal(region.difference(occupied_polygon)))) if crossed else list(shapely.get_parts(region))
        occupied = list(shapely.get_parts(polygonal(region.intersection(occupied_polygon)))) if crossed else []
        if enclaves and outside:
            points = shapely.point_on_surface(np.array(outside, dtype=object))
            in_enclave = np.zeros(len(outside), dtype=bool)
            in_enclave[shapely.STRtree(np.array(enclaves, dtype=object)).query(points, predicate="within")[0]] = True
            occupied += [part for part, inside in zip(outside, in_enclave) if inside]
            outside = [part for part, inside in zip(outside, in_enclave) if not inside]
        held = shapely.MultiPolygon(outside) if outside else shapely.MultiPolygon()
        occupied_land = shapely.MultiPolygon(occupied) if occupied else shapely.MultiPolygon()
        shapely.prepare(held)
        shapely.prepare(occupied_land)
        # Touching is tested first: it is cheap, and few parts touch the other side.
        leaving = [part for part in outside if occupied_land.intersects(part) and is_sliver(part, min_width_m=SLIVER_WIDTH_M)]
        joining = _thin_parts_touching(occupied, held)
        km2 = float(self._areas_by_part(np.array([held], dtype=object))[0])
        return km2 - float(geodesic_areas_km2(leaving).sum()) + float(geodesic_areas_km2(joining).sum())

    def _enclave_keys_by_unit(self, enclaves: np.ndarray, keys: list[bytes]) -> dict[int, tuple[bytes, ...]]:
        """For each unit an enclave overlaps, the enclaves' keys (normalised WKB), sorted, so
        that the same enclaves on another day compare equal."""
        self._remember_units(enclaves, keys)
        by_unit: dict[int, list[bytes]] = {}
        for key in keys:
            for unit in self._units_of[key].tolist():
                by_unit.setdefault(unit, []).append(key)
        return {unit: tuple(sorted(unit_keys)) for unit, unit_keys in by_unit.items()}

    def _areas_by_part(self, geometries: np.ndarray) -> np.ndarray:
        """Geodesic km² of each geometry, summed over its polygons.

        Small polygons met before (such as the enclaves along the coast, which recur daily)
        are not measured again; large ones, which change daily, are not remembered.
        """
        parts, owner = shapely.get_parts(geometries, return_index=True)
        km2 = np.zeros(len(parts))
        small = np.flatnonzero(shapely.get_num_coordinates(parts) <= _REMEMBERED_PART_COORDS)
        keys = dict(zip(small.tolist(), shapely.to_wkb(shapely.normalize(parts[small]))))
        if len(self._part_km2) > _MAX_REMEMBERED_PARTS:
            self._part_km2.clear()
        todo = [k for k in range(len(parts)) if keys.get(k) not in self._part_km2]
        km2[todo] = geodesic_areas_km2(parts[todo])
        for k in range(len(parts)):
            if k in keys:
                if keys[k] in self._part_km2:
                    km2[k] = self._part_km2[keys[k]]
                else:
                    self._part_km2[keys[k]] = km2[k]
        return np.bincount(owner, weights=km2, minlength=len(geometries))

    def _remember_units(self, enclaves: np.ndarray, keys: list[bytes]) -> None:
        """Remember, for each enclave not met before, the units it overlaps."""
        new = [k for k, key in enumerate(keys) if key not in self._units_of]
        if not new:
            return
        piece, unit = self._tree.query(enclaves[new])
        overlaps = shapely.intersects(self.geometries[unit], enclaves[new][piece])
        piece, unit = piece[overlaps], unit[overlaps]
        for k, index in enumerate(new):
            self._units_of[keys[index]] = unit[piece == k]


def _thin_parts_touching(pieces: list, other) -> list:
    """Parts of the union of ``pieces`` (polygons that do not overlap) thinner than
    SLIVER_WIDTH_M everywhere that touch ``other`` (prepared).

    Pieces that touch are merged first, as a union would merge them. A merged part touches
    ``other`` only if one of its pieces does, and is wide if one of its pieces is, so only
    groups with a piece touching ``other`` and no wide piece are merged and measured.
    """
    if not pieces:
        return []
    pieces_array = np.array(pieces, dtype=object)
    touching = shapely.intersects(other, pieces_array)
    if not touching.any():
        return []
    found = []
    for group in _touching_groups(pieces_array):
        if not touching[group].any() or not all(is_sliver(pieces[i], min_width_m=SLIVER_WIDTH_M) for i in group):
            continue
        merged = shapely.union_all(pieces_array[group]) if len(group) > 1 else pieces[group[0]]
        found += [part for part in shapely.get_parts(polygonal(merged))
                  if other.intersects(part) and is_sliver(part, min_width_m=SLIVER_WIDTH_M)]
    return found


def _touching_groups(pieces: np.ndarray) -> list[list[int]]:
    """Indices of ``pieces`` grouped by contact (union-find over touching pairs)."""
    parent = list(range(len(pieces)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    left, right = shapely.STRtree(pieces).query(pieces, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist()):
        parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(pieces)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _build_window(country, bounds: tuple[float, float, float, float]) -> _Window:
    """The country in the box ``bounds``, with anchors where the country crosses the box edge."""
    box = shapely.box(*bounds)
    land = clean_polygon(country.intersection(box))
    far_parts = shapely.get_parts(clean_polygon(country.difference(box)))
    ring = box.exterior
    meets = [part for part in far_parts if shapely.length(shapely.intersection(part.boundary, ring)) > 0]
    stretches = [line for line in shapely.get_parts(shapely.intersection(ring, country))
                 if line.geom_type == "LineString" and line.length > 0]
    # The middle of a stretch's first segment lies exactly on the box edge (edges are axis-aligned).
    anchors = [shapely.points(shapely.get_coordinates(line)[:2].mean(axis=0)) for line in stretches]
    if len(meets) != 1 or not anchors:
        logger.debug("window %s: the country outside it is not one part; using the whole country", bounds)
        return _Window(bounds, land, None, 0.0, False)
    return _Window(bounds, land, np.array(anchors, dtype=object), float(meets[0].area), True)


def _edge_keys(polygons: list[Polygon]) -> np.ndarray:
    """The polygons' edges as sorted, direction-free byte keys (x1, y1, x2, y2 as float64)."""
    if not polygons:
        return np.zeros(0, dtype=np.dtype((np.void, 32)))
    coords, ring = shapely.get_coordinates(shapely.get_rings(polygons), return_index=True)
    same_ring = ring[:-1] == ring[1:]
    start, end = coords[:-1][same_ring], coords[1:][same_ring]
    swap = (start[:, 0] > end[:, 0]) | ((start[:, 0] == end[:, 0]) & (start[:, 1] > end[:, 1]))
    first = np.where(swap[:, None], end, start)
    second = np.where(swap[:, None], start, end)
    segments = np.ascontiguousarray(np.hstack([first, second]))
    return np.unique(segments.view(np.dtype((np.void, 32))).ravel())


# --------------------------------------------------------------------------------------------
# Units and cache


@dataclass(frozen=True)
class Units:
    """The 27 unit regions the report splits (codes ISO 3166-2), their land and their union."""

    codes: tuple[str, ...]
    geometries: np.ndarray  # EPSG:4326
    country: Polygon | MultiPolygon
    areas_km2: np.ndarray  # geodesic, as the report's region areas

    def control(self) -> FastControl:
        return FastControl(self.geometries, self.country, self.areas_km2)


def timeline_cache_dir() -> Path:
    """Folder of the timeline cache, inside :func:`registry.cache_dir`."""
    return registry.cache_dir() / "timeline"


def units_key() -> str:
    """Hash of the region sources' sha256, the code that builds region land, and GEOS's version."""
    from peacemap.layers.boundaries import GEOBOUNDARIES_ID, NATURALEARTH_ID
    from peacemap.layers.regions import LAND_MASK_SNAPSHOT

    digest = hashlib.sha256()
    for source in (registry.get_source(GEOBOUNDARIES_ID), registry.get_source(NATURALEARTH_ID),
                   registry.deepstate_source(LAND_MASK_SNAPSHOT)):
        digest.update(f"{source.id} {source.sha256}\n".encode())
    _hash_code(digest, _UNITS_CODE)
    digest.update(f"shapely {shapely.__version__} geos {shapely.geos_version_string}\n".encode())
    return digest.hexdigest()[:24]


@cache
def method_key() -> str:
    """Hash of :func:`units_key`, the method version and the code of the split and reader."""
    digest = hashlib.sha256(f"{units_key()} method {METHOD_VERSION}\n".encode())
    _hash_code(digest, _SERIES_CODE)
    return digest.hexdigest()[:24]


def _hash_code(digest, modules: Sequence[str]) -> None:  # noqa: ANN001 - a hashlib object
    package_root = Path(__file__).resolve().parent.parent
    for module in modules:
        digest.update(module.encode() + b"\n" + (package_root / module).read_bytes())


def load_units(*, use_cache: bool = True) -> Units:
    """Unit regions as the report builds them, from the cache when it holds them (WKB)."""
    path = timeline_cache_dir() / f"units-{units_key()}.wkb"
    if use_cache and path.is_file():
        try:
            return _read_units(path)
        except (OSError, ValueError, shapely.errors.GEOSException) as error:
            logger.warning("ignoring unreadable cache file %s (%s)", path, error)
    from peacemap.layers.control import unit_regions
    from peacemap.layers.regions import load_regions

    logger.info("building region land from the sources (cached afterwards)")
    units_frame = unit_regions(load_regions())
    geometries = np.asarray(units_frame.geometry.values, dtype=object)
    units = Units(tuple(units_frame["code"]), geometries, shapely.union_all(geometries),
                  geodesic_areas_km2(geometries))
    if use_cache:
        _write_units(path, units)
    return units


def _write_units(path: Path, units: Units) -> None:
    blobs = shapely.to_wkb([*units.geometries, units.country])
    header = json.dumps({"codes": list(units.codes), "areas_km2": units.areas_km2.tolist(),
                         "lengths": [len(b) for b in blobs]}).encode() + b"\n"
    atomic_write(path, lambda tmp: tmp.write_bytes(header + b"".join(blobs)))


def _read_units(path: Path) -> Units:
    data = path.read_bytes()
    newline = data.index(b"\n")
    header = json.loads(data[:newline])
    offsets = np.cumsum([newline + 1, *header["lengths"]])
    blobs = [data[a:b] for a, b in zip(offsets[:-1], offsets[1:])]
    geometries = shapely.from_wkb(blobs)
    return Units(tuple(header["codes"]), np.asarray(geometries[:-1], dtype=object), geometries[-1],
                 np.asarray(header["areas_km2"], dtype=float))


def _series_cache_path() -> Path:
    return timeline_cache_dir() / f"occupied-{method_key()}.json"


def _read_series_cache(path: Path, codes: Sequence[str]) -> dict[str, list[float]]:
    if not path.is_file():
        return {}
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        logger.warning("ignoring unreadable cache file %s (%s)", path, error)
        return {}
    if cached.get("codes") != list(codes):
        return {}
    return cached.get("by_sha256", {})


# --------------------------------------------------------------------------------------------
# Computing the series


# Set in the parent just before forking the workers, which inherit them.
_worker_control: FastControl | None = None
_worker_progress = None  # a multiprocessing SimpleQueue of snapshot counts; None when not forked
_FINISHED = -1  # what a worker puts on the progress queue when its run ends (done or failed)
_PROGRESS_BATCH = 10  # snapshots a worker measures between progress messages


def _compute_run(days: Sequence[dt.date]) -> list[list[float]]:
    """Measure consecutive snapshots in one process (unchanged regions are reused)."""
    control, progress = _worker_control, _worker_progress
    results: list[list[float]] = []
    try:
        for day in days:
            polygon = read_occupied_fast(registry.fetch(registry.deepstate_source(day)))
            results.append(control.occupied_km2(polygon).tolist())
            if progress is not None and len(results) % _PROGRESS_BATCH == 0:
                progress.put(_PROGRESS_BATCH)
    finally:
        if progress is not None:
            progress.put(_FINISHED)
    return results


def _runs(days: Sequence[dt.date], count: int) -> list[list[dt.date]]:
    """``days`` cut into ``count`` runs of consecutive days of nearly equal length."""
    bounds = np.linspace(0, len(days), count + 1).round().astype(int)
    return [list(days[a:b]) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]


def compute_occupied(days: Sequence[dt.date], units: Units, *, workers: int | None = None) -> np.ndarray:
    """Occupied km² (rows: ``days``, columns: ``units.codes``), computed without the cache.

    Runs on ``workers`` processes (default: the CPU count, one per 50 snapshots at most);
    each measures one run of consecutive snapshots, so that unchanged regions are reused.
    Progress is logged every :data:`PROGRESS_EVERY` snapshots.
    """
    global _worker_control, _worker_progress
    days = list(days)
    if not days:
        return np.zeros((0, len(units.codes)))
    workers = workers or min(os.cpu_count() or 1, max(1, len(days) // 50))
    _worker_control = units.control()
    try:
        if workers == 1:
            rows = _compute_run(days)
            logger.info("timeline: %d of %d snapshots measured", len(rows), len(days))
        else:
            context = multiprocessing.get_context("fork")
            _worker_progress = context.SimpleQueue()
            runs = _runs(days, 2 * workers)  # two runs each: whoever finishes first takes the next
            with context.Pool(workers) as pool:
                pending = [pool.apply_async(_compute_run, (run,)) for run in runs]
                _report_progress(_worker_progress, len(runs), len(days))
                rows = [row for result in pending for row in result.get()]
    finally:
        _worker_control = _worker_progress = None
    return np.array(rows, dtype=float)


def _report_progress(progress, runs: int, total: int) -> None:  # noqa: ANN001 - a SimpleQueue
    """Log the workers' counts every PROGRESS_EVERY snapshots until every run has finished."""
    done, finished, next_report = 0, 0, PROGRESS_EVERY
    while finished < runs:
        message = progress.get()
        if message == _FINISHED:
            finished += 1
            continue
        done += message
        if done >= next_report:
            logger.info("timeline: %d of %d snapshots measured", done, total)
            next_report += PROGRESS_EVERY
    logger.info("timeline: %d of %d snapshots measured", total, total)


def occupied_series(days: Sequence[dt.date] | None = None, *, use_cache: bool = True,
                    workers: int | None = None, units: Units | None = None) -> pd.DataFrame:
    """Occupied km² per unit region on each DeepState snapshot date.

    Parameters
    ----------
    days
        Snapshot dates (default: all in the registry); each must have a snapshot.
    use_cache
        Read and update the cache in :func:`timeline_cache_dir`.
    workers
        Processes for the snapshots not in the cache.
    units
        The unit regions, if already loaded (:func:`load_units`).

    Returns
    -------
    DataFrame
        Index: snapshot dates; columns: unit codes (27, ISO 3166-2); values: geodesic km².
    """
    available = set(registry.deepstate_dates())
    days = sorted(available if days is None else days)
    missing = [d for d in days if d not in available]
    if missing:
        raise SnapshotDateError(f"no DeepState snapshot on {missing[0].isoformat()}")
    units = units or load_units(use_cache=use_cache)
    sha = {d: registry.deepstate_source(d).sha256 for d in days}
    path = _series_cache_path()
    cached = _read_series_cache(path, units.codes) if use_cache else {}
    todo = [d for d in days if sha[d] not in cached]
    if todo:
        logger.info("timeline: measuring %d snapshot(s), %d from the cache", len(todo), len(days) - len(todo))
        fresh = compute_occupied(todo, units, workers=workers)
        cached.update({sha[d]: row.tolist() for d, row in zip(todo, fresh)})
        if use_cache:
            _write_series_cache(path, units.codes, cached)
    frame = pd.DataFrame([cached[sha[d]] for d in days], index=pd.Index(days, name="date"),
                         columns=list(units.codes))
    return frame


def _write_series_cache(path: Path, codes: Sequence[str], by_sha256: dict[str, list[float]]) -> None:
    document = {"method": method_key(), "codes": list(codes), "by_sha256": by_sha256}
    atomic_write_text(path, json.dumps(document, separators=(",", ":")))


# --------------------------------------------------------------------------------------------
# Trailing changes and pace (pure)


def trailing_change(values: pd.Series, days: int) -> pd.Series:
    """Change of ``values`` over the ``days`` calendar days before each date.

    ``values`` is indexed by date (ascending, one entry per calendar day, NaN on gap days).
    The change on date D is ``values[D] − values[D − days]``, looked up by date, not by row;
    it is NaN when either value is missing (a gap, or before the first date).
    """
    index = pd.DatetimeIndex(values.index)
    earlier = values.copy()
    earlier.index = index
    lookup = earlier.reindex(index - pd.Timedelta(days=days)).to_numpy()
    return pd.Series(values.to_numpy() - lookup, index=values.index)


def days_to_occupy(held_km2: float, gain_km2: float, window_days: int = DMZ_PACE_WINDOW_DAYS) -> float | None:
    """Days needed to occupy ``held_km2`` at the pace of ``gain_km2`` per ``window_days``.

    ``held_km2 / (gain_km2 / window_days)``; None when the pace is zero or negative (the line
    does not advance), NaN when either input is missing.
    """
    if held_km2 is None or gain_km2 is None or math.isnan(held_km2) or math.isnan(gain_km2):
        return float("nan")
    if gain_km2 <= 0:
        return None
    return held_km2 / (gain_km2 / window_days)


# --------------------------------------------------------------------------------------------
# The timeline table


@dataclass(frozen=True)
class Timeline:
    """Rows of the timeline (one per calendar day and region) and the gaps among them."""

    table: pd.DataFrame
    gaps: tuple[dt.date, ...]
    first: dt.date
    last: dt.date


def region_table(units: Units) -> pd.DataFrame:
    """Codes, names and land km² of the units, plus Crimea with Sevastopol."""
    from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL, REGION_NAMES

    frame = pd.DataFrame({"code": units.codes, "area_km2": units.areas_km2})
    crimea = frame[frame["code"].isin(["UA-43", "UA-40"])]["area_km2"].sum()
    frame.loc[len(frame)] = {"code": CRIMEA_WITH_SEVASTOPOL, "area_km2": crimea}
    frame["name"] = frame["code"].map(REGION_NAMES)
    return frame.sort_values("code", ignore_index=True)


def check_range(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The requested range clipped to nothing: raises SnapshotDateError outside the snapshots."""
    dates = registry.deepstate_dates()
    first, last = dates[0], dates[-1]
    start = start or first
    end = end or last
    for name, value in (("--from", start), ("--to", end)):
        if value < first or value > last:
            raise SnapshotDateError(
                f"{name} {value.isoformat()} is outside the DeepState snapshots, which run from "
                f"{first.isoformat()} to {last.isoformat()}; pick a date in that range")
    if start > end:
        raise SnapshotDateError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    return start, end


def build_timeline(start: dt.date | None = None, end: dt.date | None = None,
                   regions: Sequence[str] | None = None, *, use_cache: bool = True) -> Timeline:
    """Occupied km² per region and day from ``start`` to ``end`` (inclusive), with gaps flagged.

    Every calendar day in the range gets one row per region; days without a snapshot are
    rows with ``status = 'gap'`` and empty figures (nothing is interpolated). Trailing
    changes over 30 and 90 days compare with the snapshot dated exactly that many days
    earlier (possibly before ``start``); when that day is a gap, the change is empty.

    Columns: ``date``, ``region``, ``region_name``, ``status``, ``occupied_km2``,
    ``occupied_pct`` (share of the region's land, %), ``held_km2``, ``change_30d_km2``,
    ``change_90d_km2``, and for Donetsk ``dmz_days_at_90d_pace`` / ``dmz_pace`` (days to
    occupy the held part at the trailing 90-day pace; 'never/not advancing' if ≤ 0).
    """
    start, end = check_range(start, end)
    units = load_units(use_cache=use_cache)
    table = region_table(units)
    codes = list(regions) if regions else list(table["code"])
    unknown = [c for c in codes if c not in set(table["code"])]
    if unknown:
        raise ValueError(f"unknown region code(s) {', '.join(unknown)}; known: {', '.join(table['code'])}")
    lookback = start - dt.timedelta(days=max(TRAILING_WINDOWS_DAYS))
    snapshot_days = [d for d in registry.deepstate_dates() if lookback <= d <= end]
    series = occupied_series(snapshot_days, use_cache=use_cache, units=units)
    series["UA-43+UA-40"] = series["UA-43"] + series["UA-40"]
    calendar = pd.date_range(min(snapshot_days[0], start), end, freq="D").date
    series = series.reindex(pd.Index(calendar, name="date"))
    regions_by_code = table.set_index("code")
    frames = [region_rows(series[code], code=code, name=regions_by_code.loc[code, "name"],
                          area_km2=regions_by_code.loc[code, "area_km2"], start=start) for code in codes]
    rows = pd.concat(frames, ignore_index=True).sort_values(["date", "region"], ignore_index=True)
    snapshots = set(registry.deepstate_dates())
    gaps = tuple(d for d in pd.date_range(start, end, freq="D").date if d not in snapshots)
    return Timeline(rows, gaps, start, end)


def region_rows(occupied: pd.Series, *, code: str, name: str, area_km2: float, start: dt.date) -> pd.DataFrame:
    """Timeline rows of one region from its occupied km² per calendar day (NaN on gap days).

    ``occupied`` is indexed by every calendar day from at least 90 days before ``start`` (or
    the first snapshot) on; rows before ``start`` only serve the trailing changes. Pure: no
    data is read.
    """
    frame = pd.DataFrame({"date": occupied.index, "region": code, "region_name": name})
    frame["status"] = np.where(occupied.isna().to_numpy(), "gap", "snapshot")
    frame["occupied_km2"] = occupied.to_numpy()
    frame["occupied_pct"] = 100.0 * frame["occupied_km2"] / area_km2
    frame["held_km2"] = area_km2 - frame["occupied_km2"]
    for days in TRAILING_WINDOWS_DAYS:
        frame[f"change_{days}d_km2"] = trailing_change(occupied, days).to_numpy()
    frame["dmz_days_at_90d_pace"] = np.nan
    frame["dmz_pace"] = ""
    if code == DONETSK:
        paces = [days_to_occupy(h, g) for h, g in zip(frame["held_km2"], frame[f"change_{DMZ_PACE_WINDOW_DAYS}d_km2"])]
        frame["dmz_days_at_90d_pace"] = [np.nan if p is None else p for p in paces]
        frame["dmz_pace"] = [NOT_ADVANCING if p is None else ("" if math.isnan(p) else "advancing") for p in paces]
    return frame[frame["date"] >= start]


# --------------------------------------------------------------------------------------------
# Records for output files

_ROUNDING = {"occupied_km2": 2, "occupied_pct": 3, "held_km2": 2, "change_30d_km2": 2, "change_90d_km2": 2,
             "dmz_days_at_90d_pace": 0}


def timeline_records(timeline: Timeline) -> list[dict]:
    """Rows as dicts (dates as ISO strings, figures rounded, missing figures as None)."""
    records = []
    for row in timeline.table.to_dict("records"):
        record = {"date": row["date"].isoformat()}
        for key, value in row.items():
            if key == "date":
                continue
            if key in _ROUNDING:
                value = None if value is None or math.isnan(value) else round(float(value), _ROUNDING[key])
            record[key] = value
        records.append(record)
    return records


def sources_note() -> str:
    """One line naming the sources and the method of the figures."""
    from peacemap.layers.regions import regions_sources_note

    source = registry.deepstate_source(registry.deepstate_dates()[-1])
    return (f"Occupied land: {source.attribution} (daily snapshots; {source.license}). Occupied = region minus "
            f"Ukrainian-held land (the mainland and islands); enclaves count as occupied. {regions_sources_note()}")


def timeline_document(timeline: Timeline) -> dict:
    """The timeline as one JSON-ready object: what it is, the gaps, and the rows."""
    return {
        "what": "Occupied land per region and day (geodesic km²) from DeepState snapshots",
        "from": timeline.first.isoformat(),
        "to": timeline.last.isoformat(),
        "gaps": [day.isoformat() for day in timeline.gaps],
        "gap_rule": "days without a snapshot have status 'gap' and null figures; nothing is interpolated",
        "trailing_changes": "km² on the day minus km² exactly 30 (90) calendar days before; null if either is missing",
        "dmz_pace": ("Donetsk only: held km² / (90-day change / 90) = days to occupy the held part (the 28-point "
                     f"plan's DMZ) at the trailing 90-day pace; '{NOT_ADVANCING}' when the change is ≤ 0"),
        "sources": sources_note(),
        "method_key": method_key(),
        "rows": timeline_records(timeline),
    }
