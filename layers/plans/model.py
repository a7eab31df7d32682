"""Plans as data: read and validate a plan file (TOML), and list the plans shipped with peacemap.

A plan names, for each region, what it does to the region's land:

- ``recognise``: the whole region goes to Russia, recognised de jure or de facto;
- ``freeze``: the region is split along the line of contact, each side keeping its part (the
  occupied part recognised de facto, or not recognised);
- ``dmz``: the part Ukraine holds becomes a demilitarised zone, whose side after the plan, who
  withdraws from it and its recognition the rule states (the occupied part is treated as the
  rule's ``occupied_recognition`` says);
- ``relinquish``: Russia gives the occupied land back to Ukraine;
- ``keep``: the plan leaves the region as it is (the occupied part not recognised, or not
  addressed by the plan).

Every rule but ``relinquish`` states how the plan recognises the land it leaves or puts on the
Russian side (``recognition``: ``de_jure``, ``de_facto``, ``none``, ``not_addressed``, with an
optional ``recognised_by``); the statuses this gives are in :mod:`peacemap.layers.plans.statuses`.

The five regions of the plans (AR Crimea and Sevastopol, Donetsk, Luhansk, Zaporizhzhia,
Kherson) must each have a rule; ``[elsewhere]`` sets the rule for every other region.

Plan files are shared between newsrooms, so they are untrusted input: every field is checked for
its TOML type, strings may not hold control characters, numbers must be finite and within range,
and the file and its lists are capped in size. Every refusal is a one-line :class:`PlanError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import re
import reprlib
import stat
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from peacemap.layers.control import HELD, OCCUPIED
from peacemap.layers.errors import PlanError
from peacemap.layers.i18n.catalogue import gettext
from peacemap.layers.i18n.dates import iso_date_text
from peacemap.layers.i18n.language import UKRAINIAN, current_language
from peacemap.layers.plans.statuses import (
    Recognition,
    Rule,
    Side,
    Status,
    Withdrawal,
    dmz_choices,
    recognitions_for,
    rule_status,
)
from peacemap.layers.regions import CRIMEA, CRIMEA_WITH_SEVASTOPOL, PLAN_UNITS, REGION_NAMES, SEVASTOPOL
from peacemap.layers.text import printable
from peacemap.layers.writing import shown_path

REQUIRED_REGIONS = PLAN_UNITS
_Term = TypeVar("_Term", bound=str)  # a member of one of the vocabulary's enums
_TOP_LEVEL_KEYS = {
    "id",
    "title",
    "date",
    "summary",
    "source",
    "provisions",
    "rules",
    "elsewhere",
    "notes",
    "options",
    "title_uk",
    "summary_uk",
    "notes_uk",
    "source_uk",
}
_OPTION_KEYS = {"id", "description", "provision", "ambiguous", "rules", "elsewhere", "zones", "description_uk", "ambiguous_uk"}
_ZONE_KEYS = {"around", "radius_km", "along_line_in", "depth_km", "status", "control", "within"}
_ZONE_CONTROLS = ("occupied", "held", "both")
_RULE_KEYS = {
    "rule",
    "provision",
    "occupied_provision",
    "note",
    "recognition",
    "recognised_by",
    "occupied_recognition",
    "occupied_recognised_by",
    "side_after",
    "withdraws",
}
_PROVISION_KEYS = {"id", "text", "territorial", "ambiguous", "note", "text_uk", "ambiguous_uk"}
_SOURCE_KEYS = {"name", "reprint", "published", "url", "name_uk"}

# Caps on a plan file. A plan is a short text written by a person: the shipped ones are under
# 6 kB with at most 6 provisions and 2 options. The caps are far above any real plan and keep a
# hostile file from holding a run for minutes.
MAX_PLAN_BYTES = 1_000_000
MAX_PROVISIONS = 1_000
MAX_OPTIONS = 100
MAX_ZONES_PER_OPTION = 50
# All the options' zones of a plan together: the worst case (every zone overlapping all others,
# each with another status than the one before, bands 300 km deep) costs about 0.03 s of CPU a
# zone (bench/plan_options.py --worst), so 500 zones stay under 30 s (12.7 s idle, 16.1 s at load
# average 7 on 2 cores).
MAX_OPTION_ZONES = 500
MAX_NOTES = 100
# Largest radius of an option disc and depth of an option band (km). An option zone is a local
# arrangement (a plant, a dam, a band along the line): a 300 km disc already covers about
# 283,000 km², nearly half of Ukraine's 603,628 km². A larger zone is no zone but a change to whole
# regions, which a plan states with rules; far larger ones also leave the metric projection's
# range (a 13,000 km buffer wraps round the globe and comes back empty).
MAX_ZONE_KM = 300.0
# Where an option zone's centre may lie (degrees, EPSG:4326): Ukraine's land spans
# 22.14-40.23 E and 44.38-52.38 N (the regions' bounds); the box adds about 0.1 degree.
UKRAINE_LON_DEG = (22.0, 40.3)
UKRAINE_LAT_DEG = (44.3, 52.4)


@dataclass(frozen=True)
class Provision:
    """One provision of a plan, quoted; ``text_uk`` quotes its Ukrainian text as published (the
    plan's ``source_uk`` says where), "" where none was found: it is never peacemap's translation.
    ``ambiguous_uk`` is peacemap's reading (``ambiguous``) in Ukrainian, peacemap's own words."""

    id: str
    text: str
    territorial: bool = True
    ambiguous: str = ""
    text_uk: str = ""
    ambiguous_uk: str = ""


@dataclass(frozen=True)
class RegionRule:
    """What a plan does to one region, and which provision says so.

    ``occupied_provision`` names the provision for the occupied part where it differs
    (e.g. the 28-point plan's Donetsk: 21a for the occupied part, 21d for the rest).
    """

    rule: Rule
    provision: str
    occupied_provision: str = ""
    note: str = ""
    recognition: Recognition | None = None  # of the land the rule leaves or puts on the Russian side; None for relinquish
    recognised_by: str = ""  # by whom, in the text's words (e.g. "including by the United States")
    occupied_recognition: Recognition | None = None  # of the occupied part, where it differs (recognise and dmz only)
    occupied_recognised_by: str = ""
    side_after: Side | None = None  # dmz: whose the demilitarised zone is after the plan
    withdraws: Withdrawal | None = None  # dmz: who withdraws from it

    def recognition_of(self, part: str) -> Recognition | None:
        """The recognition as Russian the rule gives ``part`` (``occupied`` or ``held``); None for a
        held part that stays Ukrainian (freeze, keep, relinquish)."""
        if part == OCCUPIED:
            return self.occupied_recognition or self.recognition
        return self.recognition if self.rule.recognises_held_land else None

    def recognised_by_of(self, part: str) -> str:
        """Who recognises ``part`` as Russian, as the plan says ("" if it does not say or it is not recognised)."""
        recognition = self.recognition_of(part)
        if recognition is None or not recognition.recognises:
            return ""
        if part == OCCUPIED and self.occupied_recognition:
            return self.occupied_recognised_by
        return self.recognised_by

    def status(self, part: str, *, named: bool = True) -> Status:
        """The status this rule gives ``part`` (``occupied`` or ``held``) of a region; ``named``:
        the plan gives the region this rule by name (not through ``[elsewhere]``)."""
        status = rule_status(self.rule, part, self.recognition_of(part), side_after=self.side_after, withdraws=self.withdraws, named=named)
        if status is None:
            raise ValueError(f"rule '{self.rule}' with recognition '{self.recognition_of(part) or ''}' gives its {part} part no status")
        return status


@dataclass(frozen=True)
class OptionZone:
    """Land given a status by an option: a disc around a point, or a band along the line of contact.

    ``around`` is (lon, lat) in degrees (EPSG:4326) with ``radius_km``; ``along_line_in`` is a
    region code whose line of contact gets a band ``depth_km`` deep on each side. ``control``
    says which land in the zone changes: ``occupied``, ``held`` or ``both``; ``within`` limits
    the zone to one region (a band along a region's line is always limited to that region).
    """

    status: Status
    control: str = "both"
    within: str = ""
    around: tuple[float, float] | None = None
    radius_km: float = 0.0
    along_line_in: str = ""
    depth_km: float = 0.0


@dataclass(frozen=True)
class PlanOption:
    """A provision the text leaves open, modelled one way and applied only when asked for."""

    id: str
    description: str
    provision: str
    ambiguous: str = ""
    rules: dict[str, RegionRule] = field(default_factory=dict)
    elsewhere: RegionRule | None = None  # replaces the plan's rule for every region it does not name
    zones: tuple[OptionZone, ...] = ()
    description_uk: str = ""  # description and ambiguous in Ukrainian: peacemap's own words, "" where not given
    ambiguous_uk: str = ""

    def reading(self) -> str:
        """How the option reads its provision, in the language being written: its description and
        ``ambiguous`` note, in Ukrainian where the plan file gives them so."""
        ukrainian = current_language() == UKRAINIAN and self.description_uk
        parts = (self.description_uk, self.ambiguous_uk) if ukrainian else (self.description, self.ambiguous)
        return " ".join(part for part in parts if part)


SHIPPED, USER_FILE, IN_MEMORY = "shipped", "user_file", "in_memory"


@dataclass(frozen=True)
class PlanOrigin:
    """Where a plan was read from: shipped with peacemap (which version), a user's plan file (its
    name and the sha256 of its bytes), or a document parsed in memory (:func:`parse_plan`).

    A user's file may carry the id (and title) of a shipped plan: ``same_id_as_shipped`` says so,
    and every output names the file, so that it cannot pass for the shipped plan.
    """

    kind: str = IN_MEMORY  # SHIPPED, USER_FILE or IN_MEMORY
    file: str = ""  # the file's name, without its folders (shipped: plan28.toml)
    sha256: str = ""  # hex sha256 of the file's bytes
    peacemap_version: str = ""  # of a shipped plan
    same_id_as_shipped: bool = False  # a user's file whose id is a shipped plan's

    def text(self, plan_id: str) -> str:
        """One line for every output, in the language being written: "shipped with peacemap 0.1.0",
        or "user plan file mine.toml (sha256 …), not the shipped plan28 of the same id" (the full sha256)."""
        if self.kind == SHIPPED:
            return gettext("shipped with peacemap %(version)s") % {"version": self.peacemap_version}
        if self.kind == USER_FILE:
            shadow = ", " + gettext("not the shipped %(plan)s of the same id") % {"plan": plan_id} if self.same_id_as_shipped else ""
            return gettext("user plan file %(file)s (sha256 %(sha256)s)") % {"file": self.file, "sha256": self.sha256} + shadow
        return gettext("plan document given in memory, not read from a file")


@dataclass(frozen=True)
class Plan:
    """A validated plan file."""

    id: str
    title: str
    date: dt.date
    source: dict
    provisions: tuple[Provision, ...]
    rules: dict[str, RegionRule]
    elsewhere: RegionRule
    summary: str = ""
    path: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    options: tuple[PlanOption, ...] = field(default_factory=tuple)
    enabled_options: tuple[str, ...] = ()  # ids of the options switched on
    origin: PlanOrigin = PlanOrigin()  # set by load_plan
    # In Ukrainian: title, summary and notes are peacemap's own words ("" / () where not given);
    # source_uk cites where the provisions' Ukrainian texts (Provision.text_uk) were published.
    title_uk: str = ""
    summary_uk: str = ""
    notes_uk: tuple[str, ...] = field(default_factory=tuple)
    source_uk: dict = field(default_factory=dict)

    def has_ukrainian_text(self) -> bool:
        """Whether any provision quotes a published Ukrainian text (outputs in Ukrainian say "no
        Ukrainian text" once otherwise, and quote the English)."""
        return any(provision.text_uk for provision in self.provisions)

    # --- in the language being written (peacemap.layers.i18n.language.current_language) ---------

    def _in_ukrainian(self, ukrainian: str) -> bool:
        return current_language() == UKRAINIAN and bool(ukrainian)

    def title_text(self) -> str:
        """The plan's title in the language being written (``title_uk`` in Ukrainian, where given)."""
        return self.title_uk if self._in_ukrainian(self.title_uk) else self.title

    def provision_text(self, provision: Provision) -> str:
        """``provision``'s words as published in the language being written; in English where no
        Ukrainian text was published (:meth:`text_note` then says so, once)."""
        return provision.text_uk if self._in_ukrainian(provision.text_uk) else provision.text

    def reading_text(self, provision: Provision) -> str:
        """peacemap's reading of ``provision`` (``ambiguous``) in the language being written."""
        return provision.ambiguous_uk if self._in_ukrainian(provision.ambiguous_uk) else provision.ambiguous

    def text_note(self) -> str:
        """The one sentence outputs in Ukrainian give where they quote the plan's provisions in
        English, because no Ukrainian text of them was published; "" in English, and where every
        provision has its Ukrainian text."""
        if current_language() != UKRAINIAN or all(provision.text_uk for provision in self.provisions):
            return ""
        if self.has_ukrainian_text():
            return gettext("Provisions with no published Ukrainian text are quoted in English.")
        return gettext("No Ukrainian text of this plan was published: its provisions are quoted in English.")

    def rule_for(self, region_code: str) -> RegionRule:
        """The rule for ``region_code`` (ISO 3166-2), falling back to ``elsewhere``."""
        return self.rules.get(region_code, self.elsewhere)

    def status_for(self, region_code: str, part: str) -> Status:
        """The status the plan gives ``part`` (``occupied`` or ``held``) of region ``region_code``."""
        return self.rule_for(region_code).status(part, named=region_code in self.rules)

    def option(self, option_id: str) -> PlanOption:
        """The option ``option_id``; PlanError naming the plan's options otherwise."""
        for option in self.options:
            if option.id == option_id:
                return option
        known = ", ".join(o.id for o in self.options) or "none"
        raise PlanError(f"plan {self.id} has no option {_show(option_id)}; its options: {known}")

    def with_options(self, option_ids: Iterable[str]) -> Plan:
        """This plan with the rule overrides of the chosen options applied (zones stay on the options)."""
        chosen = [self.option(option_id) for option_id in option_ids]
        rules, elsewhere = dict(self.rules), self.elsewhere
        for option in chosen:
            rules.update(option.rules)
            elsewhere = option.elsewhere or elsewhere
        return replace(self, rules=rules, elsewhere=elsewhere, enabled_options=tuple(o.id for o in chosen))

    def active_options(self) -> tuple[PlanOption, ...]:
        """The options switched on (see :meth:`with_options`)."""
        return tuple(self.option(option_id) for option_id in self.enabled_options)

    def provision(self, provision_id: str) -> Provision | None:
        """The provision with id ``provision_id``, or None."""
        return next((p for p in self.provisions if p.id == provision_id), None)

    def text_date(self) -> str | None:
        """The date of the plan's text, ``source.published``: YYYY-MM-DD for a date (russia-max:
        stated 2024-06-14, drawn by default on 2024-07-08), as written for a looser one ("late
        November 2025"); None where the file gives none (freeze, a baseline with no text)."""
        published = self.source.get("published")
        if isinstance(published, dt.date):
            return published.isoformat()
        return published if isinstance(published, str) else None

    def source_line(self) -> str:
        """One line citing the plan's text, with the date of the text (or saying it has none), and
        where the plan was read from (:meth:`PlanOrigin.text`)."""
        text_date = self.text_date()
        dated = iso_date_text(text_date) if text_date else gettext("no dated text")
        name = self.source.get("name_uk") if self._in_ukrainian(str(self.source.get("name_uk", ""))) else self.source.get("name", "")
        return f"{self.title_text()} ({dated}): {name}; {self.origin_text()}"

    def origin_text(self) -> str:
        """Where the plan was read from, in one line (:meth:`PlanOrigin.text`)."""
        return self.origin.text(self.id)


def _plans_folder() -> Traversable:
    return resources.files("peacemap.layers.plans").joinpath("builtin")


def builtin_plan_ids() -> list[str]:
    """Ids of the plans shipped with peacemap, sorted."""
    return sorted(entry.name.removesuffix(".toml") for entry in _plans_folder().iterdir() if entry.name.endswith(".toml"))


def load_plan(plan: str | Path) -> Plan:
    """Load a plan by built-in id (e.g. ``plan28``) or from a TOML file path, and validate it.

    Raises
    ------
    PlanError
        Unknown id, unreadable or oversized file, or a field that is missing or malformed; the
        one-line message names the file, the field, what was expected and what arrived.
    """
    text, label, origin = _plan_text(plan)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PlanError(f"{label}: not valid TOML ({_one_line(str(error))})") from error
    except ValueError as error:  # an integer of more than 4,300 digits
        raise PlanError(f"{label}: not valid TOML (a number too long to read)") from error
    except RecursionError as error:  # tomllib recurses once per nested inline table or array
        raise PlanError(f"{label}: not valid TOML for a plan (tables or arrays nested too deeply)") from error
    parsed = parse_plan(document, label=label)
    if origin.kind == USER_FILE:
        origin = replace(origin, same_id_as_shipped=parsed.id in builtin_plan_ids())
    return replace(parsed, origin=origin)


def load_plan_variant(plan: str | Path) -> Plan:
    """A plan with options named in one reference, as ``peacemap compare`` takes them:
    ``plan28+21c-none`` is plan28 with option 21c-none (``+`` between several). A reference that
    is itself a plan (a built-in id, a ``.toml`` path or an existing file) is loaded as it is.

    Raises
    ------
    PlanError
        As :func:`load_plan`, or an option the plan does not have.
    """
    text = str(plan)
    candidate = Path(text)
    if isinstance(plan, Path) or "+" not in text or candidate.suffix.lower() == ".toml" or _exists(candidate) or text in builtin_plan_ids():
        return load_plan(plan)
    base, *option_ids = text.split("+")
    return load_plan(base).with_options(option_ids)


def _plan_text(plan: str | Path) -> tuple[str, str, PlanOrigin]:
    """The text of a plan file or a built-in plan, the label its messages start with, and its origin."""
    candidate = Path(plan)
    if candidate.suffix.lower() == ".toml" or _exists(candidate):
        data = _read_plan_file(candidate)
        origin = PlanOrigin(USER_FILE, file=printable(candidate.name), sha256=hashlib.sha256(data).hexdigest())
        return _decoded(data, _path_label(candidate)), _path_label(candidate), origin
    if str(plan) in builtin_plan_ids():
        resource = _plans_folder().joinpath(f"{plan}.toml")
        data = resource.read_bytes()
        origin = PlanOrigin(SHIPPED, file=resource.name, sha256=hashlib.sha256(data).hexdigest(), peacemap_version=_peacemap_version())
        return data.decode("utf-8"), f"plan {plan} ({resource.name})", origin
    raise PlanError(f"unknown plan {_show(str(plan))}; expected one of {', '.join(builtin_plan_ids())} or a path to a .toml plan file")


def _peacemap_version() -> str:
    """The installed peacemap's version (``peacemap.__version__``, read from the package's metadata:
    importing the package from here would import the whole API)."""
    try:
        return importlib.metadata.version("peacemap")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return "(version unknown: not installed)"


def _exists(path: Path) -> bool:
    """Whether ``path`` exists; False for a name the system cannot even look up (too long, a NUL)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _read_plan_file(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_PLAN_BYTES."""
    label = _path_label(path)
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
        # Refused before opening: a FIFO or a device would block or never end.
        data = _read_at_most(path, MAX_PLAN_BYTES + 1) if regular else b""
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the path
        raise PlanError(f"cannot read plan file {label}: {_one_line(getattr(error, 'strerror', None) or str(error))}") from error
    if not regular:
        raise PlanError(f"cannot read plan file {label}: not a regular file")
    if len(data) > MAX_PLAN_BYTES:
        raise PlanError(f"{label}: plan file larger than {MAX_PLAN_BYTES:,} bytes; a plan is a short text (see docs/reference/plan-files.md)")
    return data


def _decoded(data: bytes, label: str) -> str:
    """``data`` as UTF-8 text (a leading BOM dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlanError(f"{label}: not UTF-8 text (byte {error.start:,} is {data[error.start]:#04x}); save the plan as UTF-8") from error


def _read_at_most(path: Path, size: int) -> bytes:
    with path.open("rb") as stream:
        return stream.read(size)


def _path_label(path: Path) -> str:
    """The path as messages show it: as typed (its middle left out if it is very long), or quoted
    with escapes if it holds control characters."""
    text = str(path)
    return shown_path(text) if text.isprintable() else _show(text)


def parse_plan(document: dict, *, label: str = "plan") -> Plan:
    """Validate a parsed plan document (see the module docstring) and return a :class:`Plan`.

    Every field is checked for its TOML type; strings must hold no control characters, numbers
    must be finite, and lists are capped (MAX_PROVISIONS, MAX_OPTIONS, MAX_ZONES_PER_OPTION,
    MAX_OPTION_ZONES in all, MAX_NOTES). A :class:`PlanError` names the field, what was expected and what arrived.
    """
    if not isinstance(document, dict):
        raise PlanError(f"{label}: a plan must be a TOML document of fields, got {_show(document)} ({_kind(document)})")
    _reject_unknown(document, _TOP_LEVEL_KEYS, label, "top level")
    plan_id = _string(document, "id", label, required=True)
    title = _string(document, "title", label, required=True)
    date = _parse_date(document.get("date"), "date", label)
    summary = _string(document, "summary", label, multiline=True)
    source = _parse_source(document.get("source"), label)
    provisions = _parse_provisions(document.get("provisions"), label)
    provision_ids = {p.id for p in provisions}
    rules = _parse_rules(document.get("rules"), "rules", label, provision_ids)
    missing = [code for code in REQUIRED_REGIONS if code not in rules]
    if missing:
        names = ", ".join(f"{code} ({REGION_NAMES[code]})" for code in missing)
        raise PlanError(f"{label}: field 'rules' has no rule for {names}; every plan must give a rule for each of {', '.join(REQUIRED_REGIONS)}")
    source_uk = _parse_source_uk(document, provisions, label)
    return Plan(
        id=plan_id,
        title=title,
        date=date,
        source=source,
        provisions=provisions,
        rules=rules,
        elsewhere=_parse_rule(document.get("elsewhere"), "elsewhere", label, provision_ids),
        summary=summary,
        path=label,
        notes=_parse_notes(document.get("notes", []), label),
        options=_parse_options(document.get("options", []), label, provision_ids),
        title_uk=_string(document, "title_uk", label, required="title_uk" in document),
        summary_uk=_string(document, "summary_uk", label, required="summary_uk" in document, multiline=True),
        notes_uk=_parse_notes(document.get("notes_uk", []), label, name="notes_uk"),
        source_uk=source_uk,
    )


def _parse_source_uk(document: dict, provisions: tuple[Provision, ...], label: str) -> dict[str, object]:
    """``[source_uk]``, where the provisions' Ukrainian texts were published (as ``[source]``):
    required as soon as one provision quotes a Ukrainian text, and then with a ``url`` or a
    ``published`` date, so that every Ukrainian quote can be checked; refused without one."""
    quoting = next((index for index, provision in enumerate(provisions) if provision.text_uk), None)
    if "source_uk" not in document:
        if quoting is not None:
            raise PlanError(
                f"{label}: field 'provisions[{quoting}].text_uk' quotes a Ukrainian text, but the plan has no [source_uk]; "
                "expected a [source_uk] table with name and url or published: where that text was published"
            )
        return {}
    if quoting is None:
        raise PlanError(
            f"{label}: field 'source_uk' cites a Ukrainian text, but no provision quotes one; expected text_uk in the provisions it cites, or no [source_uk]"
        )
    source = _parse_source(document["source_uk"], label, name="source_uk")
    if "url" not in source and "published" not in source:
        raise PlanError(f"{label}: field 'source_uk' names no url and no published date; expected at least one, so that the Ukrainian quotes can be checked")
    return source


# --- messages --------------------------------------------------------------------------------

_SHOW = reprlib.Repr()
_SHOW.maxstring = _SHOW.maxother = 60
_SHOW.maxlevel, _SHOW.maxlist, _SHOW.maxdict = 3, 4, 4
_TOML_KINDS = (
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a float"),
    (str, "a string"),
    (dt.datetime, "a datetime"),
    (dt.date, "a date"),
    (dt.time, "a time"),
    (list, "an array"),
    (dict, "a table"),
)


def _show(value: object) -> str:
    """``value`` as messages quote it: a repr (escapes, never a newline), cut to about 60 characters."""
    try:
        text = _SHOW.repr(value)
    except (ValueError, RecursionError):  # an int of over 4,300 digits; a self-referencing list
        return f"<{type(value).__name__}>"
    return text if len(text) <= 64 else text[:60] + "..."


def _kind(value: object) -> str:
    """The TOML type of ``value`` in words (``bool`` before ``int``: in Python a bool is an int)."""
    return next((name for kind, name in _TOML_KINDS if isinstance(value, kind)), type(value).__name__)


def _one_line(text: str) -> str:
    """``text`` with control characters (newlines included) replaced by spaces."""
    return _CONTROL.sub(" ", text)


def _listed(items: Sequence[object], limit: int) -> str:
    """The first ``limit`` items quoted, and how many more there are."""
    more = f" and {len(items) - limit:,} more" if len(items) > limit else ""
    return ", ".join(_show(item) for item in items[:limit]) + more


def _expected(label: str, field_name: str, value: object, expected: str) -> PlanError:
    """A PlanError: field ``field_name`` holds ``value`` (None: TOML has no null, so it is absent)."""
    arrived = "missing" if value is None else f"{_show(value)} ({_kind(value)})"
    return PlanError(f"{label}: field {field_name!r} is {arrived}; expected {expected}")


def _field(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _reject_unknown(table: dict, allowed: set[str], label: str, where: str) -> None:
    unknown = [key for key in table if key not in allowed]
    if unknown:
        raise PlanError(f"{label}: unknown field(s) {_listed(unknown, 5)} at {where}; expected only {', '.join(sorted(allowed))}")


# --- values ----------------------------------------------------------------------------------

# C0 and C1 controls (ESC can drive a terminal, NUL and CR hide text), the line and paragraph
# separators, and the bidirectional overrides and isolates, which show text in another order
# than it is stored. Newline and tab are allowed in long texts only.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _string(table: dict, key: str, label: str, *, where: str = "", required: bool = False, multiline: bool = False) -> str:
    """The string ``table[key]`` (see :func:`_text`); ``""`` if absent and optional."""
    if key not in table and not required:
        return ""
    return _text(table.get(key), _field(where, key), label, required=required, multiline=multiline)


def _text(value: object, field_name: str, label: str, *, required: bool = False, multiline: bool = False) -> str:
    """``value`` if it is a string without control characters; stripped and non-empty if required."""
    if not isinstance(value, str):
        raise _expected(label, field_name, value, "a non-empty string" if required else "a string")
    _check_text(value, field_name, label, multiline=multiline)
    if not required:
        return value
    if not value.strip():
        raise PlanError(f"{label}: field {field_name!r} is empty; expected a non-empty string")
    return value.strip()


def _check_text(value: str, field_name: str, label: str, *, multiline: bool) -> None:
    found = (_CONTROL_MULTILINE if multiline else _CONTROL).search(value)
    if found:
        allowed = "newlines and tabs are allowed, no other control character" if multiline else "one line of text without control characters"
        raise PlanError(f"{label}: field {field_name!r} holds control character U+{ord(found.group()):04X} at position {found.start():,}; expected {allowed}")


def _boolean(table: dict, key: str, label: str, *, where: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise _expected(label, _field(where, key), value, "true or false (a TOML boolean, without quotes)")
    return value


def _number(value: object) -> bool:
    """Whether ``value`` is a TOML integer or float (a bool is neither, though Python says so)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _km(value: object, field_name: str, label: str) -> float:
    """A zone's radius or depth: a finite number of km in (0, MAX_ZONE_KM]."""
    # The range test also refuses NaN and infinities; ints are compared before float() can overflow.
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value <= MAX_ZONE_KM:
        raise _expected(
            label, field_name, value, f"a number of km greater than 0 and at most {MAX_ZONE_KM:g} (an option zone is local; whole regions change through rules)"
        )
    return float(value)


def _lon_lat(value: object, field_name: str, label: str) -> tuple[float, float]:
    """A point over Ukraine as (lon, lat) in degrees (EPSG:4326)."""
    (lon_min, lon_max), (lat_min, lat_max) = UKRAINE_LON_DEG, UKRAINE_LAT_DEG
    expected = f"[longitude, latitude] in degrees over Ukraine ({lon_min}-{lon_max} E, {lat_min}-{lat_max} N)"
    if not (isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value)):
        raise _expected(label, field_name, value, expected)
    lon, lat = value
    if not (lon_min <= lon <= lon_max and lat_min <= lat <= lat_max):
        swapped = lon_min <= lat <= lon_max and lat_min <= lon <= lat_max
        raise _expected(label, field_name, value, expected + ("; longitude and latitude look swapped" if swapped else ""))
    return float(lon), float(lat)


def _parse_date(value: object, field_name: str, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _expected(label, field_name, value, "a date as YYYY-MM-DD")


def _one_of(value: object, choices: Sequence[str], field_name: str, label: str) -> str:
    """``value`` if it is one of ``choices``, else a PlanError naming the field and the choices."""
    if not isinstance(value, str) or value not in choices:
        raise _expected(label, field_name, value, f"one of {', '.join(choices)}")
    return value


def _term(value: object, choices: Sequence[_Term], field_name: str, label: str) -> _Term:
    """The member of ``choices`` (terms of one vocabulary, :mod:`peacemap.layers.plans.statuses`)
    whose value is ``value``, else a PlanError naming the field and the choices."""
    chosen = _one_of(value, choices, field_name, label)
    return next(choice for choice in choices if choice == chosen)


def _region_code(value: object, field_name: str, label: str) -> str:
    """An oblast or city code of REGION_NAMES; not the combined Crimea code, which no zone is cut along."""
    if not isinstance(value, str) or value not in REGION_NAMES or value == CRIMEA_WITH_SEVASTOPOL:
        hint = f" (for Crimea use {CRIMEA} and {SEVASTOPOL}, one zone each)" if value == CRIMEA_WITH_SEVASTOPOL else ""
        raise _expected(label, field_name, value, f"an ISO 3166-2 region code such as UA-14{hint}")
    return value


def _check_provision_ref(value: object, field_name: str, label: str, provision_ids: set[str]) -> None:
    if not isinstance(value, str) or value not in provision_ids:
        known = _listed(sorted(provision_ids), 10)
        raise _expected(label, field_name, value, f"the id of one of the plan's provisions ({known})")


# --- tables ----------------------------------------------------------------------------------


def _tables(entries: object, name: str, label: str, allowed: set[str], expected: str, *, limit: int) -> list[tuple[str, dict]]:
    """The tables of an array of tables ``[[name]]``, each with its place (``name[i]``), checked for unknown keys."""
    if not isinstance(entries, list):
        raise _expected(label, name, entries, f"a list of [[{name}]] tables with {expected}")
    _check_count(entries, limit, name, label)
    tables = []
    for index, entry in enumerate(entries):
        where = f"{name}[{index}]"
        if not isinstance(entry, dict):
            raise _expected(label, where, entry, f"a table with {expected}")
        _reject_unknown(entry, allowed, label, where)
        tables.append((where, entry))
    return tables


def _check_unique(ids: list[str], name: str, label: str) -> None:
    """PlanError if ``ids`` repeats one (a Counter: linear in the number of ids)."""
    repeated = [i for i, count in Counter(ids).items() if count > 1]
    if repeated:
        raise PlanError(f"{label}: field {name!r} repeats id(s) {_listed(repeated, 5)}; expected unique ids")


def _parse_source(source: object, label: str, *, name: str = "source") -> dict[str, object]:
    """The ``[source]`` table (or ``[source_uk]``, ``name``): name (required), reprint, published
    (a date, or a string such as "November 2025") and url (http or https)."""
    if not isinstance(source, dict):
        raise _expected(label, name, source, f"a table [{name}] with name = where the text comes from")
    _reject_unknown(source, _SOURCE_KEYS, label, name)
    parsed: dict[str, object] = {"name": _string(source, "name", label, where=name, required=True)}
    if "name_uk" in source:
        parsed["name_uk"] = _string(source, "name_uk", label, where=name, required=True)
    if "reprint" in source:
        parsed["reprint"] = _string(source, "reprint", label, where=name, required=True)
    if "published" in source:
        published = source["published"]
        # A TOML date, or a string for a looser one ("late November 2025").
        if isinstance(published, str):
            parsed["published"] = _text(published, f"{name}.published", label, required=True)
        else:
            parsed["published"] = _parse_date(published, f"{name}.published", label)
    if "url" in source:
        url = _string(source, "url", label, where=name, required=True)
        if not url.startswith(("https://", "http://")):
            raise _expected(label, f"{name}.url", url, "a web address starting with https:// or http://")
        parsed["url"] = url
    return parsed


def _parse_notes(notes: object, label: str, *, name: str = "notes") -> tuple[str, ...]:
    if not isinstance(notes, list):
        raise _expected(label, name, notes, "a list of strings")
    _check_count(notes, MAX_NOTES, name, label)
    return tuple(_text(note, f"{name}[{index}]", label, multiline=True) for index, note in enumerate(notes))


def _check_count(entries: list, limit: int, name: str, label: str) -> None:
    if len(entries) > limit:
        raise PlanError(f"{label}: field {name!r} has {len(entries):,} entries; expected at most {limit:,} (see docs/reference/plan-files.md)")


def _parse_provisions(entries: object, label: str) -> tuple[Provision, ...]:
    if entries is None or entries == []:
        raise PlanError(f"{label}: field 'provisions' is missing; expected a list of [[provisions]] with id and text")
    provisions = []
    for where, entry in _tables(entries, "provisions", label, _PROVISION_KEYS, "id and text", limit=MAX_PROVISIONS):
        _string(entry, "note", label, where=where, multiline=True)  # a comment for readers, kept out of the model
        provisions.append(
            Provision(
                id=_string(entry, "id", label, where=where, required=True),
                text=_string(entry, "text", label, where=where, required=True, multiline=True),
                territorial=_boolean(entry, "territorial", label, where=where, default=True),
                ambiguous=_string(entry, "ambiguous", label, where=where, multiline=True),
                ambiguous_uk=_string(entry, "ambiguous_uk", label, where=where, required="ambiguous_uk" in entry, multiline=True),
                text_uk=_string(entry, "text_uk", label, where=where, required="text_uk" in entry, multiline=True),
            )
        )
    _check_unique([p.id for p in provisions], "provisions", label)
    return tuple(provisions)


def _parse_rules(table: object, where: str, label: str, provision_ids: set[str]) -> dict[str, RegionRule]:
    """A table of region code = rule; codes are checked before they go into any field name."""
    if not isinstance(table, dict):
        raise _expected(label, where, table, "a table of region code = { rule = ..., provision = ... }")
    rules = {}
    for code, entry in table.items():
        if code not in REGION_NAMES or code == CRIMEA_WITH_SEVASTOPOL:
            hint = f" ({CRIMEA} and {SEVASTOPOL} take a rule each)" if code == CRIMEA_WITH_SEVASTOPOL else ""
            raise PlanError(f"{label}: field {where!r} names an unknown region {_show(code)}; expected an ISO 3166-2 code such as UA-14{hint}")
        rules[code] = _parse_rule(entry, f"{where}.{code}", label, provision_ids)
    return rules


def _parse_rule(entry: object, where: str, label: str, provision_ids: set[str]) -> RegionRule:
    if not isinstance(entry, dict):
        raise _expected(label, where, entry, f"a table {{ rule = one of {', '.join(Rule)}, provision = ID }}")
    _reject_unknown(entry, _RULE_KEYS, label, where)
    rule = _term(entry.get("rule"), list(Rule), f"{where}.rule", label)
    provision = _string(entry, "provision", label, where=where)
    occupied_provision = _string(entry, "occupied_provision", label, where=where)
    for key, value in (("provision", provision), ("occupied_provision", occupied_provision)):
        if value:
            _check_provision_ref(value, f"{where}.{key}", label, provision_ids)
    if rule is not Rule.KEEP and not provision:
        raise PlanError(f"{label}: field '{where}.provision' is missing; expected the id of the provision that sets rule '{rule}'")
    note = _string(entry, "note", label, where=where, multiline=True)
    return RegionRule(rule=rule, provision=provision, occupied_provision=occupied_provision, note=note, **_parse_treatment(entry, rule, where, label))


def _parse_treatment(entry: dict, rule: Rule, where: str, label: str) -> dict[str, Any]:
    """How a rule treats the land: its recognition as Russian (and by whom), and for a dmz rule
    whose the zone is after the plan and who withdraws. Each rule takes only the values that give
    its parts a status (:mod:`peacemap.layers.plans.statuses`)."""
    if rule is Rule.RELINQUISH:
        _refuse_keys(
            entry,
            ("recognition", "recognised_by", "occupied_recognition", "occupied_recognised_by", "side_after", "withdraws"),
            where,
            label,
            "rule 'relinquish' returns the land to Ukraine, which is recognised as nothing else",
        )
        return {}
    if rule is not Rule.DMZ:
        _refuse_keys(entry, ("side_after", "withdraws"), where, label, f"only a dmz rule has a side after the plan to state; rule '{rule}' sets it")
    if not rule.recognises_held_land:
        _refuse_keys(
            entry,
            ("occupied_recognition", "occupied_recognised_by"),
            where,
            label,
            f"rule '{rule}' recognises only its occupied part: state it with recognition",
        )
    part = HELD if rule.recognises_held_land else OCCUPIED
    choices = _recognitions(rule, part)
    if "recognition" not in entry:
        raise PlanError(
            f"{label}: field '{where}.recognition' is missing; expected how the plan recognises the land as Russian "
            f"under rule '{rule}': {' or '.join(choices)} (see docs/reference/plan-files.md)"
        )
    treatment: dict[str, Any] = {"recognition": _term(entry["recognition"], choices, f"{where}.recognition", label)}
    if rule is Rule.DMZ:
        treatment["side_after"] = _required_choice(entry, "side_after", list(Side), where, label, "whose the demilitarised zone is after the plan")
        treatment["withdraws"] = _required_choice(entry, "withdraws", list(Withdrawal), where, label, "who withdraws its forces from it")
        if rule_status(rule, HELD, treatment["recognition"], side_after=treatment["side_after"], withdraws=treatment["withdraws"]) is None:
            given = f"{treatment['side_after']}/{treatment['withdraws']}/{treatment['recognition']}"
            raise PlanError(
                f"{label}: field {where!r} describes a demilitarised zone {given} (side_after/withdraws/recognition) "
                f"that has no status; expected one of {', '.join(dmz_choices())}"
            )
    if "occupied_recognition" in entry:
        treatment["occupied_recognition"] = _term(entry["occupied_recognition"], _recognitions(rule, OCCUPIED), f"{where}.occupied_recognition", label)
    for key, recognition in (
        ("recognised_by", treatment["recognition"]),
        ("occupied_recognised_by", treatment.get("occupied_recognition", treatment["recognition"])),
    ):
        if key not in entry:
            continue
        if not recognition.recognises:
            raise PlanError(
                f"{label}: field '{where}.{key}' names who recognises land the rule gives recognition '{recognition}'; "
                f"expected it only with recognition {' or '.join(r for r in Recognition if r.recognises)}"
            )
        if key == "occupied_recognised_by" and "occupied_recognition" not in entry:
            raise PlanError(
                f"{label}: field '{where}.occupied_recognised_by' needs occupied_recognition; expected both, or recognised_by alone for the whole region"
            )
        treatment[key] = _string(entry, key, label, where=where, required=True)
    return treatment


def _refuse_keys(entry: dict, keys: Sequence[str], where: str, label: str, reason: str) -> None:
    found = [key for key in keys if key in entry]
    if found:
        raise PlanError(f"{label}: field '{where}.{found[0]}' does not apply here: {reason}")


def _recognitions(rule: Rule, part: str) -> list[Recognition]:
    """The recognitions a plan file may give ``part`` under ``rule`` (a relinquish rule takes none)."""
    return [recognition for recognition in recognitions_for(rule, part) if recognition is not None]


def _required_choice(entry: dict, key: str, choices: Sequence[_Term], where: str, label: str, what: str) -> _Term:
    if key not in entry:
        raise PlanError(f"{label}: field '{where}.{key}' is missing; expected {what}: one of {', '.join(choices)}")
    return _term(entry[key], choices, f"{where}.{key}", label)


def _parse_options(entries: object, label: str, provision_ids: set[str]) -> tuple[PlanOption, ...]:
    options = []
    for where, entry in _tables(entries, "options", label, _OPTION_KEYS, "id, description and provision", limit=MAX_OPTIONS):
        option_id = _string(entry, "id", label, where=where, required=True)
        provision = entry.get("provision")
        _check_provision_ref(provision, f"{where}.provision", label, provision_ids)
        rules = _parse_rules(entry.get("rules", {}), f"{where}.rules", label, provision_ids)
        elsewhere = _parse_rule(entry["elsewhere"], f"{where}.elsewhere", label, provision_ids) if "elsewhere" in entry else None
        zone_entries = entry.get("zones", [])
        if not isinstance(zone_entries, list):
            raise _expected(label, f"{where}.zones", zone_entries, "a list of zone tables")
        _check_count(zone_entries, MAX_ZONES_PER_OPTION, f"{where}.zones", label)
        zones = tuple(_parse_option_zone(zone, f"{where}.zones[{i}]", label) for i, zone in enumerate(zone_entries))
        if not rules and not zones and elsewhere is None:
            raise PlanError(f"{label}: field {where!r} changes nothing; expected 'rules', 'elsewhere' or 'zones'")
        options.append(
            PlanOption(
                id=option_id,
                description=_string(entry, "description", label, where=where, required=True, multiline=True),
                provision=str(provision),  # checked above: the id of one of the plan's provisions
                ambiguous=_string(entry, "ambiguous", label, where=where, multiline=True),
                description_uk=_string(entry, "description_uk", label, where=where, required="description_uk" in entry, multiline=True),
                ambiguous_uk=_string(entry, "ambiguous_uk", label, where=where, required="ambiguous_uk" in entry, multiline=True),
                rules=rules,
                elsewhere=elsewhere,
                zones=zones,
            )
        )
    _check_unique([o.id for o in options], "options", label)
    zone_count = sum(len(option.zones) for option in options)
    if zone_count > MAX_OPTION_ZONES:
        raise PlanError(f"{label}: the options have {zone_count:,} zones in all; expected at most {MAX_OPTION_ZONES:,} (see docs/reference/plan-files.md)")
    return tuple(options)


def _parse_option_zone(entry: object, where: str, label: str) -> OptionZone:
    """A disc (around + radius_km) or a band (along_line_in + depth_km), exactly one of the two."""
    if not isinstance(entry, dict):
        raise _expected(label, where, entry, "a table")
    _reject_unknown(entry, _ZONE_KEYS, label, where)
    status = _term(entry.get("status"), list(Status), f"{where}.status", label)
    control = _one_of(entry.get("control", "both"), _ZONE_CONTROLS, f"{where}.control", label)
    within = _region_code(entry["within"], f"{where}.within", label) if "within" in entry else ""
    disc, band = {"around", "radius_km"} & entry.keys(), {"along_line_in", "depth_km"} & entry.keys()
    if bool(disc) == bool(band):
        raise PlanError(
            f"{label}: field {where!r} needs either around = [lon, lat] with radius_km, or along_line_in = REGION CODE with depth_km (one of the two)"
        )
    if disc:
        around = _lon_lat(entry.get("around"), f"{where}.around", label)
        radius_km = _km(entry.get("radius_km"), f"{where}.radius_km", label)
        return OptionZone(status=status, control=control, within=within, around=around, radius_km=radius_km)
    region = _region_code(entry.get("along_line_in"), f"{where}.along_line_in", label)
    depth_km = _km(entry.get("depth_km"), f"{where}.depth_km", label)
    return OptionZone(status=status, control=control, within=within or region, along_line_in=region, depth_km=depth_km)
