"""`peacemap build`: the main job, writing every output for a plan and date into a folder."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from peacemap.cli.options import lang_option, plan_request_options, population_options, with_claims_option
from peacemap.cli.paths import OutputPath
from peacemap.cli.stdout import StdoutError, write_stdout

if TYPE_CHECKING:
    from peacemap.pipeline.request import DateRequest, PopulationRequest

logger = logging.getLogger(__name__)


@click.command()
@plan_request_options
@click.option(
    "--out",
    "out_dir",
    type=OutputPath(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder to write the outputs into (created if missing; files there of the same names are replaced).",
)
@with_claims_option
@population_options
@click.option(
    "--facts/--no-facts",
    "facts",
    default=True,
    show_default=True,
    help="A fact box on map.html and map.png: the report's key figures, the snapshot and sources, the readings they rest on and a sentence to cite them by.",
)
@lang_option
def build(
    plan_ref: str,
    date: DateRequest,
    option_ids: tuple[str, ...],
    control_file: Path | None,
    out_dir: Path,
    with_claims: bool,
    population: PopulationRequest | None,
    facts: bool,
) -> None:
    """Build the map, report and layers of a plan in one go.

    Writes map.html (self-contained, works offline and in an iframe), map.png, report.md,
    report.json, report.csv and layers.gpkg into --out. All files appear together at the end,
    or none does. Beside each figure the latest official statement of people remaining in its
    land is given, where there is one (docs/method/statements.md). Both maps carry the report's fact
    box (--no-facts leaves it out).

    \b
    Examples:
      peacemap build                               # plan28 on 2025-11-20 into out/
      peacemap build --plan russia-max --date latest --out russia/
      peacemap build --plan plan20 --option donetsk-zone --out plan20-zone/
      peacemap build --control isw-2025-11-20.geojson --date 2025-11-20
    """
    from peacemap import pipeline

    request = pipeline.Request.of(plan_ref, date, options=option_ids, control=control_file, population=population, with_claims=with_claims)
    result, written = pipeline.build_request(request, out_dir=out_dir, facts=facts)
    for path in written:
        logger.info(f"wrote {path}")
    try:
        write_stdout(result.headline_text())
    except StdoutError as error:
        raise StdoutError(f"{error.reason} (the outputs in {out_dir} were written; only the headline is missing)") from error
