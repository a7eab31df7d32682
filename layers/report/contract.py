"""The JSON contracts of peacemap's outputs, as typed dicts: the report, the comparison and the
timeline rows are built as these types and written to JSON as they are.

The contract blocks of docs/reference/outputs.md are generated from these types (:func:`contract_text`),
and a test checks that the page shows exactly what this module says, so the two cannot drift. Values of
the vocabulary are typed by their enums (:mod:`peacemap.layers.plans.statuses`,
:mod:`peacemap.layers.report.measures`), which JSON writes as their strings.
"""

import types
import typing
from typing import Literal, NotRequired, TypedDict, cast

from peacemap.layers.plans.statuses import Recognition, Side, Status
from peacemap.layers.report.measures import Measure

DayStatus = Literal["snapshot", "gap"]  # a timeline's day: a snapshot, or none (then no figure)


class SourceEntry(TypedDict):
    """One source behind a figure: the plan text, the control map, or a registry source."""

    id: str
    name: str
    attribution: NotRequired[str]
    license: NotRequired[str]
    url: NotRequired[str]
    sha256: NotRequired[str]
    layer: NotRequired[str]  # the layer of a control file read
    where: NotRequired[str]  # the OGR SQL condition that chose a control file's features
    date: str | None


class StatementBeside(TypedDict):
    """An official statement of how many people remained in an area, beside a figure and never part
    of it (docs/method/statements.md; ``peacemap statements --format json`` gives the full record)."""

    id: str
    area_id: str
    region: str
    land: str | None  # e.g. "held:UA-14", the held part of Donetsk oblast on the snapshot
    area_as_worded: str
    figure: int  # persons
    figure_high: int | None  # the top of a range ("300,000-305,000")
    figure_text: str  # "about 198,500"
    kind: str  # civilians, people, administrative-count or occupying-power-claim
    claim: bool  # true only for the occupying power's figures (listed only with --with-claims)
    body: str  # who said it
    person: str | None
    statement_date: str | None  # ISO date, possibly partial ("2025-04")
    as_of: str | None
    url: str  # the page it was read on
    check: str  # checked or figure-checked
    label: str  # "about 198,500 civilians (Donetsk Oblast Military Administration, 2025-11-13)"


class StatementInside(TypedDict):
    """A hromada or city inside a figure's land, and its latest statement (in ``statements_beside.cited``)."""

    area_id: str
    land: str  # "hromada:<name in table 6>", "settlement:<name in table 5>", or a region's part wholly inside
    share_of_area_pct: float | None  # of the area's land inside the figure's land; null for a city (a point)
    statement_id: str  # its key in statements_beside.cited


class StatementsBeside(TypedDict):
    """How the statements beside a report's figures were chosen."""

    on_or_before: str | None  # the snapshot's date: each area's latest statement made on or before it
    with_claims: bool  # occupying-power claims included (labelled) or left out
    source: str
    note: str
    cited: dict[str, StatementBeside]  # every statement named beside a figure, by id


class Figures(TypedDict):
    """Area (geodesic km², to 0.1) and 1 January 2022 population (persons) of one headline measure."""

    area_km2: float
    population_2022: int
    population_2022_low: int
    population_2022_high: int
    population_excludes: list[str]  # region codes without an official 2022 figure
    regions: list[str]  # region codes (ISO 3166-2) the measure covers
    # report and compare: the latest statement of each area whose land is exactly the measure's,
    # region by region (never summed), and the statements of the places inside its land.
    statements: NotRequired[list[StatementBeside]]
    statements_inside: NotRequired[list[StatementInside]]
    population_own: NotRequired[int]  # with --population: the user's population, summed as population_2022 is
    population_own_low: NotRequired[int]
    population_own_high: NotRequired[int]
    population_own_excludes: NotRequired[list[str]]  # regions the user's file does not cover


class Headline(TypedDict):
    """The figures a reader wants first, one per measure of ``layers.report.measures.Measure``
    (docs/method/readings.md): its labels and which measure each is a part of are there. The parts of a
    measure are disjoint and add up to it in km² and in people."""

    russian_side: Figures  # occupied on the date, less what is returned or left by both, plus what is given up
    russian_side_de_jure: Figures
    russian_side_de_facto: Figures  # recognised de facto as a region (not along a frozen line)
    russian_side_frozen_de_facto: Figures  # frozen along the line, the freeze meaning de facto recognition
    russian_side_not_recognised: Figures
    russian_side_not_addressed: Figures
    under_russian_forces: Figures  # the Russian side less the demilitarised zones
    ceded_beyond_line: Figures  # held land that passes to the Russian side
    ceded_demilitarised: Figures
    ceded_to_russian_forces: Figures
    both_withdraw: Figures  # demilitarised zones both sides withdraw from
    both_withdraw_held_by_ukraine: Figures
    both_withdraw_held_by_russia: Figures
    returned: Figures  # occupied land put on the Ukrainian side
    frozen_ukrainian_side: Figures  # held land of the regions the plan freezes by name


