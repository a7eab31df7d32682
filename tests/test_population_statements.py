"""Official statements matched to land and to the zones of a plan (layers.population.statements).

Reference facts: the 28-point plan's DMZ is the part of Donetsk oblast Ukraine held on the date
(the plan's point 21d), so on 2025-11-20 the regional administration's figure for that land is its
zone's: 198,500 civilians (briefing reported 2025-11-13), and 187,000 from 2026-02-05. The 20-point
draft's Donetsk option is a 5 km band along the line, only part of the held land: Pokrovsk and
Myrnohrad lay on the line then (DeepState), so their figures are listed instead.
"""

import datetime as dt

import geopandas as gpd
import pytest
import shapely

from peacemap.layers.errors import StatementsError
from peacemap.layers.population import statements as zs
from peacemap.layers.sources import statements as st


def _areas(zone, relation=None):
    return {a["area_id"]: a for a in zone["areas"] if relation is None or a["relation"] == relation}


def _zone(result, region, status):
    [zone] = [z for z in result if (z["region"], z["status"]) == (region, status)]
    return zone


def test_every_matched_statement_resolves_to_land_on_the_real_data(territories, settlements):
    table = list(st.load_statements())
    lands = zs.resolve_land(table, territories.frame, settlements)
    matched = {s.area_id for s in table if s.land}
    assert set(lands) == matched
    assert len(matched) == 35
    for statement in table:
        if statement.land_kind == st.LAND_HROMADA:
            row = territories.frame.loc[lands[statement.area_id].territory]
            assert (row["region"], row["name_uk"].replace("’", "'")) == (statement.region, statement.land_name.replace("’", "'"))
        if statement.land_kind == st.LAND_SETTLEMENT:
            row = settlements.loc[lands[statement.area_id].settlement]
            assert row["region"] == statement.region
            assert row["located"] != "not located"


def test_a_name_that_is_not_there_is_refused(territories, settlements):
    [good] = [s for s in st.load_statements() if s.id == "pokrovsk-hromada/2025-11-05"]
    from dataclasses import replace

    with pytest.raises(StatementsError, match="matches no hromada territory of UA-14"):
        zs.resolve_land([replace(good, land="hromada:Неіснуюча міська ТГ")], territories.frame, settlements)


@pytest.fixture(scope="module")
def plan28_statements(plan28_layers, territories, settlements):
    return zs.zone_statements(plan28_layers.zones, territories.frame, settlements, on_or_before=dt.date(2025, 11, 20))


def test_plan28_dmz_is_the_held_part_of_donetsk_and_carries_its_statement(plan28_layers, plan28_statements):
    assert plan28_layers.control.as_of == dt.date(2025, 11, 20)
    dmz = _zone(plan28_statements, "UA-14", "dmz")
    [own] = dmz["statements"]
    assert (own["area_id"], own["figure"], own["statement_date"]) == ("donetsk-held", 198_500, "2025-11-13")
    assert own["body"] == "Donetsk Oblast Military Administration"
    assert own["kind"] == "civilians"
    assert own["url"].startswith("https://regionews.ua/ukr/news/donetchina/1763018011-")
    assert own["label"] == "about 198,500 civilians (Donetsk Oblast Military Administration, 2025-11-13)"
    assert _areas(dmz)["donetsk-held"]["relation"] == zs.IS_ZONE


def test_the_towns_of_the_dmz_are_listed_beside_it(plan28_statements):
    inside = _areas(_zone(plan28_statements, "UA-14", "dmz"), zs.INSIDE)
    assert {"kramatorsk-city", "sloviansk-city", "kostiantynivka-city", "bilozerske-city"} <= set(inside)
    assert inside["kramatorsk-city"]["share_of_area_in_zone_pct"] is None  # a city is a point
    assert 95.0 <= inside["dobropillia-hromada"]["share_of_area_in_zone_pct"] <= 100.0


def test_claims_appear_only_on_request_and_labelled(plan28_layers, territories, settlements, plan28_statements):
    assert not any(a["statement"]["claim"] for zone in plan28_statements for a in zone["areas"])
    with_claims = zs.zone_statements(plan28_layers.zones, territories.frame, settlements, on_or_before=dt.date(2025, 11, 20), with_claims=True)
    claims = [a["statement"] for zone in with_claims for a in zone["areas"] if a["statement"]["claim"]]
    assert claims
    assert all(c["label"].startswith("OCCUPYING-POWER CLAIM: ") for c in claims)
    occupied_donetsk = [z for z in with_claims if z["region"] == "UA-14" and z["status"] != "dmz"]
    assert [s["figure"] for z in occupied_donetsk for s in z["statements"]] == [2_936_000]  # the latest claim on or before the date (2025-01-13)
    sevastopol = [s for z in with_claims if z["region"] == "UA-40" for s in z["statements"]]
    assert [s["area_id"] for s in sevastopol] == ["sevastopol-occupied-claim"]


