"""The files the pipeline writes: one registry of writers, by kind of result and the output's
suffix (:func:`write`), and ``peacemap build``, every output of a plan written together.

Each writer writes to a temporary file renamed at the end (:mod:`peacemap.layers.writing`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peacemap.layers.errors import ArgumentError
from peacemap.layers.writing import atomic_write, atomic_write_text, check_replaceable, output_dir, staged_outputs
from peacemap.pipeline.maps import BUILD_PNG_DPI, map_facts, map_layers
from peacemap.pipeline.plan import request_layers, request_population, with_hromadas, with_own_population
from peacemap.pipeline.report import Report, report_of
from peacemap.pipeline.request import ControlRequest, DateRequest, Request, writing_in
from peacemap.pipeline.timelines import plan_timeline_text, timeline_text

if TYPE_CHECKING:
    import pandas as pd

    from peacemap.layers.plans.apply import PlanLayers
    from peacemap.layers.population.own import OwnPopulation
    from peacemap.layers.population.request import PopulationRequest
    from peacemap.layers.timeline.plan import PlanTimeline
    from peacemap.layers.timeline.table import Timeline
    from peacemap.maps.animation import Animation
    from peacemap.maps.facts import Facts
    from peacemap.maps.prepare import MapLayers
    from peacemap.pipeline.animations import MapFrames
    from peacemap.pipeline.timelines import PlanZones

logger = logging.getLogger(__name__)

Writer = Callable[..., Any]  # the path written (a list of them for frames)

# kind of result -> suffix of the output (lower case, with its dot) -> the function that writes it
WRITERS: dict[str, dict[str, Writer]] = {}


def writes(kind: str, *suffixes: str) -> Callable[[Writer], Writer]:
    """Register the decorated function as the writer of ``kind`` to files ending in ``suffixes``."""

    def register(writer: Writer) -> Writer:
        for suffix in suffixes:
            WRITERS.setdefault(kind, {})[suffix] = writer
        return writer

    return register


def suffixes(kind: str) -> tuple[str, ...]:
    """The suffixes a result of ``kind`` can be written to, in the order they were registered."""
    return tuple(WRITERS[kind])


def write(kind: str, result: Any, output: Path, **options: Any) -> Any:  # what the writer returns
    """Write ``result`` (a result of ``kind``) to ``output`` by its suffix, with the writer's ``options``.

    Raises
    ------
    ArgumentError
        ``output``'s suffix is not one of those of ``kind`` (also a ValueError).
    """
    writers = WRITERS[kind]
    writer = writers.get(output.suffix.lower())
    if writer is None:
        raise ArgumentError(f"'output' should end in one of {', '.join(writers)}, got {output.name!r}")
    return writer(result, output, **options)


def _write_png(figure: Any, output: Path, dpi: int = 120) -> Path:  # a matplotlib Figure
    return atomic_write(output, lambda path: figure.savefig(path, format="png", dpi=dpi))


# -- timelines -------------------------------------------------------------------------------


def write_timeline(result: Timeline, output: Path) -> Path:
    """Write ``result`` as CSV, JSON, a self-contained HTML chart or PNG, by ``output``'s suffix."""
    return write("timeline", result, output)


def _timeline_title(result: Timeline) -> str:
    """The timeline chart's title, in the language being written."""
    from peacemap.layers.i18n.catalogue import gettext
    from peacemap.layers.i18n.dates import date_range_text

    return gettext("Occupied land per region, DeepState snapshots %(dates)s") % {"dates": date_range_text(result.first, result.last)}


@writes("timeline", ".csv", ".json")
def _timeline_table(result: Timeline, output: Path) -> Path:
    return atomic_write_text(output, timeline_text(result, output.suffix.lower().lstrip(".")))


@writes("timeline", ".html")
def _timeline_html(result: Timeline, output: Path) -> Path:
    from peacemap.layers.timeline.table import sources_note
    from peacemap.maps.charts.timeline import timeline_html

    return atomic_write_text(output, timeline_html(result, title=_timeline_title(result), sources_note=sources_note()))


