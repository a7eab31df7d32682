"""The timeline's disk cache: region land ("units"), the grid cells cut from it, and the occupied km²
of every snapshot measured so far, each in the user cache folder.

Keys are the disk cache's (:func:`peacemap.layers.sources.cache.make_key`): the sources' sha256, an
explicit method version, peacemap's and its libraries' versions, and the source code of every
module that computes each figure (the import closure of the module that does).
Every file is written atomically and holds its own name (its kind and key): a damaged one, or one
copied over another's, is ignored with one warning and rebuilt."""

from __future__ import annotations

import itertools
import json
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from peacemap.geo.area import geodesic_areas_km2
from peacemap.layers.control.cells import CELL_DEG, CellControl, Cells, cells_from_arrays, cells_to_arrays, cut_cells
from peacemap.layers.control.split import SLIVER_WIDTH_M, TOUCH_TOLERANCE_DEG
from peacemap.layers.settings import memoized
from peacemap.layers.sources import registry
from peacemap.layers.sources.cache import DamagedCacheError, make_key, read_checked
from peacemap.layers.sources.cache import enabled as cache_enabled
from peacemap.layers.writing import atomic_write, atomic_write_text

logger = logging.getLogger(__name__)

# Bump when the meaning of a cached figure changes. The cache key also holds a hash of the
# source code of the modules that compute the figures, so editing them invalidates it too.
METHOD_VERSION = 3  # 2: strips under SLIVER_WIDTH_M moved across; 3: land within TOUCH_TOLERANCE_DEG touches
# 2: the units only (1 also held their union); 3: every timeline file names itself (its kind and key).
_UNITS_FILE_FORMAT = 3
_UNITS_AREA_RTOL = 1e-9  # a units file's areas and its geometries' areas agree to this, or it is damaged


@dataclass(frozen=True)
class Units:
    """The 27 unit regions the report splits (codes ISO 3166-2) and their land."""

    codes: tuple[str, ...]
    geometries: np.ndarray  # EPSG:4326
    areas_km2: np.ndarray  # geodesic, as the report's region areas

    def control(self, cells: Cells | None = None) -> CellControl:
        """A fresh incremental split of these units, on ``cells`` (default: cut now)."""
        if cells is None:
            cells = cut_cells(self.geometries, sliver_width_m=SLIVER_WIDTH_M)
        return CellControl(cells, sliver_width_m=SLIVER_WIDTH_M, touch_tolerance_deg=TOUCH_TOLERANCE_DEG)


def timeline_cache_dir() -> Path:
    """Folder of the timeline cache, inside :func:`registry.cache_dir`."""
    return registry.cache_dir() / "timeline"


def units_key() -> str:
    """Key (:func:`peacemap.layers.sources.cache.make_key`) of the units: the units file format, the
    region sources' sha256 and the code that builds region land (this module's import closure)."""
    from peacemap.layers.regions import LAND_MASK_SNAPSHOT
    from peacemap.layers.sources.boundaries import GEOBOUNDARIES_ID, NATURALEARTH_ID

    sources = (registry.get_source(GEOBOUNDARIES_ID), registry.get_source(NATURALEARTH_ID), registry.deepstate_source(LAND_MASK_SNAPSHOT))
    return make_key("timeline-units", method=_UNITS_FILE_FORMAT, code=__name__, sources=[f"{s.id} {s.sha256}" for s in sources])


@memoized
def method_key() -> str:
    """Key of the occupied km² of a snapshot: :func:`units_key`, the method version and the code that
    measures a snapshot (:mod:`peacemap.layers.timeline.series` and every module it imports)."""
    return make_key("timeline-occupied", method=METHOD_VERSION, code="peacemap.layers.timeline.series", sources=[units_key()])


def load_units(*, use_cache: bool = True) -> Units:
    """Unit regions as the report builds them, from the cache when it holds them (WKB)."""
    use_cache = use_cache and cache_enabled()
    path = timeline_cache_dir() / f"units-{units_key()}.wkb"
    if use_cache and path.is_file():
        cached = read_checked(path, _read_units)
        if cached is not None:
            return cached
    from peacemap.layers.control.split import unit_regions
    from peacemap.layers.regions import load_regions

    logger.info("building region land from the sources (cached afterwards)")
    units_frame = unit_regions(load_regions())
    geometries = np.asarray(units_frame.geometry.values, dtype=object)
    units = Units(tuple(units_frame["code"]), geometries, geodesic_areas_km2(geometries))
    if use_cache:
        _write_units(path, units)
    return units


