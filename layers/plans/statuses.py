"""The vocabulary of plans: the rules a plan gives a region, the statuses it gives land, what each
status means (its kind, side, recognition), how every output names it, and which status a rule
gives the occupied and the held part of a region.

Each term is a member of a :class:`enum.StrEnum`, whose value is the string the plan files and
every output write (``Status.DMZ == "dmz"``, serialised as ``"dmz"``). ``"dmz"`` is a status, a
kind and a rule, and ``"ukrainian"`` a status and a side: each is a member of its own enum, so
that one is never taken for the other. Headline measures are in
:mod:`peacemap.layers.report.measures`.

A status stands for one meaning: whose side of the line the land is on after the plan
(:class:`Side`), whether and how the plan recognises it as Russian (:class:`Recognition`), and,
for a demilitarised zone, who withdraws from it (:class:`Withdrawal`). Its label is derived from
these (:attr:`Status.label`), so that reports, legends and popups name each status the same way
and two statuses that mean different things never share a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from peacemap.layers.control import HELD, OCCUPIED


class Side(StrEnum):
    """Whose side of the line land is on after a plan."""

    RUSSIAN = "russian"
    UKRAINIAN = "ukrainian"
    UNDETERMINED = "undetermined"


class Recognition(StrEnum):
    """Whether and how a plan recognises land as Russian. ``none``: the plan says it is not (or
    only a line, not territory, is recognised); ``not_addressed``: the plan does not say."""

    DE_JURE = "de_jure"
    DE_FACTO = "de_facto"
    NONE = "none"
    NOT_ADDRESSED = "not_addressed"

    @property
    def words(self) -> str:
        """``de jure``, ``de facto``, ``not recognised`` or ``not addressed``."""
        return {"none": "not recognised"}.get(self, self.replace("_", " "))

    @property
    def recognises(self) -> bool:
        """True for de jure and de facto: the plan recognises the land as Russian (and may say by whom)."""
        return self in (Recognition.DE_JURE, Recognition.DE_FACTO)


class Withdrawal(StrEnum):
    """Who withdraws its forces from a demilitarised zone."""

    UKRAINE = "ukraine"
    RUSSIA = "russia"
    BOTH = "both"

    @property
    def words(self) -> str:
        """``Ukraine withdraws``, ``Russia withdraws`` or ``both sides withdraw``."""
        return "both sides withdraw" if self is Withdrawal.BOTH else f"{self.capitalize()} withdraws"


class Kind(StrEnum):
    """What a plan does with land; a status is one kind with one side and one recognition."""

    RECOGNISED = "recognised"
    FROZEN = "frozen"  # along the line of contact
    KEPT = "kept"  # left as it is
    DEMILITARISED = "dmz"
    RETURNED = "returned"  # to Ukraine
    UNCHANGED = "unchanged"


class Rule(StrEnum):
    """What a plan file says a region's land becomes (``rule = ...``; :mod:`peacemap.layers.plans.model`)."""

    RECOGNISE = "recognise"
    FREEZE = "freeze"
    DMZ = "dmz"
    RELINQUISH = "relinquish"
    KEEP = "keep"

    @property
    def recognises_held_land(self) -> bool:
        """True for the rules that put the held part of a region on the Russian side (recognise, dmz)."""
        return self in (Rule.RECOGNISE, Rule.DMZ)


@dataclass(frozen=True)
class Meaning:
    """What a status says about land.

    Attributes
    ----------
    kind
        What the plan does with the land (:class:`Kind`).
    side_after
        Whose the land is after the plan (:class:`Side`).
    recognition
        Its recognition as Russian (:class:`Recognition`).
    withdraws
        For a demilitarised zone: who withdraws (:class:`Withdrawal`); else None.
    """

    kind: Kind
    side_after: Side
    recognition: Recognition
    withdraws: Withdrawal | None = None


class Status(StrEnum):
    """The status a plan gives land, in the order outputs list them: Russian side first, then
    demilitarised zones, then the Ukrainian side. Each carries its :attr:`meaning` and :attr:`label`."""

    RECOGNISED_DE_JURE = "recognised_de_jure"
    RECOGNISED_DE_FACTO = "recognised_de_facto"
    FROZEN_DE_FACTO = "frozen_de_facto"
    FROZEN_RUSSIAN = "frozen_russian"
    RUSSIAN_HELD = "russian_held"
    RUSSIAN_HELD_UNADDRESSED = "russian_held_unaddressed"
    DMZ = "dmz"
    DMZ_DE_FACTO = "dmz_de_facto"
    DMZ_MUTUAL = "dmz_mutual"
    DMZ_UKRAINIAN = "dmz_ukrainian"
    FROZEN_UKRAINIAN = "frozen_ukrainian"
    RELINQUISHED = "relinquished"
    UKRAINIAN = "ukrainian"

    @property
    def meaning(self) -> Meaning:
        """What the status says about land."""
        return _MEANINGS[self]

    @property
    def label(self) -> str:
        """How every output names land of this status (:func:`label_of` its meaning)."""
        return label_of(_MEANINGS[self])


