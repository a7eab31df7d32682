"""The data registry: every public source peacemap uses, where to find it, and its sha256.

Resolution order for a source's file:

1. ``$PEACEMAP_DATA_DIR/<path>``
2. ``<repository>/../shared/data/<path>`` when that folder exists (a development checkout);
3. the user cache (``pooch.os_cache("peacemap")``), filled on demand by a download from the
   pinned URL, checked against the sha256.

A local file whose sha256 differs from the pinned one is an error, never silently used.

DeepState snapshots newer than the release's are added by ``peacemap data update``
(:mod:`peacemap.layers.sources.updates`): their files and a lock file with their sha256 are kept
in :func:`recorded_dir`, and they are found there only. They are sources like the pinned ones,
checked against the recorded sha256, and carry their :class:`RecordedSnapshot` so that outputs
can say they are not pinned.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import logging
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from peacemap.layers import settings
from peacemap.layers.errors import DataSourceError
from peacemap.layers.settings import DATA_DIR_ENV, memoized
from peacemap.layers.sources.recorded import LOCK_NAME, RecordedSnapshot, read_lock

logger = logging.getLogger(__name__)

DEEPSTATE_ID_PREFIX = "control-deepstate-"
RECORDED_ORIGIN = "recorded by data update"  # where a snapshot taken in after the release is found
_HASH_CHUNK_BYTES = 1 << 20


class UnknownSourceError(DataSourceError, KeyError):
    """No source has the id asked for (a KeyError too, as :func:`get_source` raised before)."""

    __str__ = DataSourceError.__str__  # KeyError's would put the message in quotes


class UnreadableSourceError(DataSourceError):
    """A source's file exists but cannot be read (permissions, an I/O error)."""


@dataclass(frozen=True)
class Source:
    """One pinned public file: its id, relative path, URL, sha256, licence and attribution."""

    id: str
    path: str
    url: str
    sha256: str
    bytes: int
    license: str
    attribution: str
    upstream: str
    notes: str = ""
    date: dt.date | None = None  # the snapshot date, for dated sources such as DeepState
    recorded: RecordedSnapshot | None = None  # a snapshot taken in by `data update`: not pinned

    @property
    def pinned(self) -> bool:
        """True if this release pins the file's sha256 (False for snapshots `data update` took in)."""
        return self.recorded is None


@dataclass(frozen=True)
class Located:
    """Where a source's file was found and whether its sha256 was checked."""

    source: Source
    path: Path | None
    origin: str  # "PEACEMAP_DATA_DIR", "shared data", "user cache" or "missing"
    verified: bool


def _registry_text(name: str) -> str:
    return resources.files("peacemap.layers.sources").joinpath("catalogue", name).read_text(encoding="utf-8")


@memoized
def _catalogue() -> dict:
    return tomllib.loads(_registry_text("sources.toml"))


@memoized
def sources() -> dict[str, Source]:
    """Every source in the registry, keyed by id (DeepState snapshots as ``control-deepstate-YYYYMMDD``),
    the snapshots recorded by ``peacemap data update`` after the pinned ones included."""
    catalogue = _catalogue()
    found = {sid: Source(id=sid, **facts) for sid, facts in catalogue["sources"].items()}
    deepstate = catalogue["deepstate"]
    for row in csv.DictReader(_registry_text("deepstate.csv").splitlines()):
        day = dt.date.fromisoformat(row["date"])
        ymd = day.strftime("%Y%m%d")
        sid = DEEPSTATE_ID_PREFIX + ymd
        found[sid] = Source(
            id=sid,
            path=deepstate["path_template"].format(yyyymmdd=ymd),
            url=deepstate["url_template"].format(yyyymmdd=ymd),
            sha256=row["sha256"],
            bytes=int(row["bytes"]),
            license=deepstate["license"],
            attribution=deepstate["attribution"],
            upstream=deepstate["upstream"],
            notes=deepstate["notes"],
            date=day,
        )
    for snapshot in recorded_snapshots():
        sid = DEEPSTATE_ID_PREFIX + snapshot.date.strftime("%Y%m%d")
        if sid not in found:  # a date this release pins is read as pinned
            found[sid] = _recorded_source(sid, snapshot, deepstate)
    return found


