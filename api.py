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
the CRS they declare) or a shapely geometry (EPSG:4326), checked as a control file is. Failures raise the exceptions the command line reports in one line
(:class:`peacemap.PeacemapError` and its subclasses; an argument of the wrong type or value,
:class:`peacemap.ArgumentError`, is also a TypeError and a ValueError). The command line is
built on the same pipeline (:mod:`peacemap.pipeline`).
"""

from __future__ import annotations

import datetime as dt
import os
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from peacemap import pipeline
from peacemap.layers.control.resolve import LATEST, ControlData, ControlFile
from peacemap.layers.errors import ArgumentError

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry.base import BaseGeometry

    from peacemap.layers.plans.apply import PlanLayers
    from peacemap.layers.population.request import PopulationRequest
    from peacemap.layers.report.contract import Report as ReportDict

    # A control file, or the occupied territory itself: a GeoDataFrame or GeoSeries (any declared
    # CRS) or a shapely geometry (EPSG:4326).
    ControlLike: TypeAlias = str | Path | ControlFile | gpd.GeoDataFrame | gpd.GeoSeries | BaseGeometry | None

PlanRef = str | Path
DateLike = dt.date | str | None
OptionsLike = str | Iterable[str]
RegionsLike = str | Iterable[str] | None


def _date(date: DateLike) -> dt.date | str | None:
    """``date`` as the pipeline takes it: a date, 'latest' or None; PeacemapError for anything else."""
    if date is None or isinstance(date, dt.date):
        return date.date() if isinstance(date, dt.datetime) else date
    if isinstance(date, str):
        if date.strip().lower() == LATEST:
            return LATEST
        try:
            return dt.date.fromisoformat(date.strip())
        except ValueError:
            pass
    raise ArgumentError(f"'date' should be a datetime.date, an ISO date such as '2025-11-20' or 'latest', got {_shown(date)}")


_SHOW = reprlib.Repr()
_SHOW.maxstring = _SHOW.maxother = 60


def _shown(value: object) -> str:
    """``value`` as an error message quotes it: a short repr and its type."""
    return f"{_SHOW.repr(value)} ({type(value).__name__})"


def _plan(plan: PlanRef) -> PlanRef:
    """``plan`` if it is a plan id or a path; ArgumentError otherwise."""
    if isinstance(plan, (str, os.PathLike)):
        return plan  # a PathLike other than Path: load_plan takes it as a path
    raise ArgumentError(f"'plan' should be a built-in plan id such as 'plan28' or the path of a plan file "
                        f"(str or pathlib.Path), got {_shown(plan)}")


def _options(options: OptionsLike | None) -> tuple[str, ...]:
    """``options`` as a tuple of option ids: one id (a str) is one option, not its letters."""
    if options is None:
        return ()
    if isinstance(options, str):
        return (options,)
    if isinstance(options, Iterable) and not isinstance(options, (bytes, dict)):
        chosen = tuple(options)
        if all(isinstance(option, str) for option in chosen):
            return chosen
    raise ArgumentError(f"'options' should be an option id (str) or a list of them, such as ['donetsk-zone'], got {_shown(options)}")


def _regions(regions: RegionsLike) -> list[str] | None:
    """``regions`` as a list of known region codes (upper-cased): one code (a str) is one region."""
    from peacemap.layers.sources.codes import REGION_NAMES

    if regions is None:
        return None
    chosen = [regions] if isinstance(regions, str) else list(regions) if isinstance(regions, Iterable) and not isinstance(regions, bytes) else None
    if chosen is None or not all(isinstance(code, str) for code in chosen):
        raise ArgumentError(f"'regions' should be a region code (ISO 3166-2, such as 'UA-14') or a list of them, got {_shown(regions)}")
    unknown = [code for code in chosen if code.strip().upper() not in REGION_NAMES]
    if unknown:
        raise ArgumentError(f"'regions' should be ISO 3166-2 codes of Ukraine's regions ({', '.join(sorted(REGION_NAMES))}), "
                            f"got {', '.join(_SHOW.repr(code) for code in unknown[:5])}")
    return [code.strip().upper() for code in chosen]


def _control(control: ControlLike) -> Path | ControlFile | ControlData | None:
    """``control`` as the pipeline takes it: a control file's path, or the map itself (ControlData)."""
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

    if control is None or isinstance(control, ControlFile):
        return control
    if isinstance(control, (str, os.PathLike)):
        return Path(control)
    if isinstance(control, (gpd.GeoDataFrame, gpd.GeoSeries, BaseGeometry)):
        return ControlData(control)
    raise ArgumentError(f"'control' should be the path of a control file (str or pathlib.Path), or the occupied territory as a "
                        f"GeoDataFrame, a GeoSeries or a shapely geometry in EPSG:4326, got {_shown(control)}")


