"""`peacemap sweep`: the plan timeline of every plan and option, under DeepState and the user's control maps, in one table."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from peacemap.cli.options import DATE_OR_LATEST
from peacemap.cli.paths import OutputPath, check_output_file
from peacemap.layers.settings import SCHEDULER_ENV

if TYPE_CHECKING:
    from peacemap.pipeline.request import DateRequest

logger = logging.getLogger(__name__)

FORMATS = (".parquet", ".csv")  # pipeline.SWEEP_FORMATS, kept here so that --help imports nothing heavy


@click.command()
@click.option(
    "--plans",
    "plans",
    multiple=True,
    required=True,
    metavar="ID[,ID…]",
    help="Plans to sweep: built-in ids or TOML files, comma-separated or repeated (e.g. --plans plan28,plan20).",
)
@click.option(
    "--options",
    "options",
    type=click.Choice(["none", "each", "all"]),
    default="none",
    show_default=True,
    help="Each plan as published (none), also with each option alone (each), or with every set of its options (all).",
)
@click.option("--from", "start", type=DATE_OR_LATEST, default=None, metavar="YYYY-MM-DD|latest", help="First day (default: the first DeepState snapshot).")
@click.option(
    "--to",
    "end",
    type=DATE_OR_LATEST,
    default=None,
    metavar="YYYY-MM-DD|latest",
    help="Last day (default: the latest snapshot); the date --control maps are taken to show.",
)
@click.option(
    "--control",
    "controls",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="A control map of your own (occupied-territory polygons, as `report --control` reads them), measured "
    "for every plan and option as of --to; repeat for more.",
)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=OutputPath(dir_okay=False, path_type=Path),
    help="Table to write: .parquet (needs pip install 'peacemap[parquet]') or .csv.",
)
@click.option(
    "--scheduler",
    "scheduler",
    default=None,
    envvar=SCHEDULER_ENV,
    metavar="ADDRESS",
    help=f"Send the work to this dask.distributed scheduler (e.g. tcp://10.0.0.5:8786; needs pip install "
    f"'peacemap[dask]') instead of local processes. [env: {SCHEDULER_ENV}]",
)
@click.option("--workers", type=click.IntRange(1, 256), default=None, help="Local processes (default: one per CPU).")
@click.option("--no-cache", is_flag=True, help="Measure every snapshot afresh and leave the plan cache alone.")
def sweep(
    plans: tuple[str, ...],
    options: str,
    start: DateRequest,
    end: DateRequest,
    controls: tuple[Path, ...],
    output: Path,
    scheduler: str | None,
    workers: int | None,
    no_cache: bool,
) -> None:
    """What every plan and option would have meant on every day: the plan timeline of each
    combination (plans x option sets x maps of control), in one table.

    One row per combination, day and headline measure: plan, options, source (deepstate or the
    control file), date, status (snapshot, gap or control map), km² (geodesic) and 1 January
    2022 population with its band, as `peacemap timeline --plan` gives them (each DeepState day
    equals `peacemap report --plan ID --option … --date DAY`). Work is cut into tasks of up to 60
    snapshots of one combination, run on local processes or on a dask.distributed cluster.

    \b
    Examples:
      peacemap sweep --plans plan28,plan20 --options all --from 2025-11-07 --to 2025-11-20 -o sweep.parquet
      peacemap sweep --plans plan28 --options each --control mine.geojson --to 2025-11-20 -o sweep.csv
      peacemap sweep --plans plan28,plan20,eu-counter,freeze,russia-max --options all --scheduler tcp://10.0.0.5:8786 -o all.parquet
    """
    if output.suffix.lower() not in FORMATS:
        raise click.BadParameter(f"{output.name!r} has suffix {output.suffix or '(none)'}; expected one of {', '.join(FORMATS)}", param_hint="-o/--output")
    names = [name.strip() for entry in plans for name in entry.split(",") if name.strip()]
    if not names:
        raise click.BadParameter("no plan given; expected ids such as plan28,plan20", param_hint="--plans")
    check_output_file(output)
    from peacemap import pipeline
    from peacemap.cli.progress import progress_bar

    with progress_bar("measuring the combinations") as progress:
        table = pipeline.sweep(
            names, start, end, options=options, controls=controls, scheduler=scheduler, workers=workers, use_cache=not no_cache, progress=progress
        )
    pipeline.write_sweep(table, output)
    series = table[["plan", "options", "source"]].drop_duplicates()
    logger.info("wrote %s (%d combinations, %s rows)", output, len(series), f"{len(table):,}")
