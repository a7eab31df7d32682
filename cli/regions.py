"""`peacemap regions`: land area of each region against its official area."""

from __future__ import annotations

import click

from peacemap.cli.options import format_option


@click.command()
@format_option
def regions(output_format: str) -> None:
    """Land area (geodesic km², land and inland waters) of every region, and its official area.

    The deviation is (area / official area - 1) in percent. Official areas come from the
    State Statistics Service of Ukraine; units without a recorded official figure show '-'.

    \b
    Examples:
      peacemap regions
      peacemap regions --format json > regions.json
    """
    from peacemap.pipeline.listings import regions_text

    text, sources_note = regions_text(output_format)
    click.echo(text, nl=False)
    click.echo(sources_note, err=True)
