"""Hard edges of `peacemap build`: each failure is one clear line, a non-zero exit, no traceback,
and nothing half-written in the output folder."""

import json

import pytest

from peacemap.cli.main import cli
from peacemap.layers import settings
from peacemap.layers.sources import registry


@pytest.fixture
def out_dir(tmp_path):
    return tmp_path / "out"


def _assert_clean_failure(result, out_dir, exit_code, *needles):
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.stderr
    message = [line for line in result.stderr.splitlines() if line.startswith("Error") or line.startswith("Interrupted")]
    assert len(message) == 1, result.stderr
    for needle in needles:
        assert needle in message[0], message[0]
    # Nothing in the output folder (the staging folder sits inside it) and nothing beside it.
    assert not out_dir.exists() or not any(out_dir.iterdir()), list(out_dir.iterdir())
    assert not [p for p in out_dir.parent.iterdir() if p.name.startswith((".out.part", ".peacemap-staging"))]


def _build(runner, out_dir, *args):
    return runner.invoke(cli, ["-q", "build", "--out", str(out_dir), *args])


def test_unknown_plan_id(runner, out_dir):
    _assert_clean_failure(_build(runner, out_dir, "--plan", "plan99"), out_dir, 1, "unknown plan 'plan99'", "plan28")


def test_malformed_plan_file(runner, out_dir, tmp_path):
    plan = tmp_path / "bad.toml"
    plan.write_text(
        'id = "bad"\ntitle = "x"\ndate = 2025-11-20\n[source]\nname = "n"\n[[provisions]]\nid = "1"\ntext = "t"\n'
        '[rules]\n"UA-14" = { rule = "annex", provision = "1" }\n'
    )
    _assert_clean_failure(_build(runner, out_dir, "--plan", str(plan)), out_dir, 1, str(plan), "rules.UA-14.rule", "expected one of")


def test_date_outside_the_snapshots(runner, out_dir):
    _assert_clean_failure(_build(runner, out_dir, "--date", "2023-01-01"), out_dir, 1, "2024-07-08 to 2026-08-22")


def test_malformed_date_is_a_usage_error(runner, out_dir):
    result = _build(runner, out_dir, "--date", "20-11-2025")
    assert result.exit_code == 2
    assert "expected YYYY-MM-DD" in result.stderr
    assert not out_dir.exists()


def _square(lon0, lat0, size=0.5):
    return [[[lon0, lat0], [lon0 + size, lat0], [lon0 + size, lat0 + size], [lon0, lat0 + size], [lon0, lat0]]]


def _collection(geometry, crs=None):
    document = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": geometry}]}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(document)


@pytest.mark.parametrize(
    ("name", "content", "needles"),
    [
        ("truncated.geojson", _collection({"type": "Polygon", "coordinates": _square(37.5, 48.0)})[:60], ["cannot be read"]),
        ("points.geojson", _collection({"type": "Point", "coordinates": [37.5, 48.0]}), ["has no polygons", "Point"]),
        ("elsewhere.geojson", _collection({"type": "Polygon", "coordinates": _square(2.0, 48.0)}), ["outside Ukraine"]),
        # Web-Mercator metres with no crs member: read as lon/lat, far outside Ukraine.
        ("metres.geojson", _collection({"type": "Polygon", "coordinates": _square(4_170_000, 6_120_000, 50_000)}), ["outside Ukraine", "CRS"]),
    ],
    ids=["truncated", "no-polygons", "outside-ukraine", "undeclared-crs"],
)
def test_bad_control_files(runner, out_dir, tmp_path, name, content, needles):
    control = tmp_path / name
    control.write_text(content)
    _assert_clean_failure(_build(runner, out_dir, "--control", str(control), "--date", "2025-11-20"), out_dir, 1, str(control), *needles)


def test_geopackage_without_crs_is_refused(runner, out_dir, tmp_path):
    import geopandas as gpd
    from shapely.geometry import Polygon

    control = tmp_path / "nocrs.gpkg"
    gpd.GeoDataFrame(geometry=[Polygon(_square(37.5, 48.0)[0])]).to_file(control)
    _assert_clean_failure(_build(runner, out_dir, "--control", str(control)), out_dir, 1, "declares no CRS")


@pytest.fixture
def fresh_caches(setenv, monkeypatch):
    """Forget data read earlier in this process, before and after the test, and leave the disk
    cache alone (results cached from the verified file would not read the damaged one)."""
    setenv(settings.NO_CACHE_ENV, "1")
    settings.clear_memo()
    yield
    settings.clear_memo()


def test_source_failing_its_hash(setenv, runner, out_dir, tmp_path, monkeypatch, fresh_caches):
    source = registry.get_source("admin1-naturalearth")
    corrupt = tmp_path / "data" / source.path
    corrupt.parent.mkdir(parents=True)
    corrupt.write_bytes((registry.repository_data_dir() / source.path).read_bytes()[:-100])
    setenv(settings.DATA_DIR_ENV, str(tmp_path / "data"))
    _assert_clean_failure(_build(runner, out_dir), out_dir, 1, "fails its checksum", source.url)


def test_output_folder_that_cannot_be_written(runner, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    out_dir = blocker / "out"
    result = _build(runner, out_dir)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "cannot write to output folder" in result.stderr
    assert blocker.read_text() == "not a folder"


# Interruptions (SIGINT and SIGTERM, while writing or starting up) are in test_cli_robustness.py,
# with fake writers instead of a full build.
