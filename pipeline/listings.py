"""What the smaller commands and the Python API list: the shipped plans, the regions, the
official statements, the data sources and where they were found, the cache's entries, and the
DeepState snapshots published upstream after the release."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from peacemap.layers.sources.upstream import UpstreamError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from peacemap.layers.plans.model import Plan, RegionRule
    from peacemap.layers.sources.cache import Entry
    from peacemap.layers.sources.updates import Availability, UpdateResult

__all__ = [
    "RegionRule",
    "SourceState",
    "UpstreamError",
    "builtin_plans",
    "cache_clear",
    "cache_entries",
    "cache_folder",
    "check_new_snapshots",
    "data_sources",
    "describe_update_failure",
    "load_plan",
    "plans_frame",
    "regions",
    "regions_text",
    "search_order",
    "statements_text",
    "update_snapshots",
]


def builtin_plans() -> list[Plan]:
    """The plans peacemap ships, in the order ``peacemap plans`` lists them."""
    from peacemap.layers.plans.model import builtin_plan_ids
    from peacemap.layers.plans.model import load_plan as load

    return [load(plan_id) for plan_id in builtin_plan_ids()]


def load_plan(plan: str | Path) -> Plan:
    """``plan``: a built-in id or the path of a plan file (TOML), read and checked."""
    from peacemap.layers.plans.model import load_plan as load

    return load(plan)


def plans_frame() -> pd.DataFrame:
    """The plans peacemap ships: one row each with ``id``, ``title``, ``date``, ``text_date``,
    ``has_text`` and ``source`` (:func:`peacemap.api.plans`); titles in the language being written."""
    import pandas as pd

    rows = []
    for plan in builtin_plans():
        text_date = plan.text_date()
        rows.append(
            {
                "id": plan.id,
                "title": plan.title_text(),
                "date": plan.date,
                "text_date": _as_date(text_date),
                "has_text": text_date is not None,
                "source": plan.source.get("name", ""),
            }
        )
    return pd.DataFrame(rows, columns=["id", "title", "date", "text_date", "has_text", "source"])


def _as_date(text: str | None) -> dt.date | None:
    """An ISO date as a date; None for None or a looser date ("late November 2025")."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def regions() -> gpd.GeoDataFrame:
    """Ukraine's 27 first-level units (and Crimea with Sevastopol) as land, EPSG:4326 (:func:`peacemap.api.regions`)."""
    from peacemap.layers.regions import load_regions

    return load_regions()


def regions_text(output_format: str) -> tuple[str, str]:
    """The regions' land areas against their official ones as ``table``, ``csv`` or ``json``, and
    the note naming their sources."""
    from peacemap.layers.regions import region_records, regions_sources_note
    from peacemap.layers.report.records import render_records

    return render_records(region_records(regions()), output_format, formats={"deviation_pct": "{:+.2f}"}), regions_sources_note()


def statements_text(area: str | None, *, with_claims: bool, output_format: str) -> str:
    """The official statements of people remaining (one ``area``, else all) as ``md``, ``csv`` or ``json``."""
    from peacemap.layers.report.statements import statements_text as text
    from peacemap.layers.sources.statements import statements as listed

    return text(listed(area, with_claims=with_claims), output_format)


@dataclass(frozen=True)
class SourceState:
    """A data source, whether it was found with the pinned sha256 (``state``), where, and whether that is a failure."""

    id: str
    state: str
    where: str
    failed: bool


def data_sources(*, every: bool) -> list[SourceState]:
    """Each source the default build needs (``every``: every source, every DeepState snapshot
    included): where it was found and whether its sha256 matches."""
    from peacemap.layers.errors import DataSourceError
    from peacemap.layers.sources import registry
    from peacemap.pipeline.plan import build_sources

    chosen = list(registry.sources().values()) if every else build_sources()
    states = []
    for source in chosen:
        try:
            located = registry.locate(source)
            state = "verified" if located.verified else "not found"
            where = f"{located.origin}: {located.path}" if located.path else f"download from {source.url}"
            states.append(SourceState(source.id, state, where, failed=False))
        except registry.UnreadableSourceError as error:
            states.append(SourceState(source.id, "UNREADABLE", str(error), failed=True))
        except DataSourceError as error:
            states.append(SourceState(source.id, "CHECKSUM MISMATCH", str(error), failed=True))
    return states


def search_order() -> list[tuple[str, Path]]:
    """The folders searched for the sources' files, in order, each with its label."""
    from peacemap.layers.sources import registry

    return registry.search_dirs()


def check_new_snapshots(*, progress: Callable[[int, int], None] | None = None) -> Availability:
    """The DeepState snapshots published upstream after the newest known one (HEAD requests only)."""
    from peacemap.layers.sources import updates

    return updates.check_new(progress=progress)


def update_snapshots(*, progress: Callable[[int, int], None] | None = None) -> UpdateResult:
    """Take in the DeepState snapshots published upstream after the newest known one (:mod:`peacemap.layers.sources.updates`)."""
    from peacemap.layers.sources import updates

    return updates.update_snapshots(progress=progress)


def describe_update_failure(reason: str) -> str:
    """The one line that says why upstream could not be reached."""
    from peacemap.layers.sources import updates

    return updates.describe_failure(reason)


def cache_entries() -> list[Entry]:
    """The cache's entries: kind, size and when each was written."""
    from peacemap.layers.sources import cache

    return cache.entries()


def cache_clear() -> int:
    """Remove every cache entry (downloaded data sources stay); the number removed."""
    from peacemap.layers.sources import cache

    return cache.clear()


def cache_folder() -> Path:
    """The folder that holds the cache."""
    from peacemap.layers.sources import cache

    return cache.cache_root().parent
