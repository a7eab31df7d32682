"""Official statements of people remaining beside a report's figures, measure by measure.

Where the land of a headline measure in a region *is* an area with statements (plan28's
demilitarised zone is the part of Donetsk oblast Ukraine holds; its frozen Ukrainian side is the
held part of Kherson and of Zaporizhzhia), the area's latest statement made on or before the
snapshot's date stands beside the measure's 1 January 2022 figure: one per region, never summed.
Where the land is only part of such an area (plan20's 5 km band is part of the held part of
Donetsk), the area's statement is not the measure's; the statements of the hromadas and cities
inside the land are listed instead, with the share of each hromada's land that lies in it. The
same is done for each piece of the report (region, status and control on the date: the rows of
``report.csv``). A statement never enters a total.

The matching itself is :func:`peacemap.layers.population.statements.land_statements`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from peacemap.layers.i18n import names
from peacemap.layers.i18n.catalogue import N_, count_text, gettext
from peacemap.layers.i18n.dates import iso_date_text
from peacemap.layers.i18n.language import UKRAINIAN, current_language
from peacemap.layers.plans.apply import PlanLayers
from peacemap.layers.plans.statuses import meaning_of
from peacemap.layers.population.statements import INSIDE, AreaInZone, land_statements
from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL
from peacemap.layers.report.contract import Report, StatementBeside, StatementInside, StatementsBeside, figures_of
from peacemap.layers.report.figures import SELECTIONS
from peacemap.layers.report.format import escape_markdown, percent_text
from peacemap.layers.report.measures import Measure
from peacemap.layers.report.statement_words import kind_label, statement_figure_text, statement_label, statement_period
from peacemap.layers.report.terms import control_text, measure_label, status_text
from peacemap.layers.sources.statements import CLAIM, KIND_LABELS, STATEMENTS_FILE, StatementRecord

OWN, INSIDE_KEY = "statements", "statements_inside"
NOTE = N_(
    "People remaining: the latest official statement made on or before the snapshot's date (peacemap's curated "
    "table, docs/method/statements.md), of the area whose land the figure's land is, region by region; where the land is "
    "only part of such an area, the statements of the hromadas and cities inside it instead. A statement stands "
    "beside the 1 January 2022 figure and is never part of a total; its kind says what it counts."
)
NO_DATE_NOTE = N_("The map of control has no date, so no statement is matched to it (give --date).")
CLAIMS_NOTE = N_("Occupying-power claims are included, labelled OCCUPYING-POWER CLAIM: political figures, not population estimates.")
# The fields of a statement a report carries (the full record: `peacemap statements --format json`).
BESIDE_FIELDS = (
    "id",
    "area_id",
    "region",
    "land",
    "area_as_worded",
    "figure",
    "figure_high",
    "figure_text",
    "kind",
    "claim",
    "body",
    "person",
    "statement_date",
    "as_of",
    "url",
    "check",
    "label",
)


def statements_beside(layers: PlanLayers, territories: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame, *, with_claims: bool = False) -> Found:
    """The statements beside every measure in every region, and every piece, of ``layers``.

    Parameters
    ----------
    layers
        A plan's layers (EPSG:4326).
    territories, settlements
        ``Territories.frame`` and the located settlements (:mod:`peacemap.layers.population`).
    with_claims
        Include the occupying power's claims, labelled as such.

    Returns
    -------
    dict
        Keyed ``("measure", measure, region)`` and ``("piece", region, status, control)``: the
        own statements (one per area whose land is exactly that land) and the statements inside
        it (each with its statement). Empty if the map of control has no date.
    """
    if layers.control.as_of is None:
        return {}
    groups = _groups(layers.zones)
    found = land_statements(layers.zones, groups, territories, settlements, on_or_before=layers.control.as_of, with_claims=with_claims)
    return {key: ([beside(record) for record in own], [_inside(area) for area in areas if area["relation"] == INSIDE]) for key, (own, areas) in found.items()}


Found = Mapping[Hashable, tuple[list[StatementBeside], list[tuple[StatementInside, StatementBeside]]]]


def _groups(zones: gpd.GeoDataFrame) -> dict[Hashable, pd.Index]:
    """The rows of ``zones`` each measure counts in each region, and each piece's rows."""
    meanings = [meaning_of(status) for status in zones["status"]]
    records = [
        {"status": status, "control": control, "kind": m.kind, "side_after": m.side_after, "recognition": m.recognition, "withdraws": m.withdraws}
        for status, control, m in zip(zones["status"], zones["control"], meanings)
    ]
    regions = zones["region"].astype(str).to_numpy()
    groups: dict[Hashable, pd.Index] = {}
    for measure in Measure:
        chosen = np.array([SELECTIONS[measure](record) for record in records], dtype=bool)
        for region in sorted(set(regions[chosen])):
            groups[("measure", str(measure), region)] = zones.index[chosen & (regions == region)]
    for (region, status, control), members in zones.groupby(["region", "status", "control"], sort=True):
        groups[("piece", str(region), str(status), str(control))] = members.index
    return groups


