"""The one pipeline behind every command and the Python API: a request (plan, date, options,
control) → plan layers → report and maps → files.

Each ``peacemap`` command parses its options, calls one function here and writes what it gets
back; the Python API (``peacemap.plan_layers``, ``peacemap.report``, …) calls the same
functions. Heavy modules (the population model, folium, matplotlib) are imported inside the
functions that need them, so that importing this module stays cheap.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from peacemap.layers.control.resolve import LATEST, ControlData, ControlFile, ControlSource, resolve_control, resolve_source
from peacemap.layers.plans.apply import PlanLayers
from peacemap.layers.population.request import PopulationRequest
from peacemap.layers.report.contract import Comparison, Places, Report
from peacemap.layers.writing import atomic_write, atomic_write_text, check_replaceable, output_dir, staged_outputs

if TYPE_CHECKING:
    from peacemap.layers.population.own import OwnPopulation
    from peacemap.layers.report.control_compare import ControlComparisonResult
    from peacemap.layers.sources.registry import Source
    from peacemap.layers.timeline.plan import PlanTimeline
    from peacemap.layers.timeline.table import Timeline
    from peacemap.maps.animation import Animation, FrameDrawing
    from peacemap.maps.facts import Facts
    from peacemap.maps.prepare import MapLayers

logger = logging.getLogger(__name__)

DateRequest = dt.date | str | None  # a date, "latest", or None for the plan's own date
ControlRequest = Path | ControlFile | ControlData | None  # a user's control file (and layer) or map, or None for DeepState
MAP_FORMATS = ("html", "png", "svg", "pdf")
TIMELINE_FORMATS = (".csv", ".json", ".html", ".png")
COMPARISON_FORMATS = ("md", "csv", "json")
PLACES_FORMATS = ("md", "csv", "json")
BUILD_PNG_DPI = 200


@dataclass(frozen=True)
class PlanReport:
    """A plan's layers and the report built from them."""

    layers: PlanLayers
    report: Report


def build_sources() -> list[Source]:
    """The registry sources ``peacemap build`` reads with its defaults (``peacemap data status``)."""
    from peacemap.layers.plans.model import load_plan
    from peacemap.layers.sources.requirements import DEFAULT_PLAN, default_build_sources

    return default_build_sources(load_plan(DEFAULT_PLAN).date)


def plan_layers(plan: str | Path, date: DateRequest = None, *, options: Sequence[str] = (),
                control: ControlRequest = None) -> PlanLayers:
    """Zones, line of contact and regions of ``plan`` (built-in id or TOML file) with ``options``
    switched on, on ``date`` (see :func:`peacemap.layers.control.resolve.resolve_control`)."""
    from peacemap.layers.plans.apply import build_plan_layers
    from peacemap.layers.plans.model import load_plan

    chosen = load_plan(plan).with_options(tuple(options))
    snapshot = resolve_control(date, control, default_date=chosen.date)
    layers = build_plan_layers(chosen, snapshot)
    age = snapshot_age(date if date is not None else chosen.date, snapshot.as_of, today=_today())
    return replace(layers, snapshot_age=age) if age is not None else layers


# A line of contact more than this many days older than the date asked for is named, with its age.
STALE_AFTER_DAYS = 14


def _today() -> dt.date:
    """The day of the run, for a snapshot's age (a function, so that tests can set the day)."""
    return dt.date.today()


def snapshot_age(requested: dt.date | str, snapshot: dt.date | None, *, today: dt.date) -> dict[str, object] | None:
    """How old the snapshot used is, when a reader may take it for newer than it is: for
    ``--date latest``, or a date more than :data:`STALE_AFTER_DAYS` days after the snapshot
    (a gap in the snapshots). Logs one warning with the snapshot's date and its age in days on
    ``today``, and returns the facts for the outputs (the ``SnapshotAge`` contract); None otherwise."""
    if snapshot is None:
        return None
    latest = requested == LATEST
    if not latest and not (isinstance(requested, dt.date) and (requested - snapshot).days > STALE_AFTER_DAYS):
        return None
    age_days = (today - snapshot).days
    asked = "--date latest" if latest else f"--date {requested}"
    logger.warning("%s: the line of contact is DeepState's snapshot of %s, %d days old on %s, the date of this run",
                   asked, snapshot.isoformat(), age_days, today.isoformat())
    return {"snapshot": snapshot.isoformat(), "requested": LATEST if latest else str(requested), "age_days": age_days,
            "counted_on": today.isoformat()}


