"""Bench: the main job and the commands analysts repeat, cold (empty cache) and warm, as a user runs them.

Usage: .venv/bin/python bench/build.py [--runs 3]

Each command runs as its own process (the console script of this environment), with the user
cache in a temporary folder: "cold" starts from an empty cache, "warm" from the cache the cold
run left; "no cache" sets PEACEMAP_NO_CACHE=1. Prints the median wall time of each, the ratio
warm / no cache, the peak memory (max RSS) of `build`, the time of `peacemap --help`, and the
size of the five-plan comparison map. Targets (issue "Speed"): warm build ≤ 3 s, warm report ≤ 2 s,
cold build no slower than about 15-16 s, --help ≤ 0.35 s, peak ≤ 1 GB, compare map ≤ 1.0 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEACEMAP = str(Path(sys.executable).with_name("peacemap"))
PLANS = ["plan28", "plan20", "eu-counter", "russia-max", "freeze"]


def run(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds of one ``peacemap`` process, and the largest peak RSS (MB) of any process run so far
    (the build runs first, so its figure is the build's)."""
    start = time.perf_counter()
    subprocess.run([PEACEMAP, "-q", *args], env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def measure(name: str, args: list[str], runs: int, workdir: Path) -> dict[str, float]:
    """Cold, warm and no-cache medians of ``args`` (wall seconds), and the cold run's peak MB."""
    cold, warm, off, peaks = [], [], [], []
    for index in range(runs):
        cache = workdir / f"cache-{name}-{index}"
        env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
        wall, peak = run(args, env)
        cold.append(wall)
        peaks.append(peak)
        warm.append(run(args, env)[0])
        off.append(run(args, {**env, "PEACEMAP_NO_CACHE": "1"})[0])
        shutil.rmtree(cache, ignore_errors=True)
    result = {"cold": statistics.median(cold), "warm": statistics.median(warm), "no_cache": statistics.median(off), "peak_mb": max(peaks)}
    print(
        f"{name:8} cold {result['cold']:6.2f} s   warm {result['warm']:6.2f} s   no cache {result['no_cache']:6.2f} s   "
        f"warm/no cache {result['warm'] / result['no_cache']:.2f}   peak {result['peak_mb']:,} MB"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        print(f"{runs} run(s) of each, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        measure("build", ["build", "--out", str(workdir / "out")], runs, workdir)
        measure("report", ["report", "--format", "json"], runs, workdir)
        helps = []
        for _ in range(max(5, runs)):
            start = time.perf_counter()
            subprocess.run([PEACEMAP, "--help"], check=True, stdout=subprocess.DEVNULL)
            helps.append(time.perf_counter() - start)
        print(f"--help   median {statistics.median(helps):.3f} s")
        compare = workdir / "compare.html"
        run(["compare", *PLANS, "--date", "2025-11-20", "-o", str(compare)], {**os.environ, "XDG_CACHE_HOME": str(workdir / "c")})
        print(f"compare map of {len(PLANS)} plans: {compare.stat().st_size / 1e6:.2f} MB (limit 1.0 MB)")


if __name__ == "__main__":
    main()
