"""Key places drawn on the maps, with the region each lies in.

Coordinates (WGS84, degrees, rounded to 0.001° ≈ 100 m) are those of each place's Wikipedia
article (GeoHack), read in November 2026: city centres for the four Donetsk cities, the reactor
site for the Zaporizhzhia nuclear power plant (beside Enerhodar), the dam for Kakhovka, and
the middle of the spit for Kinburn. tests/test_maps_places.py checks each against the region
outlines from geoBoundaries.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A named point: ``lon``/``lat`` in degrees (EPSG:4326), ``region`` its ISO 3166-2 code."""

    name: str
    lon: float
    lat: float
    region: str
    note: str = ""


KEY_PLACES: tuple[Place, ...] = (
    Place("Sloviansk", 37.606, 48.852, "UA-14", "city, Ukrainian-held Donetsk oblast"),
    Place("Kramatorsk", 37.556, 48.723, "UA-14", "city, Ukrainian-held Donetsk oblast"),
    Place("Druzhkivka", 37.528, 48.630, "UA-14", "city, Ukrainian-held Donetsk oblast"),
    Place("Kostiantynivka", 37.707, 48.527, "UA-14", "city, Ukrainian-held Donetsk oblast"),
    Place("Zaporizhzhia NPP (Enerhodar)", 34.586, 47.512, "UA-23", "nuclear power plant"),
    Place("Kakhovka dam", 33.370, 46.778, "UA-65", "dam on the Dnipro, destroyed in June 2023"),
    Place("Kinburn spit", 31.560, 46.540, "UA-48", "spit at the mouth of the Dnipro-Buh estuary"),
)
