"""The status palette stays apart for every reader (issue 18, "A palette every reader can tell apart").

Two statuses can touch when one plan puts both on its map: regions meet along their borders
(the 28-point plan's returned Kharkiv land touches recognised Luhansk near Kupiansk), and option
zones cut through regions. The pairs checked are every pair of statuses that a shipped plan,
with any of its options switched on, gives (read from the plan's rules and option zones, so a
new plan file or status is checked as soon as it ships), and every status that no shipped plan
uses against all the others. For each pair, in both renderings (the static map's opaque fill,
and the HTML map's fill at its opacity over the sea it is drawn on):

* ΔE76 in CIELAB at least ``MIN_DELTA_E`` (20) under normal vision and under simulated
  deuteranopia, protanopia and tritanopia (Machado et al. 2009, severity 1; see tests/colour_checks.py
  for the source of the matrices);
* CIELAB lightness L* at least ``MIN_DELTA_L`` (12) apart, so the two print as different greys,
  unless the two differ in hatch pattern.

For scale: the old "recognised" #b2182b and "returned" #1b7837 were ΔE 12.4 apart under
deuteranopia and 5.8 apart in L* (38.4 and 44.1; the issue quotes 38 and 44).
"""

from __future__ import annotations

import dataclasses
import itertools

import colour_checks as colour
import numpy as np
import pytest

from peacemap.layers.plans.statuses import Status
from peacemap.maps.style import (
    MIN_CONTEXT_DELTA_E,
    MIN_DELTA_E,
    MIN_DELTA_L,
    NEIGHBOUR_FILL,
    SEA,
    STATUS_STYLES,
    StatusStyle,
)


def _plan_statuses(plan) -> set[str]:  # a Plan
    rules = [*plan.rules.values(), plan.elsewhere]
    return {rule.status(part) for rule in rules for part in ("occupied", "held")} | {zone.status for option in plan.active_options() for zone in option.zones}


def touching_pairs(styles: dict[str, StatusStyle]) -> set[frozenset[str]]:
    """Pairs of statuses that can meet on one map (see the module docstring)."""
    from peacemap.layers.plans.model import builtin_plan_ids, load_plan

    pairs: set[frozenset[str]] = set()
    used: set[str] = set()
    for plan_id in builtin_plan_ids():
        plan = load_plan(plan_id)
        for count in range(len(plan.options) + 1):
            for chosen in itertools.combinations([o.id for o in plan.options], count):
                statuses = _plan_statuses(plan.with_options(chosen))
                used |= statuses
                pairs |= {frozenset(pair) for pair in itertools.combinations(sorted(statuses), 2)}
    unused = set(styles) - used
    pairs |= {frozenset((a, b)) for a in unused for b in styles if a != b}
    return pairs


def palette_problems(styles: dict[str, StatusStyle], *, background: str = SEA, pairs: set[frozenset[str]] | None = None) -> list[str]:
    """Every pair of statuses (of ``pairs``; default: all) that falls short of the palette's promise, as text."""
    problems = []
    for (first, a), (second, b) in itertools.combinations(styles.items(), 2):
        if pairs is not None and frozenset((first, second)) not in pairs:
            continue
        renderings = {
            "static": (a.fill, b.fill),
            "html": (colour.blend(a.fill, background, a.fill_opacity), colour.blend(b.fill, background, b.fill_opacity)),
        }
        for rendering, (x, y) in renderings.items():
            for vision in colour.VISIONS:
                difference = colour.delta_e(x, y, vision)
                if difference < MIN_DELTA_E:
                    problems.append(f"{first}/{second} ({rendering}, {vision}): ΔE {difference:.1f} < {MIN_DELTA_E}")
            step = abs(colour.lightness(x) - colour.lightness(y))
            if a.hatch == b.hatch and step < MIN_DELTA_L:
                problems.append(f"{first}/{second} ({rendering}, greyscale): ΔL* {step:.1f} < {MIN_DELTA_L}")
    return problems


def test_every_status_is_in_the_palette():
    assert set(Status) <= set(STATUS_STYLES)


def test_every_pair_of_statuses_that_can_touch_is_told_apart():
    assert palette_problems(STATUS_STYLES, pairs=touching_pairs(STATUS_STYLES)) == []


def test_the_28_point_plans_statuses_are_all_pairs_apart():
    # The common case: the six statuses of the 28-point plan, every pair, as one map shows them.
    plan28 = {s: STATUS_STYLES[s] for s in ("recognised_de_facto", "frozen_de_facto", "dmz", "frozen_ukrainian", "relinquished", "ukrainian")}
    assert palette_problems(plan28) == []


