"""The lock file of DeepState snapshots taken in by ``peacemap data update``: each one's date,
sha256, size, URL and fetch time, for snapshots newer than the release pins."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from peacemap.layers.writing import atomic_write_text

logger = logging.getLogger(__name__)

LOCK_NAME = "deepstate-lock.json"
LOCK_FORMAT = 1
DAILY_FILE = "daily file"  # origins: a day's own file in the upstream repository,
ARCHIVE = "unified archive"  # or that day's feature in its unified archive
ORIGINS = (DAILY_FILE, ARCHIVE)
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SHA256_SHOWN = 12  # hex digits shown in labels; the lock keeps all 64


@dataclass(frozen=True)
class RecordedSnapshot:
    """A DeepState snapshot taken in after the release: not pinned by it, checked against the
    sha256 recorded when it was fetched."""

    date: dt.date
    sha256: str
    bytes: int
    fetched: dt.datetime  # when it was fetched (UTC)
    url: str  # where it was fetched from
    origin: str = DAILY_FILE  # one of ORIGINS
    archive_sha256: str | None = None  # the sha256 of the unified archive it was cut from, if so

    @property
    def file_name(self) -> str:
        """Its file's name in the folder of recorded snapshots (from its date, never from the lock)."""
        return snapshot_file_name(self.date)

    def describe(self) -> str:
        """How outputs mark it: 'not pinned by this release, recorded on 2026-12-07, sha256 d3049d27c7fc…'."""
        where = ", from the upstream unified archive" if self.origin == ARCHIVE else ""
        return f"not pinned by this release, recorded on {self.fetched.date().isoformat()}, sha256 {self.sha256[:_SHA256_SHOWN]}…{where}"


def snapshot_file_name(day: dt.date) -> str:
    """The upstream name of the snapshot of ``day`` (``deepstatemap_data_YYYYMMDD.geojson``)."""
    return f"deepstatemap_data_{day.strftime('%Y%m%d')}.geojson"


def read_lock(path: Path) -> list[RecordedSnapshot]:
    """The snapshots recorded in the lock file at ``path``, by date; none if it does not exist.

    A lock file that cannot be read or parsed is ignored with one warning (the pinned snapshots
    work without it); so is an entry that is not well formed.
    """
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        logger.warning(
            "ignoring the lock file of recorded DeepState snapshots %s: it cannot be read (%s); delete it and run `peacemap data update` again",
            path,
            type(error).__name__,
        )
        return []
    well_formed = isinstance(document, dict) and document.get("format") == LOCK_FORMAT
    entries = document.get("snapshots") if well_formed else None
    if not isinstance(entries, list):
        logger.warning(
            "ignoring the lock file of recorded DeepState snapshots %s: expected format %d with a list of "
            "snapshots; delete it and run `peacemap data update` again",
            path,
            LOCK_FORMAT,
        )
        return []
    found: dict[dt.date, RecordedSnapshot] = {}
    for entry in entries:
        snapshot = _parse_entry(entry)
        if snapshot is None:
            logger.warning("ignoring a malformed entry of %s: %.80r", path, entry)
        else:
            found[snapshot.date] = snapshot
    return [found[day] for day in sorted(found)]


def _parse_entry(entry: object) -> RecordedSnapshot | None:
    if not isinstance(entry, dict):
        return None
    try:
        snapshot = RecordedSnapshot(
            date=dt.date.fromisoformat(entry["date"]),
            sha256=entry["sha256"],
            bytes=entry["bytes"],
            fetched=dt.datetime.fromisoformat(entry["fetched"]),
            url=entry["url"],
            origin=entry.get("origin", DAILY_FILE),
            archive_sha256=entry.get("archive_sha256"),
        )
    except (KeyError, TypeError, ValueError):
        return None
    well_formed = (
        isinstance(snapshot.sha256, str)
        and _SHA256.fullmatch(snapshot.sha256)
        and isinstance(snapshot.bytes, int)
        and snapshot.bytes > 0
        and isinstance(snapshot.url, str)
        and snapshot.origin in ORIGINS
        and snapshot.fetched.tzinfo is not None
    )
    return snapshot if well_formed else None


def write_lock(path: Path, snapshots: list[RecordedSnapshot]) -> Path:
    """Write ``snapshots`` to the lock file at ``path`` atomically (temporary file, then rename),
    sorted by date."""
    entries = []
    for snapshot in sorted(snapshots, key=lambda s: s.date):
        entry = {
            "date": snapshot.date.isoformat(),
            "sha256": snapshot.sha256,
            "bytes": snapshot.bytes,
            "fetched": snapshot.fetched.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "url": snapshot.url,
            "origin": snapshot.origin,
        }
        if snapshot.archive_sha256:
            entry["archive_sha256"] = snapshot.archive_sha256
        entries.append(entry)
    document = {
        "format": LOCK_FORMAT,
        "about": "DeepState snapshots taken in by `peacemap data update`, not pinned by a peacemap release; "
        "each file is refused if its sha256 differs from the one recorded here",
        "snapshots": entries,
    }
    return atomic_write_text(Path(path), json.dumps(document, indent=1, ensure_ascii=False) + "\n")
