"""Bounded downloads from the repository that publishes DeepState's daily snapshots
(cyterat/deepstate-map-data): its base URL, and GET or HEAD requests with timeouts and size caps."""

from __future__ import annotations

import datetime as dt
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException, HTTPResponse

from peacemap.layers import settings
from peacemap.layers.errors import DataSourceError
from peacemap.layers.settings import UPSTREAM_URL_ENV as UPSTREAM_URL_ENV
from peacemap.layers.sources.recorded import snapshot_file_name
from peacemap.layers.text import printable

logger = logging.getLogger(__name__)

# The repository's raw files on its default branch (the release pins a commit of the same files).
DEFAULT_UPSTREAM_URL = "https://raw.githubusercontent.com/cyterat/deepstate-map-data/main"
ARCHIVE_NAME = "deepstate-map-data.geojson.gz"  # the unified archive: every day's polygon in one file
TIMEOUT_S = 30  # for connecting and for each read
_CHUNK_BYTES = 1 << 16
_USER_AGENT = "peacemap data update"


class UpstreamError(DataSourceError):
    """The upstream repository cannot be reached or answers with an error: the update stops."""


class RefusedFileError(DataSourceError):
    """A file fetched from upstream is not taken in (too large, not a snapshot over Ukraine, or
    not the bytes recorded for it)."""


def upstream_url() -> str:
    """The base URL of the upstream repository's raw files: ``$PEACEMAP_UPSTREAM_URL`` if set
    (an ``http`` or ``https`` URL, e.g. a mirror, or a local server in tests), else
    :data:`DEFAULT_UPSTREAM_URL`; without a trailing slash."""
    url = settings.current().upstream_url or DEFAULT_UPSTREAM_URL
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DataSourceError(f"{UPSTREAM_URL_ENV} should be an http or https URL such as {DEFAULT_UPSTREAM_URL}, got {printable(url)!r}")
    return url.rstrip("/")


def daily_url(base: str, day: dt.date) -> str:
    """The URL of the daily snapshot file of ``day`` under ``base``."""
    return f"{base}/data/{snapshot_file_name(day)}"


def archive_url(base: str) -> str:
    """The URL of the unified archive under ``base``."""
    return f"{base}/{ARCHIVE_NAME}"


def exists(url: str) -> bool:
    """True if ``url`` answers a HEAD request with 200, False with 404.

    Raises
    ------
    UpstreamError
        The server cannot be reached or answers with another status.
    """
    response = _open(url, method="HEAD")
    if response is None:
        return False
    response.close()
    return True


def download(url: str, *, max_bytes: int, deadline_s: float) -> bytes | None:
    """The body of ``url``, or None if it answers 404.

    At most ``max_bytes`` are read, within ``deadline_s`` seconds in all (and :data:`TIMEOUT_S`
    for each read); a body shorter than its Content-Length is a failed transfer.

    Raises
    ------
    UpstreamError
        The server cannot be reached, answers with another status than 200 or 404, is too slow,
        or the transfer breaks off.
    RefusedFileError
        The file is larger than ``max_bytes``.
    """
    started = time.monotonic()
    response = _open(url, method="GET")
    if response is None:
        return None
    with response:
        declared = _content_length(response)
        if declared is not None and declared > max_bytes:
            raise RefusedFileError(f"{printable(url)} is {declared:,} bytes, more than the {max_bytes:,} allowed; not taken in")
        body = _read_capped(response, url, max_bytes=max_bytes, deadline=started + deadline_s)
    if declared is not None and len(body) != declared:
        raise UpstreamError(f"the download of {printable(url)} broke off after {len(body):,} of {declared:,} bytes; run `peacemap data update` again")
    return body


def _open(url: str, *, method: str) -> HTTPResponse | None:
    """The response to ``method`` on ``url``, or None for a 404."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": _USER_AGENT})
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT_S)  # the scheme is checked
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 404:
            return None
        raise UpstreamError(f"{printable(url)} answered {error.code} {printable(str(error.reason))}; run `peacemap data update` again later") from None
    except (urllib.error.URLError, HTTPException, OSError) as error:
        raise UpstreamError(f"cannot reach {printable(url)} ({_reason(error)})") from None


def _content_length(response: HTTPResponse) -> int | None:
    value = response.headers.get("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _read_capped(response: HTTPResponse, url: str, *, max_bytes: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := response.read(_CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise RefusedFileError(f"{printable(url)} is more than the {max_bytes:,} bytes allowed; not taken in")
            if time.monotonic() > deadline:
                raise UpstreamError(f"the download of {printable(url)} is too slow ({size:,} bytes so far); run `peacemap data update` again later")
            chunks.append(chunk)
    except (HTTPException, OSError) as error:  # IncompleteRead, a reset connection, a read timeout
        raise UpstreamError(f"the download of {printable(url)} broke off after {size:,} bytes ({_reason(error)}); run `peacemap data update` again") from None
    return b"".join(chunks)


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", None) or error
    if isinstance(reason, socket.timeout | TimeoutError):
        return f"no answer within {TIMEOUT_S} s"
    if isinstance(reason, OSError) and reason.strerror:  # "Connection refused", not "[Errno 111] Connection refused"
        reason = reason.strerror
    text = " ".join(str(reason).split()) or type(reason).__name__
    return printable(text)
