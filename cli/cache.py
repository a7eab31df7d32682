"""`peacemap cache`: where the cache of computed results is, what it holds, and clearing it."""

from __future__ import annotations

import click


@click.group(name="cache")
def cache_group() -> None:
    """The cache of computed results (region land, control zones, the population model, the
    timeline), kept under the user cache folder so that a second run is fast. Entries are keyed
    by the sources' sha256 and the code that computes them, so they are never read stale.
    `peacemap --no-cache COMMAND` (or PEACEMAP_NO_CACHE=1) computes everything afresh.

    \b
    Examples:
      peacemap cache info
      peacemap cache clear
    """


@cache_group.command()
def info() -> None:
    """List the cache's entries: kind, size and when each was written; the folder on stderr.

    \b
    Examples:
      peacemap cache info
    """
    from peacemap.pipeline import listings

    found = listings.cache_entries()
    for entry in found:
        click.echo(f"{entry.kind:12} {entry.bytes / 1e6:9.2f} MB  {entry.written:%Y-%m-%d %H:%M} UTC  {entry.path.name}")
    total_mb = sum(entry.bytes for entry in found) / 1e6
    click.echo(f"{len(found)} entries, {total_mb:.1f} MB in {listings.cache_folder()}", err=True)


@cache_group.command()
def clear() -> None:
    """Remove every cache entry (downloaded data sources stay; see `peacemap data status`).

    \b
    Examples:
      peacemap cache clear
    """
    from peacemap.pipeline import listings

    removed = listings.cache_clear()
    click.echo(f"removed {removed} cache entries from {listings.cache_folder()}", err=True)
