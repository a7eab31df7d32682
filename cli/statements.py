"""`peacemap statements`: the official statements of how many people remain in an area."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from peacemap.cli.paths import check_output_file, text_output_option, write_text_output

FORMATS = ("md", "csv", "json")  # layers.report.statements.FORMATS, kept here so that --help imports nothing heavy

logger = logging.getLogger(__name__)


@click.command()
@click.option("--area", default=None, metavar="ID", help="Only this area, e.g. donetsk-held (the ids are listed without --area).")
@click.option("--with-claims", "with_claims", is_flag=True, help="Also list the occupying power's claims, labelled as such.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="md: a table per area to read; csv: one row per statement; json: the full records.",
)
@text_output_option()
def statements(area: str | None, with_claims: bool, output_format: str, output: Path | None) -> None:
    """Official statements of how many people remain in an area: who said it, when, the figure,
    its kind and the page it was read on, with what was checked.

    They come from peacemap's curated table (docs/method/statements.md). Each stands beside the
    official estimate of 1 January 2022 and is never part of a total.

    \b
    Examples:
      peacemap statements --area donetsk-held --format csv
      peacemap statements --format json -o statements.json
      peacemap statements --with-claims
    """
    check_output_file(output)
    from peacemap.pipeline.listings import statements_text

    text = statements_text(area, with_claims=with_claims, output_format=output_format)
    write_text_output(output, text)
