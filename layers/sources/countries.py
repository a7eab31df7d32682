"""Read the world's countries (Natural Earth 1:50m, world-atlas 2.0.2) as context for maps: the
sea and Ukraine's neighbours, with Ukraine's own units cut out.

Natural Earth's default point of view puts Crimea inside Russia. The countries are therefore used
for context only: :func:`context_countries` subtracts Ukraine's first-level units (geoBoundaries,
which reach 12 nautical miles into the sea) from every country, so that Ukraine, Crimea included,
is drawn only from geoBoundaries and never from Natural Earth.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from peacemap.layers.errors import DataSourceError
from peacemap.layers.sources import registry

COUNTRIES_ID = "countries-naturalearth-50m"
# One line for the attribution of every map that draws the context.
COUNTRIES_ATTRIBUTION = "Neighbouring countries and sea: Made with Natural Earth (1:50m, world-atlas 2.0.2), public domain."
# ISO 3166-1 numeric codes (world-atlas's ``id``) of the neighbours named on the maps.
NEIGHBOURS = {
    "643": "Russia",
    "112": "Belarus",
    "498": "Moldova",
    "642": "Romania",
    "348": "Hungary",
    "703": "Slovakia",
    "616": "Poland",
}
UKRAINE_ISO_NUMERIC = "804"
# Context drawn around Ukraine: west, south, east, north (degrees, EPSG:4326). Wide enough for
# any frame a map of Ukraine shows; cuts Russia (which crosses the antimeridian) to Europe.
CONTEXT_WINDOW = (5.0, 36.0, 60.0, 62.0)


def countries_from_topojson(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Normalise world-atlas's ``countries`` object to ``iso_n3``, ``name`` and valid geometry (EPSG:4326).

    GDAL reads TopoJSON without a CRS; TopoJSON coordinates are lon/lat on WGS84 by
    convention, so EPSG:4326 is set here.
    """
    missing = [column for column in ("id", "name") if column not in frame.columns]
    if missing:
        raise DataSourceError(f"{COUNTRIES_ID}: missing columns {missing}; got {list(frame.columns)}")
    crs = frame.crs if frame.crs is not None else "EPSG:4326"
    countries = gpd.GeoDataFrame(
        {"iso_n3": frame["id"].fillna("").astype(str), "name": frame["name"].fillna("").astype(str)},
        geometry=shapely.make_valid(frame.geometry.values),
        crs=crs,
    ).to_crs(4326)
    # make_valid may leave lines or points beside the polygons of a repaired ring: drop them.
    countries["geometry"] = [_polygonal(geometry) for geometry in countries.geometry]
    return countries[~countries.geometry.is_empty].sort_values("iso_n3", ignore_index=True)


def read_countries(path: Path | None = None) -> gpd.GeoDataFrame:
    """Read every country (the registry's copy unless ``path`` is given); EPSG:4326."""
    path = path or registry.fetch(COUNTRIES_ID)
    try:
        frame = gpd.read_file(path, layer="countries")
    except Exception as error:  # pyogrio raises DataSourceError/ValueError by driver
        raise DataSourceError(f"cannot read {path}: {error}") from error
    return countries_from_topojson(frame)


def context_countries(
    countries: gpd.GeoDataFrame, ukraine_units: gpd.GeoDataFrame, *, window: tuple[float, float, float, float] = CONTEXT_WINDOW
) -> gpd.GeoDataFrame:
    """Countries within ``window`` (west, south, east, north; degrees) minus Ukraine's units.

    Parameters
    ----------
    countries
        From :func:`read_countries` (EPSG:4326).
    ukraine_units
        Ukraine's first-level units as geoBoundaries draws them, territorial sea included
        (:func:`peacemap.layers.sources.boundaries.read_geoboundaries`; EPSG:4326).
    window
        The box kept, in degrees.

    Returns
    -------
    geopandas.GeoDataFrame
        ``iso_n3``, ``name`` and polygonal geometry, EPSG:4326, sorted by ``iso_n3``. Crimea
        belongs to no row. What is left of Natural Earth's Ukraine (slivers along the land
        border, up to about 2 km wide, where its line runs outside geoBoundaries') goes to
        the neighbour each sliver shares the longest border with, so that the neighbours reach
        Ukraine's border with no gap.
    """
    for name, frame in (("countries", countries), ("ukraine_units", ukraine_units)):
        if frame.crs is None or not frame.crs.equals(4326):
            raise ValueError(f"'{name}' must be in EPSG:4326, got {frame.crs}")
    box = shapely.box(*window)
    ukraine = shapely.union_all(shapely.make_valid(ukraine_units.geometry.values))
    kept = countries[countries.geometry.intersects(box)].copy()
    clipped = shapely.intersection(kept.geometry.values, box)
    kept["geometry"] = [_polygonal(shapely.difference(geometry, ukraine)) for geometry in clipped]
    is_ukraine = (kept["iso_n3"] == UKRAINE_ISO_NUMERIC).to_numpy()
    neighbours = kept[~is_ukraine & ~kept.geometry.is_empty].reset_index(drop=True)
    slivers = shapely.get_parts(shapely.union_all(kept.geometry.values[is_ukraine]))
    neighbours["geometry"] = _absorb(neighbours.geometry.values, slivers)
    return neighbours.sort_values("iso_n3", ignore_index=True)


def _absorb(countries: Iterable[Any], slivers: Iterable[Any]) -> list:
    """``countries`` (polygons), each merged with the ``slivers`` it shares most border with;
    a sliver that touches no country is dropped."""
    countries = list(countries)
    shares: dict[int, list] = {}
    tree = shapely.STRtree(countries)
    for sliver in slivers:
        candidates = tree.query(sliver, predicate="intersects")
        if len(candidates) == 0:
            continue
        border = [shapely.length(shapely.intersection(sliver.boundary, countries[i].boundary)) for i in candidates]
        shares.setdefault(int(candidates[max(range(len(border)), key=border.__getitem__)]), []).append(sliver)
    for index, parts in shares.items():
        countries[index] = _polygonal(shapely.union_all([countries[index], *parts]))
    return countries


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """The polygons of ``geometry`` as one (Multi)Polygon (empty if it has none)."""
    parts = [part for part in shapely.get_parts(geometry) if part.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.MultiPolygon()