def place_statements(
    territories: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame, *, on_or_before: dt.date, with_claims: bool = False
) -> tuple[dict[int, StatementBeside], dict[int, StatementBeside]]:
    """The latest statement made on or before ``on_or_before`` of each hromada and each city or
    town that has one: by label in ``territories`` (``Territories.frame``) and in ``settlements``
    (the located settlements), each about the whole hromada or city."""
    from peacemap.layers.population.statements import resolve_land
    from peacemap.layers.sources import statements as table

    chosen = table.statements(with_claims=with_claims)
    hromadas: dict[int, StatementBeside] = {}
    towns: dict[int, StatementBeside] = {}
    for area, land in resolve_land(chosen, territories, settlements).items():
        latest = table.latest_statement(area, on_or_before, with_claims=with_claims, table=tuple(chosen))
        if latest is not None and land.territory is not None:
            hromadas[land.territory] = beside(latest.record())
        if latest is not None and land.settlement is not None:
            towns[land.settlement] = beside(latest.record())
    return hromadas, towns


def beside(record: StatementRecord) -> StatementBeside:
    """The fields of a statement a report carries beside a figure; its ``figure_text`` and
    ``label`` in the language being written."""
    fields = cast(Mapping[str, Any], record)  # BESIDE_FIELDS are StatementBeside's keys (tests/test_report_contract.py)
    written = {field: fields[field] for field in BESIDE_FIELDS} | {"figure_text": statement_figure_text(record), "label": statement_label(record)}
    return cast(StatementBeside, written)


def _inside(area: AreaInZone) -> tuple[StatementInside, StatementBeside]:
    entry: StatementInside = {
        "area_id": area["area_id"],
        "land": area["land"],
        "share_of_area_pct": area["share_of_area_in_zone_pct"],
        "statement_id": area["statement"]["id"],
    }
    return entry, beside(area["statement"])


def add_statements(report: Report, found: Found, *, on_or_before: dt.date | None, with_claims: bool) -> Report:
    """``report`` with the statements beside its figures: ``statements`` and ``statements_inside``
    under every measure of the headline (country-wide and per region) and every piece
    (``by_control``), and ``statements_beside`` saying how they were chosen, with every statement
    named (``cited``)."""
    cited: dict[str, StatementBeside] = {}
    for region in report["regions"]:
        codes = region["code"].split("+")  # the combined Crimea row holds both units' statements
        for measure in Measure:
            _put(figures_of(region["headline"], measure), found, [("measure", str(measure), code) for code in codes], cited)
        for zone in region["zones"]:
            for part in zone["by_control"]:
                _put(part, found, [("piece", code, zone["status"], part["control"]) for code in codes], cited)
    codes = [region["code"] for region in report["regions"] if not region["combined"]]
    for measure in Measure:
        _put(figures_of(report["headline"], measure), found, [("measure", str(measure), code) for code in codes], cited)
    report["statements_beside"] = beside_note(on_or_before, with_claims, cited)
    return report


