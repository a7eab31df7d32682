"""layers.plans.statuses: each status means one thing, its label is made from what it means, and
every rule gives every part of a region a status (issue 17)."""

import pytest

from peacemap.layers.plans.statuses import (
    Kind,
    Recognition,
    Rule,
    Side,
    Status,
    Withdrawal,
    dmz_status,
    label_of,
    meaning_of,
    recognitions_for,
    rule_status,
)


def test_every_status_means_one_thing_and_reads_differently():
    meanings = [status.meaning for status in Status]
    assert len(set(meanings)) == len(meanings)
    assert len({status.label for status in Status}) == len(Status)
    for status in Status:
        meaning = status.meaning
        assert isinstance(meaning.kind, Kind)
        assert isinstance(meaning.side_after, Side)
        assert isinstance(meaning.recognition, Recognition)
        assert (meaning.kind is Kind.DEMILITARISED) == isinstance(meaning.withdraws, Withdrawal)
        assert status.label == label_of(meaning)


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("recognised_de_facto", "Recognised as Russian (de facto)"),
        ("recognised_de_jure", "Recognised as Russian (de jure)"),
        ("frozen_de_facto", "Frozen along the line: de facto recognition"),  # plan28 21b
        ("russian_held", "Russian-held, not recognised"),  # eu-counter
        ("russian_held_unaddressed", "Russian-held, not addressed"),  # plan20's Crimea
        ("dmz_mutual", "both sides withdraw"),
    ],
)
def test_labels_carry_the_meaning(status, words):
    assert words in Status(status).label


def test_only_land_on_the_russian_side_is_recognised():
    for meaning in (status.meaning for status in Status):
        if meaning.recognition in ("de_jure", "de_facto", "not_addressed"):
            assert meaning.side_after == "russian", meaning


@pytest.mark.parametrize("rule", list(Rule))
@pytest.mark.parametrize("part", ["occupied", "held"])
def test_every_rule_gives_every_part_a_status(rule, part):
    for recognition in recognitions_for(rule, part):
        if rule == "dmz" and part == "held":
            zones = [s.meaning for s in Status if s.meaning.kind == "dmz" and s.meaning.recognition == recognition]
            assert zones
            assert all(rule_status(rule, part, recognition, side_after=m.side_after, withdraws=m.withdraws) for m in zones)
        else:
            assert rule_status(rule, part, recognition) in list(Status)


def test_keep_never_makes_land_frozen_or_recognised():
    # Before: keep gave occupied land "frozen_russian", the label of plan28's de facto freeze.
    for recognition in recognitions_for(Rule.KEEP, "occupied"):
        meaning = meaning_of(rule_status(Rule.KEEP, "occupied", recognition))
        assert meaning.kind == "kept"
        assert meaning.recognition in ("none", "not_addressed")


def test_demilitarised_zones_are_found_by_their_fields():
    assert dmz_status(Side.RUSSIAN, Withdrawal.UKRAINE, Recognition.DE_JURE) is Status.DMZ
    assert dmz_status(Side.UNDETERMINED, Withdrawal.BOTH, Recognition.NONE) is Status.DMZ_MUTUAL
    assert dmz_status(Side.UNDETERMINED, Withdrawal.BOTH, Recognition.DE_JURE) is None


def test_an_unknown_status_names_the_known_ones():
    with pytest.raises(KeyError, match="'status' 'annexed' is not a status; expected one of recognised_de_jure"):
        meaning_of("annexed")


def test_a_freeze_through_elsewhere_leaves_held_land_unchanged():
    # Issue 25: the freeze baseline's "frozen, Ukrainian side" was all government-held Ukraine.
    from peacemap.layers.plans.model import load_plan

    assert rule_status(Rule.FREEZE, "held", None, named=True) is Status.FROZEN_UKRAINIAN
    assert rule_status(Rule.FREEZE, "held", None, named=False) is Status.UKRAINIAN
    assert rule_status(Rule.FREEZE, "occupied", Recognition.NONE, named=False) is Status.FROZEN_RUSSIAN
    freeze = load_plan("freeze")
    assert freeze.status_for("UA-14", "held") is Status.FROZEN_UKRAINIAN  # named in its rules
    assert freeze.status_for("UA-46", "held") is Status.UKRAINIAN  # Lviv, through [elsewhere]
    assert freeze.status_for("UA-63", "occupied") is Status.FROZEN_RUSSIAN  # Kharkiv's occupied land stays frozen
