"""`peacemap map`: draw a plan's zones on a date as an HTML map or a static image."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import click

from peacemap.cli.options import DATE_OR_LATEST

logger = logging.getLogger(__name__)

FORMATS = ("html", "png", "svg")


@click.command(name="map")
@click.option("--plan", "plan_id", default="plan28", show_default=True, help="Built-in plan id (e.g. plan28) or path to a plan TOML file.")
@click.option(
    "--date",
    "date_text",
    default=None,
    metavar="YYYY-MM-DD|latest",
    help="Date of the control snapshot (the latest DeepState snapshot on or before it); 'latest' for the newest. Default: the plan's own date.",
)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write (.html, .png or .svg).")
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
def map_command(plan_id: str, date_text: str | None, output: Path, output_format: str | None, self_contained: bool, tiles: bool, dpi: int) -> None:
    """Draw a plan's zones on a date: interactive HTML map or static PNG/SVG.

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
    from peacemap.layers.plans import load_plan
    from peacemap.layers.zones import plan_layers_for
    from peacemap.maps.prepare import prepare_map_layers

    plan = load_plan(plan_id)
    layers = plan_layers_for(plan, _control_date(date_text, plan.date))
    map_layers = prepare_map_layers(layers)
    if fmt == "html":
        from peacemap.maps.html import build_html_map, save_html

        save_html(build_html_map(map_layers, self_contained=self_contained, tiles=tiles), output)
    else:
        from peacemap.maps.static import save_static, static_map

        save_static(static_map(map_layers), output, fmt=fmt, dpi=dpi)
    logger.info("wrote %s (%s, %s, %s)", output, fmt, plan.id, layers.control.label)


def _control_date(text: str | None, plan_date: dt.date) -> dt.date:
    """The date to take control for: ``text`` (YYYY-MM-DD), the newest snapshot for 'latest',
    or ``plan_date`` when ``text`` is None."""
    if text is None:
        return plan_date
    try:
        value = DATE_OR_LATEST.convert(text, None, None)
    except click.BadParameter as error:
        raise click.BadParameter(error.message, param_hint="--date") from None
    if value is None:  # 'latest'
        from peacemap.layers.registry import deepstate_dates

        return deepstate_dates()[-1]
    return value
