"""Official statements matched to land, and to the zones of a plan.

Each statement of :mod:`peacemap.layers.sources.statements` names the land it is about:

- ``held:UA-14``: the region's held land on the snapshot used (the zones of the region whose
  ``control`` is held); ``occupied:UA-14`` its occupied land; ``region:UA-43`` all of it;
- ``hromada:<name>``: the hromada's territory (:mod:`.territories`, joined by region and table 6
  name);
- ``settlement:<name>``: the city's or town's point (:mod:`.settlements`, by region and table 5
  name).

:func:`zone_statements` says, for each zone of a plan (the plan's zones merged by region and
status, as the report merges them), which areas with statements the zone *is* (its land is
exactly the area's: plan28's DMZ on 2025-11-20 is the held part of Donetsk oblast), and which lie
inside it (a hromada with the share of its territory in the zone, a city whose point is in it, a
region's held part wholly inside a larger zone). Only where the zone is the area does the area's
statement stand as the zone's figure; a zone that is only part of an area gets the statements of
the hromadas and cities inside it instead. A statement never enters a total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

import geopandas as gpd
import numpy as np
import shapely

from peacemap.geo.area import geodesic_area_km2
from peacemap.geo.population import point_zones
from peacemap.layers.control import HELD, OCCUPIED
from peacemap.layers.errors import StatementsError
from peacemap.layers.population.settlements import NOT_LOCATED
from peacemap.layers.sources import statements as table
from peacemap.layers.sources.population_tables import normalise_name
from peacemap.layers.sources.statements import Statement, StatementRecord

# Land of a hromada under this (km²) in a zone is a drawing difference between the two sources'
# boundaries, not land of the hromada in the zone (as in the report's "Places").
MIN_LAND_KM2 = 0.01
IS_ZONE, INSIDE = "is the zone", "inside the zone"


@dataclass(frozen=True)
class AreaLand:
    """Where an area with statements lies.

    Attributes
    ----------
    area_id
        The area's id in the table.
    kind
        ``held``, ``occupied``, ``region``, ``hromada`` or ``settlement``.
    region
        ISO 3166-2 code.
    territory
        The hromada's label in ``Territories.frame`` (hromadas only).
    settlement
        The settlement's label in the located settlements (cities only).
    """

    area_id: str
    kind: str
    region: str
    territory: int | None = None
    settlement: int | None = None


class AreaInZone(TypedDict):
    """An area with statements that a zone is, or that lies inside it, with its latest statement."""

    area_id: str
    land: str
    relation: str  # "is the zone" or "inside the zone"
    share_of_area_in_zone_pct: float | None  # of the area's land (held part, region, hromada), to 0.1
    statement: StatementRecord


class ZoneStatements(TypedDict):
    """The statements of one zone (a region under one status) on one date."""

    region: str
    status: str
    on_or_before: str  # ISO date: the latest statement made on or before it is given
    # The zone's own figure: the latest statement of each area whose land is exactly the zone's.
    statements: list[StatementRecord]
    areas: list[AreaInZone]  # the areas the zone is, then those inside it


def resolve_land(statements: list[Statement], territories: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame) -> dict[str, AreaLand]:
    """The land of every matched area of ``statements``, by area id.

    Parameters
    ----------
    statements
        Statements of :mod:`peacemap.layers.sources.statements`.
    territories
        ``Territories.frame`` (:mod:`.territories`): ``region`` and ``name_uk`` (table 6 name).
    settlements
        :func:`.settlements.located_settlements`: ``region``, ``name_uk`` (table 5), ``located``.

    Raises
    ------
    StatementsError
        A hromada or settlement name that is not in its region, or is there more than once, or a
        settlement that could not be located; or two statements of one area naming different land.
    """
    hromadas = _index(territories, lambda frame: frame.index >= 0)
    towns = _index(settlements, lambda frame: frame["located"] != NOT_LOCATED)
    found: dict[str, AreaLand] = {}
    for statement in statements:
        if not statement.land:
            continue
        land = _area_land(statement, hromadas, towns)
        if found.setdefault(statement.area_id, land) != land:
            raise StatementsError(f"statement {statement.id}: 'land' {statement.land!r} differs from another statement of area {statement.area_id!r}")
    return found


def _index(frame: gpd.GeoDataFrame, usable) -> dict[tuple[str, str], list]:  # noqa: ANN001 - a row filter
    """Labels of ``frame``'s usable rows by (region, normalised Ukrainian name)."""
    mask = np.asarray(usable(frame), dtype=bool)
    index: dict[tuple[str, str], list] = {}
    for label, region, name in zip(frame.index[mask], frame["region"][mask], frame["name_uk"][mask]):
        index.setdefault((region, normalise_name(name)), []).append(label)
    return index


def _area_land(statement: Statement, hromadas: dict, towns: dict) -> AreaLand:
    kind, name = statement.land_kind, statement.land_name
    assert kind is not None and name is not None
    if kind in (table.LAND_HELD, table.LAND_OCCUPIED, table.LAND_REGION):
        return AreaLand(statement.area_id, kind, statement.region)
    labels = (hromadas if kind == table.LAND_HROMADA else towns).get((statement.region, normalise_name(name)), [])
    if len(labels) != 1:
        what = "hromada territory" if kind == table.LAND_HROMADA else "located city or town"
        problem = "no" if not labels else f"{len(labels)}"
        raise StatementsError(f"statement {statement.id}: 'land' {statement.land!r} matches {problem} {what} of {statement.region}; expected one")
    label = int(labels[0])
    if kind == table.LAND_HROMADA:
        return AreaLand(statement.area_id, kind, statement.region, territory=label)
    return AreaLand(statement.area_id, kind, statement.region, settlement=label)


