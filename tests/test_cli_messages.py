"""Issue 24, item 8: messages said once and only when asked for: ``-q`` leaves the error alone on
stderr (no warning, no downloader line beside it), a plan file's refusal names it once, and
``cache clear`` counts only what it removed (a linked results folder is not followed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from peacemap.cli.main import cli
from peacemap.layers import settings
from peacemap.layers.sources import cache

SUBPROCESS_TIMEOUT_S = 120

# Runs `peacemap -q regions` with no local copy of any source and every download address an
# unreachable local port: the registry warns about PEACEMAP_DATA_DIR, pooch announces the
# download, and the download fails.
_NO_DATA_SCRIPT = """
import sys
from dataclasses import replace
from pathlib import Path

from peacemap.layers.sources import registry

unreachable = {key: replace(source, url="http://127.0.0.1:9/" + source.path) for key, source in registry.sources().items()}
registry.sources = lambda: unreachable
registry.repository_data_dir = lambda: Path(sys.argv[1])
from peacemap.cli.main import main

sys.argv = ["peacemap", *sys.argv[2:]]
main()
"""


def _without_data(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PEACEMAP_DATA_DIR": str(tmp_path / "missing"), "XDG_CACHE_HOME": str(tmp_path / "cache"), settings.NO_CACHE_ENV: "1"}
    (tmp_path / "empty").mkdir()
    return subprocess.run(
        [sys.executable, "-c", _NO_DATA_SCRIPT, str(tmp_path / "empty"), *args], capture_output=True, text=True, env=env, timeout=SUBPROCESS_TIMEOUT_S
    )


def test_quiet_leaves_the_error_alone(tmp_path):
    done = _without_data(tmp_path, "-q", "regions")
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: source 'admin1-"), lines
    assert "download from http://127.0.0.1:9/" in lines[0]


def test_without_quiet_the_warning_and_the_download_are_said(tmp_path):
    done = _without_data(tmp_path, "regions")
    assert done.returncode == 1
    assert "PEACEMAP_DATA_DIR" in done.stderr
    assert "is not a folder" in done.stderr
    assert "downloading admin1-" in done.stderr
    assert done.stderr.rstrip().splitlines()[-1].startswith("Error: ")


def test_a_plan_file_that_is_not_a_regular_file_is_named_once(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder.toml").mkdir()
    os.mkfifo(tmp_path / "fifo.toml")
    for name in ("folder.toml", "fifo.toml"):
        result = runner.invoke(cli, ["plans", "show", name])
        assert result.exit_code == 1
        assert result.stderr == f"Error: cannot read plan file {name}: not a regular file\n"


def test_cache_clear_does_not_follow_a_linked_results_folder(setenv, runner, tmp_path, monkeypatch):
    setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "control").mkdir(parents=True)
    (elsewhere / "control" / "precious.bin").write_bytes(b"not the cache's to remove")
    cache.cache_root().parent.mkdir(parents=True)
    cache.cache_root().symlink_to(elsewhere)
    result = runner.invoke(cli, ["cache", "clear"])
    assert result.exit_code == 0
    assert "is a link to" in result.stderr
    assert "nothing was removed there" in result.stderr
    assert "removed 0 cache entries" in result.stderr
    assert (elsewhere / "control" / "precious.bin").exists()
    assert cache.cache_root().is_symlink()


def test_cache_clear_counts_the_files_it_removed(setenv, runner, tmp_path, monkeypatch):
    setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"kept")
    (cache.cache_root() / "control").mkdir(parents=True)
    (cache.cache_root() / "control" / "entry.v2.bin").write_bytes(b"x")
    (cache.cache_root() / "control" / "link.bin").symlink_to(outside)  # removed, not followed, not counted
    result = runner.invoke(cli, ["cache", "clear"])
    assert result.exit_code == 0, result.stderr
    assert "removed 1 cache entries" in result.stderr, result.stderr
    assert not cache.cache_root().exists()
    assert outside.read_bytes() == b"kept"
