"""The COD-PS 2020 projection of AR Crimea and Sevastopol, shown beside (never inside) the
official 2022 figures of the report.

The official 2022 table has no figure for AR Crimea and Sevastopol; their ``population_2022``
stays null and no official total counts them. Their region entries (and the combined Crimea
row) carry the projection in fields of its own, ``population_projection_2020``, naming its
source (``population_projection_source``, an id of the report's ``sources`` list).
"""

from __future__ import annotations

from peacemap.layers.regions import CRIMEA, CRIMEA_WITH_SEVASTOPOL, SEVASTOPOL
from peacemap.layers.report.contract import RegionEntry
from peacemap.layers.sources.projections import PROJECTION_SOURCE, read_projections


def projection_of(code: str) -> int | None:
    """The COD-PS projection for 1 January 2020 of AR Crimea, Sevastopol or both (persons);
    None for any other region."""
    projections = read_projections()
    parts = CRIMEA_WITH_SEVASTOPOL.split("+") if code == CRIMEA_WITH_SEVASTOPOL else [code]
    if not set(parts) <= {CRIMEA, SEVASTOPOL}:
        return None
    return sum(projections[part] for part in parts)


def add_projections(regions: list[RegionEntry]) -> list[RegionEntry]:
    """``regions`` with the projection fields on the entries of AR Crimea, Sevastopol and the
    combined Crimea row (changed in place, and returned)."""
    for entry in regions:
        projected = projection_of(entry["code"])
        if projected is not None:
            entry["population_projection_2020"] = projected
            entry["population_projection_source"] = PROJECTION_SOURCE
    return regions
