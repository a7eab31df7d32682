"""The report use case: a plan's report (area and 1 January 2022 population per region and
status, headline, places, the line's sensitivity, statements beside the figures, the user's own
population), assembled here and nowhere else, and the places of each zone."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from peacemap.pipeline.plan import request_layers, request_population
from peacemap.pipeline.request import ControlRequest, DateRequest, PopulationRequest, Request, writing_in

if TYPE_CHECKING:
    import pandas as pd

    from peacemap.layers.plans.apply import PlanLayers
    from peacemap.layers.population.own import OwnPopulation
    from peacemap.layers.report.contract import Places
    from peacemap.layers.report.contract import Report as ReportDocument

logger = logging.getLogger(__name__)

PEOPLE_COLUMNS = ("population_2022", "population_2022_low", "population_2022_high")


@dataclass(frozen=True)
class Report:
    """A plan's report: area and 1 January 2022 population per region and status, headline figures,
    sources and dates, and the plan's layers it was made of. ``to_dict()`` is the JSON contract
    (docs/reference/outputs.md); its labels, and every rendering, are in ``lang`` (``en`` or
    ``uk``)."""

    layers: PlanLayers
    document: ReportDocument
    lang: str = "en"

    @property
    def report(self) -> ReportDocument:
        """The report as the JSON contract: :attr:`document` (the name the pipeline's callers use)."""
        return self.document

    def to_dict(self) -> ReportDocument:
        """The report as the JSON contract (a dict of plain values)."""
        return self.document

    def to_frame(self) -> pd.DataFrame:
        """One row per region and status: ``region``, ``region_name``, ``combined`` (the Crimea row
        that repeats its two units), ``status``, ``side_after``, ``recognition``, ``area_km2``,
        ``share_of_region_pct``, ``population_2022`` and its band (persons, nullable ``Int64``:
        ``<NA>`` where not available)."""
        import pandas as pd

        rows = [
            {
                "region": region["code"],
                "region_name": region["name"],
                "combined": region["combined"],
                "status": zone["status"],
                "side_after": zone["side_after"],
                "recognition": zone["recognition"],
                "area_km2": zone["area_km2"],
                "share_of_region_pct": zone["share_of_region_pct"],
                "population_2022": zone["population_2022"],
                "population_2022_low": zone["population_2022_low"],
                "population_2022_high": zone["population_2022_high"],
            }
            for region in self.document["regions"]
            for zone in region["zones"]
        ]
        return people_as_int64(pd.DataFrame(rows))

    def to_markdown(self) -> str:
        """The report as Markdown: headline fact box, per-region table, sources and caveats."""
        from peacemap.layers.report.render import report_markdown

        with writing_in(self.lang):
            return report_markdown(self.document)

    def to_csv(self) -> str:
        """The report as CSV, one row per region and status."""
        from peacemap.layers.report.render import report_csv

        with writing_in(self.lang):
            return report_csv(self.document)

    def to_json(self) -> str:
        """The report as indented JSON."""
        from peacemap.layers.report.render import report_json

        return report_json(self.document)

    def headline_text(self) -> str:
        """The headline figures as ``peacemap build`` prints them, one line each."""
        from peacemap.layers.report.render import headline_lines

        with writing_in(self.lang):
            return "".join(f"{line}\n" for line in headline_lines(self.document))

    def _repr_markdown_(self) -> str:  # Jupyter shows the fact box
        return self.to_markdown()


def people_as_int64(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its population columns as nullable ``Int64`` (persons; ``<NA>`` where not
    available, on a gap day or for AR Crimea and Sevastopol), the one dtype of every frame."""
    for column in PEOPLE_COLUMNS:
        frame[column] = frame[column].astype("Float64").astype("Int64")
    return frame


def report_of(layers: PlanLayers, *, with_claims: bool = False, population: OwnPopulation | None = None) -> Report:
    """The report of ``layers``, with 1 January 2022 population, the largest towns of each zone,
    the places on the line of contact and the official statements of people remaining beside the
    figures (occupying-power claims too, labelled, with ``with_claims``); with ``population``, the
    user's population beside the official one; in the language being written (:func:`writing_in`)."""
    from peacemap.layers.i18n.language import current_language
    from peacemap.layers.population.model import model_settlements, zone_population
    from peacemap.layers.population.territories import hromada_territories
    from peacemap.layers.report.figures import build_report
    from peacemap.layers.report.places import report_places
    from peacemap.layers.report.sensitivity import line_sensitivity

    logger.info("estimating 2022 population by region, status and control")
    territories = hromada_territories().frame
    report = build_report(
        layers,
        zone_population,
        places=report_places(layers, model_settlements(), territories),
        line_sensitivity=line_sensitivity(layers, model_settlements(), territories),
    )
    add_statements(report, layers, with_claims=with_claims)
    if population is not None:
        from peacemap.layers.report.figures import add_own_population

        add_own_population(report, layers, population)
    return Report(layers=layers, document=report, lang=current_language())


def add_statements(report: ReportDocument, layers: PlanLayers, *, with_claims: bool) -> None:
    """The official statements beside ``report``'s figures (:mod:`peacemap.layers.report.beside`)."""
    from peacemap.layers.population.settlements import located_settlements
    from peacemap.layers.population.territories import hromada_territories
    from peacemap.layers.report.beside import add_statements as add
    from peacemap.layers.report.beside import statements_beside

    found = statements_beside(layers, hromada_territories().frame, located_settlements(), with_claims=with_claims)
    add(report, found, on_or_before=layers.control.as_of, with_claims=with_claims)


def request_report(request: Request) -> Report:
    """The report of ``request``: its plan layers and their report (:func:`report_of`). A
    population file is read and checked before any other work. In ``request.lang``."""
    with writing_in(request.lang):
        own = request_population(request)
        return report_of(request_layers(request), with_claims=request.with_claims, population=own)


def request_places(request: Request, *, status: str | None = None, region: str | None = None) -> Places:
    """Every hromada with land in each zone of ``request``'s plan and every city and town in it
    (optionally one status and/or one region), each with its latest official statement on or
    before the snapshot's date where it has one: the "Places" contract, in ``request.lang``."""
    with writing_in(request.lang):
        return _request_places(request, status=status, region=region)


def _request_places(request: Request, *, status: str | None, region: str | None) -> Places:
    """:func:`request_places` in the language being written."""
    from peacemap.layers.population.model import population_model
    from peacemap.layers.population.settlements import located_settlements
    from peacemap.layers.population.territories import hromada_territories
    from peacemap.layers.report.beside import beside_note, place_statements
    from peacemap.layers.report.places import PlaceStatements, build_places

    own = request_population(request)
    layers = request_layers(request)
    logger.info("listing the hromadas, cities and towns of each zone")
    statements = None
    if layers.control.as_of is not None:
        hromadas, towns = place_statements(
            hromada_territories().frame, located_settlements(), on_or_before=layers.control.as_of, with_claims=request.with_claims
        )
        note = {key: value for key, value in beside_note(layers.control.as_of, request.with_claims, {}).items() if key != "cited"}
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
    return statements_of_zones(layers.zones, hromada_territories().frame, located_settlements(), on_or_before=layers.control.as_of, with_claims=with_claims)


def places_text(result: Places, output_format: str) -> str:
    """Places rendered as ``md``, ``csv`` or ``json``."""
    from peacemap.layers.report.places import places_markdown, places_records
    from peacemap.layers.report.records import document_text

    return document_text(result, output_format, rows=lambda: places_records(result), markdown=lambda: places_markdown(result))


def plan_report(
    plan: str | Path,
    date: DateRequest = None,
    *,
    options: Sequence[str] = (),
    control: ControlRequest = None,
    with_claims: bool = False,
    population: PopulationRequest | None = None,
    lang: str | None = None,
) -> Report:
    """:func:`request_report` of the request these arguments make (:meth:`Request.of`)."""
    return request_report(Request.of(plan, date, options=options, control=control, population=population, with_claims=with_claims, lang=lang))


def places(
    plan: str | Path,
    date: DateRequest = None,
    *,
    options: Sequence[str] = (),
    control: ControlRequest = None,
    status: str | None = None,
    region: str | None = None,
    with_claims: bool = False,
    population: PopulationRequest | None = None,
) -> Places:
    """:func:`request_places` of the request these arguments make (:meth:`Request.of`)."""
    request = Request.of(plan, date, options=options, control=control, population=population, with_claims=with_claims)
    return request_places(request, status=status, region=region)