def _recorded_source(sid: str, snapshot: RecordedSnapshot, deepstate: dict) -> Source:
    return Source(
        id=sid,
        path=snapshot.file_name,
        url=snapshot.url,
        sha256=snapshot.sha256,
        bytes=snapshot.bytes,
        license=deepstate["license"],
        attribution=deepstate["attribution"],
        upstream=f"{deepstate['upstream']}; {snapshot.origin}, {snapshot.describe()}",
        notes=deepstate["notes"],
        date=snapshot.date,
        recorded=snapshot,
    )


def recorded_dir() -> Path:
    """The folder of the DeepState snapshots ``peacemap data update`` took in, and of their lock
    file (in the user cache)."""
    return cache_dir() / "deepstate-updates"


def recorded_snapshots() -> list[RecordedSnapshot]:
    """The snapshots recorded in the lock file of :func:`recorded_dir`, by date (pinned dates included)."""
    return read_lock(recorded_dir() / LOCK_NAME)


def reload() -> None:
    """Read the registry afresh (after ``peacemap data update`` recorded new snapshots)."""
    sources.cache_clear()
    deepstate_dates.cache_clear()


def get_source(source_id: str) -> Source:
    """Return the registry entry ``source_id``; raise :class:`UnknownSourceError` naming the known
    ids otherwise."""
    try:
        return sources()[source_id]
    except KeyError:
        known = ", ".join(s for s in sources() if not s.startswith(DEEPSTATE_ID_PREFIX))
        raise UnknownSourceError(f"unknown source id {source_id!r}; known: {known}, {DEEPSTATE_ID_PREFIX}YYYYMMDD") from None


def deepstate_source(day: dt.date) -> Source:
    """Return the registry entry of the DeepState snapshot dated ``day`` (UnknownSourceError if none)."""
    return get_source(DEEPSTATE_ID_PREFIX + day.strftime("%Y%m%d"))


@memoized
def deepstate_dates() -> tuple[dt.date, ...]:
    """Dates of all DeepState snapshots in the registry, ascending."""
    return tuple(sorted(s.date for s in sources().values() if s.id.startswith(DEEPSTATE_ID_PREFIX) and s.date is not None))


def repository_data_dir() -> Path:
    """``../shared/data`` beside the repository this package runs from (may not exist)."""
    package_root = Path(__file__).resolve().parents[2]
    return package_root.parent / "shared" / "data"


def cache_dir() -> Path:
    """The per-user cache (:attr:`peacemap.layers.settings.Settings.cache_dir`): ``$XDG_CACHE_HOME/peacemap``
    where that is set, else the system's user cache folder."""
    return settings.current().cache_dir


def search_dirs() -> list[tuple[str, Path]]:
    """Local folders searched for source files, in resolution order, with a label for each."""
    dirs: list[tuple[str, Path]] = []
    env_dir = settings.current().data_dir
    if env_dir is not None:
        if not env_dir.is_dir():
            logger.warning("%s=%s is not a folder; ignoring it", DATA_DIR_ENV, env_dir)
        else:
            dirs.append((DATA_DIR_ENV, env_dir))
    if repository_data_dir().is_dir():
        dirs.append(("shared data", repository_data_dir()))
    dirs.append(("user cache", cache_dir()))
    return dirs


