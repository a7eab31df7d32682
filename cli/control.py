"""`peacemap control compare`: two maps of control side by side, and what a plan's figures become under each."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import click

from peacemap.cli.options import DATE_OR_LATEST, check_control_where, lang_option, plan_option
from peacemap.cli.paths import OutputPath, check_output_file, is_stdout, write_text_output
from peacemap.pipeline.request import ControlFile, ControlSource, DateRequest, DeepStateRequest, parse_control_source

logger = logging.getLogger(__name__)

TABLE_FORMATS = ("md", "csv", "json")  # those pipeline.control_comparison_text renders, kept here so that --help imports nothing heavy


class ControlSourceType(click.ParamType):
    """A control file's path, or ``deepstate:YYYY-MM-DD`` / ``deepstate:latest``."""

    name = "FILE|deepstate:YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> ControlSource:  # click's signature
        if isinstance(value, (ControlFile, DeepStateRequest)):
            return value
        if not str(value).strip():
            self.fail("an empty source; give a control file or deepstate:YYYY-MM-DD", param, ctx)
        try:
            return parse_control_source(str(value))
        except ValueError:
            self.fail(f"{value!r} is not deepstate:YYYY-MM-DD or deepstate:latest (write ./{value} for a file of that name)", param, ctx)


CONTROL_SOURCE = ControlSourceType()


@click.group(name="control")
def control_group() -> None:
    """Maps of control (who holds what): compare two of them, and what a plan's figures become
    under each.

    \b
    Examples:
      peacemap control compare my-map.zip --date 2025-11-20
      peacemap control compare deepstate:2025-11-20 deepstate:2025-07-24 --plan plan28
    """


@control_group.command()
@click.argument("source_a", type=CONTROL_SOURCE, metavar="A")
@click.argument("source_b", type=CONTROL_SOURCE, metavar="[B]", required=False)
@click.option(
    "--date",
    "date",
    type=DATE_OR_LATEST,
    default=None,
    metavar="YYYY-MM-DD|latest",
    help="The date control files show (the date you vouch for), and the DeepState snapshot B defaults to. Default: the plan's own date.",
)
@plan_option()
@click.option("--layer-a", default=None, metavar="NAME", help="The layer of A to read, when the file has several.")
@click.option("--where-a", default=None, metavar="SQL", help="Only A's features that meet this OGR SQL condition count as occupied.")
@click.option("--layer-b", default=None, metavar="NAME", help="The layer of B to read, when the file has several.")
@click.option("--where-b", default=None, metavar="SQL", help="Only B's features that meet this OGR SQL condition count as occupied.")
@click.option("--allow-small-a", is_flag=True, help="Accept a file A that leaves less than 1,000 km² of Ukraine's land occupied.")
@click.option("--allow-small-b", is_flag=True, help="Accept a file B that leaves less than 1,000 km² of Ukraine's land occupied.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(TABLE_FORMATS),
    default=None,
    help="The table: md to read, csv or json for tools. Default: from the -o suffix, else md.",
)
@click.option(
    "-o",
    "--output",
    type=OutputPath(dir_okay=False, allow_dash=True, path_type=Path),
    default=None,
    help="FILE.html: a self-contained map of both lines and the land where they disagree, with the table "
    "beside it (the table is still printed); FILE.md|csv|json: the table, instead of standard output; "
    "'-': the table on standard output (as without -o).",
)
@lang_option
def compare(
    source_a: ControlSource,
    source_b: ControlSource | None,
    date: DateRequest,
    plan_ref: str,
    layer_a: str | None,
    where_a: str | None,
    layer_b: str | None,
    where_b: str | None,
    allow_small_a: bool,
    allow_small_b: bool,
    output_format: str | None,
    output: Path | None,
) -> None:
    """Compare two maps of control A and B: per region, occupied km² under each and the km² only
    A or only B counts as occupied; and the plan's headline under each (land given up beyond the
    line of contact, the demilitarised zone: km² and 1 January 2022 population).

    A and B are control files (any format --control reads) or DeepState snapshots written
    deepstate:YYYY-MM-DD; B defaults to DeepState's snapshot of --date.

    \b
    Examples:
      peacemap control compare deepstate:2025-11-20 deepstate:2025-07-24 --plan plan28
      peacemap control compare analysts.zip --where-a "layer = 'Assessed Russian control'" --date 2025-11-20
      peacemap control compare my-map.kmz deepstate:2025-11-20 --date 2025-11-20 --format json -o compare.json
      peacemap control compare my-map.gpkg --layer-a occupied --date 2025-11-20 -o compare.html
    """
    first = _with_filter(source_a, layer_a, where_a, allow_small_a, "a")
    second = _with_filter(source_b, layer_b, where_b, allow_small_b, "b")
    suffix = "" if output is None or is_stdout(output) else output.suffix.lstrip(".").lower()
    table_file = output if suffix in TABLE_FORMATS else None
    if output is not None and not is_stdout(output) and suffix != "html" and table_file is None:
        raise click.BadParameter(f"{output.name!r} should end in .html (a map) or .md, .csv or .json (the table), or be - (standard output)", param_hint="'-o'")
    output_format = output_format or (suffix if table_file is not None else "md")
    check_output_file(output)
    from peacemap import pipeline

    result = pipeline.control_comparison(first or source_a, second, date=date, plan=plan_ref)
    text = pipeline.control_comparison_text(result, output_format)
    if suffix == "html":
        pipeline.write_control_comparison_map(result, output)  # type: ignore[arg-type]
        logger.info("wrote %s", output)
    write_text_output(table_file, text)


def _with_filter(source: ControlSource | None, layer: str | None, where: str | None, allow_small: bool, side: str) -> ControlSource | None:
    """``source`` with the layer, condition and acceptance of a small area chosen for it; each
    needs a control file."""
    if layer is None and where is None and not allow_small:
        return source
    if not isinstance(source, ControlFile):
        option = f"--layer-{side}" if layer is not None else (f"--where-{side}" if where is not None else f"--allow-small-{side}")
        raise click.UsageError(f"{option} needs {side.upper()} to be a control file")
    return ControlFile(source.path, layer, check_control_where(where, f"'--where-{side}'"), allow_small=allow_small)
