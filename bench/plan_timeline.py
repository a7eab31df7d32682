"""The plan over time (`peacemap timeline --plan`) and its animated map: cold and warm, against the slow path.

Cold: an empty user cache (a private XDG_CACHE_HOME): region land and the population model are
built, and every snapshot is measured (on grid cells, layers/timeline/plan_cells.py). Warm: the
same command again, everything cached. Both run as the CLI runs them, in a subprocess, with the
wall time; the load average is printed with each (other jobs slow every figure).

The slow path is the report's way on each day (the plan applied to the day's split, its headline
with the population model: ``measure_plan(..., slow=True)``), run here in-process on the same
days; its rows are compared with the fast path's on every measure (km², people, band) and
every day, and the mismatches are printed (there should be none).

The animated map: 17 weekly frames (``peacemap map --every 7d``), cold in an empty cache, warm,
and with the cache off (``PEACEMAP_NO_CACHE=1``), as the map was built before frames were cached.

Usage: .venv/bin/python bench/plan_timeline.py [--plan plan28] [--every N] [--slow-every N] [--skip-slow]
  --every N       measure the first 1/N of the snapshots only and scale the cold time up
  --slow-every N  run the slow path on every N-th of those days only (scaled up for the ratio)
  --skip-slow     no slow path (no ratio, no comparison)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEACEMAP = [str(Path(sys.executable).parent / "peacemap")]
FRAMES = 17  # weekly frames of the animated map (issue 31's target: warm in at most 5 s)
FRAMES_TO = dt.date(2025, 11, 20)  # the day the 28-point plan was handed over


def run(arguments: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds of one `peacemap` run (raises if it fails), and the load average after it;
    prints its CPU seconds (its processes', which other jobs' load does not inflate)."""
    start, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([*PEACEMAP, "-q", *arguments], check=True, env=env)
    wall = time.perf_counter() - start
    print(f"  ({arguments[0]} {' '.join(arguments[1:3])}…: {wall:.1f} s wall, {_children_cpu() - cpu:.1f} s CPU)")
    return wall, os.getloadavg()[0]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fresh_env(folder: Path, name: str) -> dict[str, str]:
    env = dict(os.environ, XDG_CACHE_HOME=str(folder / name))
    env.pop("PEACEMAP_NO_CACHE", None)
    return env


def compare(fast: dict, slow: dict) -> list[str]:
    """The (day, measure) pairs whose figures differ."""
    return [
        f"{day} {measure}: fast {fast[day][measure]} slow {slow[day][measure]}"
        for day in slow
        for measure in slow[day]
        if fast[day][measure] != slow[day][measure]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plan", default="plan28")
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--slow-every", type=int, default=1)
    parser.add_argument("--skip-slow", action="store_true")
    parser.add_argument(
        "--slow-figures", type=Path, default=None, help="JSON file of the slow path's figures: read if it exists (the slow path is not run again), else written"
    )
    args = parser.parse_args()

    from peacemap.layers.sources import registry

    dates = registry.deepstate_dates()
    last = dates[len(dates) // args.every - 1]
    snapshots = [d for d in dates if d <= last]
    print(f"plan {args.plan}: {len(snapshots)} snapshots ({dates[0]} to {last}), {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        env = fresh_env(folder, "cache")
        common = ["timeline", "--plan", args.plan, "--from", dates[0].isoformat(), "--to", last.isoformat(), "-o", str(folder / "plan.csv")]
        cold, cold_load = run(common, env)
        warm, warm_load = run(common, env)
        scale = len(dates) / len(snapshots)
        print(
            f"cold: {cold:.1f} s (load {cold_load:.2f}; {cold / len(snapshots):.3f} s a snapshot; all {len(dates)}: about {cold * scale:.0f} s; target <= 60 s)"
        )
        print(f"warm: {warm:.2f} s (load {warm_load:.2f}; target <= 2 s)")

        first = (FRAMES_TO - dt.timedelta(days=7 * (FRAMES - 1))).isoformat()
        frames = ["map", "--plan", args.plan, "--from", first, "--to", FRAMES_TO.isoformat(), "--every", "7d"]
        frames_env = fresh_env(folder, "frames-cache")
        frames_cold, frames_cold_load = run([*frames, "-o", str(folder / "cold.html")], frames_env)
        frames_warm, frames_warm_load = run([*frames, "-o", str(folder / "warm.html")], frames_env)
        uncached, uncached_load = run([*frames, "-o", str(folder / "uncached.html")], dict(frames_env, PEACEMAP_NO_CACHE="1"))
        same = (folder / "cold.html").read_bytes() == (folder / "warm.html").read_bytes()
        print(
            f"{FRAMES} weekly frames to {FRAMES_TO}: cold {frames_cold:.1f} s (load {frames_cold_load:.2f}), "
            f"warm {frames_warm:.2f} s (load {frames_warm_load:.2f}; target <= 5 s), cache off {uncached:.1f} s "
            f"(load {uncached_load:.2f}): warm is {uncached / frames_warm:.0f}x faster; cold and warm maps "
            f"{'identical' if same else 'DIFFER'}"
        )

        if args.skip_slow:
            return
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]  # the fast figures the runs above cached
        from peacemap.layers.plans.model import load_plan_variant
        from peacemap.layers.timeline.plan import build_plan_timeline, measure_plan

        plan = load_plan_variant(args.plan)
        fast = build_plan_timeline(plan, dates[0], last).figures
        sample = snapshots[:: args.slow_every]
        start = time.perf_counter()
        if args.slow_figures is not None and args.slow_figures.is_file():
            saved = json.loads(args.slow_figures.read_text())
            slow = {dt.date.fromisoformat(day): figures for day, figures in saved["figures"].items() if dt.date.fromisoformat(day) in set(sample)}
            slow_seconds = saved["seconds"]
        else:
            slow = dict(zip(sample, measure_plan(plan, sample, slow=True)))
            slow_seconds = (time.perf_counter() - start) * len(snapshots) / len(sample)
            if args.slow_figures is not None:
                args.slow_figures.write_text(
                    json.dumps({"seconds": slow_seconds, "load": os.getloadavg()[0], "figures": {day.isoformat(): figures for day, figures in slow.items()}})
                )
        mismatches = compare(fast, slow)
        scaled = "" if args.slow_every == 1 else f" (every {args.slow_every}th day, scaled up)"
        print(f"slow path{scaled}: {slow_seconds:.0f} s (load {os.getloadavg()[0]:.2f}); fast cold is {slow_seconds / cold:.1f}x faster")
        print(f"equality with the slow path: {len(sample)} days x {len(plan_measures())} measures compared, {len(mismatches)} differ")
        for line in mismatches[:20]:
            print("  " + line)


def plan_measures() -> tuple:
    from peacemap.layers.timeline.plan import PLAN_MEASURES

    return PLAN_MEASURES


if __name__ == "__main__":
    main()
