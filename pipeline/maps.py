"""The map use cases: a plan's layers made ready to draw (simplified, with population and the
hromada territories), its fact box, and the maps themselves: one plan (HTML or static), several
plans on one line, two maps of control."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from peacemap.pipeline.plan import with_hromadas
from peacemap.pipeline.report import report_of
from peacemap.pipeline.request import DateRequest

if TYPE_CHECKING:
    import folium

    from peacemap.layers.plans.apply import PlanLayers
    from peacemap.layers.report.control_compare import ControlComparisonResult
    from peacemap.maps.facts import Facts
    from peacemap.maps.prepare import MapLayers

logger = logging.getLogger(__name__)

MAP_FORMATS = ("html", "png", "svg", "pdf")
BUILD_PNG_DPI = 200


def map_layers(layers: PlanLayers, *, prepared: MapLayers | None = None) -> MapLayers:
    """``layers`` simplified for drawing, zones carrying their 2022 population (for popups), with
    the hromada territories; ``prepared``: ``layers`` already simplified
    (:func:`peacemap.maps.prepare.prepare_map_layers`), to be completed rather than simplified again."""
    from peacemap.maps.prepare import prepare_map_layers

    full = with_hromadas(layers)
    drawn = prepare_map_layers(full) if prepared is None else replace(prepared, layers=full)
    return with_population(drawn)


def with_population(drawn: MapLayers) -> MapLayers:
    """``drawn`` with the 2022 population of its zones (estimated on the full-resolution ones) in
    both its drawn and its full-resolution zones."""
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import zones_with_population

    logger.info("estimating 2022 population of %d zones", len(drawn.layers.zones))
    populations = zone_population(drawn.layers.zones)
    return replace(
        drawn,
        zones=zones_with_population(drawn.zones, lambda _: populations),
        layers=replace(drawn.layers, zones=zones_with_population(drawn.layers.zones, lambda _: populations)),
    )


def map_facts(layers: PlanLayers) -> Facts:
    """The fact box of ``layers``' map, from the report ``peacemap report`` gives of them (the same
    figures, readings and, where the report has them, statements)."""
    from peacemap.maps.facts import report_facts

    return report_facts(report_of(layers).document)


def html_map(layers: PlanLayers, *, self_contained: bool = True, tiles: bool = True, facts: bool = True) -> folium.Map:
    """An interactive map of ``layers`` (folium), with the fact box of their report unless ``facts`` is False."""
    from peacemap.maps.html import build_html_map

    box = map_facts(layers) if facts else None
    return build_html_map(map_layers(layers), self_contained=self_contained, tiles=tiles, facts=box)


def write_comparison_map(plans: Sequence[str | Path], date: DateRequest, output: Path) -> Path:
    """An HTML map with one switchable layer per plan (a plan with options as ``plan28+21c-none``),
    on one control snapshot, and a fact box that follows the plan shown (``peacemap compare``'s figures)."""
    from peacemap.layers.plans.apply import apply_plan, build_control_layers
    from peacemap.layers.plans.model import load_plan_variant as load_plan
    from peacemap.maps.compare import comparison_map
    from peacemap.maps.facts import compared_facts
    from peacemap.maps.html import save_html
    from peacemap.maps.prepare import prepare_map_layers
    from peacemap.pipeline.compare import comparison, comparison_control

    control_layers = build_control_layers(comparison_control(plans, date))
    # Zones with their 1 January 2022 population, for the popups.
    drawn = [with_population(prepare_map_layers(apply_plan(load_plan(plan), control_layers))) for plan in plans]
    compared = comparison(plans, date)  # the figures `peacemap compare` gives, for the fact box
    facts = [compared_facts(entry, compared) for entry in compared["plans"]]
    return save_html(comparison_map(drawn, facts=facts), output)


def write_control_comparison_map(result: ControlComparisonResult, output: Path, *, self_contained: bool = True) -> Path:
    """A self-contained HTML map of the two lines of contact and the land where A and B disagree,
    with the comparison's table beside it."""
    from peacemap.maps.control_compare import control_comparison_map
    from peacemap.maps.html import save_html

    return save_html(control_comparison_map(result, self_contained=self_contained), output)
