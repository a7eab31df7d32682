"""Occupied km² per region on every DeepState snapshot, fast and cached, and its trailing changes.

The figure for a region on a date is the one the report gives (``layers.control``): the region
minus its held land, where held land is the largest piece of the country minus the occupied
polygon plus the pieces that do not touch it (islands); enclaves count as occupied. The fast
path computes the same overlays as :func:`peacemap.layers.control.control_zones`, but only
where they can differ from zero and from the day before:

* held land of a region = region ∩ mainland + region ∩ islands, so occupied km² = region km² −
  held km² (the report's occupied polygon is region − (region ∩ held), whose geodesic area is
  that difference);
* regions that touch neither the occupied polygon nor an enclave have 0 km² occupied;
* a region's ``region ∩ mainland`` is reused from an earlier snapshot when everything that
  shapes the mainland inside the region's bounding box (the occupied polygon clipped to the
  box, and the other pieces that reach into it) is identical;
* islands are the same from day to day and are cut by the regions once per process.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from peacemap.geo.area import geodesic_areas_km2, ring_geodesic_areas_km2
from peacemap.geo.clean import clean_polygon, polygonal
from peacemap.layers import registry
from peacemap.layers.errors import DataSourceError, SnapshotDateError
from peacemap.layers.writing import atomic_write, atomic_write_text

logger = logging.getLogger(__name__)

# Bump when the meaning of a cached figure changes. The cache key also holds a hash of the
# source code of the modules that compute the figures, so editing them invalidates it too.
METHOD_VERSION = 1
DONETSK = "UA-14"
TRAILING_WINDOWS_DAYS = (30, 90)
DMZ_PACE_WINDOW_DAYS = 90
NOT_ADVANCING = "never/not advancing"
PROGRESS_EVERY = 100  # snapshots between progress messages
_CHUNK_SNAPSHOTS = 100  # consecutive snapshots per task given to a worker process
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


@dataclass(frozen=True)
class _Window:
    """The candidate units' union (``near``) and what joins it to the rest of the country.

    ``anchors`` are vertices inside each stretch of the border where ``near`` meets the other
    units; ``far_area`` is the planar area (deg²) of the rest's one part that meets it.
    ``usable`` is False when the rest is not one connected part along the border; the whole
    country is used then. The occupied polygon touches none of the other units (they are not
    candidates), so the piece of ``near`` − polygon holding an anchor is joined to the rest.
    """

    key: tuple[int, ...]
    near: Polygon | MultiPolygon
    anchors: np.ndarray | None  # shapely Points, or None for the whole country
    far_area: float
    usable: bool


@dataclass
class FastControl:
    """Occupied km² per unit region for occupied polygons, the report's way, with reuse.

    Feed it the snapshots in date order: what it reuses is checked against the polygon it was
    given before (edges that changed), so any order gives the same figures, only slower.

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
        self._windows: dict[tuple[int, ...], _Window] = {}
        self._islands: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}
        self._memo: dict[int, tuple[str, float]] = {}  # unit -> (signature, km² of unit − mainland)
        self._share: dict[int, float] = {}  # unit -> last occupied share, to pick the cheaper overlay
        self._previous: tuple[np.ndarray, list[np.ndarray], np.ndarray] | None = None

    def occupied_km2(self, occupied_polygon: Polygon | MultiPolygon) -> np.ndarray:
        """Occupied geodesic km² of each unit (same order as ``geometries``) for one polygon.

        ``occupied_polygon`` is a cleaned DeepState polygon, EPSG:4326. The figures are those
        of ``control_zones(units, split_country(country, occupied_polygon))`` (to about
        0.002 km²: the report subtracts held land from each unit, this subtracts areas).
        """
        shapely.prepare(occupied_polygon)
        edges = _edge_keys(occupied_polygon)
        inside = [shapely.contains(occupied_polygon, probes) for probes in self._probes]
        if self._previous is not None and self._forget_changed(edges, inside):
            self.stats["unchanged"] += 1
            return self._previous[2].copy()
        occupied = self._occupied_km2(occupied_polygon)
        self._previous = (edges, inside, occupied)
        return occupied.copy()

    def _forget_changed(self, edges: np.ndarray, inside: list[np.ndarray]) -> bool:
        """Drop remembered units whose part of the polygon changed; True if nothing changed."""
        previous_edges, previous_inside, _ = self._previous
        changed = np.setxor1d(previous_edges, edges)
        if len(changed) == 0 and all(np.array_equal(a, b) for a, b in zip(previous_inside, inside)):
            return True
        segments = shapely.linestrings(changed.view(np.float64).reshape(-1, 2, 2)) if len(changed) else None
        for unit in list(self._memo):
            flipped = not np.array_equal(previous_inside[unit], inside[unit])
            if flipped or (segments is not None and shapely.intersects(self.geometries[unit], segments).any()):
                del self._memo[unit]
        return False

    def _occupied_km2(self, occupied_polygon) -> np.ndarray:
        occupied = np.zeros(len(self.geometries))
        candidates = self._tree.query(occupied_polygon)
        candidates = np.sort(candidates[shapely.intersects(self.geometries[candidates], occupied_polygon)])
        if len(candidates) == 0:
            return occupied
        split = self._split(occupied_polygon, self._window(tuple(candidates.tolist())))
        if split is None:  # the window's assumptions fail on this polygon: use the whole country
            split = self._split(occupied_polygon, self._window(tuple(range(len(self.geometries)))))
        mainland, others, islands, window_key = split
        involved = self._involved(candidates, others[shapely.intersects(occupied_polygon, others)])
        minus_mainland = self._minus_mainland_km2(involved, mainland, others, window_key)
        occupied[involved] = minus_mainland - self._island_km2(islands)[involved]
        return occupied

    def _window(self, key: tuple[int, ...]) -> _Window:
        """A usable window over at least the units ``key`` (the smallest one built so far)."""
        wanted = set(key)
        fits = [w for k, w in self._windows.items() if w.usable and wanted <= set(k)]
        if fits:
            return min(fits, key=lambda w: len(w.key))
        if key not in self._windows:
            self._windows[key] = _build_window(self.geometries, self.country, key)
        return self._windows[key]

    def _split(self, occupied_polygon, window: _Window):
        """Mainland (as a MultiPolygon within the window), other pieces and islands, or None."""
        if not window.usable:
            return None
        # GEOS overlay results are valid, so only clean_polygon's polygon filter is needed here
        # (its validity check costs about 4 ms a snapshot; tests compare with the report).
        pieces = shapely.get_parts(polygonal(window.near.difference(occupied_polygon)))
        planar = shapely.area(pieces)
        if window.anchors is None:  # the whole country: the mainland is the largest piece
            linked = np.zeros(len(pieces), dtype=bool)
            if len(pieces):
                linked[int(np.argmax(planar))] = True  # first of equals, as max() in control
            self.stats["whole_country"] += 1
        else:
            linked = np.zeros(len(pieces), dtype=bool)
            linked[shapely.STRtree(pieces).query(window.anchors, predicate="intersects")[1]] = True
            if (~linked).any() and planar[~linked].max() >= window.far_area + planar[linked].sum():
                return None
            self.stats["windows"] += 1
        others = pieces[~linked]
        islands = others[~shapely.intersects(occupied_polygon, others)]
        return MultiPolygon(list(pieces[linked])), others, islands, window.key

    def _involved(self, candidates: np.ndarray, enclaves: np.ndarray) -> np.ndarray:
        hit = set(candidates.tolist())
        if len(enclaves):
            piece, unit = self._tree.query(enclaves)
            hit |= set(unit[shapely.intersects(self.geometries[unit], enclaves[piece])].tolist())
        return np.array(sorted(hit), dtype=int)

    def _minus_mainland_km2(self, involved, mainland, others, window_key) -> np.ndarray:
        """km² of unit − mainland for the ``involved`` units, reusing unchanged ones.

        A unit is reused when no edge of the occupied polygon changed across it (checked in
        :meth:`_forget_changed`) and the other pieces touching it are the same. Computed as
        the area of unit − mainland, or as the unit's area minus that of unit ∩ mainland when
        the unit was mostly occupied before (fewer vertices to measure).
        """
        signatures = [self._signature(i, others, window_key) for i in involved]
        todo = [k for k, i in enumerate(involved) if self._memo.get(i, ("",))[0] != signatures[k]]
        self.stats["overlays"] += len(todo)
        self.stats["reused"] += len(involved) - len(todo)
        mostly = [k for k in todo if self._share.get(involved[k], 0.0) > 0.5]
        partly = [k for k in todo if self._share.get(involved[k], 0.0) <= 0.5]
        if mostly:
            units = involved[mostly]
            held = ring_geodesic_areas_km2(shapely.intersection(self.geometries[units], mainland))
            self._remember(units, [signatures[k] for k in mostly], self.areas_km2[units] - held)
        if partly:
            units = involved[partly]
            rest = ring_geodesic_areas_km2(shapely.difference(self.geometries[units], mainland))
            self._remember(units, [signatures[k] for k in partly], rest)
        return np.array([self._memo[i][1] for i in involved])

    def _remember(self, units: np.ndarray, signatures: list[str], km2: np.ndarray) -> None:
        for unit, signature, value in zip(units, signatures, km2):
            self._memo[unit] = (signature, float(value))
            self._share[unit] = float(value) / self.areas_km2[unit]

    def _signature(self, index: int, others: np.ndarray, window_key) -> str:
        """Hash of the window and of the non-mainland pieces that touch unit ``index``."""
        digest = hashlib.blake2b(repr(window_key).encode(), digest_size=20)
        if len(others):
            touching = others[shapely.intersects(self.geometries[index], others)]
            for blob in sorted(shapely.to_wkb(shapely.normalize(touching))):
                digest.update(blob)
        return digest.hexdigest()

    def _island_km2(self, islands: np.ndarray) -> np.ndarray:
        """km² of unit ∩ island summed per unit; each distinct island is cut once per process."""
        total = np.zeros(len(self.geometries))
        for island in islands:
            key = shapely.to_wkb(shapely.normalize(island))
            if key not in self._islands:
                units = self._tree.query(island)
                units = units[shapely.intersects(self.geometries[units], island)]
                cut = shapely.intersection(self.geometries[units], island)
                self._islands[key] = (units, ring_geodesic_areas_km2(cut))
            units, km2 = self._islands[key]
            total[units] += km2
        return total


