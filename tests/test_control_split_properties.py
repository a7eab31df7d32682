"""Property-based tests of the geometry core: any cut of a region still tiles it."""

import geopandas as gpd
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box

from peacemap.geo.area import geodesic_area_km2
from peacemap.layers.control.split import control_zones, split_country

# A synthetic "country" of two regions sharing a border, in lon/lat degrees (EPSG:4326).
WEST = box(35.0, 47.0, 36.0, 48.0)
EAST = Polygon([(36.0, 47.0), (37.3, 47.1), (37.0, 48.0), (36.0, 48.0)])
REGIONS = gpd.GeoDataFrame({"code": ["UA-91", "UA-92"], "name": ["West", "East"]}, geometry=[WEST, EAST], crs=4326)
COUNTRY = shapely.union(WEST, EAST)

coordinate = st.tuples(st.floats(34.5, 37.8), st.floats(46.5, 48.5))


@st.composite
def occupied_polygons(draw):
    """Random occupied territory: the union of a few convex hulls of random points."""
    hulls = []
    for _ in range(draw(st.integers(1, 3))):
        points = draw(st.lists(coordinate, min_size=3, max_size=8))
        hull = shapely.MultiPoint(points).convex_hull
        if hull.geom_type == "Polygon" and hull.area > 1e-6:
            hulls.append(hull)
    return shapely.union_all(hulls) if hulls else Polygon()


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(occupied_polygons())
def test_any_cut_tiles_each_region(occupied):
    split = split_country(COUNTRY, occupied)
    zones = control_zones(REGIONS, split)
    assert zones.is_valid.all()
    for region in REGIONS.itertuples():
        own = zones[zones["region"] == region.code]
        region_km2 = geodesic_area_km2(region.geometry)
        assert abs(own["area_km2"].sum() - region_km2) <= 5e-4 * region_km2
        held, occupied_part = (own.loc[own["control"] == c, "geometry"].iloc[0] for c in ("held", "occupied"))
        assert geodesic_area_km2(held.intersection(occupied_part)) < 0.01


@given(occupied_polygons())
def test_held_and_occupied_partition_the_country(occupied):
    split = split_country(COUNTRY, occupied)
    total = geodesic_area_km2(split.held) + geodesic_area_km2(split.occupied)
    assert abs(total - geodesic_area_km2(COUNTRY)) <= 5e-4 * geodesic_area_km2(COUNTRY)
    assert geodesic_area_km2(split.held.intersection(split.occupied)) < 0.01