def own_population(request: PopulationRequest) -> OwnPopulation:
    """The user's population file read, checked and placed (:mod:`peacemap.layers.population.own`)."""
    from peacemap.layers.population.model import population_model
    from peacemap.layers.population.own import hromada_katotth
    from peacemap.layers.population.own import own_population as placed
    from peacemap.layers.population.settlements import located_settlements
    from peacemap.layers.regions import load_regions
    from peacemap.layers.sources.population_file import read_population_file
    from peacemap.layers.text import printable

    file = read_population_file(request.path)
    label = request.label if request.label is not None else file.name
    logger.info("population file %s: %s, %s", file.name, file.kind, printable(label))
    return placed(file, label=label, date=request.date, model=population_model, settlements=located_settlements, regions=load_regions(),
                  hromada_codes=hromada_katotth)


def report_of(layers: PlanLayers, *, with_claims: bool = False, population: OwnPopulation | None = None) -> PlanReport:
    """The report of ``layers``, with 1 January 2022 population, the largest towns of each zone,
    the places on the line of contact and the official statements of people remaining beside the
    figures (occupying-power claims too, labelled, with ``with_claims``); with ``population``, the
    user's population beside the official one."""
    from peacemap.layers.population.model import model_settlements, zone_population
    from peacemap.layers.population.territories import hromada_territories
    from peacemap.layers.report.figures import build_report
    from peacemap.layers.report.sensitivity import line_sensitivity

    logger.info("estimating 2022 population by region, status and control")
    report = build_report(layers, zone_population)
    report["places"] = _report_places(layers)
    report["line_sensitivity"] = line_sensitivity(layers, model_settlements(), hromada_territories().frame)
    _add_statements(report, layers, with_claims=with_claims)
    if population is not None:
        from peacemap.layers.report.figures import add_own_population

        add_own_population(report, layers, population)
    return PlanReport(layers=layers, report=report)


def _add_statements(report: Report, layers: PlanLayers, *, with_claims: bool) -> None:
    """The official statements beside ``report``'s figures (:mod:`peacemap.layers.report.beside`)."""
    from peacemap.layers.population.settlements import located_settlements
    from peacemap.layers.population.territories import hromada_territories
    from peacemap.layers.report.beside import add_statements, statements_beside

    found = statements_beside(layers, hromada_territories().frame, located_settlements(), with_claims=with_claims)
    add_statements(report, found, on_or_before=layers.control.as_of, with_claims=with_claims)


def plan_report(plan: str | Path, date: DateRequest = None, *, options: Sequence[str] = (),
                control: ControlRequest = None, with_claims: bool = False, population: PopulationRequest | None = None) -> PlanReport:
    """:func:`plan_layers` and their report (:func:`report_of`). A population file is read and
    checked before any other work."""
    own = own_population(population) if population is not None else None
    return report_of(plan_layers(plan, date, options=options, control=control), with_claims=with_claims, population=own)


def map_layers(layers: PlanLayers) -> MapLayers:
    """``layers`` simplified for drawing, zones carrying their 2022 population (for popups), with
    the hromada territories."""
    from peacemap.maps.prepare import prepare_map_layers

    return _with_population(prepare_map_layers(with_hromadas(layers)))


def _with_population(drawn: MapLayers) -> MapLayers:
    """``drawn`` with the 2022 population of its zones (estimated on the full-resolution ones) in
    both its drawn and its full-resolution zones."""
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import zones_with_population

    logger.info("estimating 2022 population of %d zones", len(drawn.layers.zones))
    populations = zone_population(drawn.layers.zones)
    return replace(drawn, zones=zones_with_population(drawn.zones, lambda _: populations),
                   layers=replace(drawn.layers, zones=zones_with_population(drawn.layers.zones, lambda _: populations)))


def with_hromadas(layers: PlanLayers) -> PlanLayers:
    """``layers`` with the hromada territories (and the statuses of each one's land) added."""
    if layers.hromadas is not None:
        return layers
    from peacemap.layers.population.territories import hromada_territories
    from peacemap.layers.report.places import hromada_layer

    return replace(layers, hromadas=hromada_layer(hromada_territories().frame, layers))


def _report_places(layers: PlanLayers) -> list:
    """The report's "places": the largest cities and towns of each status."""
    from peacemap.layers.population.model import model_settlements
    from peacemap.layers.population.territories import hromada_territories
    from peacemap.layers.report.places import report_places

    return report_places(layers, model_settlements(), hromada_territories().frame)


