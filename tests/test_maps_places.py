"""maps.places: each key place lies in the region it is listed under (geoBoundaries outlines)."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from peacemap.geo.projections import to_metric
from peacemap.maps.places import KEY_PLACES


@pytest.mark.parametrize("place", KEY_PLACES, ids=lambda p: p.name)
def test_place_lies_in_its_region(place, regions):
    region = regions.loc[regions["code"] == place.region, "geometry"].iloc[0]
    point = Point(place.lon, place.lat)
    # Within the region, or within 500 m of it (a dam or spit tip may sit on the water line).
    assert region.contains(point) or to_metric(region).distance(to_metric(point)) < 500
