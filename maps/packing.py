"""Pack geometries compactly for HTML maps: Google's encoded-polyline format, 5 decimals.

A lon/lat coordinate costs about 6 characters instead of the ~20 of GeoJSON text; the map
unpacks it in the browser with :data:`UNPACK_JS` (a dozen lines, part of the map) into
ordinary GeoJSON for Leaflet. Rounding to 5 decimals moves a point by at most ~0.6 m.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from peacemap.maps import web

PRECISION = 5  # decimals of a degree kept (1e-5° ≈ 1.1 m of latitude)


def encode_coords(coords: np.ndarray, *, precision: int = PRECISION) -> str:
    """Encode an (n, 2) array of lon/lat degrees (EPSG:4326) as one polyline string.

    The format is Google's encoded polyline (lat before lon, each a zigzag-encoded delta from
    the previous point in 5-bit chunks offset by 63, so only ASCII 63-126 appears).
    """
    coords = np.asarray(coords, dtype=float)
    if coords.ndim != 2 or coords.shape[1] < 2:
        raise ValueError(f"'coords' must be an (n, 2) array of lon/lat, got shape {coords.shape}")
    return encode_scaled(np.round(coords[:, [1, 0]] * 10**precision).astype(np.int64))


def encode_scaled(latlon: np.ndarray, *, start: tuple[int, int] = (0, 0)) -> str:
    """Encode an (n, 2) integer array of lat/lon in units of 1e-5° (already quantised) as a
    polyline string whose first delta is taken from ``start`` (lat, lon, same units) instead of
    (0, 0): a piece of a ring that goes on from a point the reader already has.
    ``peacemapDecodeFrom(text, lat, lon)`` reads it back."""
    latlon = np.asarray(latlon, dtype=np.int64).reshape(-1, 2)
    deltas = np.diff(latlon, axis=0, prepend=np.array([start], dtype=np.int64))
    return _encode_ints(deltas.ravel())


# Chunks of 5 bits an int64 can need (64 / 5, rounded up).
_MAX_CHUNKS = 13


def _encode_ints(values: np.ndarray) -> str:
    """Each int64 of ``values`` zigzag-encoded in 5-bit chunks, low chunk first, each but the last
    flagged with 0x20, offset by 63; all at once with numpy (a warm build packs 230,000 of them)."""
    values = np.asarray(values, dtype=np.int64)
    zigzag = np.where(values < 0, ~(values << 1), values << 1).astype(np.uint64)
    shifts = np.arange(_MAX_CHUNKS, dtype=np.uint64) * np.uint64(5)
    chunks = (zigzag[:, None] >> shifts) & np.uint64(0x1F)
    # A value takes one chunk, and one more for each 5 bits above its lowest five.
    count = 1 + (zigzag[:, None] >= (np.uint64(1) << shifts[1:])).sum(axis=1)
    position = np.arange(_MAX_CHUNKS)
    more = position[None, :] < (count - 1)[:, None]
    codes = chunks + np.uint64(63) + np.where(more, np.uint64(0x20), np.uint64(0))
    return codes[position[None, :] < count[:, None]].astype(np.uint8).tobytes().decode("ascii")


def decode_polyline(text: str, *, precision: int = PRECISION) -> np.ndarray:
    """Inverse of :func:`encode_coords`: an (n, 2) array of lon/lat degrees."""
    values, value, shift = [], 0, 0
    for char in text:
        chunk = ord(char) - 63
        value |= (chunk & 0x1F) << shift
        shift += 5
        if chunk < 0x20:
            values.append(~(value >> 1) if value & 1 else value >> 1)
            value, shift = 0, 0
    latlon = np.cumsum(np.array(values, dtype=np.int64).reshape(-1, 2), axis=0) / 10**precision
    return latlon[:, [1, 0]]


def pack_geometry(geometry: BaseGeometry) -> dict:
    """A compact form of a (Multi)Polygon or (Multi)LineString in lon/lat (EPSG:4326).

    ``{"t": "P", "c": [[ring, ...], ...]}`` for polygons (each a list of encoded rings,
    exterior first) and ``{"t": "L", "c": [line, ...]}`` for lines.
    """
    kind = geometry.geom_type
    if kind in ("Polygon", "MultiPolygon"):
        polygons = shapely.get_parts(geometry)
        return {"t": "P", "c": [[encode_coords(np.asarray(ring.coords)) for ring in (p.exterior, *p.interiors)] for p in polygons if not p.is_empty]}
    if kind in ("LineString", "MultiLineString"):
        return {"t": "L", "c": [encode_coords(np.asarray(line.coords)) for line in shapely.get_parts(geometry) if not line.is_empty]}
    raise ValueError(f"'geometry' must be polygonal or linear, got {kind}")


# Unpacks [{"g": packed, "p": properties}, ...] into a GeoJSON FeatureCollection; a feature may
# give {"r": index} into peacemapShared instead of its own "g", for geometry several layers draw.
# peacemapDecodeFrom(s, lat0, lon0) reads a string whose first delta is from (lat0, lon0), 1e-5°
# units (encode_scaled's start); peacemapDecode(s) starts from 0, 0 (and can be given to map()).
UNPACK_JS = web.script("unpack.js")