def load_cells(units: Units, *, use_cache: bool = True) -> Cells:
    """``units`` cut on the grid of ``layers.control_cells``, from the cache when it holds them."""
    use_cache = use_cache and cache_enabled()
    key = make_key(
        "timeline-cells",
        method=_UNITS_FILE_FORMAT,
        code="peacemap.layers.control.cells",
        sources=[units_key()],
        extra=f"cell {CELL_DEG} sliver {SLIVER_WIDTH_M}",
    )
    path = timeline_cache_dir() / f"cells-{key}.npz"
    if use_cache and path.is_file():
        cached = read_checked(path, lambda p: _read_cells(p, unit_count=len(units.codes)))
        if cached is not None:
            return cached
    cells = cut_cells(units.geometries, sliver_width_m=SLIVER_WIDTH_M)
    if use_cache:
        arrays = cells_to_arrays(cells)

        def write(tmp: Path) -> None:
            with tmp.open("wb") as handle:
                np.savez(handle, **arrays, entry=np.array(path.name))  # type: ignore[arg-type]  # numpy's stub types **kwds as allow_pickle

        atomic_write(path, write)
    return cells


def _read_cells(path: Path, *, unit_count: int) -> Cells:
    with np.load(path, allow_pickle=False) as stored:
        # Reading an array to its end checks its zip CRC: a flipped bit raises BadZipFile.
        arrays = {name: stored[name] for name in _CELL_ARRAYS}
        _check_entry(str(stored["entry"]) if "entry" in stored else None, path)
    _check_cell_arrays(arrays, unit_count)
    cells = cells_from_arrays(arrays)
    if not _all_polygonal(cells.geometries):
        raise DamagedCacheError("cells that are not polygons")
    return cells


# Arrays of a cells file (control_cells.cells_to_arrays) by kind: (dtype kind, dimensions).
_CELL_ARRAYS = {
    "wkb": ("u", 1),
    "wkb_lengths": ("iu", 1),
    "unit_count": ("iu", 0),
    "unit": ("iu", 1),
    "km2": ("f", 1),
    "planar": ("f", 1),
    "thin": ("b", 1),
    "probes": ("f", 2),
    "pairs": ("iu", 2),
    "linked": ("b", 1),
}


def _check_cell_arrays(arrays: dict[str, np.ndarray], unit_count: int) -> None:
    """Raise DamagedCacheError unless ``arrays`` are the cells of ``unit_count`` units."""
    for name, (kinds, dimensions) in _CELL_ARRAYS.items():
        if arrays[name].dtype.kind not in kinds or arrays[name].ndim != dimensions:
            raise DamagedCacheError(f"array {name!r} of dtype {arrays[name].dtype} and shape {arrays[name].shape}")
    count, pairs, lengths = len(arrays["wkb_lengths"]), arrays["pairs"], arrays["wkb_lengths"]
    checks = {
        f"unit_count {int(arrays['unit_count'])}, expected {unit_count}": int(arrays["unit_count"]) == unit_count,
        "WKB lengths that do not add up": (lengths > 0).all() and lengths.sum() == arrays["wkb"].size,
        "arrays of other lengths than the cells": all(len(arrays[n]) == count for n in ("unit", "km2", "planar", "thin", "probes")),
        "probes that are not points": arrays["probes"].shape[1:] == (2,) and np.isfinite(arrays["probes"]).all(),
        "areas that are not finite and non-negative": all(np.isfinite(arrays[n]).all() and (arrays[n] >= 0).all() for n in ("km2", "planar")),
        "units out of range": ((arrays["unit"] >= 0) & (arrays["unit"] < unit_count)).all(),
        "pairs out of range": pairs.shape[1:] == (2,) and ((pairs >= 0) & (pairs < count)).all() and len(arrays["linked"]) == len(pairs),
    }
    failed = [problem for problem, ok in checks.items() if not ok]
    if failed:
        raise DamagedCacheError(failed[0])


def _all_polygonal(geometries: np.ndarray) -> bool:
    return bool(len(geometries)) and bool(np.isin(shapely.get_type_id(geometries), _POLYGON_TYPE_IDS).all())


_POLYGON_TYPE_IDS = (3, 6)  # shapely.GeometryType.POLYGON, MULTIPOLYGON


def _check_entry(name: object, path: Path) -> None:
    """DamagedCacheError unless the file at ``path`` names itself ``name`` (its kind and key): a
    file copied over another's is never read as the other."""
    if name != path.name:
        shown = str(name)[:80] if isinstance(name, str) else "no name"
        raise DamagedCacheError(f"it holds the entry {shown}, not {path.name}")


def _write_units(path: Path, units: Units) -> None:
    blobs = shapely.to_wkb(units.geometries)
    header = (
        json.dumps({"entry": path.name, "codes": list(units.codes), "areas_km2": units.areas_km2.tolist(), "lengths": [len(b) for b in blobs]}).encode() + b"\n"
    )
    atomic_write(path, lambda tmp: tmp.write_bytes(header + b"".join(blobs)))


