"""The plan on a line of contact: a :class:`~peacemap.pipeline.request.Request` made into plan
layers (zones, line of contact, regions), with the snapshot's age where a reader may take it for
newer, the hromada territories and the user's own population where asked."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from peacemap.layers.control.resolve import LATEST, resolve_control
from peacemap.pipeline.request import ControlRequest, DateRequest, Request

if TYPE_CHECKING:
    from peacemap.layers.plans.apply import PlanLayers
    from peacemap.layers.plans.model import Plan
    from peacemap.layers.population.own import OwnPopulation
    from peacemap.layers.population.request import PopulationRequest
    from peacemap.layers.sources.registry import Source

logger = logging.getLogger(__name__)

# A line of contact more than this many days older than the date asked for is named, with its age.
STALE_AFTER_DAYS = 14


def build_sources() -> list[Source]:
    """The registry sources ``peacemap build`` reads with its defaults (``peacemap data status``)."""
    from peacemap.layers.plans.model import load_plan
    from peacemap.layers.sources.requirements import DEFAULT_PLAN, default_build_sources

    return default_build_sources(load_plan(DEFAULT_PLAN).date)


def chosen_plan(plan: str | Path, options: Sequence[str] = ()) -> Plan:
    """``plan`` (a built-in id or a TOML file) with ``options`` switched on."""
    from peacemap.layers.plans.model import load_plan

    return load_plan(plan).with_options(tuple(options))


def plan_layers(plan: str | Path, date: DateRequest = None, *, options: Sequence[str] = (), control: ControlRequest = None) -> PlanLayers:
    """Zones, line of contact and regions of ``plan`` (built-in id or TOML file) with ``options``
    switched on, on ``date`` (see :func:`peacemap.layers.control.resolve.resolve_control`)."""
    from peacemap.layers.plans.apply import build_plan_layers

    chosen = chosen_plan(plan, options)
    snapshot = resolve_control(date, control, default_date=chosen.date)
    layers = build_plan_layers(chosen, snapshot)
    age = snapshot_age(date if date is not None else chosen.date, snapshot.as_of, today=today())
    return replace(layers, snapshot_age=age) if age is not None else layers


def request_layers(request: Request) -> PlanLayers:
    """:func:`plan_layers` of ``request``'s plan, date, options and control."""
    return plan_layers(request.plan, request.date, options=request.options, control=request.control)


def today() -> dt.date:
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
    logger.warning(
        "%s: the line of contact is DeepState's snapshot of %s, %d days old on %s, the date of this run",
        asked,
        snapshot.isoformat(),
        age_days,
        today.isoformat(),
    )
    return {"snapshot": snapshot.isoformat(), "requested": LATEST if latest else str(requested), "age_days": age_days, "counted_on": today.isoformat()}


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
    return placed(
        file, label=label, date=request.date, model=population_model, settlements=located_settlements, regions=load_regions(), hromada_codes=hromada_katotth
    )


def request_population(request: Request) -> OwnPopulation | None:
    """The user's population of ``request``, read and checked (None without one): before any other work."""
    return own_population(request.population) if request.population is not None else None


def with_hromadas(layers: PlanLayers) -> PlanLayers:
    """``layers`` with the hromada territories (and the statuses of each one's land) added."""
    if layers.hromadas is not None:
        return layers
    from peacemap.layers.population.territories import hromada_territories
    from peacemap.layers.report.places import hromada_layer

    return replace(layers, hromadas=hromada_layer(hromada_territories().frame, layers))


def with_own_population(layers: PlanLayers, population: OwnPopulation) -> tuple[PlanLayers, dict[str, str]]:
    """``layers`` whose zones carry the user's population (``population_own``, ``_low``, ``_high``;
    null where the file does not cover the region), and the facts that name it."""
    from peacemap.layers.report.figures import OWN_KEYS, own_source

    figures = population.zone_population(layers.zones)
    zones = layers.zones.copy()
    for key, column in zip(OWN_KEYS, figures.columns):
        zones.insert(len(zones.columns) - 1, key, figures[column].astype("Float64").astype("Int64"))
    source = own_source(population)
    facts = {
        f"population_own_{key}": (", ".join(value) if isinstance(value, list) else str(value))
        for key, value in source.items()
        if key in ("label", "date", "file", "sha256", "kind", "method", "regions")
    }
    return replace(layers, zones=zones), facts


def request_layers_with_population(request: Request) -> PlanLayers:
    """:func:`request_layers`, whose zones carry the user's population too where ``request`` has
    one (:func:`with_own_population`); the population file is read and checked first."""
    own = request_population(request)
    layers = request_layers(request)
    return with_own_population(layers, own)[0] if own is not None else layers
