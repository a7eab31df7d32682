"""What a caller asks of the pipeline, normalised once: the :class:`Request` (plan, date, options,
control, population, with_claims, lang) that the command line and the Python API both build, and the
one normaliser of each of its parts.

Every part is checked here and nowhere else: a value of the wrong type or form raises
:class:`peacemap.layers.errors.ArgumentError` naming the argument, what was expected and what
arrived. This module is light (no geopandas, no shapely at import), so that the command line can
build a request before the heavy imports.
"""

from __future__ import annotations

import datetime as dt
import os
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from peacemap.layers.control.resolve import LATEST, ControlData, ControlFile, ControlSource, DeepStateRequest, parse_control_source
from peacemap.layers.errors import ArgumentError
from peacemap.layers.i18n.language import check_language, writing_in
from peacemap.layers.population.request import PopulationRequest
from peacemap.layers.sources.control_where import ConditionError, ConditionSyntaxError, check_condition
from peacemap.layers.sources.requirements import DEFAULT_PLAN

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

    # A control file, or the occupied territory itself: a GeoDataFrame or GeoSeries (any declared
    # CRS) or a shapely geometry (EPSG:4326).
    ControlLike: TypeAlias = str | Path | ControlFile | gpd.GeoDataFrame | gpd.GeoSeries | BaseGeometry | None

__all__ = [
    "DEFAULT_PLAN",
    "LATEST",
    "ConditionError",
    "ConditionSyntaxError",
    "ControlData",
    "ControlFile",
    "ControlRequest",
    "ControlSource",
    "DateRequest",
    "DeepStateRequest",
    "PopulationRequest",
    "Request",
    "check_condition",
    "normal_control",
    "normal_date",
    "normal_flag",
    "normal_lang",
    "normal_options",
    "normal_plan",
    "normal_population",
    "normal_regions",
    "parse_control_source",
    "snapshot_day",
    "writing_in",
]

PlanRef = str | Path
DateLike = dt.date | str | None
OptionsLike = str | Iterable[str]
RegionsLike = str | Iterable[str] | None
DateRequest = dt.date | str | None  # a date, "latest", or None for the plan's own date
ControlRequest = Path | ControlFile | ControlData | None  # a user's control file (and layer) or map, or None for DeepState
PopulationLike = str | Path | PopulationRequest | None


@dataclass(frozen=True)
class Request:
    """One plan on one line of contact, as every use case of the pipeline takes it, normalised
    (:meth:`of`).

    Attributes
    ----------
    plan
        A built-in plan id (``"plan28"``) or the path of a plan file.
    date
        The date of the line of contact, ``"latest"``, or None for the plan's own date.
    options
        The plan's options switched on (ids).
    control
        A control file (and its layer, condition, meaning), a map of control in memory, or None
        for DeepState's snapshot of ``date``.
    population
        A population file of the user's beside the official one, or None.
    with_claims
        Also give the occupying power's claims of people remaining, labelled.
    lang
        The language of the texts for people (``"en"`` or ``"uk"``: labels, names, figures and
        dates; never JSON keys or ids), or None for the language being written where the request
        is served (:func:`writing_in`: the command line's ``--lang``, else ``PEACEMAP_LANG``, else
        English).
    """

    plan: PlanRef = DEFAULT_PLAN
    date: DateRequest = None
    options: tuple[str, ...] = ()
    control: ControlRequest = None
    population: PopulationRequest | None = None
    with_claims: bool = False
    lang: str | None = None

    @classmethod
    def of(
        cls,
        plan: PlanRef = DEFAULT_PLAN,
        date: DateLike = None,
        *,
        options: OptionsLike | None = (),
        control: ControlLike = None,
        population: PopulationLike = None,
        population_label: str | None = None,
        population_date: DateLike = None,
        with_claims: object = False,
        lang: str | None = None,
    ) -> Request:
        """The request the arguments make, each normalised (:func:`normal_date`, ...); ArgumentError
        for any argument of the wrong type or form (LanguageError for a language peacemap does not
        write)."""
        return cls(
            plan=normal_plan(plan),
            date=normal_date(date),
            options=normal_options(options),
            control=normal_control(control),
            population=normal_population(population, population_label, population_date),
            with_claims=normal_flag(with_claims),
            lang=normal_lang(lang),
        )


def normal_lang(lang: object) -> str | None:
    """``lang`` as a language code peacemap writes (``"en"``, ``"uk"``; case and spaces ignored),
    or None (the language being written, :func:`writing_in`); LanguageError for anything else."""
    return None if lang is None else check_language(lang)