def _flag(value: object, name: str = "with_claims") -> bool:
    """``value`` as a boolean option; ArgumentError for anything but True or False."""
    if not isinstance(value, bool):
        raise ArgumentError(f"{name!r} should be True or False, got {_shown(value)}")
    return value


def _population(population: str | Path | PopulationRequest | None, label: str | None, date: DateLike) -> PopulationRequest | None:
    """The population request the arguments make; ArgumentError for a date or label without a file,
    or a file without a date."""
    from peacemap.layers.population.request import PopulationRequest

    if isinstance(population, PopulationRequest):
        return population
    if population is None:
        if label is not None or date is not None:
            raise ArgumentError("'population_label' and 'population_date' need 'population', a population file")
        return None
    day = _date(date)
    if not isinstance(day, dt.date):
        raise ArgumentError(f"'population_date' should be the date the counts of 'population' stand for, such as '2025-01-01', got {_shown(date)}")
    return PopulationRequest(Path(population), day, label)


def plans(*, lang: str | None = None) -> pd.DataFrame:
    """The plans peacemap ships: one row each with ``id``, ``title`` (in ``lang``), ``date`` (the
    date of the line of contact it is drawn on by default), ``text_date`` (the date of its text:
    russia-max's demand of 2024-06-14; None where a plan has no dated text, as the freeze
    baseline), ``has_text`` and ``source``. Dates are :class:`datetime.date`."""
    import pandas as pd

    from peacemap.layers.i18n.language import writing_in
    from peacemap.layers.plans.model import builtin_plan_ids, load_plan

    rows = []
    with writing_in(lang):
        for plan_id in builtin_plan_ids():
            plan = load_plan(plan_id)
            text_date = plan.text_date()
            rows.append({"id": plan.id, "title": plan.title_text(), "date": plan.date, "text_date": _as_date(text_date),
                         "has_text": text_date is not None, "source": plan.source.get("name", "")})
    return pd.DataFrame(rows, columns=["id", "title", "date", "text_date", "has_text", "source"])