@writes("timeline", ".png")
def _timeline_png(result: Timeline, output: Path) -> Path:
    from peacemap.maps.charts.timeline import timeline_figure

    return _write_png(timeline_figure(result, title=_timeline_title(result)), output)


def write_plan_timeline(result: PlanTimeline, output: Path, *, statements: Sequence = ()) -> Path:
    """Write ``result`` as CSV, JSON, a self-contained HTML chart or PNG, by ``output``'s suffix,
    with ``statements`` (:func:`peacemap.pipeline.timelines.plan_timeline_statements`) as dated
    points (dots in the charts)."""
    return write("plan-timeline", result, output, statements=statements)


@writes("plan-timeline", ".csv", ".json")
def _plan_timeline_table(result: PlanTimeline, output: Path, *, statements: Sequence = ()) -> Path:
    return atomic_write_text(output, plan_timeline_text(result, output.suffix.lower().lstrip("."), statements=statements))


@writes("plan-timeline", ".html")
def _plan_timeline_html(result: PlanTimeline, output: Path, *, statements: Sequence = ()) -> Path:
    from peacemap.layers.timeline.plan import plan_sources_note
    from peacemap.maps.charts.plan_timeline import plan_timeline_html

    return atomic_write_text(output, plan_timeline_html(result, sources_note=plan_sources_note(result), statements=statements))


@writes("plan-timeline", ".png")
def _plan_timeline_png(result: PlanTimeline, output: Path, *, statements: Sequence = ()) -> Path:
    from peacemap.maps.charts.plan_timeline import plan_timeline_figure

    return _write_png(plan_timeline_figure(result, statements), output)


# -- maps ------------------------------------------------------------------------------------


def write_map(
    layers: PlanLayers,
    output: Path,
    output_format: str,
    *,
    self_contained: bool = True,
    tiles: bool = True,
    dpi: int = BUILD_PNG_DPI,
    size_in: tuple[float, float] | None = None,
    facts: bool = True,
) -> Path:
    """Draw ``layers`` to ``output``: ``html`` (folium), ``png``, ``svg`` or ``pdf`` (matplotlib),
    the static ones ``size_in`` inches (width, height; default 12 x 9.5) at ``dpi``; with the fact
    box of the plan's report unless ``facts`` is False."""
    writers = WRITERS["map"]
    if f".{output_format}" not in writers:
        raise ArgumentError(f"'output_format' should be one of {', '.join(s.lstrip('.') for s in writers)}, got {output_format!r}")
    return writers[f".{output_format}"](
        layers, output, self_contained=self_contained, tiles=tiles, dpi=dpi, size_in=size_in, facts=facts, output_format=output_format
    )


@writes("map", ".html")
def _map_html(layers: PlanLayers, output: Path, *, self_contained: bool = True, tiles: bool = True, facts: bool = True, **_static: Any) -> Path:
    from peacemap.maps.html import build_html_map, save_html

    drawn = map_layers(layers)
    box = map_facts(layers) if facts else None
    return save_html(build_html_map(drawn, self_contained=self_contained, tiles=tiles, facts=box), output)


@writes("map", ".png", ".svg", ".pdf")
def _map_static(
    layers: PlanLayers,
    output: Path,
    *,
    dpi: int = BUILD_PNG_DPI,
    size_in: tuple[float, float] | None = None,
    facts: bool = True,
    output_format: str | None = None,
    **_html: Any,
) -> Path:
    from peacemap.maps.static import FIGSIZE_IN, save_static, static_map

    drawn = map_layers(layers)
    box = map_facts(layers) if facts else None
    fmt = output_format or output.suffix.lower().lstrip(".")
    return save_static(static_map(drawn, figsize_in=size_in or FIGSIZE_IN, facts=box), output, fmt=fmt, dpi=dpi)


def write_animation(result: Animation, output: Path, *, self_contained: bool = True, tiles: bool = True, facts: bool = True) -> Path:
    """Write ``result`` as one HTML file (Leaflet inlined unless ``self_contained`` is False), with
    each frame's fact box unless ``facts`` is False."""
    return write("animation", result, output, self_contained=self_contained, tiles=tiles, facts=facts)


