"""Time of a plan's report as its option zones grow: 1, 2, 4 and 10 options of 50 discs each,
all switched on (issue 24, item 6), and the worst case the caps of layers.plans.model allow.

Each option's discs are 15 km in radius, centred on points of Ukraine's land spread over the
whole country (an option's discs take every n-th point, so that they lie among those of the
others). With --worst, every zone gives another status than the one before it (all of them in
turn, and each option another of the plan's provisions) and overlaps all the others: bands along
the line in five regions it crosses, 5 to 300 km deep, and discs of the largest radius, 300 km,
in Donetsk oblast, limited to a region or not; no two zones in a row merge, and each is cut by
all the later ones. The plan is the shipped plan28 with these options added; the time is that of
`peacemap report` in this process (the plan's layers, then the report with the 1 January 2022
population), on DeepState's snapshot of --date, the data already cached: wall time, and CPU
time (the machine may be shared).

Usage: .venv/bin/python bench/plan_options.py [--date 2025-11-20] [--counts 1,2,4,10] [--worst]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import shapely

from peacemap import pipeline
from peacemap.layers.plans.model import MAX_ZONE_KM, MAX_ZONES_PER_OPTION
from peacemap.layers.plans.statuses import Status
from peacemap.layers.regions import load_regions

DISC_RADIUS_KM = 15
STATUSES = ("dmz_mutual", "relinquished", "dmz_ukrainian")  # the options take turns


def land_points(count: int) -> list[tuple[float, float]]:
    """``count`` points on Ukraine's land (lon, lat, EPSG:4326), spread over the whole country."""
    land = shapely.union_all(load_regions().geometry.values)
    west, south, east, north = land.bounds
    step = 0.25
    grid = [(x, y) for y in np.arange(south, north, step) for x in np.arange(west, east, step)]
    inside = [point for point in grid if land.contains(shapely.Point(point))]
    picked = np.linspace(0, len(inside) - 1, count).round().astype(int)
    return [(round(float(inside[i][0]), 4), round(float(inside[i][1]), 4)) for i in picked]


def plan_text(options: int, points: list[tuple[float, float]], *, worst: bool = False) -> str:
    """plan28 with ``options`` options of MAX_ZONES_PER_OPTION discs each (``worst``: the zones
    of the docstring's worst case)."""
    base = resources.files("peacemap.layers.plans").joinpath("builtin", "plan28.toml").read_text(encoding="utf-8")
    provisions = [entry["id"] for entry in tomllib.loads(base)["provisions"]]
    blocks = []
    for number in range(options):
        provision = provisions[number % len(provisions) if worst else 0]
        if worst:
            zones = ", ".join(_worst_zone(number * MAX_ZONES_PER_OPTION + n) for n in range(MAX_ZONES_PER_OPTION))
        else:
            centres = points[number::options][:MAX_ZONES_PER_OPTION]
            zones = ", ".join(
                f'{{ around = [{lon}, {lat}], radius_km = {DISC_RADIUS_KM}, status = "{STATUSES[number % len(STATUSES)]}" }}' for lon, lat in centres
            )
        blocks.append(f'\n[[options]]\nid = "bench-{number}"\ndescription = "bench"\nprovision = "{provision}"\nzones = [{zones}]\n')
    return base.replace('id = "plan28"', 'id = "bench-options"') + "".join(blocks)


BAND_REGIONS = ("UA-14", "UA-23", "UA-65", "UA-63", "UA-09")  # regions crossed by the line
DISC_REGIONS = ("UA-14", "UA-09", "UA-23", "UA-12", "UA-63")  # regions within 300 km of the discs' centres


def _worst_zone(n: int) -> str:
    """Zone ``n`` of the worst case: a band or a 300 km disc, its status not the one before it."""
    status = list(Status)[n % len(Status)]
    if n % 2:
        return f'{{ along_line_in = "{BAND_REGIONS[n % 5]}", depth_km = {5 + (n * 37) % 296}, status = "{status}" }}'
    within = f', within = "{DISC_REGIONS[n % 5]}"' if n % 4 == 0 else ""
    return f'{{ around = [{37.5 + (n % 7) * 0.1:.1f}, {48.0 + (n % 5) * 0.1:.1f}], radius_km = {MAX_ZONE_KM:g}{within}, status = "{status}" }}'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2025, 11, 20))
    parser.add_argument("--counts", default="1,2,4,10", help="numbers of options to time, comma-separated")
    parser.add_argument("--worst", action="store_true", help="the worst case of the docstring instead of scattered discs")
    args = parser.parse_args()
    counts = [int(n) for n in args.counts.split(",")]
    points = land_points(max(counts) * MAX_ZONES_PER_OPTION)
    pipeline.plan_report("plan28", args.date)  # warm: region land, the control split, the population model
    with tempfile.TemporaryDirectory() as folder:
        for count in counts:
            path = Path(folder) / f"bench-{count}.toml"
            path.write_text(plan_text(count, points, worst=args.worst), encoding="utf-8")
            start, cpu_start = time.perf_counter(), time.process_time()
            result = pipeline.plan_report(path, args.date, options=[f"bench-{n}" for n in range(count)])
            seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
            print(
                f"{count:3d} option(s), {count * MAX_ZONES_PER_OPTION:4d} {'zones' if args.worst else 'discs'}: {seconds:6.1f} s wall, "
                f"{cpu_seconds:6.1f} s CPU, {len(result.layers.zones):5d} zones",
                flush=True,
            )


if __name__ == "__main__":
    main()
