"""The `peacemap` command group: logging, version, and one-line errors for every command.

Importing this module is light (the commands are imported when first looked up), so that the
console entry point :func:`main` handles signals and text encoding before the heavy imports.
"""

from __future__ import annotations

import codecs
import dataclasses
import logging
import sys
from typing import Any

import click

from peacemap import __version__
from peacemap.cli.stdout import guard_stdout
from peacemap.layers import interrupts, settings
from peacemap.layers.errors import PeacemapError
from peacemap.layers.settings import NO_CACHE_ENV

logger = logging.getLogger("peacemap")


class PeacemapGroup(click.Group):
    """A click group that turns library errors into one line on stderr and exit code 1, and an
    interrupt (SIGINT or SIGTERM) into one line and exit code 128 + the signal number."""

    def invoke(self, ctx: click.Context) -> Any:  # click's signature: what the command returns
        try:
            result = super().invoke(ctx)
            if sys.stdout is not None:
                sys.stdout.flush()  # a failure to write what is left is one line too (GuardedStdout)
            return result
        except PeacemapError as error:
            if ctx.obj and ctx.obj.get("verbosity", 0) > 1:  # --verbose: show the traceback
                logger.exception("traceback")
            if not getattr(error, "reader_gone", False):
                click.echo(f"Error: {error}", err=True)
            ctx.exit(1)
        except (interrupts.Interrupted, KeyboardInterrupt) as interrupt:
            _report_interrupt(interrupt)
            ctx.exit(interrupts.exit_code(interrupt))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        _register_commands()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _register_commands()
        return super().list_commands(ctx)


def _report_interrupt(interrupt: interrupts.Interrupted | KeyboardInterrupt) -> None:
    # Outputs are written to temporary files and renamed at the end, so none is partial.
    if getattr(interrupt, "outputs_kept", False):
        click.echo("Interrupted after the outputs were written; they are complete.", err=True)
    else:
        click.echo("Interrupted: no output was written.", err=True)


def _configure_logging(verbosity: int) -> None:
    """Info messages by default, debug with -v, errors only with -q (no warning beside an error)."""
    level = logging.ERROR if verbosity <= 0 else max(logging.DEBUG, logging.WARNING - 10 * verbosity)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("peacemap")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


@click.group(cls=PeacemapGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="peacemap")
@click.option("-v", "--verbose", "verbose", count=True, help="More messages on stderr (repeat for debug).")
@click.option("-q", "--quiet", "quiet", count=True, help="Fewer messages on stderr: errors only.")
@click.option("--no-cache", "no_cache", is_flag=True, help=f"Compute everything afresh; read and write no cache entry (as {NO_CACHE_ENV}=1).")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: int, no_cache: bool) -> None:
    """Map and measure the territorial provisions of peace proposals for the Russia-Ukraine war.

    \b
    Examples:
      peacemap build                       # map, report and layers for the 28-point plan
      peacemap report --plan plan28 --format md      # area and 1 January 2022 population, as a fact box
      peacemap compare plan28 russia-max freeze --date 2025-11-20
      peacemap regions --format csv        # land areas of Ukraine's regions
      peacemap data status                 # where each data source was found
      peacemap map --plan plan28 -o map.html  # interactive map of a plan (or .png/.svg)
      peacemap timeline -o timeline.csv    # occupied km² per region on every snapshot
      peacemap control compare my-map.zip --date 2025-11-20   # another control map against DeepState
      peacemap places --plan plan28 --status dmz     # hromadas, cities and towns in a zone
      peacemap statements --area donetsk-held        # officials' figures of people remaining
    """
    verbosity = 1 + verbose - quiet  # default: info messages (progress) on stderr
    ctx.ensure_object(dict)["verbosity"] = verbosity
    _configure_logging(verbosity)
    # Read once, here: a value peacemap cannot use (PEACEMAP_START_METHOD) is refused before any work.
    # Worker processes get these settings from their parent (layers.timeline.parallel).
    chosen = settings.from_environment()
    settings.install(chosen if not no_cache else dataclasses.replace(chosen, use_cache=False))


def main() -> None:
    """The console entry point: signal handlers and safe text streams first, then the commands.

    SIGTERM is handled like Ctrl-C (SIGINT), from the first moment: outputs are cleaned up,
    one line is printed and the exit code is 130 (SIGINT) or 143 (SIGTERM), never a traceback.
    """
    interrupts.install()
    _safe_text_streams()
    guard_stdout()
    try:
        cli(prog_name="peacemap")
    except interrupts.Interrupted as interrupt:  # outside a command: start-up, parsing, click's messages
        _report_interrupt(interrupt)
        sys.exit(interrupts.exit_code(interrupt))
    except PeacemapError as error:  # outside a command: --help or --version to a closed or full stdout
        if not getattr(error, "reader_gone", False):
            click.echo(f"Error: {error}", err=True)
        sys.exit(1)


def _safe_text_streams() -> None:
    """Print what the terminal's encoding cannot show as escapes (\\u0101) instead of failing.

    Under a non-UTF-8 locale (ISO-8859-1, PYTHONIOENCODING=latin-1) plan titles and names of
    places would otherwise stop a command with UnicodeEncodeError. An ASCII stream is made UTF-8,
    as click would write to it, since click cannot see through :class:`GuardedStdout`.
    """
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            ascii_only = codecs.lookup(stream.encoding or "ascii").name == "ascii"
            stream.reconfigure(errors="backslashreplace", **({"encoding": "utf-8"} if ascii_only else {}))


_registered = False


def _register_commands() -> None:
    global _registered
    if _registered:
        return
    from peacemap.cli import build, compare, data, layers, places, plans, regions, report, statements, sweep, timeline
    from peacemap.cli.cache import cache_group
    from peacemap.cli.control import control_group
    from peacemap.cli.map import map_command

    cli.add_command(data.data)
    cli.add_command(regions.regions)
    cli.add_command(layers.layers)
    cli.add_command(plans.plans)
    cli.add_command(report.report)
    cli.add_command(compare.compare)
    cli.add_command(build.build)
    cli.add_command(map_command)
    cli.add_command(timeline.timeline)
    cli.add_command(sweep.sweep)
    cli.add_command(cache_group)
    cli.add_command(control_group)
    cli.add_command(places.places)
    cli.add_command(statements.statements)
    _registered = True
