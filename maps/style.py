"""One styling table for every map, HTML and static: status -> colour, hatch, label.

Colours are from ColorBrewer's RdBu scheme (red: Russian under the plan, blue: Ukrainian) with
green for land given back, so that the statuses stay apart for readers with the common forms of
colour blindness; demilitarised zones are the hatched statuses.
"""

from __future__ import annotations

from dataclasses import dataclass

from peacemap.layers.plans.statuses import (
    DMZ,
    DMZ_DE_FACTO,
    DMZ_MUTUAL,
    DMZ_UKRAINIAN,
    FROZEN_DE_FACTO,
    FROZEN_RUSSIAN,
    FROZEN_UKRAINIAN,
    RECOGNISED_DE_FACTO,
    RECOGNISED_DE_JURE,
    RELINQUISHED,
    RUSSIAN_HELD,
    RUSSIAN_HELD_UNADDRESSED,
    STATUS_LABELS,
    STATUSES,
    UKRAINIAN,
)


@dataclass(frozen=True)
class StatusStyle:
    """How one status is drawn.

    Attributes
    ----------
    label
        Legend text.
    fill
        Fill colour (hex).
    hatch
        Matplotlib hatch pattern ("" for none); HTML maps draw hatched statuses with an SVG
        pattern of diagonal lines in ``hatch_colour``.
    hatch_colour
        Colour of the hatch lines (hex).
    fill_opacity
        Opacity of the fill on HTML maps (0-1); static maps draw it opaque.
    """

    label: str
    fill: str
    hatch: str = ""
    hatch_colour: str = ""
    fill_opacity: float = 0.75


# Colours of the statuses added with recognition (issue 17) are provisional: purples for
# Russian-held land the plan does not recognise or address, and a hatch for every zone.
STATUS_STYLES: dict[str, StatusStyle] = {
    RECOGNISED_DE_JURE: StatusStyle(STATUS_LABELS[RECOGNISED_DE_JURE], "#67001f"),
    RECOGNISED_DE_FACTO: StatusStyle(STATUS_LABELS[RECOGNISED_DE_FACTO], "#b2182b"),
    FROZEN_DE_FACTO: StatusStyle(STATUS_LABELS[FROZEN_DE_FACTO], "#d6604d"),
    FROZEN_RUSSIAN: StatusStyle(STATUS_LABELS[FROZEN_RUSSIAN], "#f4a582"),
    RUSSIAN_HELD: StatusStyle(STATUS_LABELS[RUSSIAN_HELD], "#b2abd2"),
    RUSSIAN_HELD_UNADDRESSED: StatusStyle(STATUS_LABELS[RUSSIAN_HELD_UNADDRESSED], "#8073ac"),
    DMZ: StatusStyle(STATUS_LABELS[DMZ], "#fddbc7", hatch="///", hatch_colour="#b2182b", fill_opacity=0.9),
    DMZ_DE_FACTO: StatusStyle(STATUS_LABELS[DMZ_DE_FACTO], "#fee090", hatch="///", hatch_colour="#b2182b", fill_opacity=0.9),
    DMZ_MUTUAL: StatusStyle(STATUS_LABELS[DMZ_MUTUAL], "#cccccc", hatch="\\\\\\", hatch_colour="#4d4d4d", fill_opacity=0.9),
    DMZ_UKRAINIAN: StatusStyle(STATUS_LABELS[DMZ_UKRAINIAN], "#92c5de", hatch="///", hatch_colour="#2166ac", fill_opacity=0.9),
    FROZEN_UKRAINIAN: StatusStyle(STATUS_LABELS[FROZEN_UKRAINIAN], "#4393c3"),
    RELINQUISHED: StatusStyle(STATUS_LABELS[RELINQUISHED], "#1b7837"),
    UKRAINIAN: StatusStyle(STATUS_LABELS[UKRAINIAN], "#d1e5f0", fill_opacity=0.55),
}


@dataclass(frozen=True)
class LineStyle:
    """How a line layer is drawn (colour hex, width in CSS pixels / points, dash or None)."""

    label: str
    colour: str
    width: float
    dash: str | None = None


# The line of contact where the plan freezes it is the map's main line; elsewhere it is drawn
# thinner and dashed, for orientation.
CONTACT_FROZEN = LineStyle("Line of contact, frozen by the plan", "#000000", 3.5)
CONTACT_OTHER = LineStyle("Line of contact (not a border under the plan)", "#333333", 1.5, dash="6 4")
FROZEN_RULES = ("freeze",)
OUTLINE = LineStyle("Region borders", "#555555", 0.6)
PLACE_COLOUR = "#111111"
BACKGROUND = "#f2f1ec"


def status_style(status: str) -> StatusStyle:
    """The style of ``status`` (one of :data:`peacemap.layers.plans.apply.STATUSES`)."""
    try:
        return STATUS_STYLES[status]
    except KeyError:
        raise KeyError(f"'status' {status!r} has no style; expected one of {', '.join(STATUSES)}") from None


def contact_style(rule: str) -> LineStyle:
    """Line style of the line of contact in a region whose plan rule is ``rule``."""
    return CONTACT_FROZEN if rule in FROZEN_RULES else CONTACT_OTHER


def legend_entries() -> list[tuple[str, StatusStyle]]:
    """(status, style) for every status, in legend order."""
    return list(STATUS_STYLES.items())
