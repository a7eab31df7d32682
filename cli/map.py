"""`peacemap map`: draw a plan's zones on a date as an HTML map or a static image."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from peacemap.cli.options import plan_request_options
from peacemap.cli.paths import OutputPath, check_output_file
from peacemap.maps.figsize import PrintSize, parse_size

logger = logging.getLogger(__name__)

FORMATS = ("html", "png", "svg", "pdf")  # pipeline.MAP_FORMATS, kept here so that --help imports nothing heavy


_SIZE_PREFIX = "'size' "  # library messages name the argument; the command line names the option


class SizeParam(click.ParamType):
    """``WxH`` with a unit, px or in (``1600x1000px``, ``12x8in``)."""

    name = "WxH[px|in]"

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201 - click's signature
        if isinstance(value, PrintSize):
            return value
        try:
            return parse_size(value)
        except ValueError as error:
            self.fail(str(error).removeprefix(_SIZE_PREFIX), param, ctx)


@click.command(name="map")
@plan_request_options
@click.option("-o", "--output", "output", type=OutputPath(dir_okay=False, path_type=Path), required=True,
              help="File to write (.html, .png, .svg or .pdf).")
@click.option("--format", "output_format", type=click.Choice(FORMATS, case_sensitive=False), default=None,
              help="Output format (default: from the file extension).")
@click.option(
    "--self-contained/--cdn",
    "self_contained",
    default=True,
    show_default=True,
    help="HTML: inline Leaflet so the file works offline and in any page or iframe, or link it from a CDN.",
)
@click.option("--tiles/--no-tiles", "tiles", default=True, show_default=True,
              help="HTML: offer OpenStreetMap tiles as an optional base layer (off on opening).")
@click.option("--size", "size", type=SizeParam(), default=None,
              help="PNG/SVG/PDF: figure width x height with a unit, px or in, e.g. 1600x1000px or 12x8in (pixels at --dpi). [default: 12x9.5in]")
@click.option("--dpi", type=click.IntRange(50, 600), default=200, show_default=True,
              help="PNG: resolution in dots per inch; also converts a --size in px to inches.")
def map_command(plan_ref: str, date, option_ids: tuple[str, ...], control_file: Path | None, output: Path,  # noqa: ANN001
                output_format: str | None, self_contained: bool, tiles: bool, size: PrintSize | None, dpi: int) -> None:
    """Draw a plan's zones on a date: interactive HTML map or static PNG/SVG/PDF.

    Popups give each zone's status, the provision's text, its area (km²) and its
    1 January 2022 population with a band. SVG keeps names and legend as text,
    for editing; PDF embeds its fonts, for print.

    \b
    Examples:
      peacemap map --plan plan28 --date 2025-11-20 -o plan28.html
      peacemap map --plan plan28 -o plan28.png --size 1600x1000px --dpi 200
      peacemap map --plan plan28 -o plan28.pdf --size 12x8in
      peacemap map --plan my-plan.toml --date latest -o map.svg --format svg
      peacemap map --plan plan28 -o plan28-cdn.html --cdn --no-tiles
    """
    fmt = (output_format or output.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise click.BadParameter(f"cannot tell the format of {str(output)!r}; expected a .html, .png, .svg or .pdf file or --format",
                                 param_hint="--output")
    size_in = None
    if size is not None:
        try:
            size_in = size.check(dpi)
        except ValueError as error:
            raise click.BadParameter(f"{size}: {str(error).removeprefix(_SIZE_PREFIX)}", param_hint="'--size'") from None
    check_output_file(output)
    from peacemap import api, pipeline

    layers = api.plan_layers(plan_ref, date, options=option_ids, control=control_file)
    pipeline.write_map(layers, output, fmt, self_contained=self_contained, tiles=tiles, dpi=dpi, size_in=size_in)
    logger.info("wrote %s (%s, %s, %s)", output, fmt, layers.plan.id, layers.control.label)
