"""Control zones on the real data: tiling, validity, slivers, and the line of contact."""

import pytest
import shapely
from shapely.geometry import box

from peacemap.geo.area import WGS84_GEOD, geodesic_area_km2
from peacemap.geo.clean import is_sliver, swap_slivers
from peacemap.geo.projections import to_metric
from peacemap.layers.control.split import BORDER_CLEARANCE_M, SLIVER_WIDTH_M, unit_regions


def test_zones_tile_every_region(plan28_layers):
    zones, regions = plan28_layers.zones, unit_regions(plan28_layers.regions)
    for region in regions.itertuples():
        own = zones[zones["region"] == region.code]
        assert own["area_km2"].sum() == pytest.approx(region.area_km2, rel=5e-4), region.code
        geometries = list(own.geometry)
        for i in range(len(geometries)):
            for j in range(i + 1, len(geometries)):
                assert geodesic_area_km2(geometries[i].intersection(geometries[j])) < 0.01, region.code
        gap = region.geometry.difference(shapely.union_all(geometries))
        assert geodesic_area_km2(gap) < 0.01, region.code


def test_zones_are_valid_polygons_without_slivers(plan28_layers):
    zones = plan28_layers.zones
    assert zones.is_valid.all()
    assert set(zones.geom_type) <= {"Polygon", "MultiPolygon"}
    for zone in zones.itertuples():
        thin = [p for p in shapely.get_parts(zone.geometry) if is_sliver(p, min_width_m=SLIVER_WIDTH_M)]
        assert not thin, f"{zone.region} {zone.control}: {len(thin)} slivers"


def test_swap_slivers_keeps_a_tiling():
    # A 1 km square cut 10 m from its edge: the 10 m strip is a sliver of 'left'.
    square = box(30.0, 48.0, 30.0135, 48.009)
    left = shapely.union(box(30.0, 48.0, 30.005, 48.009), box(30.0132, 48.0, 30.0135, 48.009))
    right = square.difference(left)
    new_left, new_right = swap_slivers(left, right, min_width_m=50)
    assert geodesic_area_km2(new_left) == pytest.approx(geodesic_area_km2(box(30.0, 48.0, 30.005, 48.009)), rel=1e-6)
    assert geodesic_area_km2(new_left) + geodesic_area_km2(new_right) == pytest.approx(geodesic_area_km2(square), rel=1e-7)
    assert geodesic_area_km2(new_left.intersection(new_right)) < 1e-9


def test_contact_line_lies_on_the_occupied_boundary(plan28_layers):
    occupied_edge_m = to_metric(plan28_layers.control.polygon.boundary)
    for line in plan28_layers.contact_line.itertuples():
        line_m = to_metric(line.geometry)
        # Hausdorff-style check: every vertex within 100 m of DeepState's boundary.
        points = shapely.points(shapely.get_coordinates(line_m))
        assert shapely.distance(points, occupied_edge_m).max() < 100.0, line.region


def test_contact_line_avoids_coast_and_state_border(plan28_layers):
    units = unit_regions(plan28_layers.regions)
    country_edge_m = to_metric(shapely.union_all(units.geometry.values).boundary)
    near_edge = country_edge_m.buffer(BORDER_CLEARANCE_M - 1.0)
    for line in plan28_layers.contact_line.itertuples():
        assert to_metric(line.geometry).intersection(near_edge).length < 1.0, line.region


def test_contact_line_lengths_are_geodesic(plan28_layers):
    for line in plan28_layers.contact_line.itertuples():
        assert line.length_km == pytest.approx(WGS84_GEOD.geometry_length(line.geometry) / 1000.0)
        assert line.length_km > 0
