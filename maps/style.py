"""One styling table for every map, HTML and static: status -> colour and label, the overlays that
mark land changing hands, lines, and the context around Ukraine.

The status colours stay apart for every reader: any two statuses that can touch (that a
shipped plan, with any of its options, puts on one map; a status no shipped plan uses, with
every other) differ by at least :data:`MIN_DELTA_E` (ΔE76 in CIELAB) under normal vision and
under simulated deuteranopia, protanopia and tritanopia (Machado et al. 2009), and by at least
:data:`MIN_DELTA_L` in CIELAB lightness unless a hatch tells them apart, so they stay apart
printed in greyscale too (``tests/test_maps_palette.py`` checks every such pair). Hue carries the meaning where it
can: reds, browns and sand for the Russian side after the plan, blues for the Ukrainian side,
violet for the demilitarised zone, green for land returned to Ukraine.

What changes hands is the news, so it is the strongest mark: the statuses whose land changes sides
(the 28-point plan's demilitarised zone, land returned) are dark and saturated, and land that stays
where it is, frozen or recognised as it is held, is drawn in light, greyed colours (the palette
test checks this on the 28-point plan). On top of its status colour, land that changes hands is
also hatched where Ukraine holds it on the map's date and the plan puts it on the Russian side,
and outlined with a dashed line where Russia returns it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from peacemap.layers.i18n.catalogue import N_, gettext
from peacemap.layers.i18n.dates import date_text
from peacemap.layers.i18n.language import ENGLISH, current_language
from peacemap.layers.plans.statuses import Rule, Status

# The palette's promise (see the module docstring), checked by tests/test_maps_palette.py.
MIN_DELTA_E = 20.0
MIN_DELTA_L = 12.0
MIN_CONTEXT_DELTA_E = 10.0


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
        Matplotlib hatch pattern, "" for none. The plans' own statuses need none; a status whose fill
        cannot be told apart from another's in greyscale may take one (the palette test then
        accepts the pair in greyscale). HTML maps draw it as an SVG pattern.
    hatch_colour
        Colour of the hatch lines (hex).
    fill_opacity
        Opacity of the fill on HTML maps (0-1); static maps draw it opaque. Below 1 so that
        OpenStreetMap tiles, when switched on, show through a little.
    """

    label: str
    fill: str
    hatch: str = ""
    hatch_colour: str = ""
    fill_opacity: float = 0.92


STATUS_STYLES: dict[Status, StatusStyle] = {
    # The six statuses of the 28-point plan; any two of the thirteen are apart (see the module
    # docstring) wherever they can touch: in one plan's map.
    Status.RECOGNISED_DE_FACTO: StatusStyle(Status.RECOGNISED_DE_FACTO.label, "#b5706e"),
    Status.FROZEN_DE_FACTO: StatusStyle(Status.FROZEN_DE_FACTO.label, "#efc7af"),
    Status.DMZ: StatusStyle(Status.DMZ.label, "#3b0fb0"),
    Status.FROZEN_UKRAINIAN: StatusStyle(Status.FROZEN_UKRAINIAN.label, "#8aaeb7"),
    Status.RELINQUISHED: StatusStyle(Status.RELINQUISHED.label, "#0e7008"),
    # Russia's demand, the European counter-proposal, the 20-point draft and the freeze.
    Status.RECOGNISED_DE_JURE: StatusStyle(Status.RECOGNISED_DE_JURE.label, "#c80828"),
    Status.FROZEN_RUSSIAN: StatusStyle(Status.FROZEN_RUSSIAN.label, "#e6cd7a"),
    # Hatched, and dark: with the 28-point plan's option 21c-none (issue 25) it meets all six of
    # that plan's statuses, and only dark colours stay 20 apart from each (the hatch stands in
    # for the lightness step).
    Status.RUSSIAN_HELD: StatusStyle(Status.RUSSIAN_HELD.label, "#5a304b", hatch="//", hatch_colour="#a08296"),
    Status.RUSSIAN_HELD_UNADDRESSED: StatusStyle(Status.RUSSIAN_HELD_UNADDRESSED.label, "#b560d7"),
    # Demilitarised zones other than the 28-point plan's are hatched: their colour differs from
    # every status's, and the hatch tells them from their neighbours in greyscale.
    Status.DMZ_MUTUAL: StatusStyle(Status.DMZ_MUTUAL.label, "#9f997c", hatch="xx", hatch_colour="#4d4d4d"),
    Status.DMZ_DE_FACTO: StatusStyle(Status.DMZ_DE_FACTO.label, "#4061fa", hatch="xx", hatch_colour="#ffffff"),
    Status.DMZ_UKRAINIAN: StatusStyle(Status.DMZ_UKRAINIAN.label, "#74d0fe", hatch="xx", hatch_colour="#274f88"),
    Status.UKRAINIAN: StatusStyle(Status.UKRAINIAN.label, "#f4f7fc"),
}


