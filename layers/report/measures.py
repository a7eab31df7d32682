"""The headline measures of a plan: their keys, how every output names them, and which measure
each one is a part of (with :mod:`peacemap.layers.plans.statuses`, peacemap's vocabulary).

One table for every output (terminal, ``report.md``/``.json``/``.csv``, ``compare``, ``control
compare``, the plan timeline, the maps): a label means one measure everywhere. A measure with a
``parent`` is one of its parent's disjoint parts, and the parts of a parent add up to it exactly,
in km² and in people (the bands of the parts are each computed on the part; they do not add up).
No key is also the id of a status (``layers.plans.statuses``): a key names a measure, a status a
kind of land. The labels are English, the message ids of the catalogue: the outputs translate
them where they write them (:mod:`peacemap.layers.report.terms`).
"""

from __future__ import annotations

from enum import StrEnum

from peacemap.layers.i18n.catalogue import N_


class Measure(StrEnum):
    """A headline measure: its JSON key (the value), ``label`` (report.md, terminal), ``short_label``
    (table columns, chart panels) and ``parent`` (the measure it is a part of, or None)."""

    label: str
    short_label: str
    _parent_key: str  # the parent's member name

    def __new__(cls, key: str, label: str, short_label: str, parent: str = "") -> Measure:
        member = str.__new__(cls, key)
        member._value_ = key
        member.label = label
        member.short_label = short_label
        member._parent_key = parent  # noqa: SLF001 - the member being made, in its own class's __new__
        return member

    RUSSIAN_SIDE = ("russian_side", "Russian side of the line after the plan", "Russian side after the plan")
    RUSSIAN_SIDE_DE_JURE = ("russian_side_de_jure", "of which recognised as Russian de jure", "recognised de jure", "RUSSIAN_SIDE")
    RUSSIAN_SIDE_DE_FACTO = ("russian_side_de_facto", "of which recognised as Russian de facto, by region", "recognised de facto, by region", "RUSSIAN_SIDE")
    RUSSIAN_SIDE_FROZEN_DE_FACTO = (
        "russian_side_frozen_de_facto",
        "of which frozen along the line, recognised de facto",
        "frozen, recognised de facto",
        "RUSSIAN_SIDE",
    )
    RUSSIAN_SIDE_NOT_RECOGNISED = ("russian_side_not_recognised", "of which Russian-held, not recognised", "Russian-held, not recognised", "RUSSIAN_SIDE")
    RUSSIAN_SIDE_NOT_ADDRESSED = (
        "russian_side_not_addressed",
        "of which Russian-held, not addressed by the plan",
        "Russian-held, not addressed",
        "RUSSIAN_SIDE",
    )
    UNDER_RUSSIAN_FORCES = ("under_russian_forces", "Under Russian forces after the plan", "under Russian forces")
    CEDED = ("ceded_beyond_line", "Ukraine gives up beyond the line of contact", "given up beyond the line")
    CEDED_DEMILITARISED = ("ceded_demilitarised", "of which demilitarised zone", "given up as a demilitarised zone", "CEDED")
    CEDED_TO_RUSSIAN_FORCES = ("ceded_to_russian_forces", "of which to Russian forces", "given up to Russian forces", "CEDED")
    BOTH_WITHDRAW = ("both_withdraw", "Demilitarised, both sides withdraw", "demilitarised, both withdraw")
    BOTH_WITHDRAW_HELD = ("both_withdraw_held_by_ukraine", "of which held by Ukraine on the date", "both withdraw, held by Ukraine", "BOTH_WITHDRAW")
    BOTH_WITHDRAW_OCCUPIED = ("both_withdraw_held_by_russia", "of which held by Russia on the date", "both withdraw, held by Russia", "BOTH_WITHDRAW")
    RETURNED = ("returned", "Occupied land returned to Ukraine", "returned to Ukraine")
    FROZEN_UKRAINIAN_SIDE = ("frozen_ukrainian_side", "Frozen along the line, Ukrainian side", "frozen, Ukrainian side")

    @property
    def heading(self) -> str:
        """The label standing on its own: without "of which", capitalised ("Demilitarised zone")."""
        text = self.label.removeprefix("of which ")
        return text[:1].upper() + text[1:]

    @property
    def parent(self) -> Measure | None:  # a property: members cannot name each other while the class is made
        """The measure this one is a part of, or None."""
        return Measure[self._parent_key] if self._parent_key else None

    @property
    def parts(self) -> tuple[Measure, ...]:
        """The measures that are this one's disjoint parts, in order (empty for most)."""
        return tuple(measure for measure in Measure if measure.parent is self)


