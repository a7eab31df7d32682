"""The disk cache of expensive results that are pure functions of pinned sources: region land, the
control zones of a map of control, the population model, the timeline's figures.

Every entry lives under the user cache folder (``~/.cache/peacemap/results``, or under
``$XDG_CACHE_HOME``), in a file named by a key (:func:`make_key`): the sha256 of what the result
depends on (the sources' sha256, an explicit method version, peacemap's version and its libraries',
and the source code of every peacemap module the computing module imports, found from its import
statements). A changed source, method, library or line of code gives a new key, so an entry is
never read stale. Files are written atomically (a temporary file, then renamed), so two processes
filling an empty cache at once both succeed and neither reads a half-written file; each file
carries the sha256 of its content, so a truncated or corrupted one is found, ignored with one
warning and rebuilt. Each file also names its own kind and key, inside the checksummed content:
an entry copied or renamed over another's (the control split of one date over another date's)
is damage too, never read as the other. ``peacemap --no-cache`` (or ``PEACEMAP_NO_CACHE=1``: the
settings, :mod:`peacemap.layers.settings`) computes everything afresh and leaves the cache alone.

Entries hold geometries as WKB and attributes as JSON: no pickle, so a cache file cannot run code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import logging
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from peacemap._version import __version__
from peacemap.layers import settings
from peacemap.layers.settings import memoized
from peacemap.layers.sources import registry
from peacemap.layers.sources.closure import code_digest
from peacemap.layers.writing import atomic_write

logger = logging.getLogger(__name__)

_DIGEST_BYTES = 32  # a sha256 of the rest heads every file
# 2: a header line naming the entry's kind and key follows the sha256 (1 had none). The suffix
# changes with it, so that files of the older layout are left unread rather than warned about.
ENTRY_FORMAT = 2
_ENTRY_SUFFIX = f".v{ENTRY_FORMAT}.bin"
_Value = TypeVar("_Value")
_Frame = TypeVar("_Frame", bound=pd.DataFrame)


class DamagedCacheError(ValueError):
    """A cache file does not hold what it should (a wrong checksum, another shape, sizes that disagree)."""


def enabled() -> bool:
    """Whether the cache is used (:attr:`peacemap.layers.settings.Settings.use_cache`): False under
    ``peacemap --no-cache``, or with ``PEACEMAP_NO_CACHE`` set to anything but ``""`` or ``"0"``."""
    return settings.current().use_cache


def cache_root() -> Path:
    """The folder of every cache entry, inside the user cache (:func:`registry.cache_dir`)."""
    return registry.cache_dir() / "results"


def make_key(kind: str, *, method: int, code: str | Sequence[str], sources: Iterable[str] = (), extra: str = "") -> str:
    """The key of an entry of ``kind``: everything its value depends on, hashed.

    Parameters
    ----------
    kind
        The kind of entry (its folder in the cache).
    method
        A version to bump when the value changes meaning without a change of code or input.
    code
        The module that computes the value (its ``__name__``), or several: the source of every
        peacemap module in their import closure (:func:`peacemap.layers.sources.closure.code_digest`)
        enters the key, found from their import statements, so that no list of modules is kept by hand.
    sources
        The sha256 (or other content hash) of each input.
    extra
        Any other input, as text.

    The key also holds peacemap's version and those of the libraries that compute and read the
    values (:func:`library_versions`).
    """
    roots = (code,) if isinstance(code, str) else tuple(code)
    parts = [
        f"kind {kind}",
        f"method {method}",
        f"peacemap {__version__}",
        f"libraries {library_versions()}",
        f"code {code_digest(roots)}",
        *(f"source {s}" for s in sources),
        f"extra {extra}",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


@memoized
def library_versions() -> str:
    """The versions of the libraries whose results enter cached values: shapely and GEOS, pyproj and
    PROJ, numpy, pandas, geopandas, pyogrio and GDAL (which reads the sources' files)."""
    import pyogrio
    import pyproj

    return (
        f"shapely {shapely.__version__} geos {shapely.geos_version_string}; pyproj {pyproj.__version__} "
        f"proj {pyproj.proj_version_str}; numpy {np.__version__}; pandas {pd.__version__}; "
        f"geopandas {gpd.__version__}; pyogrio {pyogrio.__version__} gdal {pyogrio.__gdal_version_string__}"
    )


def cached(kind: str, key: str, compute: Callable[[], _Value], *, dump: Callable[[_Value], bytes], load: Callable[[bytes], _Value]) -> _Value:
    """The value of ``kind`` under ``key``: read from the cache, or computed, stored and returned.

    ``dump`` turns a value into bytes and ``load`` back; a file ``load`` cannot read is damaged:
    one warning, and the value is computed again. With the cache off (:func:`enabled`), the
    value is computed and nothing is read or written.
    """
    if not enabled():
        return compute()
    path = entry_path(kind, key)
    found = read_entry(path, load, kind=kind, key=key)
    if found is not None:
        logger.debug("cache: %s read from %s", kind, path)
        return found
    value = compute()
    if kind not in settings.current().unstored_kinds:
        write_entry(path, dump(value), kind=kind, key=key)
    return value


def entry_path(kind: str, key: str) -> Path:
    """The file of the entry ``key`` of ``kind``."""
    return cache_root() / kind / f"{key}{_ENTRY_SUFFIX}"


@contextmanager
def not_storing(*kinds: str) -> Iterator[None]:
    """Within the block, entries of ``kinds`` are read from the cache but new ones are not written.

    For work over hundreds of dates whose per-date entries (2 MB each for a control split) would
    fill the disk for little use: the plan timeline keeps its own figures instead. The kinds are
    part of the settings, so that worker processes started within the block do not store them either.
    """
    with settings.changed(unstored_kinds=settings.current().unstored_kinds | set(kinds)):
        yield


def write_entry(path: Path, payload: bytes, *, kind: str, key: str) -> None:
    """Write ``payload`` to ``path`` atomically, after a header line naming its ``kind`` and ``key``,
    the two headed by their sha256."""
    content = _entry_header(kind, key) + payload
    atomic_write(path, lambda tmp: tmp.write_bytes(hashlib.sha256(content).digest() + content))


def _entry_header(kind: str, key: str) -> bytes:
    return json_dumps({"format": ENTRY_FORMAT, "kind": kind, "key": key}) + b"\n"


# What reading a damaged file raises besides DamagedCacheError: bad JSON or WKB, a missing key,
# a wrong type, a short buffer. Whatever the damage, the entry is rebuilt, never trusted.
# A truncated or bit-flipped .npz raises BadZipFile (a bad CRC), bad WKB GEOSException.
_DAMAGED = (OSError, ValueError, KeyError, TypeError, IndexError, EOFError, zipfile.BadZipFile, shapely.errors.GEOSException)


def read_entry(path: Path, load: Callable[[bytes], _Value], *, kind: str, key: str) -> _Value | None:
    """``load`` of the payload of ``path``; None if there is no such file, or (with one warning)
    if it is damaged: its checksum fails, it is another entry than ``kind`` ``key`` (a file copied
    over this one), or ``load`` cannot read it."""
    if not path.is_file():
        return None
    try:
        data = path.read_bytes()
        digest, content = data[:_DIGEST_BYTES], data[_DIGEST_BYTES:]
        if len(digest) != _DIGEST_BYTES or hashlib.sha256(content).digest() != digest:
            raise DamagedCacheError("its checksum does not match its content")
        expected = _entry_header(kind, key)
        if not content.startswith(expected):
            raise DamagedCacheError(f"it holds {_entry_named(content)}, not the {kind} entry {key}")
        return load(content[len(expected) :])
    except _DAMAGED as error:
        _warn_damaged(path, error)
        return None


def _entry_named(content: bytes) -> str:
    """What the header of ``content`` says it is (another entry's kind and key), for a warning."""
    try:
        header = json.loads(content[: content.index(b"\n")])
        return f"the {str(header['kind'])[:40]} entry {str(header['key'])[:40]}"
    except (ValueError, KeyError, TypeError):
        return "no header naming its entry"


def read_checked(path: Path, read: Callable[[Path], _Value]) -> _Value | None:
    """``read(path)``, or None with one warning when it fails on a damaged file (for files of other
    layouts, such as the timeline's, that check their own content)."""
    try:
        return read(path)
    except (*_DAMAGED, DamagedCacheError) as error:
        _warn_damaged(path, error)
        return None


def _warn_damaged(path: Path, error: BaseException) -> None:
    reason = str(error).splitlines()[0] if str(error) else "no message"
    logger.warning("ignoring unreadable cache file %s (%s: %s); rebuilding it", path, type(error).__name__, reason)


@dataclasses.dataclass(frozen=True)
class Entry:
    """One cache file: its kind (folder), path, size in bytes and when it was written (UTC)."""

    kind: str
    path: Path
    bytes: int
    written: dt.datetime


def _roots() -> tuple[Path, Path]:
    """The folders of the cache's entries: results, and the timeline's."""
    return cache_root(), registry.cache_dir() / "timeline"


def entries() -> list[Entry]:
    """Every file of the cache (results and timeline), sorted by kind and path; downloaded sources
    are not entries (``peacemap data status`` shows them)."""
    found = []
    for root in _roots():
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            stat = path.stat()
            kind = path.parent.name if root == cache_root() else "timeline"
            found.append(Entry(kind, path, stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)))
    return sorted(found, key=lambda entry: (entry.kind, str(entry.path)))


