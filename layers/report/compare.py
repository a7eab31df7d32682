"""Compare plans side by side on one date: which land (km²) and how many people (1 January 2022)
each plan puts on the Russian side (and how it recognises it), leaves under Russian forces, has
Ukraine give up, demilitarises, returns and freezes.

Every column is a headline measure (:mod:`peacemap.layers.report.measures`) and means the same
for every plan; where plans could read a column differently the table's notes say how it is read.
A plan is given as an id or file, optionally with options: ``plan28+21c-none``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from peacemap.layers.i18n.catalogue import N_, count_text, gettext
from peacemap.layers.i18n.dates import iso_date_text, single_stop
from peacemap.layers.i18n.source_names import control_label_text
from peacemap.layers.plans.apply import PlanLayers, apply_plan, build_control_layers
from peacemap.layers.plans.model import Plan, load_plan_variant
from peacemap.layers.plans.statuses import Rule
from peacemap.layers.regions import CRIMEA, SEVASTOPOL
from peacemap.layers.report import beside
from peacemap.layers.report.contract import ComparedPlan, ComparedRegion, Comparison, Figures, Headline, Report, figures_of
from peacemap.layers.report.figures import RegionPopulationMemo, build_report, control_source_entry
from peacemap.layers.report.format import age_text, code_span, escape_markdown, km2_text, own_label, own_people_text, people_text
from peacemap.layers.report.measures import Measure
from peacemap.layers.report.pieces import ZonePopulation
from peacemap.layers.report.readings import readings_markdown, readings_text
from peacemap.layers.report.terms import measure_label, measure_short_label
from peacemap.layers.sources.control_map import ControlSnapshot

# Measures shown region by region, each in a table of its own.
REGION_TABLES = (Measure.RUSSIAN_SIDE, Measure.CEDED)
POPULATION_NOTE = N_("persons on 1 January 2022 (State Statistics Service of Ukraine), not the population on the date of the line")


def column_notes() -> list[str]:
    """How to read the comparison's columns, in the language being written."""

    def capital(text: str) -> str:
        return text[:1].upper() + text[1:]

    return [
        gettext(
            "%(russian_side)s is split into disjoint parts that add up to it (%(parts)s); %(not_recognised)s counts land Russia holds "
            "that the plan keeps or freezes without recognising it as Russian (every plan reads it the same way)."
        )
        % {
            "russian_side": measure_short_label(Measure.RUSSIAN_SIDE),
            "parts": "; ".join(measure_short_label(m) for m in Measure.RUSSIAN_SIDE.parts),
            "not_recognised": measure_short_label(Measure.RUSSIAN_SIDE_NOT_RECOGNISED),
        },
        gettext("%(under_russian_forces)s: the Russian side less every demilitarised zone, which Russian forces do not enter.")
        % {"under_russian_forces": capital(measure_short_label(Measure.UNDER_RUSSIAN_FORCES))},
        gettext(
            "%(frozen_ukrainian_side)s: the held land of the regions a plan names in a rule that freezes their line (plan28: Kherson "
            "and Zaporizhzhia; plan20: the four oblasts). A plan that stops the fighting along the whole line leaves the held land "
            'elsewhere Ukrainian and unchanged, and it is not counted here: calling all of government-held Ukraine "%(column)s" '
            "would make the column mean something else for those plans. eu-counter freezes no region by name (every region keeps "
            "its line, rule keep): 0."
        )
        % {"frozen_ukrainian_side": capital(measure_short_label(Measure.FROZEN_UKRAINIAN_SIDE)), "column": measure_short_label(Measure.FROZEN_UKRAINIAN_SIDE)},
        gettext("A plan without a dated text (the freeze baseline, a comparison point rather than a proposal) says so instead of a date."),
    ]


