"""Which registry sources the default build reads."""

from __future__ import annotations

from peacemap.layers import registry
from peacemap.layers.boundaries import GEOBOUNDARIES_ID, NATURALEARTH_ID
from peacemap.layers.regions import LAND_MASK_SNAPSHOT

DEFAULT_BUILD_DATE_SOURCES = (GEOBOUNDARIES_ID, NATURALEARTH_ID)


def default_build_sources() -> list[registry.Source]:
    """Sources that ``peacemap build`` with default options reads, in a stable order."""
    ids = list(DEFAULT_BUILD_DATE_SOURCES)
    chosen = [registry.get_source(source_id) for source_id in ids]
    chosen.append(registry.deepstate_source(LAND_MASK_SNAPSHOT))
    return chosen
