"""peacemap's Python API, for notebooks and scripts: one call, a familiar object back.

>>> import peacemap
>>> layers = peacemap.plan_layers("plan28", "2025-11-20")      # doctest: +SKIP
>>> layers.zones                                               # a GeoDataFrame, EPSG:4326

Plans are built-in ids (``"plan28"``) or plan files (``str`` or :class:`pathlib.Path`); dates
are :class:`datetime.date`, ISO strings (``"2025-11-20"``) or ``"latest"``; ``lang`` is the
language of the texts for people (``"en"`` or ``"uk"``; default ``PEACEMAP_LANG``, else English:
labels, names, figures and dates, never JSON keys or ids); ``options`` is an option id or a
list of them; ``regions`` a region code (``"UA-14"``) or a list of them; ``control`` is the
occupied territory in place of DeepState: a file of polygons, or a GeoDataFrame, a GeoSeries (in
the CRS they declare) or a shapely geometry (EPSG:4326), checked as a control file is. Failures
raise the exceptions the command line reports in one line (:class:`peacemap.PeacemapError` and its subclasses; an argument of the wrong type or value,
:class:`peacemap.ArgumentError`, is also a TypeError and a ValueError). The command line is
built on the same pipeline (:mod:`peacemap.pipeline`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peacemap import pipeline
from peacemap.layers.errors import ArgumentError
from peacemap.pipeline.report import Report
from peacemap.pipeline.request import (
    DateLike,
    OptionsLike,
    PlanRef,
    PopulationLike,
    Request,
    normal_date,
    normal_flag,
    normal_lang,
    normal_options,
    normal_plan,
    normal_regions,
    shown,
    writing_in,
)

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    import pandas as pd

    from peacemap.layers.plans.apply import PlanLayers
    from peacemap.pipeline.request import ControlLike, RegionsLike

__all__ = ["Report", "plan_layers", "plan_map", "plan_statements", "plan_timeline", "plans", "regions", "report", "timeline"]


def plans(*, lang: str | None = None) -> pd.DataFrame:
    """The plans peacemap ships: one row each with ``id``, ``title`` (in ``lang``), ``date`` (the
    date of the line of contact it is drawn on by default), ``text_date`` (the date of its text:
    russia-max's demand of 2024-06-14; None where a plan has no dated text, as the freeze
    baseline), ``has_text`` and ``source``. Dates are :class:`datetime.date`."""
    with writing_in(normal_lang(lang)):
        return pipeline.plans_frame()


def plan_layers(
    plan: PlanRef,
    date: DateLike = None,
    *,
    options: OptionsLike = (),
    control: ControlLike = None,
    population: PopulationLike = None,
    population_label: str | None = None,
    population_date: DateLike = None,
) -> PlanLayers:
    """What ``plan`` makes of the map on ``date`` (default: the plan's own date).

    Returns an object with the GeoDataFrames ``zones`` (region, control, status, provision,
    area_km2 geodesic), ``contact_line`` and ``regions``, all in EPSG:4326, and the ``plan`` and
    ``control`` they come from. With ``population`` (see :func:`report`), the zones carry your
    population too (``population_own`` and its band, nullable ``Int64``).
    """
    request = Request.of(
        plan, date, options=options, control=control, population=population, population_label=population_label, population_date=population_date
    )
    return pipeline.request_layers_with_population(request)


def report(
    plan: PlanRef,
    date: DateLike = None,
    *,
    options: OptionsLike = (),
    control: ControlLike = None,
    with_claims: bool = False,
    population: PopulationLike = None,
    population_label: str | None = None,
    population_date: DateLike = None,
    lang: str | None = None,
) -> Report:
    """The report of ``plan`` on ``date``: see :class:`Report`. Beside its figures it gives the
    latest official statement of people remaining in their land where there is one; with
    ``with_claims``, the occupying power's claims too, labelled as such. ``population`` (a file:
    docs/howto/own-population.md), with ``population_date`` (the date its counts stand for) and
    ``population_label``, adds a population of your own beside the official one. Its labels and
    renderings are in ``lang``."""
    request = Request.of(
        plan,
        date,
        options=options,
        control=control,
        population=population,
        population_label=population_label,
        population_date=population_date,
        with_claims=with_claims,
        lang=lang,
    )
    return pipeline.request_report(request)


def plan_map(
    plan: PlanRef,
    date: DateLike = None,
    *,
    options: OptionsLike = (),
    control: ControlLike = None,
    self_contained: bool = True,
    tiles: bool = True,
    facts: bool = True,
    lang: str | None = None,
) -> folium.Map:
    """An interactive map of ``plan`` on ``date``: a ``folium.Map`` that displays inline in Jupyter
    and stays self-contained when saved (``.save("map.html")``), with the fact box of the plan's
    report (key figures, readings, sources and a citation) unless ``facts`` is False; in ``lang``."""
    if not isinstance(facts, bool):
        raise ArgumentError(f"'facts' should be True or False, got {shown(facts)}")
    with writing_in(normal_lang(lang)):
        layers = plan_layers(plan, date, options=options, control=control)
        return pipeline.html_map(layers, self_contained=self_contained, tiles=tiles, facts=facts)


def timeline(start: DateLike = None, end: DateLike = None, regions: RegionsLike = None, *, use_cache: bool = True) -> pd.DataFrame:
    """Occupied km² per region and day from ``start`` to ``end`` (default: every snapshot): one row
    per day and region of ``regions`` (a code such as ``"UA-14"`` or a list; default: all), as
    ``peacemap timeline`` writes it (gaps are rows with status 'gap')."""
    return pipeline.timeline(normal_date(start), normal_date(end), normal_regions(regions), use_cache=use_cache).table


def plan_timeline(plan: PlanRef, start: DateLike = None, end: DateLike = None, *, options: OptionsLike = (), use_cache: bool = True) -> pd.DataFrame:
    """``plan``'s headline figures on every day from ``start`` to ``end`` (default: every snapshot):
    one row per day and measure (km², 1 January 2022 population and band as nullable ``Int64``),
    as ``peacemap timeline --plan`` writes it, with ``date`` as :class:`datetime.date` (as in
    :func:`timeline`); each day's figures are its report's, and days without a snapshot are rows
    with status 'gap' and ``<NA>`` figures. A cold run costs about a second per snapshot and core."""
    result = pipeline.plan_timeline(normal_plan(plan), normal_date(start), normal_date(end), options=normal_options(options), use_cache=use_cache)
    return pipeline.plan_timeline_frame(result)


def plan_statements(plan: PlanRef, start: DateLike = None, end: DateLike = None, *, options: OptionsLike = (), with_claims: bool = False) -> pd.DataFrame:
    """The official statements of people remaining that ``peacemap timeline --plan`` draws beside
    ``plan``'s figures from ``start`` to ``end`` (default: every snapshot): one row per statement and
    measure whose land in one region is exactly the statement's area under the plan's rules
    (``date`` as :class:`datetime.date`, the day it was made; ``figure`` in persons). Never part of
    a figure; with ``with_claims``, the occupying power's claims too (``claim`` true). Cheap: no
    snapshot is measured."""
    points = pipeline.plan_statements(
        normal_plan(plan), normal_date(start), normal_date(end), options=normal_options(options), with_claims=normal_flag(with_claims)
    )
    return pipeline.plan_statements_frame(points)


def regions() -> gpd.GeoDataFrame:
    """Ukraine's 27 first-level units (and Crimea with Sevastopol) as land, EPSG:4326: ``code``
    (ISO 3166-2), ``name``, ``area_km2`` (geodesic), ``official_area_km2``, ``deviation_pct``."""
    return pipeline.regions()
