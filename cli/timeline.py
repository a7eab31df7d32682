"""`peacemap timeline`: occupied km² per region on every DeepState snapshot, as CSV, JSON, HTML or PNG."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from peacemap.cli.options import DATE_OR_LATEST, lang_option, option_option, plan_option, with_claims_option
from peacemap.cli.paths import OutputPath, check_output_file, is_stdout, write_text_output
from peacemap.layers import settings
from peacemap.layers.sources.codes import REGION_NAMES

if TYPE_CHECKING:
    from peacemap.pipeline.request import DateRequest

logger = logging.getLogger(__name__)

FORMATS = (".csv", ".json", ".html", ".png")
ZONE_FORMATS = (".gpkg", ".parquet")  # with --plan: the zones of every day
STDOUT_FORMATS = ("csv", "json")  # what -o - writes: text


@click.command()
@click.option(
    "--from",
    "start",
    type=DATE_OR_LATEST,
    default=None,
    metavar="YYYY-MM-DD|latest",
    help="First day (default: the first DeepState snapshot; 'latest': the newest).",
)
@click.option("--to", "end", type=DATE_OR_LATEST, default=None, metavar="YYYY-MM-DD|latest", help="Last day (default: the latest snapshot).")
@click.option(
    "--region",
    "regions",
    multiple=True,
    type=click.Choice(sorted(REGION_NAMES), case_sensitive=False),
    metavar="CODE",
    help="ISO 3166-2 code of a region to include, e.g. UA-14 (repeat for more; default: all, with UA-43+UA-40 for Crimea with Sevastopol).",
)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=OutputPath(dir_okay=False, allow_dash=True, path_type=Path),
    help="File to write; its suffix picks the format: .csv, .json, .html (interactive chart, "
    "self-contained) or .png; with --plan also .gpkg or .parquet: the plan's zones on every "
    "snapshot, one feature per zone and day with a 'date' field (QGIS's temporal controller; "
    "GeoParquet 1.1). '-': CSV on standard output (JSON with --format json).",
)
@click.option("--format", "output_format", type=click.Choice(STDOUT_FORMATS), default=None, help="With -o -: csv (default) or json on standard output.")
@plan_option(default=None)
@option_option
@with_claims_option
@click.option("--no-cache", is_flag=True, help="Deprecated: the same as `peacemap --no-cache timeline ...`.")
@lang_option
def timeline(
    start: DateRequest,
    end: DateRequest,
    regions: tuple[str, ...],
    output: Path,
    output_format: str | None,
    plan_ref: str | None,
    option_ids: tuple[str, ...],
    with_claims: bool,
    no_cache: bool,
) -> None:
    """How the line of contact moved: occupied km² per region on every daily snapshot; with
    --plan, what the plan would have meant on each day.

    One row per day and region: occupied km² (geodesic) and share of the region, held km²,
    the change over the trailing 30 and 90 days, and for Donetsk the days it would take at the
    trailing 90-day pace to occupy its held part (the 28-point plan's DMZ). Days without a
    snapshot are rows with status 'gap' and empty figures, never interpolated. Figures are the
    report's (region minus held land; enclaves count as occupied) and are cached per snapshot.

    With --plan: one row per day and headline measure of the plan applied to that day's line
    (Russian side after the plan, under Russian forces, given up beyond the line, the
    demilitarised zones, returned land, the frozen Ukrainian side), in km² and 1 January 2022
    population with its band, with the plan's readings, and the official statements of people
    remaining in a measure's land as dated points (rows with status 'statement'). Each
    day's figures equal `peacemap report --plan ID --date DAY`. A cold run over every snapshot
    takes about a minute (grid cells; a plan with option zones, about 2 s per snapshot and
    core); the figures are cached per plan. With -o .gpkg or .parquet: the plan's zones on each
    snapshot (about a second per snapshot and core).

    \b
    Examples:
      peacemap timeline -o timeline.csv
      peacemap timeline --region UA-14 --region UA-23 --from 2025-01-01 -o south.html
      peacemap timeline --from 2025-06-01 --to 2025-11-20 -o front.png
      peacemap timeline --region UA-14 -o donetsk.json
      peacemap timeline --plan plan28 --from 2025-07-24 --to 2025-11-20 -o plan28.html
      peacemap timeline --plan plan28 --from 2025-10-01 --to 2025-11-20 -o zones.gpkg
      peacemap timeline --region UA-14 --from 2025-11-01 -o - | head
    """
    suffix = "." + (output_format or "csv") if is_stdout(output) else output.suffix.lower()
    if output_format is not None and not is_stdout(output):
        raise click.UsageError("--format goes with -o - (standard output); for a file its suffix picks the format")
    if suffix not in FORMATS + ZONE_FORMATS:
        raise click.BadParameter(
            f"{output.name!r} has suffix {suffix or '(none)'}; expected one of {', '.join(FORMATS + ZONE_FORMATS)}", param_hint="-o/--output"
        )
    if suffix in ZONE_FORMATS and plan_ref is None:
        raise click.UsageError(f"{suffix} writes a plan's zones of every day: it needs --plan")
    if plan_ref is None and option_ids:
        raise click.UsageError("--option needs --plan")
    if plan_ref is None and with_claims:
        raise click.UsageError("--with-claims needs --plan: the claims are drawn beside a plan's figures")
    if plan_ref is not None and regions:
        raise click.UsageError("--region and --plan do not go together: a plan's figures are for the whole country")
    check_output_file(output)
    if no_cache:  # the global option, given after the command
        settings.configure(use_cache=False)
    from peacemap import pipeline
    from peacemap.cli.progress import progress_bar

    if plan_ref is not None and suffix in ZONE_FORMATS:
        with progress_bar(f"splitting each snapshot for {plan_ref}") as progress:
            zones = pipeline.plan_zones(plan_ref, start, end, options=option_ids, progress=progress)
        pipeline.write_plan_zones(zones, output)
        logger.info(
            "wrote %s (%s zones on %s snapshots from %s to %s)",
            output,
            f"{len(zones.table):,}",
            zones.table["date"].nunique(),
            zones.first.isoformat(),
            zones.last.isoformat(),
        )
        return
    if plan_ref is not None:
        with progress_bar(f"measuring {plan_ref} on each snapshot") as progress:
            plan_result = pipeline.plan_timeline(plan_ref, start, end, options=option_ids, progress=progress)
        statements = pipeline.plan_timeline_statements(plan_result, with_claims=with_claims)
        if is_stdout(output):
            write_text_output(output, pipeline.plan_timeline_text(plan_result, suffix.lstrip("."), statements=statements))
        else:
            pipeline.write_plan_timeline(plan_result, output, statements=statements)
        logger.info(
            "wrote %s (%s to %s, %s snapshots, %d day(s) without a snapshot)",
            _shown(output),
            plan_result.first.isoformat(),
            plan_result.last.isoformat(),
            f"{len(plan_result.figures):,}",
            len(plan_result.gaps),
        )
        return
    with progress_bar("measuring snapshots") as progress:
        result = pipeline.timeline(start, end, regions, progress=progress)
    if is_stdout(output):
        write_text_output(output, pipeline.timeline_text(result, suffix.lstrip(".")))
    else:
        pipeline.write_timeline(result, output)
    logger.info(
        "wrote %s (%s to %s, %s rows, %d day(s) without a snapshot)",
        _shown(output),
        result.first.isoformat(),
        result.last.isoformat(),
        f"{len(result.table):,}",
        len(result.gaps),
    )


def _shown(output: Path) -> str:
    return "standard output" if is_stdout(output) else str(output)
