"""Take in the DeepState snapshots published upstream after the release's pinned ones
(``peacemap data update``): list them, download them, check each like a control file, and record
its sha256 in the lock file.

Upstream (cyterat/deepstate-map-data) publishes one file a day, ``data/deepstatemap_data_YYYYMMDD.geojson``,
and rewrites a unified archive, ``deepstate-map-data.geojson.gz``, holding every day's polygon with
its date. The days after the newest known snapshot are probed one by one (a 404 is a day without
a file); days before today still without a file are then looked for in the archive. Nothing is
taken in that is not a GeoJSON of polygons over Ukraine with finite coordinates, within the size
caps, and a snapshot already recorded is taken in again only with the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from peacemap.layers.errors import ControlFileError
from peacemap.layers.sources import registry, upstream
from peacemap.layers.sources.recorded import ARCHIVE, DAILY_FILE, LOCK_NAME, RecordedSnapshot, read_lock, write_lock
from peacemap.layers.sources.upstream import RefusedFileError, UpstreamError
from peacemap.layers.text import printable
from peacemap.layers.writing import atomic_write

logger = logging.getLogger(__name__)

# A daily file is about 80 KB (2024-2026); the archive was about 14 MB compressed in January 2026
# and grows by one day's polygon a day.
MAX_SNAPSHOT_BYTES = 16 << 20
MAX_ARCHIVE_BYTES = 256 << 20
MAX_ARCHIVE_JSON_BYTES = 1 << 30  # decompressed: a gzip bomb stops here
SNAPSHOT_DEADLINE_S = 120.0
ARCHIVE_DEADLINE_S = 900.0
QUIET_UPSTREAM_DAYS = 7  # days in a row without a file upstream after which its URL is doubted
# The CRS a GeoJSON file may declare (the 2008 "crs" member): lon/lat, as GeoJSON is by definition.
_LONLAT_CRS_NAMES = ("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326")
_POLYGON_TYPES = ("Polygon", "MultiPolygon")
_CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}

Progress = Callable[[int, int], None]


def utc_now() -> dt.datetime:
    """The time now, in UTC (what "today" and the fetch time are taken from)."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Availability:
    """What ``--check`` finds upstream: the days after ``after`` up to ``today`` with a daily file."""

    after: dt.date
    today: dt.date
    new_days: list[dt.date]
    days_without_file: list[dt.date]

    def summary(self) -> str:
        """One line: how many new snapshots upstream has, or none (with a hint if upstream has
        been silent for a week), and the earlier days without a daily file."""
        span = f"after {self.after} (up to {self.today})"
        if self.new_days:
            count = len(self.new_days)
            line = (
                f"{count} new DeepState snapshot{'s' if count > 1 else ''} upstream {span}: "
                f"{self.new_days[0]} to {self.new_days[-1]}; `peacemap data update` takes them in"
            )
        else:
            line = f"no new DeepState snapshot upstream {span}" + _quiet_upstream_hint(len(self.days_without_file))
        earlier = [day for day in self.days_without_file if day < self.today]
        if earlier:
            line += f"; {len(earlier)} earlier day(s) without a daily file (`peacemap data update` looks for them in the unified archive)"
        return line


@dataclass
class UpdateResult:
    """What an update took in, what it refused (one line each), which days had no file, and why
    it stopped early (None: it did not)."""

    after: dt.date
    today: dt.date
    taken_in: list[RecordedSnapshot] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    without_file: list[dt.date] = field(default_factory=list)
    stopped: str | None = None

    @property
    def complete(self) -> bool:
        """True if every file found was taken in and the run did not stop early."""
        return not self.refused and self.stopped is None

    def summary(self) -> str:
        """One line: what was taken in and where, and the days without a file upstream."""
        taken = self.taken_in
        line = (
            f"took in {len(taken)} DeepState snapshot(s) ({taken[0].date} to {taken[-1].date}) into {registry.recorded_dir()}"
            if taken
            else f"no new DeepState snapshot taken in after {self.after} (up to {self.today})"
        )
        if self.without_file:
            line += f"; {len(self.without_file)} day(s) without a file upstream"
        return line + ("" if taken else _quiet_upstream_hint(len(self.without_file)))