def places(plan: str | Path, date: DateRequest = None, *, options: Sequence[str] = (), control: ControlRequest = None,
           status: str | None = None, region: str | None = None, with_claims: bool = False,
           population: PopulationRequest | None = None) -> Places:
    """Every hromada with land in each zone of ``plan`` on ``date`` and every city and town in it
    (optionally one status and/or one region), each with its latest official statement on or
    before the snapshot's date where it has one: the "Places" contract."""
    from peacemap.layers.population.model import population_model
    from peacemap.layers.population.settlements import located_settlements
    from peacemap.layers.population.territories import hromada_territories
    from peacemap.layers.report.beside import beside_note, place_statements
    from peacemap.layers.report.places import PlaceStatements, build_places

    own = own_population(population) if population is not None else None
    layers = plan_layers(plan, date, options=options, control=control)
    logger.info("listing the hromadas, cities and towns of each zone")
    statements = None
    if layers.control.as_of is not None:
        hromadas, towns = place_statements(hromada_territories().frame, located_settlements(), on_or_before=layers.control.as_of,
                                           with_claims=with_claims)
        note = {key: value for key, value in beside_note(layers.control.as_of, with_claims, {}).items() if key != "cited"}
        statements = PlaceStatements(hromadas=hromadas, towns=towns, note=note)
    return build_places(layers, population_model(), hromada_territories(), status=status, region=region, statements=statements, own=own)


def zone_statements(layers: PlanLayers, *, with_claims: bool = False) -> list:
    """The official statements beside each zone of ``layers``: the latest made on or before the
    snapshot's date (:func:`peacemap.layers.population.statements.zone_statements`).

    Raises
    ------
    PeacemapError
        The control map has no date (a control file read without ``--date``).
    """
    from peacemap.layers.errors import PeacemapError
    from peacemap.layers.population.settlements import located_settlements
    from peacemap.layers.population.statements import zone_statements as statements_of_zones
    from peacemap.layers.population.territories import hromada_territories

    if layers.control.as_of is None:
        raise PeacemapError(f"'date' of the control map {layers.control.label} is unknown; statements are matched to a date: give --date")
    return statements_of_zones(layers.zones, hromada_territories().frame, located_settlements(),
                               on_or_before=layers.control.as_of, with_claims=with_claims)


def places_text(result: Places, output_format: str) -> str:
    """Places rendered as ``md``, ``csv`` or ``json``."""
    from peacemap.layers.report.places import places_markdown, places_records
    from peacemap.layers.report.records import document_text

    return document_text(result, output_format, rows=lambda: places_records(result), markdown=lambda: places_markdown(result))


def write_map(layers: PlanLayers, output: Path, output_format: str, *, self_contained: bool = True,
              tiles: bool = True, dpi: int = BUILD_PNG_DPI, size_in: tuple[float, float] | None = None, facts: bool = True) -> Path:
    """Draw ``layers`` to ``output``: ``html`` (folium), ``png``, ``svg`` or ``pdf`` (matplotlib),
    the static ones ``size_in`` inches (width, height; default 12 x 9.5) at ``dpi``; with the fact
    box of the plan's report unless ``facts`` is False."""
    drawn = map_layers(layers)
    box = map_facts(layers) if facts else None
    if output_format == "html":
        from peacemap.maps.html import build_html_map, save_html

        return save_html(build_html_map(drawn, self_contained=self_contained, tiles=tiles, facts=box), output)
    from peacemap.maps.static import FIGSIZE_IN, save_static, static_map

    return save_static(static_map(drawn, figsize_in=size_in or FIGSIZE_IN, facts=box), output, fmt=output_format, dpi=dpi)


def map_facts(layers: PlanLayers) -> Facts:
    """The fact box of ``layers``' map, from the report ``peacemap report`` gives of them (the same
    figures, readings and, where the report has them, statements)."""
    from peacemap.maps.facts import report_facts

    return report_facts(report_of(layers).report)


def write_layers(layers: PlanLayers, output: Path, *, population: OwnPopulation | None = None) -> Path:
    """Write ``layers`` as GeoPackage (with QGIS styles, :mod:`peacemap.maps.qgis`) or GeoJSON
    (see :mod:`peacemap.layers.report.export`): zones with their population on 1 January 2022
    (as the report counts it), the hromada territories; with ``population``, the zones carry the
    user's population too (``population_own`` and its band) and the file names it."""
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.export import layers_date
    from peacemap.layers.report.export import write_layers as write
    from peacemap.layers.report.figures import POPULATION_COLUMNS, zones_with_population
    from peacemap.maps.qgis import add_layer_styles

    def styled(path: Path) -> None:
        if path.suffix.lower() == ".gpkg":
            add_layer_styles(path, update_time=layers_date(layers), day=layers.control.as_of)

    if not set(POPULATION_COLUMNS) <= set(layers.zones.columns):
        layers = replace(layers, zones=zones_with_population(layers.zones, zone_population))
    metadata = None
    if population is not None:
        layers, metadata = with_own_population(layers, population)
    return write(with_hromadas(layers), output, finish=styled, metadata=metadata)


