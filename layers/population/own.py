"""A population of the user's own, placed and summed over any zones the way the official one is.

:func:`own_population` turns a checked population file (:mod:`peacemap.layers.sources.population_file`)
into an :class:`OwnPopulation`, whose :meth:`OwnPopulation.zone_population` gives each zone's
count and band with the columns of :func:`peacemap.layers.population.model.zone_population`, so
that every figure of a report is computed for it as for the 1 January 2022 population (a sum over
pieces; bands computed on each figure's land):

- a **hromada table** (KATOTTH code, or name and oblast) replaces each hromada's official count
  in the population model: its towns, the rest of its urban people and its rural people are
  scaled by the hromada's own count over its official one, so they are placed as the official
  figures are, with bands from the same model. A region is covered when the table gives every
  hromada of it; a region it gives only some hromadas of is refused (its figure would be wrong);
- a **settlement table** puts each city's or town's count at its located point;
- **points** are summed exactly where they lie: each point counts in the zone that holds it;
- a **raster** is summed over each zone cell by cell, each cell weighted by the share of its
  area inside the zone (exactextract; planar in the raster's CRS).

Points, settlements and rasters are exact sums, with no band. They cover the regions that hold at
least one of their points, or, for a raster, the regions whose land lies wholly within its extent.
Counts are rounded to whole persons so that the zones of a region add up to the region's count
(largest remainder). A region not covered has no figure (NaN), and totals name it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from peacemap.geo.population import point_zones
from peacemap.layers.errors import PopulationFileError
from peacemap.layers.population.model import PopulationModel, controlled_rounding, largest_remainder
from peacemap.layers.population.model import zone_population as model_zone_population
from peacemap.layers.population.settlements import NOT_LOCATED
from peacemap.layers.regions import CRIMEA_WITH_SEVASTOPOL, REGION_NAMES
from peacemap.layers.settings import memoized
from peacemap.layers.sources import population_file as files
from peacemap.layers.sources.population_tables import HROMADA_TYPES, KYIV_CITY, normalise_name, region_code
from peacemap.layers.text import printable

logger = logging.getLogger(__name__)

COLUMNS = ("population_2022", "population_2022_low", "population_2022_high")  # the model's, so that report code serves both
# KATOTTH of Kyiv city, a hromada of table 6 that the KSE file (which gives the other codes) lacks.
KYIV_CITY_KATOTTH = "UA80000000000093317"
METHODS = {
    files.HROMADAS: "each hromada's count placed as its official figure is (towns, centre, rural people over its territory), with the population model's band",
    files.SETTLEMENTS: "each city's or town's count at its located point; exact sums, no band",
    files.POINTS: "each point's count in the zone that holds it; exact sums, no band",
    files.RASTER: "each cell's count weighted by the share of its area inside the zone (exactextract, in the raster's CRS); exact sums, no band",
}
Estimate = Callable[[gpd.GeoDataFrame, bool], pd.DataFrame]


@dataclass(frozen=True)
class OwnPopulation:
    """A population file placed over space, with what identifies it in every output.

    Attributes
    ----------
    label, date
        What the user calls it and the date its counts stand for.
    file
        The checked file (its name, kind, sha256, CRS).
    regions
        ISO 3166-2 codes of the regions it covers.
    exact
        Whether its figures are exact sums (points, settlements, rasters): no band.
    notes
        What was left out, in words (points outside every region).
    estimate
        Gives zones (of covered regions) their counts: ``estimate(zones, rounded)``.
    model
        The population model with the hromadas' own counts (hromada tables), else None.
    """

    label: str
    date: dt.date
    file: files.PopulationFile
    regions: tuple[str, ...]
    exact: bool
    notes: tuple[str, ...]
    estimate: Estimate
    model: PopulationModel | None = None
    count_total: float = 0.0  # its count over the regions it covers (persons, unrounded)

    @property
    def method(self) -> str:
        """How its counts are placed and summed, in words."""
        return METHODS[self.file.kind]

    def zone_population(self, zones: gpd.GeoDataFrame) -> pd.DataFrame:
        """Each zone's count and band (persons; the columns of the population model's
        ``zone_population``), NaN in regions the file does not cover. ``zones`` (EPSG:4326,
        ``region``) should tile their regions."""
        result = pd.DataFrame(math.nan, index=zones.index, columns=list(COLUMNS))
        covered = zones[zones["region"].isin(self.regions)]
        if not covered.empty:
            result.loc[covered.index, list(COLUMNS)] = self.estimate(covered, True)[list(COLUMNS)].to_numpy()
        return result

    def parts(self, zones: gpd.GeoDataFrame) -> pd.Series:
        """Each zone's count unrounded (persons; NaN where not covered): for splitting a zone's
        figure among its hromadas."""
        result = pd.Series(math.nan, index=zones.index)
        covered = zones[zones["region"].isin(self.regions)]
        if not covered.empty:
            result.loc[covered.index] = self.estimate(covered, False)["population_2022"].to_numpy()
        return result


def own_population(
    file: files.PopulationFile,
    *,
    label: str,
    date: dt.date,
    model: Callable[[], PopulationModel],
    settlements: Callable[[], gpd.GeoDataFrame],
    regions: gpd.GeoDataFrame,
    hromada_codes: Callable[[], pd.Series],
) -> OwnPopulation:
    """``file`` placed over space (see the module docstring).

    Parameters
    ----------
    file
        A checked population file.
    label, date
        What the outputs call it, and the date its counts stand for.
    model
        Gives the official population model (:func:`peacemap.layers.population.model.population_model`);
        called for hromada tables only.
    settlements
        Gives the located cities and towns (:func:`peacemap.layers.population.settlements.located_settlements`);
        called for settlement tables only.
    regions
        :func:`peacemap.layers.regions.load_regions` (EPSG:4326).
    hromada_codes
        Gives the KATOTTH code of each hromada of table 6, by its index in the model's centres
        (:func:`hromada_katotth`); called for tables with codes only.

    Raises
    ------
    PopulationFileError
        A row naming no hromada or settlement peacemap knows, or several; a hromada given twice;
        a region given only some of its hromadas; nothing in Ukraine.
    """
    units = regions[regions["code"] != CRIMEA_WITH_SEVASTOPOL]
    if file.kind == files.HROMADAS:
        official = model()
        counts = _hromada_counts(file, official.centres, hromada_codes)
        own_model, covered = _scaled_model(official, counts, file)
        total = float(sum(counts.values()))
        return OwnPopulation(label, date, file, covered, False, (), _model_estimate(own_model), own_model, total)
    if file.kind == files.RASTER:
        assert file.raster is not None
        covered = _raster_regions(file.raster, units)
        if not covered:
            raise PopulationFileError(
                f"population file {file.name}: no region of Ukraine lies wholly within the raster "
                "(is its CRS right?); expected counts over the land of at least one region"
            )
        return OwnPopulation(label, date, file, covered, True, (), _raster_estimate(file.raster), None, file.raster.total)
    points = _settlement_points(file, settlements()) if file.kind == files.SETTLEMENTS else file.points
    assert points is not None
    placed, notes = _points_in_regions(points, units, file.name)
    covered = tuple(sorted(placed["region"].unique()))
    return OwnPopulation(label, date, file, covered, True, notes, _points_estimate(placed), None, float(placed["count"].sum()))


# --- hromada tables ---------------------------------------------------------------------------------


@memoized
def hromada_katotth() -> pd.Series:
    """The KATOTTH code of each hromada of table 6 (by its row, the index of the model's centres):
    from the KSE file's ``hromada_code``, joined as the centres are (:func:`.placement.match_kse`);
    Kyiv city's, which the KSE file lacks, is :data:`KYIV_CITY_KATOTTH`."""
    from peacemap.layers.population.placement import match_kse
    from peacemap.layers.sources import registry
    from peacemap.layers.sources.population_tables import KSE_SOURCE, read_hromada_population, read_kse_hromadas

    raw = pd.read_csv(registry.fetch(KSE_SOURCE), usecols=["hromada_code"], dtype=str)
    kse = read_kse_hromadas().assign(katotth=raw["hromada_code"].str.strip().to_numpy())
    hromadas = read_hromada_population()
    joined = match_kse(hromadas, kse)
    codes = joined["katotth"].where(joined["region"] != KYIV_CITY, KYIV_CITY_KATOTTH)
    return codes.set_axis(hromadas.index)


def _hromada_counts(file: files.PopulationFile, centres: gpd.GeoDataFrame, codes: Callable[[], pd.Series]) -> dict[int, float]:
    """Each hromada's count, by its index in ``centres``."""
    assert file.table is not None
    table = file.table
    counts: dict[int, float] = {}
    seen: dict[int, int] = {}
    if "katotth" in table.columns:
        by_code = {code: index for index, code in codes().dropna().items()}
        for row in table.itertuples():
            index = by_code.get(row.katotth)
            if index is None:
                raise PopulationFileError(
                    f"population file {file.name} line {row.line}: KATOTTH {row.katotth} is no hromada of the "
                    "official table 6 (codes from the KSE hromada file, as of 2020); expected the code of a hromada"
                )
            _add(counts, seen, index, row.count, row.line, file)
        return counts
    names = _name_index(centres)
    for row in table.itertuples():
        region = _region(row.oblast, row.line, file)
        found = names.get((region, _hromada_key(row.hromada)), [])
        if row.raion and len(found) > 1:
            found = [i for i in found if normalise_name(str(centres.at[i, "raion_uk"])).startswith(normalise_name(row.raion).split(" ")[0])]
        if len(found) != 1:
            problem = "no hromada" if not found else f"{len(found)} hromadas"
            hint = "" if not found else "; give its raion (column raion) or its KATOTTH code"
            raise PopulationFileError(
                f"population file {file.name} line {row.line}: hromada {_shown(row.hromada)} matches {problem} of {region} in the official table 6{hint}"
            )
        _add(counts, seen, found[0], row.count, row.line, file)
    return counts


def _add(counts: dict[int, float], seen: dict[int, int], index: int, count: float, line: int, file: files.PopulationFile) -> None:
    if index in seen:
        raise PopulationFileError(f"population file {file.name} line {line}: gives the hromada of line {seen[index]} again; expected each hromada once")
    counts[index], seen[index] = count, line


_TYPE_WORDS = (*HROMADA_TYPES, "тг", "територіальна", "громада", "otg", "тг.", "urban", "rural", "settlement", "tc", "hromada", "territorial", "community")


def _hromada_key(name: str) -> str:
    """A hromada's name without its type words: "Покровська міська ТГ" -> "покровська"."""
    words = [w for w in normalise_name(name).replace("(", " ").replace(")", " ").split() if w not in _TYPE_WORDS]
    return " ".join(words)


def _name_index(centres: gpd.GeoDataFrame) -> dict[tuple[str, str], list[int]]:
    index: dict[tuple[str, str], list[int]] = {}
    for label, region, name_uk, name_en in zip(centres.index, centres["region"], centres["name_uk"], centres["name_en"]):
        for key in {_hromada_key(name_uk), _hromada_key(name_en)}:
            index.setdefault((region, key), []).append(int(label))
    return index


_ENGLISH_REGIONS = {name.lower(): code for code, name in REGION_NAMES.items() if "+" not in code}


def _region(oblast: str, line: int, file: files.PopulationFile) -> str:
    """An oblast given as an ISO 3166-2 code, or its Ukrainian or English name."""
    text = oblast.strip()
    if text.upper() in REGION_NAMES and "+" not in text:
        return text.upper()
    english = text.lower().removesuffix(" oblast").removesuffix(" region").strip()
    if english in _ENGLISH_REGIONS:
        return _ENGLISH_REGIONS[english]
    try:
        return region_code(text)
    except Exception:  # DataSourceError: not a name of the tables
        raise PopulationFileError(
            f"population file {file.name} line {line}: oblast {_shown(oblast)} is no region of Ukraine; expected "
            "an ISO 3166-2 code (UA-14) or its name (Донецька, Donetsk)"
        ) from None


def _shown(value: object) -> str:
    text = printable(str(value))
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _scaled_model(model: PopulationModel, counts: dict[int, float], file: files.PopulationFile) -> tuple[PopulationModel, tuple[str, ...]]:
    """The model of the regions the table covers, each hromada's people scaled to its own count."""
    regions = {}
    hromadas = {}
    for code, members in model.hromadas.items():
        given = [index for index in members if int(index) in counts]
        if not given:
            continue
        if len(given) != len(members):
            missing = [model.centres.at[index, "name_uk"] for index in members if int(index) not in counts]
            raise PopulationFileError(
                f"population file {file.name} gives {len(given)} of the {len(members)} hromadas of {code}; expected every "
                f"hromada of a region it covers (missing: {', '.join(printable(n) for n in missing[:3])}"
                f"{' and more' if len(missing) > 3 else ''})"
            )
        region = model.regions[code]
        official = region.hromada_totals
        own = np.array([counts[int(index)] for index in members], dtype=float)
        ratio = np.divide(own, official, out=np.zeros_like(own), where=official > 0)
        rural = np.where(official > 0, region.rural * ratio, own)  # a hromada of no people: its count spread over its land
        regions[code] = dataclasses.replace(region, rural=rural, people=region.people * ratio[region.point_hromada])
        hromadas[code] = members
    return dataclasses.replace(model, regions=regions, hromadas=hromadas), tuple(sorted(regions))


def _model_estimate(model: PopulationModel) -> Estimate:
    def estimate(zones: gpd.GeoDataFrame, rounded: bool) -> pd.DataFrame:  # the model rounds its own way
        return model_zone_population(zones, model)

    return estimate


# --- points and settlements --------------------------------------------------------------------------


def _settlement_points(file: files.PopulationFile, settlements: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each row's count at its city's or town's located point."""
    assert file.table is not None
    index: dict[tuple[str, str], list] = {}
    for label, region, name_uk, name_en in zip(settlements.index, settlements["region"], settlements["name_uk"], settlements["name_en"]):
        for key in {normalise_name(name_uk), normalise_name(name_en)}:
            index.setdefault((region, key), []).append(label)
    rows: list[tuple[float, object]] = []
    seen: dict[object, int] = {}
    for row in file.table.itertuples():
        region = _region(row.oblast, row.line, file)
        found = index.get((region, normalise_name(row.settlement)), [])
        if row.raion and len(found) > 1:
            found = [i for i in found if normalise_name(str(settlements.at[i, "raion_uk"])).startswith(normalise_name(row.raion).split(" ")[0])]
        if len(found) != 1:
            problem = "no city or town" if not found else f"{len(found)} cities and towns"
            hint = "" if not found else "; give its raion (column raion)"
            raise PopulationFileError(
                f"population file {file.name} line {row.line}: settlement {_shown(row.settlement)} matches {problem} of {region} in the official table 5{hint}"
            )
        if settlements.at[found[0], "located"] == NOT_LOCATED:
            raise PopulationFileError(
                f"population file {file.name} line {row.line}: settlement {_shown(row.settlement)} ({region}) is one "
                "peacemap cannot locate (docs/method/population.md); give its people as a point instead"
            )
        if found[0] in seen:
            raise PopulationFileError(
                f"population file {file.name} line {row.line}: gives the settlement of line {seen[found[0]]} again; expected each settlement once"
            )
        seen[found[0]] = row.line
        rows.append((row.count, settlements.geometry.at[found[0]]))
    return gpd.GeoDataFrame({"count": [c for c, _ in rows]}, geometry=[g for _, g in rows], crs=4326)


def _points_in_regions(points: gpd.GeoDataFrame, units: gpd.GeoDataFrame, name: str) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    """``points`` with the region whose land holds each; those in none are left out, and said so."""
    geometries = units.geometry.to_numpy()
    unit_index, point_index = shapely.STRtree(points.geometry.to_numpy()).query(geometries, predicate="intersects")
    region = np.full(len(points), None, dtype=object)
    order = np.lexsort((unit_index, point_index))  # a point on a border counts in the first region holding it
    first = np.unique(point_index[order], return_index=True)
    region[first[0]] = units["code"].to_numpy()[unit_index[order][first[1]]]
    inside = region != None  # noqa: E711 - an object array
    placed = points[inside].assign(region=region[inside])
    notes: tuple[str, ...] = ()
    if not inside.all():
        left = points[~inside]
        note = f"{len(left):,} points ({left['count'].sum():,.0f} people) lie outside Ukraine's land and are not counted"
        logger.warning("population file %s: %s", name, note)
        notes = (note,)
    if placed.empty:
        raise PopulationFileError(f"population file {name}: no point lies on Ukraine's land (is its CRS right?); expected points in Ukraine")
    return placed, notes


def _points_estimate(points: gpd.GeoDataFrame) -> Estimate:
    def estimate(zones: gpd.GeoDataFrame, rounded: bool) -> pd.DataFrame:
        sums = pd.Series(0.0, index=zones.index)
        for code, members in zones.groupby("region", sort=True):
            mine = points[points["region"] == code]
            if mine.empty:
                continue
            index = point_zones(mine.geometry.to_numpy(), members.geometry.to_numpy())
            sums.loc[members.index] = np.bincount(index, weights=mine["count"].to_numpy(), minlength=len(members))
        return _exact(zones, sums, rounded)

    return estimate


def _exact(zones: gpd.GeoDataFrame, sums: pd.Series, rounded: bool) -> pd.DataFrame:
    """Exact sums as the model's columns (no band), rounded per region to whole persons that add
    up to the region's rounded sum."""
    values = sums.astype(float).copy()
    if rounded:
        for _, members in zones.groupby("region", sort=True):
            values.loc[members.index] = largest_remainder(sums.loc[members.index].to_numpy(), int(round(sums.loc[members.index].sum())))
    return pd.DataFrame({column: values for column in COLUMNS}, index=zones.index)


# --- rasters ------------------------------------------------------------------------------------------


def _raster_regions(raster: files.RasterData, units: gpd.GeoDataFrame) -> tuple[str, ...]:
    """The regions whose land lies wholly within the raster's extent (in its CRS)."""
    a, _, c, _, e, f = raster.transform  # north-up: no rotation (checked on reading)
    west, north = c, f
    east, south = c + a * raster.width, f + e * raster.height
    extent = shapely.box(min(west, east), min(south, north), max(west, east), max(south, north))
    land = units.to_crs(raster.crs_wkt)
    return tuple(sorted(str(code) for code, geometry in zip(land["code"], land.geometry) if extent.covers(geometry)))


def _raster_estimate(raster: files.RasterData) -> Estimate:
    def estimate(zones: gpd.GeoDataFrame, rounded: bool) -> pd.DataFrame:
        from exactextract import exact_extract

        shapes = gpd.GeoDataFrame({"row": np.arange(len(zones))}, geometry=zones.to_crs(raster.crs_wkt).geometry.to_numpy(), crs=raster.crs_wkt)
        with files.open_raster(raster.content) as dataset:
            found = exact_extract(dataset, shapes, ["sum"], include_cols=["row"], output="pandas")
        sums = pd.Series(0.0, index=zones.index)
        sums.iloc[found["row"].to_numpy()] = found["sum"].fillna(0.0).to_numpy()
        return _exact(zones, sums, rounded)

    return estimate


# --- a zone's figure by hromada ----------------------------------------------------------------------


def hromada_parts(own: OwnPopulation, zones: gpd.GeoDataFrame, territories: gpd.GeoDataFrame, hromada_population: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    """Each hromada's part of each zone's own count, adding up to the zone's figure and, for a
    hromada table, to the hromada's count.

    Parameters
    ----------
    zones
        Zones tiling their regions (EPSG:4326, ``region``).
    territories
        ``Territories.frame``: each territory's land, by hromada (index: the model's centres).
    hromada_population
        :func:`peacemap.layers.population.model.hromada_population` (for a hromada table).

    Returns
    -------
    DataFrame
        ``zone`` (label in ``zones``), ``hromada`` (index in ``territories``), ``population_own``
        (whole persons). Regions not covered have no rows.
    """
    covered = zones[zones["region"].isin(own.regions)]
    if covered.empty:
        return pd.DataFrame(columns=["zone", "hromada", "population_own"])
    if own.model is not None:
        found = hromada_population(covered, own.model)
        return found.rename(columns={"population_2022": "population_own"})
    frames = []
    for code, members in covered.groupby("region", sort=True):
        lands = territories[(territories["region"] == code) & (territories.index >= 0) & ~territories.geometry.is_empty]
        zone_index, land_index = shapely.STRtree(lands.geometry.to_numpy()).query(members.geometry.to_numpy(), predicate="intersects")
        pieces = shapely.intersection(members.geometry.to_numpy()[zone_index], lands.geometry.to_numpy()[land_index])
        keep = ~shapely.is_empty(pieces)
        parts = gpd.GeoDataFrame(
            {"region": code, "zone": members.index.to_numpy()[zone_index][keep], "hromada": lands.index.to_numpy()[land_index][keep]},
            geometry=pieces[keep],
            crs=4326,
        )
        raw = own.parts(parts).fillna(0.0).to_numpy()
        matrix = pd.DataFrame({"zone": parts["zone"], "hromada": parts["hromada"], "value": raw}).pivot_table(
            index="hromada", columns="zone", values="value", aggfunc="sum", fill_value=0.0
        )
        zone_totals = own.zone_population(members)["population_2022"].reindex(matrix.columns).to_numpy()
        row_totals = largest_remainder(matrix.sum(axis=1).to_numpy(), int(round(zone_totals.sum())))
        persons = controlled_rounding(matrix.to_numpy(), row_totals, zone_totals)
        rows, columns = np.nonzero(persons)
        frames.append(
            pd.DataFrame(
                {"zone": matrix.columns.to_numpy()[columns], "hromada": matrix.index.to_numpy()[rows], "population_own": persons[rows, columns].astype(int)}
            )
        )
    return pd.concat(frames, ignore_index=True)