class ControlMeasure(StrEnum):
    """The measure of the rows of ``control compare`` that are no plan's: land each map of control
    counts as occupied. Its value (the CSV's ``measure``) and ``label``."""

    label: str

    def __new__(cls, key: str, label: str) -> ControlMeasure:
        member = str.__new__(cls, key)
        member._value_ = key
        member.label = label
        return member

    OCCUPIED = ("occupied", "Occupied land")


# How each measure is made: the statuses (layers.plans.statuses) and control on the date it counts.
DEFINITIONS: dict[Measure, str] = {
    Measure.RUSSIAN_SIDE: "land occupied on the date, less what the plan returns or has both sides leave, plus what Ukraine gives up",
    Measure.RUSSIAN_SIDE_DE_JURE: "land the plan recognises as Russian de jure (whole regions and demilitarised zones)",
    Measure.RUSSIAN_SIDE_DE_FACTO: "land the plan recognises as Russian de facto as a region (not along a frozen line), "
    "demilitarised zones recognised de facto included",
    Measure.RUSSIAN_SIDE_FROZEN_DE_FACTO: "occupied land frozen along the line where the freeze means de facto recognition",
    Measure.RUSSIAN_SIDE_NOT_RECOGNISED: "Russian-held land the plan says is not recognised (kept or frozen without recognition)",
    Measure.RUSSIAN_SIDE_NOT_ADDRESSED: "Russian-held land the plan does not address",
    Measure.UNDER_RUSSIAN_FORCES: "the Russian side less every demilitarised zone (which Russian forces do not enter)",
    Measure.CEDED: "land Ukraine holds on the date that passes to the Russian side",
    Measure.CEDED_DEMILITARISED: "the land given up that becomes a demilitarised zone Ukraine withdraws from",
    Measure.CEDED_TO_RUSSIAN_FORCES: "the land given up that passes to Russian forces",
    Measure.BOTH_WITHDRAW: "demilitarised zones both sides withdraw from (sovereignty undetermined); never in the land given up",
    Measure.BOTH_WITHDRAW_HELD: "the part of those zones Ukraine held on the date",
    Measure.BOTH_WITHDRAW_OCCUPIED: "the part of those zones Russia held on the date",
    Measure.RETURNED: "land occupied on the date that the plan puts on the Ukrainian side",
    Measure.FROZEN_UKRAINIAN_SIDE: "held land of the regions the plan names in a rule that freezes their line",
}


# How the change lines of ``control compare`` word each measure's land: one whole sentence per
# measure and direction, messages of the catalogue, so that each language words it whole (a
# Ukrainian verb agrees with its subject).
CHANGE_SENTENCES: dict[Measure, dict[str, str]] = {
    Measure.CEDED: {
        "stays": N_("From %(earlier)s to %(later)s, the land Ukraine gives up beyond the line of contact stays at %(area)s."),
        "grows": N_("From %(earlier)s to %(later)s, the land Ukraine gives up beyond the line of contact grows by %(area)s and %(people)s."),
        "shrinks": N_("From %(earlier)s to %(later)s, the land Ukraine gives up beyond the line of contact shrinks by %(area)s and %(people)s."),
    },
    Measure.CEDED_DEMILITARISED: {
        "stays": N_("From %(earlier)s to %(later)s, the demilitarised zone stays at %(area)s."),
        "grows": N_("From %(earlier)s to %(later)s, the demilitarised zone grows by %(area)s and %(people)s."),
        "shrinks": N_("From %(earlier)s to %(later)s, the demilitarised zone shrinks by %(area)s and %(people)s."),
    },
}


def depth(measure: Measure) -> int:
    """0 for a measure, 1 for a part of one (for indenting)."""
    return 0 if measure.parent is None else 1 + depth(measure.parent)
