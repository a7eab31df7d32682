"""The animation use cases: a plan's animated map over a range of dates, a frame every so many
days (:mod:`peacemap.layers.timeline.schedule`), each on that date's DeepState snapshot, computed
in parallel batches and cached; and the static map of each frame date, as PNG frames or a film."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from peacemap.layers.i18n.catalogue import N_
from peacemap.pipeline.plan import chosen_plan, plan_layers
from peacemap.pipeline.request import DateRequest, snapshot_day, writing_in

if TYPE_CHECKING:
    from peacemap.layers.plans.model import Plan
    from peacemap.layers.report.contract import Headline
    from peacemap.maps.animation import Animation, FrameDrawing
    from peacemap.maps.prepare import MapLayers

logger = logging.getLogger(__name__)

ANIMATION_BATCH = 120  # frames computed together: their outlines (about 1 MB each) are kept until encoded
ANIMATION_LOG_EVERY = 50  # frames between progress log lines when there is no progress bar
# A frame's control split and simplified outlines would add 3 MB a date to the cache, for a map
# written once.
ANIMATION_UNSTORED = ("control", "simplified-coverage")
# The source line of a film's frame without a fact box (a message of the catalogue).
FRAME_SOURCE = N_("DeepState snapshot of %(date)s; people: State Statistics Service of Ukraine, 1 January 2022, spread by peacemap's model")
# Bump when a cached frame changes meaning without a change of code (2: zones carry their
# figures for their popups).
ANIMATION_FRAME_METHOD = 2


def animation(
    plan: str | Path,
    start: DateRequest,
    end: DateRequest,
    *,
    every_days: int = 7,
    options: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> Animation:
    """The frames of ``plan``'s animated map: one every ``every_days`` days from ``start`` to
    ``end`` (dates or 'latest', inclusive; ``end`` is always the last frame, however far from
    the one before it), on DeepState's snapshot of each date.

    A date without a snapshot is a gap (never interpolated). Each frame is the plan's zones and
    line of contact on its date, and the report's km² and 1 January 2022 population of the
    demilitarised zone and of the land given up beyond the line
    (:func:`peacemap.layers.report.figures.plan_headline`, as ``peacemap report`` gives them), read
    from the plan timeline's figures of those days. Frames are computed in batches on ``workers``
    processes (default: up to one per CPU; :func:`peacemap.layers.timeline.parallel.measure_days`);
    ``progress`` is told (frames done, frames in all) as they are, else progress is logged.
    """
    from peacemap.layers.sources.cache import not_storing
    from peacemap.layers.timeline.plan import plan_figures
    from peacemap.layers.timeline.schedule import frame_schedule
    from peacemap.maps.animation import Animation

    schedule = frame_schedule(snapshot_day(start), snapshot_day(end), every_days)
    drawn_days = list(schedule.drawn)
    chosen = chosen_plan(plan, options)
    # The readouts are the plan timeline's figures of those days (its cache, else the grid cells).
    figures = plan_figures(chosen, drawn_days, workers=workers)
    frame_of = _animation_frame_maker(plan, tuple(options), chosen, figures)
    first_layers, first_frame = frame_of.layers_and_frame(drawn_days[0])  # here: it also loads what the workers then inherit
    if first_layers is None:  # the first frame came from the cache: its layers frame the map
        from peacemap.maps.prepare import prepare_map_layers

        first_layers = prepare_map_layers(plan_layers(plan, drawn_days[0], options=tuple(options)))
    with not_storing(*ANIMATION_UNSTORED):
        result = Animation(first=first_layers, every_days=every_days)
        frames = _animation_frames(frame_of, drawn_days, first_frame, progress, workers)
        available = set(drawn_days)
        for day in schedule.days:
            if day in available:
                result.add(next(frames))
            else:
                result.add_gap(day)
    logger.info("animation: %d frame(s) from %s to %s, %d without a snapshot", len(schedule.days), schedule.first, schedule.last, len(schedule.gaps))
    return result


def _animation_frame_maker(plan: str | Path, options: tuple[str, ...], chosen: Plan, figures: dict[dt.date, Any]) -> AnimationFrame:
    """A measure: the frame of ``plan`` on a snapshot date (and its simplified layers when drawn),
    its texts in the language being written."""
    from peacemap.layers.i18n.language import current_language
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import RegionPopulationMemo
    from peacemap.layers.timeline.plan import plan_digest

    # Regions the line does not cross are estimated once, for the zones' popups.
    return AnimationFrame(plan, options, plan_digest(chosen), figures, RegionPopulationMemo(zone_population), current_language())


@dataclass
class AnimationFrame:
    """The frame of ``plan`` (with ``options``, whose digest is ``digest``) on a snapshot date:
    its readout from the plan timeline's ``figures`` of that date, its zones' popups with their
    population estimated with ``population``, its texts written in ``lang``. Called, as a measure
    of :func:`peacemap.layers.timeline.parallel.measure_days`, it gives the frame alone, quietly
    (picklable, for spawned workers, which do not inherit the language being written). Frames are
    cached by the plan's digest, the snapshot's sha256 and the language (with the regions' and the
    population model's keys): a frame's popups and tooltips are words."""

    plan: str | Path
    options: tuple[str, ...]
    digest: str
    figures: dict[dt.date, Any]
    population: Callable
    lang: str = "en"

    def layers_and_frame(self, day: dt.date) -> tuple[MapLayers | None, FrameDrawing]:
        """The frame on ``day``, with its simplified layers when it had to be drawn (None when it
        came from the cache; without the zones' population, as :func:`prepare_map_layers` gives
        them, so that a map framed on them is the same either way)."""
        from peacemap.layers.population.placement import population_key
        from peacemap.layers.regions import regions_key
        from peacemap.layers.report.figures import zones_with_population
        from peacemap.layers.sources import registry
        from peacemap.layers.sources.cache import cached, make_key
        from peacemap.layers.timeline.plan import day_headline
        from peacemap.maps.animation import frame_drawing, frame_from_bytes, frame_to_bytes
        from peacemap.maps.prepare import prepare_map_layers

        drawn: list[MapLayers] = []

        def draw() -> FrameDrawing:
            with writing_in(self.lang):
                layers = plan_layers(self.plan, day, options=self.options)
                drawn.append(prepare_map_layers(layers))
                # The zones' own figures, for their popups: estimated on the full-resolution zones,
                # given to the drawn ones.
                with_people = replace(drawn[0], zones=zones_with_population(drawn[0].zones, lambda _: self.population(layers.zones)))
                return frame_drawing(with_people, cast("Headline", day_headline(self.figures[day])), day)

        key = make_key(
            "animation-frame",
            method=ANIMATION_FRAME_METHOD,
            code=__name__,
            sources=[
                self.digest,
                registry.deepstate_source(day).sha256,
                regions_key(),
                population_key("zone-population", code="peacemap.layers.population.model"),
            ],
            extra=f"lang {self.lang}",
        )
        frame = cached("animation-frame", key, draw, dump=frame_to_bytes, load=frame_from_bytes)
        return (drawn[0] if drawn else None), frame

    def __call__(self, day: dt.date) -> FrameDrawing:
        from peacemap.layers.sources.cache import not_storing
        from peacemap.layers.timeline.parallel import quiet_logs

        with quiet_logs(), not_storing(*ANIMATION_UNSTORED):
            return self.layers_and_frame(day)[1]


def _animation_frames(
    frame_of: Callable[[dt.date], FrameDrawing], days: list[dt.date], first: FrameDrawing, progress: Callable[[int, int], None] | None, workers: int | None
) -> Iterator[FrameDrawing]:
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
        batch = days[offset : offset + ANIMATION_BATCH]

        def told(done: int, _total: int, at: int = offset) -> None:
            tell(at + done)

        yield from measure_days(frame_of, batch, workers=workers, days_per_worker=10, progress=told, what="frames")


@dataclass(frozen=True)
class MapFrames:
    """A plan's static map on each snapshot date of a range, as PNG bytes (in date order)."""

    plan: Plan
    frames: list[tuple[dt.date, bytes]]
    gaps: list[dt.date]  # frame dates without a snapshot: no frame


def map_frames(
    plan: str | Path,
    start: DateRequest,
    end: DateRequest,
    *,
    every_days: int = 7,
    options: Sequence[str] = (),
    figsize_in: tuple[float, float] | None = None,
    dpi: int = 100,
    facts: bool = True,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> MapFrames:
    """The static map of ``plan`` on a frame every ``every_days`` days from ``start`` to ``end``
    (and on ``end``), each on that date's DeepState snapshot, with its date and its fact box (the
    key figures: the plan timeline's, as the report gives them; the snapshot and sources; the
    citation) drawn on it, or without ``facts`` the key figures and the source on the map; all
    frames show the ground of the first. A date without a snapshot has no frame (listed in ``gaps``)."""
    from peacemap.layers.i18n.language import current_language
    from peacemap.layers.sources.cache import not_storing
    from peacemap.layers.timeline.parallel import measure_days
    from peacemap.layers.timeline.plan import day_headline, plan_figures
    from peacemap.layers.timeline.schedule import frame_schedule
    from peacemap.maps.frames import frame_measures
    from peacemap.maps.static import FIGSIZE_IN

    schedule = frame_schedule(snapshot_day(start), snapshot_day(end), every_days)
    drawn_days = list(schedule.drawn)
    chosen = chosen_plan(plan, options)
    figures = plan_figures(chosen, drawn_days, workers=workers)
    # Every frame's fact box has the same rows, so that the map keeps its place from frame to frame.
    measures = frame_measures([day_headline(day_figures) for day_figures in figures.values()]) if facts else None
    frame = MapFrame(plan, tuple(options), figures, figsize_in or FIGSIZE_IN, dpi, measures, lang=current_language())
    with not_storing(*ANIMATION_UNSTORED):
        first_png, extent = frame.png(drawn_days[0])  # the first frame fixes the ground every frame shows
        frame = replace(frame, extent=extent)
        rest = measure_days(
            frame, drawn_days[1:], workers=workers, days_per_worker=2, progress=None if progress is None else _ShiftedProgress(progress), what="frames"
        )
    return MapFrames(chosen, list(zip(drawn_days, [first_png, *rest])), list(schedule.gaps))


@dataclass
class _ShiftedProgress:
    """Progress told one more than counted: the first frame was drawn before the workers started."""

    progress: Callable[[int, int], None]

    def __call__(self, done: int, total: int) -> None:
        self.progress(done + 1, total + 1)


@dataclass(frozen=True)
class MapFrame:
    """The static map of ``plan`` on a snapshot date as PNG bytes, with the date and the plan
    timeline's ``figures`` of that date: in a fact box of the key figures ``measures``
    (:func:`peacemap.maps.frames.frame_facts`), or with ``measures`` None, in a caption with the
    source on the map; on the ground ``extent`` (LAEA metres; None: framed on the plan's land).
    Called, as a measure of :func:`peacemap.layers.timeline.parallel.measure_days`, it gives the
    PNG alone (picklable; its texts in ``lang``, which spawned workers do not inherit)."""

    plan: str | Path
    options: tuple[str, ...]
    figures: dict[dt.date, Any]
    figsize_in: tuple[float, float]
    dpi: int
    measures: tuple[Any, ...] | None = None
    extent: tuple[float, float, float, float] | None = None
    lang: str = "en"

    def png(self, day: dt.date) -> tuple[bytes, tuple[float, float, float, float]]:
        """The frame on ``day`` and the ground it shows."""
        from peacemap.layers.i18n.catalogue import gettext
        from peacemap.layers.i18n.dates import iso_date_text
        from peacemap.layers.timeline.parallel import quiet_logs
        from peacemap.layers.timeline.plan import day_headline
        from peacemap.maps.facts import fact_rows
        from peacemap.maps.frames import frame_facts, frame_png
        from peacemap.maps.prepare import prepare_map_layers

        with quiet_logs(), writing_in(self.lang):
            drawn = prepare_map_layers(plan_layers(self.plan, day, options=self.options))
            headline = day_headline(self.figures[day])
            if self.measures is not None:
                return frame_png(
                    drawn, day=day, facts=frame_facts(drawn, headline, self.measures), extent=self.extent, figsize_in=self.figsize_in, dpi=self.dpi
                )
            source = gettext(FRAME_SOURCE) % {"date": iso_date_text(day.isoformat())}
            figures = [(row.label, row.value) for row in fact_rows(headline)]
            return frame_png(drawn, day=day, facts=None, figures=figures, source=source, extent=self.extent, figsize_in=self.figsize_in, dpi=self.dpi)

    def __call__(self, day: dt.date) -> bytes:
        from peacemap.layers.sources.cache import not_storing

        with not_storing(*ANIMATION_UNSTORED):
            return self.png(day)[0]
