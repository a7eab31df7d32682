"""Context drawn around Ukraine on every map: neighbouring countries (Natural Earth 1:50m, Ukraine's
own units cut out) simplified for drawing, sea labels, and the outline of Europe for the locator.

The countries come from :mod:`peacemap.layers.sources.countries`; the drawn frames are kept in the
disk cache (:mod:`peacemap.layers.sources.cache`), since cutting Ukraine out of them takes about
a second per map, and read once per process.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from peacemap.geo.projections import from_metric, to_metric
from peacemap.geo.simplify import round_coordinates
from peacemap.layers.i18n.catalogue import N_
from peacemap.layers.settings import memoized

# Tolerance (metres) of the drawn neighbours: below a point at the scale of a printed map of
# Ukraine (1,300 km across 12 in is about 1.5 km per point), and a tenth of the HTML map's size.
CONTEXT_TOLERANCE_M = 500.0
CONTEXT_DECIMALS = 3  # 0.001° ≈ 100 m
# The locator of Ukraine in Europe: west, south, east, north (degrees) and its tolerance.
EUROPE_WINDOW = (-15.0, 30.0, 70.0, 72.0)
EUROPE_TOLERANCE_M = 8_000.0


# Bump when what the drawn frames hold changes in a way the code digest would not show.
CONTEXT_METHOD = 1


# Sea names on open water: name, lon, lat (degrees; positions read off the Natural Earth
# coastline). A static map names a sea at the first of its positions inside the frame. Names are
# messages of the catalogue, translated where they are drawn.
SEA_LABELS = (
    (N_("Black Sea"), 33.0, 43.6),
    ("Black Sea", 31.8, 44.9),
    ("Black Sea", 35.6, 44.1),
    ("Black Sea", 30.8, 45.6),
    (N_("Sea of Azov"), 36.6, 46.15),
)


@dataclass(frozen=True)
class MapContext:
    """What a map draws around Ukraine (EPSG:4326).

    Attributes
    ----------
    countries
        ``iso_n3``, ``name``, geometry: every country near Ukraine minus Ukraine's units,
        simplified within :data:`CONTEXT_TOLERANCE_M`.
    labels
        ``name``, ``lon``, ``lat`` (degrees), ``kind`` (``"country"`` or ``"sea"``): the seven
        neighbours named on the maps and the two seas.
    """

    countries: gpd.GeoDataFrame
    labels: pd.DataFrame


@memoized
def map_context() -> MapContext:
    """The context around Ukraine, read from the registry once per process."""
    from peacemap.layers.sources.cache import cached_frame
    from peacemap.layers.sources.countries import NEIGHBOURS

    drawn = cached_frame("map-context", _context_key("map-context"), _drawn_neighbours)
    rows = [(name, *_label_point(drawn, code), "country") for code, name in NEIGHBOURS.items()]
    rows += [(name, lon, lat, "sea") for name, lon, lat in {name: (name, lon, lat) for name, lon, lat in reversed(SEA_LABELS)}.values()]
    labels = pd.DataFrame(rows, columns=["name", "lon", "lat", "kind"])
    return MapContext(countries=drawn, labels=labels)


def _drawn_neighbours() -> gpd.GeoDataFrame:
    from peacemap.layers.sources.countries import CONTEXT_WINDOW

    drawn = _drawn_countries(CONTEXT_WINDOW, CONTEXT_TOLERANCE_M, CONTEXT_DECIMALS)
    return drawn[~drawn.geometry.is_empty].reset_index(drop=True)


@memoized
def europe() -> gpd.GeoDataFrame:
    """Countries of Europe minus Ukraine's units, simplified for a small locator map (EPSG:4326)."""
    from peacemap.layers.sources.cache import cached_frame

    return cached_frame("map-europe", _context_key("map-europe"), _drawn_europe)


def _drawn_europe() -> gpd.GeoDataFrame:
    return _drawn_countries(EUROPE_WINDOW, EUROPE_TOLERANCE_M, 2)


def _drawn_countries(window: tuple[float, float, float, float], tolerance_m: float, decimals: int) -> gpd.GeoDataFrame:
    """The countries within ``window`` (degrees) minus Ukraine's units, simplified within
    ``tolerance_m`` metres, coordinates rounded to ``decimals`` (EPSG:4326)."""
    from peacemap.layers.sources.boundaries import read_geoboundaries
    from peacemap.layers.sources.countries import context_countries, read_countries

    countries = context_countries(read_countries(), read_geoboundaries(), window=window)
    return countries.assign(geometry=simplified(countries.geometry.values, tolerance_m, decimals))


def _context_key(kind: str) -> str:
    """Cache key of a drawn context frame: the countries' and geoBoundaries' sha256, the method
    and the code that draws it."""
    from peacemap.layers.sources import registry
    from peacemap.layers.sources.boundaries import GEOBOUNDARIES_ID
    from peacemap.layers.sources.cache import make_key
    from peacemap.layers.sources.countries import COUNTRIES_ID

    sources = [registry.get_source(source_id).sha256 for source_id in (COUNTRIES_ID, GEOBOUNDARIES_ID)]
    return make_key(kind, method=CONTEXT_METHOD, code=__name__, sources=sources)


def simplified(geometries: np.ndarray, tolerance_m: float, decimals: int) -> list:
    """``geometries`` (EPSG:4326) simplified in metres as one coverage, so that borders between
    countries stay shared; coordinates rounded to ``decimals``."""
    metric = np.array([to_metric(g) for g in geometries], dtype=object)
    try:
        simple = shapely.coverage_simplify(metric, tolerance_m)
    except shapely.errors.GEOSException:  # not an exact coverage: simplify one by one
        simple = shapely.simplify(metric, tolerance_m, preserve_topology=True)
    return [round_coordinates(from_metric(g), decimals) for g in simple]


# Where each neighbour's name goes: near Ukraine, on the country's land. Degrees.
_NEIGHBOUR_LABEL_AREA = shapely.box(20.0, 43.5, 42.0, 54.0)


def _label_point(countries: gpd.GeoDataFrame, code: str) -> tuple[float, float]:
    """A point inside the part of country ``code`` near Ukraine (pole of inaccessibility)."""
    geometry = countries.loc[countries["iso_n3"] == code, "geometry"].iloc[0]
    near = shapely.intersection(geometry, _NEIGHBOUR_LABEL_AREA)
    biggest = max(shapely.get_parts(near), key=lambda part: part.area)
    point = shapely.ops.polylabel(biggest, tolerance=0.05)
    return round(point.x, 3), round(point.y, 3)
