"""The tests keep to a cache of their own (tests/conftest.py): a test run leaves the user's cache untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from peacemap.layers.sources import registry

REPOSITORY = Path(__file__).resolve().parents[1]
TIMEOUT_S = 600
# Real tests that fill a cache entry (the Crimea projections read from OCHA's workbook): cheap
# even on an empty cache.
CACHE_FILLING_TESTS = "tests/test_sources_population_projections.py"


def test_the_tests_point_the_cache_at_their_own_folder(test_cache):
    assert os.environ["XDG_CACHE_HOME"] == str(test_cache)
    assert registry.cache_dir() == test_cache / "peacemap"


def test_a_test_run_leaves_the_user_cache_untouched(tmp_path):
    # A user whose cache holds entries already; XDG_CACHE_HOME unset, as most users have it, so
    # peacemap's default would be ~/.cache/peacemap.
    home = tmp_path / "home"
    entry = home / ".cache" / "peacemap" / "results" / "crimea-projections" / "an-entry.bin"
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"a user's entry")
    (home / ".cache" / "peacemap" / "deepstate-updates").mkdir()
    before = _listing(home)
    env = {name: value for name, value in os.environ.items() if name != "XDG_CACHE_HOME"}
    env["HOME"] = str(home)
    # The inner run gets a pytest cache of its own, so that its tests cache is empty: it must
    # write entries, and the question is where.
    inner_cache = tmp_path / "pytest-cache"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-o", f"cache_dir={inner_cache}", CACHE_FILLING_TESTS],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert _listing(home) == before  # the same files and folders, not one modified
    written = list((inner_cache / "d" / "peacemap-cache" / "peacemap" / "results").rglob("*.bin"))
    assert written, "the run wrote no cache entry: it proves nothing"


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``folder`` (itself included): modification time (ns) and size."""
    paths = [folder, *folder.rglob("*")]
    return {str(path.relative_to(folder)): (path.stat().st_mtime_ns, path.stat().st_size) for path in paths}