class Reading(TypedDict):
    """How peacemap reads a provision whose text leaves a choice (the plan file's ``ambiguous`` note)."""

    provision: str  # the provision's id
    option: str | None  # the option switched on that makes this reading; null for the plan's own
    text: str  # the provision's words
    reading: str
    in_figures: bool  # false for a provision only an option models, while the option is off


class SnapshotAge(TypedDict):
    """How old the line of contact is, where it may be older than the reader thinks (``--date latest``,
    or a date more than 14 days after the snapshot used)."""

    snapshot: str  # the date of the snapshot used
    requested: str  # the date asked for, or "latest"
    age_days: int  # days from the snapshot to counted_on
    counted_on: str  # the day the output was made


class ControlPart(TypedDict):
    """The part of a zone held, or occupied, on the date: one piece of the plan's land. The
    pieces of a zone add up to it in km² and people (bands are each the piece's own)."""

    control: str  # held or occupied
    area_km2: float
    share_of_region_pct: float
    share_of_ukraine_pct: float
    population_2022: int | None
    population_2022_low: int | None
    population_2022_high: int | None
    statements: NotRequired[list[StatementBeside]]  # of the area whose land is exactly this piece's
    statements_inside: NotRequired[list[StatementInside]]
    population_own: NotRequired[int | None]  # with --population (null in a region the file does not cover)
    population_own_low: NotRequired[int | None]
    population_own_high: NotRequired[int | None]


class ZoneEntry(TypedDict):
    """The land of one region under one status."""

    status: Status
    side_after: Side
    recognition: Recognition  # as Russian
    recognised_by: str  # by whom, in the plan's words ("" where it does not say)
    area_km2: float
    share_of_region_pct: float
    share_of_ukraine_pct: float
    held_area_km2: float  # the part Ukraine held on the control date
    population_2022: int | None
    population_2022_low: int | None
    population_2022_high: int | None
    provisions: list[str]
    by_control: list[ControlPart]  # held first
    population_own: NotRequired[int | None]  # with --population (null in a region the file does not cover)
    population_own_low: NotRequired[int | None]
    population_own_high: NotRequired[int | None]


class RegionEntry(TypedDict):
    """One region (ISO 3166-2 code), or Crimea with Sevastopol combined (``combined``: true)."""

    code: str
    name: str
    area_km2: float
    official_area_km2: float | None
    population_2022: int | None
    combined: bool  # true only for the UA-43+UA-40 row, which repeats its two units
    zones: list[ZoneEntry]
    headline: Headline
    # AR Crimea, Sevastopol and their combined row only: the COD-PS projection for 1 January 2020
    # (persons), never part of population_2022 or of any total; its source's id in "sources".
    population_projection_2020: NotRequired[int]
    population_projection_source: NotRequired[str]
    population_own: NotRequired[int | None]  # with --population


class StatusTotals(TypedDict):
    """One status over all regions (the combined Crimea row not counted)."""

    area_km2: float
    share_of_ukraine_pct: float
    population_2022: int | None
    population_2022_low: int | None
    population_2022_high: int | None
    population_excludes: list[str]
    population_own: NotRequired[int]  # with --population
    population_own_low: NotRequired[int]
    population_own_high: NotRequired[int]
    population_own_excludes: NotRequired[list[str]]


class ReportNotes(TypedDict):
    """How to read the figures: where areas and population come from, and the attribution."""

    area: str
    population: str
    attribution: str


class SettlementPlace(TypedDict):
    """A city or town of table 5 whose point lies in a zone, with its official 2022 population."""

    status: Status
    control: str  # held or occupied on the date
    region: str
    hromada: str  # the hromada it lies in (Ukrainian, as table 6 names it)
    name: str
    name_en: str
    population_2022: int
    statement: NotRequired[StatementBeside | None]  # `peacemap places`: the city's latest, where it has one


class StatusPlaces(TypedDict):
    """The largest cities and towns of the land a plan gives one status (report's "Places")."""

    status: Status
    settlements_in_zone: int
    largest: list[SettlementPlace]