def clear() -> int:
    """Remove every cache entry (not the downloaded sources); returns the number of files removed.

    Links are removed, never followed: a cache folder that is itself a link (it could lead
    anywhere) is left as it is, with one warning, and its files are not counted.
    """
    removed = 0
    for root in _roots():
        if root.is_symlink():
            logger.warning("%s is a link to %s; not following it, so nothing was removed there", root, os.readlink(root))
        elif root.is_dir():
            removed += _remove_tree(root)
    return removed


def _remove_tree(root: Path) -> int:
    """Remove ``root`` and everything in it without following links; the number of files removed."""
    removed = 0
    for folder, dirs, files in os.walk(root, topdown=False):  # a link to a folder is listed in dirs, not entered
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = os.path.join(folder, name)
            counted = os.path.isfile(path) and not os.path.islink(path)
            try:
                os.unlink(path)
            except OSError as error:
                logger.warning("cannot remove cache file %s (%s)", path, error.strerror)
                continue
            removed += 1 if counted else 0
        for name in dirs:
            with contextlib.suppress(OSError):  # a link already removed, or a folder left non-empty
                os.rmdir(os.path.join(folder, name))
    with contextlib.suppress(OSError):
        root.rmdir()
    return removed


def json_dumps(value: object) -> bytes:
    """Compact JSON bytes (floats written so that they read back exactly)."""
    return json.dumps(value, separators=(",", ":"), allow_nan=True).encode()


