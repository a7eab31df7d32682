"""The fact box of every map: a plan's key figures as its report gives them, the snapshot and the
sources they rest on, the readings behind them, and one sentence to cite them by.

The text is made here once, from a report (``peacemap report``'s JSON, :func:`report_facts`) or
from one plan of a comparison (:func:`compared_facts`), and drawn by the HTML maps
(:func:`facts_html`) and the static map (:mod:`peacemap.maps.static_facts`). Labels are the
report's (:class:`peacemap.layers.report.measures.Measure`: one label, one measure, in every
output) and figures are written by the report's own formatters
(:mod:`peacemap.layers.report.format`), so the box reads as ``peacemap report`` prints.

Plan titles, readings and file names are untrusted: :func:`facts_html` and :func:`readings_html`
escape every text with :func:`peacemap.maps.escape.esc`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peacemap._version import __version__
from peacemap.layers.i18n.catalogue import N_, count_text, gettext
from peacemap.layers.i18n.dates import iso_date_text, single_stop
from peacemap.layers.i18n.source_names import is_deepstate_label
from peacemap.layers.report.beside import people_remaining
from peacemap.layers.report.format import age_text, km2_text, people_text
from peacemap.layers.report.measures import Measure, depth
from peacemap.layers.report.statement_words import statement_period
from peacemap.layers.report.terms import measure_label
from peacemap.maps import web
from peacemap.maps.escape import esc

# The key figures, in the order the box gives them. The first three always show (a plan that gives
# nothing up says 0 km²); the others only where the plan has such land.
FACT_MEASURES = (Measure.CEDED, Measure.CEDED_DEMILITARISED, Measure.RUSSIAN_SIDE, Measure.UNDER_RUSSIAN_FORCES, Measure.BOTH_WITHDRAW, Measure.RETURNED)
ALWAYS_SHOWN = (Measure.CEDED, Measure.RUSSIAN_SIDE, Measure.UNDER_RUSSIAN_FORCES)
PEOPLE = N_("people on 1 January 2022: %(people)s")
POPULATION_SOURCE = N_(
    "People: official estimate of 1 January 2022 (State Statistics Service of Ukraine), before the "
    "full-scale invasion, not on the line's date; band: peacemap's hromada model; none for AR Crimea and "
    "Sevastopol."
)
CITATION_POPULATION = N_("population on 1 January 2022: State Statistics Service of Ukraine")
# Where a reader finds the readings in full, by kind of map (messages of the catalogue).
READINGS_IN_POPUPS = N_("in full in each zone's popup")
READINGS_IN_REPORT = N_("in full in the section 'Readings' of peacemap report")


@dataclass(frozen=True)
class FactRow:
    """One key figure: its measure, the area (``6,288 km²``) and the people with their band
    (``683,654 (675,369 – 725,781)``), and the official statements beside it (one line each)."""

    measure: Measure
    area: str
    people: str
    statements: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The measure's label, as every output gives it (in the language being written)."""
        return measure_label(self.measure)

    @property
    def depth(self) -> int:
        """0 for a measure, 1 for a part of one (indented under it)."""
        return depth(self.measure)

    @property
    def value(self) -> str:
        """``6,288 km², people on 1 January 2022: 683,654 (675,369 – 725,781)``, as the terminal prints it."""
        return f"{self.area}, " + gettext(PEOPLE) % {"people": self.people}


@dataclass(frozen=True)
class Facts:
    """The fact box of one plan on one line of contact.

    Attributes
    ----------
    heading
        ``Key figures on the line of 2025-11-20``.
    name
        The plan as compare takes it, with its title (``plan28: US 28-point peace plan``).
    rows
        The key figures (:data:`FACT_MEASURES`).
    sources
        The line of contact and the population the figures rest on, with their sources.
    age
        How old the snapshot is, where a reader may take it for newer ("" otherwise).
    readings
        The plan's readings (the report's ``readings``), for the caveat and the popups.
    citation
        One sentence to cite the figures by: tool and version, plan text and where it was read
        from, line of contact, population.
    """

    heading: str
    name: str
    rows: tuple[FactRow, ...]
    sources: str
    age: str
    readings: tuple[Mapping[str, Any], ...]
    citation: str

    def caveat(self, where: str) -> str:
        """The one caveat line: which readings the figures rest on, and ``where`` to read them
        (:data:`READINGS_IN_POPUPS`, :data:`READINGS_IN_REPORT`)."""
        return readings_caveat(self.readings, where)


