"""Ukrainian names checked against the official sources themselves (issue 30): the region names of
layers/i18n/names.py against the State Statistics Service's table 1 (2022 collection), the key places'
names in the catalogue against table 5, which spells every city of Ukraine."""

import pandas as pd

from peacemap.layers.errors import DataSourceError
from peacemap.layers.i18n.catalogue import gettext
from peacemap.layers.i18n.names import REGION_NAMES_UK
from peacemap.layers.sources import registry
from peacemap.layers.sources.codes import CRIMEA_WITH_SEVASTOPOL
from peacemap.layers.sources.population_tables import POPULATION_SOURCE, TABLE_1_SHEET, normalise_name, read_settlements, region_code
from peacemap.maps.places import KEY_PLACES


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


def test_key_places_are_spelt_as_table_5_spells_them():
    towns = read_settlements()
    donetsk = set(towns.loc[towns["region"] == "UA-14", "name_uk"].map(normalise_name))
    cities = [place for place in KEY_PLACES if place.note.startswith("city")]
    assert len(cities) == 4
    for place in cities:
        assert normalise_name(gettext(place.name, "uk")) in donetsk, place.name
