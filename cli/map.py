"""`peacemap map`: draw a plan's zones on a date as an HTML map or a static image."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from peacemap.cli.options import plan_request_options
from peacemap.cli.paths import OutputPath, check_output_file

logger = logging.getLogger(__name__)

FORMATS = ("html", "png", "svg")  # pipeline.MAP_FORMATS, kept here so that --help imports nothing heavy


@click.command(name="map")
@plan_request_options
@click.option("-o", "--output", "output", type=OutputPath(dir_okay=False, path_type=Path), required=True, help="File to write (.html, .png or .svg).")
@click.option("--format", "output_format", type=click.Choice(FORMATS, case_sensitive=False), default=None, help="Output format (default: from the file extension).")
@click.option(
    "--self-contained/--cdn",
    "self_contained",
    default=True,
    show_default=True,
    help="HTML: inline Leaflet so the file works offline and in any page or iframe, or link it from a CDN.",
)
@click.option("--tiles/--no-tiles", "tiles", default=True, show_default=True, help="HTML: offer OpenStreetMap tiles as an optional base layer (off on opening).")
@click.option("--dpi", type=click.IntRange(50, 600), default=200, show_default=True, help="PNG: resolution in dots per inch.")
def map_command(plan_ref: str, date, option_ids: tuple[str, ...], control_file: Path | None, output: Path,  # noqa: ANN001
                output_format: str | None, self_contained: bool, tiles: bool, dpi: int) -> None:
    """Draw a plan's zones on a date: interactive HTML map or static PNG/SVG.

    Popups give each zone's status, the provision's text, its area (km²) and its
    1 January 2022 population with a band.

    \b
    Examples:
      peacemap map --plan plan28 --date 2025-11-20 -o plan28.html
      peacemap map --plan plan28 -o plan28.png
      peacemap map --plan my-plan.toml --date latest -o map.svg --format svg
      peacemap map --plan plan28 -o plan28-cdn.html --cdn --no-tiles
    """
    fmt = (output_format or output.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise click.BadParameter(f"cannot tell the format of {str(output)!r}; expected a .html, .png or .svg file or --format", param_hint="--output")
    check_output_file(output)
    from peacemap import api, pipeline

    layers = api.plan_layers(plan_ref, date, options=option_ids, control=control_file)
    pipeline.write_map(layers, output, fmt, self_contained=self_contained, tiles=tiles, dpi=dpi)
    logger.info("wrote %s (%s, %s, %s)", output, fmt, layers.plan.id, layers.control.label)
