"""Plan options change only the land they cover, and zones still tile every region."""

import pytest

from peacemap.layers.control.split import unit_regions
from peacemap.layers.plans.apply import build_plan_layers
from peacemap.layers.plans.model import load_plan


@pytest.fixture(scope="module")
def plan20_layers(plan28_layers):
    """plan20 on the 2025-11-20 control, without and with each option."""
    plan = load_plan("plan20")
    regions, control = plan28_layers.regions, plan28_layers.control
    return {
        option: build_plan_layers(plan.with_options([option] if option else []), control, regions=regions) for option in ("", "donetsk-zone", "enerhodar-zone")
    }


def test_default_plan20_has_no_dmz(plan20_layers):
    assert not {"dmz", "dmz_mutual"} & set(plan20_layers[""].zones["status"])


@pytest.mark.parametrize(("option", "region"), [("donetsk-zone", "UA-14"), ("enerhodar-zone", "UA-23")])
def test_option_zone_stays_in_its_region_and_keeps_the_tiling(plan20_layers, option, region):
    base, changed = plan20_layers[""].zones, plan20_layers[option].zones
    dmz = changed[changed["status"] == "dmz_mutual"]
    assert set(dmz["region"]) == {region}
    assert dmz["area_km2"].sum() > 10
    for code in unit_regions(plan20_layers[""].regions)["code"]:
        assert changed.loc[changed["region"] == code, "area_km2"].sum() == pytest.approx(base.loc[base["region"] == code, "area_km2"].sum(), rel=1e-6)
    # Both sides withdraw: the zone covers occupied and held land, and belongs to neither.
    assert set(dmz["control"]) == {"occupied", "held"}
    assert set(dmz["side_after"]) == {"undetermined"}
    assert set(dmz["recognised_by"]) == {""}


# --------------------------------------------------------------------------------------------
# Many option zones (issue 24, item 6): merged once, not once per zone; the same land as one at a time


def _disc_centres(regions, count: int) -> list[tuple[float, float]]:
    """``count`` points on Ukraine's land, spread over the country (a grid, every n-th point on land)."""
    import numpy as np
    import shapely

    land = shapely.union_all(unit_regions(regions).geometry.values)
    west, south, east, north = land.bounds
    grid = [(x, y) for y in np.arange(south, north, 0.25) for x in np.arange(west, east, 0.25)]
    inside = [point for point in grid if land.contains(shapely.Point(point))]
    return [inside[i] for i in np.linspace(0, len(inside) - 1, count).round().astype(int)]


def _plan_with_options(options: list[list[str]]):  # a Plan
    """plan28 with an option per list of zone tables (TOML inline tables), all switched on."""
    import tomllib
    from importlib import resources

    from peacemap.layers.plans.model import parse_plan

    base = resources.files("peacemap.layers.plans").joinpath("builtin", "plan28.toml").read_text(encoding="utf-8")
    blocks = "".join(f'\n[[options]]\nid = "o{n}"\ndescription = "o"\nprovision = "21a"\nzones = [{", ".join(zones)}]\n' for n, zones in enumerate(options))
    plan = parse_plan(tomllib.loads(base + blocks), label="test plan")
    return plan.with_options([f"o{n}" for n in range(len(options))])


def _areas_by_status(zones) -> dict:
    return zones.groupby(["region", "control", "status"])["area_km2"].sum().round(3).to_dict()


def test_ten_options_of_fifty_discs_are_measured_once_and_fast(plan28_layers, control_layers_20251120, monkeypatch):
    # Issue 24: 10 options of 50 discs ran past 150 s; every disc cut every zone and measured them all again.
    import time

    from peacemap.layers.plans import apply

    centres = _disc_centres(plan28_layers.regions, 500)
    statuses = ("dmz_mutual", "relinquished", "dmz_ukrainian")
    plan = _plan_with_options(
        [[f'{{ around = [{x:.4f}, {y:.4f}], radius_km = 15, status = "{statuses[n % 3]}" }}' for x, y in centres[n::10]] for n in range(10)]
    )
    measured = []
    real = apply.geodesic_areas_km2
    monkeypatch.setattr(apply, "geodesic_areas_km2", lambda geometries: measured.append(len(geometries)) or real(geometries))
    start = time.process_time()
    layers = apply.apply_plan(plan, control_layers_20251120)
    assert time.process_time() - start < 30
    assert len(measured) == 1  # the zones cut are measured once, whatever the number of discs
    assert {"dmz_mutual", "relinquished", "dmz_ukrainian"} <= set(layers.zones["status"])
    regions = unit_regions(plan28_layers.regions).set_index("code")["area_km2"]
    assert layers.zones.groupby("region")["area_km2"].sum().to_dict() == pytest.approx(regions.to_dict(), rel=1e-6)


