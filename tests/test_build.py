"""`peacemap build` with defaults: every output, and the same reports from a second, separate process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peacemap.cli.main import cli

OUTPUTS = ("map.html", "map.png", "report.md", "report.json", "report.csv", "layers.gpkg")


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """One build in this process, one in a new process with another hash seed (nothing shared
    but the files on disk)."""
    from click.testing import CliRunner

    first = tmp_path_factory.mktemp("first") / "out"
    result = CliRunner().invoke(cli, ["build", "--out", str(first)])
    assert result.exit_code == 0, result.output
    second = tmp_path_factory.mktemp("second") / "out"
    peacemap = Path(sys.executable).with_name("peacemap")
    process = subprocess.run(
        [str(peacemap), "-q", "build", "--out", str(second)], capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "12345"}, timeout=300
    )
    assert process.returncode == 0, process.stderr
    return [(first, result), (second, process)]


def test_build_writes_every_output(two_builds):
    out_dir, result = two_builds[0]
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(OUTPUTS)
    assert all((out_dir / name).stat().st_size > 0 for name in OUTPUTS)
    report = json.loads((out_dir / "report.json").read_text())
    assert report["plan"] == "plan28"
    assert report["date"] == "2025-11-20"
    assert "demilitarised zone" in result.stdout
    assert "km²" in result.stdout  # the headline
    assert str(out_dir / "map.html") in result.stderr  # where the files are


@pytest.mark.parametrize("name", OUTPUTS)  # every output, the map's element ids and the GeoPackage's timestamps included
def test_every_output_is_the_same_bytes_from_another_process(two_builds, name):
    (first, _), (second, _) = two_builds
    assert (first / name).read_bytes() == (second / name).read_bytes()


def test_map_is_self_contained_and_small(two_builds):
    page = (two_builds[0][0] / "map.html").read_text(encoding="utf-8")
    assert "<script src=" not in page
    assert 'rel="stylesheet" href="http' not in page
    assert len(page.encode()) <= 1_000_000