def with_own_population(layers: PlanLayers, population: OwnPopulation) -> tuple[PlanLayers, dict[str, str]]:
    """``layers`` whose zones carry the user's population (``population_own``, ``_low``, ``_high``;
    null where the file does not cover the region), and the facts that name it."""
    from peacemap.layers.report.figures import OWN_KEYS, own_source

    figures = population.zone_population(layers.zones)
    zones = layers.zones.copy()
    for key, column in zip(OWN_KEYS, figures.columns):
        zones.insert(len(zones.columns) - 1, key, figures[column].astype("Float64").astype("Int64"))
    source = own_source(population)
    facts = {f"population_own_{key}": (", ".join(value) if isinstance(value, list) else str(value))
             for key, value in source.items() if key in ("label", "date", "file", "sha256", "kind", "method", "regions")}
    return replace(layers, zones=zones), facts


def build(plan: str | Path, date: DateRequest = None, *, options: Sequence[str] = (),
          control: ControlRequest = None, out_dir: Path = Path("out"), with_claims: bool = False,
          population: PopulationRequest | None = None, facts: bool = True) -> tuple[PlanReport, list[Path]]:
    """Everything ``peacemap build`` writes into ``out_dir``: map.html, map.png, report.md,
    report.json, report.csv and layers.gpkg, all together or none (:func:`staged_outputs`); both
    maps carry the report's fact box unless ``facts`` is False.

    ``out_dir`` is created and checked before any work, with the files it holds of those names
    (none may be a device, a FIFO or a link to one); if the run fails, a folder it created is
    removed again.
    """
    with output_dir(out_dir):
        for name in BUILD_OUTPUTS:
            check_replaceable(Path(out_dir) / name)
        from peacemap.layers.report.render import report_csv, report_json, report_markdown
        from peacemap.maps.facts import report_facts
        from peacemap.maps.html import build_html_map
        from peacemap.maps.places import map_places
        from peacemap.maps.prepare import prepare_map_layers

        own = own_population(population) if population is not None else None
        layers = plan_layers(plan, date, options=options, control=control)
        static = prepare_map_layers(layers)  # all the static map needs, with the places both maps name
        places = map_places(layers.zones)  # read here once: a forked process reading the cache again would warn again
        report = report_of(layers, with_claims=with_claims, population=own)  # before the fork: both maps' fact boxes give its figures
        box = report_facts(report.report) if facts else None
        with staged_outputs(out_dir) as outputs:
            # The static map (matplotlib, the slowest output) is drawn in a forked process while
            # this one estimates population, adds the hromadas and writes the other files.
            outputs.start("map.png", lambda path: _write_build_png(static, path, places, box))
            full = with_hromadas(layers)
            drawn = _with_population(replace(static, layers=full))  # = map_layers(layers)
            result = replace(report, layers=full)
            outputs.write("map.html", lambda path: build_html_map(drawn, self_contained=True, places=places, facts=box).save(str(path)))
            outputs.write("report.md", lambda path: path.write_text(report_markdown(result.report), encoding="utf-8"))
            outputs.write("report.json", lambda path: path.write_text(report_json(result.report), encoding="utf-8"))
            outputs.write("report.csv", lambda path: path.write_text(report_csv(result.report), encoding="utf-8"))
            outputs.write("layers.gpkg", lambda path: write_layers(result.layers, path, population=own))
        return result, [out_dir / name for name in BUILD_OUTPUTS]


BUILD_OUTPUTS = ("map.html", "map.png", "report.md", "report.json", "report.csv", "layers.gpkg")


def _write_build_png(drawn: MapLayers, path: Path, places: tuple, facts: Facts | None) -> None:
    """map.png of ``peacemap build``; matplotlib is imported here, in the process that draws it."""
    from peacemap.maps.static import static_map, write_static

    write_static(static_map(drawn, places=places, facts=facts), path, fmt="png", dpi=BUILD_PNG_DPI)