def test_the_old_returned_green_fails():
    old = {**STATUS_STYLES, Status.RELINQUISHED: dataclasses.replace(STATUS_STYLES[Status.RELINQUISHED], fill="#1b7837")}
    problems = palette_problems(old, pairs=touching_pairs(old))
    assert problems
    assert all(Status.RELINQUISHED in problem for problem in problems)
    assert any("greyscale" in problem for problem in problems)


def test_a_pattern_stands_in_for_lightness_only():
    """Two fills of equal lightness pass the greyscale check only if a hatch tells them apart;
    the colour check still applies."""
    twin = {"a": StatusStyle("A", "#e39862"), "b": StatusStyle("B", "#e39862")}
    assert any("greyscale" in p for p in palette_problems(twin))
    hatched = {"a": twin["a"], "b": dataclasses.replace(twin["b"], hatch="...")}
    problems = palette_problems(hatched)
    assert problems
    assert not any("greyscale" in p for p in problems)


@pytest.mark.parametrize("context", [SEA, NEIGHBOUR_FILL])
def test_statuses_stand_out_from_sea_and_neighbours(context):
    for status, style in STATUS_STYLES.items():
        for vision in colour.VISIONS:
            assert colour.delta_e(style.fill, context, vision) >= MIN_CONTEXT_DELTA_E, (status, vision)
    for vision in colour.VISIONS:
        assert colour.delta_e(SEA, NEIGHBOUR_FILL, vision) >= MIN_CONTEXT_DELTA_E, vision


def test_cielab_matches_published_values():
    # sRGB red in CIELAB (D65) as published, e.g. by Bruce Lindbloom's colour calculator
    # (brucelindbloom.com): L* 53.24, a* 80.09, b* 67.20; #777777 is the usual "L* 50" grey.
    np.testing.assert_allclose(colour.lab("#ff0000"), [53.24, 80.09, 67.20], atol=0.01)
    assert colour.lightness("#777777") == pytest.approx(50.0, abs=0.1)
    # The issue's own figures for the old palette: L* 38 and 44.
    assert round(colour.lightness("#b2182b")) == 38
    assert round(colour.lightness("#1b7837")) == 44


def test_simulation_keeps_greys_and_merges_red_and_green():
    # Machado's matrices keep the neutral axis (each row sums to 1): a grey looks the same.
    for matrix in colour.MACHADO_2009.values():
        np.testing.assert_allclose(matrix.sum(axis=1), 1.0, atol=1e-5)
    for vision in colour.MACHADO_2009:
        assert colour.delta_e("#808080", "#808080", vision) == 0.0
        np.testing.assert_allclose(colour.lab("#808080", vision), colour.lab("#808080"), atol=0.01)
    # A red and a green, far apart to normal eyes, nearly merge for a deuteranope and stay
    # apart for a tritanope, who confuses blue and yellow instead.
    red, green = "#d0021b", "#5f8f00"
    assert colour.delta_e(red, green) > 80
    assert colour.delta_e(red, green, "deuteranopia") < colour.delta_e(red, green) / 3
    assert colour.delta_e(red, green, "tritanopia") > 50


def test_land_changing_hands_is_the_strongest_mark(plan28_layers):
    """Issue 26, "Emphasis on what changes hands": on the 28-point plan's map, every status whose
    land changes sides (the demilitarised zone, land returned) stands further from the unchanged
    Ukrainian land around it (ΔE76, normal vision and greyscale lightness) than any status whose
    land stays where it is (frozen or recognised as it is held). The old palette failed: its
    navy frozen Ukrainian-held land stood out more than the violet demilitarised zone."""
    from peacemap.maps.prepare import changes_hands

    zones = plan28_layers.zones.assign(change=changes_hands(plan28_layers.zones))
    kinds = zones.groupby("status")["change"].agg(set)
    changing = [status for status, change in kinds.items() if "" not in change]
    # Recognised Luhansk holds a little held land too (hatched as given up): most of it stays.
    unchanged = [status for status, change in kinds.items() if "" in change and status != Status.UKRAINIAN]
    assert sorted(changing) == [Status.DMZ, Status.RELINQUISHED]
    assert len(unchanged) == 3
    ground = STATUS_STYLES[Status.UKRAINIAN].fill

    def strength(status: str) -> tuple[float, float]:
        fill = STATUS_STYLES[status].fill
        return colour.delta_e(fill, ground), abs(colour.lightness(fill) - colour.lightness(ground))

    weakest_change = [min(strength(s)[i] for s in changing) for i in (0, 1)]
    strongest_kept = [max(strength(s)[i] for s in unchanged) for i in (0, 1)]
    assert weakest_change[0] > strongest_kept[0]
    assert weakest_change[1] > strongest_kept[1]