class HromadaPlace(TypedDict):
    """A hromada's land in one zone (status, control on the date, region) and the people of
    1 January 2022 the model puts there."""

    status: Status
    control: str  # held or occupied on the date
    region: str
    raion: str | None  # null for the region-level units (AR Crimea, Sevastopol, Kyiv city)
    hromada: str
    hromada_en: str
    area_km2: float
    share_of_hromada_pct: float  # of the hromada's land
    population_2022: int | None  # null where there is no official figure (AR Crimea, Sevastopol)
    statement: NotRequired[StatementBeside | None]  # the whole hromada's latest statement, where it has one
    population_own: NotRequired[int | None]  # with --population: its part of the user's population here


class OwnPopulationSource(TypedDict):
    """The user's population (``--population``) beside the official one: what and whose it is."""

    label: str  # --population-label (default: the file's name)
    date: str  # --population-date: the date its counts stand for
    kind: str  # hromada table, settlement table, points or raster
    file: str
    sha256: str
    count_field: str  # the column, field or band the counts were read from
    crs: str | None  # the CRS the file declares (points, rasters)
    regions: list[str]  # the regions it covers (others have no figure)
    total: int  # its count over those regions
    method: str  # how its counts are placed and summed
    band: str  # "the population model's" (hromada tables) or "none: exact sums"
    notes: list[str]  # what was left out


class Places(TypedDict):
    """``peacemap places --format json``: every hromada and town in each zone of a plan."""

    plan: str
    date: str | None
    control_snapshot: str
    sources: list[SourceEntry]
    readings: list[Reading]
    snapshot_age: NotRequired[SnapshotAge]
    statements_beside: NotRequired[StatementsBeside]
    population_own_source: NotRequired[OwnPopulationSource]  # with --population
    plan_text_note: NotRequired[str]  # as the report's
    hromadas: list[HromadaPlace]
    settlements: list[SettlementPlace]


class LineTown(TypedDict):
    """A city or town of table 5 whose point lies near the line of contact."""

    name: str
    name_en: str
    region: str
    hromada: str
    population_2022: int  # official, table 5
    distance_km: float  # from its point to the line (equal-area projection, to 0.1 km)
    control: str  # held or occupied on the date
    status: Status | Literal[""]  # the plan's status of the land it lies in ("" outside the plan's zones)


class LineHromada(TypedDict):
    """A hromada whose territory the line of contact cuts."""

    hromada: str
    hromada_en: str
    region: str
    population_2022: int  # official, table 6
    occupied_land_pct: float  # share of its land occupied on the date


class LineSensitivity(TypedDict):
    """The places whose people could change sides with a small move of the line (docs/method/readings.md)."""

    threshold_km: float  # a town counts if its point lies this near the line
    towns: list[LineTown]  # largest first
    hromadas: list[LineHromada]  # largest first


class RecognisedWithProjection(TypedDict):
    """What a plan recognises as Russian (de jure or de facto), with Crimea's COD-PS projection
    added to the official 2022 figure of the other recognised land. Mixed sources and dates: never
    an official total, and never folded into ``headline``."""

    area_km2: float  # recognised de jure and de facto, Crimea included
    population_2022: int  # official 2022 figure of the recognised land outside Crimea (model-spread)
    population_projection_2020: int  # COD-PS projection for 1 January 2020 of AR Crimea and Sevastopol
    population_with_projection: int  # the two added: persons, mixed sources
    population_projection_source: str  # the projection's source id in "sources"


class PlanOriginEntry(TypedDict):
    """Where the plan was read from: shipped with peacemap, or a user's plan file (docs/reference/plan-files.md)."""

    kind: str  # shipped, user_file or in_memory
    file: str  # the file's name, without its folders
    sha256: str  # of the file's bytes
    peacemap_version: str  # of a shipped plan ("" otherwise)
    same_id_as_shipped: bool  # a user's file with the id of a shipped plan
    text: str  # the above in one line, as every output names it


class Report(TypedDict):
    """``peacemap report --format json`` and ``report.json`` of ``peacemap build``."""

    plan: str
    plan_origin: PlanOriginEntry
    plan_title: str
    options: list[str]
    date: str | None
    control_snapshot: str
    sources: list[SourceEntry]
    ukraine_area_km2: float
    regions: list[RegionEntry]
    totals: dict[Status, StatusTotals]
    headline: Headline
    readings: list[Reading]
    notes: ReportNotes
    peacemap_version: str  # the peacemap that made the report (`peacemap --version`)
    snapshot_age: NotRequired[SnapshotAge]
    places: NotRequired[list[StatusPlaces]]  # by status; in the outputs of `peacemap report` and `build`
    line_sensitivity: NotRequired[LineSensitivity]  # in the outputs of `peacemap report` and `build`
    # Only where the plan recognises all of AR Crimea and Sevastopol as Russian (de jure or de facto).
    recognised_with_crimea_projection: NotRequired[RecognisedWithProjection]
    statements_beside: NotRequired[StatementsBeside]  # in the outputs of `peacemap report` and `build`
    population_own_source: NotRequired[OwnPopulationSource]  # with --population
    # Written in a language the plan's provisions were not published in (--lang uk): one sentence
    # saying they are quoted in English (issue 30).
    plan_text_note: NotRequired[str]