def comparison(plans: Sequence[str | Path], date: DateRequest = None, *, with_claims: bool = False,
               population: PopulationRequest | None = None) -> Comparison:
    """The plans side by side on one control snapshot: ``date``, else the first plan's own date
    (a plan with options as ``plan28+21c-none``), with the official statements beside the figures
    and, with ``population``, the user's population beside the official one."""
    from peacemap.layers.plans.model import load_plan_variant
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.compare import compare_plans
    from peacemap.layers.report.figures import add_own_population, own_source

    own = own_population(population) if population is not None else None
    control = _comparison_control(plans, date)

    def annotate(layers: PlanLayers, report: Report) -> None:
        _add_statements(report, layers, with_claims=with_claims)
        if own is not None:
            add_own_population(report, layers, own)

    compared = compare_plans([str(plan) for plan in plans], control, zone_population, annotate=annotate)
    if own is not None:
        compared["population_own_source"] = own_source(own)  # type: ignore[typeddict-item]
    age = snapshot_age(date if date is not None else load_plan_variant(plans[0]).date, control.as_of, today=_today())
    if age is not None:
        compared["snapshot_age"] = age  # type: ignore[typeddict-item]
    return compared


def comparison_text(compared: Comparison, output_format: str) -> str:
    """A comparison rendered as ``md``, ``csv`` or ``json``."""
    from peacemap.layers.report.compare import comparison_markdown, comparison_rows
    from peacemap.layers.report.records import document_text

    return document_text(compared, output_format, rows=lambda: comparison_rows(compared), markdown=lambda: comparison_markdown(compared))


def write_comparison_map(plans: Sequence[str | Path], date: DateRequest, output: Path) -> Path:
    """An HTML map with one switchable layer per plan (a plan with options as ``plan28+21c-none``),
    on one control snapshot, and a fact box that follows the plan shown (``peacemap compare``'s figures)."""
    from peacemap.layers.plans.apply import apply_plan, build_control_layers
    from peacemap.layers.plans.model import load_plan_variant as load_plan
    from peacemap.maps.compare import comparison_map
    from peacemap.maps.facts import compared_facts
    from peacemap.maps.html import save_html
    from peacemap.maps.prepare import prepare_map_layers

    control_layers = build_control_layers(_comparison_control(plans, date))
    # Zones with their 1 January 2022 population, for the popups.
    drawn = [_with_population(prepare_map_layers(apply_plan(load_plan(plan), control_layers))) for plan in plans]
    compared = comparison(plans, date)  # the figures `peacemap compare` gives, for the fact box
    facts = [compared_facts(entry, compared) for entry in compared["plans"]]
    return save_html(comparison_map(drawn, facts=facts), output)


def _comparison_control(plans: Sequence[str | Path], date: DateRequest):  # noqa: ANN202 - ControlSnapshot
    from peacemap.layers.plans.model import load_plan_variant

    first = load_plan_variant(plans[0])
    return resolve_control(date, default_date=first.date)


def control_comparison(a: ControlSource, b: ControlSource | None = None, *, date: DateRequest = None,
                       plan: str | Path | None = None) -> ControlComparisonResult:
    """Two maps of control side by side (``peacemap control compare``): occupied land per region
    under each, the land only one counts as occupied, and ``plan``'s headline under each.

    ``a`` and ``b`` are control files (as of ``date``, else the plan's own date) or DeepState
    snapshots of their own dates; ``b`` defaults to DeepState's snapshot of ``date`` (else of the
    plan's date). ``plan`` defaults to the 28-point plan.
    """
    from peacemap.layers.plans.model import load_plan
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.control_compare import compare_controls
    from peacemap.layers.sources.requirements import DEFAULT_PLAN

    chosen = load_plan(plan if plan is not None else DEFAULT_PLAN)
    first = resolve_source(a, date, default_date=chosen.date)
    second = resolve_source(b, date, default_date=chosen.date)
    logger.info("comparing %s with %s", first.label, second.label)
    asked = _snapshot_day(date)
    return compare_controls(chosen, first, second, zone_population, date=asked.isoformat() if asked else None)


def control_comparison_text(result: ControlComparisonResult, output_format: str) -> str:
    """A comparison of two maps of control rendered as ``md``, ``csv`` or ``json``."""
    from peacemap.layers.report.control_compare import control_comparison_markdown, control_comparison_rows
    from peacemap.layers.report.records import document_text

    document = result.document
    return document_text(document, output_format, rows=lambda: control_comparison_rows(document),
                         markdown=lambda: control_comparison_markdown(document, plan_title=result.sides[0].plan.title_text()))


def write_control_comparison_map(result: ControlComparisonResult, output: Path, *, self_contained: bool = True) -> Path:
    """A self-contained HTML map of the two lines of contact and the land where A and B disagree,
    with the comparison's table beside it."""
    from peacemap.maps.control_compare import control_comparison_map
    from peacemap.maps.html import save_html

    return save_html(control_comparison_map(result, self_contained=self_contained), output)


