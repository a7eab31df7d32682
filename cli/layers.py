"""`peacemap layers`: write a plan's zones, line of contact, region outlines and hromada territories to a file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from peacemap.cli.options import plan_request_options, population_options
from peacemap.cli.paths import OutputPath, check_output_file

if TYPE_CHECKING:
    from peacemap.pipeline.request import DateRequest, PopulationRequest

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
    help="Output file: .gpkg (layers zones, contact_line, regions, hromadas, styled for QGIS) or .geojson (RFC 7946, one collection with a 'layer' property).",
)
@population_options
def layers(
    plan_ref: str, date: DateRequest, option_ids: tuple[str, ...], control_file: Path | None, output: Path, population: PopulationRequest | None
) -> None:
    """Write the zones a plan makes of each region, the line of contact, region outlines and
    hromada territories.

    \b
    Layers (every one keyed by region, the ISO 3166-2 code, with region_name):
      zones         region, control (occupied/held), status, provision, area_km2 (geodesic),
                    population_2022 with its band _low and _high (people on 1 January 2022;
                    empty for AR Crimea and Sevastopol, which have no official figure)
      contact_line  region, rule (what the plan does with the line there), length_km
      regions       region, area_km2 (land), official_area_km2 and its source, deviation_pct
      hromadas      region, raion, hromada, hromada_en, population_2022, area_km2

    All layers are in EPSG:4326, with the plan, control source and date in the file's metadata;
    a GeoPackage opens in QGIS with the maps' colours and hatching.

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
    from peacemap import pipeline

    request = pipeline.Request.of(plan_ref, date, options=option_ids, control=control_file, population=population)
    own = pipeline.request_population(request)
    plan_layers = pipeline.request_layers(request)
    pipeline.write_layers(plan_layers, output, population=own)
    logger.info(f"wrote {output} ({plan_layers.plan.id}, {plan_layers.control.label})")