class ComparedRegion(Headline):
    """One region's headline measures under one plan."""

    name: str


class ComparedPlan(TypedDict):
    """One plan of a comparison: its headline measures over all regions and per region."""

    plan: str
    options: list[str]
    variant: str  # the plan as compare was given it: its id and options joined by "+" (plan28+21c-none)
    title: str
    plan_date: str  # the plan's default date of the line of contact
    text_date: str | None  # the date of the plan's text (russia-max: 2024-06-14); null: no dated text (freeze)
    control_snapshot: str  # the line of contact the plan is drawn on
    source: str
    readings: list[Reading]
    totals: Headline  # over all regions
    regions: dict[str, ComparedRegion]  # keyed by region code
    plan_text_note: NotRequired[str]  # as the report's


class Comparison(TypedDict):
    """``peacemap compare --format json``."""

    date: str | None
    control_snapshot: str
    control: SourceEntry  # the map of control every plan is drawn on, with its sha256
    population_note: str
    notes: list[str]  # how to read the columns that plans could read differently
    snapshot_age: NotRequired[SnapshotAge]
    plans: list[ComparedPlan]
    statements_beside: NotRequired[StatementsBeside]
    population_own_source: NotRequired[OwnPopulationSource]  # with --population


class TimelineRow(TypedDict):
    """One region on one calendar day (``peacemap timeline``, CSV columns and JSON ``rows``)."""

    date: str
    region: str
    region_name: str
    status: DayStatus
    occupied_km2: float | None
    occupied_pct: float | None
    held_km2: float | None
    change_30d_km2: float | None
    change_90d_km2: float | None
    change_365d_km2: float | None
    dmz_days_at_30d_pace: float | None  # Donetsk only: days to occupy its held part at each trailing pace
    dmz_days_at_90d_pace: float | None
    dmz_days_at_365d_pace: float | None
    dmz_pace: str  # "advancing", "never/not advancing" (90-day pace) or ""


class PlanTimelineRow(TypedDict):
    """One headline measure of a plan on one calendar day (``peacemap timeline --plan``, CSV
    columns and JSON ``rows``): the plan applied to that day's line, as its report gives it."""

    date: str
    plan: str
    status: DayStatus  # a gap: every figure is null
    measure: Measure  # a key of the report's headline
    measure_label: str  # its label, as in report.md
    area_km2: float | None
    population_2022: int | None  # persons on 1 January 2022, of the regions with a figure
    population_2022_low: int | None
    population_2022_high: int | None
    population_excludes: str | None  # regions without a 2022 figure, joined by "+"
    readings: str  # the plan's readings (report.md, "Readings") on one line


class PlanTimelineStatement(TypedDict):
    """An official statement drawn beside a plan's figures over time (``peacemap timeline --plan``:
    the JSON's ``statements``, the CSV's rows with status ``statement``): its area is exactly the
    measure's land in one region under the plan's rules. Never part of a figure."""

    date: str  # the day it is drawn: the statement's date (a month's last day for "2025-04")
    plan: str
    measure: Measure  # a key of the report's headline
    measure_label: str
    region: str  # ISO 3166-2: the region whose part of the measure's land the statement is about
    statement_id: str
    figure: int  # persons
    figure_high: int | None
    kind: str  # civilians, people, administrative-count or occupying-power-claim
    claim: bool
    body: str
    statement_date: str | None
    as_of: str | None
    url: str
    label: str


class ComparedControlRegion(TypedDict):
    """One region under two maps of control A and B (geodesic km², to 0.1)."""

    code: str
    name: str
    occupied_km2: list[float]  # [under A, under B]
    only_a_km2: float  # land A counts as occupied and B does not
    only_b_km2: float  # land B counts as occupied and A does not


class ControlTotals(TypedDict):
    """The 27 units together (the sum of the region rows)."""

    occupied_km2: list[float]
    only_a_km2: float
    only_b_km2: float


class ControlHeadline(TypedDict):
    """A plan's headline measures under each map of control: [under A, under B]."""

    ceded_beyond_line: list[Figures]
    ceded_demilitarised: list[Figures]


