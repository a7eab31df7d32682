"""Taking in DeepState snapshots published after the release (layers.sources.updates), against a
local server on 127.0.0.1 that serves copies of the real snapshots, with the catalogue trimmed so
that they look new (tests/upstream_server.py).

The reference for what is taken in is the release's own catalogue: a snapshot served from the
real file of a day must be recorded with the sha256 the catalogue pins for that day, and the
days without a file are the catalogue's gaps.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
import shapely
from upstream_server import NOW, Reply, archive_of, real_snapshots, upstream_after, upstream_at

from peacemap.layers import settings
from peacemap.layers.errors import ControlFileError, DataSourceError
from peacemap.layers.sources import deepstate, recorded, registry, updates, upstream
from peacemap.layers.sources.upstream import RefusedFileError
from peacemap.layers.timeline.table import sources_note

PINNED = {day: registry.deepstate_source(day).sha256 for day in registry.deepstate_dates()}  # the untrimmed catalogue


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def test_new_snapshots_are_taken_in_with_their_pinned_hashes_and_become_latest(monkeypatch, tmp_path):
    with upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 8, 15)) as server:
        result = updates.update_snapshots()
        taken = [snapshot.date for snapshot in result.taken_in]
        assert taken == _days(dt.date(2026, 8, 16), dt.date(2026, 8, 22))
        # Each file recorded has the sha256 this release pins for that day (the same bytes).
        assert all(snapshot.sha256 == PINNED[snapshot.date] for snapshot in result.taken_in)
        assert {s.fetched for s in result.taken_in} == {NOW}
        assert {s.origin for s in result.taken_in} == {recorded.DAILY_FILE}
        assert result.complete
        assert result.stopped is None
        # Days after the last file up to "today" have none; the archive is asked for those before today.
        assert result.without_file == _days(dt.date(2026, 8, 23), NOW.date())
        assert ("GET", "/deepstate-map-data.geojson.gz") in server.requests
        # The registry now knows them, and "latest" is the newest, marked as not pinned.
        assert registry.deepstate_dates()[-1] == dt.date(2026, 8, 22)
        source = registry.deepstate_source(dt.date(2026, 8, 22))
        assert not source.pinned
        assert registry.locate(source).origin == registry.RECORDED_ORIGIN
        control = deepstate.deepstate_control()
        assert control.sha256 == PINNED[dt.date(2026, 8, 22)]
        assert control.label == (
            f"DeepState snapshot 2026-08-22, not pinned by this release, recorded on 2026-12-07, sha256 {PINNED[dt.date(2026, 8, 22)][:12]}…"
        )
        # The timelines, which span many snapshots, name those taken in.
        assert sources_note().endswith(
            "The 7 DeepState snapshot(s) from 2026-08-16 to 2026-08-22 are not pinned by this release: "
            "recorded by `peacemap data update` on 2026-12-07, with their sha256 in its lock file."
        )
        # The lock file lists them (a second run finds nothing new and asks only about later days).
        lock = recorded.read_lock(registry.recorded_dir() / recorded.LOCK_NAME)
        assert [(s.date, s.sha256) for s in lock] == [(day, PINNED[day]) for day in taken]
        server.requests.clear()
        again = updates.update_snapshots()
        assert again.taken_in == []
        assert again.complete
        assert all(path > "/data/deepstatemap_data_20260822" for _, path in server.requests if path.startswith("/data/"))


def test_a_gap_day_answers_404_and_is_passed_over(monkeypatch, tmp_path):
    # The catalogue has no snapshot for 2026-07-09 (a real gap): the server answers 404 for it.
    assert dt.date(2026, 7, 9) not in PINNED
    now = dt.datetime(2026, 7, 12, 8, tzinfo=dt.UTC)
    with upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 7, 5), now=now, served_through=now.date()):
        result = updates.update_snapshots()
        assert [s.date for s in result.taken_in] == [day for day in _days(dt.date(2026, 7, 6), now.date()) if day in PINNED]
        assert result.without_file == [dt.date(2026, 7, 9)]
        assert result.complete
        dates = registry.deepstate_dates()
        assert dt.date(2026, 7, 9) not in dates
        assert deepstate.deepstate_control(dt.date(2026, 7, 9)).label.startswith(
            "DeepState snapshot 2026-07-08 (latest on or before 2026-07-09), not pinned by this release"
        )


def test_a_day_missing_from_the_daily_files_is_taken_from_the_unified_archive(monkeypatch, tmp_path):
    now = dt.datetime(2026, 8, 20, 8, tzinfo=dt.UTC)
    real = real_snapshots(dt.date(2026, 8, 15), now.date())
    with upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 8, 15), now=now, served_through=now.date()) as server:
        del server.daily[dt.date(2026, 8, 17)]
        # The archive as upstream writes it: every day's polygon with its date, and a feature without one.
        server.archive = archive_of(
            {dt.date(2026, 8, 16): real[dt.date(2026, 8, 16)], dt.date(2026, 8, 17): real[dt.date(2026, 8, 17)], None: real[dt.date(2026, 8, 18)]}
        )
        result = updates.update_snapshots()
        assert [s.date for s in result.taken_in] == _days(dt.date(2026, 8, 16), now.date())
        from_archive = next(s for s in result.taken_in if s.date == dt.date(2026, 8, 17))
        assert from_archive.origin == recorded.ARCHIVE
        assert from_archive.archive_sha256
        assert result.without_file == []
        assert result.complete
        # The polygon read from the recorded file is the pinned file's (the same coordinates).
        pinned_polygon = shapely.from_geojson(real[dt.date(2026, 8, 17)])
        taken_polygon = shapely.from_geojson((registry.recorded_dir() / from_archive.file_name).read_bytes())
        assert shapely.equals(pinned_polygon, taken_polygon)
        assert "from the upstream unified archive" in deepstate.deepstate_control(dt.date(2026, 8, 17)).label


def test_a_day_the_archive_holds_twice_with_different_polygons_is_refused(monkeypatch, tmp_path):
    now = dt.datetime(2026, 8, 18, 8, tzinfo=dt.UTC)
    real = real_snapshots(dt.date(2026, 7, 31), now.date())
    with upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 8, 15), now=now, served_through=now.date()) as server:
        del server.daily[dt.date(2026, 8, 17)]
        archive = json.loads(gzip.decompress(archive_of({dt.date(2026, 8, 17): real[dt.date(2026, 8, 17)]})))
        other_polygon = json.loads(real[dt.date(2026, 8, 1)])["features"][0]["geometry"]
        archive["features"].append({**archive["features"][0], "id": "1", "geometry": other_polygon})
        server.archive = gzip.compress(json.dumps(archive).encode())
        result = updates.update_snapshots()
        assert dt.date(2026, 8, 17) not in [s.date for s in result.taken_in]
        assert len(result.refused) == 1
        assert "2 different polygons dated 2026-08-17; ambiguous" in result.refused[0]


def test_a_truncated_file_is_refused_and_the_others_are_taken_in(monkeypatch, tmp_path):
    with upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 8, 18)) as server:
        whole = server.daily[dt.date(2026, 8, 20)]
        server.replies[dt.date(2026, 8, 20)] = Reply(body=whole[: len(whole) // 2])  # served as complete, but cut
        result = updates.update_snapshots()
        assert [s.date for s in result.taken_in] == [dt.date(2026, 8, 19), dt.date(2026, 8, 21), dt.date(2026, 8, 22)]
        assert len(result.refused) == 1
        assert not result.complete
        line = result.refused[0]
        assert line.startswith("2026-08-20: ")
        assert "deepstatemap_data_20260820.geojson is not GeoJSON" in line
        assert "\n" not in line
        assert not (registry.recorded_dir() / "deepstatemap_data_20260820.geojson").exists()


def test_a_transfer_that_breaks_off_stops_the_run_keeping_what_came_before(monkeypatch, tmp_path):
    with upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 8, 18)) as server:
        whole = server.daily[dt.date(2026, 8, 20)]
        server.replies[dt.date(2026, 8, 20)] = Reply(body=whole[:1000], declared=len(whole))
        result = updates.update_snapshots()
        assert [s.date for s in result.taken_in] == [dt.date(2026, 8, 19)]
        assert "broke off after 1,000 of" in result.stopped


def test_a_server_error_stops_the_run_and_the_next_run_resumes(monkeypatch, tmp_path):
    with upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 8, 15)) as server:
        server.replies[dt.date(2026, 8, 18)] = Reply(status=500, body=b"oops")
        result = updates.update_snapshots()
        assert [s.date for s in result.taken_in] == _days(dt.date(2026, 8, 16), dt.date(2026, 8, 17))
        assert result.stopped.startswith(f"{server.url}/data/deepstatemap_data_20260818.geojson answered 500")
        assert not any(path.endswith("20260819.geojson") for _, path in server.requests)  # stopped there
        assert registry.deepstate_dates()[-1] == dt.date(2026, 8, 17)
        del server.replies[dt.date(2026, 8, 18)]
        resumed = updates.update_snapshots()
        assert [s.date for s in resumed.taken_in] == _days(dt.date(2026, 8, 18), dt.date(2026, 8, 22))


def test_a_tampered_file_is_refused_in_one_line_and_fetched_again_by_the_next_update(monkeypatch, tmp_path):
    with upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 8, 20)):
        updates.update_snapshots()
        path = registry.recorded_dir() / "deepstatemap_data_20260822.geojson"
        path.write_bytes(path.read_bytes().replace(b"35.311256", b"35.311257", 1))
        with pytest.raises(DataSourceError) as refused:
            deepstate.deepstate_control()
        message = str(refused.value)
        assert "\n" not in message
        assert "fails its checksum for source 'control-deepstate-20260822'" in message
        assert f"expected {PINNED[dt.date(2026, 8, 22)][:12]}…, recorded by `peacemap data update` on 2026-12-07" in message
        # The remedy the message gives: delete it and update again, which takes in the same bytes.
        path.unlink()
        with pytest.raises(DataSourceError, match=r"missing from .*; run `peacemap data update` to fetch it again"):
            deepstate.deepstate_control()
        again = updates.update_snapshots()
        assert [s.date for s in again.taken_in] == [dt.date(2026, 8, 22)]
        assert deepstate.deepstate_control().sha256 == PINNED[dt.date(2026, 8, 22)]


def test_a_file_recorded_once_is_not_taken_in_again_with_other_bytes(monkeypatch, tmp_path):
    with upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 8, 20)) as server:
        updates.update_snapshots()
        (registry.recorded_dir() / "deepstatemap_data_20260822.geojson").unlink()
        server.daily[dt.date(2026, 8, 22)] = server.daily[dt.date(2026, 8, 21)]  # upstream rewrote the day
        result = updates.update_snapshots()
        assert result.taken_in == []
        assert len(result.refused) == 1
        assert "the upstream file changed, so it is not taken in again" in result.refused[0]


def test_check_counts_new_daily_files_and_downloads_nothing(monkeypatch, tmp_path):
    with upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 8, 1)) as server:
        found = updates.check_new()
        assert found.new_days == [day for day in _days(dt.date(2026, 8, 2), dt.date(2026, 8, 22)) if day in PINNED]
        assert {method for method, _ in server.requests} == {"HEAD"}
        assert not registry.recorded_dir().exists()


def test_no_network_stops_at_once_and_the_pinned_snapshots_still_work(monkeypatch, tmp_path):
    with (
        upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 8, 20)) as server,
        upstream_at(monkeypatch, "http://127.0.0.1:9"),
    ):  # the discard port: nothing listens
        result = updates.update_snapshots()
        assert result.taken_in == []
        assert result.stopped.startswith("cannot reach http://127.0.0.1:9/data/deepstatemap_data_20260821.geojson")
        assert server.requests == []
        with pytest.raises(upstream.UpstreamError, match="cannot reach"):
            updates.check_new()
        assert registry.deepstate_dates()[-1] == dt.date(2026, 8, 20)
        assert deepstate.deepstate_control().sha256 == PINNED[dt.date(2026, 8, 20)]


@pytest.mark.parametrize("url", ["file:///etc", "ftp://example.org/x", "raw.githubusercontent.com/cyterat"])
def test_the_upstream_url_must_be_http(monkeypatch, url):
    with upstream_at(monkeypatch, url), pytest.raises(DataSourceError, match=f"{upstream.UPSTREAM_URL_ENV} should be an http or https URL"):
        upstream.upstream_url()


def test_the_upstream_url_is_read_with_the_other_settings():
    # Settings in one place (issue 28): PEACEMAP_UPSTREAM_URL is read when the settings are, and
    # changing the settings changes the upstream.
    assert settings.from_environment({settings.UPSTREAM_URL_ENV: "https://mirror.example/d"}).upstream_url == "https://mirror.example/d"
    with settings.changed(upstream_url="https://mirror.example/d/"):
        assert upstream.upstream_url() == "https://mirror.example/d"
    with settings.changed(upstream_url=None):
        assert upstream.upstream_url() == upstream.DEFAULT_UPSTREAM_URL


def test_a_file_over_the_size_cap_is_refused(monkeypatch, tmp_path):
    with upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 8, 21)):
        monkeypatch.setattr(updates, "MAX_SNAPSHOT_BYTES", 10_000)
        result = updates.update_snapshots()
        assert result.taken_in == []
        assert "more than the 10,000 allowed" in result.refused[0]


def _collection(geometry: dict, **members: object) -> bytes:
    return json.dumps({"type": "FeatureCollection", **members, "features": [{"type": "Feature", "properties": {}, "geometry": geometry}]}).encode()


SQUARE_NEAR_DONETSK = {"type": "Polygon", "coordinates": [[[37.0, 47.5], [38.0, 47.5], [38.0, 48.5], [37.0, 48.5], [37.0, 47.5]]]}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"<html>rate limited</html>", "is not GeoJSON"),
        (b'{"type": "Feature"}', "is not a GeoJSON FeatureCollection"),
        (_collection({"type": "Point", "coordinates": [37.5, 48.0]}), "holds Point; expected Polygon or MultiPolygon"),
        (_collection(SQUARE_NEAR_DONETSK, crs={"type": "name", "properties": {"name": "EPSG:3857"}}), "declares the CRS 'EPSG:3857'"),
        (_collection(SQUARE_NEAR_DONETSK).replace(b"38.0, 48.5", b"NaN, 48.5"), "NaN is not a finite number"),
        (_collection(SQUARE_NEAR_DONETSK).replace(b"38.0, 48.5", b"1e999, 48.5"), "1e999 is not a finite number"),
        (_collection({"type": "Polygon", "coordinates": [[[2.0, 48.0], [3.0, 48.0], [3.0, 49.0], [2.0, 48.0]]]}), "outside Ukraine"),
        (_collection({"type": "Polygon", "coordinates": [[[30.0, 50.0], [31.0, 50.0], [31.0, 51.0], [30.0, 51.0], [30.0, 50.0]]]}), "covers Kyiv city"),
    ],
)
def test_what_is_not_a_snapshot_over_ukraine_is_refused(content, expected):
    with pytest.raises((RefusedFileError, ControlFileError), match=expected):
        updates.check_snapshot(content, label="http://127.0.0.1/data/x.geojson")


def test_a_real_snapshot_passes_the_checks():
    updates.check_snapshot(registry.fetch(registry.deepstate_source(dt.date(2026, 8, 22))).read_bytes(), label="2026-08-22")


def test_a_silent_upstream_gets_a_hint_about_its_url(monkeypatch, tmp_path):
    # Nothing after the last pinned snapshot: upstream (the local server) has no file for 107 days.
    with upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 8, 22)) as server:
        result = updates.update_snapshots()
        assert result.taken_in == []
        assert len(result.without_file) == 107
        assert result.summary().endswith(
            f"; upstream publishes a file a day, so check that {server.url} is right (set {upstream.UPSTREAM_URL_ENV} to change it)"
        )
        assert (
            updates.check_new()
            .summary()
            .startswith(
                f"no new DeepState snapshot upstream after 2026-08-22 (up to 2026-12-07); upstream publishes a file a day, so check that {server.url} is right"
            )
        )
