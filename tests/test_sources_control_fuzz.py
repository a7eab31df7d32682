"""Fuzzing control files (issue 20): whatever the file holds and whatever it is called,
``read_control_file`` returns a finite, valid polygon over Ukraine or refuses the file with a
one-line ControlFileError; it never raises anything else and never hangs."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import signal
import tempfile
from pathlib import Path

import numpy as np
import shapely
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from peacemap.layers.errors import ControlFileError
from peacemap.layers.sources.control_file import KYIV_CENTRE, UKRAINE_BOUNDS, read_control_file

SECONDS_PER_EXAMPLE = 10  # a hang is any example slower than this
FUZZ = settings(database=None, suppress_health_check=[HealthCheck.too_slow])

# --- coordinates: over Ukraine, anywhere, and the values that broke the reader ------------------

over_ukraine = st.tuples(st.floats(22.2, 40.1), st.floats(44.4, 52.3))
anywhere = st.tuples(st.floats(-180, 180), st.floats(-90, 90))
extreme = st.sampled_from([math.nan, math.inf, -math.inf, 1e300, -1e300, 1e-300, 5e-324, 0.0, 1.7976931348623157e308])
hostile_point = st.tuples(st.one_of(st.floats(22.2, 40.1), extreme), st.one_of(st.floats(44.4, 52.3), extreme))
point = st.one_of(over_ukraine, over_ukraine, anywhere, hostile_point)


@st.composite
def rings(draw, points=point):
    """A ring of 0 to 8 points, closed most of the time (GeoJSON requires it; files break it)."""
    vertices = draw(st.lists(points, max_size=8))
    if vertices and draw(st.booleans()):
        vertices.append(vertices[0])
    return [list(v) for v in vertices]


polygons = st.lists(rings(), min_size=0, max_size=3)  # exterior ring and holes


@st.composite
def sound_polygons(draw, spoil=True):
    """A box or triangle over Ukraine; if ``spoil``, now and then with one coordinate made
    extreme, as in the issue's file."""
    x, y = draw(over_ukraine)
    w, h = draw(st.floats(1e-6, 2.0)), draw(st.floats(1e-6, 2.0))
    ring = draw(st.sampled_from([[[x, y], [x + w, y], [x + w, y + h], [x, y + h]], [[x, y], [x + w, y], [x, y + h]]]))
    if draw(st.booleans()):
        ring = ring[::-1]  # clockwise
    if spoil and draw(st.integers(0, 3)) == 0:
        ring[draw(st.integers(0, len(ring) - 1))][draw(st.integers(0, 1))] = draw(extreme)
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


geometries = st.recursive(
    st.one_of(
        sound_polygons(),
        sound_polygons(),
        polygons.map(lambda p: {"type": "Polygon", "coordinates": p}),
        st.lists(polygons, max_size=3).map(lambda p: {"type": "MultiPolygon", "coordinates": p}),
        point.map(lambda p: {"type": "Point", "coordinates": list(p)}),
        rings().map(lambda r: {"type": "LineString", "coordinates": r}),
        st.none(),
    ),
    lambda children: st.lists(children, max_size=3).map(lambda g: {"type": "GeometryCollection", "geometries": g}),
    max_leaves=6,
)
crs_names = st.sampled_from([None, "EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:3857", "EPSG:32637", "EPSG:999999", "not a crs"])


@st.composite
def geojson_documents(draw) -> bytes:
    """A FeatureCollection of anything, or (a third of the time) of sound polygons and points."""
    if draw(st.integers(0, 2)) == 0:
        leaves = st.one_of(sound_polygons(spoil=False), point.map(lambda p: {"type": "Point", "coordinates": list(p)}))
        kinds, crs = st.lists(leaves, min_size=1, max_size=4), None
    else:
        kinds, crs = st.lists(geometries, max_size=4), draw(crs_names)
    features = [{"type": "Feature", "properties": {}, "geometry": g} for g in draw(kinds)]
    document = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    text = json.dumps(document)  # NaN and Infinity as JavaScript writes them, as in the file
    if draw(st.integers(0, 9)) == 0:  # now and then, a truncated file
        text = text[: draw(st.integers(0, len(text)))]
    return text.encode()


