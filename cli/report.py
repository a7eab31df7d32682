"""`peacemap report`: area and 1 January 2022 population per region and status under a plan."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from peacemap.cli.options import lang_option, plan_request_options, population_options, with_claims_option
from peacemap.cli.paths import check_output_file, text_output_option, write_text_output

if TYPE_CHECKING:
    from peacemap.pipeline.request import DateRequest, PopulationRequest

REPORT_FORMATS = ("csv", "json", "md")  # layers.report.render.RENDERERS, kept here so that --help imports nothing heavy


@click.command()
@plan_request_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(REPORT_FORMATS),
    default="md",
    show_default=True,
    help="md: a fact box to read or publish; csv: one row per region and status; json: the full report.",
)
@text_output_option()
@with_claims_option
@population_options
@lang_option
def report(
    plan_ref: str,
    date: DateRequest,
    option_ids: tuple[str, ...],
    control_file: Path | None,
    output_format: str,
    output: Path | None,
    with_claims: bool,
    population: PopulationRequest | None,
) -> None:
    """Area (km²) and 1 January 2022 population of every region and status under a plan.

    Each figure names its source and date: the line of contact comes from DeepState (or
    --control), areas are geodesic, population is the official estimate of 1 January 2022
    spread by peacemap's hromada model, with a low-high band. The report quotes the plan's
    readings and lists the places on the line of contact; --date latest also gives the age of
    the newest snapshot. Beside each figure: the latest official statement of people remaining
    in its land, where there is one (never part of a total).

    \b
    Examples:
      peacemap report
      peacemap report --plan plan28 --date 2025-11-20 --format json -o report.json
      peacemap report --plan russia-max --format csv -o - | head
    """
    check_output_file(output)
    from peacemap import api

    result = api.report(plan_ref, date, options=option_ids, control=control_file, with_claims=with_claims, population=population)
    text = getattr(result, {"md": "to_markdown", "csv": "to_csv", "json": "to_json"}[output_format])()
    write_text_output(output, text)