def _quiet_upstream_hint(days_without_file: int) -> str:
    """A hint when upstream had no file for a week or more: its URL may be wrong, as upstream
    publishes a file a day."""
    if days_without_file < QUIET_UPSTREAM_DAYS:
        return ""
    return f"; upstream publishes a file a day, so check that {upstream.upstream_url()} is right (set {upstream.UPSTREAM_URL_ENV} to change it)"


def last_known_date() -> dt.date:
    """The newest DeepState snapshot known here: pinned, or recorded by an earlier update."""
    return registry.deepstate_dates()[-1]


def check_new(*, progress: Progress | None = None) -> Availability:
    """How many daily files upstream has after the newest known snapshot (HEAD requests: nothing
    is downloaded).

    Raises
    ------
    UpstreamError
        Upstream cannot be reached, or answers with an error.
    """
    base = upstream.upstream_url()
    after, today = last_known_date(), utc_now().date()
    days = _days_between(after, today)
    found: list[dt.date] = []
    missing: list[dt.date] = []
    for done, day in enumerate(days):
        _tell(progress, done, len(days))
        (found if upstream.exists(upstream.daily_url(base, day)) else missing).append(day)
    _tell(progress, len(days), len(days))
    return Availability(after, today, found, missing)


def update_snapshots(*, progress: Progress | None = None) -> UpdateResult:
    """Download the snapshots published after the newest known one (and recorded ones whose file
    is missing) into :func:`registry.recorded_dir`, check each, and record them in the lock file.

    A file that is refused is reported in ``refused`` and skipped; a failure to reach upstream,
    or an error status, stops the run (``stopped``), keeping what was taken in before it.
    """
    base = upstream.upstream_url()
    now = utc_now()
    result = UpdateResult(after=last_known_date(), today=now.date())
    recorded = {s.recorded.date: s.recorded for s in registry.sources().values() if s.recorded is not None}  # not since pinned
    lost = [day for day, snapshot in recorded.items() if not (registry.recorded_dir() / snapshot.file_name).is_file()]
    days = sorted(set(lost) | set(_days_between(result.after, result.today)))
    try:
        for done, day in enumerate(days):
            _tell(progress, done, len(days))
            _take_in_daily(base, day, recorded.get(day), now, result)
        _tell(progress, len(days), len(days))
        earlier = [day for day in result.without_file if day < result.today]  # today's file may come later
        if earlier:
            _take_in_from_archive(base, earlier, recorded, now, result)
    except UpstreamError as error:
        result.stopped = str(error)
    finally:
        result.taken_in.sort(key=lambda snapshot: snapshot.date)
        if result.taken_in:
            _record(result.taken_in)
    return result


def _take_in_daily(base: str, day: dt.date, expected: RecordedSnapshot | None, now: dt.datetime, result: UpdateResult) -> None:
    url = upstream.daily_url(base, day)
    try:
        content = upstream.download(url, max_bytes=MAX_SNAPSHOT_BYTES, deadline_s=SNAPSHOT_DEADLINE_S)
        if content is None:
            result.without_file.append(day)
            return
        result.taken_in.append(_take_in(day, content, url=url, origin=DAILY_FILE, expected=expected, now=now))
    except (RefusedFileError, ControlFileError) as error:
        result.refused.append(f"{day}: {error}")


def _take_in(
    day: dt.date, content: bytes, *, url: str, origin: str, expected: RecordedSnapshot | None, now: dt.datetime, archive_sha256: str | None = None
) -> RecordedSnapshot:
    """Check ``content`` as the snapshot of ``day`` and write it into the folder of recorded
    snapshots; its record (not yet in the lock file)."""
    sha256 = hashlib.sha256(content).hexdigest()
    if expected is not None and expected.sha256 != sha256:
        raise RefusedFileError(
            f"{printable(url)} has sha256 {sha256[:12]}…, not the {expected.sha256[:12]}… recorded on "
            f"{expected.fetched.date()}; the upstream file changed, so it is not taken in again"
        )
    check_snapshot(content, label=printable(url))
    snapshot = RecordedSnapshot(date=day, sha256=sha256, bytes=len(content), fetched=now, url=url, origin=origin, archive_sha256=archive_sha256)
    atomic_write(registry.recorded_dir() / snapshot.file_name, lambda path: path.write_bytes(content))
    logger.debug("took in the DeepState snapshot of %s (%s bytes, sha256 %s…) from %s", day, f"{len(content):,}", sha256[:12], url)
    return snapshot


