"""Wall time and peak memory of building all layers of a plan for one date.

Usage: .venv/bin/python bench/layers.py [--plan plan28] [--date 2025-11-20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import time

from peacemap.layers.plans.apply import build_plan_layers
from peacemap.layers.plans.model import load_plan
from peacemap.layers.regions import load_regions
from peacemap.layers.sources.deepstate import deepstate_control


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="plan28")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2025, 11, 20))
    args = parser.parse_args()

    start = time.perf_counter()
    regions = load_regions()
    after_regions = time.perf_counter()
    plan = load_plan(args.plan)
    control = deepstate_control(args.date)
    layers = build_plan_layers(plan, control, regions=regions)
    end = time.perf_counter()

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"plan {plan.id}, {control.label}: {len(layers.zones)} zones, {len(layers.contact_line)} contact lines")
    print(f"regions (land/sea):  {after_regions - start:6.2f} s")
    print(f"zones and lines:     {end - after_regions:6.2f} s")
    print(f"total wall time:     {end - start:6.2f} s")
    print(f"peak memory (RSS):   {peak_mib:6.0f} MiB")


if __name__ == "__main__":
    main()
