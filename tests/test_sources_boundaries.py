"""geoBoundaries and Natural Earth units are read with matching ISO 3166-2 codes."""

from peacemap.layers.sources.boundaries import read_geoboundaries, read_naturalearth


def test_both_sources_give_the_same_27_units():
    geob, natural = read_geoboundaries(), read_naturalearth()
    assert len(geob) == 27
    assert geob["code"].is_unique
    assert set(geob["code"]) == set(natural["code"])


def test_natural_earth_codes_point_at_the_right_units():
    natural = read_naturalearth().set_index("code")["name"]
    geob = read_geoboundaries().set_index("code")["name"]
    # Each source's own name for the unit (independent of our mapping table).
    for code, fragment in {
        "UA-14": "Donets",
        "UA-09": "Luhans",
        "UA-23": "Zapori",
        "UA-65": "Kherson",
        "UA-43": "Crimea",
        "UA-40": "Sevastopol",
        "UA-51": "Odes",
        "UA-30": "Kiev",
    }.items():
        assert fragment.lower() in natural[code].lower(), (code, natural[code])
        assert fragment.lower()[:5] in geob[code].lower().replace("odessa", "odes").replace("kyiv", "kiev"), (code, geob[code])