def timeline(start: DateRequest = None, end: DateRequest = None, regions: Sequence[str] | None = None, *,
             use_cache: bool = True, progress: Callable[[int, int], None] | None = None) -> Timeline:
    """Occupied km² per region on every day from ``start`` to ``end`` (dates, or 'latest');
    ``progress`` is told (snapshots measured, snapshots to measure) as the work goes on."""
    from peacemap.layers.timeline.table import build_timeline

    return build_timeline(_snapshot_day(start), _snapshot_day(end), [r.upper() for r in regions] if regions else None,
                          use_cache=use_cache, progress=progress)


def timeline_text(result: Timeline, output_format: str) -> str:
    """``result`` as ``csv`` or ``json`` text (what :func:`write_timeline` writes to such a file)."""
    from peacemap.layers.report.records import records_to_csv
    from peacemap.layers.timeline.table import timeline_document, timeline_records

    if output_format == "csv":
        return records_to_csv(timeline_records(result))
    if output_format == "json":
        return json.dumps(timeline_document(result), indent=1, ensure_ascii=False) + "\n"
    raise ValueError(f"'output_format' should be csv or json, got {output_format!r}")


def write_timeline(result: Timeline, output: Path) -> Path:
    """Write ``result`` as CSV, JSON, a self-contained HTML chart or PNG, by ``output``'s suffix."""
    from peacemap.layers.i18n.catalogue import gettext
    from peacemap.layers.i18n.dates import date_range_text
    from peacemap.layers.timeline.table import sources_note

    suffix = output.suffix.lower()
    title = gettext("Occupied land per region, DeepState snapshots %(dates)s") % {"dates": date_range_text(result.first, result.last)}
    if suffix in (".csv", ".json"):
        return atomic_write_text(output, timeline_text(result, suffix.lstrip(".")))
    if suffix == ".html":
        from peacemap.maps.timeline import timeline_html

        return atomic_write_text(output, timeline_html(result, title=title, sources_note=sources_note()))
    if suffix == ".png":
        from peacemap.maps.timeline import timeline_figure

        figure = timeline_figure(result, title=title)
        return atomic_write(output, lambda path: figure.savefig(path, format="png", dpi=120))
    raise ValueError(f"'output' should end in one of {', '.join(TIMELINE_FORMATS)}, got {output.name!r}")


def plan_timeline(plan: str | Path, start: DateRequest = None, end: DateRequest = None, *, options: Sequence[str] = (),
                  use_cache: bool = True, progress: Callable[[int, int], None] | None = None) -> PlanTimeline:
    """``plan``'s headline figures on every DeepState snapshot from ``start`` to ``end`` (dates, or
    'latest'; default: all), each equal to its report's on that date; days without one are gaps."""
    from peacemap.layers.plans.model import load_plan
    from peacemap.layers.timeline.plan import build_plan_timeline

    chosen = load_plan(plan).with_options(tuple(options))
    return build_plan_timeline(chosen, _snapshot_day(start), _snapshot_day(end), use_cache=use_cache, progress=progress)


def plan_timeline_statements(result: PlanTimeline, *, with_claims: bool = False) -> list:
    """The official statements to draw beside ``result``'s figures: those whose area is exactly a
    measure's land in one region under the plan's rules, made within its range
    (:func:`peacemap.layers.report.statement_points.statement_points`)."""
    return _statement_points(result.plan, result.first, result.last, with_claims=with_claims)


def plan_statements(plan: str | Path, start: DateRequest = None, end: DateRequest = None, *, options: Sequence[str] = (),
                    with_claims: bool = False) -> list:
    """What :func:`plan_timeline_statements` gives for ``plan`` from ``start`` to ``end`` (default:
    every snapshot), without measuring a snapshot."""
    from peacemap.layers.plans.model import load_plan
    from peacemap.layers.timeline.table import check_range

    chosen = load_plan(plan).with_options(tuple(options))
    first, last = check_range(_snapshot_day(start), _snapshot_day(end))
    return _statement_points(chosen, first, last, with_claims=with_claims)


def _statement_points(plan, first: dt.date, last: dt.date, *, with_claims: bool) -> list:  # noqa: ANN001 - a Plan
    from peacemap.layers.regions import load_regions
    from peacemap.layers.report.statement_points import cut_by_options, statement_points
    from peacemap.layers.timeline.plan import PLAN_MEASURES

    cut = cut_by_options(plan, load_regions()) if plan.active_options() else frozenset()
    return statement_points(plan, PLAN_MEASURES, first, last, with_claims=with_claims, cut=cut)