# What each status means: one meaning each, and every meaning a plan can give land has a status.
_MEANINGS: dict[Status, Meaning] = {
    Status.RECOGNISED_DE_JURE: Meaning(Kind.RECOGNISED, Side.RUSSIAN, Recognition.DE_JURE),
    Status.RECOGNISED_DE_FACTO: Meaning(Kind.RECOGNISED, Side.RUSSIAN, Recognition.DE_FACTO),
    Status.FROZEN_DE_FACTO: Meaning(Kind.FROZEN, Side.RUSSIAN, Recognition.DE_FACTO),
    Status.FROZEN_RUSSIAN: Meaning(Kind.FROZEN, Side.RUSSIAN, Recognition.NONE),
    Status.RUSSIAN_HELD: Meaning(Kind.KEPT, Side.RUSSIAN, Recognition.NONE),
    Status.RUSSIAN_HELD_UNADDRESSED: Meaning(Kind.KEPT, Side.RUSSIAN, Recognition.NOT_ADDRESSED),
    Status.DMZ: Meaning(Kind.DEMILITARISED, Side.RUSSIAN, Recognition.DE_JURE, Withdrawal.UKRAINE),
    Status.DMZ_DE_FACTO: Meaning(Kind.DEMILITARISED, Side.RUSSIAN, Recognition.DE_FACTO, Withdrawal.UKRAINE),
    Status.DMZ_MUTUAL: Meaning(Kind.DEMILITARISED, Side.UNDETERMINED, Recognition.NONE, Withdrawal.BOTH),
    Status.DMZ_UKRAINIAN: Meaning(Kind.DEMILITARISED, Side.UKRAINIAN, Recognition.NONE, Withdrawal.RUSSIA),
    Status.FROZEN_UKRAINIAN: Meaning(Kind.FROZEN, Side.UKRAINIAN, Recognition.NONE),
    Status.RELINQUISHED: Meaning(Kind.RETURNED, Side.UKRAINIAN, Recognition.NONE),
    Status.UKRAINIAN: Meaning(Kind.UNCHANGED, Side.UKRAINIAN, Recognition.NONE),
}


def label_of(meaning: Meaning) -> str:
    """How every output names land of ``meaning``, built from its fields (e.g. "Frozen along the
    line: de facto recognition", "Russian-held, not addressed")."""
    kind, side, recognition = meaning.kind, meaning.side_after, meaning.recognition
    if kind is Kind.RECOGNISED:
        return f"Recognised as Russian ({recognition.words})"
    if kind is Kind.DEMILITARISED and meaning.withdraws is not None:
        return f"Demilitarised zone, {meaning.withdraws.words}: {_dmz_sovereignty(side, recognition)}"
    if side is Side.UKRAINIAN:
        return {Kind.FROZEN: "Frozen along the line, Ukrainian-held side", Kind.RETURNED: "Returned to Ukraine", Kind.UNCHANGED: "Ukrainian, unchanged"}[kind]
    if kind is Kind.FROZEN:
        if recognition is Recognition.DE_FACTO:
            return "Frozen along the line: de facto recognition"
        return f"Frozen along the line, Russian-held: {_recognition_phrase(recognition)}"
    return f"Russian-held, {_recognition_phrase(recognition)}"


def _dmz_sovereignty(side: Side, recognition: Recognition) -> str:
    if side is Side.RUSSIAN:
        return f"recognised as Russian ({recognition.words})"
    return "Ukrainian" if side is Side.UKRAINIAN else "sovereignty undetermined"


def _recognition_phrase(recognition: Recognition) -> str:
    return f"recognised {recognition.words}" if recognition.recognises else recognition.words