@writes("animation", ".html")
def _animation_html(result: Animation, output: Path, *, self_contained: bool = True, tiles: bool = True, facts: bool = True) -> Path:
    from peacemap.maps.animation import animation_map
    from peacemap.maps.html import save_html

    return save_html(animation_map(result, self_contained=self_contained, tiles=tiles, facts=facts), output)


# -- layers ----------------------------------------------------------------------------------


def write_layers(layers: PlanLayers, output: Path, *, population: OwnPopulation | None = None) -> Path:
    """Write ``layers`` as GeoPackage (with QGIS styles, :mod:`peacemap.maps.qgis`) or GeoJSON
    (see :mod:`peacemap.layers.report.export`): zones with their population on 1 January 2022
    (as the report counts it), the hromada territories; with ``population``, the zones carry the
    user's population too (``population_own`` and its band) and the file names it."""
    return write("layers", layers, output, population=population)


@writes("layers", ".gpkg", ".geojson")
def _layers_file(layers: PlanLayers, output: Path, *, population: OwnPopulation | None = None) -> Path:
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.export import layers_date
    from peacemap.layers.report.export import write_layers as write_file
    from peacemap.layers.report.figures import zones_with_population
    from peacemap.layers.report.pieces import POPULATION_COLUMNS
    from peacemap.maps.qgis import add_layer_styles

    def styled(path: Path) -> None:
        if path.suffix.lower() == ".gpkg":
            add_layer_styles(path, update_time=layers_date(layers), day=layers.control.as_of)

    if not set(POPULATION_COLUMNS) <= set(layers.zones.columns):
        layers = replace(layers, zones=zones_with_population(layers.zones, zone_population))
    metadata = None
    if population is not None:
        layers, metadata = with_own_population(layers, population)
    return write_file(with_hromadas(layers), output, finish=styled, metadata=metadata)


# -- peacemap build --------------------------------------------------------------------------

BUILD_OUTPUTS = ("map.html", "map.png", "report.md", "report.json", "report.csv", "layers.gpkg")


def build(
    plan: str | Path,
    date: DateRequest = None,
    *,
    options: Sequence[str] = (),
    control: ControlRequest = None,
    out_dir: Path = Path("out"),
    with_claims: bool = False,
    population: PopulationRequest | None = None,
    facts: bool = True,
    lang: str | None = None,
) -> tuple[Report, list[Path]]:
    """:func:`build_request` of the request these arguments make (:meth:`Request.of`)."""
    request = Request.of(plan, date, options=options, control=control, population=population, with_claims=with_claims, lang=lang)
    return build_request(request, out_dir=out_dir, facts=facts)


def build_request(request: Request, *, out_dir: Path = Path("out"), facts: bool = True) -> tuple[Report, list[Path]]:
    """Everything ``peacemap build`` writes into ``out_dir``: map.html, map.png, report.md,
    report.json, report.csv and layers.gpkg, all together or none (:func:`staged_outputs`); both
    maps carry the report's fact box unless ``facts`` is False.

    ``out_dir`` is created and checked before any work, with the files it holds of those names
    (none may be a device, a FIFO or a link to one); if the run fails, a folder it created is
    removed again. Everything is written in ``request.lang`` (:class:`Request`).
    """
    with writing_in(request.lang), output_dir(out_dir):
        for name in BUILD_OUTPUTS:
            check_replaceable(Path(out_dir) / name)
        from peacemap.layers.report.render import report_csv, report_json, report_markdown
        from peacemap.maps.facts import report_facts
        from peacemap.maps.html import build_html_map
        from peacemap.maps.places import map_places
        from peacemap.maps.prepare import prepare_map_layers

        own = request_population(request)
        layers = request_layers(request)
        static = prepare_map_layers(layers)  # all the static map needs, with the places both maps name
        places = map_places(layers.zones)  # read here once: a forked process reading the cache again would warn again
        report = report_of(layers, with_claims=request.with_claims, population=own)  # before the fork: both maps' fact boxes give its figures
        box = report_facts(report.document) if facts else None
        with staged_outputs(out_dir) as outputs:
            # The static map (matplotlib, the slowest output) is drawn in a forked process while
            # this one estimates population, adds the hromadas and writes the other files.
            outputs.start("map.png", lambda path: _write_build_png(static, path, places, box))
            full = with_hromadas(layers)
            drawn = map_layers(full, prepared=static)  # the static map's outlines, not simplified again
            result = replace(report, layers=full)
            outputs.write("map.html", lambda path: build_html_map(drawn, self_contained=True, places=places, facts=box).save(str(path)))
            outputs.write("report.md", lambda path: path.write_text(report_markdown(result.document), encoding="utf-8"))
            outputs.write("report.json", lambda path: path.write_text(report_json(result.document), encoding="utf-8"))
            outputs.write("report.csv", lambda path: path.write_text(report_csv(result.document), encoding="utf-8"))
            outputs.write("layers.gpkg", lambda path: write_layers(result.layers, path, population=own))
        return result, [out_dir / name for name in BUILD_OUTPUTS]


