"""`peacemap data`: where the data sources were found, whether they are verified, and the DeepState
snapshots published after the release (`data update`)."""

from __future__ import annotations

import click


@click.group()
def data() -> None:
    """Inspect the data sources peacemap reads (their pinned URLs and sha256 are in the registry).

    \b
    Examples:
      peacemap data status
      PEACEMAP_DATA_DIR=~/peacemap-data peacemap data status --all
      peacemap data update --check
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
    from peacemap.pipeline import listings

    states = listings.data_sources(every=all_sources)
    for source in states:
        click.echo(f"{source.id:32} {source.state:17} {source.where}")
    click.echo(f"search order: {', '.join(f'{label} ({path})' for label, path in listings.search_order())}", err=True)
    if any(source.failed for source in states):
        raise click.exceptions.Exit(1)


@data.command()
@click.option("--check", is_flag=True, help="Only count the new daily snapshots upstream (HEAD requests; downloads nothing).")
def update(check: bool) -> None:
    """Take in the DeepState snapshots published upstream after the newest known one.

    Downloads each new daily file of cyterat/deepstate-map-data (a day without one is looked for
    in its unified archive) into the user cache, checks it like a control file (GeoJSON, polygons
    over Ukraine, finite coordinates, size caps) and records its sha256 and fetch time in a lock
    file there. `--date` and `latest` then include these snapshots, and every output marks them
    "not pinned by this release, recorded on DATE, sha256 …". Exits 1 if upstream cannot be
    reached or a file was refused (one line each on stderr); the snapshots already known still
    work. PEACEMAP_UPSTREAM_URL replaces the upstream base URL (a mirror).

    \b
    Examples:
      peacemap data update --check
      peacemap data update
    """
    from peacemap.cli.progress import progress_bar
    from peacemap.pipeline import listings

    if check:
        try:
            with progress_bar("looking for new DeepState snapshots") as progress:
                availability = listings.check_new_snapshots(progress=progress)
        except listings.UpstreamError as error:
            click.echo(f"Error: {listings.describe_update_failure(str(error))}", err=True)
            raise click.exceptions.Exit(1) from None
        click.echo(availability.summary())
        return
    with progress_bar("taking in new DeepState snapshots") as progress:
        result = listings.update_snapshots(progress=progress)
    for snapshot in result.taken_in:
        click.echo(f"{snapshot.date}  {snapshot.origin:15}  {snapshot.bytes:>10,} bytes  sha256 {snapshot.sha256}")
    for line in result.refused:
        click.echo(f"refused: {line}", err=True)
    if result.stopped is None or result.taken_in:  # offline: the error line alone
        click.echo(result.summary(), err=True)
    if result.stopped is not None:
        click.echo(f"Error: {listings.describe_update_failure(result.stopped)}", err=True)
    if not result.complete:
        raise click.exceptions.Exit(1)