def compare_plans(
    plan_refs: list[str], control: ControlSnapshot, zone_population: ZonePopulation | None, *, annotate: Callable[[PlanLayers, Report], None] | None = None
) -> Comparison:
    """Reports of every plan on the same control snapshot, reduced to the comparison.

    Returns a dict (the ``Comparison`` contract): ``date``, ``control_snapshot``, ``control``
    (the map's source entry with its sha256), the notes on reading the columns, and ``plans``:
    one entry per plan (with its options) with ``totals`` (the report's headline over all
    regions) and ``regions`` (code → name and each measure), every measure as area km² and 2022
    population with its band, and the plan's readings. Crimea is compared as one region (AR
    Crimea with Sevastopol). ``annotate`` adds to each plan's report before it is reduced (the
    official statements beside its figures, :mod:`peacemap.layers.report.beside`); the
    ``statements_beside`` of the reports are then merged into the comparison's.
    """
    control_layers = build_control_layers(control)
    # Plans on one date cut most regions alike: estimate each region's zones once.
    population = RegionPopulationMemo(zone_population) if zone_population is not None else None
    compared: list[ComparedPlan] = []
    plans = [load_plan_variant(plan_ref) for plan_ref in plan_refs]
    cited: dict = {}
    beside_note = None
    for plan in plans:
        layers = apply_plan(plan, control_layers)
        report = build_report(layers, population)
        if annotate is not None:
            annotate(layers, report)
            if "statements_beside" in report:
                beside_note = report["statements_beside"]
                cited.update(beside_note["cited"])
        compared.append(
            {
                "plan": plan.id,
                "options": list(plan.enabled_options),
                "variant": variant_name(plan),
                "title": plan.title_text(),
                "plan_date": plan.date.isoformat(),
                "text_date": plan.text_date(),
                "control_snapshot": control_label_text(control.label),
                "source": plan.source_line(),
                "readings": report["readings"],
                "totals": report["headline"],
                "regions": {
                    region["code"]: _compared_region(region["name"], region["headline"])
                    for region in report["regions"]
                    if region["code"] not in (CRIMEA, SEVASTOPOL)  # compared as one: Crimea with Sevastopol
                },
            }
        )
        if plan.text_note():
            compared[-1]["plan_text_note"] = plan.text_note()
    comparison: Comparison = {
        "date": control.as_of.isoformat() if control.as_of else None,
        "control_snapshot": control_label_text(control.label),
        "control": control_source_entry(control, "control"),
        "population_note": gettext(POPULATION_NOTE),
        "notes": column_notes() + _whole_line_notes(plans),
        "plans": compared,
    }
    if beside_note is not None:
        comparison["statements_beside"] = {**beside_note, "cited": dict(sorted(cited.items()))}
    return comparison


def variant_name(plan: Plan) -> str:
    """The plan's id with its options, as ``compare`` takes it: ``plan28+21c-none``."""
    return "+".join([plan.id, *plan.enabled_options])


def _whole_line_notes(plans: list[Plan]) -> list[str]:
    """A note for each plan whose ``[elsewhere]`` rule freezes the line beyond the regions it names."""
    return [
        gettext('%(plan)s: its rule for the other regions also freezes the line there; their held land is Ukrainian and unchanged, and not in "%(column)s".')
        % {"plan": variant_name(plan), "column": measure_short_label(Measure.FROZEN_UKRAINIAN_SIDE)}
        for plan in plans
        if plan.elsewhere.rule is Rule.FREEZE
    ]


def _compared_region(name: str, headline: Headline) -> ComparedRegion:
    return {**headline, "name": name}


def comparison_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """One row per plan and region (plus an ``all`` row per plan) with every measure (km²,
    persons and the band), the regions whose population is not available (codes separated by
    spaces), the control map and its sha256, and the plan's readings. Bands do not add up."""
    rows: list[dict[str, Any]] = []
    control = comparison["control"]
    cited = comparison["statements_beside"]["cited"] if "statements_beside" in comparison else None
    own = comparison.get("population_own_source")
    for entry in comparison["plans"]:
        regions: list[tuple[str, Mapping[str, Any]]] = [("all", {"name": gettext("All regions"), **entry["totals"]}), *entry["regions"].items()]
        for code, region in regions:
            if code != "all" and not any(region[m]["area_km2"] for m in Measure):
                continue
            row = {
                "plan": entry["plan"],
                "variant": entry["variant"],
                "options": "+".join(entry["options"]),
                "text_date": entry["text_date"] or gettext("no dated text"),
                "date": comparison["date"],
                "region": code,
                "region_name": region["name"],
            }
            for measure in Measure:
                _add_figures(row, measure, region[measure])
            if own is not None:
                for measure in Measure:
                    figures = region[measure]
                    none = bool(figures.get("population_own_excludes")) and not figures.get("population_own")
                    for key in ("population_own", "population_own_low", "population_own_high"):
                        row[f"{measure}_{key}"] = None if none else figures.get(key)
            if cited is not None:
                for measure in Measure:
                    row[f"{measure}_statements"] = beside.own_text(region[measure])
                    row[f"{measure}_statements_inside"] = " | ".join(beside.inside_text(place, cited) for place in region[measure].get(beside.INSIDE_KEY, []))
            # The regions whose 2022 population is not available, left out of the row's figures.
            row["population_excludes"] = " ".join(sorted({c for m in Measure for c in region[m]["population_excludes"]}))
            row.update(
                {"control_snapshot": comparison["control_snapshot"], "control_sha256": control.get("sha256", ""), "readings": readings_text(entry["readings"])}
            )
            if own is not None:
                row.update({"population_own_label": own["label"], "population_own_date": own["date"], "population_own_sha256": own["sha256"]})
            rows.append(row)
    return rows