def check_snapshot(content: bytes, *, label: str) -> None:
    """Check that ``content`` is a DeepState snapshot: a GeoJSON FeatureCollection of polygons in
    lon/lat (EPSG:4326), with finite coordinates, over Ukraine, that reads as occupied territory
    (:func:`~peacemap.layers.sources.control_file.control_polygon` and
    :func:`~peacemap.layers.sources.control_file.occupied_territory`, as for a control file).

    Raises
    ------
    RefusedFileError
        Not GeoJSON, or not a FeatureCollection of polygons in lon/lat.
    ControlFileError
        The polygons fail a control file's checks.
    """
    _check_geojson_structure(content, label)
    import geopandas as gpd
    import shapely

    from peacemap.layers.sources.control_file import control_polygon, occupied_territory

    try:
        parts = shapely.get_parts(shapely.from_geojson(content))  # as deepstate.read_occupied reads it
    except shapely.errors.GEOSException as error:
        raise RefusedFileError(f"{label} cannot be read as GeoJSON ({printable(str(error))[:200]}); not taken in") from error
    frame = gpd.GeoDataFrame(geometry=list(parts), crs=4326)
    occupied_territory(control_polygon(frame, label=label), means="occupied", country=None, label=label)


def _check_geojson_structure(content: bytes, label: str) -> None:
    try:
        document = json.loads(content, parse_constant=_refuse_constant, parse_float=_finite_float)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as error:
        raise RefusedFileError(
            f"{label} is not GeoJSON ({printable(str(error))[:200]}); expected a complete FeatureCollection of polygons, not taken in"
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" or not isinstance(document.get("features"), list):
        raise RefusedFileError(f"{label} is not a GeoJSON FeatureCollection; expected the occupied territory as polygons, not taken in")
    if document.get("crs") is not None and _crs_name(document["crs"]) not in _LONLAT_CRS_NAMES:
        shown = printable(str(_crs_name(document["crs"])))[:80]
        raise RefusedFileError(f"{label} declares the CRS {shown!r}; expected lon/lat (CRS84), not taken in")
    kinds = {str((feature.get("geometry") or {}).get("type")) if isinstance(feature, dict) else type(feature).__name__ for feature in document["features"]}
    if not document["features"] or not kinds <= set(_POLYGON_TYPES):
        found = ", ".join(sorted(printable(kind)[:40] for kind in kinds)) or "no features"
        raise RefusedFileError(f"{label} holds {found}; expected Polygon or MultiPolygon features, not taken in")


def _crs_name(crs: object) -> object:
    """The name in a GeoJSON 2008 ``crs`` member ({"type": "name", "properties": {"name": ...}}), or None."""
    properties = crs.get("properties") if isinstance(crs, dict) else None
    return properties.get("name") if isinstance(properties, dict) else None


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a finite number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses as infinity
        raise ValueError(f"{text[:40]} is not a finite number")
    return value


def _take_in_from_archive(base: str, days: list[dt.date], recorded: dict[dt.date, RecordedSnapshot], now: dt.datetime, result: UpdateResult) -> None:
    """Take in from the unified archive the ``days`` without a daily file that it holds, one
    polygon each; a day it holds several different polygons for is refused as ambiguous."""
    url = upstream.archive_url(base)
    try:
        packed = upstream.download(url, max_bytes=MAX_ARCHIVE_BYTES, deadline_s=ARCHIVE_DEADLINE_S)
        if packed is None:
            logger.debug("no unified archive at %s", url)
            return
        archive_sha256 = hashlib.sha256(packed).hexdigest()
        features = _archive_features(_gunzip_capped(packed, url), days, url)
    except RefusedFileError as error:
        result.refused.append(str(error))
        return
    for day in days:
        if day not in features:
            continue
        try:
            content = _snapshot_bytes(features[day], day, url)
            snapshot = _take_in(day, content, url=url, origin=ARCHIVE, expected=recorded.get(day), now=now, archive_sha256=archive_sha256)
        except (RefusedFileError, ControlFileError) as error:
            result.refused.append(f"{day}: {error}")
            continue
        result.without_file.remove(day)
        result.taken_in.append(snapshot)


def _gunzip_capped(packed: bytes, url: str) -> bytes:
    """The decompressed archive, at most :data:`MAX_ARCHIVE_JSON_BYTES`."""
    inflate = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)  # gzip
    try:
        text = inflate.decompress(packed, MAX_ARCHIVE_JSON_BYTES + 1)
    except zlib.error as error:
        raise RefusedFileError(f"{printable(url)} is not a gzip file ({error}); the unified archive is not used") from None
    if len(text) > MAX_ARCHIVE_JSON_BYTES:
        raise RefusedFileError(f"{printable(url)} decompresses to more than {MAX_ARCHIVE_JSON_BYTES:,} bytes; the unified archive is not used")
    if not inflate.eof:
        raise RefusedFileError(f"{printable(url)} is a truncated gzip file; the unified archive is not used")
    return text