def normal_date(date: object, name: str = "date") -> dt.date | str | None:
    """``date`` as the pipeline takes it: a :class:`datetime.date`, ``"latest"`` or None, from a
    date (a datetime's day), an ISO date text (``"2025-11-20"``) or ``"latest"`` (any case,
    surrounding spaces ignored); ArgumentError for anything else."""
    if date is None or isinstance(date, dt.date):
        return date.date() if isinstance(date, dt.datetime) else date
    if isinstance(date, str):
        if date.strip().lower() == LATEST:
            return LATEST
        try:
            return dt.date.fromisoformat(date.strip())
        except ValueError:
            pass
    raise ArgumentError(f"{name!r} should be a datetime.date, an ISO date such as '2025-11-20' or 'latest', got {shown(date)}")


def snapshot_day(day: object) -> dt.date | None:
    """``day`` (:func:`normal_date`) with 'latest' made the newest DeepState snapshot's date."""
    normal = normal_date(day)
    if normal == LATEST:
        from peacemap.layers.sources import registry

        return registry.deepstate_dates()[-1]
    return normal if isinstance(normal, dt.date) else None


_SHOW = reprlib.Repr()
_SHOW.maxstring = _SHOW.maxother = 60


def shown(value: object) -> str:
    """``value`` as an error message quotes it: a short repr and its type."""
    return f"{_SHOW.repr(value)} ({type(value).__name__})"


def normal_plan(plan: object) -> PlanRef:
    """``plan`` if it is a plan id or a path; ArgumentError otherwise."""
    if isinstance(plan, (str, os.PathLike)):
        return plan  # type: ignore[return-value]  # a PathLike other than Path: load_plan takes it as a path
    raise ArgumentError(f"'plan' should be a built-in plan id such as 'plan28' or the path of a plan file (str or pathlib.Path), got {shown(plan)}")


def normal_options(options: object) -> tuple[str, ...]:
    """``options`` as a tuple of option ids: one id (a str) is one option, not its letters."""
    if options is None:
        return ()
    if isinstance(options, str):
        return (options,)
    if isinstance(options, Iterable) and not isinstance(options, (bytes, dict)):
        chosen = tuple(options)
        if all(isinstance(option, str) for option in chosen):
            return chosen
    raise ArgumentError(f"'options' should be an option id (str) or a list of them, such as ['donetsk-zone'], got {shown(options)}")


def normal_regions(regions: object) -> list[str] | None:
    """``regions`` as a list of known region codes (upper-cased): one code (a str) is one region."""
    from peacemap.layers.sources.codes import REGION_NAMES

    if regions is None:
        return None
    chosen = [regions] if isinstance(regions, str) else list(regions) if isinstance(regions, Iterable) and not isinstance(regions, bytes) else None
    if chosen is None or not all(isinstance(code, str) for code in chosen):
        raise ArgumentError(f"'regions' should be a region code (ISO 3166-2, such as 'UA-14') or a list of them, got {shown(regions)}")
    unknown = [code for code in chosen if code.strip().upper() not in REGION_NAMES]
    if unknown:
        raise ArgumentError(
            f"'regions' should be ISO 3166-2 codes of Ukraine's regions ({', '.join(sorted(REGION_NAMES))}), "
            f"got {', '.join(_SHOW.repr(code) for code in unknown[:5])}"
        )
    return [code.strip().upper() for code in chosen]


def normal_control(control: object) -> ControlRequest:
    """``control`` as the pipeline takes it: a control file's path, or the map itself (ControlData)."""
    if control is None or isinstance(control, (ControlFile, ControlData)):
        return control
    if isinstance(control, (str, os.PathLike)):
        return Path(control)
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

    if isinstance(control, (gpd.GeoDataFrame, gpd.GeoSeries, BaseGeometry)):
        return ControlData(control)
    raise ArgumentError(
        f"'control' should be the path of a control file (str or pathlib.Path), or the occupied territory as a "
        f"GeoDataFrame, a GeoSeries or a shapely geometry in EPSG:4326, got {shown(control)}"
    )


def normal_flag(value: object, name: str = "with_claims") -> bool:
    """``value`` as a boolean option; ArgumentError for anything but True or False."""
    if not isinstance(value, bool):
        raise ArgumentError(f"{name!r} should be True or False, got {shown(value)}")
    return value


def normal_population(population: PopulationLike, label: str | None, date: DateLike) -> PopulationRequest | None:
    """The population request the arguments make; ArgumentError for a date or label without a file,
    or a file without a date."""
    if isinstance(population, PopulationRequest):
        return population
    if population is None:
        if label is not None or date is not None:
            raise ArgumentError("'population_label' and 'population_date' need 'population', a population file")
        return None
    day = normal_date(date, "population_date")
    if not isinstance(day, dt.date):
        raise ArgumentError(f"'population_date' should be the date the counts of 'population' stand for, such as '2025-01-01', got {shown(date)}")
    return PopulationRequest(Path(population), day, label)
