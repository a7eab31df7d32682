"""GeoJSON and TopoJSON control files are parsed and checked by peacemap before GDAL sees them
(issue 24): the kind of document the suffix names, the legacy ``crs`` member, TopoJSON arc
indices, and the caps on vertices and polygons, counted while parsing."""

from __future__ import annotations

import json
import time

import pytest
import shapely

from peacemap.cli.main import cli
from peacemap.layers.errors import ControlFileError
from peacemap.layers.sources import control_formats
from peacemap.layers.sources.control_file import read_control_file

SQUARE = [[37.5, 48.0], [38.0, 48.0], [38.0, 48.5], [37.5, 48.5], [37.5, 48.0]]  # over Donetsk, lon/lat
REFUSAL_SECONDS = 5  # issue 24, item 6: 100,000 parts refused within this


def _collection(*geometries, **members):
    return {"type": "FeatureCollection", **members, "features": [{"type": "Feature", "properties": {}, "geometry": g} for g in geometries]}


def _write(path, document):
    path.write_text(json.dumps(document))
    return path


def _refusal(path, *needles, **kwargs):
    with pytest.raises(ControlFileError) as info:
        read_control_file(path, as_of=None, **kwargs)
    message = str(info.value)
    assert "\n" not in message, message
    for needle in needles:
        assert needle in message, message
    return message


# --- the legacy crs member ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "crs",
    [
        {"type": "name", "properties": {"name": "EPSG:3857"}},
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        {"type": "name", "properties": {"name": "http://www.opengis.net/def/crs/EPSG/0/3857"}},
        {"type": "EPSG", "properties": {"code": 3857}},
    ],
)
def test_a_crs_named_by_its_code_is_read(tmp_path, crs):
    from pyproj import Transformer

    square = shapely.Polygon(SQUARE)
    to_mercator = Transformer.from_crs(4326, 3857, always_xy=True)
    projected = shapely.transform(square, lambda x, y: to_mercator.transform(x, y), interleaved=False)
    path = _write(tmp_path / "m.geojson", _collection(json.loads(shapely.to_geojson(projected)), crs=crs))
    polygon = read_control_file(path, as_of=None).polygon
    assert polygon.symmetric_difference(square).area < 1e-9


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("EPSG:999999", "not a known CRS"),
        ("not a crs", "expected an authority code"),
        ("/etc/passwd", "expected an authority code"),
        ("http://127.0.0.1:9/crs.wkt", "expected an authority code"),
        ('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]]]', "expected an authority code"),
    ],
)
def test_a_crs_name_that_is_not_a_known_code_is_refused(tmp_path, name, needle):
    """GDAL read a name it could not resolve (a file, a URL, an unknown code) as WGS84, without a word."""
    path = _write(tmp_path / "m.geojson", _collection({"type": "Polygon", "coordinates": [SQUARE]}, crs={"type": "name", "properties": {"name": name}}))
    _refusal(path, "its legacy 'crs' member names", needle)


@pytest.mark.parametrize(
    "crs", [{"type": "link", "properties": {"href": "http://example.org/crs", "type": "proj4"}}, {"type": "OGC", "properties": {"urn": "x"}}, "EPSG:4326", 4326]
)
def test_a_crs_member_that_names_no_crs_is_refused(tmp_path, crs):
    path = _write(tmp_path / "m.geojson", _collection({"type": "Polygon", "coordinates": [SQUARE]}, crs=crs))
    _refusal(path, "its legacy 'crs' member")


# --- what the document is --------------------------------------------------------------------------


def test_a_topology_named_geojson_is_refused_with_the_suffix_it_needs(control_format_files, tmp_path):
    source, _ = control_format_files["topojson"]
    path = tmp_path / "occupied.geojson"
    path.write_bytes(source.read_bytes())
    _refusal(path, "holds TopoJSON, not GeoJSON as its name says", "needs the suffix .topojson")
    as_json = tmp_path / "occupied.json"  # .json may be either
    as_json.write_bytes(source.read_bytes())
    assert read_control_file(as_json, as_of=None).polygon.equals(read_control_file(source, as_of=None).polygon)


