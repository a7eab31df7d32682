"""Reusable click options and parameter types for peacemap commands."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from peacemap.layers.errors import ArgumentError
from peacemap.pipeline.request import DEFAULT_PLAN, ControlFile, normal_date

Command = TypeVar("Command", bound=Callable[..., Any])  # a function click makes a command of


class DateOrLatest(click.ParamType):
    """A date as YYYY-MM-DD, or the word ``latest`` (returned as the string ``"latest"``)."""

    name = "YYYY-MM-DD|latest"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date | str | None:  # click's signature
        try:
            return normal_date(value if value is None or isinstance(value, dt.date) else str(value))
        except ArgumentError:
            self.fail(f"{value!r} is not a date; expected YYYY-MM-DD or 'latest'", param, ctx)


DATE_OR_LATEST = DateOrLatest()

format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"], case_sensitive=False),
    default="table",
    show_default=True,
    help="Output format: an aligned table for reading, CSV or JSON for tools.",
)


def plan_option(default: str | None = DEFAULT_PLAN) -> Callable[[Command], Command]:
    """``--plan``: a built-in plan id or the path of a plan file (TOML)."""
    return click.option(
        "--plan",
        "plan_ref",
        default=default,
        show_default=True,
        metavar="ID|FILE",
        help="Plan to apply: a built-in id (see `peacemap plans`) or a plan file (.toml).",
    )


date_option = click.option(
    "--date",
    "date",
    type=DATE_OR_LATEST,
    default=None,
    metavar="YYYY-MM-DD|latest",
    help="Date of the line of contact (DeepState snapshot on or before it). Default: the plan's own date; 'latest' for the newest snapshot.",
)


option_option = click.option(
    "--option",
    "option_ids",
    multiple=True,
    metavar="ID",
    help="Switch on one of the plan's options (provisions its text leaves open; see `peacemap plans show ID`). Repeatable.",
)


control_option = click.option(
    "--control",
    "control_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Your own occupied-territory polygons instead of DeepState: GeoJSON, TopoJSON, GeoPackage, KML/KMZ, ESRI shapefile (.shp or .zip) "
    "or FlatGeobuf, in the CRS it declares; --date then states the date they show.",
)


control_layer_option = click.option(
    "--control-layer",
    "control_layer",
    default=None,
    metavar="NAME",
    help="The layer of --control to read, when the file has several (a GeoPackage or KML with several layers).",
)


control_means_option = click.option(
    "--control-means",
    "control_means",
    type=click.Choice(["occupied", "held"]),
    default=None,
    help=(
        "What the polygons of --control show: the occupied territory (default) or the Ukrainian-held one, "
        "whose complement within Ukraine is then taken as occupied."
    ),
)


control_where_option = click.option(
    "--control-where",
    "control_where",
    default=None,
    metavar="SQL",
    help="Only the features of --control that meet this OGR SQL condition count as occupied, e.g. \"layer = 'Assessed Russian control'\".",
)


control_allow_small_option = click.option(
    "--control-allow-small",
    "control_allow_small",
    is_flag=True,
    default=False,
    help="Accept polygons of --control that leave less than 1,000 km² of Ukraine's land occupied "
    "(otherwise refused: polygons in the sea, in Russia or in the wrong CRS).",
)


with_claims_option = click.option(
    "--with-claims",
    "with_claims",
    is_flag=True,
    help="Also give the occupying power's claims of people remaining beside the figures, each labelled OCCUPYING-POWER CLAIM "
    "(political figures, not population estimates).",
)


def population_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--population FILE``, ``--population-label TEXT`` and ``--population-date YYYY-MM-DD``: the
    command receives ``population``, a ``PopulationRequest`` or None."""

    @functools.wraps(command)
    def with_population(
        *args: Any, population_file: Path | None = None, population_label: str | None = None, population_date: dt.date | None = None, **kwargs: Any
    ):
        from peacemap.layers.errors import PopulationFileError
        from peacemap.pipeline.request import PopulationRequest

        for name, value in (("--population-label", population_label), ("--population-date", population_date)):
            if value is not None and population_file is None:
                raise click.UsageError(f"{name} needs --population FILE")
        if population_file is not None and population_date is None:
            raise click.UsageError("--population needs --population-date YYYY-MM-DD: the date its counts stand for")
        try:
            request = (
                PopulationRequest(population_file, population_date, population_label) if population_file is not None and population_date is not None else None
            )
        except PopulationFileError as error:
            raise click.BadParameter(str(error).replace("'population_label'", "the label"), param_hint="'--population-label'") from None
        return command(*args, population=request, **kwargs)

    options = (
        click.option(
            "--population",
            "population_file",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            metavar="FILE",
            help="A population of your own beside the official one of 1 January 2022: a table (.csv, .xlsx) of counts by "
            "hromada (katotth, or hromada and oblast) or by city or town, points with a count field (any --control format), "
            "or a GeoTIFF of counts per cell (docs/howto/own-population.md).",
        ),
        click.option("--population-label", "population_label", default=None, metavar="TEXT", help="What the outputs call it (default: the file's name)."),
        click.option(
            "--population-date",
            "population_date",
            type=click.DateTime(formats=["%Y-%m-%d"]),
            default=None,
            metavar="YYYY-MM-DD",
            callback=lambda ctx, param, value: value.date() if value else None,
            help="The date its counts stand for (required with --population).",
        ),
    )
    for decorator in reversed(options):
        with_population = decorator(with_population)
    return with_population


