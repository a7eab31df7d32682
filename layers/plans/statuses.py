"""The statuses a plan gives land: what each one means, how every output names it, and which
status a rule gives the occupied and the held part of a region.

A status stands for one meaning (:class:`Meaning`): whose side of the line the land is on after
the plan (``side_after``: ``russian``, ``ukrainian`` or ``undetermined``), whether and how the
plan recognises it as Russian (``recognition``: ``de_jure``, ``de_facto``, ``none`` or
``not_addressed``), and, for a demilitarised zone, who withdraws from it. Labels are derived from
these fields (:func:`label_of`), so reports, legends and popups name each status the same way
and two statuses that mean different things never share a label.
"""

from __future__ import annotations

from dataclasses import dataclass

from peacemap.layers.control import HELD, OCCUPIED

# Whose side of the line land is on after a plan.
RUSSIAN, UKRAINIAN_SIDE, UNDETERMINED = "russian", "ukrainian", "undetermined"
SIDES = (RUSSIAN, UKRAINIAN_SIDE, UNDETERMINED)
# Whether and how a plan recognises land as Russian. ``none``: the plan says it is not (or only
# a line, not territory, is recognised); ``not_addressed``: the plan does not say.
DE_JURE, DE_FACTO, NO_RECOGNITION, NOT_ADDRESSED = "de_jure", "de_facto", "none", "not_addressed"
RECOGNITIONS = (DE_JURE, DE_FACTO, NO_RECOGNITION, NOT_ADDRESSED)
# Who withdraws its forces from a demilitarised zone.
WITHDRAWALS = ("ukraine", "russia", "both")

# Kinds of treatment; a status is one kind with one side and one recognition.
RECOGNISED, FROZEN, KEPT, DEMILITARISED, RETURNED, UNCHANGED = "recognised", "frozen", "kept", "dmz", "returned", "unchanged"


@dataclass(frozen=True)
class Meaning:
    """What a status says about land.

    Attributes
    ----------
    kind
        ``recognised``, ``frozen`` (along the line of contact), ``kept`` (left as it is),
        ``dmz`` (demilitarised), ``returned`` (to Ukraine) or ``unchanged``.
    side_after
        ``russian``, ``ukrainian`` or ``undetermined``: whose the land is after the plan.
    recognition
        ``de_jure``, ``de_facto``, ``none`` or ``not_addressed``: recognition as Russian.
    withdraws
        For a demilitarised zone: ``ukraine``, ``russia`` or ``both``; else empty.
    """

    kind: str
    side_after: str
    recognition: str
    withdraws: str = ""


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

# The one table of statuses, in the order outputs list them: Russian side first, then
# demilitarised zones, then the Ukrainian side.
MEANINGS: dict[str, Meaning] = {
    RECOGNISED_DE_JURE: Meaning(RECOGNISED, RUSSIAN, DE_JURE),
    RECOGNISED_DE_FACTO: Meaning(RECOGNISED, RUSSIAN, DE_FACTO),
    FROZEN_DE_FACTO: Meaning(FROZEN, RUSSIAN, DE_FACTO),
    FROZEN_RUSSIAN: Meaning(FROZEN, RUSSIAN, NO_RECOGNITION),
    RUSSIAN_HELD: Meaning(KEPT, RUSSIAN, NO_RECOGNITION),
    RUSSIAN_HELD_UNADDRESSED: Meaning(KEPT, RUSSIAN, NOT_ADDRESSED),
    DMZ: Meaning(DEMILITARISED, RUSSIAN, DE_JURE, withdraws="ukraine"),
    DMZ_DE_FACTO: Meaning(DEMILITARISED, RUSSIAN, DE_FACTO, withdraws="ukraine"),
    DMZ_MUTUAL: Meaning(DEMILITARISED, UNDETERMINED, NO_RECOGNITION, withdraws="both"),
    DMZ_UKRAINIAN: Meaning(DEMILITARISED, UKRAINIAN_SIDE, NO_RECOGNITION, withdraws="russia"),
    FROZEN_UKRAINIAN: Meaning(FROZEN, UKRAINIAN_SIDE, NO_RECOGNITION),
    RELINQUISHED: Meaning(RETURNED, UKRAINIAN_SIDE, NO_RECOGNITION),
    UKRAINIAN: Meaning(UNCHANGED, UKRAINIAN_SIDE, NO_RECOGNITION),
}
STATUSES = tuple(MEANINGS)

_RECOGNITION_WORDS = {DE_JURE: "de jure", DE_FACTO: "de facto"}
_WITHDRAWAL_WORDS = {"ukraine": "Ukraine withdraws", "russia": "Russia withdraws", "both": "both sides withdraw"}


def label_of(meaning: Meaning) -> str:
    """How every output names land of ``meaning``, built from its fields (e.g. "Frozen along the
    line: de facto recognition", "Russian-held, not addressed")."""
    kind, side, recognition = meaning.kind, meaning.side_after, meaning.recognition
    if kind == RECOGNISED:
        return f"Recognised as Russian ({_RECOGNITION_WORDS[recognition]})"
    if kind == DEMILITARISED:
        return f"Demilitarised zone, {_WITHDRAWAL_WORDS[meaning.withdraws]}: {_dmz_sovereignty(side, recognition)}"
    if side == UKRAINIAN_SIDE:
        return {FROZEN: "Frozen along the line, Ukrainian-held side", RETURNED: "Returned to Ukraine",
                UNCHANGED: "Ukrainian, unchanged"}[kind]
    if kind == FROZEN:
        if recognition == DE_FACTO:
            return "Frozen along the line: de facto recognition"
        return f"Frozen along the line, Russian-held: {_recognition_phrase(recognition)}"
    return f"Russian-held, {_recognition_phrase(recognition)}"


