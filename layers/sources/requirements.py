"""Which registry sources the default build reads."""

from __future__ import annotations

from peacemap.layers.sources import registry
from peacemap.layers.sources.boundaries import GEOBOUNDARIES_ID, NATURALEARTH_ID
from peacemap.layers.regions import LAND_MASK_SNAPSHOT

DEFAULT_PLAN = "plan28"
POPULATION_SOURCES = ("population-ukrstat-2022", "hromadas-kse", "hromadas-opora-2020", "population-ocha-cod-ps-2020")


def default_build_sources() -> list[registry.Source]:
    """Sources that ``peacemap build`` with default options reads, in a stable order:
    boundaries, population, the land-mask snapshot and the default plan's snapshot."""
    from peacemap.layers.sources.deepstate import choose_snapshot
    from peacemap.layers.plans.model import load_plan

    chosen = [registry.get_source(source_id) for source_id in (GEOBOUNDARIES_ID, NATURALEARTH_ID, *POPULATION_SOURCES)]
    plan_snapshot = choose_snapshot(load_plan(DEFAULT_PLAN).date, registry.deepstate_dates()).snapshot
    for day in sorted({LAND_MASK_SNAPSHOT, plan_snapshot}):
        chosen.append(registry.deepstate_source(day))
    return chosen