def check_control_where(where: str | None, param_hint: str = "'--control-where'") -> str | None:
    """``--control-where`` as given, refusing an empty condition and one that holds a ``;``, a
    comment, a subquery or a function not allowed (usage errors). A syntax error is left to the
    reader of the file, which names the layer's fields with GDAL's reason."""
    from peacemap.pipeline.request import ConditionError, ConditionSyntaxError, check_condition

    if where is not None and not where.strip():
        raise click.BadParameter("an empty condition selects nothing; give an OGR SQL condition such as \"layer = 'Assessed'\"", param_hint=param_hint)
    if where is not None:
        try:
            check_condition(where)
        except ConditionSyntaxError:
            pass
        except ConditionError as error:
            raise click.BadParameter(f"not one condition: {error}", param_hint=param_hint) from None
    return where


def plan_request_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that pick what to map: ``--plan``, ``--date``, ``--option``, ``--control``,
    ``--control-layer``, ``--control-where``, ``--control-means`` and ``--control-allow-small``.

    The command receives ``plan_ref``, ``date``, ``option_ids`` and ``control_file``: the
    control file, its layer, condition, what it shows and whether a small area is meant as one
    ``ControlFile`` (or None), which the layers functions take as they are.
    """

    @functools.wraps(command)
    def with_control_file(
        *args: Any,
        control_file: Path | None = None,
        control_layer: str | None = None,
        control_where: str | None = None,
        control_means: str | None = None,
        control_allow_small: bool = False,
        **kwargs: Any,
    ):
        for name, value in (
            ("--control-layer", control_layer),
            ("--control-where", control_where),
            ("--control-means", control_means),
            ("--control-allow-small", control_allow_small or None),
        ):
            if value is not None and control_file is None:
                raise click.UsageError(f"{name} needs --control FILE")
        where = check_control_where(control_where)
        chosen = (
            ControlFile(control_file, layer=control_layer, where=where, means=control_means or "occupied", allow_small=control_allow_small)
            if control_file is not None
            else None
        )
        return command(*args, control_file=chosen, **kwargs)

    for decorator in reversed(
        (
            plan_option(),
            date_option,
            option_option,
            control_option,
            control_layer_option,
            control_where_option,
            control_means_option,
            control_allow_small_option,
        )
    ):
        with_control_file = decorator(with_control_file)
    return with_control_file


def lang_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--lang en|uk``: the language of everything the command writes for people (default:
    ``PEACEMAP_LANG``, else English). The command runs inside the pipeline's
    :func:`peacemap.pipeline.request.writing_in`, where every request it makes is served; JSON
    keys, ids and CSV column names stay English in every language."""

    @functools.wraps(command)
    def in_language(*args: Any, lang: str | None = None, **kwargs: Any):
        from peacemap.pipeline.request import writing_in

        with writing_in(lang):
            return command(*args, **kwargs)

    return click.option(
        "--lang",
        "lang",
        type=click.Choice(["en", "uk"], case_sensitive=False),
        default=None,
        metavar="en|uk",
        help="Language of the maps, reports and charts written for people: en (English) or uk (Ukrainian). [default: PEACEMAP_LANG, else en]",
    )(in_language)