def test_overlapping_option_zones_give_the_land_the_later_ones_status(control_layers_20251120):
    # Merged and cut at once, the zones give the land what applying them one after another gives.
    from peacemap.layers.plans import apply

    options = [
        [
            '{ around = [37.6, 48.0], radius_km = 40, status = "dmz_mutual" }',
            '{ around = [37.9, 48.1], radius_km = 40, status = "relinquished", control = "occupied" }',
            '{ around = [37.7, 48.3], radius_km = 30, status = "dmz_ukrainian", control = "held" }',
            '{ along_line_in = "UA-14", depth_km = 10, status = "dmz_mutual", control = "held" }',
        ],
        [
            '{ around = [37.8, 48.2], radius_km = 35, status = "frozen_ukrainian" }',
            '{ around = [37.6, 48.0], radius_km = 10, status = "ukrainian", within = "UA-14" }',
        ],
    ]
    plan = _plan_with_options(options)
    together = apply.apply_plan(plan, control_layers_20251120).zones
    one_by_one = apply.assign_status(control_layers_20251120.zones, plan)
    units = unit_regions(control_layers_20251120.regions)
    for option in plan.active_options():
        for zone in option.zones:
            area = apply.option_zone_polygon(zone, control_layers_20251120.contact_line, units)
            one_by_one = apply.apply_option_zones(one_by_one, [apply.OptionArea(area, zone.status, option.provision, zone.control)])
    assert _areas_by_status(together) == pytest.approx(_areas_by_status(one_by_one[one_by_one["area_km2"] > 0]), abs=1e-3)


def test_more_option_zones_than_the_cap_are_refused():
    from peacemap.layers.errors import PlanError
    from peacemap.layers.plans.model import MAX_OPTION_ZONES, MAX_ZONES_PER_OPTION

    zone = '{ around = [37.6, 48.0], radius_km = 5, status = "dmz_mutual" }'
    options = MAX_OPTION_ZONES // MAX_ZONES_PER_OPTION + 1
    with pytest.raises(PlanError, match=f"the options have {options * MAX_ZONES_PER_OPTION:,} zones in all; expected at most {MAX_OPTION_ZONES:,}"):
        _plan_with_options([[zone] * MAX_ZONES_PER_OPTION] * options)


@pytest.fixture(scope="module")
def plan28_readings(plan28_layers):
    """plan28 on the 2025-11-20 control with each reading of 21c and 21d (issue 25)."""
    plan = load_plan("plan28")
    regions, control = plan28_layers.regions, plan28_layers.control
    return {options: build_plan_layers(plan.with_options(options), control, regions=regions).zones for options in ((), ("21c-none",), ("21d-de-facto",))}


def test_21c_none_returns_nothing_outside_the_five_regions(plan28_readings):
    # 21c, "other agreed territories": by default all the occupied land outside the five regions
    # is returned; with 21c-none none is, and it stays Russian-held, not recognised.
    default, none = plan28_readings[()], plan28_readings[("21c-none",)]
    outside = ~none["region"].isin(["UA-43", "UA-40", "UA-09", "UA-14", "UA-23", "UA-65"])
    occupied = none[outside & (none["control"] == "occupied") & (none["area_km2"] > 0)]
    assert set(occupied["status"]) == {"russian_held"}
    assert set(occupied["provision"]) == {"21c"}
    assert set(default.loc[default["status"] == "relinquished", "region"]) == set(occupied["region"])
    assert set(none.loc[outside & (none["control"] == "held"), "status"]) == {"ukrainian"}

    def five_regions(zones):
        mine = zones[~zones["region"].isin(occupied["region"]) & zones["region"].isin(["UA-09", "UA-14", "UA-23", "UA-65"])]
        return sorted(zip(mine["region"], mine["control"], mine["status"], mine["area_km2"].round(1)))

    assert five_regions(none) == five_regions(default)  # the five regions read as before


def test_21d_de_facto_recognises_the_zone_de_facto_and_changes_nothing_else(plan28_readings):
    default, de_facto = plan28_readings[()], plan28_readings[("21d-de-facto",)]
    zone = de_facto[de_facto["status"] == "dmz_de_facto"]
    assert set(zone["region"]) == {"UA-14"}
    assert set(zone["control"]) == {"held"}
    assert zone["area_km2"].sum() == pytest.approx(default.loc[default["status"] == "dmz", "area_km2"].sum())
    assert set(zone["recognition"]) == {"de_facto"}
    assert set(zone["side_after"]) == {"russian"}


def test_an_option_may_replace_the_elsewhere_rule_and_must_change_something():
    from peacemap.layers.errors import PlanError
    from peacemap.layers.plans.model import parse_plan

    plan = load_plan("plan28")
    assert plan.with_options(["21c-none"]).elsewhere.rule == "keep"
    assert plan.elsewhere.rule == "relinquish"
    document = {
        "id": "x",
        "title": "x",
        "date": "2025-11-20",
        "source": {"name": "x"},
        "provisions": [{"id": "1", "text": "x"}],
        "rules": {code: {"rule": "keep", "provision": "1", "recognition": "none"} for code in ("UA-43", "UA-40", "UA-09", "UA-14", "UA-23", "UA-65")},
        "elsewhere": {"rule": "keep", "provision": "1", "recognition": "none"},
        "options": [{"id": "o", "description": "x", "provision": "1"}],
    }
    with pytest.raises(PlanError, match="changes nothing; expected 'rules', 'elsewhere' or 'zones'"):
        parse_plan(document, label="x.toml")
    document["options"][0]["elsewhere"] = {"rule": "relinquish", "provision": "1"}
    assert parse_plan(document, label="x.toml").with_options(["o"]).elsewhere.rule == "relinquish"