def zone_statements(zones: gpd.GeoDataFrame, territories: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame, *,
                    on_or_before: dt.date, with_claims: bool = False,
                    statements: list[Statement] | None = None) -> list[ZoneStatements]:
    """For each zone of a plan, the statements it stands beside: its own (where the zone is an
    area with statements) and those of the areas inside it.

    Parameters
    ----------
    zones
        A plan's zones (``PlanLayers.zones``, EPSG:4326): ``region``, ``control`` (held or
        occupied, the land's side on the snapshot), ``status`` and polygons tiling each region.
        They are merged by region and status, as the report merges them.
    territories, settlements
        As for :func:`resolve_land` (EPSG:4326).
    on_or_before
        The snapshot's date: each area's latest statement made on or before it is given
        (:func:`peacemap.layers.sources.statements.latest_statement`).
    with_claims
        Include the occupying power's claims (labelled as such).
    statements
        The statements to use (default: the table shipped with peacemap).

    Returns
    -------
    list of ZoneStatements
        One per region and status with at least one statement, sorted by region and status.
        Shares are of the area's geodesic land, in percent to 0.1.
    """
    for name, frame in (("zones", zones), ("territories", territories), ("settlements", settlements)):
        if frame.crs is None or not frame.crs.equals(4326):
            raise ValueError(f"{name!r} must be in EPSG:4326, got {frame.crs}")
    missing = [column for column in ("region", "control", "status") if column not in zones.columns]
    if missing:
        raise ValueError(f"'zones' needs the columns region, control and status; missing {missing}")
    chosen = table.statements(with_claims=with_claims, table=tuple(statements) if statements is not None else None)
    lands = resolve_land(chosen, territories, settlements)
    latest = {area: table.latest_statement(area, on_or_before, with_claims=with_claims, table=tuple(chosen)) for area in lands}
    latest_found = {area: statement for area, statement in latest.items() if statement is not None}
    groups = _zone_groups(zones)
    town_zone = _settlement_groups(groups, settlements, [lands[a] for a in latest_found if lands[a].kind == table.LAND_SETTLEMENT])
    results = []
    for key, group in groups.items():
        areas = [entry for area, statement in latest_found.items()
                 if (entry := _relation(lands[area], statement, key, group, zones, territories, town_zone)) is not None]
        if not areas:
            continue
        areas.sort(key=lambda entry: (entry["relation"] != IS_ZONE, entry["land"].split(":")[0], -(entry["share_of_area_in_zone_pct"] or 0), entry["area_id"]))
        results.append(ZoneStatements(region=key[0], status=key[1], on_or_before=on_or_before.isoformat(),
                                      statements=[entry["statement"] for entry in areas if entry["relation"] == IS_ZONE], areas=areas))
    return results


@dataclass(frozen=True)
class _Group:
    rows: frozenset  # labels of the zones merged
    geometry: shapely.Geometry


def _zone_groups(zones: gpd.GeoDataFrame) -> dict[tuple[str, str], _Group]:
    """The zones merged by (region, status), sorted."""
    groups = {}
    for (region, status), members in zones.groupby(["region", "status"], sort=True):
        groups[(str(region), str(status))] = _Group(frozenset(members.index), shapely.union_all(members.geometry.to_numpy()))
    return groups


def _settlement_groups(groups: dict[tuple[str, str], _Group], settlements: gpd.GeoDataFrame, towns: list[AreaLand]) -> dict[int, tuple[str, str]]:
    """The zone of each settlement with statements, among the zones of its region (the nearest
    for a point just off them, as the population model places towns)."""
    found: dict[int, tuple[str, str]] = {}
    for town in towns:
        keys = [key for key in groups if key[0] == town.region]
        if not keys:
            continue
        point = settlements.geometry.loc[town.settlement]
        index = point_zones(np.array([point]), np.array([groups[key].geometry for key in keys]))
        found[int(town.settlement)] = keys[int(index[0])]  # type: ignore[arg-type]
    return found


def _relation(land: AreaLand, statement: Statement, key: tuple[str, str], group: _Group, zones: gpd.GeoDataFrame,
              territories: gpd.GeoDataFrame, town_zone: dict[int, tuple[str, str]]) -> AreaInZone | None:
    """How the area lies in the zone ``key``: None if it does not (or, for a region's part, only partly)."""
    if land.region != key[0]:
        return None
    if land.kind in (table.LAND_HELD, table.LAND_OCCUPIED, table.LAND_REGION):
        in_region = zones[zones["region"] == land.region]
        wanted = {table.LAND_HELD: [HELD], table.LAND_OCCUPIED: [OCCUPIED], table.LAND_REGION: [HELD, OCCUPIED]}[land.kind]
        rows = frozenset(in_region.index[in_region["control"].isin(wanted)])
        if not rows or not rows <= group.rows:
            return None  # no such land on the snapshot, or the zone holds only part of it
        return _entry(statement, IS_ZONE if rows == group.rows else INSIDE, 100.0)
    if land.kind == table.LAND_SETTLEMENT:
        return _entry(statement, INSIDE, None) if town_zone.get(int(land.settlement)) == key else None  # type: ignore[arg-type]
    territory = territories.loc[land.territory]
    shape = territory.geometry
    inside_km2 = geodesic_area_km2(shapely.intersection(shape, shapely.clip_by_rect(group.geometry, *shape.bounds)))
    if inside_km2 < MIN_LAND_KM2:
        return None
    share = min(100.0, 100.0 * inside_km2 / float(territory["area_km2"]))
    return _entry(statement, INSIDE, share)


def _entry(statement: Statement, relation: str, share: float | None) -> AreaInZone:
    return AreaInZone(area_id=statement.area_id, land=statement.land, relation=relation,
                      share_of_area_in_zone_pct=None if share is None else round(share, 1), statement=statement.record())