def plan_timeline_text(result: PlanTimeline, output_format: str, *, statements: Sequence = ()) -> str:
    """``result`` as ``csv`` or ``json`` text (what :func:`write_plan_timeline` writes to such a
    file), with ``statements`` (:func:`plan_timeline_statements`) as dated points: rows with status
    ``statement`` in the CSV, ``statements`` in the JSON."""
    from peacemap.layers.report import statement_points
    from peacemap.layers.report.records import records_to_csv
    from peacemap.layers.timeline.plan import plan_timeline_document, plan_timeline_records

    if output_format == "csv":
        return records_to_csv(statement_points.csv_rows(plan_timeline_records(result), statements))
    if output_format == "json":
        from peacemap.layers.i18n.catalogue import gettext

        document = {**plan_timeline_document(result), "statements_note": gettext(statement_points.NOTE), "statements": list(statements)}
        return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    raise ValueError(f"'output_format' should be csv or json, got {output_format!r}")


def write_plan_timeline(result: PlanTimeline, output: Path, *, statements: Sequence = ()) -> Path:
    """Write ``result`` as CSV, JSON, a self-contained HTML chart or PNG, by ``output``'s suffix,
    with ``statements`` (:func:`plan_timeline_statements`) as dated points (dots in the charts)."""
    from peacemap.layers.timeline.plan import plan_sources_note

    suffix = output.suffix.lower()
    if suffix in (".csv", ".json"):
        return atomic_write_text(output, plan_timeline_text(result, suffix.lstrip("."), statements=statements))
    if suffix == ".html":
        from peacemap.maps.plan_timeline import plan_timeline_html

        return atomic_write_text(output, plan_timeline_html(result, sources_note=plan_sources_note(result), statements=statements))
    if suffix == ".png":
        from peacemap.maps.plan_timeline import plan_timeline_figure

        figure = plan_timeline_figure(result, statements)
        return atomic_write(output, lambda path: figure.savefig(path, format="png", dpi=120))
    raise ValueError(f"'output' should end in one of {', '.join(TIMELINE_FORMATS)}, got {output.name!r}")


def animation(plan: str | Path, start: DateRequest, end: DateRequest, *, every_days: int = 7, options: Sequence[str] = (),
              progress: Callable[[int, int], None] | None = None, workers: int | None = None) -> Animation:
    """The frames of ``plan``'s animated map: one every ``every_days`` days from ``start`` to
    ``end`` (dates or 'latest', inclusive; ``end`` is always the last frame, however far from
    the one before it), on DeepState's snapshot of each date.

    A date without a snapshot is a gap (never interpolated). Each frame is the plan's zones and
    line of contact on its date, and the report's km² and 1 January 2022 population of the
    demilitarised zone and of the land given up beyond the line (:func:`plan_headline`, as
    ``peacemap report`` gives them). Frames are computed in batches on ``workers`` processes
    (default: up to one per CPU; :func:`peacemap.layers.timeline.parallel.measure_days`);
    ``progress`` is told (frames done, frames in all) as they are, else progress is logged.
    """
    from peacemap.layers.sources import registry
    from peacemap.layers.sources.cache import not_storing
    from peacemap.layers.timeline.table import check_range
    from peacemap.maps.animation import Animation

    if every_days < 1:
        raise ValueError(f"'every_days' should be a whole number of days, at least 1, got {every_days}")
    first_day, last_day = check_range(_snapshot_day(start), _snapshot_day(end))
    days = animation_days(first_day, last_day, every_days)
    available = set(registry.deepstate_dates())
    drawn_days = [day for day in days if day in available]
    if not drawn_days:
        from peacemap.layers.errors import SnapshotDateError

        raise SnapshotDateError(f"no DeepState snapshot on any of the {len(days)} date(s) from {first_day} to {last_day} "
                                f"every {every_days} day(s); pick another range or step")
    frame_of = _animation_frame_maker(plan, tuple(options))
    with not_storing(*ANIMATION_UNSTORED):
        first_layers, first_frame = frame_of.layers_and_frame(drawn_days[0])  # here: it also loads what the workers then inherit
        result = Animation(first=first_layers, every_days=every_days)
        frames = _animation_frames(frame_of, drawn_days, first_frame, progress, workers)
        for day in days:
            if day in available:
                result.add(next(frames))
            else:
                result.add_gap(day)
    logger.info("animation: %d frame(s) from %s to %s, %d without a snapshot", len(days), first_day, last_day, len(days) - len(drawn_days))
    return result


