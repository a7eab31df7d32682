"""`peacemap compare`: several plans side by side on one line of contact."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from peacemap.cli.options import date_option, lang_option, population_options, with_claims_option
from peacemap.cli.paths import check_output_file, is_stdout, text_output_option, write_text_output

if TYPE_CHECKING:
    from peacemap.pipeline.request import DateRequest, PopulationRequest

logger = logging.getLogger(__name__)

FORMATS = ("md", "csv", "json", "html")


@click.command()
@click.argument("plan_refs", nargs=-1, required=True, metavar="ID|FILE...")
@date_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help="md, csv or json table, or html: a map with one layer per plan. Default: from the -o extension, else md.",
)
@text_output_option("Write to this file instead of standard output (required for html); '-': standard output (md, csv, json).")
@with_claims_option
@population_options
@lang_option
def compare(
    plan_refs: tuple[str, ...], date: DateRequest, output_format: str | None, output: Path | None, with_claims: bool, population: PopulationRequest | None
) -> None:
    """Compare plans on one date: land (km²) and 1 January 2022 population each plan puts on the
    Russian side (and how it recognises it), leaves under Russian forces, has Ukraine give up
    beyond the line of contact, returns and freezes, per plan and per region, with each plan's
    readings. A plan with options is written ID+OPTION (plan28+21c-none).

    \b
    Examples:
      peacemap compare plan28 plan28+21c-none plan20 eu-counter russia-max freeze --date 2025-11-20
      peacemap compare plan28 russia-max --date 2025-11-20 --format json -o compare.json
      peacemap compare plan28 plan20 --date latest -o compare.html
    """
    output_format = output_format or (output.suffix.lstrip(".").lower() if output and output.suffix.lstrip(".").lower() in FORMATS else "md")
    if output_format == "html" and is_stdout(output):
        raise click.BadParameter("an html comparison is a map: give a file with -o FILE.html", param_hint="'--format'")
    check_output_file(output)
    from peacemap import pipeline

    if output_format == "html" and output is not None:
        pipeline.write_comparison_map(plan_refs, date, output)
        logger.info("wrote %s", output)
        return
    write_text_output(output, pipeline.comparison_text(pipeline.comparison(plan_refs, date, with_claims=with_claims, population=population), output_format))
