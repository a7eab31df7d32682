"""Workers started by spawn (macOS's and Windows's way) give the same bytes as forked ones (Linux's).

Each output is made twice, with PEACEMAP_START_METHOD=fork and =spawn, and the files compared byte
for byte: the timeline, the plan timeline over two months, the animated map and ``peacemap build``.
The figures are measured afresh (--no-cache), so the workers really run; the log (-vv) shows how
they were started. Runs on Linux, where both start methods exist.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peacemap.layers.processes import START_METHOD_ENV

pytestmark = pytest.mark.slow  # minutes: every figure is measured twice

PEACEMAP = Path(sys.executable).with_name("peacemap")  # the console script of this environment
METHODS = ("fork", "spawn")
TIMEOUT_S = 900


def _run(method: str, *arguments: str) -> str:
    """``peacemap -vv ARGUMENTS`` with workers started by ``method``; returns its stderr."""
    env = {**os.environ, START_METHOD_ENV: method}
    done = subprocess.run([str(PEACEMAP), "-vv", *arguments], capture_output=True, text=True, env=env, timeout=TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stderr


def _workers_started_by(method: str, log: str) -> bool:
    # The pool's debug line; with one CPU there would be no pool, and nothing to compare.
    return f"on 2 {method} worker processes" in log


def test_the_timeline_is_the_same_under_spawn(tmp_path):
    # From 2025-11-01 the 365-day trailing change reaches back a year: about 380 snapshots, on two workers.
    outputs = {}
    for method in METHODS:
        outputs[method] = tmp_path / f"timeline-{method}.csv"
        log = _run(method, "timeline", "--no-cache", "--from", "2025-11-01", "--to", "2025-11-20", "-o", str(outputs[method]))
        assert _workers_started_by(method, log), log
    assert outputs["spawn"].read_bytes() == outputs["fork"].read_bytes()


def test_the_plan_timeline_over_two_months_is_the_same_under_spawn(tmp_path):
    # On grid cells a process is worth it from 30 snapshots on (layers.timeline.plan.CELL_DAYS_PER_WORKER):
    # two months give two workers.
    outputs = {}
    for method in METHODS:
        outputs[method] = tmp_path / f"plan28-{method}.json"
        log = _run(method, "timeline", "--plan", "plan28", "--no-cache", "--from", "2025-09-20", "--to", "2025-11-20", "-o", str(outputs[method]))
        assert _workers_started_by(method, log), log
    assert outputs["spawn"].read_bytes() == outputs["fork"].read_bytes()


def test_the_animated_map_is_the_same_under_spawn(setenv, tmp_path, monkeypatch, caplog):
    # In this process, with two workers for the week's frames after the first (the command line
    # gives a pool only to 20 frames or more, minutes of work twice over).
    from peacemap import pipeline

    caplog.set_level(logging.DEBUG, logger="peacemap.layers.timeline.parallel")
    written = {}
    for method in METHODS:
        setenv(START_METHOD_ENV, method)
        caplog.clear()
        result = pipeline.animation("plan28", "2025-11-14", "2025-11-20", every_days=1, workers=2)
        assert _workers_started_by(method, caplog.text), caplog.text
        written[method] = pipeline.write_animation(result, tmp_path / f"animation-{method}.html").read_bytes()
    assert written["spawn"] == written["fork"]


def test_build_is_the_same_under_spawn(tmp_path):
    logs = {method: _run(method, "build", "--out", str(tmp_path / method)) for method in METHODS}
    assert "writing map.png in the background" in logs["fork"]
    assert "writing map.png in the background" not in logs["spawn"]
    assert "writing map.png\n" in logs["spawn"]  # in turn
    names = sorted(p.name for p in (tmp_path / "fork").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "spawn").iterdir())
    assert {"map.html", "map.png", "report.json", "layers.gpkg"} <= set(names)
    for name in names:
        assert (tmp_path / "spawn" / name).read_bytes() == (tmp_path / "fork" / name).read_bytes(), name