# Which recognition each rule takes for the land it puts on the Russian side, and the status of
# the occupied part under it. "keep" leaves the region as it is: occupied land stays Russian-held
# (recognised only if the plan says so, which a keep rule cannot) and held land Ukrainian.
_OCCUPIED_STATUS: dict[Rule, dict[Recognition | None, Status]] = {
    Rule.RECOGNISE: {Recognition.DE_JURE: Status.RECOGNISED_DE_JURE, Recognition.DE_FACTO: Status.RECOGNISED_DE_FACTO},
    Rule.FREEZE: {Recognition.DE_FACTO: Status.FROZEN_DE_FACTO, Recognition.NONE: Status.FROZEN_RUSSIAN},
    Rule.KEEP: {Recognition.NONE: Status.RUSSIAN_HELD, Recognition.NOT_ADDRESSED: Status.RUSSIAN_HELD_UNADDRESSED},
    Rule.DMZ: {
        Recognition.DE_JURE: Status.RECOGNISED_DE_JURE,
        Recognition.DE_FACTO: Status.RECOGNISED_DE_FACTO,
        Recognition.NONE: Status.RUSSIAN_HELD,
        Recognition.NOT_ADDRESSED: Status.RUSSIAN_HELD_UNADDRESSED,
    },
    Rule.RELINQUISH: {None: Status.RELINQUISHED},
}
_HELD_STATUS = {Rule.FREEZE: Status.FROZEN_UKRAINIAN, Rule.KEEP: Status.UKRAINIAN, Rule.RELINQUISH: Status.UKRAINIAN}


def recognitions_for(rule: Rule, part: str) -> tuple[Recognition | None, ...]:
    """The recognitions rule ``rule`` can give its ``part`` (``occupied`` or ``held``) of a region;
    ``(None,)`` where the part is not on the Russian side and takes none."""
    if part == OCCUPIED:
        return tuple(_OCCUPIED_STATUS[rule])
    if rule is Rule.RECOGNISE:
        return (Recognition.DE_JURE, Recognition.DE_FACTO)
    if rule is Rule.DMZ:
        return tuple(
            recognition for recognition in Recognition if any(s.meaning.kind is Kind.DEMILITARISED and s.meaning.recognition is recognition for s in Status)
        )
    return (None,)


def dmz_status(side_after: Side, withdraws: Withdrawal, recognition: Recognition | None) -> Status | None:
    """The demilitarised-zone status with these fields, or None if there is none."""
    wanted = Meaning(Kind.DEMILITARISED, side_after, recognition, withdraws) if recognition is not None else None
    return next((status for status in Status if status.meaning == wanted), None)


def dmz_choices() -> list[str]:
    """Every demilitarised zone there is a status for, as ``side_after/withdraws/recognition`` (for messages)."""
    return [f"{m.side_after}/{m.withdraws}/{m.recognition}" for m in (s.meaning for s in Status) if m.kind is Kind.DEMILITARISED]


def rule_status(
    rule: Rule, part: str, recognition: Recognition | None, *, side_after: Side | None = None, withdraws: Withdrawal | None = None, named: bool = True
) -> Status | None:
    """The status rule ``rule`` gives the ``part`` (``occupied`` or ``held``) of a region.

    ``recognition`` is the recognition the plan gives that part as Russian (None where the part
    stays or becomes Ukrainian); ``side_after`` and ``withdraws`` describe a ``dmz`` rule's
    demilitarised zone. None if the combination has no status (plan files are checked for that).

    ``named`` is False for a region the rule reaches through a plan's ``[elsewhere]``: a freeze
    there stops the fighting along the line, but its held land stays Ukrainian and unchanged,
    not "frozen along the line, Ukrainian-held side", which is the held land of the regions a
    plan freezes by name (issue 25; ../shared/plans.md: a plan that freezes the whole line would
    otherwise call all of government-held Ukraine frozen).
    """
    if part == HELD and rule is Rule.FREEZE and not named:
        return Status.UKRAINIAN
    if part == OCCUPIED:
        return _OCCUPIED_STATUS[rule].get(recognition)
    if part != HELD:
        raise ValueError(f"'part' should be {OCCUPIED!r} or {HELD!r}, got {part!r}")
    if rule is Rule.RECOGNISE:
        return _OCCUPIED_STATUS[Rule.RECOGNISE].get(recognition)
    if rule is Rule.DMZ:
        if side_after is None or withdraws is None:
            return None
        return dmz_status(side_after, withdraws, recognition)
    return _HELD_STATUS[rule]


def meaning_of(status: str) -> Meaning:
    """The :class:`Meaning` of ``status`` (a :class:`Status` or its value); KeyError naming the
    statuses otherwise."""
    try:
        return Status(status).meaning
    except ValueError:
        raise KeyError(f"'status' {str(status)!r} is not a status; expected one of {', '.join(Status)}") from None