def beside_note(on_or_before: dt.date | None, with_claims: bool, cited: Mapping[str, StatementBeside]) -> StatementsBeside:
    """``statements_beside``: how the statements were chosen, and each one named, by id (sorted)."""
    note = gettext(NOTE) if on_or_before is not None else f"{gettext(NOTE)} {gettext(NO_DATE_NOTE)}"
    return StatementsBeside(
        on_or_before=on_or_before.isoformat() if on_or_before else None,
        with_claims=with_claims,
        source=f"peacemap, {STATEMENTS_FILE}",
        note=note + (f" {gettext(CLAIMS_NOTE)}" if with_claims else ""),
        cited=dict(sorted(cited.items())),
    )


def _put(figures: Any, found: Found, keys: Sequence[Hashable], cited: dict[str, StatementBeside]) -> None:  # Figures or ControlPart
    """Set ``statements`` and ``statements_inside`` of ``figures`` from ``found`` at ``keys``."""
    own: list[StatementBeside] = []
    inside: list[StatementInside] = []
    for key in keys:
        mine, places = found.get(key, ([], []))
        own += mine
        inside += [entry for entry, _ in places]
        cited.update({statement["id"]: statement for statement in mine})
        cited.update({statement["id"]: statement for _, statement in places})
    figures[OWN], figures[INSIDE_KEY] = own, inside


# --- text -----------------------------------------------------------------------------------------


def statement_text(statement: Mapping[str, Any], *, markdown: bool = False) -> str:
    """One statement on one line: figure, kind, who, when (and "as of" when it differs), the page.

    "about 198,500 civilians (Donetsk Oblast Military Administration, 2025-11-13), https://...";
    in Markdown the page is a link named by its host, and the text is escaped.
    """
    as_of = statement_period(statement)
    if not markdown:
        return f"{statement['label']}{as_of}, {statement['url']}"
    return f"{escape_markdown(statement['label'])}{as_of}, [{escape_markdown(host(statement['url']))}]({link(statement['url'])})"


def own_text(figures: Mapping[str, Any], *, markdown: bool = False) -> str:
    """A figure's own statements: one, or, where its land spans several regions, each prefixed by
    its region's name and the regions without one named; "" if it has none."""
    own = figures.get(OWN) or []
    if not own:
        return ""
    regions = figures.get("regions") or sorted({s["region"] for s in own})
    if len(regions) <= 1:
        return "; ".join(statement_text(s, markdown=markdown) for s in own)
    texts = [f"{region_name(s['region'])}: {statement_text(s, markdown=markdown)}" for s in own]
    without = [region_name(code) for code in regions if code not in {s["region"] for s in own}]
    return "; ".join(texts + ([gettext("none for %(regions)s") % {"regions": ", ".join(without)}] if without else []))


def inside_text(area: Mapping[str, Any], cited: Mapping[str, Any], *, markdown: bool = False) -> str:
    """A place inside a figure's land with its statement (``cited``: the statements by id):
    "pokrovsk-hromada (Покровська міська ТГ, hromada, 28.1% of its land in it): ..."."""
    kind, _, name = area["land"].partition(":")
    where = ""
    if area.get("share_of_area_pct") is not None and kind == "hromada":
        where = ", " + gettext("%(share)s of its land in it") % {"share": percent_text(area["share_of_area_pct"])}
    name = name if kind in ("hromada", "settlement") else region_name(name)
    text = f"{area['area_id']} ({name}, {gettext(LAND_KINDS.get(kind, kind))}{where})"
    return f"{escape_markdown(text) if markdown else text}: {statement_text(cited[area['statement_id']], markdown=markdown)}"


# The kinds of land a statement's area is (layers.sources.statements' LAND_* and area kinds).
LAND_KINDS = {
    "settlement": N_("city or town"),
    "held": N_("held part of the region"),
    "occupied": N_("occupied part of the region"),
    "region": N_("whole region"),
    "hromada": N_("hromada"),
}