def file_sha256(path: Path) -> str:
    """Hex sha256 of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(_HASH_CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


# Files verified in this process, keyed by path, with the (size, mtime) they had then.
_verified: dict[Path, tuple[int, int]] = {}


def _check_hash(source: Source, path: Path) -> None:
    try:
        stat = path.stat()
        stamp = (stat.st_size, stat.st_mtime_ns)
        if _verified.get(path) == stamp:
            return
        actual = file_sha256(path)
    except OSError as error:
        raise _unreadable(source, path, error) from error
    if actual != source.sha256:
        if source.recorded is not None:
            raise DataSourceError(
                f"{path} fails its checksum for source {source.id!r}: sha256 {actual[:12]}…, expected "
                f"{source.sha256[:12]}…, recorded by `peacemap data update` on {source.recorded.fetched.date().isoformat()}; "
                f"the file changed since: delete it and run `peacemap data update` to fetch it again"
            )
        raise DataSourceError(
            f"{path} fails its checksum for source {source.id!r}: sha256 {actual[:12]}…, "
            f"expected {source.sha256[:12]}…; replace it with the pinned file from {source.url} "
            f"or delete it so that it is downloaded again"
        )
    _verified[path] = stamp


def _folders_of(source: Source) -> list[tuple[str, Path]]:
    """Where ``source``'s file is looked for: the search folders, or for a recorded snapshot
    only the folder ``peacemap data update`` wrote it to."""
    return search_dirs() if source.pinned else [(RECORDED_ORIGIN, recorded_dir())]


def locate(source: Source, *, verify: bool = True) -> Located:
    """Find ``source`` in the local folders without downloading; check its sha256 if ``verify``."""
    for origin, folder in _folders_of(source):
        candidate = folder / source.path
        try:
            found = candidate.is_file()
        except OSError as error:  # is_file() is False for a missing file, raises for a forbidden folder
            raise _unreadable(source, candidate, error) from error
        if found:
            if verify:
                _check_hash(source, candidate)
            return Located(source, candidate, origin, verify)
    return Located(source, None, "missing", False)


def _unreadable(source: Source, path: Path, error: OSError) -> UnreadableSourceError:
    reason = error.strerror or type(error).__name__
    return UnreadableSourceError(
        f"{path} (source {source.id!r}) cannot be read ({reason}); make it and its folders readable to this user, or delete it so that it is downloaded again"
    )


def fetch(source: Source | str) -> Path:
    """Return the local path of a verified copy of ``source``, downloading it if needed.

    Raises
    ------
    DataSourceError
        If ``source`` is an unknown id, a local copy cannot be read or fails its sha256 check,
        or the file is absent and cannot be downloaded (a snapshot recorded by
        ``peacemap data update`` is fetched again by that command only).
    """
    if isinstance(source, str):
        source = get_source(source)
    located = locate(source)
    if located.path is not None:
        return located.path
    if source.recorded is not None:  # downloaded by `data update` only, which checks it like a control file
        raise DataSourceError(
            f"DeepState snapshot {source.date} (recorded by `peacemap data update`, not pinned) is missing from "
            f"{recorded_dir()}; run `peacemap data update` to fetch it again"
        )
    return _download(source)


def _download(source: Source) -> Path:
    import pooch

    target = cache_dir() / source.path
    logger.info("downloading %s (%s bytes) from %s", source.id, f"{source.bytes:,}", source.url)
    try:
        with _pooch_logs_at(logger.getEffectiveLevel()):
            fetched = pooch.retrieve(
                source.url,
                known_hash=f"sha256:{source.sha256}",
                fname=target.name,
                path=target.parent,
                progressbar=logger.isEnabledFor(logging.INFO) and _has_tqdm(),
            )
    except ValueError as error:  # pooch raises ValueError on a hash mismatch
        raise DataSourceError(
            f"download of {source.id!r} from {source.url} does not match its pinned sha256 "
            f"({error}); the upstream file changed: report it, or set {DATA_DIR_ENV} to a folder "
            f"holding {source.path}"
        ) from error
    except Exception as error:  # network errors come from requests/urllib and vary by backend
        raise DataSourceError(
            f"source {source.id!r} ({source.path}) is not in any data folder and its download from "
            f"{source.url} failed ({type(error).__name__}); set {DATA_DIR_ENV} to a folder holding "
            f"it, or retry with network access"
        ) from error
    return Path(fetched)


@contextmanager
def _pooch_logs_at(level: int) -> Iterator[None]:
    """pooch's own logger (which prints "Downloading data from ..." to stderr whatever peacemap's
    level) set to ``level`` within the block: silent with ``-q``, as every other message."""
    import pooch

    pooch_logger = pooch.get_logger()
    previous = pooch_logger.level
    pooch_logger.setLevel(level)
    try:
        yield
    finally:
        pooch_logger.setLevel(previous)


def _has_tqdm() -> bool:
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return True
