"""`peacemap map`: draw a plan's zones on a date as an HTML map or a static image."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from peacemap.cli.options import DATE_OR_LATEST, lang_option, plan_request_options
from peacemap.cli.paths import OutputPath, check_output_file
from peacemap.maps.figsize import PrintSize, parse_size

if TYPE_CHECKING:
    from peacemap.pipeline.request import DateRequest

logger = logging.getLogger(__name__)

FORMATS = ("html", "png", "svg", "pdf")  # pipeline.MAP_FORMATS, kept here so that --help imports nothing heavy
FILM_FORMATS = ("mp4", "gif")  # maps.frames.FILM_FORMATS: with --from/--to, a film
FRAME_DPI = 100  # frames and films, unless --dpi is given


_SIZE_PREFIX = "'size' "  # library messages name the argument; the command line names the option


class SizeParam(click.ParamType):
    """``WxH`` with a unit, px or in (``1600x1000px``, ``12x8in``)."""

    name = "WxH[px|in]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> PrintSize:  # click's signature
        if isinstance(value, PrintSize):
            return value
        try:
            return parse_size(value)
        except ValueError as error:
            self.fail(str(error).removeprefix(_SIZE_PREFIX), param, ctx)


class StepParam(click.ParamType):
    """A step in whole days: ``7d``, ``1d``, ``30d`` (returned as the number of days)."""

    name = "Nd"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:  # click's signature
        if isinstance(value, int):
            return value
        text = str(value).strip().lower()
        days = text.removesuffix("d")
        if not days.isdigit() or int(days) < 1:
            self.fail(f"{value!r} is not a step in days; expected a whole number of days such as 7d, 1d or 30d", param, ctx)
        return int(days)


@click.command(name="map")
@plan_request_options
@click.option(
    "-o",
    "--output",
    "output",
    type=OutputPath(path_type=Path),
    required=True,
    help="File to write (.html, .png, .svg or .pdf); with --from/--to: .html (animated map), .mp4 or .gif (a film), or a folder (PNG frames).",
)
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS, case_sensitive=False), default=None, help="Output format (default: from the file extension)."
)
@click.option(
    "--self-contained/--cdn",
    "self_contained",
    default=True,
    show_default=True,
    help="HTML: inline Leaflet so the file works offline and in any page or iframe, or link it from a CDN.",
)
@click.option(
    "--tiles/--no-tiles", "tiles", default=True, show_default=True, help="HTML: offer OpenStreetMap tiles as an optional base layer (off on opening)."
)
@click.option(
    "--facts/--no-facts",
    "facts",
    default=True,
    show_default=True,
    help="A fact box on the map: the plan's key figures (km², people on 1 January 2022 with the band), "
    "the snapshot and sources, the readings they rest on and a sentence to cite them by.",
)
@click.option(
    "--size",
    "size",
    type=SizeParam(),
    default=None,
    help="PNG/SVG/PDF: figure width x height with a unit, px or in, e.g. 1600x1000px or 12x8in (pixels at --dpi). [default: 12x9.5in]",
)
@click.option(
    "--dpi",
    type=click.IntRange(50, 600),
    default=200,
    show_default=True,
    help="PNG: resolution in dots per inch; also converts a --size in px to inches (frames and films: 100 unless given).",
)
@click.option(
    "--from",
    "start",
    type=DATE_OR_LATEST,
    default=None,
    metavar="YYYY-MM-DD|latest",
    help="Animated map, film or frames: first date (with --to; a DeepState snapshot date range, see `peacemap data status`).",
)
@click.option("--to", "end", type=DATE_OR_LATEST, default=None, metavar="YYYY-MM-DD|latest", help="Animated map, film or frames: last date (with --from).")
@click.option(
    "--every",
    "every_days",
    type=StepParam(),
    default=None,
    metavar="Nd",
    help="Animated map, film or frames: days between frames, e.g. 1d, 7d or 30d. [default: 7d]",
)
@lang_option
def map_command(
    plan_ref: str,
    date: DateRequest,
    option_ids: tuple[str, ...],
    control_file: Path | None,
    output: Path,
    output_format: str | None,
    self_contained: bool,
    tiles: bool,
    facts: bool,
    size: PrintSize | None,
    dpi: int,
    start: DateRequest,
    end: DateRequest,
    every_days: int | None,
) -> None:
    """Draw a plan's zones on a date: interactive HTML map or static PNG/SVG/PDF.

    Popups give each zone's status, the provision's text, its area (km²), its
    1 January 2022 population with a band and the plan's readings. A fact box
    gives the plan's key figures as `peacemap report` does, the snapshot and
    sources, the readings they rest on and a sentence to cite them by
    (--no-facts leaves it out). SVG keeps names, legend and fact box as text,
    for editing; PDF embeds its fonts, for print.

    With --from and --to, an animated HTML map: a frame every --every days from
    --from, and one on --to, each on that date's DeepState snapshot, with a date slider, play/pause (space) and
    arrow-key steps, and the fact box of each frame (with --no-facts, a readout of the
    demilitarised zone and of the land given up beyond the line), as `peacemap report`
    gives them (km², 1 January 2022 population).
    Dates without a snapshot are marked as gaps, never interpolated.

    With --from and --to and -o FILM.mp4, FILM.gif or a FOLDER: the static map of
    each frame's date, with the date written on it and its fact box below (with
    --no-facts, the key figures and the source on the map), as a film (H.264 MP4 or GIF; needs `pip install 'peacemap[video]'`) or as PNG
    files in FOLDER. Dates without a snapshot have no frame.

    \b
    Examples:
      peacemap map --plan plan28 --date 2025-11-20 -o plan28.html
      peacemap map --plan plan28 -o plan28.png --size 1600x1000px --dpi 200
      peacemap map --plan plan28 -o plan28.pdf --size 12x8in
      peacemap map --plan my-plan.toml --date latest -o map.svg --format svg
      peacemap map --plan plan28 -o plan28-cdn.html --cdn --no-tiles
      peacemap map --plan plan28 --from 2024-07-08 --to 2026-08-22 --every 7d -o plan28-weekly.html
      peacemap map --plan plan28 --from 2025-10-01 --to 2025-11-20 --every 7d -o plan28.mp4
      peacemap map --plan plan28 --from 2025-10-01 --to 2025-11-20 --every 7d -o frames/
    """
    fmt = (output_format or output.suffix.lstrip(".")).lower()
    animated = start is not None or end is not None or every_days is not None
    if animated and (fmt in FILM_FORMATS or (fmt == "" and output_format is None)):
        _check_animation_request("html", start, end, date, control_file, None)
        # A film's frames at 100 dpi unless asked (1200 x 950 px): 200 dpi would make a film of 2400 px.
        chosen_dpi = FRAME_DPI if click.get_current_context().get_parameter_source("dpi") == ParameterSource.DEFAULT else dpi
        _write_frames(plan_ref, start, end, every_days or 7, option_ids, output, size=size, dpi=chosen_dpi, facts=facts)
        return
    if fmt not in FORMATS:
        raise click.BadParameter(f"cannot tell the format of {str(output)!r}; expected a .html, .png, .svg or .pdf file or --format", param_hint="--output")
    if animated:
        _check_animation_request(fmt, start, end, date, control_file, size)
        _write_animation(plan_ref, start, end, every_days or 7, option_ids, output, self_contained=self_contained, tiles=tiles, facts=facts)
        return
    size_in = None
    if size is not None:
        try:
            size_in = size.check(dpi)
        except ValueError as error:
            raise click.BadParameter(f"{size}: {str(error).removeprefix(_SIZE_PREFIX)}", param_hint="'--size'") from None
    check_output_file(output)
    from peacemap import pipeline

    layers = pipeline.request_layers(pipeline.Request.of(plan_ref, date, options=option_ids, control=control_file))
    pipeline.write_map(layers, output, fmt, self_contained=self_contained, tiles=tiles, dpi=dpi, size_in=size_in, facts=facts)
    logger.info("wrote %s (%s, %s, %s)", output, fmt, layers.plan.id, layers.control.label)


def _check_animation_request(fmt: str, start: DateRequest, end: DateRequest, date: DateRequest, control_file: Path | None, size: PrintSize | None) -> None:
    """Usage errors of an animated map: it needs --from and --to, is HTML only, on DeepState."""
    if start is None or end is None:
        raise click.UsageError("an animated map needs both --from and --to (and --every, default 7d)")
    if fmt != "html":
        raise click.UsageError(f"with --from/--to, --output is FILE.html (animated map), FILM.mp4, FILM.gif or a FOLDER of PNG frames; got format {fmt!r}")
    for name, value in (("--date", date), ("--control", control_file), ("--size", size)):
        if value is not None:
            raise click.UsageError(f"{name} does not go with --from/--to: an animated map shows DeepState's snapshot of each date")


def _write_animation(
    plan_ref: str,
    start: DateRequest,
    end: DateRequest,
    every_days: int,
    option_ids: tuple[str, ...],
    output: Path,
    *,
    self_contained: bool,
    tiles: bool,
    facts: bool,
) -> None:
    check_output_file(output)
    from peacemap import pipeline
    from peacemap.cli.progress import progress_bar

    with progress_bar("building frames") as progress:
        result = pipeline.animation(plan_ref, start, end, every_days=every_days, options=option_ids, progress=progress)
    pipeline.write_animation(result, output, self_contained=self_contained, tiles=tiles, facts=facts)
    logger.info("wrote %s (%d frames, %d without a snapshot)", output, len(result.frames), len(result.gaps))


def _write_frames(
    plan_ref: str,
    start: DateRequest,
    end: DateRequest,
    every_days: int,
    option_ids: tuple[str, ...],
    output: Path,
    *,
    size: PrintSize | None,
    dpi: int,
    facts: bool,
) -> None:
    """PNG frames in the folder ``output``, or a film (``output`` .mp4 or .gif), each with its fact box
    unless ``facts`` is False."""
    if output.suffix:
        check_output_file(output)
    elif output.exists() and not output.is_dir():
        raise click.BadParameter(f"{str(output)!r} is a file; frames go into a folder", param_hint="--output")
    size_in = None
    if size is not None:
        try:
            size_in = size.check(dpi)
        except ValueError as error:
            raise click.BadParameter(f"{size}: {str(error).removeprefix(_SIZE_PREFIX)}", param_hint="'--size'") from None
    from peacemap import pipeline
    from peacemap.cli.progress import progress_bar

    with progress_bar("drawing frames") as progress:
        result = pipeline.map_frames(
            plan_ref, start, end, every_days=every_days, options=option_ids, figsize_in=size_in, dpi=dpi, facts=facts, progress=progress
        )
    written = pipeline.write_map_frames(result, output)
    logger.info(
        "wrote %s (%d frames, %d dates without a snapshot)",
        output if output.suffix else f"{len(written)} PNG files in {output}",
        len(result.frames),
        len(result.gaps),
    )