def animation_days(first: dt.date, last: dt.date, every_days: int) -> list[dt.date]:
    """The dates of an animation's frames: every ``every_days`` days from ``first``, and ``last``
    (the range's end is shown, the day a plan was handed over say, however near the one before)."""
    days = [first + dt.timedelta(days=n) for n in range(0, (last - first).days + 1, every_days)]
    return days if days[-1] == last else [*days, last]


def write_animation(result: Animation, output: Path, *, self_contained: bool = True, tiles: bool = True, facts: bool = True) -> Path:
    """Write ``result`` as one HTML file (Leaflet inlined unless ``self_contained`` is False), with
    each frame's fact box unless ``facts`` is False."""
    from peacemap.maps.animation import animation_map
    from peacemap.maps.html import save_html

    return save_html(animation_map(result, self_contained=self_contained, tiles=tiles, facts=facts), output)


ANIMATION_BATCH = 120  # frames computed together: their outlines (about 1 MB each) are kept until encoded
ANIMATION_LOG_EVERY = 50  # frames between progress log lines when there is no progress bar


def _animation_frame_maker(plan: str | Path, options: tuple[str, ...]) -> AnimationFrame:
    """A measure: the frame of ``plan`` on a snapshot date (and its simplified layers)."""
    from peacemap.layers.i18n.language import current_language
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import RegionPopulationMemo

    # regions the line does not cross are estimated once; the frames' texts in the language being written
    return AnimationFrame(plan, options, RegionPopulationMemo(zone_population), current_language())


# A frame's control split and simplified outlines would add 3 MB a date to the cache, for a map
# written once.
ANIMATION_UNSTORED = ("control", "simplified-coverage")


@dataclass
class AnimationFrame:
    """The frame of ``plan`` (with ``options``) on a snapshot date, its population estimated with
    ``population`` and its readout written in ``lang``; called, as a measure of
    :func:`peacemap.layers.timeline.parallel.measure_days`, it gives the frame alone, quietly
    (picklable, for spawned workers, which do not inherit the language being written)."""

    plan: str | Path
    options: tuple[str, ...]
    population: Callable
    lang: str = "en"

    def layers_and_frame(self, day: dt.date) -> tuple[MapLayers, FrameDrawing]:
        """The simplified layers and the frame on ``day``."""
        from peacemap.layers.i18n.language import writing_in
        from peacemap.layers.report.figures import plan_headline, zones_with_population
        from peacemap.maps.animation import frame_drawing
        from peacemap.maps.prepare import prepare_map_layers

        with writing_in(self.lang):
            layers = plan_layers(self.plan, day, options=self.options)
            # The zones' own figures, for their popups: estimated on the full-resolution zones (as
            # the headline is, from the same memo), given to the drawn ones.
            drawn = prepare_map_layers(layers)
            drawn = replace(drawn, zones=zones_with_population(drawn.zones, lambda _: self.population(layers.zones)))
            return drawn, frame_drawing(drawn, plan_headline(layers, self.population), day)

    def __call__(self, day: dt.date) -> FrameDrawing:
        from peacemap.layers.sources.cache import not_storing
        from peacemap.layers.timeline.parallel import quiet_logs

        with quiet_logs(), not_storing(*ANIMATION_UNSTORED):
            return self.layers_and_frame(day)[1]


def _animation_frames(frame_of: Callable[[dt.date], FrameDrawing], days: list[dt.date], first: FrameDrawing,
                      progress: Callable[[int, int], None] | None, workers: int | None) -> Iterator[FrameDrawing]:
    """The frames of ``days`` in order (``first`` is the first's, already computed), the others
    computed in parallel batches of :data:`ANIMATION_BATCH`."""
    from peacemap.layers.timeline.parallel import measure_days

    def tell(done: int) -> None:
        if progress is not None:
            progress(done, len(days))
        elif done % ANIMATION_LOG_EVERY == 0 or done == len(days):
            logger.info("animation: %d of %d frames built", done, len(days))

    tell(1)
    yield first
    for offset in range(1, len(days), ANIMATION_BATCH):
        batch = days[offset:offset + ANIMATION_BATCH]

        def told(done: int, _total: int, at: int = offset) -> None:
            tell(at + done)

        yield from measure_days(frame_of, batch, workers=workers, days_per_worker=10, progress=told, what="frames")


def _snapshot_day(day: DateRequest) -> dt.date | None:
    """``day``, with 'latest' made the newest DeepState snapshot's date."""
    if day == LATEST:
        from peacemap.layers.sources import registry

        return registry.deepstate_dates()[-1]
    if isinstance(day, str):
        return dt.date.fromisoformat(day)
    return day