def region_name(code: str) -> str:
    """ "Donetsk (UA-14)" / "Донецька область (UA-14)"."""
    if code == CRIMEA_WITH_SEVASTOPOL:
        return code
    try:
        return f"{names.region_name(code)} ({code})"
    except KeyError:
        return code


def host(url: str) -> str:
    return url.split("//", 1)[-1].split("/", 1)[0]


def link(url: str) -> str:
    """``url`` safe inside a Markdown link target: no spaces or parentheses to end it early."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def kinds_note(with_claims: bool) -> str:
    """What the kinds of figure mean, in one sentence."""
    kinds = ", ".join(quoted_term(kind_label(kind)) for kind in KIND_LABELS if with_claims or kind != CLAIM)
    return gettext("Kinds: %(kinds)s (as the statement words it).") % {"kinds": kinds}


def quoted_term(text: str) -> str:
    """A term quoted in running text: 'civilians' / «цивільні» (Ukrainian quotation marks)."""
    return f"«{text}»" if current_language() == UKRAINIAN else f"'{text}'"


# --- report.md, the terminal and report.csv --------------------------------------------------------

STATEMENT_HEAD = N_("People remaining: latest official statement")


def headline_cell(figures: Mapping[str, Any]) -> str:
    """The Markdown cell beside a headline figure: its own statements, else a pointer to the places
    inside its land, else a dash."""
    if figures.get(OWN):
        return own_text(figures, markdown=True)
    if figures.get(INSIDE_KEY):
        count = len(figures[INSIDE_KEY])
        return gettext("none for this land as a whole; %(places)s") % {
            "places": count_text(count, "%(count)s place inside it (below)", "%(count)s places inside it (below)")
        }
    return "–"


def terminal_lines(figures: Mapping[str, Any], indent: str) -> list[str]:
    """Lines under a headline figure on the terminal: each own statement, or how many places inside
    its land have one."""
    own = figures.get(OWN) or []
    if own:
        regions = figures.get("regions") or []
        several = len(regions) > 1
        lines = [f"{indent}{people_remaining(s, several)}: {statement_text(s)}" for s in own]
        without = [region_name(code) for code in regions if code not in {s["region"] for s in own}]
        return lines + ([indent + gettext("no official statement for %(regions)s") % {"regions": ", ".join(without)}] if several and without else [])
    inside = figures.get(INSIDE_KEY) or []
    if inside:
        places = count_text(len(inside), "%(count)s place", "%(count)s places")
        return [
            indent
            + gettext("no official statement for this land as a whole; statements of %(places)s inside it in report.md ('People remaining')")
            % {"places": places}
        ]
    return []


def people_remaining(statement: Mapping[str, Any], for_region: bool, *, capital: bool = False) -> str:
    """``people remaining, official statement`` (``for Donetsk (UA-14)`` with ``for_region``), or
    the occupying power's claim; ``capital``: as a line's start (``People remaining, …``)."""
    if statement["claim"]:
        text = gettext("people remaining, occupying power's claim for %(region)s") if for_region else gettext("people remaining, occupying power's claim")
    else:
        text = gettext("people remaining, official statement for %(region)s") if for_region else gettext("people remaining, official statement")
    text = text % {"region": region_name(statement["region"])} if for_region else text
    return text[:1].upper() + text[1:] if capital else text


def statements_section(report: Mapping[str, Any]) -> list[str]:
    """The "People remaining" section of ``report.md``: every area with a statement that meets the
    plan's land, once, with its latest statement and where it lies (the headline figures whose
    land it is; the zones it lies in, with the share of a hromada's land in each)."""
    note = report.get("statements_beside")
    if not note:
        return []
    cited = note["cited"]
    lines = ["## " + gettext("People remaining: official statements"), "", f"*{escape_markdown(note['note'])} {kinds_note(note['with_claims'])}*", ""]
    areas = _areas_met(report)
    if not areas:
        text = (
            gettext("No statement on or before %(date)s concerns the land this plan moves.") % {"date": iso_date_text(note["on_or_before"])}
            if note["on_or_before"]
            else gettext("No statement concerns the land this plan moves.")
        )
        return [*lines, text, ""]
    for (_, _, area_id), (statement_id, land, measures, zones) in sorted(areas.items()):
        where = []
        if measures:
            where.append(gettext("the land of: %(measures)s") % {"measures": "; ".join(escape_markdown(label) for label in measures)})
        if zones:
            where.append(gettext("in: %(zones)s") % {"zones": "; ".join(escape_markdown(text) for text in zones)})
        name = inside_text({"area_id": area_id, "land": land, "share_of_area_pct": None, "statement_id": statement_id}, cited, markdown=True)
        lines.append(f"- {name} — {' — '.join(where)}")
    return [*lines, ""]