def test_geojson_named_topojson_is_refused(tmp_path):
    path = _write(tmp_path / "m.topojson", _collection({"type": "Polygon", "coordinates": [SQUARE]}))
    _refusal(path, "holds GeoJSON, not TopoJSON as its name says", "needs the suffix .geojson")


@pytest.mark.parametrize(
    ("document", "needle"),
    [
        ({"type": "Feature"}, "has no polygons (found no geometry)"),  # no geometry member: null
        ({"type": "FeatureCollection", "features": {}}, 'no "features" array'),
        ({"type": "FeatureCollection", "features": [{"type": "Point"}]}, "feature 1 is not a Feature object"),
        (_collection({"type": "Polygon", "coordinates": [[["37", "48"], [38, 48], [38, 49], ["37", "48"]]]}), "not an array of two or more numbers"),
        (_collection({"type": "Polygon", "coordinates": [[[37, 48, True]] * 4]}), None),  # a third value is not looked at
        (_collection({"type": "Polygon", "coordinates": "x"}), "coordinates that are not arrays"),
        (_collection({"type": "Circle", "coordinates": [37, 48]}), "is not a GeoJSON geometry (type 'Circle')"),
        (_collection({"type": "GeometryCollection", "geometries": "x"}), 'without a "geometries" array'),
        ({"type": "Sphere"}, "holds JSON of type 'Sphere', not GeoJSON"),
        ([1, 2], "holds JSON that is not an object"),
        ({"features": []}, 'no "type" member'),
    ],
)
def test_a_malformed_document_is_refused_in_one_line(tmp_path, document, needle):
    path = _write(tmp_path / "m.geojson", document)
    if needle is None:
        with pytest.raises(ControlFileError):  # refused further on (a line, not a polygon), not by the parser
            read_control_file(path, as_of=None)
        return
    _refusal(path, needle)


def test_nesting_beyond_reason_is_refused(tmp_path):
    deep = {"type": "Polygon", "coordinates": [SQUARE]}
    for _ in range(20):
        deep = {"type": "GeometryCollection", "geometries": [deep]}
    _refusal(_write(tmp_path / "deep.geojson", _collection(deep)), "nests geometry collections more than 16 deep")
    (tmp_path / "arrays.geojson").write_text("[" * 100_000 + "]" * 100_000)
    _refusal(tmp_path / "arrays.geojson", "arrays nested too deep")


def test_text_that_is_not_json_says_where(tmp_path):
    (tmp_path / "m.geojson").write_text('{"type": "FeatureCollection", "features": [}')
    _refusal(tmp_path / "m.geojson", "cannot be read as JSON (Expecting value: line 1, column 44)")
    (tmp_path / "l.geojson").write_bytes(b"\xff\xfe{\x00}\x00")
    _refusal(tmp_path / "l.geojson", "not GeoJSON (UTF-8 JSON)")


# --- TopoJSON --------------------------------------------------------------------------------------