@dataclass(frozen=True)
class OverlayStyle:
    """How land that changes hands is marked over its status colour.

    Attributes
    ----------
    label
        Legend text (a message of the catalogue), naming the map's date as ``{on}``
        (:func:`overlay_label` fills it in, in the language being written).
    colour
        Colour of the hatch lines and the outline (hex).
    casing
        Colour drawn under the lines, wider, so they read on dark and light fills alike.
    hatch
        Matplotlib hatch pattern ("" for none); HTML maps draw diagonal lines.
    outline_width
        Width of the outline, points (static) or CSS pixels (HTML).
    outline_dash
        Dash pattern of the outline ("on off", same units) or None for solid.
    """

    label: str
    colour: str
    casing: str
    hatch: str = ""
    outline_width: float = 1.6
    outline_dash: str | None = None


GIVEN_UP = "given_up"
RETURNED = "returned"
# Labels name the map's date ({on}: "on 20 Nov 2025"; see overlay_label), never "today".
OVERLAY_STYLES: dict[str, OverlayStyle] = {
    GIVEN_UP: OverlayStyle(N_("Held by Ukraine {on}, Russian side under the plan"), "#111111", "#ffffff", hatch="///"),
    RETURNED: OverlayStyle(N_("Occupied {on}, returned to Ukraine under the plan"), "#0b4a26", "#ffffff", outline_dash="5 3"),
}


@dataclass(frozen=True)
class LineStyle:
    """How a line layer is drawn (colour hex, width in CSS pixels / points, dash or None)."""

    label: str
    colour: str
    width: float
    dash: str | None = None


# The line of contact where the plan freezes it is the map's main line; elsewhere it is drawn
# thinner and dashed, for orientation. Both run on a white casing so they read over any fill.
CONTACT_FROZEN = LineStyle(N_("Line of contact, frozen by the plan"), "#000000", 3.5)
CONTACT_OTHER = LineStyle(N_("Line of contact (not a border under the plan)"), "#1a1a1a", 2.0, dash="7 4")
CONTACT_CASING = "#ffffff"
CONTACT_CASING_EXTRA = 2.5  # casing width beyond the line's own, same units
FROZEN_RULES = (Rule.FREEZE,)
OUTLINE = LineStyle(N_("Region borders"), "#5f5f5f", 0.6)
UKRAINE_BORDER = LineStyle(N_("Border of Ukraine"), "#3a3a3a", 1.2)
PLACE_COLOUR = "#111111"

# Context: sea (the map's background), neighbouring countries, their names. Every status, the
# sea and the neighbours differ by at least MIN_CONTEXT_DELTA_E under every simulated vision;
# no lightness step is asked of them, as the coast and Ukraine's border are drawn between them.
SEA = "#bfd5e4"
NEIGHBOUR_FILL = "#dedad2"
NEIGHBOUR_BORDER = "#ffffff"
COUNTRY_LABEL_COLOUR = "#7a756c"
SEA_LABEL_COLOUR = "#4f7591"
BACKGROUND = SEA


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_words(day: dt.date | None) -> str:
    """``on 20 Nov 2025`` for a map of that date (English month, whatever the locale; in
    Ukrainian ``на 20 листопада 2025 р.``); ``on the map's date`` when it has none."""
    if day is None:
        return gettext("on the map's date")
    if current_language() == ENGLISH:
        return f"on {day.day} {_MONTHS[day.month - 1]} {day.year}"
    return gettext("on %(date)s") % {"date": date_text(day)}


def overlay_label(kind: str, day: dt.date | None, *, on: str | None = None) -> str:
    """The legend label of the overlay ``kind`` (``given_up`` or ``returned``) on a map of ``day``
    (see :func:`date_words`), or with ``on`` as the words for the date ("on the frame's date"), in
    the language being written."""
    return gettext(OVERLAY_STYLES[kind].label).format(on=on if on is not None else date_words(day))


def status_style(status: str) -> StatusStyle:
    """The style of ``status`` (a :class:`peacemap.layers.plans.statuses.Status`, or its value)."""
    try:
        return STATUS_STYLES[Status(status)]
    except (ValueError, KeyError):
        raise KeyError(f"'status' {str(status)!r} has no style; expected one of {', '.join(Status)}") from None


def contact_style(rule: str) -> LineStyle:
    """Line style of the line of contact in a region whose plan rule is ``rule``."""
    return CONTACT_FROZEN if rule in FROZEN_RULES else CONTACT_OTHER


def contact_legend(rules: Iterable[str]) -> list[LineStyle]:
    """The line styles a map whose line of contact runs through regions with ``rules`` shows."""
    used = {contact_style(rule) for rule in rules}
    return [line for line in (CONTACT_FROZEN, CONTACT_OTHER) if line in used]
