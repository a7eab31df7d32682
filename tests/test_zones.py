"""The 28-point plan's zones on 2025-11-20 (acceptance of the control-zones issue)."""

import pytest
import shapely

from peacemap.geo.area import geodesic_area_km2
from peacemap.geo.clean import clean_polygon
from peacemap.layers.plans.statuses import Status


def _zones(layers, code):
    return layers.zones[layers.zones["region"] == code]


def test_dmz_is_exactly_the_held_land_of_donetsk(plan28_layers, regions):
    donetsk = regions.set_index("code").loc["UA-14", "geometry"]
    held = clean_polygon(donetsk.difference(plan28_layers.control.polygon))
    dmz = _zones(plan28_layers, "UA-14").query("status == 'dmz'")
    assert len(dmz) == 1
    assert dmz.iloc[0]["control"] == "held"
    assert dmz.iloc[0]["provision"] == "21d"
    # Same land as Donetsk minus DeepState's occupied polygon, up to enclaves cut off from the
    # held mainland and strips under 50 m wide, which count as occupied (< 0.05 % of the zone).
    assert geodesic_area_km2(dmz.iloc[0].geometry.symmetric_difference(held)) < 5e-4 * dmz.iloc[0]["area_km2"]
    # The reading of the DeepState snapshot: about 6,200 km².
    assert dmz.iloc[0]["area_km2"] == pytest.approx(6_200, rel=0.03)


@pytest.mark.parametrize("code", ["UA-43", "UA-40", "UA-09", "UA-14"])
def test_crimea_luhansk_donetsk_go_wholly_to_russia(plan28_layers, code):
    assert set(_zones(plan28_layers, code)["status"]) <= {"recognised_de_facto", "dmz"}


@pytest.mark.parametrize("code", ["UA-23", "UA-65"])
def test_kherson_and_zaporizhzhia_are_split_along_the_line(plan28_layers, code):
    by_status = _zones(plan28_layers, code).groupby("status")["area_km2"].sum()
    assert set(by_status.index) == {"frozen_de_facto", "frozen_ukrainian"}
    assert (by_status > 100).all()


@pytest.mark.parametrize("code", ["UA-63", "UA-12", "UA-59", "UA-48"])
def test_occupied_land_elsewhere_is_relinquished(plan28_layers, code):
    zones = _zones(plan28_layers, code)
    relinquished = zones[zones["status"] == "relinquished"]
    assert relinquished["area_km2"].sum() > 0
    assert set(relinquished["provision"]) == {"21c"}
    assert set(zones["status"]) <= {"relinquished", "ukrainian"}


def test_every_zone_has_a_known_status_and_a_valid_geometry(plan28_layers):
    zones = plan28_layers.zones
    assert set(zones["status"]) <= set(Status)
    assert list(zones.columns) == [
        "region",
        "region_name",
        "control",
        "status",
        "side_after",
        "recognition",
        "recognised_by",
        "provision",
        "area_km2",
        "geometry",
    ]
    assert zones.crs.equals(4326)
    assert zones.is_valid.all()


def test_regions_untouched_by_the_war_are_wholly_ukrainian(plan28_layers):
    lviv = _zones(plan28_layers, "UA-46")
    assert list(lviv["status"]) == ["ukrainian"]
    assert shapely.area(lviv.iloc[0].geometry) > 0


@pytest.mark.parametrize(
    ("code", "control", "side_after", "recognition", "recognised_by"),
    [
        ("UA-65", "occupied", "russian", "de_facto", ""),  # 21b: frozen, "de facto recognition along the line"
        ("UA-23", "held", "ukrainian", "none", ""),
        ("UA-14", "held", "russian", "de_jure", "internationally"),  # 21d
        ("UA-09", "occupied", "russian", "de_facto", "including by the United States"),  # 21a
        ("UA-63", "occupied", "ukrainian", "none", ""),  # 21c: returned
    ],
)
def test_zones_carry_how_the_plan_treats_them(plan28_layers, code, control, side_after, recognition, recognised_by):
    zone = _zones(plan28_layers, code).query("control == @control").iloc[0]
    assert (zone["side_after"], zone["recognition"], zone["recognised_by"]) == (side_after, recognition, recognised_by)