def fact_rows(headline: Mapping[str, Any]) -> tuple[FactRow, ...]:
    """The key figures of a report's ``headline`` (or a comparison's ``totals``): those of
    :data:`ALWAYS_SHOWN`, and the others where they have land."""
    rows = []
    for measure in FACT_MEASURES:
        figures = headline[measure]
        if measure in ALWAYS_SHOWN or figures["area_km2"]:
            rows.append(FactRow(measure, km2_text(figures["area_km2"]), people_text(figures), statement_lines(figures)))
    return tuple(rows)


def statement_lines(figures: Mapping[str, Any]) -> tuple[str, ...]:
    """The official statements of people remaining that a report gives beside a measure's figures
    (issue 27: ``statements`` under the measure, each the latest of one region's part of its land),
    one line each: figure, kind, who and date as the report labels them (the page is in the
    report), an occupying power's claim named as such; none for a report without them. Never
    added to the 1 January 2022 figure; the statements of places inside the land stay in the report."""
    own = figures.get("statements") or []
    several = len(figures.get("regions") or {s["region"] for s in own}) > 1
    return tuple(f"{people_remaining(s, several, capital=True)}: {s['label']}{statement_period(s)}" for s in own)


def readings_caveat(readings: Sequence[Mapping[str, Any]], where: str) -> str:
    """One line: the provisions whose reading the figures rest on, and ``where`` to read them."""
    used = [_reading_name(reading) for reading in readings if reading["in_figures"]]
    if not used:
        return gettext("These figures rest on no reading: every provision in them is modelled as its text says.")
    names = (
        gettext("provision %(provision)s") % {"provision": used[0]}
        if len(used) == 1
        else gettext("provisions %(provisions)s and %(last)s") % {"provisions": ", ".join(used[:-1]), "last": used[-1]}
    )
    return gettext("These figures rest on peacemap's reading of %(provisions)s, where the plan's text leaves a choice (%(where)s).") % {
        "provisions": names,
        "where": gettext(where),
    }


def _reading_name(reading: Mapping[str, Any]) -> str:
    return reading["provision"] + (" (" + gettext("option %(option)s") % {"option": reading["option"]} + ")" if reading.get("option") else "")


def report_facts(report: Mapping[str, Any]) -> Facts:
    """The fact box of a plan's report (``peacemap report``'s JSON, :class:`peacemap.layers.report.contract.Report`)."""
    control = next(source for source in report["sources"] if source["id"] == "control")
    plan_source = next(source for source in report["sources"] if source["id"] == "plan")["name"]
    variant = "+".join([report["plan"], *report["options"]])
    return Facts(
        heading=heading(report["date"]),
        name=f"{variant}: {report['plan_title']}",
        rows=fact_rows(report["headline"]),
        sources=sources_text(control),
        age=age_text(report["snapshot_age"]) if report.get("snapshot_age") else "",
        readings=tuple(report["readings"]),
        citation=citation(variant, plan_source, control, version=report.get("peacemap_version", __version__)),
    )


def compared_facts(compared: Mapping[str, Any], comparison: Mapping[str, Any]) -> Facts:
    """The fact box of one plan of a comparison (``peacemap compare``'s JSON: ``compared`` one of
    its ``plans``)."""
    control = comparison["control"]
    return Facts(
        heading=heading(comparison["date"]),
        name=f"{compared['variant']}: {compared['title']}",
        rows=fact_rows(compared["totals"]),
        sources=sources_text(control),
        age=age_text(comparison["snapshot_age"]) if comparison.get("snapshot_age") else "",
        readings=tuple(compared["readings"]),
        citation=citation(compared["variant"], compared["source"], control),
    )


def heading(date: str | None) -> str:
    """``Key figures on the line of 2025-11-20`` (the line of contact's date, where known)."""
    return gettext("Key figures on the line of %(date)s") % {"date": iso_date_text(date)} if date else gettext("Key figures on an undated line")


def sources_text(control: Mapping[str, Any]) -> str:
    """The line of contact and the people the figures rest on, with their sources."""
    by = f" ({control['attribution']})" if control.get("attribution") else ""
    return single_stop(gettext("Line of contact: %(line)s.") % {"line": f"{control['name']}{by}"}) + " " + gettext(POPULATION_SOURCE)


