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
    from peacemap.layers.sources import registry

    start = time.perf_counter()
    for day in days:
        frame = gpd.read_file(registry.fetch(registry.deepstate_source(day)))
        occupied = shapely.make_valid(shapely.union_all(frame.geometry.values))
        for region in units.geometries:
            geodesic_area_km2(region.intersection(occupied))
    return time.perf_counter() - start


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children (the workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Timer:
    """Wall and CPU seconds of a block (CPU time does not depend on other jobs' load)."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self.wall, self.cpu = time.perf_counter() - self.wall, cpu_seconds() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:6.2f} s wall, {self.cpu:6.2f} s CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive-every", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    cache_root = tempfile.mkdtemp(prefix="peacemap-bench-")
    os.environ["XDG_CACHE_HOME"] = cache_root  # an empty user cache: the cold run is really cold

    from peacemap.layers.sources import registry
    from peacemap.layers.timeline import cache as timeline_cache
    from peacemap.layers.timeline import series as timeline

    days = registry.deepstate_dates()
    print(f"{len(days)} snapshots, {os.cpu_count()} CPUs, cache in {cache_root}")

    with Timer() as cold:
        series = timeline.occupied_series(workers=args.workers)
    print(f"fast, cold (empty cache, region land built too): {cold}")

    with Timer() as warm:
        timeline.occupied_series(workers=args.workers)
    print(f"fast, warm (all cached):                          {warm}")

    path = timeline_cache.series_cache_path()
    document = json.loads(path.read_text())
    document["by_sha256"].pop(registry.deepstate_source(days[-1]).sha256)
    path.write_text(json.dumps(document))
    with Timer() as one_new:
        again = timeline.occupied_series(workers=args.workers)
    drift = abs(again.to_numpy() - series.to_numpy()).max()
    print(f"fast, one new snapshot:                           {one_new} (figures differ by {drift:.1e} km²)")

    units = timeline_cache.load_units()
    with Timer() as compute:
        timeline.compute_occupied(days, units, workers=args.workers)
    print(f"fast, compute only (region land loaded, grid cut, no cache): {compute}")

    sample = days[:: args.naive_every]
    with Timer() as naive:
        naive_loop(sample, units)
    scale = len(days) / len(sample)
    naive.wall, naive.cpu = naive.wall * scale, naive.cpu * scale
    scaled = "" if args.naive_every == 1 else f" (every {args.naive_every}th snapshot, scaled up)"
    print(f"straightforward loop{scaled}:                      {naive}")
    print(
        f"ratio straightforward / fast: cold {naive.wall / cold.wall:.1f}x, compute only "
        f"{naive.wall / compute.wall:.1f}x (wall); {naive.cpu / compute.cpu:.1f}x (CPU)"
    )
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {self_mb:.0f} MB (this process), {children_mb:.0f} MB (largest worker)")
    print(f"load average during the run: {os.getloadavg()[0]:.2f} (other processes slow both paths)")
    for leftover in Path(cache_root).rglob("*"):
        if leftover.is_file():
            leftover.unlink()


if __name__ == "__main__":
    main()
