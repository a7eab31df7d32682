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
        option: build_plan_layers(plan.with_options([option] if option else []), control, regions=regions)
        for option in ("", "donetsk-zone", "enerhodar-zone")
    }


def test_default_plan20_has_no_dmz(plan20_layers):
    assert not {"dmz", "dmz_mutual"} & set(plan20_layers[""].zones["status"])


@pytest.mark.parametrize(("option", "region"), [("donetsk-zone", "UA-14"), ("enerhodar-zone", "UA-23")])
def test_option_zone_stays_in_its_region_and_keeps_the_tiling(plan20_layers, option, region):
    base, changed = plan20_layers[""].zones, plan20_layers[option].zones
    dmz = changed[changed["status"] == "dmz_mutual"]
    assert set(dmz["region"]) == {region} and dmz["area_km2"].sum() > 10
    for code in unit_regions(plan20_layers[""].regions)["code"]:
        assert changed.loc[changed["region"] == code, "area_km2"].sum() == pytest.approx(
            base.loc[base["region"] == code, "area_km2"].sum(), rel=1e-6
        )
    # Both sides withdraw: the zone covers occupied and held land, and belongs to neither.
    assert set(dmz["control"]) == {"occupied", "held"}
    assert set(dmz["side_after"]) == {"undetermined"} and set(dmz["recognised_by"]) == {""}


@pytest.fixture(scope="module")
def plan28_readings(plan28_layers):
    """plan28 on the 2025-11-20 control with each reading of 21c and 21d (issue 25)."""
    plan = load_plan("plan28")
    regions, control = plan28_layers.regions, plan28_layers.control
    return {options: build_plan_layers(plan.with_options(options), control, regions=regions).zones
            for options in ((), ("21c-none",), ("21d-de-facto",))}


def test_21c_none_returns_nothing_outside_the_five_regions(plan28_readings):
    # 21c, "other agreed territories": by default all the occupied land outside the five regions
    # is returned; with 21c-none none is, and it stays Russian-held, not recognised.
    default, none = plan28_readings[()], plan28_readings[("21c-none",)]
    outside = ~none["region"].isin(["UA-43", "UA-40", "UA-09", "UA-14", "UA-23", "UA-65"])
    occupied = none[outside & (none["control"] == "occupied") & (none["area_km2"] > 0)]
    assert set(occupied["status"]) == {"russian_held"} and set(occupied["provision"]) == {"21c"}
    assert set(default.loc[default["status"] == "relinquished", "region"]) == set(occupied["region"])
    assert set(none.loc[outside & (none["control"] == "held"), "status"]) == {"ukrainian"}
    def five_regions(zones):
        mine = zones[~zones["region"].isin(occupied["region"]) & zones["region"].isin(["UA-09", "UA-14", "UA-23", "UA-65"])]
        return sorted(zip(mine["region"], mine["control"], mine["status"], mine["area_km2"].round(1)))

    assert five_regions(none) == five_regions(default)  # the five regions read as before


def test_21d_de_facto_recognises_the_zone_de_facto_and_changes_nothing_else(plan28_readings):
    default, de_facto = plan28_readings[()], plan28_readings[("21d-de-facto",)]
    zone = de_facto[de_facto["status"] == "dmz_de_facto"]
    assert set(zone["region"]) == {"UA-14"} and set(zone["control"]) == {"held"}
    assert zone["area_km2"].sum() == pytest.approx(default.loc[default["status"] == "dmz", "area_km2"].sum())
    assert set(zone["recognition"]) == {"de_facto"} and set(zone["side_after"]) == {"russian"}


def test_an_option_may_replace_the_elsewhere_rule_and_must_change_something():
    from peacemap.layers.errors import PlanError
    from peacemap.layers.plans.model import parse_plan

    plan = load_plan("plan28")
    assert plan.with_options(["21c-none"]).elsewhere.rule == "keep" and plan.elsewhere.rule == "relinquish"
    document = {"id": "x", "title": "x", "date": "2025-11-20", "source": {"name": "x"},
                "provisions": [{"id": "1", "text": "x"}],
                "rules": {code: {"rule": "keep", "provision": "1", "recognition": "none"}
                          for code in ("UA-43", "UA-40", "UA-09", "UA-14", "UA-23", "UA-65")},
                "elsewhere": {"rule": "keep", "provision": "1", "recognition": "none"},
                "options": [{"id": "o", "description": "x", "provision": "1"}]}
    with pytest.raises(PlanError, match="changes nothing; expected 'rules', 'elsewhere' or 'zones'"):
        parse_plan(document, label="x.toml")
    document["options"][0]["elsewhere"] = {"rule": "relinquish", "provision": "1"}
    assert parse_plan(document, label="x.toml").with_options(["o"]).elsewhere.rule == "relinquish"
