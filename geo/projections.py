"""Projections used for metric operations (buffers, simplification tolerances) over Ukraine."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

# Lambert azimuthal equal-area centred on Ukraine: buffers and tolerances in metres stay within
# about 1% of true distance over the whole country (scale error grows with distance from the
# centre; 1.0025 at 8° away). Areas are not taken here: they are geodesic (geo.area).
UKRAINE_LAEA = CRS.from_proj4("+proj=laea +lat_0=48.5 +lon_0=31.5 +datum=WGS84 +units=m +no_defs")
WGS84 = CRS.from_epsg(4326)

_TO_LAEA = Transformer.from_crs(WGS84, UKRAINE_LAEA, always_xy=True)
_FROM_LAEA = Transformer.from_crs(UKRAINE_LAEA, WGS84, always_xy=True)


def _apply(transformer: Transformer, geometry: BaseGeometry) -> BaseGeometry:
    def transform(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, transform)


def to_metric(geometry: BaseGeometry) -> BaseGeometry:
    """Project a lon/lat (EPSG:4326) geometry to :data:`UKRAINE_LAEA` metres."""
    return _apply(_TO_LAEA, geometry)


def from_metric(geometry: BaseGeometry) -> BaseGeometry:
    """Project a :data:`UKRAINE_LAEA` geometry (metres) back to lon/lat (EPSG:4326)."""
    return _apply(_FROM_LAEA, geometry)