def _read_units(path: Path) -> Units:
    data = path.read_bytes()
    newline = data.index(b"\n")
    header = json.loads(data[:newline])
    _check_entry(header.get("entry") if isinstance(header, dict) else None, path)
    codes, areas_km2, lengths = _units_header(header)
    if newline + 1 + sum(lengths) != len(data):
        raise DamagedCacheError(f"{len(data) - newline - 1} bytes of WKB, the header says {sum(lengths)}")
    offsets = np.cumsum([newline + 1, *lengths])
    geometries = np.asarray(shapely.from_wkb([data[a:b] for a, b in itertools.pairwise(offsets)]), dtype=object)
    if not _all_polygonal(geometries):
        raise DamagedCacheError("units that are not polygons")
    # The file has no checksum: a flipped bit in a coordinate still parses. Measuring the units
    # again (0.2 s) and comparing with the areas saved beside them catches it.
    saved_km2 = np.asarray(areas_km2, dtype=float)
    if not np.allclose(geodesic_areas_km2(geometries), saved_km2, rtol=_UNITS_AREA_RTOL, atol=0):
        raise DamagedCacheError("units whose areas differ from the areas saved with them")
    return Units(codes, geometries, saved_km2)


def _units_header(header: object) -> tuple[tuple[str, ...], list[float], list[int]]:
    """Codes, areas (km²) and WKB lengths of a units file's header, checked."""
    if not isinstance(header, dict):
        raise DamagedCacheError(f"a header of type {type(header).__name__}, expected an object")
    codes, areas, lengths = header.get("codes"), header.get("areas_km2"), header.get("lengths")
    if not (isinstance(codes, list) and codes and all(isinstance(c, str) and c for c in codes) and len(set(codes)) == len(codes)):
        raise DamagedCacheError("a header without a list of distinct region codes")
    if not (isinstance(areas, list) and len(areas) == len(codes) and all(_is_km2(a) for a in areas)):
        raise DamagedCacheError(f"a header without {len(codes)} finite areas")
    if not (isinstance(lengths, list) and len(lengths) == len(codes) and all(type(n) is int and n > 0 for n in lengths)):
        raise DamagedCacheError(f"a header without {len(codes)} WKB lengths")
    return tuple(codes), areas, lengths


def _is_km2(value: object) -> bool:
    """A finite, non-negative number as JSON gives it (bool is an int in Python, not here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0


def series_cache_path() -> Path:
    return timeline_cache_dir() / f"occupied-{method_key()}.json"


def read_series_cache(path: Path, codes: Sequence[str]) -> dict[str, list[float]]:
    """Cached km² per snapshot sha256 (one value per region of ``codes``); {} if none or damaged."""

    def valid(row: object) -> bool:
        return isinstance(row, list) and len(row) == len(codes) and all(_is_km2(v) for v in row)

    return read_snapshot_figures(path, header={"codes": list(codes)}, valid=valid, expected=f"{len(codes)} finite, non-negative km²")


def write_series_cache(path: Path, codes: Sequence[str], by_sha256: dict[str, list[float]]) -> None:
    write_snapshot_figures(path, {"method": method_key(), "codes": list(codes)}, by_sha256)


def read_snapshot_figures(path: Path, *, header: dict, valid: Callable[[object], bool], expected: str) -> dict:
    """Figures per snapshot sha256 from a file of :func:`write_snapshot_figures`; {} if there is
    none or (with one warning) if it is damaged: another file's, another ``header``, or an entry
    not ``valid`` (``expected`` says what an entry should be)."""
    if not path.is_file():
        return {}

    def read(file: Path) -> dict:
        document = json.loads(file.read_text(encoding="utf-8"))
        _check_entry(document.get("entry") if isinstance(document, dict) else None, file)
        if not isinstance(document, dict) or any(document.get(key) != value for key, value in header.items()):
            raise DamagedCacheError(f"expected an object with {', '.join(f'{k!r}' for k in header)} as written")
        by_sha256 = document.get("by_sha256")
        if not isinstance(by_sha256, dict):
            raise DamagedCacheError("expected 'by_sha256', an object")
        for sha256, entry in by_sha256.items():
            if not valid(entry):
                raise DamagedCacheError(f"snapshot {str(sha256)[:12]}: expected {expected}")
        return by_sha256

    return read_checked(path, read) or {}


def write_snapshot_figures(path: Path, header: dict, by_sha256: dict) -> None:
    """Write ``header`` and the figures per snapshot sha256 (sorted) atomically, as compact JSON,
    with the file's own name (its kind and key: :func:`_check_entry`)."""
    document = {"entry": path.name, **header, "by_sha256": dict(sorted(by_sha256.items()))}
    atomic_write_text(path, json.dumps(document, separators=(",", ":")))
