"""The vocabulary's words as the outputs write them, in the language being written: statuses, the
meaning of a status (side, recognition, withdrawal, kind), control on the date, plan rules and the
headline measures' labels.

The vocabulary keeps its English labels (:mod:`peacemap.layers.plans.statuses`,
:mod:`peacemap.layers.report.measures`); they are the message ids of the catalogue, translated here,
at the edge where a text is written (:mod:`peacemap.layers.i18n.catalogue`). Ids (``dmz``,
``held``, ``ceded_beyond_line``) stay as they are in JSON and CSV.
"""

from __future__ import annotations

from peacemap.layers.i18n.catalogue import gettext, pgettext
from peacemap.layers.plans.statuses import Status
from peacemap.layers.report.measures import DEFINITIONS, Measure


def status_text(status: str) -> str:
    """The label of ``status`` (``dmz``): ``Demilitarised zone, Ukraine withdraws: …``."""
    return gettext(Status(status).label)


def side_text(side: str) -> str:
    """``russian`` / ``російський``: whose side of the line land is on after the plan."""
    return pgettext("side", side)


def recognition_text(recognition: str) -> str:
    """``de jure`` / ``де-юре``, ``not addressed`` (from ``not_addressed``)."""
    return pgettext("recognition", recognition.replace("_", " "))


def control_text(control: str) -> str:
    """``occupied`` / ``тимчасово окупована``, ``held``: control of land on the date."""
    return pgettext("control", control)


def measure_label(measure: Measure) -> str:
    """The measure's label (report.md, the terminal, the fact box): ``of which demilitarised zone``."""
    return gettext(measure.label)


def measure_short_label(measure: Measure) -> str:
    """The measure's short label (table columns, chart panels): ``given up as a demilitarised zone``."""
    return gettext(measure.short_label)


def measure_name(measure: Measure) -> str:
    """The measure named on its own, without "of which" and capitalised (its heading): ``Demilitarised zone``."""
    return gettext(measure.heading)


def measure_definition(measure: Measure) -> str:
    """What the measure counts (report.md, "How to read these numbers")."""
    return gettext(DEFINITIONS[measure])


def recognised_by_text(recognised_by: str) -> str:
    """Who recognises land as Russian, in the plan's words ("including by the United States"), in
    the language being written where the catalogue has the shipped plans' wordings (context
    ``recognised_by``), else as the plan file writes it; several joined by "; " each translated."""
    return "; ".join(pgettext("recognised_by", part) for part in recognised_by.split("; "))