def _edge_keys(polygon: Polygon | MultiPolygon) -> np.ndarray:
    """The polygon's edges as sorted, direction-free byte keys (x1, y1, x2, y2 as float64)."""
    coords, ring = shapely.get_coordinates(shapely.get_rings(shapely.get_parts(polygon)), return_index=True)
    same_ring = ring[:-1] == ring[1:]
    start, end = coords[:-1][same_ring], coords[1:][same_ring]
    swap = (start[:, 0] > end[:, 0]) | ((start[:, 0] == end[:, 0]) & (start[:, 1] > end[:, 1]))
    first = np.where(swap[:, None], end, start)
    second = np.where(swap[:, None], start, end)
    segments = np.ascontiguousarray(np.hstack([first, second]))
    return np.unique(segments.view(np.dtype((np.void, 32))).ravel())


def _build_window(geometries: np.ndarray, country, key: tuple[int, ...]) -> _Window:
    """The window over units ``key``: their union, and anchors on its border with the rest."""
    rest = np.setdiff1d(np.arange(len(geometries)), key)
    if len(rest) == 0:
        return _Window(key, country, None, 0.0, True)
    near = clean_polygon(shapely.union_all(geometries[list(key)]))
    far_parts = shapely.get_parts(clean_polygon(shapely.union_all(geometries[rest])))
    border = shapely.intersection(near.boundary, shapely.union_all(shapely.boundary(far_parts)))
    stretches = [line for line in shapely.get_parts(shapely.line_merge(border)) if line.geom_type == "LineString"]
    touching = np.array([shapely.length(shapely.intersection(part.boundary, border)) > 0 for part in far_parts])
    # One vertex inside each stretch (not an end, where the coast or another piece may meet).
    anchors = [shapely.points(shapely.get_coordinates(line)[len(shapely.get_coordinates(line)) // 2])
               for line in stretches if len(shapely.get_coordinates(line)) >= 3]
    usable = int(touching.sum()) == 1 and len(anchors) > 0
    if not usable:
        logger.debug("window over %d units is not joined to one part of the rest; using the country", len(key))
        return _Window(key, near, None, 0.0, False)
    return _Window(key, near, np.array(anchors, dtype=object), float(shapely.area(far_parts[touching]).sum()), True)


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


_worker_control: FastControl | None = None  # set in the parent before forking workers


def _compute_chunk(days: Sequence[dt.date]) -> list[list[float]]:
    control = _worker_control
    results = []
    for day in days:
        polygon = read_occupied_fast(registry.fetch(registry.deepstate_source(day)))
        results.append(control.occupied_km2(polygon).tolist())
    return results


def _chunks(days: Sequence[dt.date], size: int) -> list[list[dt.date]]:
    return [list(days[i:i + size]) for i in range(0, len(days), size)]


def compute_occupied(days: Sequence[dt.date], units: Units, *, workers: int | None = None) -> np.ndarray:
    """Occupied km² (rows: ``days``, columns: ``units.codes``), computed without the cache.

    Runs on ``workers`` processes (default: the CPU count, at most 2 per 100 snapshots);
    each takes runs of consecutive snapshots so that unchanged regions are reused.
    """
    global _worker_control
    days = list(days)
    if not days:
        return np.zeros((0, len(units.codes)))
    workers = workers or min(os.cpu_count() or 1, max(1, math.ceil(len(days) / 50)))
    _worker_control = units.control()
    size = min(_CHUNK_SNAPSHOTS, math.ceil(len(days) / workers))
    chunks = _chunks(days, size)
    rows: list[list[float]] = []
    try:
        if workers == 1 or len(chunks) == 1:
            results = map(_compute_chunk, chunks)
            rows = _collect(results, len(days))
        else:
            context = multiprocessing.get_context("fork")
            with context.Pool(workers) as pool:
                rows = _collect(pool.imap(_compute_chunk, chunks), len(days))
    finally:
        _worker_control = None
    return np.array(rows, dtype=float)


def _collect(results: Iterable[list[list[float]]], total: int) -> list[list[float]]:
    rows: list[list[float]] = []
    next_report = PROGRESS_EVERY
    for chunk in results:
        rows.extend(chunk)
        if len(rows) >= next_report or len(rows) == total:
            logger.info("timeline: %d of %d snapshots measured", len(rows), total)
            next_report = (len(rows) // PROGRESS_EVERY + 1) * PROGRESS_EVERY
    return rows


def occupied_series(days: Sequence[dt.date] | None = None, *, use_cache: bool = True,
                    workers: int | None = None) -> pd.DataFrame:
    """Occupied km² per unit region on each DeepState snapshot date.

    Parameters
    ----------
    days
        Snapshot dates (default: all in the registry); each must have a snapshot.
    use_cache
        Read and update the cache in :func:`timeline_cache_dir`.
    workers
        Processes for the snapshots not in the cache.

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
    units = load_units(use_cache=use_cache)
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


def region_table() -> pd.DataFrame:
    """Codes, names and land km² of the report's regions, plus Crimea with Sevastopol."""
    from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL, REGION_NAMES

    units = load_units()
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
    table = region_table()
    codes = list(regions) if regions else list(table["code"])
    unknown = [c for c in codes if c not in set(table["code"])]
    if unknown:
        raise ValueError(f"unknown region code(s) {', '.join(unknown)}; known: {', '.join(table['code'])}")
    lookback = start - dt.timedelta(days=max(TRAILING_WINDOWS_DAYS))
    snapshot_days = [d for d in registry.deepstate_dates() if lookback <= d <= end]
    series = occupied_series(snapshot_days, use_cache=use_cache)
    series["UA-43+UA-40"] = series["UA-43"] + series["UA-40"]
    calendar = pd.date_range(min(snapshot_days[0], start), end, freq="D").date
    series = series.reindex(pd.Index(calendar, name="date"))
    frames = [_region_rows(series[code], table.set_index("code").loc[code], start) for code in codes]
    rows = pd.concat(frames, ignore_index=True).sort_values(["date", "region"], ignore_index=True)
    snapshots = set(registry.deepstate_dates())
    gaps = tuple(d for d in pd.date_range(start, end, freq="D").date if d not in snapshots)
    return Timeline(rows, gaps, start, end)


def _region_rows(occupied: pd.Series, region: pd.Series, start: dt.date) -> pd.DataFrame:
    code = region.name
    frame = pd.DataFrame({"date": occupied.index, "region": code, "region_name": region["name"]})
    frame["status"] = np.where(occupied.isna().to_numpy(), "gap", "snapshot")
    frame["occupied_km2"] = occupied.to_numpy()
    frame["occupied_pct"] = 100.0 * frame["occupied_km2"] / region["area_km2"]
    frame["held_km2"] = region["area_km2"] - frame["occupied_km2"]
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
