"""maps.places: the places a map names, by importance, and where they lie.

Each fixed place (Sevastopol, Simferopol and the sites) lies in the region it is listed under
(geoBoundaries outlines). On the 28-point plan of 2025-11-20, the demilitarised zone's towns come
first, largest first by the official 1 January 2022 table, then the main cities.
"""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from peacemap.geo.projections import to_metric
from peacemap.maps.places import CRIMEA_CITIES, MAIN_CITIES, SITES, map_places

# The four largest cities of the held part of Donetsk oblast on 2025-11-20, with their population
# on 1 January 2022 in the State Statistics Service's table ("Чисельність наявного населення
# України на 1 січня 2022 року", table 5): Kramatorsk 147,145; Sloviansk 105,141; Kostiantynivka
# 67,350; Druzhkivka 53,977.
DMZ_TOWNS = ("Kramatorsk", "Sloviansk", "Kostiantynivka", "Druzhkivka")


@pytest.mark.parametrize("place", [*CRIMEA_CITIES, *SITES], ids=lambda p: p.name)
def test_place_lies_in_its_region(place, regions):
    region = regions.loc[regions["code"] == place.region, "geometry"].iloc[0]
    point = Point(place.lon, place.lat)
    # Within the region, or within 500 m of it (a dam or spit tip may sit on the water line).
    assert region.contains(point) or to_metric(region).distance(to_metric(point)) < 500


@pytest.fixture(scope="module")
def plan28_places(plan28_layers):
    return map_places(plan28_layers.zones)


def test_the_dmz_towns_come_first_largest_first(plan28_places):
    # Each changed zone's largest town, then each one's second largest, ...: the DMZ's four come
    # in their order, and before the main cities.
    names = [place.name for place in plan28_places]
    positions = [names.index(town) for town in DMZ_TOWNS]
    assert positions == sorted(positions)
    assert positions[-1] < names.index("Kyiv")


def test_every_main_city_is_named_once(plan28_places):
    names = [(place.name, place.region) for place in plan28_places]
    for city in (*MAIN_CITIES, *((p.name, p.region) for p in CRIMEA_CITIES)):
        assert names.count(city) == 1, city


def test_a_town_shows_its_2022_population_or_says_why_not(plan28_places):
    kramatorsk = next(place for place in plan28_places if place.name == "Kramatorsk")
    assert kramatorsk.population == 147_145
    assert "147,145 people on 1 January 2022" in kramatorsk.note
    sevastopol = next(place for place in plan28_places if place.name == "Sevastopol")
    assert sevastopol.population is None
    assert "does not cover AR Crimea and Sevastopol" in sevastopol.note


def test_towns_of_unchanged_land_are_left_to_the_main_cities(plan28_places, plan28_layers):
    from peacemap.maps.prepare import changes_hands

    zones = plan28_layers.zones
    changed = zones[changes_hands(zones) != ""].geometry.union_all()
    mains = {name for name, _ in MAIN_CITIES} | {p.name for p in (*CRIMEA_CITIES, *SITES)}
    for place in plan28_places:
        if place.name not in mains:
            assert to_metric(changed).distance(to_metric(Point(place.lon, place.lat))) < 1_000, place.name
