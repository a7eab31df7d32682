"""Bench: the animated map (`peacemap map --from --to --every`): file size, frames, build time,
and in headless Chromium the time to the first frame and per slider step.

Usage: .venv/bin/python bench/animation.py [--plan plan28] [--from 2024-07-08] [--to 2026-08-22]
       [--every 7 --every 1] [--out-dir DIR] [--steps 20]

Targets (issue 15; printed beside each figure, not tests): the whole range weekly at most
3.0 MB and daily at most 8 MB; the first frame drawn within 1.5 s of navigation start (page
clock, network off) and each slider step within 200 ms (from the slider's input event until
the browser has painted the frame: two animation frames later).
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
SIZE_TARGETS_MB = {7: 3.0, 1: 8.0}
FIRST_FRAME_TARGET_MS = 1_500
STEP_TARGET_MS = 200

STEP_JS = """async (index) => {
  const slider = document.querySelector(".peacemap-slider");
  const start = performance.now();
  slider.value = String(index);
  slider.dispatchEvent(new Event("input"));
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return performance.now() - start;
}"""


def build(plan: str, start: dt.date, end: dt.date, every: int, target: Path) -> tuple[int, int, float]:
    """Write the animated map; returns (frames, gaps, seconds)."""
    from peacemap import pipeline

    began = time.perf_counter()
    result = pipeline.animation(plan, start, end, every_days=every, progress=lambda done, total: print(f"\r  {done}/{total} frames", end="", flush=True))
    pipeline.write_animation(result, target)
    print()
    return len(result.frames), len(result.gaps), time.perf_counter() - began


def browser_times_ms(html_path: Path, steps: int) -> tuple[float, list[float], float]:
    """(first frame, slider steps one frame forward, a jump from the first frame to the last)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
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
        page.wait_for_function(
            "document.querySelector('.peacemap-player') && document.querySelector('.peacemap-player').dataset.frame === '0'"
            " && document.querySelectorAll('.leaflet-peacemap-zones-pane path').length > 0",
            timeout=60_000,
        )
        first = page.evaluate("performance.now()")
        count = int(page.eval_on_selector(".peacemap-slider", "e => Number(e.max)")) + 1
        step_times = [page.evaluate(STEP_JS, index) for index in range(1, min(steps + 1, count))]
        page.evaluate(STEP_JS, 0)
        jump = page.evaluate(STEP_JS, count - 1)
        context.close()
    return first, step_times, jump


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="plan28")
    parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, default=dt.date(2024, 7, 8))
    parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, default=dt.date(2026, 8, 22))
    parser.add_argument("--every", type=int, action="append", help="days between frames (repeatable; default 7 and 1)")
    parser.add_argument("--out-dir", type=Path, default=None, help="keep the HTML files here (default: a temporary folder)")
    parser.add_argument("--steps", type=int, default=20, help="slider steps to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.out_dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for every in args.every or [7, 1]:
            target = folder / f"{args.plan}-every-{every}d.html"
            frames, gaps, seconds = build(args.plan, args.start, args.end, every, target)
            size_mb = target.stat().st_size / 1e6
            limit = SIZE_TARGETS_MB.get(every)
            print(f"every {every}d: {frames} frames ({gaps} gaps), built in {seconds:.0f} s, {size_mb:.2f} MB" + (f" (target <= {limit} MB)" if limit else ""))
            first, steps, jump = browser_times_ms(target, args.steps)
            print(
                f"  first frame drawn at {first:.0f} ms (target <= {FIRST_FRAME_TARGET_MS}); slider step median "
                f"{statistics.median(steps):.0f} ms, max {max(steps):.0f} ms over {len(steps)} (target <= {STEP_TARGET_MS}); "
                f"jump first -> last frame {jump:.0f} ms"
            )


if __name__ == "__main__":
    main()