def _topology(arcs_of_polygon, arcs=None):
    return {
        "type": "Topology",
        "arcs": arcs if arcs is not None else [SQUARE],
        "objects": {"occupied": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": arcs_of_polygon}]}},
    }


@pytest.mark.parametrize("index", [1, 7, -2, 10**9])
def test_a_topojson_arc_index_out_of_range_is_refused(tmp_path, index):
    """Issue 24, item 5: the bad arcs were dropped silently."""
    path = _write(tmp_path / "m.topojson", _topology([[index]]))
    _refusal(path, f"object 'occupied' refers to arc {index}, but the topology has 1 arcs", "expected a TopoJSON whose arcs are all present")


@pytest.mark.parametrize("index", [0, -1])  # -1 is arc 0 reversed
def test_a_topojson_arc_index_in_range_is_read(tmp_path, index):
    assert read_control_file(_write(tmp_path / "m.topojson", _topology([[index]])), as_of=None).polygon.equals(shapely.Polygon(SQUARE))


def test_the_fixture_topology_with_one_arc_index_bumped_is_refused(control_format_files, tmp_path):
    source, _ = control_format_files["topojson"]
    topology = json.loads(source.read_text())
    geometry = topology["objects"]["occupied"]["geometries"][0]
    geometry["arcs"][0][0][0] = len(topology["arcs"])  # one past the last arc
    _refusal(_write(tmp_path / "bumped.topojson", topology), f"refers to arc {len(topology['arcs'])}")


@pytest.mark.parametrize("transform", [{"scale": [1, 1]}, {"scale": [1, "x"], "translate": [0, 0]}, {"scale": [float("nan"), 1], "translate": [0, 0]}])
def test_a_topojson_transform_that_is_not_two_pairs_of_numbers_is_refused(tmp_path, transform):
    _refusal(_write(tmp_path / "m.topojson", {**_topology([[0]]), "transform": transform}), '"transform"')


# --- caps --------------------------------------------------------------------------------------------


def _many_parts(count: int) -> dict:
    """A MultiPolygon of ``count`` squares of 0.004° (about 0.13 km²) on a grid over the
    occupied south-east, as the issue's 11 MB file of 100,000 parts."""
    side = int(count**0.5) + 1
    parts = []
    for i in range(count):
        x, y = round(34 + 5 * (i % side) / side, 4), round(46.6 + 2.4 * (i // side) / side, 4)
        parts.append([[[x, y], [round(x + 0.004, 4), y], [round(x + 0.004, 4), round(y + 0.004, 4)], [x, round(y + 0.004, 4)], [x, y]]])
    return _collection({"type": "MultiPolygon", "coordinates": parts})


@pytest.mark.slow  # seconds of work (an 11 MB file written, parsed and refused) and a time bound: not in the fast subset
def test_100000_parts_are_refused_within_seconds_from_the_cli(runner, tmp_path):
    """Issue 24, item 6: a MultiPolygon of 100,000 tiny parts (11 MB) ran past 150 s."""
    path = _write(tmp_path / "parts.geojson", _many_parts(100_000))
    assert 9e6 < path.stat().st_size < 13e6  # about the 11 MB
    # CPU seconds of this process (the refusal runs in it): other jobs on a shared machine
    # lengthen the wall time (6 to 10 s at a load average of 7 to 12) but not the work done.
    start = time.process_time()
    result = runner.invoke(cli, ["-q", "report", "--control", str(path), "--date", "2025-11-20", "--format", "json"])
    seconds = time.process_time() - start
    assert result.exit_code == 1, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"holds more than {control_formats.MAX_CONTROL_POLYGONS:,} polygons" in result.stderr
    assert seconds < REFUSAL_SECONDS, seconds


def test_too_many_vertices_are_refused_while_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(control_formats, "MAX_CONTROL_VERTICES", 9)
    _refusal(_write(tmp_path / "m.geojson", _collection(*[{"type": "Polygon", "coordinates": [SQUARE]}] * 2)), "holds more than 9 vertices")
    # TopoJSON: each reference to an arc counts its vertices (one arc of 5 drawn twice is 10)
    _refusal(_write(tmp_path / "m.topojson", _topology([[0], [-1]])), "holds more than 9 vertices")
    assert read_control_file(_write(tmp_path / "ok.topojson", _topology([[0]])), as_of=None)


def test_too_many_parts_in_other_formats_are_refused_before_geometry_work(tmp_path, monkeypatch):
    """Formats GDAL parses are counted once read, before any validity check or union."""
    import geopandas as gpd

    squares = [shapely.box(37 + i * 0.01, 48, 37.005 + i * 0.01, 48.005) for i in range(30)]
    gpd.GeoDataFrame(geometry=[shapely.MultiPolygon(squares)], crs=4326).to_file(tmp_path / "m.fgb")
    monkeypatch.setattr(control_formats, "MAX_CONTROL_POLYGONS", 20)
    monkeypatch.setattr("peacemap.layers.sources.control_file.shapely.union_all", None)  # would fail if reached
    _refusal(tmp_path / "m.fgb", "holds 30 polygons with 150 vertices", "at most 500,000 vertices and 20 polygons")
