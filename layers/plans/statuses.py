"""The statuses a plan gives land, how outputs name them, and which status each rule gives
the occupied and the held part of a region."""

from __future__ import annotations

from peacemap.layers.control.split import HELD, OCCUPIED

RECOGNISED_RUSSIAN = "recognised_russian"
FROZEN_RUSSIAN = "frozen_russian"
FROZEN_UKRAINIAN = "frozen_ukrainian"
DMZ = "dmz"
RELINQUISHED = "relinquished"
UKRAINIAN = "ukrainian"
STATUSES = (RECOGNISED_RUSSIAN, FROZEN_RUSSIAN, FROZEN_UKRAINIAN, DMZ, RELINQUISHED, UKRAINIAN)
# How every output (reports, map legends, popups) names each status.
STATUS_LABELS = {
    RECOGNISED_RUSSIAN: "Recognised as Russian",
    FROZEN_RUSSIAN: "Frozen, Russian-held side",
    FROZEN_UKRAINIAN: "Frozen, Ukrainian-held side",
    DMZ: "Demilitarised zone",
    RELINQUISHED: "Returned to Ukraine",
    UKRAINIAN: "Ukrainian, unchanged",
}

# Status of each part of a region under each rule. Under "keep" the plan changes nothing:
# occupied land stays under Russian control along the line (frozen_russian, no recognition
# implied) and held land stays Ukrainian.
STATUS_BY_RULE = {
    "recognise": {OCCUPIED: RECOGNISED_RUSSIAN, HELD: RECOGNISED_RUSSIAN},
    "freeze": {OCCUPIED: FROZEN_RUSSIAN, HELD: FROZEN_UKRAINIAN},
    "dmz": {OCCUPIED: RECOGNISED_RUSSIAN, HELD: DMZ},
    "relinquish": {OCCUPIED: RELINQUISHED, HELD: UKRAINIAN},
    "keep": {OCCUPIED: FROZEN_RUSSIAN, HELD: UKRAINIAN},
}
