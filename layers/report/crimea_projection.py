"""The COD-PS 2020 projection of AR Crimea and Sevastopol, shown beside (never inside) the
official 2022 figures of the report.

The official 2022 table has no figure for AR Crimea and Sevastopol; their ``population_2022``
stays null and no official total counts them. Their region entries (and the combined Crimea
row) carry the projection in fields of its own, ``population_projection_2020``, naming its
source (``population_projection_source``, an id of the report's ``sources`` list).
"""

from __future__ import annotations

from peacemap.layers.plans.statuses import Recognition
from peacemap.layers.regions import CRIMEA, CRIMEA_WITH_SEVASTOPOL, SEVASTOPOL
from peacemap.layers.report.contract import Headline, RecognisedWithProjection, RegionEntry, figures_of
from peacemap.layers.report.measures import Measure
from peacemap.layers.sources.population_projections import PROJECTION_SOURCE, read_projections

# The parts of the Russian side the plan recognises as Russian, de jure or de facto.
RECOGNISED = (Measure.RUSSIAN_SIDE_DE_JURE, Measure.RUSSIAN_SIDE_DE_FACTO, Measure.RUSSIAN_SIDE_FROZEN_DE_FACTO)


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


def recognised_with_projection(regions: list[RegionEntry], headline: Headline) -> RecognisedWithProjection | None:
    """What the plan recognises as Russian (de jure or de facto, from ``headline``; km² and
    persons), with the COD-PS 2020 projection of AR Crimea and Sevastopol added to the official
    2022 figure of the rest; None unless every zone of both is recognised, since the projection is
    a whole-region figure that cannot be split between statuses."""
    crimea_zones = [zone for entry in regions if entry["code"] in (CRIMEA, SEVASTOPOL) for zone in entry["zones"]]
    if not crimea_zones or any(not Recognition(zone["recognition"]).recognises for zone in crimea_zones):
        return None
    parts = [figures_of(headline, measure) for measure in RECOGNISED]
    if {code for part in parts for code in part["population_excludes"]} - {CRIMEA, SEVASTOPOL}:
        return None  # another recognised region without an official figure: no honest sum
    official = sum(part["population_2022"] for part in parts)
    projected = projection_of(CRIMEA_WITH_SEVASTOPOL)
    assert projected is not None
    return {
        "area_km2": round(sum(part["area_km2"] for part in parts), 1),
        "population_2022": official,
        "population_projection_2020": projected,
        "population_with_projection": official + projected,
        "population_projection_source": PROJECTION_SOURCE,
    }