def _as_date(text: str | None) -> dt.date | None:
    """An ISO date as a date; None for None or a looser date ("late November 2025")."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def plan_layers(plan: PlanRef, date: DateLike = None, *, options: OptionsLike = (), control: ControlLike = None,
                population: str | Path | PopulationRequest | None = None, population_label: str | None = None,
                population_date: DateLike = None) -> PlanLayers:
    """What ``plan`` makes of the map on ``date`` (default: the plan's own date).

    Returns an object with the GeoDataFrames ``zones`` (region, control, status, provision,
    area_km2 geodesic), ``contact_line`` and ``regions``, all in EPSG:4326, and the ``plan`` and
    ``control`` they come from. With ``population`` (see :func:`report`), the zones carry your
    population too (``population_own`` and its band, nullable ``Int64``).
    """
    request = _population(population, population_label, population_date)
    own = pipeline.own_population(request) if request is not None else None
    layers = pipeline.plan_layers(_plan(plan), _date(date), options=_options(options), control=_control(control))
    return pipeline.with_own_population(layers, own)[0] if own is not None else layers


@dataclass(frozen=True)
class Report:
    """A plan's report: area and 1 January 2022 population per region and status, headline figures,
    sources and dates. ``to_dict()`` is the JSON contract (README, "Report"); its labels, and
    every rendering, are in ``lang`` (``en`` or ``uk``)."""

    layers: PlanLayers
    document: ReportDict
    lang: str = "en"

    def to_dict(self) -> ReportDict:
        """The report as the JSON contract (a dict of plain values)."""
        return self.document

    def to_frame(self) -> pd.DataFrame:
        """One row per region and status: ``region``, ``region_name``, ``combined`` (the Crimea row
        that repeats its two units), ``status``, ``side_after``, ``recognition``, ``area_km2``,
        ``share_of_region_pct``, ``population_2022`` and its band (persons, nullable ``Int64``:
        ``<NA>`` where not available)."""
        import pandas as pd

        rows = [
            {"region": region["code"], "region_name": region["name"], "combined": region["combined"], "status": zone["status"],
             "side_after": zone["side_after"], "recognition": zone["recognition"], "area_km2": zone["area_km2"],
             "share_of_region_pct": zone["share_of_region_pct"],
             "population_2022": zone["population_2022"], "population_2022_low": zone["population_2022_low"],
             "population_2022_high": zone["population_2022_high"]}
            for region in self.document["regions"] for zone in region["zones"]
        ]
        return _people_as_int64(pd.DataFrame(rows))

    def to_markdown(self) -> str:
        """The report as Markdown: headline fact box, per-region table, sources and caveats."""
        from peacemap.layers.i18n.language import writing_in
        from peacemap.layers.report.render import report_markdown

        with writing_in(self.lang):
            return report_markdown(self.document)

    def to_csv(self) -> str:
        """The report as CSV, one row per region and status."""
        from peacemap.layers.i18n.language import writing_in
        from peacemap.layers.report.render import report_csv

        with writing_in(self.lang):
            return report_csv(self.document)

    def to_json(self) -> str:
        """The report as indented JSON."""
        from peacemap.layers.report.render import report_json

        return report_json(self.document)

    def _repr_markdown_(self) -> str:  # Jupyter shows the fact box
        return self.to_markdown()


def report(plan: PlanRef, date: DateLike = None, *, options: OptionsLike = (), control: ControlLike = None,
           with_claims: bool = False, population: str | Path | PopulationRequest | None = None, population_label: str | None = None,
           population_date: DateLike = None, lang: str | None = None) -> Report:
    """The report of ``plan`` on ``date``: see :class:`Report`. Beside its figures it gives the
    latest official statement of people remaining in their land where there is one; with
    ``with_claims``, the occupying power's claims too, labelled as such. ``population`` (a file:
    README, "Your own population"), with ``population_date`` (the date its counts stand for) and
    ``population_label``, adds a population of your own beside the official one. Its labels and
    renderings are in ``lang``."""
    from peacemap.layers.i18n.language import writing_in

    with writing_in(lang) as chosen:
        request = _population(population, population_label, population_date)
        result = pipeline.plan_report(_plan(plan), _date(date), options=_options(options), control=_control(control),
                                      with_claims=_flag(with_claims), population=request)
    return Report(layers=result.layers, document=result.report, lang=chosen)


def plan_map(plan: PlanRef, date: DateLike = None, *, options: OptionsLike = (), control: ControlLike = None,
             self_contained: bool = True, tiles: bool = True, facts: bool = True, lang: str | None = None) -> folium.Map:
    """An interactive map of ``plan`` on ``date``: a ``folium.Map`` that displays inline in Jupyter
    and stays self-contained when saved (``.save("map.html")``), with the fact box of the plan's
    report (key figures, readings, sources and a citation) unless ``facts`` is False; in ``lang``."""
    from peacemap.layers.i18n.language import writing_in
    from peacemap.maps.html import build_html_map

    if not isinstance(facts, bool):
        raise ArgumentError(f"'facts' should be True or False, got {_shown(facts)}")
    with writing_in(lang):
        layers = plan_layers(plan, date, options=options, control=control)
        box = pipeline.map_facts(layers) if facts else None
        return build_html_map(pipeline.map_layers(layers), self_contained=self_contained, tiles=tiles, facts=box)


def timeline(start: DateLike = None, end: DateLike = None, regions: RegionsLike = None, *,
             use_cache: bool = True) -> pd.DataFrame:
    """Occupied km² per region and day from ``start`` to ``end`` (default: every snapshot): one row
    per day and region of ``regions`` (a code such as ``"UA-14"`` or a list; default: all), as
    ``peacemap timeline`` writes it (gaps are rows with status 'gap')."""
    return pipeline.timeline(_date(start), _date(end), _regions(regions), use_cache=use_cache).table


def plan_timeline(plan: PlanRef, start: DateLike = None, end: DateLike = None, *, options: OptionsLike = (),
                  use_cache: bool = True) -> pd.DataFrame:
    """``plan``'s headline figures on every day from ``start`` to ``end`` (default: every snapshot):
    one row per day and measure (km², 1 January 2022 population and band as nullable ``Int64``),
    as ``peacemap timeline --plan`` writes it, with ``date`` as :class:`datetime.date` (as in
    :func:`timeline`); each day's figures are its report's, and days without a snapshot are rows
    with status 'gap' and ``<NA>`` figures. A cold run costs about a second per snapshot and core."""
    import pandas as pd

    from peacemap.layers.timeline.plan import plan_timeline_records

    result = pipeline.plan_timeline(_plan(plan), _date(start), _date(end), options=_options(options), use_cache=use_cache)
    frame = _people_as_int64(pd.DataFrame(plan_timeline_records(result)))
    frame["date"] = [dt.date.fromisoformat(day) for day in frame["date"]]  # as timeline(): datetime.date
    return frame


def plan_statements(plan: PlanRef, start: DateLike = None, end: DateLike = None, *, options: OptionsLike = (),
                    with_claims: bool = False) -> pd.DataFrame:
    """The official statements of people remaining that ``peacemap timeline --plan`` draws beside
    ``plan``'s figures from ``start`` to ``end`` (default: every snapshot): one row per statement and
    measure whose land in one region is exactly the statement's area under the plan's rules
    (``date`` as :class:`datetime.date`, the day it was made; ``figure`` in persons). Never part of
    a figure; with ``with_claims``, the occupying power's claims too (``claim`` true). Cheap: no
    snapshot is measured."""
    import pandas as pd

    from peacemap.layers.report.contract import PlanTimelineStatement, keys

    points = pipeline.plan_statements(_plan(plan), _date(start), _date(end), options=_options(options), with_claims=_flag(with_claims))
    frame = pd.DataFrame(points, columns=keys(PlanTimelineStatement))
    frame["date"] = [dt.date.fromisoformat(day) for day in frame["date"]]
    return frame


PEOPLE_COLUMNS = ("population_2022", "population_2022_low", "population_2022_high")


def _people_as_int64(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its population columns as nullable ``Int64`` (persons; ``<NA>`` where not
    available, on a gap day or for AR Crimea and Sevastopol), the one dtype of every frame."""
    for column in PEOPLE_COLUMNS:
        frame[column] = frame[column].astype("Float64").astype("Int64")
    return frame


def regions() -> gpd.GeoDataFrame:
    """Ukraine's 27 first-level units (and Crimea with Sevastopol) as land, EPSG:4326: ``code``
    (ISO 3166-2), ``name``, ``area_km2`` (geodesic), ``official_area_km2``, ``deviation_pct``."""
    from peacemap.layers.regions import load_regions

    return load_regions()
