"""Timeline speed: the straightforward loop against peacemap's fast path, cold and warm, and memory.

The straightforward loop reads each snapshot with geopandas, intersects it with each region and
takes the geodesic area (it ignores enclaves, so its figures differ slightly from the report's;
it is timed, not trusted). The fast path is ``layers.timeline.occupied_series`` with an empty
cache (cold), a full cache (warm), and a cache missing the newest snapshot (one new snapshot).

Usage: .venv/bin/python bench/timeline.py [--naive-every N] [--workers N]
  --naive-every N  time the straightforward loop on every N-th snapshot only and scale up
                   (default 1: all of them; it takes about a minute).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path


def naive_loop(days, units) -> float:  # noqa: ANN001
    """Seconds for read (geopandas) + intersect with each region + geodesic area, per snapshot."""
    import geopandas as gpd
    import shapely

    from peacemap.geo.area import geodesic_area_km2
    from peacemap.layers import registry

    start = time.perf_counter()
    for day in days:
        frame = gpd.read_file(registry.fetch(registry.deepstate_source(day)))
        occupied = shapely.make_valid(shapely.union_all(frame.geometry.values))
        for region in units.geometries:
            geodesic_area_km2(region.intersection(occupied))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive-every", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    cache_root = tempfile.mkdtemp(prefix="peacemap-bench-")
    os.environ["XDG_CACHE_HOME"] = cache_root  # an empty user cache: the cold run is really cold

    from peacemap.layers import registry, timeline

    days = registry.deepstate_dates()
    print(f"{len(days)} snapshots, {os.cpu_count()} CPUs, cache in {cache_root}")

    start = time.perf_counter()
    series = timeline.occupied_series(workers=args.workers)
    cold = time.perf_counter() - start
    print(f"fast, cold (empty cache, region land built too): {cold:6.1f} s")

    start = time.perf_counter()
    timeline.occupied_series(workers=args.workers)
    warm = time.perf_counter() - start
    print(f"fast, warm (all cached):                          {warm:6.2f} s")

    path = timeline._series_cache_path()
    document = json.loads(path.read_text())
    document["by_sha256"].pop(registry.deepstate_source(days[-1]).sha256)
    path.write_text(json.dumps(document))
    start = time.perf_counter()
    again = timeline.occupied_series(workers=args.workers)
    one_new = time.perf_counter() - start
    drift = abs(again.to_numpy() - series.to_numpy()).max()
    print(f"fast, one new snapshot:                           {one_new:6.2f} s "
          f"(same figures to {drift:.1e} km²: measured alone, not after the day before)")

    units = timeline.load_units()
    start = time.perf_counter()
    timeline.compute_occupied(days, units, workers=args.workers)
    compute = time.perf_counter() - start
    print(f"fast, compute only (region land loaded, no cache): {compute:6.1f} s")

    sample = days[:: args.naive_every]
    naive = naive_loop(sample, units) * len(days) / len(sample)
    scaled = "" if args.naive_every == 1 else f" (every {args.naive_every}th snapshot, scaled up)"
    print(f"straightforward loop{scaled}:                     {naive:6.1f} s")
    print(f"ratio straightforward / fast cold: {naive / cold:.1f}x; / fast compute only: {naive / compute:.1f}x")
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {self_mb:.0f} MB (this process), {children_mb:.0f} MB (largest worker)")
    print(f"load average during the run: {os.getloadavg()[0]:.2f} (other processes slow both paths)")
    for leftover in Path(cache_root).rglob("*"):
        if leftover.is_file():
            leftover.unlink()


if __name__ == "__main__":
    main()
