"""The animation use case: a plan's animated map over a range of dates, a frame every so many
days (:mod:`peacemap.layers.timeline.schedule`), each on that date's DeepState snapshot, computed
in parallel batches."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from peacemap.pipeline.plan import plan_layers
from peacemap.pipeline.request import DateRequest, snapshot_day

if TYPE_CHECKING:
    from peacemap.maps.animation import Animation, FrameDrawing
    from peacemap.maps.prepare import MapLayers

logger = logging.getLogger(__name__)

ANIMATION_BATCH = 120  # frames computed together: their outlines (about 1 MB each) are kept until encoded
ANIMATION_LOG_EVERY = 50  # frames between progress log lines when there is no progress bar
# A frame's control split and simplified outlines would add 3 MB a date to the cache, for a map
# written once.
ANIMATION_UNSTORED = ("control", "simplified-coverage")


def animation(plan: str | Path, start: DateRequest, end: DateRequest, *, every_days: int = 7, options: Sequence[str] = (),
              progress: Callable[[int, int], None] | None = None, workers: int | None = None) -> Animation:
    """The frames of ``plan``'s animated map: one every ``every_days`` days from ``start`` to
    ``end`` (dates or 'latest', inclusive; ``end`` is always the last frame, however far from
    the one before it), on DeepState's snapshot of each date.

    A date without a snapshot is a gap (never interpolated). Each frame is the plan's zones and
    line of contact on its date, and the report's km² and 1 January 2022 population of the
    demilitarised zone and of the land given up beyond the line
    (:func:`peacemap.layers.report.figures.plan_headline`, as ``peacemap report`` gives them).
    Frames are computed in batches on ``workers`` processes (default: up to one per CPU;
    :func:`peacemap.layers.timeline.parallel.measure_days`); ``progress`` is told (frames done,
    frames in all) as they are, else progress is logged.
    """
    from peacemap.layers.sources.cache import not_storing
    from peacemap.layers.timeline.schedule import frame_schedule
    from peacemap.maps.animation import Animation

    schedule = frame_schedule(snapshot_day(start), snapshot_day(end), every_days)
    frame_of = _animation_frame_maker(plan, tuple(options))
    drawn_days = list(schedule.drawn)
    with not_storing(*ANIMATION_UNSTORED):
        first_layers, first_frame = frame_of.layers_and_frame(drawn_days[0])  # here: it also loads what the workers then inherit
        result = Animation(first=first_layers, every_days=every_days)
        frames = _animation_frames(frame_of, drawn_days, first_frame, progress, workers)
        available = set(drawn_days)
        for day in schedule.days:
            if day in available:
                result.add(next(frames))
            else:
                result.add_gap(day)
    logger.info("animation: %d frame(s) from %s to %s, %d without a snapshot", len(schedule.days), schedule.first, schedule.last,
                len(schedule.gaps))
    return result


def _animation_frame_maker(plan: str | Path, options: tuple[str, ...]) -> AnimationFrame:
    """A measure: the frame of ``plan`` on a snapshot date (and its simplified layers)."""
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import RegionPopulationMemo

    return AnimationFrame(plan, options, RegionPopulationMemo(zone_population))  # regions the line does not cross are estimated once


@dataclass
class AnimationFrame:
    """The frame of ``plan`` (with ``options``) on a snapshot date, its population estimated with
    ``population``; called, as a measure of :func:`peacemap.layers.timeline.parallel.measure_days`,
    it gives the frame alone, quietly (picklable, for spawned workers)."""

    plan: str | Path
    options: tuple[str, ...]
    population: Callable

    def layers_and_frame(self, day: dt.date) -> tuple[MapLayers, FrameDrawing]:
        """The simplified layers and the frame on ``day``."""
        from peacemap.layers.report.figures import plan_headline, zones_with_population
        from peacemap.maps.animation import frame_drawing
        from peacemap.maps.prepare import prepare_map_layers

        layers = plan_layers(self.plan, day, options=self.options)
        # The zones' own figures, for their popups: estimated on the full-resolution zones (as the
        # headline is, from the same memo), given to the drawn ones.
        drawn = prepare_map_layers(layers)
        drawn = replace(drawn, zones=zones_with_population(drawn.zones, lambda _: self.population(layers.zones)))
        return drawn, frame_drawing(drawn, plan_headline(layers, self.population), day)

    def __call__(self, day: dt.date) -> FrameDrawing:
        from peacemap.layers.sources.cache import not_storing
        from peacemap.layers.timeline.parallel import quiet_logs

        with quiet_logs(), not_storing(*ANIMATION_UNSTORED):
            return self.layers_and_frame(day)[1]


def _animation_frames(frame_of: Callable[[dt.date], FrameDrawing], days: list[dt.date], first: FrameDrawing,
                      progress: Callable[[int, int], None] | None, workers: int | None) -> Iterator[FrameDrawing]:
    """The frames of ``days`` in order (``first`` is the first's, already computed), the others
    computed in parallel batches of :data:`ANIMATION_BATCH`."""
    from peacemap.layers.timeline.parallel import measure_days

    def tell(done: int) -> None:
        if progress is not None:
            progress(done, len(days))
        elif done % ANIMATION_LOG_EVERY == 0 or done == len(days):
            logger.info("animation: %d of %d frames built", done, len(days))

    tell(1)
    yield first
    for offset in range(1, len(days), ANIMATION_BATCH):
        batch = days[offset:offset + ANIMATION_BATCH]

        def told(done: int, _total: int, at: int = offset) -> None:
            tell(at + done)

        yield from measure_days(frame_of, batch, workers=workers, days_per_worker=10, progress=told, what="frames")