def frame_dumps(frame: pd.DataFrame) -> bytes:
    """A (Geo)DataFrame as bytes: a JSON header with the columns, their dtypes, the index and the
    CRS, then the geometries (if any) as WKB. :func:`frame_loads` reads it back exactly."""
    geometry_name = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    columns = [c for c in frame.columns if c != geometry_name]
    blobs = [bytes(b) for b in shapely.to_wkb(frame.geometry.values, include_srid=False)] if geometry_name else []
    header = {
        "columns": {c: frame[c].tolist() for c in columns},
        "dtypes": {c: str(frame[c].dtype) for c in columns},
        "order": list(frame.columns),
        "index": frame.index.tolist(),
        "index_name": frame.index.name,
        "index_dtype": str(frame.index.dtype),
        "geometry": geometry_name,
        "crs": frame.crs.to_wkt() if geometry_name and frame.crs is not None else None,
        "wkb_lengths": [len(b) for b in blobs],
    }
    return json_dumps(header) + b"\n" + b"".join(blobs)


def frame_digest(frame: pd.DataFrame) -> str:
    """sha256 (hex) of :func:`frame_dumps` of ``frame``: its values, dtypes, index, CRS and
    geometries, for a key of what is computed from it."""
    return hashlib.sha256(frame_dumps(frame)).hexdigest()