def citation(variant: str, plan_source: str, control: Mapping[str, Any] | str, *, version: str = __version__) -> str:
    """One sentence to cite the figures by: peacemap and its ``version`` (the report's, where it
    records one), the plan (``variant``, and ``plan_source``: its text, date and where it was read
    from, a user's file with its sha256), the map of control (a source entry, see
    :func:`control_citation`, or its text) and the population."""
    line = control if isinstance(control, str) else control_citation(control)
    return gettext("peacemap %(version)s, %(variant)s: %(plan)s; line of contact: %(line)s; %(population)s.") % {
        "version": version,
        "variant": variant,
        "plan": plan_source,
        "line": line,
        "population": gettext(CITATION_POPULATION),
    }


def control_citation(control: Mapping[str, Any]) -> str:
    """A map of control as the citation names it: its label and attribution, and the sha256 of a
    control file (DeepState's snapshots are named by their date)."""
    text = control["name"] + (f", {control['attribution']}" if control.get("attribution") else "")
    if control.get("sha256") and not is_deepstate_label(str(control["name"])):
        text += ", " + gettext("file sha256 %(sha256)s") % {"sha256": control["sha256"]}
    return text


def fact_row_html(row: FactRow) -> str:
    """One key figure as HTML (escaped): its label, the value and the statements beside it."""
    statements = "".join(f'<span class="peacemap-fact-statement">{esc(line)}</span>' for line in row.statements)
    return (
        f'<div class="peacemap-fact peacemap-fact-depth-{row.depth}" data-measure="{esc(row.measure.value)}">'
        f'<span class="peacemap-fact-label">{esc(row.label)}</span> <span class="peacemap-fact-value">{esc(row.value)}</span>'
        f"{statements}</div>"
    )


def facts_html(plans: Sequence[Facts], *, where: str = READINGS_IN_POPUPS, rows_html: str | None = None) -> str:
    """The fact box (``<details class="peacemap-facts">``, open; :mod:`peacemap.maps.embed` folds
    it on narrow pages) of one plan, or of each plan of a comparison (one section each, the first
    shown, ``data-plan`` its index). ``rows_html`` replaces the rows (the animated map writes each
    frame's own)."""
    sections, cite_as = [], esc(gettext("Cite as:"))
    for index, facts in enumerate(plans):
        rows = rows_html if rows_html is not None else "".join(fact_row_html(row) for row in facts.rows)
        hidden = " hidden" if index else ""
        sections.append(
            f'<div class="peacemap-facts-plan" data-plan="{index}"{hidden}>'
            + (f'<div class="peacemap-facts-name">{esc(facts.name)}</div>' if len(plans) > 1 else "")
            + f'<div class="peacemap-fact-rows">{rows}</div>'
            f'<p class="peacemap-fact-caveat">{esc(facts.caveat(where))}</p>'
            f'<p class="peacemap-fact-sources">{esc(facts.sources)}{f" {esc(facts.age)}" if facts.age else ""}</p>'
            f'<p class="peacemap-fact-cite"><b>{cite_as}</b> <span class="peacemap-citation">{esc(facts.citation)}</span></p></div>'
        )
    return f'<details class="peacemap-facts" open><summary><b>{esc(plans[0].heading)}</b></summary>{"".join(sections)}</details>'


def readings_html(readings: Sequence[Mapping[str, Any]]) -> str:
    """The plan's readings in full for a zone's popup (escaped HTML, folded under a summary),
    or "" where the plan records none."""
    if not readings:
        return ""
    items = []
    for reading in readings:
        quote = f" <q>{esc(reading['text'])}</q>" if reading["text"] else ""
        unused = "" if reading["in_figures"] else " " + gettext("(Not in these figures: the plan's options for it are off.)")
        read_as = esc(gettext("Read as:"))
        items.append(f"<p><b>{esc(_reading_name(reading))}</b>:{quote} {read_as} {esc(reading['reading'])}{esc(unused)}</p>")
    count = count_text(len(readings), "%(count)s reading", "%(count)s readings")
    summary = gettext("How peacemap reads the plan's text (%(count)s)") % {"count": count}
    # The summary is the catalogue's text and a count (no data): written as it is.
    return f'<details class="peacemap-readings"><summary>{summary}</summary>{"".join(items)}</details>'


FACTS_CSS = web.style("facts.css")
