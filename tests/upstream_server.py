"""A stand-in for the upstream DeepState repository on 127.0.0.1, serving copies of the real
snapshots (read through the registry at test time), and a catalogue trimmed so that the later
ones look new. Shared by the tests of `peacemap data update`."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from peacemap.layers import settings
from peacemap.layers.sources import registry, updates, upstream

DAILY_PATH = re.compile(r"/data/deepstatemap_data_(\d{8})\.geojson")
ARCHIVE_PATH = f"/{upstream.ARCHIVE_NAME}"
NOW = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)  # the day the acceptance run happens


@dataclass
class Reply:
    """A reply the server gives instead of a file: a status, a body, and the Content-Length it
    declares (None: the body's length)."""

    status: int = 200
    body: bytes = b""
    declared: int | None = None


@dataclass
class Upstream:
    """What the server holds: daily files by date, the archive, and replies that replace them."""

    daily: dict[dt.date, bytes] = field(default_factory=dict)
    archive: bytes | None = None
    replies: dict[dt.date | str, Reply] = field(default_factory=dict)  # by day, or ARCHIVE_PATH
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    url: str = ""

    def reply_for(self, path: str) -> Reply:
        match = DAILY_PATH.fullmatch(path)
        key: dt.date | str | None = dt.datetime.strptime(match[1], "%Y%m%d").date() if match else path
        if key in self.replies:
            return self.replies[key]
        if isinstance(key, dt.date) and key in self.daily:
            return Reply(body=self.daily[key])
        if key == ARCHIVE_PATH and self.archive is not None:
            return Reply(body=self.archive)
        return Reply(status=404, body=b"404: Not Found")


def _handler(state: Upstream) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def _answer(self, *, with_body: bool) -> None:
            state.requests.append((self.command, self.path))
            reply = state.reply_for(self.path)
            self.send_response(reply.status)
            self.send_header("Content-Length", str(len(reply.body) if reply.declared is None else reply.declared))
            self.end_headers()
            if with_body:
                self.wfile.write(reply.body)
            self.close_connection = True  # a body shorter than declared ends with the connection

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve(state: Upstream) -> Iterator[Upstream]:
    """Serve ``state`` on 127.0.0.1 (a free port) from a thread; ``state.url`` is its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def real_snapshots(after: dt.date, through: dt.date) -> dict[dt.date, bytes]:
    """The bytes of the real pinned snapshots dated after ``after`` up to ``through`` (the
    untrimmed catalogue; read through the registry, never stored in the repository)."""
    return {day: registry.fetch(registry.deepstate_source(day)).read_bytes() for day in registry.deepstate_dates() if after < day <= through}


def archive_of(snapshots: dict[dt.date | None, bytes]) -> bytes:
    """A unified archive as upstream writes it (geopandas' ``to_json`` of id, date and geometry,
    gzipped) holding the polygon of each snapshot under its date (None: a feature without date)."""
    features = [
        {
            "id": str(index),
            "type": "Feature",
            "properties": {"date": day.isoformat() if day else None},
            "geometry": json.loads(content)["features"][0]["geometry"],
        }
        for index, (day, content) in enumerate(snapshots.items())
    ]
    return gzip.compress(json.dumps({"type": "FeatureCollection", "features": features}).encode(), mtime=0)


def trim_catalogue(monkeypatch, last_day: dt.date) -> None:  # pytest's MonkeyPatch
    """Make the registry pin only the DeepState snapshots up to ``last_day``, in this process:
    the real catalogue's text with the later rows left out (undone with ``monkeypatch``; call
    ``registry.reload()`` after)."""
    real_text = registry._registry_text

    def trimmed(name: str) -> str:
        text = real_text(name)
        if name != "deepstate.csv":
            return text
        header, *rows = text.splitlines()
        return "\n".join([header, *(row for row in rows if dt.date.fromisoformat(row.split(",")[0]) <= last_day)]) + "\n"

    monkeypatch.setattr(registry, "_registry_text", trimmed)
    registry.reload()


@contextmanager
def upstream_after(monkeypatch, tmp_path, *, pinned_through: dt.date, now: dt.datetime = NOW, served_through: dt.date | None = None) -> Iterator[Upstream]:
    """A local upstream serving the real snapshots after ``pinned_through`` (to
    ``served_through``, default: the last pinned one), a catalogue trimmed at ``pinned_through``,
    recorded snapshots kept in ``tmp_path``, PEACEMAP_UPSTREAM_URL pointing at the server and
    the clock of `data update` at ``now``. On leaving, every monkeypatch of the test is undone
    and the registry read afresh, so that no trimmed catalogue outlives the test."""
    state = Upstream(daily=real_snapshots(pinned_through, served_through or registry.deepstate_dates()[-1]))
    recorded = tmp_path / "recorded"
    monkeypatch.setattr(registry, "recorded_dir", lambda: recorded)
    monkeypatch.setattr(updates, "utc_now", lambda: now)
    trim_catalogue(monkeypatch, pinned_through)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # urllib would send the requests to a proxy set in the environment
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    try:
        with serve(state), upstream_at(monkeypatch, state.url):
            yield state
    finally:
        monkeypatch.undo()
        registry.reload()


@contextmanager
def upstream_at(monkeypatch, url: str) -> Iterator[None]:
    """Within the block, ``url`` is the upstream: in the settings in force (for calls of the
    library) and in PEACEMAP_UPSTREAM_URL (for a command, which reads its settings when it starts)."""
    monkeypatch.setenv(settings.UPSTREAM_URL_ENV, url)
    with settings.changed(upstream_url=url):
        yield
