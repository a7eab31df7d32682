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
from collections.abc import Callable, Hashable, Iterable, Mapping
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


def _index(frame: gpd.GeoDataFrame, usable: Callable[[gpd.GeoDataFrame], object]) -> dict[tuple[str, str], list]:  # a row filter
    """Labels of ``frame``'s usable rows by (region, normalised Ukrainian name)."""
    mask = np.asarray(usable(frame), dtype=bool)
    index: dict[tuple[str, str], list] = {}
    for label, region, name in zip(frame.index[mask], frame["region"][mask], frame["name_uk"][mask]):
        index.setdefault((region, normalise_name(name)), []).append(label)
    return index


def _area_land(statement: Statement, hromadas: dict, towns: dict) -> AreaLand:
    kind, name = statement.land_kind, statement.land_name
    assert kind is not None
    assert name is not None
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


def zone_statements(
    zones: gpd.GeoDataFrame,
    territories: gpd.GeoDataFrame,
    settlements: gpd.GeoDataFrame,
    *,
    on_or_before: dt.date,
    with_claims: bool = False,
    statements: list[Statement] | None = None,
) -> list[ZoneStatements]:
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
    _check_columns(zones)
    groups: dict[Hashable, Iterable[Hashable]] = {
        (str(region), str(status)): members.index for (region, status), members in zones.groupby(["region", "status"], sort=True)
    }
    found = land_statements(zones, groups, territories, settlements, on_or_before=on_or_before, with_claims=with_claims, statements=statements)
    return [
        ZoneStatements(region=str(key[0]), status=str(key[1]), on_or_before=on_or_before.isoformat(), statements=own, areas=areas)
        for key, (own, areas) in found.items()
        if areas and isinstance(key, tuple)
    ]


def land_statements(
    zones: gpd.GeoDataFrame,
    groups: Mapping[Hashable, Iterable[Hashable]],
    territories: gpd.GeoDataFrame,
    settlements: gpd.GeoDataFrame,
    *,
    on_or_before: dt.date,
    with_claims: bool = False,
    statements: list[Statement] | None = None,
) -> dict[Hashable, tuple[list[StatementRecord], list[AreaInZone]]]:
    """The statements beside each group of zones: a group is any set of rows of ``zones`` within
    one region (a zone, the part of a headline measure in one region, a piece of the report).

    Parameters
    ----------
    zones
        ``region``, ``control``, ``status`` and polygons tiling each region (EPSG:4326); the rows of
        one region must not overlap (a plan's zones, or those zones merged).
    groups
        Each group's key and the index labels of its rows in ``zones``, all in one region.
    territories, settlements, on_or_before, with_claims, statements
        As for :func:`zone_statements`.

    Returns
    -------
    dict
        For every key of ``groups``, in their order: the group's own statements (the latest of each
        area whose land is exactly the group's) and every area with a statement that the group is
        or holds (:class:`AreaInZone`, those it is first, then by kind of land, share and id).
    """
    for name, frame in (("zones", zones), ("territories", territories), ("settlements", settlements)):
        if frame.crs is None or not frame.crs.equals(4326):
            raise ValueError(f"{name!r} must be in EPSG:4326, got {frame.crs}")
    _check_columns(zones)
    chosen = table.statements(with_claims=with_claims, table=tuple(statements) if statements is not None else None)
    lands = resolve_land(chosen, territories, settlements)
    latest = {area: table.latest_statement(area, on_or_before, with_claims=with_claims, table=tuple(chosen)) for area in lands}
    found = {area: statement for area, statement in latest.items() if statement is not None}
    facts = _LandFacts.of(zones, territories, settlements, [lands[area] for area in found])
    region_of = zones["region"].astype(str).to_dict()
    results: dict[Hashable, tuple[list[StatementRecord], list[AreaInZone]]] = {}
    for key, members in groups.items():
        rows = frozenset(members)
        regions = {region_of[row] for row in rows}
        if len(regions) > 1:
            raise ValueError(f"'groups' {key!r}: expected rows of one region, got rows of {', '.join(sorted(regions))}")
        areas = [
            entry for area, statement in found.items() if rows and (entry := _relation(lands[area], statement, next(iter(regions)), rows, facts)) is not None
        ]
        areas.sort(key=lambda entry: (entry["relation"] != IS_ZONE, entry["land"].split(":")[0], -(entry["share_of_area_in_zone_pct"] or 0), entry["area_id"]))
        results[key] = ([entry["statement"] for entry in areas if entry["relation"] == IS_ZONE], areas)
    return results