class ControlComparison(TypedDict):
    """``peacemap control compare --format json``: two maps of control A and B side by side."""

    date: str | None  # the date asked for (--date), if any; each source gives its own
    plan: str
    sources: list[SourceEntry]  # [A, B]
    regions: list[ComparedControlRegion]
    totals: ControlTotals
    headline: ControlHeadline
    notes: ReportNotes


def figures_of(headline: Headline, measure: Measure) -> Figures:
    """The figures of ``measure`` in ``headline``: its keys are the values of :class:`Measure`
    (tests/test_report_contract.py checks that they agree), which a type checker cannot see."""
    return cast(dict[str, Figures], headline)[measure]


def figures_under_each(headline: ControlHeadline, measure: Measure) -> list[Figures]:
    """The figures of ``measure`` under each map of control ([A, B]) in a control comparison's headline."""
    return cast(dict[str, list[Figures]], headline)[measure]


CONTRACTS: dict[str, type] = {
    "report": Report,
    "comparison": Comparison,
    "timeline row": TimelineRow,
    "plan timeline row": PlanTimelineRow,
    "plan timeline statement": PlanTimelineStatement,
    "control comparison": ControlComparison,
    "places": Places,
}


def keys(contract: type) -> list[str]:
    """The keys of a typed dict, in the order they are declared."""
    return list(typing.get_type_hints(contract))


def contract_text(contract: type) -> str:
    """The contract as docs/reference/outputs.md writes it: one line per typed dict reachable from ``contract``.

    ``Report = {"plan", "regions": [RegionEntry], "totals": {KEY: StatusTotals}}``: a plain value
    is its key alone (``"key"?`` where it may be absent), a list of objects ``[Name]``, a mapping
    keyed by data (status, measure, region code) ``{KEY: Name}``; every ``Name`` gets its own line.
    """
    lines, queue, seen = [], [contract], {contract}
    while queue:
        current = queue.pop(0)
        fields = []
        for name, hint in typing.get_type_hints(current).items():
            shape, nested = _shape(hint)
            key = f'"{name}"?' if name in current.__optional_keys__ else f'"{name}"'  # type: ignore[attr-defined]
            fields.append(key if shape is None else f"{key}: {shape}")
            for kind in nested:
                if kind not in seen:
                    seen.add(kind)
                    queue.append(kind)
        lines.append(f"{current.__name__} = {{{', '.join(fields)}}}")
    return "\n".join(lines)


def _shape(hint: object) -> tuple[str | None, list[type]]:
    """How a field refers to nested typed dicts (None for a plain value), and which they are."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            shape, nested = _shape(arg)
            if shape is not None:
                return shape, nested
        return None, []
    if origin in (list, dict):
        shape, nested = _shape(args[-1])
        if shape is None:
            return None, []
        return (f"[{shape}]" if origin is list else f"{{KEY: {shape}}}"), nested
    if typing.is_typeddict(hint):
        kind = typing.cast(type, hint)
        return kind.__name__, [kind]
    return None, []


def mismatches(value: object, contract: type, where: str = "") -> list[str]:
    """Where ``value`` (a JSON-ready object) departs from the typed dict ``contract``: missing
    required keys and keys the contract does not name, at every level. Empty if it conforms."""
    if not isinstance(value, dict):
        return [f"{where or 'value'}: expected an object, got {type(value).__name__}"]
    hints = typing.get_type_hints(contract)
    required = contract.__required_keys__  # type: ignore[attr-defined]
    found = [f"{where}.{key}: missing" for key in hints if key in required and key not in value]
    found += [f"{where}.{key}: not in the contract" for key in value if key not in hints]
    for key, hint in hints.items():
        if key in value and value[key] is not None:
            found += _nested_mismatches(value[key], hint, f"{where}.{key}")
    return found


def _nested_mismatches(value: object, hint: object, where: str) -> list[str]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        kinds = [arg for arg in args if arg is not type(None)]
        return _nested_mismatches(value, kinds[0], where) if len(kinds) == 1 else []
    if origin is NotRequired:
        return _nested_mismatches(value, args[0], where)
    if origin is list and isinstance(value, list):
        return [m for i, item in enumerate(value) for m in _nested_mismatches(item, args[0], f"{where}[{i}]")]
    if origin is dict and isinstance(value, dict):
        return [m for key, item in value.items() for m in _nested_mismatches(item, args[1], f"{where}[{key}]")]
    if typing.is_typeddict(hint):
        return mismatches(value, hint, where)  # type: ignore[arg-type]
    return []