def _write_build_png(drawn: MapLayers, path: Path, places: tuple, facts: Facts | None) -> None:
    """map.png of ``peacemap build``; matplotlib is imported here, in the process that draws it."""
    from peacemap.maps.static import static_map, write_static

    write_static(static_map(drawn, places=places, facts=facts), path, fmt="png", dpi=BUILD_PNG_DPI)


def write_plan_zones(result: PlanZones, output: Path) -> Path:
    """Write ``result`` as a GeoPackage (with a QGIS style whose temporal properties read ``date``)
    or GeoParquet 1.1 with a bbox covering column, by ``output``'s suffix."""
    return write("plan-zones", result, output)


@writes("plan-zones", ".gpkg", ".parquet")
def _plan_zones_file(result: PlanZones, output: Path) -> Path:
    from peacemap.layers.report.export import named_regions, write_zones_table
    from peacemap.maps.qgis import add_layer_styles, zones_over_time_styles

    update_time = f"{result.last.isoformat()}T00:00:00.000Z"

    def styled(path: Path) -> None:
        if path.suffix.lower() == ".gpkg":
            add_layer_styles(path, update_time=update_time, styles=zones_over_time_styles())

    # regions named in the language being written, as in layers.gpkg
    return write_zones_table(named_regions(result.table), output, metadata=result.metadata(), update_time=update_time, finish=styled)


def write_sweep(table: pd.DataFrame, output: Path) -> Path:
    """Write a sweep's table as Parquet (pyarrow) or CSV, by ``output``'s suffix."""
    return write("sweep", table, output)


@writes("sweep", ".parquet")
def _sweep_parquet(table: pd.DataFrame, output: Path) -> Path:
    try:
        import pyarrow  # noqa: F401 - pandas writes Parquet through it
    except ImportError:
        from peacemap.layers.errors import PeacemapError

        raise PeacemapError("writing .parquet needs pyarrow: pip install 'peacemap[parquet]'") from None
    return atomic_write(output, lambda path: table.to_parquet(path, index=False))


@writes("sweep", ".csv")
def _sweep_csv(table: pd.DataFrame, output: Path) -> Path:
    from peacemap.layers.report.records import records_to_csv

    return atomic_write_text(output, records_to_csv(table.to_dict("records")))


def write_map_frames(result: MapFrames, output: Path) -> list[Path]:
    """Write ``result`` as a film (``output`` ending in .mp4 or .gif) or as PNG frames in the
    folder ``output`` (``PLAN-YYYY-MM-DD.png``; a folder's name has no suffix)."""
    return write("map-frames", result, output)


@writes("map-frames", ".mp4", ".gif")
def _film(result: MapFrames, output: Path) -> list[Path]:
    from peacemap.maps.frames import write_film

    return [write_film(result.frames, output)]


@writes("map-frames", "")
def _frame_folder(result: MapFrames, output: Path) -> list[Path]:
    from peacemap.layers.timeline.plan import plan_slug
    from peacemap.maps.frames import write_frames

    return write_frames(result.frames, output, prefix=plan_slug(result.plan))