contents = st.one_of(geojson_documents(), geojson_documents(), geojson_documents(), st.binary(max_size=200))
# File names: any character a Linux name may hold (no "/" or NUL), control characters included;
# at most 88 bytes, well under the 255 a name may have.
names = st.text(st.characters(exclude_characters="/\x00", codec="utf-8"), max_size=20).map(lambda s: s + ".geojson")


class Hang(BaseException):
    """A read that did not end in time (a BaseException: the reader's ``except Exception``,
    which turns GDAL's errors into refusals, must not turn this one into a refusal too)."""


@contextlib.contextmanager
def _time_limit(seconds: int):
    """Interrupt the body after ``seconds`` (hypothesis's deadline only reports slowness after
    an example ends, so it cannot catch a read that never returns)."""

    def interrupt(signum, frame):
        raise Hang(f"reading the control file took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _read(name: str, content: bytes, **options):
    """Write ``content`` into a file called ``name`` and read it: a snapshot or a ControlFileError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        with _time_limit(SECONDS_PER_EXAMPLE):
            try:
                return read_control_file(path, as_of=None, **options)
            except ControlFileError as error:
                return error


def _assert_contract(outcome, content: bytes) -> None:
    event("refused" if isinstance(outcome, ControlFileError) else "read")  # --hypothesis-show-statistics
    if isinstance(outcome, ControlFileError):
        message = str(outcome)
        assert message.startswith("control file "), repr(message)
        assert message.isprintable(), repr(message)
        return
    polygon = outcome.polygon
    assert polygon.geom_type in ("Polygon", "MultiPolygon")
    assert polygon.is_valid
    assert not polygon.is_empty
    coordinates = shapely.get_coordinates(polygon)
    assert np.isfinite(coordinates).all()
    west, south, east, north = UKRAINE_BOUNDS
    assert (coordinates[:, 0] >= west).all()
    assert (coordinates[:, 0] <= east).all()
    assert (coordinates[:, 1] >= south).all()
    assert (coordinates[:, 1] <= north).all()
    assert outcome.label.isprintable()
    assert outcome.attribution.isprintable()
    assert outcome.sha256 == hashlib.sha256(content).hexdigest()


@FUZZ
@given(name=names, content=contents)
def test_any_control_file_is_read_or_refused_in_one_line(name, content):
    _assert_contract(_read(name, content), content)


# A sound file must be read, and read right: boxes over Ukraine give their union.
boxes = st.lists(
    st.tuples(st.floats(22.2, 39.0), st.floats(44.4, 51.3), st.floats(0.01, 1.0), st.floats(0.01, 1.0)),
    min_size=1,
    max_size=4,
)


@FUZZ
@given(corners=boxes, wrapped=st.booleans())
def test_polygons_over_ukraine_are_read_as_their_union(corners, wrapped):
    squares = [box(x, y, x + w, y + h) for x, y, w, h in corners]
    # Boxes over Kyiv city are refused as held territory (tests/test_sources_control_file.py).
    assume(not shapely.union_all(squares).covers(shapely.Point(KYIV_CENTRE)))
    features = [json.loads(shapely.to_geojson(s)) for s in squares]
    if wrapped:  # all in one collection, as some tools write them
        features = [{"type": "GeometryCollection", "geometries": features}]
    document = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": g} for g in features]}
    content = json.dumps(document).encode()
    # Boxes anywhere in the box around Ukraine, from 1 km² up: small or off its land on purpose.
    outcome = _read("boxes.geojson", content, allow_small=True)
    assert not isinstance(outcome, ControlFileError), outcome
    _assert_contract(outcome, content)
    expected = shapely.union_all(squares)
    assert outcome.polygon.symmetric_difference(expected).area <= 1e-9 * expected.area