def frame_loads(data: bytes) -> pd.DataFrame:
    """Inverse of :func:`frame_dumps`; DamagedCacheError if the lengths do not add up."""
    newline = data.index(b"\n")
    header = json.loads(data[:newline])
    lengths = header["wkb_lengths"]
    body = data[newline + 1 :]
    if sum(lengths) != len(body):
        raise DamagedCacheError(f"expected {sum(lengths)} bytes of WKB, found {len(body)}")
    index = pd.Index(header["index"], dtype=header["index_dtype"], name=header["index_name"])
    data_columns = {c: pd.Series(values, dtype=header["dtypes"][c], index=index) for c, values in header["columns"].items()}
    if header["geometry"] is None:
        return pd.DataFrame(data_columns, index=index)[header["order"]]
    offsets = np.cumsum([0, *lengths])
    geometries = shapely.from_wkb([body[a:b] for a, b in itertools.pairwise(offsets)])
    frame = gpd.GeoDataFrame(data_columns, geometry=gpd.GeoSeries(geometries, index=index), crs=header["crs"])
    if header["geometry"] != "geometry":
        frame = frame.rename_geometry(header["geometry"])
    return frame[header["order"]]


def cached_frame(kind: str, key: str, compute: Callable[[], _Frame]) -> _Frame:
    """:func:`cached` for a (Geo)DataFrame."""
    return cached(kind, key, compute, dump=frame_dumps, load=frame_loads)


def geometries_dumps(geometries: Sequence | np.ndarray) -> bytes:
    """Geometries (shapely, or None) as bytes: their WKB lengths as JSON (-1 for None), then the WKB."""
    blobs = [None if blob is None else bytes(blob) for blob in shapely.to_wkb(np.asarray(geometries, dtype=object), include_srid=False)]
    return json_dumps([-1 if blob is None else len(blob) for blob in blobs]) + b"\n" + b"".join(b for b in blobs if b is not None)


def geometries_loads(data: bytes) -> np.ndarray:
    """Inverse of :func:`geometries_dumps`: an object array of geometries (None kept)."""
    newline = data.index(b"\n")
    lengths = json.loads(data[:newline])
    body = data[newline + 1 :]
    if not isinstance(lengths, list) or sum(max(n, 0) for n in lengths) != len(body):
        raise DamagedCacheError("the geometries' lengths do not add up")
    present = np.array([n >= 0 for n in lengths], dtype=bool)
    offsets = np.cumsum([0, *(n for n in lengths if n >= 0)])
    result = np.full(len(lengths), None, dtype=object)
    result[present] = shapely.from_wkb([body[a:b] for a, b in itertools.pairwise(offsets)])
    return result


def geometries_digest(geometries: Sequence | np.ndarray) -> str:
    """sha256 (hex) of :func:`geometries_dumps` of ``geometries``, for a key of what is computed from them."""
    return hashlib.sha256(geometries_dumps(geometries)).hexdigest()


def frames_dumps(frames: Sequence[gpd.GeoDataFrame]) -> bytes:
    """Several GeoDataFrames as bytes (:func:`frame_dumps` each, with its length first)."""
    parts = [frame_dumps(frame) for frame in frames]
    return json_dumps([len(part) for part in parts]) + b"\n" + b"".join(parts)


def frames_loads(data: bytes) -> list[gpd.GeoDataFrame]:
    """Inverse of :func:`frames_dumps`."""
    newline = data.index(b"\n")
    lengths = json.loads(data[:newline])
    body = data[newline + 1 :]
    if not isinstance(lengths, list) or sum(lengths) != len(body):
        raise DamagedCacheError("the frames' lengths do not add up")
    offsets = np.cumsum([0, *lengths])
    return [frame_loads(body[a:b]) for a, b in itertools.pairwise(offsets)]
