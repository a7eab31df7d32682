"""A plan's readings: where its text leaves a choice, how peacemap reads it, quoted with the text.

A plan file records each interpretive choice as an ``ambiguous`` note, on a provision (the
plan's own reading) or on an option (a reading applied when the option is switched on). The
readings travel with every figure they change: ``report.md`` ("Readings"), ``report.json``
(``readings``), a ``readings`` column in the CSVs, and ``compare`` per plan.
"""

from __future__ import annotations

from collections.abc import Sequence

from peacemap.layers.i18n.catalogue import gettext
from peacemap.layers.i18n.language import UKRAINIAN, current_language
from peacemap.layers.plans.model import Plan
from peacemap.layers.report.contract import Reading
from peacemap.layers.report.format import escape_markdown


def plan_readings(plan: Plan) -> list[Reading]:
    """Every provision's ``ambiguous`` note, then those of the options switched on, in full;
    each says whether the figures rest on it (a provision only an option models does not, while
    the option is off). Texts and readings in the language being written, where the plan file
    gives them in it (the provision's words in English otherwise: :meth:`Plan.text_note`)."""
    used = _modelled_provisions(plan)
    readings: list[Reading] = [
        {
            "provision": provision.id,
            "option": None,
            "text": plan.provision_text(provision),
            "reading": plan.reading_text(provision),
            "in_figures": provision.id in used,
        }
        for provision in plan.provisions
        if provision.ambiguous
    ]
    for option in plan.active_options():
        quoted = plan.provision(option.provision)
        readings.append(
            {
                "provision": option.provision,
                "option": option.id,
                "text": plan.provision_text(quoted) if quoted else "",
                "reading": option.reading(),
                "in_figures": True,
            }
        )
    return readings


def _modelled_provisions(plan: Plan) -> set[str]:
    """The provisions the plan's rules and its options switched on model."""
    rules = [*plan.rules.values(), plan.elsewhere]
    used = {provision for rule in rules for provision in (rule.provision, rule.occupied_provision) if provision}
    return used | {option.provision for option in plan.active_options()}


def readings_markdown(readings: Sequence[Reading]) -> list[str]:
    """Markdown lines: one item per reading, the provision's words quoted, then the reading."""
    lines = []
    for reading in readings:
        where = escape_markdown(reading["provision"])
        if reading["option"]:
            where += ", " + gettext("option %(option)s") % {"option": f"`{escape_markdown(reading['option'])}`"}
        quote = f" {quoted(escape_markdown(reading['text']))}" if reading["text"] else ""
        unused = "" if reading["in_figures"] else " " + gettext("(Not in these figures: the plan's options for it are off.)")
        read_as = gettext("Read as:")
        lines.append(f"- **{where}**:{quote} {read_as} {escape_markdown(reading['reading'])}{unused}")
    return lines


def quoted(text: str) -> str:
    """``text`` in the language's quotation marks: “…” in English, «…» in Ukrainian."""
    return f"«{text}»" if current_language() == UKRAINIAN else f"“{text}”"


def readings_text(readings: Sequence[Reading]) -> str:
    """The readings on one line (a CSV cell): ``21c: …; option 21c-none: …``, texts as written."""
    parts = []
    for reading in readings:
        where = reading["provision"] + (" (" + gettext("option %(option)s") % {"option": reading["option"]} + ")" if reading["option"] else "")
        unused = "" if reading["in_figures"] else " " + gettext("(not in these figures: the plan's options for it are off)")
        parts.append(f"{where}: {' '.join(reading['reading'].split())}{unused}")
    return " | ".join(parts)