def _dmz_sovereignty(side: str, recognition: str) -> str:
    if side == RUSSIAN:
        return f"recognised as Russian ({_RECOGNITION_WORDS[recognition]})"
    return "Ukrainian" if side == UKRAINIAN_SIDE else "sovereignty undetermined"


def _recognition_phrase(recognition: str) -> str:
    if recognition in _RECOGNITION_WORDS:
        return f"recognised {_RECOGNITION_WORDS[recognition]}"
    return "not recognised" if recognition == NO_RECOGNITION else "not addressed"


# How every output (reports, map legends, popups) names each status.
STATUS_LABELS = {status: label_of(meaning) for status, meaning in MEANINGS.items()}

# Which recognition each rule takes for the land it puts on the Russian side, and the status of
# the occupied part under it. "keep" leaves the region as it is: occupied land stays Russian-held
# (recognised only if the plan says so, which a keep rule cannot) and held land Ukrainian.
_OCCUPIED_STATUS = {
    "recognise": {DE_JURE: RECOGNISED_DE_JURE, DE_FACTO: RECOGNISED_DE_FACTO},
    "freeze": {DE_FACTO: FROZEN_DE_FACTO, NO_RECOGNITION: FROZEN_RUSSIAN},
    "keep": {NO_RECOGNITION: RUSSIAN_HELD, NOT_ADDRESSED: RUSSIAN_HELD_UNADDRESSED},
    "dmz": {DE_JURE: RECOGNISED_DE_JURE, DE_FACTO: RECOGNISED_DE_FACTO, NO_RECOGNITION: RUSSIAN_HELD,
            NOT_ADDRESSED: RUSSIAN_HELD_UNADDRESSED},
    "relinquish": {"": RELINQUISHED},
}
_HELD_STATUS = {"freeze": FROZEN_UKRAINIAN, "keep": UKRAINIAN, "relinquish": UKRAINIAN}


def recognitions_for(rule: str, part: str) -> tuple[str, ...]:
    """The recognitions rule ``rule`` can give its ``part`` (``occupied`` or ``held``) of a region;
    ``("",)`` where the part is not on the Russian side and takes none."""
    if part == OCCUPIED:
        return tuple(_OCCUPIED_STATUS[rule])
    if rule == "recognise":
        return (DE_JURE, DE_FACTO)
    if rule == "dmz":
        return tuple(sorted({m.recognition for m in MEANINGS.values() if m.kind == DEMILITARISED}, key=RECOGNITIONS.index))
    return ("",)


def dmz_status(side_after: str, withdraws: str, recognition: str) -> str | None:
    """The demilitarised-zone status with these fields, or None if the table has none."""
    wanted = Meaning(DEMILITARISED, side_after, recognition, withdraws)
    return next((status for status, meaning in MEANINGS.items() if meaning == wanted), None)


def dmz_choices() -> list[str]:
    """Every demilitarised zone the table knows, as ``side_after/withdraws/recognition`` (for messages)."""
    return [f"{m.side_after}/{m.withdraws}/{m.recognition}" for m in MEANINGS.values() if m.kind == DEMILITARISED]


def rule_status(rule: str, part: str, recognition: str, *, side_after: str = "", withdraws: str = "",
                named: bool = True) -> str | None:
    """The status rule ``rule`` gives the ``part`` (``occupied`` or ``held``) of a region.

    ``recognition`` is the recognition the plan gives that part as Russian (empty where the part
    stays or becomes Ukrainian); ``side_after`` and ``withdraws`` describe a ``dmz`` rule's
    demilitarised zone. None if the combination has no status (plan files are checked for that).

    ``named`` is False for a region the rule reaches through a plan's ``[elsewhere]``: a freeze
    there stops the fighting along the line, but its held land stays Ukrainian and unchanged,
    not "frozen along the line, Ukrainian-held side", which is the held land of the regions a
    plan freezes by name (issue 25; ../shared/plans.md: a plan that freezes the whole line would
    otherwise call all of government-held Ukraine frozen).
    """
    if part == HELD and rule == "freeze" and not named:
        return UKRAINIAN
    if part == OCCUPIED:
        return _OCCUPIED_STATUS[rule].get(recognition)
    if part != HELD:
        raise ValueError(f"'part' should be {OCCUPIED!r} or {HELD!r}, got {part!r}")
    if rule == "recognise":
        return _OCCUPIED_STATUS["recognise"].get(recognition)
    if rule == "dmz":
        return dmz_status(side_after, withdraws, recognition)
    return _HELD_STATUS[rule]


def meaning_of(status: str) -> Meaning:
    """The :class:`Meaning` of ``status``; KeyError naming the known statuses otherwise."""
    try:
        return MEANINGS[status]
    except KeyError:
        raise KeyError(f"'status' {status!r} is not a status; expected one of {', '.join(STATUSES)}") from None
