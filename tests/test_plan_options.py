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
