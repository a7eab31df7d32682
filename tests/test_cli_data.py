"""`peacemap data status` and `peacemap data update`."""

import datetime as dt
import json

from upstream_server import Reply, upstream_after

from peacemap import pipeline
from peacemap.cli.main import cli
from peacemap.layers import settings
from peacemap.layers.sources import registry, upstream


def test_status_lists_default_sources_as_verified(setenv, runner, monkeypatch):
    setenv(settings.DATA_DIR_ENV, None)
    result = runner.invoke(cli, ["data", "status"])
    assert result.exit_code == 0, result.output
    for source in pipeline.build_sources():
        line = next(line for line in result.stdout.splitlines() if line.startswith(source.id))
        assert "verified" in line


def test_status_flags_a_corrupted_file(setenv, runner, monkeypatch, tmp_path):
    source = pipeline.build_sources()[0]
    copy = tmp_path / source.path
    copy.parent.mkdir(parents=True)
    copy.write_bytes(b"not the pinned file")
    setenv(settings.DATA_DIR_ENV, str(tmp_path))
    result = runner.invoke(cli, ["data", "status"])
    assert result.exit_code == 1
    assert "CHECKSUM MISMATCH" in result.stdout


def test_the_hromada_territories_and_crimea_projection_are_build_sources():
    # Issue 12: the OPORA territories and the COD-PS projections are read by the default build.
    ids = [source.id for source in pipeline.build_sources()]
    assert {"hromadas-opora-2020", "population-ocha-cod-ps-2020"} <= set(ids)


# `peacemap data update`, against a local upstream serving copies of the real snapshots
# (tests/upstream_server.py). The reference is the release's catalogue: the days it pins from
# 2026-08-02 to 2026-08-22 (it has no gap there) and their sha256.
TRIMMED_AT, LAST_PINNED = dt.date(2026, 8, 1), dt.date(2026, 8, 22)
NEW_DAYS = [day for day in registry.deepstate_dates() if TRIMMED_AT < day <= LAST_PINNED]
PINNED_SHA256 = {day: registry.deepstate_source(day).sha256 for day in NEW_DAYS}


def test_update_on_2026_12_07_takes_in_the_snapshots_after_the_trimmed_catalogue(runner, monkeypatch, tmp_path):
    assert len(NEW_DAYS) == 21  # 2026-08-02 to 2026-08-22: no gap in the catalogue
    with upstream_after(monkeypatch, tmp_path, pinned_through=TRIMMED_AT):
        checked = runner.invoke(cli, ["data", "update", "--check"])
        assert checked.exit_code == 0, checked.output
        assert checked.stdout.startswith("21 new DeepState snapshots upstream after 2026-08-01 (up to 2026-12-07): 2026-08-02 to 2026-08-22")
        assert not registry.recorded_dir().exists()

        result = runner.invoke(cli, ["data", "update"])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert [line.split()[0] for line in lines] == [day.isoformat() for day in NEW_DAYS]
        assert all(line.endswith(f"sha256 {PINNED_SHA256[day]}") for line, day in zip(lines, NEW_DAYS))
        assert "took in 21 DeepState snapshot(s) (2026-08-02 to 2026-08-22)" in result.stderr

        report = runner.invoke(cli, ["report", "--date", "latest", "--format", "json"])
        assert report.exit_code == 0, report.output
        control = next(source for source in json.loads(report.stdout)["sources"] if source["id"] == "control")
        assert control["date"] == "2026-08-22"
        assert control["sha256"] == PINNED_SHA256[LAST_PINNED]
        assert control["name"] == (
            f"DeepState snapshot 2026-08-22, not pinned by this release, recorded on 2026-12-07, sha256 {PINNED_SHA256[LAST_PINNED][:12]}…"
        )

        # A recorded file whose bytes changed since is refused, in one line, as a pinned one is.
        recorded_file = registry.recorded_dir() / "deepstatemap_data_20260822.geojson"
        recorded_file.write_bytes(recorded_file.read_bytes() + b" ")
        tampered = runner.invoke(cli, ["report", "--date", "latest"])
        assert tampered.exit_code == 1
        assert len(tampered.stderr.splitlines()) == 1
        assert tampered.stderr.startswith(f"Error: {recorded_file} fails its checksum for source 'control-deepstate-20260822'")


def test_update_without_network_says_so_in_one_line_and_exits_1(runner, monkeypatch, tmp_path):
    with upstream_after(monkeypatch, tmp_path, pinned_through=LAST_PINNED):
        monkeypatch.setenv(upstream.UPSTREAM_URL_ENV, "http://127.0.0.1:9")  # nothing listens on the discard port
        for args in (["data", "update"], ["data", "update", "--check"]):
            result = runner.invoke(cli, args)
            assert result.exit_code == 1
            assert result.stdout == ""
            assert result.stderr.splitlines() == [
                "Error: cannot reach http://127.0.0.1:9/data/deepstatemap_data_20260823.geojson (Connection refused); "
                "the 769 DeepState snapshots known here (2024-07-08 to 2026-08-22) still work"
            ]


def test_update_reports_a_refused_file_and_exits_1(runner, monkeypatch, tmp_path):
    with upstream_after(monkeypatch, tmp_path, pinned_through=dt.date(2026, 8, 20)) as server:
        server.replies[dt.date(2026, 8, 21)] = Reply(body=server.daily[dt.date(2026, 8, 21)][:5000])
        result = runner.invoke(cli, ["data", "update"])
        assert result.exit_code == 1
        assert [line.split()[0] for line in result.stdout.splitlines()] == ["2026-08-22"]
        assert result.stderr.splitlines()[0].startswith(f"refused: 2026-08-21: {server.url}/data/deepstatemap_data_20260821.geojson is not GeoJSON")