def _check_columns(zones: gpd.GeoDataFrame) -> None:
    missing = [column for column in ("region", "control", "status") if column not in zones.columns]
    if missing:
        raise ValueError(f"'zones' needs the columns region, control and status; missing {missing}")


@dataclass(frozen=True)
class _LandFacts:
    """Where the areas' land lies among the rows of ``zones``: which rows make each region's held and
    occupied land, the row holding each city's point, and each hromada's land (km²) in each row."""

    rows_by_control: dict[tuple[str, str], frozenset]  # (region, control) -> row labels
    town_row: dict[int, Hashable]  # settlement label -> the row its point lies in (or nearest)
    hromada_km2: dict[int, dict[Hashable, float]]  # territory label -> row label -> km² of its land there
    hromada_area_km2: dict[int, float]  # territory label -> its land, km²

    @classmethod
    def of(cls, zones: gpd.GeoDataFrame, territories: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame, lands: list[AreaLand]) -> _LandFacts:
        rows_by_control = {
            (str(region), str(control)): frozenset(members.index) for (region, control), members in zones.groupby(["region", "control"], sort=True)
        }
        town_row: dict[int, Hashable] = {}
        hromada_km2: dict[int, dict[Hashable, float]] = {}
        hromada_area_km2: dict[int, float] = {}
        for land in lands:
            in_region = zones[zones["region"] == land.region]
            if in_region.empty:
                continue
            if land.kind == table.LAND_SETTLEMENT and land.settlement is not None:
                point = settlements.geometry.loc[land.settlement]
                town_row[land.settlement] = in_region.index[int(point_zones(np.array([point]), in_region.geometry.to_numpy())[0])]
            if land.kind == table.LAND_HROMADA and land.territory is not None and land.territory not in hromada_km2:
                shape = territories.geometry.loc[land.territory]
                hromada_area_km2[land.territory] = float(territories["area_km2"].loc[land.territory])
                hromada_km2[land.territory] = {
                    row: geodesic_area_km2(shapely.intersection(shape, shapely.clip_by_rect(geometry, *shape.bounds)))
                    for row, geometry in zip(in_region.index, in_region.geometry.to_numpy())
                    if shapely.intersects(shape, geometry)
                }
        return cls(rows_by_control, town_row, hromada_km2, hromada_area_km2)


def _relation(land: AreaLand, statement: Statement, region: str, rows: frozenset, facts: _LandFacts) -> AreaInZone | None:
    """How the area lies in the group of ``rows`` (of ``region``): None if it does not (or, for a
    region's part, only partly)."""
    if land.region != region:
        return None
    if land.kind in (table.LAND_HELD, table.LAND_OCCUPIED, table.LAND_REGION):
        wanted = {table.LAND_HELD: [HELD], table.LAND_OCCUPIED: [OCCUPIED], table.LAND_REGION: [HELD, OCCUPIED]}[land.kind]
        area_rows = frozenset().union(*(facts.rows_by_control.get((region, control), frozenset()) for control in wanted))
        if not area_rows or not area_rows <= rows:
            return None  # no such land on the snapshot, or the group holds only part of it
        return _entry(statement, IS_ZONE if area_rows == rows else INSIDE, 100.0)
    if land.kind == table.LAND_SETTLEMENT:
        return _entry(statement, INSIDE, None) if facts.town_row.get(land.settlement) in rows else None  # type: ignore[arg-type]
    inside_km2 = sum(km2 for row, km2 in facts.hromada_km2.get(land.territory, {}).items() if row in rows)  # type: ignore[arg-type, misc]
    if inside_km2 < MIN_LAND_KM2:
        return None
    share = min(100.0, 100.0 * inside_km2 / facts.hromada_area_km2[land.territory])  # type: ignore[index]
    return _entry(statement, INSIDE, share)


def _entry(statement: Statement, relation: str, share: float | None) -> AreaInZone:
    return AreaInZone(
        area_id=statement.area_id,
        land=statement.land,
        relation=relation,
        share_of_area_in_zone_pct=None if share is None else round(share, 1),
        statement=statement.record(),
    )
