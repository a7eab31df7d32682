"""Which registry sources the default build reads."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the readers are imported when the list is made: DEFAULT_PLAN stays light
    from peacemap.layers.sources.registry import Source

DEFAULT_PLAN = "plan28"
POPULATION_SOURCES = ("population-ukrstat-2022", "hromadas-kse", "hromadas-opora-2020", "population-ocha-cod-ps-2020")


def default_build_sources(plan_date: dt.date) -> list[Source]:
    """Sources that ``peacemap build`` with default options reads, in a stable order:
    boundaries, the countries drawn around Ukraine on the maps, population, the land-mask snapshot
    and the snapshot of ``plan_date`` (the default plan's own date)."""
    from peacemap.layers.sources import registry
    from peacemap.layers.sources.boundaries import GEOBOUNDARIES_ID, NATURALEARTH_ID
    from peacemap.layers.sources.countries import COUNTRIES_ID
    from peacemap.layers.sources.deepstate import LAND_MASK_SNAPSHOT, choose_snapshot

    chosen = [registry.get_source(source_id) for source_id in (GEOBOUNDARIES_ID, NATURALEARTH_ID, COUNTRIES_ID, *POPULATION_SOURCES)]
    plan_snapshot = choose_snapshot(plan_date, registry.deepstate_dates()).snapshot
    for day in sorted({LAND_MASK_SNAPSHOT, plan_snapshot}):
        chosen.append(registry.deepstate_source(day))
    return chosen