def _archive_features(text: bytes, days: list[dt.date], url: str) -> dict[dt.date, list]:
    """The geometries (shapely) the archive holds for each of ``days`` that it holds, read by
    GDAL's GeoJSON driver with a condition on the ``date`` property."""
    import pyogrio

    if not text.lstrip()[:1] == b"{":
        raise RefusedFileError(f"{printable(url)} does not hold GeoJSON; the unified archive is not used")
    wanted = ", ".join(f"'{day.isoformat()}'" for day in days)  # dates only: nothing from the file reaches the query
    try:
        frame = pyogrio.read_dataframe(text, columns=["date"], where=f"date IN ({wanted})")
    except Exception as error:  # pyogrio raises its own errors for unreadable files and unknown fields
        raise RefusedFileError(
            f"{printable(url)} cannot be read as the unified archive (features with a date) "
            f"({printable(str(error).splitlines()[0] if str(error) else type(error).__name__)[:200]}); "
            "it is not used"
        ) from None
    found: dict[dt.date, list] = {}
    for value, geometry in zip(frame["date"], frame.geometry):
        found.setdefault(_as_date(value), []).append(geometry)
    return found


def _as_date(value: object) -> dt.date:
    import pandas as pd

    return pd.Timestamp(value).date()


def _snapshot_bytes(geometries: list, day: dt.date, url: str) -> bytes:
    """A GeoJSON FeatureCollection of the archive's one polygon for ``day`` (in CRS84): the bytes
    recorded for it."""
    import shapely

    if any(geometry is None for geometry in geometries):
        raise RefusedFileError(f"{printable(url)} holds a feature dated {day} without geometry; not taken in")
    first = geometries[0]
    if not all(shapely.equals(geometry, first) for geometry in geometries[1:]):
        raise RefusedFileError(f"{printable(url)} holds {len(geometries)} different polygons dated {day}; ambiguous, not taken in")
    feature = {"type": "Feature", "properties": {}, "geometry": json.loads(shapely.to_geojson(first))}
    return json.dumps({"type": "FeatureCollection", "crs": _CRS84, "features": [feature]}, separators=(",", ":")).encode() + b"\n"


def _record(taken_in: list[RecordedSnapshot]) -> None:
    """Add ``taken_in`` to the lock file (read again just before, so that entries another run
    wrote meanwhile are kept) and make the registry see them."""
    lock = registry.recorded_dir() / LOCK_NAME
    entries = {snapshot.date: snapshot for snapshot in read_lock(lock)}
    entries.update({snapshot.date: snapshot for snapshot in taken_in})
    write_lock(lock, list(entries.values()))
    registry.reload()


def _days_between(after: dt.date, today: dt.date) -> list[dt.date]:
    """The days after ``after`` up to and including ``today``."""
    return [after + dt.timedelta(days=n) for n in range(1, (today - after).days + 1)]


def _tell(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and total:
        progress(done, total)


def describe_failure(reason: str) -> str:
    """The one line printed when upstream cannot be used (``reason``), with what still works."""
    dates = registry.deepstate_dates()
    return f"{reason}; the {len(dates):,} DeepState snapshots known here ({dates[0]} to {dates[-1]}) still work"
