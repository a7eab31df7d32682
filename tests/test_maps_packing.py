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
    assert packed["t"] == "P" and len(packed["c"]) == 1 and len(packed["c"][0]) == 2  # exterior + hole
    assert pack_geometry(shapely.LineString([(30, 45), (31, 46)]))["t"] == "L"
    with pytest.raises(ValueError, match="'geometry'"):
        pack_geometry(shapely.Point(30, 45))


def test_encode_refuses_wrong_shape():
    with pytest.raises(ValueError, match="'coords'"):
        encode_coords(np.array([1.0, 2.0]))
