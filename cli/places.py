"""`peacemap places`: the hromadas, cities and towns in each zone of a plan."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from peacemap.cli.options import lang_option, plan_request_options, population_options, with_claims_option
from peacemap.cli.paths import check_output_file, text_output_option, write_text_output
from peacemap.layers.plans.statuses import Status

if TYPE_CHECKING:
    from peacemap.pipeline.request import DateRequest, PopulationRequest

FORMATS = ("md", "csv", "json")


def _region_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:  # click's signature
    """An ISO 3166-2 code of a region peacemap knows (upper-cased), or a usage error."""
    if value is None:
        return None
    from peacemap.layers.sources.codes import REGION_NAMES

    code = value.strip().upper()
    if code not in REGION_NAMES:
        raise click.BadParameter(f"{value!r} is not a region code; expected one of {', '.join(sorted(REGION_NAMES))}")
    return code


@click.command()
@plan_request_options
@click.option("--status", type=click.Choice([status.value for status in Status]), default=None, help="Only the land the plan gives this status.")
@click.option(
    "--region", default=None, callback=_region_code, metavar="CODE", help="Only this region (ISO 3166-2, e.g. UA-14; UA-43+UA-40 for Crimea with Sevastopol)."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="md: tables to read; csv: one row per hromada and per town; json: the full list (docs/reference/outputs.md).",
)
@text_output_option("Write to this file instead of standard output; '-': standard output.")
@with_claims_option
@population_options
@lang_option
def places(
    plan_ref: str,
    date: DateRequest,
    option_ids: tuple[str, ...],
    control_file: Path | None,
    status: str | None,
    region: str | None,
    output_format: str,
    output: Path | None,
    with_claims: bool,
    population: PopulationRequest | None,
) -> None:
    """Who lived in each zone of a plan: every hromada with land in it (km² there, share of its
    land, and its 1 January 2022 people there) and every city and town of the official 2022
    table in it, per status and region.

    Hromada figures come from peacemap's population model (docs/method/population.md) and add up to
    the report's; towns carry the official figure of table 5. Each hromada and city with an
    official statement of people remaining carries its latest (of the whole hromada or city).

    \b
    Examples:
      peacemap places --plan plan28 --date 2025-11-20 --status dmz
      peacemap places --plan plan28 --date 2025-11-20 --region UA-23 --format csv -o zaporizhzhia.csv
      peacemap places --plan plan28 --status dmz --format json -o dmz.json
    """
    check_output_file(output)
    from peacemap import pipeline

    result = pipeline.places(
        plan_ref, date, options=option_ids, control=control_file, status=status, region=region, with_claims=with_claims, population=population
    )
    write_text_output(output, pipeline.places_text(result, output_format))
