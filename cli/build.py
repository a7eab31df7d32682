"""`peacemap build`: the main job, writing every output for a plan and date into a folder."""

from __future__ import annotations

from pathlib import Path

import click

from peacemap.cli.output import render_records
from peacemap.layers.regions import load_regions, region_records, regions_sources_note
from peacemap.layers.writing import atomic_write_text


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder to write the outputs into (created if missing).",
)
def build(out_dir: Path) -> None:
    """Build peacemap's outputs into a folder.

    \b
    Examples:
      peacemap build
      peacemap build --out /tmp/peacemap
    """
    table = load_regions()
    target = out_dir / "regions.csv"
    atomic_write_text(target, render_records(region_records(table), "csv"))
    click.echo(f"wrote {target}", err=True)
    click.echo(regions_sources_note(), err=True)
