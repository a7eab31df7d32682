"""The legend of a map, decided once for the HTML and the static renderers: which statuses, kinds of
land changing hands and lines of contact it lists, in which order, with which labels, colours and
hatches (:func:`legend_entries`). The renderers only draw the entries: SVG swatches in the HTML
legend box (:mod:`peacemap.maps.html.legend`), matplotlib handles on the static map
(:mod:`peacemap.maps.static`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from peacemap.layers.i18n.catalogue import N_, gettext
from peacemap.layers.report.terms import status_text
from peacemap.maps.prepare import MapLayers
from peacemap.maps.style import OUTLINE, OVERLAY_STYLES, PLACE_COLOUR, STATUS_STYLES, contact_legend, overlay_label

# Messages of the catalogue: the renderers and legend_entries translate them where they are written.
LEGEND_TITLE = N_("Under the plan")
PLACES_LABEL = N_("City, town or site")
# Where the legend has room (the HTML map's), it says in which order the places are named.
PLACES_LONG_LABEL = N_("City, town or site (largest towns of the land changing hands first)")
# The grey under the hatch of land given up: the hatch reads on it as on the map's fills.
CHANGE_SWATCH_FILL = "#d9d9d9"


@dataclass(frozen=True)
class LegendEntry:
    """One row of a map's legend.

    Attributes
    ----------
    kind
        ``status`` (a zone's fill), ``change`` (land changing hands: hatched or outlined over the
        fill), ``line`` (the line of contact) or ``place`` (a town's dot).
    key
        The status or the change's kind (``given_up``, ``returned``); "" for lines and places.
    label
        The row's text (plain, unescaped), in the language being written.
    fill
        Fill colour (hex): the status's, the grey under a change's hatch, the place's dot; "" for none.
    edge
        Colour of the swatch's outline, the change's lines, the line of contact, the dot's rim (hex).
    hatch
        Matplotlib hatch pattern ("" for none); the HTML legend draws diagonal lines.
    hatch_colour
        Colour of the hatch lines (hex).
    casing
        Colour drawn under a change's hatch lines, wider ("" for none).
    width
        Width of a line or of a change's outline, CSS pixels (HTML) or points (static).
    dash
        Dash pattern ("on off", same units) or None for solid.
    long_label
        The text where the legend has room for it (the HTML map's); the label when "".
    """

    kind: Literal["status", "change", "line", "place"]
    key: str
    label: str
    fill: str = ""
    edge: str = ""
    hatch: str = ""
    hatch_colour: str = ""
    casing: str = ""
    width: float = 0.0
    dash: str | None = None
    long_label: str = ""

    @property
    def full_label(self) -> str:
        """The text where the legend has room: :attr:`long_label`, else :attr:`label`."""
        return self.long_label or self.label


def legend_entries(statuses: Iterable[str], kinds: Iterable[str], rules: Iterable[str], *, day: dt.date | None, on: str | None = None) -> list[LegendEntry]:
    """The legend of a map showing ``statuses``, the land changing hands of ``kinds`` and a line
    of contact through regions with ``rules``: the statuses present in the palette's order
    (:data:`peacemap.maps.style.STATUS_STYLES`), the kinds present in their order
    (:data:`peacemap.maps.style.OVERLAY_STYLES`) labelled with the map's ``day`` (or with ``on``,
    the words for the date: "on the frame's date"), the line's styles
    (:func:`peacemap.maps.style.contact_legend`), then the places; every label in the language being
    written."""
    present, changing = set(statuses), set(kinds)
    entries = [
        LegendEntry("status", str(status), status_text(status), fill=style.fill, edge=OUTLINE.colour, hatch=style.hatch, hatch_colour=style.hatch_colour)
        for status, style in STATUS_STYLES.items()
        if status in present
    ]
    for kind, overlay in OVERLAY_STYLES.items():
        if kind in changing:
            entries.append(
                LegendEntry(
                    "change",
                    kind,
                    overlay_label(kind, day, on=on),
                    fill=CHANGE_SWATCH_FILL if overlay.hatch else "",
                    edge=overlay.colour,
                    hatch=overlay.hatch,
                    hatch_colour=overlay.colour,
                    casing=overlay.casing,
                    width=overlay.outline_width,
                    dash=overlay.outline_dash,
                )
            )
    entries += [LegendEntry("line", "", gettext(line.label), edge=line.colour, width=line.width, dash=line.dash) for line in contact_legend(rules)]
    entries.append(LegendEntry("place", "", gettext(PLACES_LABEL), fill=PLACE_COLOUR, edge="#fff", long_label=gettext(PLACES_LONG_LABEL)))
    return entries


def map_legend(map_layers: MapLayers, *, on: str | None = None) -> list[LegendEntry]:
    """:func:`legend_entries` of what ``map_layers`` show, on the date of their map of control."""
    return legend_entries(map_layers.zones["status"], map_layers.changes["kind"], map_layers.contact_line["rule"], day=map_layers.layers.control.as_of, on=on)
