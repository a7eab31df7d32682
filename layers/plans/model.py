"""Plans as data: read and validate a plan file (TOML), and list the plans shipped with peacemap.

A plan names, for each region, what it does to the region's land:

- ``recognise``: the whole region goes to Russia de facto;
- ``freeze``: the region is split along the line of contact, each side keeping its part;
- ``dmz``: the part Ukraine holds becomes a demilitarised zone recognised as Russian
  (the occupied part is recognised as Russian);
- ``relinquish``: Russia gives the occupied land back to Ukraine;
- ``keep``: the plan leaves the region as it is.

The five regions of the plans (AR Crimea and Sevastopol, Donetsk, Luhansk, Zaporizhzhia,
Kherson) must each have a rule; ``[elsewhere]`` sets the rule for every other region.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from peacemap.layers.errors import PlanError
from peacemap.layers.plans.statuses import STATUSES
from peacemap.layers.regions import PLAN_UNITS, REGION_NAMES

RULES = ("recognise", "freeze", "dmz", "relinquish", "keep")
REQUIRED_REGIONS = PLAN_UNITS
_TOP_LEVEL_KEYS = {"id", "title", "date", "summary", "source", "provisions", "rules", "elsewhere", "notes", "options"}
_OPTION_KEYS = {"id", "description", "provision", "ambiguous", "rules", "zones"}
_ZONE_KEYS = {"around", "radius_km", "along_line_in", "depth_km", "status", "control", "within"}
_ZONE_CONTROLS = ("occupied", "held", "both")
_RULE_KEYS = {"rule", "provision", "occupied_provision", "note"}
_PROVISION_KEYS = {"id", "text", "territorial", "ambiguous", "note"}


@dataclass(frozen=True)
class Provision:
    """One provision of a plan, quoted."""

    id: str
    text: str
    territorial: bool = True
    ambiguous: str = ""


@dataclass(frozen=True)
class RegionRule:
    """What a plan does to one region, and which provision says so.

    ``occupied_provision`` names the provision for the occupied part where it differs
    (e.g. the 28-point plan's Donetsk: 21a for the occupied part, 21d for the rest).
    """

    rule: str
    provision: str
    occupied_provision: str = ""
    note: str = ""


@dataclass(frozen=True)
class OptionZone:
    """Land given a status by an option: a disc around a point, or a band along the line of contact.

    ``around`` is (lon, lat) in degrees (EPSG:4326) with ``radius_km``; ``along_line_in`` is a
    region code whose line of contact gets a band ``depth_km`` deep on each side. ``control``
    says which land in the zone changes: ``occupied``, ``held`` or ``both``; ``within`` limits
    the zone to one region (a band along a region's line is always limited to that region).
    """

    status: str
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
    zones: tuple[OptionZone, ...] = ()


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

    def rule_for(self, region_code: str) -> RegionRule:
        """The rule for ``region_code`` (ISO 3166-2), falling back to ``elsewhere``."""
        return self.rules.get(region_code, self.elsewhere)

    def option(self, option_id: str) -> PlanOption:
        """The option ``option_id``; PlanError naming the plan's options otherwise."""
        for option in self.options:
            if option.id == option_id:
                return option
        known = ", ".join(o.id for o in self.options) or "none"
        raise PlanError(f"plan {self.id} has no option {option_id!r}; its options: {known}")

    def with_options(self, option_ids: Iterable[str]) -> Plan:
        """This plan with the rule overrides of the chosen options applied (zones stay on the options)."""
        chosen = [self.option(option_id) for option_id in option_ids]
        rules = dict(self.rules)
        for option in chosen:
            rules.update(option.rules)
        return replace(self, rules=rules, enabled_options=tuple(o.id for o in chosen))

    def active_options(self) -> tuple[PlanOption, ...]:
        """The options switched on (see :meth:`with_options`)."""
        return tuple(self.option(option_id) for option_id in self.enabled_options)

    def provision(self, provision_id: str) -> Provision | None:
        """The provision with id ``provision_id``, or None."""
        return next((p for p in self.provisions if p.id == provision_id), None)

    def source_line(self) -> str:
        """One line citing the plan's text."""
        return f"{self.title} ({self.date.isoformat()}): {self.source.get('name', '')}"


def _plans_folder():
    return resources.files("peacemap.layers.plans").joinpath("builtin")


def builtin_plan_ids() -> list[str]:
    """Ids of the plans shipped with peacemap, sorted."""
    return sorted(entry.name.removesuffix(".toml") for entry in _plans_folder().iterdir() if entry.name.endswith(".toml"))


def load_plan(plan: str | Path) -> Plan:
    """Load a plan by built-in id (e.g. ``plan28``) or from a TOML file path, and validate it.

    Raises
    ------
    PlanError
        Unknown id, unreadable file, or a field that is missing or malformed; the message names
        the file, the field and what was expected.
    """
    text, label = _plan_text(plan)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PlanError(f"{label}: not valid TOML ({error})") from error
    return parse_plan(document, label=label)


def _plan_text(plan: str | Path) -> tuple[str, str]:
    candidate = Path(plan)
    if candidate.suffix.lower() == ".toml" or candidate.exists():
        try:
            return candidate.read_text(encoding="utf-8"), str(candidate)
        except (OSError, UnicodeDecodeError) as error:
            raise PlanError(f"cannot read plan file {candidate}: {error}") from error
    if str(plan) in builtin_plan_ids():
        resource = _plans_folder().joinpath(f"{plan}.toml")
        return resource.read_text(encoding="utf-8"), f"plan {plan} ({resource.name})"
    raise PlanError(f"unknown plan {str(plan)!r}; expected one of {', '.join(builtin_plan_ids())} or a path to a .toml plan file")


def parse_plan(document: dict, *, label: str = "plan") -> Plan:
    """Validate a parsed plan document (see the module docstring) and return a :class:`Plan`."""
    _reject_unknown(document, _TOP_LEVEL_KEYS, label, "top level")
    plan_id = _required_str(document, "id", label)
    provisions = _parse_provisions(document.get("provisions"), label)
    provision_ids = {p.id for p in provisions}
    rules_table = document.get("rules")
    if not isinstance(rules_table, dict):
        raise PlanError(f"{label}: field 'rules' is missing; expected a table of region code = {{ rule = ..., provision = ... }}")
    rules = {code: _parse_rule(entry, f"rules.{code}", label, provision_ids) for code, entry in rules_table.items()}
    for code in rules:
        if code not in REGION_NAMES or "+" in code:
            raise PlanError(f"{label}: field 'rules.{code}' names an unknown region; expected an ISO 3166-2 code such as UA-14")
    missing = [code for code in REQUIRED_REGIONS if code not in rules]
    if missing:
        names = ", ".join(f"{code} ({REGION_NAMES[code]})" for code in missing)
        raise PlanError(f"{label}: field 'rules' has no rule for {names}; every plan must give a rule for each of {', '.join(REQUIRED_REGIONS)}")
    elsewhere = _parse_rule(document.get("elsewhere"), "elsewhere", label, provision_ids)
    source = document.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("name"), str) or not source["name"].strip():
        raise PlanError(f"{label}: field 'source.name' is missing; expected a table [source] with name = where the text comes from")
    notes = document.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise PlanError(f"{label}: field 'notes' must be a list of strings")
    return Plan(
        id=plan_id,
        title=_required_str(document, "title", label),
        date=_parse_date(document.get("date"), "date", label),
        source=dict(source),
        provisions=provisions,
        rules=rules,
        elsewhere=elsewhere,
        summary=str(document.get("summary", "")),
        path=label,
        notes=tuple(notes),
        options=_parse_options(document.get("options", []), label, provision_ids),
    )


def _reject_unknown(table: dict, allowed: set[str], label: str, where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise PlanError(f"{label}: unknown field(s) {', '.join(unknown)} at {where}; expected only {', '.join(sorted(allowed))}")


def _required_str(table: dict, key: str, label: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PlanError(f"{label}: field {key!r} is missing or empty; expected a non-empty string")
    return value.strip()


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
    raise PlanError(f"{label}: field {field_name!r} is {value!r}; expected a date as YYYY-MM-DD")


def _tables(entries: object, name: str, label: str, allowed: set[str], expected: str) -> list[tuple[str, dict]]:
    """The tables of an array of tables ``[[name]]``, each with its place (``name[i]``), checked for unknown keys."""
    if not isinstance(entries, list):
        raise PlanError(f"{label}: field {name!r} must be a list of [[{name}]] tables with {expected}")
    tables = []
    for index, entry in enumerate(entries):
        where = f"{name}[{index}]"
        if not isinstance(entry, dict):
            raise PlanError(f"{label}: field {where!r} must be a table with {expected}")
        _reject_unknown(entry, allowed, label, where)
        tables.append((where, entry))
    return tables


def _one_of(value: object, choices: Sequence[str], field_name: str, label: str) -> str:
    """``value`` if it is one of ``choices``, else a PlanError naming the field and the choices."""
    if value not in choices:
        raise PlanError(f"{label}: field {field_name!r} is {value!r}; expected one of {', '.join(choices)}")
    return value


def _check_provision_ref(value: object, field_name: str, label: str, provision_ids: set[str]) -> None:
    if value not in provision_ids:
        raise PlanError(f"{label}: field {field_name!r} is {value!r}; expected the id of one of the plan's provisions ({', '.join(sorted(provision_ids))})")


def _parse_provisions(entries: object, label: str) -> tuple[Provision, ...]:
    if not entries:
        raise PlanError(f"{label}: field 'provisions' is missing; expected a list of [[provisions]] with id and text")
    provisions = []
    for where, entry in _tables(entries, "provisions", label, _PROVISION_KEYS, "id and text"):
        provisions.append(
            Provision(
                id=_required_str(entry, "id", f"{label} {where}"),
                text=_required_str(entry, "text", f"{label} {where}"),
                territorial=bool(entry.get("territorial", True)),
                ambiguous=str(entry.get("ambiguous", "")),
            )
        )
    ids = [p.id for p in provisions]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PlanError(f"{label}: field 'provisions' repeats id(s) {', '.join(duplicates)}; expected unique ids")
    return tuple(provisions)


def _parse_rule(entry: object, where: str, label: str, provision_ids: set[str]) -> RegionRule:
    if not isinstance(entry, dict):
        raise PlanError(f"{label}: field {where!r} is missing or not a table; expected {{ rule = one of {', '.join(RULES)}, provision = ID }}")
    _reject_unknown(entry, _RULE_KEYS, label, where)
    rule = _one_of(entry.get("rule"), RULES, f"{where}.rule", label)
    provision = entry.get("provision", "")
    occupied_provision = entry.get("occupied_provision", "")
    for key, value in (("provision", provision), ("occupied_provision", occupied_provision)):
        if value:
            _check_provision_ref(value, f"{where}.{key}", label, provision_ids)
    if rule != "keep" and not provision:
        raise PlanError(f"{label}: field '{where}.provision' is missing; expected the id of the provision that sets rule {rule!r}")
    return RegionRule(rule=rule, provision=provision, occupied_provision=occupied_provision, note=str(entry.get("note", "")))


def _parse_options(entries: object, label: str, provision_ids: set[str]) -> tuple[PlanOption, ...]:
    options = []
    for where, entry in _tables(entries, "options", label, _OPTION_KEYS, "id, description and provision"):
        provision = entry.get("provision", "")
        _check_provision_ref(provision, f"{where}.provision", label, provision_ids)
        rules_table = entry.get("rules", {})
        if not isinstance(rules_table, dict):
            raise PlanError(f"{label}: field '{where}.rules' must be a table of region code = {{ rule = ..., provision = ... }}")
        rules = {code: _parse_rule(rule, f"{where}.rules.{code}", label, provision_ids) for code, rule in rules_table.items()}
        zone_entries = entry.get("zones", [])
        if not isinstance(zone_entries, list):
            raise PlanError(f"{label}: field '{where}.zones' must be a list of zone tables")
        zones = tuple(_parse_option_zone(zone, f"{where}.zones[{i}]", label) for i, zone in enumerate(zone_entries))
        if not rules and not zones:
            raise PlanError(f"{label}: field {where!r} changes nothing; expected 'rules' or 'zones'")
        options.append(
            PlanOption(
                id=_required_str(entry, "id", f"{label} {where}"),
                description=_required_str(entry, "description", f"{label} {where}"),
                provision=provision,
                ambiguous=str(entry.get("ambiguous", "")),
                rules=rules,
                zones=zones,
            )
        )
    return tuple(options)


def _parse_option_zone(entry: object, where: str, label: str) -> OptionZone:
    if not isinstance(entry, dict):
        raise PlanError(f"{label}: field {where!r} must be a table")
    _reject_unknown(entry, _ZONE_KEYS, label, where)
    status = _one_of(entry.get("status"), STATUSES, f"{where}.status", label)
    within = entry.get("within", "")
    if within and within not in REGION_NAMES:
        raise PlanError(f"{label}: field '{where}.within' is {within!r}; expected an ISO 3166-2 region code such as UA-23")
    control = _one_of(entry.get("control", "both"), _ZONE_CONTROLS, f"{where}.control", label)
    around = entry.get("around")
    if around is not None:
        if not (isinstance(around, list) and len(around) == 2 and all(isinstance(v, (int, float)) for v in around)):
            raise PlanError(f"{label}: field '{where}.around' is {around!r}; expected [longitude, latitude] in degrees")
        radius_km = entry.get("radius_km")
        if not isinstance(radius_km, (int, float)) or radius_km <= 0:
            raise PlanError(f"{label}: field '{where}.radius_km' is {radius_km!r}; expected a positive number of km")
        return OptionZone(status=status, control=control, within=within, around=(float(around[0]), float(around[1])), radius_km=float(radius_km))
    region = entry.get("along_line_in")
    depth_km = entry.get("depth_km")
    if region not in REGION_NAMES or not isinstance(depth_km, (int, float)) or depth_km <= 0:
        raise PlanError(f"{label}: field {where!r} needs either around = [lon, lat] with radius_km, or along_line_in = REGION CODE with a positive depth_km")
    return OptionZone(status=status, control=control, within=within or region, along_line_in=region, depth_km=float(depth_km))
