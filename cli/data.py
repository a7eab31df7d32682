"""`peacemap data`: where the data sources were found, and whether they are verified."""

from __future__ import annotations

import click

from peacemap.layers.errors import DataSourceError
from peacemap.layers.sources import registry


@click.group()
def data() -> None:
    """Inspect the data sources peacemap reads (their pinned URLs and sha256 are in the registry).

    \b
    Examples:
      peacemap data status
      PEACEMAP_DATA_DIR=~/peacemap-data peacemap data status --all
    """


@data.command()
@click.option("--all", "all_sources", is_flag=True, help="Check every source, every DeepState snapshot included.")
def status(all_sources: bool) -> None:
    """Show each source the default build needs: where it was found and whether its sha256 matches.

    \b
    Examples:
      peacemap data status
      peacemap data status --all
    """
    from peacemap import pipeline

    chosen = list(registry.sources().values()) if all_sources else pipeline.build_sources()
    failures = 0
    for source in chosen:
        try:
            located = registry.locate(source)
            state = "verified" if located.verified else "not found"
            where = f"{located.origin}: {located.path}" if located.path else f"download from {source.url}"
        except registry.UnreadableSourceError as error:
            state, where = "UNREADABLE", str(error)
            failures += 1
        except DataSourceError as error:
            state, where = "CHECKSUM MISMATCH", str(error)
            failures += 1
        click.echo(f"{source.id:32} {state:17} {where}")
    click.echo(f"search order: {', '.join(f'{label} ({path})' for label, path in registry.search_dirs())}", err=True)
    if failures:
        raise click.exceptions.Exit(1)
