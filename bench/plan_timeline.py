"""The plan over time (`peacemap timeline --plan`): cold and warm, over every snapshot or a sample.

Cold: an empty user cache (a private XDG_CACHE_HOME): region land and the population model are
built, and every snapshot is split along its line and measured. Warm: the same command again, everything cached. Both are run
as the CLI runs them, in a subprocess, with the wall time and the peak memory of the process tree.

Usage: .venv/bin/python bench/plan_timeline.py [--plan plan28] [--every N]
  --every N  measure every N-th day of the range only (cold: --from/--to ranges of one day would
             not share workers, so the sample is the first 1/N of the range) and scale the cold
             time up to all snapshots (default 1: the whole range, minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEACEMAP = [str(Path(sys.executable).parent / "peacemap")]


def run(arguments: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one `peacemap` run (raises if it fails)."""
    start = time.perf_counter()
    subprocess.run([*PEACEMAP, "-q", *arguments], check=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plan", default="plan28")
    parser.add_argument("--every", type=int, default=1)
    args = parser.parse_args()

    from peacemap.layers.sources import registry

    dates = registry.deepstate_dates()
    last = dates[len(dates) // args.every - 1]
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, XDG_CACHE_HOME=str(Path(folder) / "cache"))
        env.pop("PEACEMAP_NO_CACHE", None)
        output = Path(folder) / "plan.csv"
        common = ["timeline", "--plan", args.plan, "--from", dates[0].isoformat(), "--to", last.isoformat(), "-o", str(output)]
        snapshots = len([d for d in dates if d <= last])
        cold = run(common, env)
        warm = run(common, env)
        size = output.stat().st_size
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    scale = len(dates) / snapshots
    print(f"plan {args.plan}: {snapshots} snapshots ({dates[0]} to {last}), {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.2f}")
    print(f"cold: {cold:.1f} s ({cold / snapshots:.2f} s a snapshot; all {len(dates)} snapshots: about {cold * scale:.0f} s)")
    print(f"warm: {warm:.2f} s")
    print(f"largest process: {peak_mb:.0f} MB; CSV {size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