def _add_figures(row: dict[str, Any], name: str, figures: Figures) -> None:
    none = bool(figures["population_excludes"]) and not figures["population_2022"]
    row[f"{name}_km2"] = figures["area_km2"]
    for key in ("population_2022", "population_2022_low", "population_2022_high"):
        row[f"{name}_{key}"] = None if none else figures[key]


def comparison_markdown(comparison: Comparison) -> str:
    """Tables of the plans' totals (a row per measure, a column per plan: land, then people), the
    notes on reading them, then per region, the readings of each plan and the sources."""
    plans = comparison["plans"]
    heads = " | ".join(code_span(e["variant"], in_table=True) for e in plans)
    rule = "| --- | " + " | ".join("---:" for _ in plans) + " |"
    snapshot = escape_markdown(comparison["control_snapshot"])
    # One note for all the plans where any quotes its provisions in English (each plan's is in the JSON).
    text_notes = [gettext("Provisions with no published Ukrainian text are quoted in English.")] if any(e.get("plan_text_note") for e in plans) else []
    lines = [
        "# " + gettext("Plans compared on %(snapshot)s") % {"snapshot": snapshot},
        "",
        single_stop(
            gettext(
                "Every plan is drawn on the same line of contact: %(snapshot)s. Areas in km² (geodesic); population: "
                '%(population)s. Lines marked "of which" are disjoint parts of the line above them and add up to it.'
            )
            % {"snapshot": snapshot, "population": comparison["population_note"]}
        ),
        "",
        *([age_text(comparison["snapshot_age"]), ""] if comparison.get("snapshot_age") else []),
        *([" ".join(text_notes), ""] if text_notes else []),
        "| " + " | ".join((gettext("Plan"), gettext("Text"), gettext("Drawn on"))) + " |",
        "| --- | --- | --- |",
        *[
            f"| {code_span(e['variant'], in_table=True)}: {escape_markdown(e['title'])} | {_text_cell(e)} | {escape_markdown(e['control_snapshot'])} |"
            for e in plans
        ],
        "",
        "## " + gettext("Land (km²)"),
        "",
        "| " + gettext("Measure") + f" | {heads} |",
        rule,
        *[f"| {measure_label(measure)} | " + " | ".join(_area_cell(figures_of(e["totals"], measure)) for e in plans) + " |" for measure in Measure],
        "",
        "## " + gettext("People on 1 January 2022 (band)"),
        "",
        "| " + gettext("Measure") + f" | {heads} |",
        rule,
        *[f"| {measure_label(measure)} | " + " | ".join(_people_cell(figures_of(e["totals"], measure)) for e in plans) + " |" for measure in Measure],
        "",
        *_own_table(comparison, heads, rule),
        "## " + gettext("How to read the columns"),
        "",
        *[f"- {escape_markdown(note)}" for note in comparison["notes"]],
    ]
    lines += _statements_table(comparison)
    for measure in REGION_TABLES:
        lines += _region_table(comparison, measure)
    lines += ["", "## " + gettext("Readings"), ""]
    for entry in plans:
        readings = readings_markdown(entry["readings"]) or ["- " + gettext("none: every provision is modelled as its text says.")]
        lines += [f"{code_span(entry['variant'])}:", "", *readings, ""]
    sources = dict.fromkeys(escape_markdown(e["source"]) for e in plans)  # a plan compared with its options is cited once
    lines += [gettext("Sources: %(sources)s") % {"sources": "; ".join(sources) + f"; {_control_text(comparison)}"}, ""]
    return "\n".join(lines)


