"""`peacemap layers`: write a plan's zones, line of contact and region outlines to a file."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from peacemap.cli.options import plan_request_options, population_options
from peacemap.cli.paths import OutputPath, check_output_file

FORMATS = (".gpkg", ".geojson")  # layers.report.export.FORMATS, kept here so that --help imports nothing heavy

logger = logging.getLogger(__name__)


@click.command()
@plan_request_options
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=OutputPath(dir_okay=False, path_type=Path),
    help="Output file: .gpkg (layers zones, contact_line, regions) or .geojson (RFC 7946, one collection with a 'layer' property).",
)
@population_options
def layers(plan_ref: str, date, option_ids: tuple[str, ...], control_file: Path | None, output: Path,  # noqa: ANN001 - click converts date
           population) -> None:  # noqa: ANN001 - a PopulationRequest or None
    """Write the zones a plan makes of each region, the line of contact and region outlines.

    Zones carry region (ISO 3166-2), region_name, control (occupied/held), status, provision
    and area_km2 (geodesic); all layers are in EPSG:4326 with the plan, control source and
    date in the file's metadata.

    \b
    Examples:
      peacemap layers -o plan28.gpkg
      peacemap layers --plan plan28 --date 2025-11-20 -o zones.geojson
      peacemap layers --plan my-plan.toml --date latest -o mine.gpkg
      peacemap layers --plan plan20 --option donetsk-zone -o plan20-zone.gpkg
    """
    if output.suffix.lower() not in FORMATS:
        raise click.BadParameter(f"{output.name!r} has extension {output.suffix!r}; expected .gpkg or .geojson", param_hint="'-o'")
    check_output_file(output)
    from peacemap import api, pipeline

    own = pipeline.own_population(population) if population is not None else None
    plan_layers = api.plan_layers(plan_ref, date, options=option_ids, control=control_file)
    pipeline.write_layers(plan_layers, output, population=own)
    logger.info(f"wrote {output} ({plan_layers.plan.id}, {plan_layers.control.label})")
