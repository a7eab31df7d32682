"""A plan's land in pieces (region, status, control on the date) and the figures of any set of them.

Every figure of a report is a sum over one set of pieces: the zones of a plan dissolved by
region, status and control, each with its area (geodesic km²) and its 1 January 2022 population
(the population model's estimate, rounded so that a region's pieces add up to its official
total). Areas and people are additive: the figure of a set of pieces is the sum of theirs, so
the parts of a measure add up to it exactly.

The band of a set of pieces is not additive and is never made by adding the ends of the pieces'
bands. It is computed on the set's land as a whole:

- in a region where the set covers every piece, the figure is the region's official total,
  exact (zero width);
- in a region where it covers one piece, it is that piece's band;
- in a region where it covers several pieces but not all, the population model is run on the
  union of those pieces (against the union of the others, so that the two tile the region);
- the model works region by region (every town and hromada lies in one region), so the band of
  land in several regions is the sum of its band in each region, each computed as above.

Each band is kept within 0 and the total of the regions involved, and around its figure
(low ≤ figure ≤ high), which rounding to whole persons could otherwise break by a person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

PIECE_KEYS = ["region", "status", "control"]
POPULATION_COLUMNS = ("population_2022", "population_2022_low", "population_2022_high")

ZonePopulation = Callable[[gpd.GeoDataFrame], pd.DataFrame]
Record = dict  # one piece: its keys, meaning, area and population, without geometry
PieceKey = tuple[str, str, str]


def piece_key(record: Record) -> PieceKey:
    """The region, status and control of a piece."""
    return record["region"], record["status"], record["control"]


def missing(value: object) -> bool:
    """Whether a population value is not available (None or NaN)."""
    return value is None or value != value


@dataclass
class Pieces:
    """A plan's pieces with their population, and the bands of sets of them (module docstring).

    Attributes
    ----------
    records
        One dict per piece: ``region``, ``status``, ``control``, the status's meaning (``kind``,
        ``side_after``, ``recognition``, ``withdraws``), ``recognised_by``, ``provision``,
        ``area_km2`` (geodesic) and the population columns (NaN where not available).
    geometries
        Each piece's land (EPSG:4326), by :func:`piece_key`.
    zone_population
        Estimates the population of zones that tile their regions (for the bands of unions), or
        None (areas only).
    exact
        The population is an exact count (a user's points or raster): every band is its figure.
    """

    records: list[Record]
    geometries: dict[PieceKey, BaseGeometry]
    zone_population: ZonePopulation | None
    exact: bool = False
    _unions: dict[tuple[str, frozenset[PieceKey]], tuple[float, float]] = field(default_factory=dict)

    def of(self, *codes: str) -> list[Record]:
        """The pieces of the regions ``codes``."""
        return [record for record in self.records if record["region"] in codes]

    def band(self, chosen: Iterable[Record]) -> tuple[int, int]:
        """The band (persons) of the pieces ``chosen``, over the regions with a 2022 figure."""
        by_region: dict[str, list[Record]] = {}
        for record in chosen:
            if not missing(record["population_2022"]):
                by_region.setdefault(record["region"], []).append(record)
        ends = [self._region_band(code, members) for code, members in sorted(by_region.items())]
        return sum(low for low, _ in ends), sum(high for _, high in ends)

    def _region_band(self, code: str, chosen: list[Record]) -> tuple[int, int]:
        value = int(round(sum(float(r["population_2022"]) for r in chosen)))
        keys = frozenset(piece_key(r) for r in chosen)
        if self.exact or keys == frozenset(piece_key(r) for r in self.of(code)):
            return value, value  # the whole region: its official total, exactly
        if len(chosen) == 1:
            low, high = float(chosen[0]["population_2022_low"]), float(chosen[0]["population_2022_high"])
        else:
            if (code, keys) not in self._unions:
                self._unions[code, keys] = self._union_band(code, keys)
            low, high = self._unions[code, keys]
        total = int(round(sum(float(r["population_2022"]) for r in self.of(code))))
        return max(0, min(int(low), value)), min(total, max(int(high), value))

    def _union_band(self, code: str, keys: frozenset[PieceKey]) -> tuple[float, float]:
        """The model's band of the union of the pieces ``keys`` of region ``code``."""
        assert self.zone_population is not None  # pieces have population only given a model
        inside = [self.geometries[key] for key in sorted(keys)]
        outside = [self.geometries[piece_key(r)] for r in self.of(code) if piece_key(r) not in keys]
        zones = gpd.GeoDataFrame({"region": [code, code]}, geometry=[shapely.union_all(inside), shapely.union_all(outside)], crs=4326)
        estimate = self.zone_population(zones)
        return float(estimate["population_2022_low"].iloc[0]), float(estimate["population_2022_high"].iloc[0])

    def persons(self, chosen: list[Record]) -> tuple[int, int, int] | None:
        """Figure, low and high of ``chosen`` (persons); None if any of them has no 2022 figure."""
        if not chosen or any(missing(r["population_2022"]) for r in chosen):
            return None
        low, high = self.band(chosen)
        return int(round(sum(float(r["population_2022"]) for r in chosen))), low, high


def area_km2(group: Iterable[Record]) -> float:
    """The summed area of ``group`` (geodesic km², unrounded)."""
    return float(sum(record["area_km2"] for record in group))


def available(group: Iterable[Record]) -> list[Record]:
    """The records of ``group`` with a 2022 figure."""
    return [record for record in group if not missing(record["population_2022"])]


def persons_of(group: list[Record]) -> int:
    """The 1 January 2022 people of the records of ``group`` with a figure (0 if none has)."""
    return int(round(sum(float(r["population_2022"]) for r in available(group)))) if group else 0
