"""Bench: size of the self-contained plan28 HTML map, and time until Chromium has drawn it.

Usage: .venv/bin/python bench/map.py [--plan plan28] [--date 2025-11-20] [--runs 3]

Prints the time to build the map (layers, simplification, HTML), the file size (limit 1.0 MB),
and, over several runs in headless Chromium (Debian's /usr/bin/chromium, network off), the
time from navigation start until every zone is in the DOM (page clock, ms).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def build(plan_id: str, date: dt.date, target: Path) -> int:
    from peacemap import pipeline
    from peacemap.maps.html import build_html_map, save_html
    from peacemap.maps.prepare import prepare_map_layers

    start = time.perf_counter()
    layers = pipeline.plan_layers(plan_id, date)
    built = time.perf_counter()
    map_layers = prepare_map_layers(layers)
    prepared = time.perf_counter()
    save_html(build_html_map(map_layers), target)
    saved = time.perf_counter()
    print(f"layers {built - start:.2f} s, simplify {prepared - built:.2f} s, html {saved - prepared:.2f} s")
    return len(map_layers.zones)


def render_times_ms(html_path: Path, zones: int, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as profile:
                context = playwright.chromium.launch_persistent_context(
                    profile,
                    executable_path=CHROMIUM,
                    args=FLAGS,
                    headless=True,
                    offline=True,
                    viewport={"width": 1200, "height": 800},
                )
                page = context.new_page()
                page.goto(html_path.as_uri(), wait_until="commit")
                page.wait_for_function(f"document.querySelectorAll('.leaflet-peacemap-zones-pane path').length >= {zones}", timeout=60_000)
                times.append(page.evaluate("performance.now()"))
                context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="plan28")
    parser.add_argument("--date", default="2025-11-20", type=dt.date.fromisoformat)
    parser.add_argument("--runs", default=3, type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"{args.plan}.html"
        zones = build(args.plan, args.date, target)
        size = target.stat().st_size
        print(f"html size {size:,} bytes ({size / 1e6:.3f} MB; limit 1.000 MB), {zones} zones")
        times = render_times_ms(target, zones, args.runs)
        print(f"rendered in Chromium after {statistics.median(times):.0f} ms (median of {len(times)}: {', '.join(f'{t:.0f}' for t in times)})")


if __name__ == "__main__":
    main()
