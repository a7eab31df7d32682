"""layers.sources.countries: Natural Earth's countries as context, with Ukraine's units cut out.

Natural Earth's default point of view puts Crimea inside Russia: the context must never draw it
so. Place coordinates are those of each place's Wikipedia article, rounded to 0.01°.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from peacemap.layers.errors import DataSourceError
from peacemap.layers.sources.boundaries import read_geoboundaries
from peacemap.layers.sources.countries import CONTEXT_WINDOW, NEIGHBOURS, UKRAINE_ISO_NUMERIC, context_countries, countries_from_topojson, read_countries


@pytest.fixture(scope="module")
def countries():
    return read_countries()


@pytest.fixture(scope="module")
def units():
    return read_geoboundaries()


@pytest.fixture(scope="module")
def context(countries, units):
    return context_countries(countries, units)


def test_reads_every_country_in_lon_lat(countries):
    # The registry's notes: object 'countries', 241 features; ids are ISO 3166-1 numeric codes.
    assert len(countries) == 241
    assert countries.crs.equals(4326)
    names = countries.set_index("iso_n3")["name"]
    for code, name in NEIGHBOURS.items():
        assert names[code] == name
    assert names[UKRAINE_ISO_NUMERIC] == "Ukraine"
    assert countries.geometry.is_valid.all()


def test_natural_earth_puts_crimea_in_russia(countries):
    """Why the units are cut out: the raw file draws Simferopol inside Russia."""
    russia = countries.loc[countries["iso_n3"] == "643", "geometry"].iloc[0]
    assert russia.contains(shapely.Point(34.10, 44.95))


@pytest.mark.parametrize(
    ("place", "lon", "lat"),
    [("Simferopol", 34.10, 44.95), ("Kerch", 36.47, 45.36), ("Sevastopol", 33.52, 44.60), ("Kharkiv", 36.23, 49.99), ("Lviv", 24.03, 49.84)],
)
def test_no_context_country_covers_ukraine(context, place, lon, lat):
    assert not context.geometry.contains(shapely.Point(lon, lat)).any(), place


@pytest.mark.parametrize(
    ("place", "lon", "lat", "code"),
    [
        ("Belgorod", 36.59, 50.60, "643"),
        ("Taman", 36.72, 45.21, "643"),
        ("Homel", 30.98, 52.44, "112"),
        ("Chisinau", 28.86, 47.01, "498"),
        ("Przemysl", 22.77, 49.78, "616"),
    ],
)
def test_neighbours_keep_their_land(context, place, lon, lat, code):
    holder = context.loc[context.geometry.contains(shapely.Point(lon, lat)), "iso_n3"].tolist()
    assert holder == [code], place


def test_context_meets_ukraine_without_gap_or_overlap(countries, units, context):
    ukraine = shapely.union_all(units.geometry.values)
    context_land = shapely.union_all(context.geometry.values)
    assert shapely.intersection(context_land, ukraine).area < 1e-9  # degrees²: nothing drawn twice
    # What Natural Earth calls Ukraine beyond geoBoundaries' border (slivers where the two border
    # lines differ) went to the neighbours: no strip of sea colour along the land border.
    natural_ukraine = countries.loc[countries["iso_n3"] == UKRAINE_ISO_NUMERIC, "geometry"].iloc[0]
    slivers = shapely.difference(natural_ukraine, ukraine)
    assert slivers.area > 0.01  # there were some
    assert shapely.difference(slivers, context_land).area < 1e-9
    assert UKRAINE_ISO_NUMERIC not in set(context["iso_n3"])


def test_context_stays_in_its_window(context):
    west, south, east, north = context.total_bounds
    assert east <= CONTEXT_WINDOW[2]
    assert north <= CONTEXT_WINDOW[3]
    assert west >= CONTEXT_WINDOW[0]
    assert south >= CONTEXT_WINDOW[1]


def test_topojson_without_crs_is_read_as_lon_lat_and_others_are_reprojected():
    square = shapely.box(30.0, 50.0, 31.0, 51.0)
    bare = countries_from_topojson(gpd.GeoDataFrame({"id": ["999"], "name": ["X"]}, geometry=[square]))
    assert bare.crs.equals(4326)
    assert bare.geometry.iloc[0].equals(square)
    mercator = gpd.GeoDataFrame({"id": ["999"], "name": ["X"]}, geometry=[square], crs=4326).to_crs(3857)
    back = countries_from_topojson(mercator).geometry.iloc[0]
    assert back.bounds == pytest.approx(square.bounds, abs=1e-9)


def test_missing_columns_name_the_source():
    frame = gpd.GeoDataFrame({"code": ["x"]}, geometry=[shapely.box(0, 0, 1, 1)])
    with pytest.raises(DataSourceError, match="countries-naturalearth-50m: missing columns"):
        countries_from_topojson(frame)


def test_context_refuses_frames_without_lon_lat(countries, units):
    with pytest.raises(ValueError, match="'ukraine_units' must be in EPSG:4326"):
        context_countries(countries, units.to_crs(3857))
