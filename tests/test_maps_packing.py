"""maps.packing: the encoded-polyline format, checked against Google's documented example."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from peacemap.maps.packing import decode_polyline, encode_coords, pack_geometry

# Google Maps Platform, "Encoded Polyline Algorithm Format": the points (38.5, -120.2),
# (40.7, -120.95), (43.252, -126.453) (lat, lon) encode as this string.
GOOGLE_EXAMPLE = "_p~iF~ps|U_ulLnnqC_mqNvxq`@"
GOOGLE_POINTS_LONLAT = [(-120.2, 38.5), (-120.95, 40.7), (-126.453, 43.252)]


def test_encoding_matches_googles_example():
    assert encode_coords(np.array(GOOGLE_POINTS_LONLAT)) == GOOGLE_EXAMPLE
    assert decode_polyline(GOOGLE_EXAMPLE) == pytest.approx(np.array(GOOGLE_POINTS_LONLAT))


def test_round_trip_keeps_5_decimals():
    rng = np.random.default_rng(1)
    coords = np.column_stack([rng.uniform(22, 41, 500), rng.uniform(44, 53, 500)])
    assert np.abs(decode_polyline(encode_coords(coords)) - coords).max() <= 0.5e-5 + 1e-12


def test_pack_geometry_kinds():
    square = shapely.box(30, 45, 31, 46).difference(shapely.box(30.4, 45.4, 30.6, 45.6))
    packed = pack_geometry(square)
    assert packed["t"] == "P"
    assert len(packed["c"]) == 1
    assert len(packed["c"][0]) == 2  # exterior + hole
    assert pack_geometry(shapely.LineString([(30, 45), (31, 46)]))["t"] == "L"
    with pytest.raises(ValueError, match="'geometry'"):
        pack_geometry(shapely.Point(30, 45))


def test_encode_refuses_wrong_shape():
    with pytest.raises(ValueError, match="'coords'"):
        encode_coords(np.array([1.0, 2.0]))


def _reference_polyline(values: list[int]) -> str:
    """Google's algorithm as its documentation states it, one value at a time."""
    out = []
    for value in values:
        value = ~(value << 1) if value < 0 else value << 1
        while value >= 0x20:
            out.append(chr((0x20 | (value & 0x1F)) + 63))
            value >>= 5
        out.append(chr(value + 63))
    return "".join(out)


def test_vectorised_encoding_matches_the_algorithm_value_by_value():
    # Deltas of every size the format meets: zero, one chunk, several, negative, far jumps.
    rng = np.random.default_rng(7)
    coords = np.cumsum(np.column_stack([rng.normal(0, 10.0 ** rng.integers(-5, 2, 2000)), rng.normal(0, 10.0 ** rng.integers(-5, 2, 2000))]), axis=0)
    coords[100:105] = coords[99]  # repeated points: zero deltas
    scaled = np.round(coords[:, [1, 0]] * 1e5).astype(np.int64)
    deltas = np.diff(scaled, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel()
    assert encode_coords(coords) == _reference_polyline([int(v) for v in deltas])
    assert encode_coords(np.zeros((0, 2))) == ""