def _areas_met(report: Mapping[str, Any]) -> dict[tuple, tuple[str, str, list[str], list[str]]]:
    """Each area with a statement by (order of its kind of land, region, id): its statement's id,
    its land, the headline measures whose land it is, and the zones it lies in."""
    order = {"held": 0, "occupied": 0, "region": 0, "hromada": 1, "settlement": 2}
    areas: dict[tuple, tuple[str, str, list[str], list[str]]] = {}

    def entry(statement: Mapping[str, Any]) -> tuple[str, str, list[str], list[str]]:
        key = (order.get((statement["land"] or "").split(":")[0], 3), statement["region"], statement["area_id"])
        return areas.setdefault(key, (statement["id"], statement["land"] or "", [], []))

    for measure in Measure:
        for statement in report["headline"][measure].get(OWN, []):
            entry(statement)[2].append(measure_label(measure))
    cited = report["statements_beside"]["cited"]
    for region in report["regions"]:
        if region["combined"]:
            continue
        for zone in region["zones"]:
            for part in zone["by_control"]:
                here = gettext("%(status)s (%(control)s on the date)") % {"status": status_text(zone["status"]), "control": control_text(part["control"])}
                for statement in part.get(OWN, []):
                    entry(statement)[3].append(gettext("%(zone)s: all of it") % {"zone": here})
                for place in part.get(INSIDE_KEY, []):
                    share = (
                        ": " + gettext("%(share)s of its land") % {"share": percent_text(place["share_of_area_pct"])}
                        if place["share_of_area_pct"] is not None
                        else ""
                    )
                    entry(cited[place["statement_id"]])[3].append(here + share)
    return areas


CSV_COLUMNS = (
    "statement",
    "statement_figure",
    "statement_kind",
    "statement_claim",
    "statement_date",
    "statement_as_of",
    "statement_by",
    "statement_url",
    "statements_inside",
)


def csv_fields(figures: Mapping[str, Any], cited: Mapping[str, Any]) -> dict[str, object]:
    """The statement columns of a CSV row (one region's piece or measure): the statement of the area
    whose land is exactly the row's, and the places inside it with theirs (text, ``|`` between)."""
    own = figures.get(OWN) or []
    first = own[0] if len(own) == 1 else None  # a row is one region's land: at most one area is it
    inside = " | ".join(inside_text(place, cited) for place in figures.get(INSIDE_KEY) or [])
    if first is None:
        fields: dict[str, object] = {column: None for column in CSV_COLUMNS}
        return fields | {"statement": "; ".join(statement_text(s) for s in own) or None, "statements_inside": inside}
    return {
        "statement": statement_text(first),
        "statement_figure": first["figure"],
        "statement_kind": first["kind"],
        "statement_claim": "true" if first["claim"] else "false",
        "statement_date": first["statement_date"],
        "statement_as_of": first["as_of"],
        "statement_by": first["body"],
        "statement_url": first["url"],
        "statements_inside": inside,
    }
