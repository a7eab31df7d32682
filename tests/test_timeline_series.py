"""layers/timeline/series.py: progress told as snapshots are measured, in one process or several,
and a progress bar on a terminal (not in a pipe)."""

from __future__ import annotations

import itertools
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from peacemap.layers.sources import registry
from peacemap.layers.timeline import cache as timeline_cache
from peacemap.layers.timeline import series


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_is_told_up_to_the_total(workers):
    days = list(registry.deepstate_dates()[:24])
    units = timeline_cache.load_units()
    told: list[tuple[int, int]] = []
    rows = series.compute_occupied(
        days, units, workers=workers, cells=timeline_cache.load_cells(units), progress=lambda done, total: told.append((done, total))
    )
    assert rows.shape == (len(days), len(units.codes))
    assert told[-1] == (len(days), len(days))
    assert all(b[0] >= a[0] for a, b in itertools.pairwise(told))
    assert {total for _, total in told} == {len(days)}


def _run_with_terminal_stderr(args: list[str], tmp_path: Path) -> tuple[int, str]:
    controller, terminal = pty.openpty()
    command = [str(Path(sys.executable).with_name("peacemap")), *args]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=terminal, env={**os.environ, "COLUMNS": "100"})
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    return process.wait(timeout=120), output.decode(errors="replace")


def test_a_terminal_gets_a_progress_bar_and_a_pipe_does_not(tmp_path):
    # The first snapshots: nothing to look back to, so only these 13 days are measured.
    args = ["--no-cache", "timeline", "--from", "2024-07-08", "--to", "2024-07-20", "--region", "UA-14", "-o", str(tmp_path / "t.csv")]
    code, terminal = _run_with_terminal_stderr(args, tmp_path)
    assert code == 0
    assert "measuring snapshots" in terminal
    assert "13/13" in terminal  # the count, then the time left
    piped = subprocess.run([str(Path(sys.executable).with_name("peacemap")), *args], capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0
    assert "measuring snapshots" not in piped.stderr
    assert "snapshots measured" in piped.stderr