def _own_table(comparison: Comparison, heads: str, rule: str) -> list[str]:
    """The user's population of each measure, plan by plan (with --population)."""
    source = comparison.get("population_own_source")
    if not source:
        return []
    from peacemap.layers.report.render import own_sentence

    plans = comparison["plans"]
    return [
        "## " + gettext("%(label)s (band)") % {"label": escape_markdown(own_label(source))},
        "",
        own_sentence(source),
        "",
        "| " + gettext("Measure") + f" | {heads} |",
        rule,
        *[
            f"| {measure_label(measure)} | "
            + " | ".join(own_people_text(figures_of(e["totals"], measure)) if figures_of(e["totals"], measure)["area_km2"] else "0" for e in plans)
            + " |"
            for measure in Measure
        ],
        "",
    ]


# Statements of places inside a figure's land shown in a cell, at most (compare.json has them all).
INSIDE_SHOWN = 3


def _statements_table(comparison: Comparison) -> list[str]:
    """The people remaining beside each measure, plan by plan (only measures that have any)."""
    note = comparison.get("statements_beside")
    if not note:
        return []
    plans = comparison["plans"]
    rows = [
        measure
        for measure in Measure
        if any(figures_of(e["totals"], measure).get(beside.OWN) or figures_of(e["totals"], measure).get(beside.INSIDE_KEY) for e in plans)
    ]
    lines = [
        "",
        "## " + gettext("People remaining: latest official statements"),
        "",
        f"*{escape_markdown(note['note'])} {beside.kinds_note(note['with_claims'])}*",
        "",
    ]
    if not rows:
        return [*lines, gettext("No statement concerns the land these plans move.")]
    heads = " | ".join(f"`{escape_markdown(e['variant'])}`" for e in plans)
    lines += ["| " + gettext("Measure") + f" | {heads} |", "| --- | " + " | ".join("---" for _ in plans) + " |"]
    for measure in rows:
        cells = [_statements_cell(figures_of(e["totals"], measure), note["cited"]) for e in plans]
        lines.append(f"| {measure_label(measure)} | " + " | ".join(cells) + " |")
    return lines


def _statements_cell(figures: Mapping[str, Any], cited: Mapping[str, Any]) -> str:
    if figures.get(beside.OWN):
        return beside.own_text(figures, markdown=True)
    inside = figures.get(beside.INSIDE_KEY) or []
    if not inside:
        return "–"
    shown = "; ".join(beside.inside_text(place, cited, markdown=True) for place in inside[:INSIDE_SHOWN])
    more = "; " + count_text(len(inside) - INSIDE_SHOWN, "%(count)s more in the JSON", "%(count)s more in the JSON") if len(inside) > INSIDE_SHOWN else ""
    return gettext("none for this land as a whole; inside it: %(places)s") % {"places": shown + more}


def _text_cell(entry: ComparedPlan) -> str:
    return gettext("text of %(date)s") % {"date": iso_date_text(entry["text_date"])} if entry["text_date"] else gettext("no dated text")


def _control_text(comparison: Comparison) -> str:
    control = comparison["control"]
    sha = f", sha256 {control['sha256']}" if control.get("sha256") else ""
    return gettext("line of contact: %(snapshot)s") % {
        "snapshot": f"{escape_markdown(control['name'])} ({escape_markdown(control.get('attribution', ''))}{sha})"
    }


def _region_table(comparison: Comparison, measure: Measure) -> list[str]:
    plans = comparison["plans"]
    label = measure_label(measure)
    lines = [
        "",
        "## " + gettext("%(measure)s, by region") % {"measure": label[:1].upper() + label[1:]},
        "",
        "| " + gettext("Region") + " | " + " | ".join(code_span(e["variant"], in_table=True) for e in plans) + " |",
        "| --- | " + " | ".join("---:" for _ in plans) + " |",
    ]
    codes = list(plans[0]["regions"]) if plans else []
    for code in codes:
        figures = [figures_of(entry["regions"][code], measure) for entry in plans]
        if not any(f["area_km2"] for f in figures):
            continue
        name = plans[0]["regions"][code]["name"]
        lines.append(f"| {escape_markdown(name)} ({code}) | " + " | ".join(_cell(f) for f in figures) + " |")
    return lines


def _area_cell(figures: Figures) -> str:
    return km2_text(figures["area_km2"]) if figures["area_km2"] else "0"


def _people_cell(figures: Figures) -> str:
    return people_text(figures) if figures["area_km2"] else "0"


def _cell(figures: Figures) -> str:
    if not figures["area_km2"]:
        return "0"
    return f"{km2_text(figures['area_km2'])}; " + gettext("people: %(people)s") % {"people": people_text(figures)}