def test_plan28_from_2026_02_05_gives_187000(control_layers_on, territories, settlements):
    from peacemap.layers.plans.apply import apply_plan
    from peacemap.layers.plans.model import load_plan

    layers = apply_plan(load_plan("plan28"), control_layers_on("2026-02-10"))
    assert layers.control.as_of >= dt.date(2026, 2, 5)
    result = zs.zone_statements(layers.zones, territories.frame, settlements, on_or_before=layers.control.as_of)
    [own] = _zone(result, "UA-14", "dmz")["statements"]
    assert (own["figure"], own["statement_date"], own["check"]) == (187_000, "2026-02-05", "figure-checked")


def test_plan20_donetsk_band_gets_the_towns_not_the_oblast_figure(control_layers_20251120, territories, settlements):
    from peacemap.layers.plans.apply import apply_plan
    from peacemap.layers.plans.model import load_plan

    layers = apply_plan(load_plan("plan20").with_options(["donetsk-zone"]), control_layers_20251120)
    result = zs.zone_statements(layers.zones, territories.frame, settlements, on_or_before=dt.date(2025, 11, 20))
    band = _zone(result, "UA-14", "dmz_mutual")
    assert band["statements"] == []
    assert "donetsk-held" not in _areas(band)
    inside = _areas(band, zs.INSIDE)
    assert {"pokrovsk-city", "myrnohrad-city", "pokrovsk-hromada", "kostiantynivka-hromada"} <= set(inside)
    assert all(0 < (a["share_of_area_in_zone_pct"] or 100) <= 100 for a in inside.values())
    # the rest of the held land is only part of the held part too
    assert _zone(result, "UA-14", "frozen_ukrainian")["statements"] == []


def _square(x0, y0, x1, y1):
    return shapely.box(x0, y0, x1, y1)


def test_matching_on_tiny_zones():
    """One region of three zones: held land cut in two by an option, and the occupied land."""
    zones = gpd.GeoDataFrame(
        {"region": ["UA-14"] * 3, "control": ["held", "held", "occupied"], "status": ["frozen", "dmz", "recognised"]},
        geometry=[_square(0, 0, 1, 1), _square(1, 0, 2, 1), _square(2, 0, 3, 1)],
        crs=4326,
    )
    territories = gpd.GeoDataFrame(
        {"region": ["UA-14"], "name_uk": ["Тестова міська ТГ"], "area_km2": [0.0]}, geometry=[_square(0.5, 0, 1.5, 1)], index=[7], crs=4326
    )
    from peacemap.geo.area import geodesic_area_km2

    territories["area_km2"] = [geodesic_area_km2(territories.geometry.iloc[0])]
    settlements = gpd.GeoDataFrame(
        {"region": ["UA-14"], "name_uk": ["Тестове"], "located": ["hromada centre"]}, geometry=[shapely.Point(1.5, 0.5)], index=[3], crs=4326
    )
    base = next(s for s in st.load_statements() if s.id == "donetsk-held/2025-11-13")
    from dataclasses import replace

    table = [
        base,
        replace(base, id="test-hromada/2025-11-13", area_id="test-hromada", area_kind="hromada", land="hromada:Тестова міська ТГ"),
        replace(base, id="test-city/2025-11-13", area_id="test-city", area_kind="city", land="settlement:Тестове"),
    ]
    result = zs.zone_statements(zones, territories, settlements, on_or_before=dt.date(2025, 12, 1), statements=table)
    dmz = _zone(result, "UA-14", "dmz")
    assert dmz["statements"] == []  # only half the held land: the held part's figure is not the zone's
    assert set(_areas(dmz)) == {"test-hromada", "test-city"}
    assert _areas(dmz)["test-hromada"]["share_of_area_in_zone_pct"] == pytest.approx(50.0, abs=0.1)
    # merged, the two held zones are the held part
    merged = zones.assign(status=["dmz", "dmz", "recognised"])
    [own] = _zone(zs.zone_statements(merged, territories, settlements, on_or_before=dt.date(2025, 12, 1), statements=table), "UA-14", "dmz")["statements"]
    assert own["area_id"] == "donetsk-held"
    # a zone of all the region holds the held part wholly, but is more than it
    whole = zones.assign(status="recognised")
    everything = _zone(zs.zone_statements(whole, territories, settlements, on_or_before=dt.date(2025, 12, 1), statements=table), "UA-14", "recognised")
    assert everything["statements"] == []
    assert _areas(everything)["donetsk-held"]["share_of_area_in_zone_pct"] == 100.0
    # before the statement was made, nothing
    assert zs.zone_statements(zones, territories, settlements, on_or_before=dt.date(2025, 11, 12), statements=table) == []


def test_the_pipeline_matches_on_the_snapshot_date(plan28_layers, plan28_statements):
    from dataclasses import replace

    from peacemap import pipeline
    from peacemap.layers.errors import PeacemapError

    assert pipeline.zone_statements(plan28_layers) == plan28_statements
    undated = replace(plan28_layers, control=replace(plan28_layers.control, as_of=None))
    with pytest.raises(PeacemapError, match="give --date"):
        pipeline.zone_statements(undated)
