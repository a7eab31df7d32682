"""Hostile control files (issue 20, items 1 and 11, and the file's name): each is either read into a
finite polygon over Ukraine or refused with one line, and its name is shown printable."""

import hashlib
import json
import logging
import os
import threading
import warnings

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box

from peacemap.cli.main import cli
from peacemap.layers.control.resolve import ControlFile, resolve_control
from peacemap.layers.errors import ControlFileError, PeacemapError
from peacemap.layers.plans.model import load_plan
from peacemap.layers.sources.control_file import read_control_file
from peacemap.layers.text import printable

SQUARE = [[37.5, 48.0], [38.0, 48.0], [38.0, 48.5], [37.5, 48.5], [37.5, 48.0]]  # over Donetsk, lon/lat


def _geojson(path, *geometries, crs=None):
    document = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": g} for g in geometries]}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(document))  # json writes float("nan") as NaN, as the file had
    return path


def _polygon(ring=SQUARE):
    return {"type": "Polygon", "coordinates": [ring]}


def _refusal(path, *needles, **kwargs):
    with pytest.raises(ControlFileError) as info:
        read_control_file(path, as_of=None, **kwargs)
    message = str(info.value)
    assert "\n" not in message, message
    assert "\r" not in message, message
    for needle in needles:
        assert needle in message, message
    return message


# ---------------------------------------------------------------------------------------------
# Item 1: coordinates must be finite; geometry kinds


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")], ids=["nan", "inf", "-inf"])
def test_a_coordinate_that_is_not_finite_is_refused(tmp_path, bad):
    """Issue 20 item 1: a NaN vertex passed the Ukraine box check (NaN compares false) and the
    repair reported "area change nan%"."""
    ring = [list(p) for p in SQUARE]
    ring[2][0] = bad
    message = _refusal(_geojson(tmp_path / "bad.geojson", _polygon(ring)), "not finite")
    assert "bad.geojson" in message


def test_an_infinite_coordinate_in_a_geopackage_is_refused(tmp_path):
    path = tmp_path / "inf.gpkg"
    gpd.GeoDataFrame(geometry=[Polygon([(37.5, 48.0), (np.inf, 48.0), (38.0, 48.5)])], crs=4326).to_file(path)
    _refusal(path, "not finite")


def test_huge_coordinates_in_a_projected_crs_are_refused(tmp_path):
    # Web-Mercator metres far beyond the projection's domain become infinite in lon/lat.
    path = tmp_path / "huge.gpkg"
    gpd.GeoDataFrame(geometry=[box(4e300, 6e300, 5e300, 7e300)], crs=3857).to_file(path)
    _refusal(path, "huge.gpkg")


@pytest.mark.parametrize("scale", [1e300, 1e-300], ids=["huge", "tiny"])
def test_huge_and_tiny_lonlat_coordinates_are_outside_ukraine(tmp_path, scale):
    ring = [[x * scale, y * scale] for x, y in SQUARE]
    _refusal(_geojson(tmp_path / "far.geojson", _polygon(ring)), "outside Ukraine")


def test_a_polygon_without_area_is_refused(tmp_path):
    flat = [[37.5, 48.0], [38.0, 48.0], [38.5, 48.0], [37.5, 48.0]]
    _refusal(_geojson(tmp_path / "flat.geojson", _polygon(flat)), "without area")


def test_only_empty_geometries_are_refused(tmp_path):
    path = _geojson(tmp_path / "empty.geojson", {"type": "Polygon", "coordinates": []}, {"type": "GeometryCollection", "geometries": []})
    _refusal(path, "has no polygons")


def test_mixed_geometry_kinds_keep_the_polygons(tmp_path, caplog):
    path = tmp_path / "mixed.gpkg"
    gpd.GeoDataFrame(geometry=[Polygon(SQUARE), Point(37.0, 48.0), LineString([(36, 47), (37, 47)])], crs=4326).to_file(path)
    with caplog.at_level(logging.WARNING, logger="peacemap"):
        snapshot = read_control_file(path, as_of=None)
    assert snapshot.polygon.equals(Polygon(SQUARE))
    assert any("not polygons" in r.getMessage() and "Point" in r.getMessage() for r in caplog.records)


def test_only_points_and_lines_are_refused(tmp_path):
    path = _geojson(tmp_path / "lines.geojson", {"type": "Point", "coordinates": [37.5, 48.0]}, {"type": "LineString", "coordinates": SQUARE})
    _refusal(path, "has no polygons", "LineString", "Point")


def test_polygons_inside_geometry_collections_are_read(tmp_path):
    """A GeometryCollection holding polygons (nested too) was refused as "no polygons"."""
    other = [[x + 1.0, y] for x, y in SQUARE]
    collection = {
        "type": "GeometryCollection",
        "geometries": [
            {"type": "Point", "coordinates": [37.0, 48.0]},
            _polygon(),
            {"type": "GeometryCollection", "geometries": [{"type": "MultiPolygon", "coordinates": [[other]]}]},
        ],
    }
    snapshot = read_control_file(_geojson(tmp_path / "collection.geojson", collection), as_of=None)
    assert snapshot.polygon.equals(shapely.union(Polygon(SQUARE), Polygon(other)))


# ---------------------------------------------------------------------------------------------
# Item 11: only regular files; a file with several layers needs one chosen


def test_a_fifo_is_refused_without_blocking(tmp_path):
    """Issue 20 item 11: a FIFO given as --control blocked for ever on open()."""
    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    outcome = []
    reader = threading.Thread(target=lambda: outcome.append(_outcome(fifo)), daemon=True)
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():  # unblock the reader, so that the test fails instead of hanging
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a FIFO blocked")
    assert isinstance(outcome[0], ControlFileError), outcome
    assert "FIFO" in str(outcome[0]), outcome


def _outcome(path):
    try:
        return read_control_file(path, as_of=None)
    except Exception as error:  # the test checks which
        return error


def test_a_folder_is_refused(tmp_path):
    (tmp_path / "folder.geojson").mkdir()
    _refusal(tmp_path / "folder.geojson", "folder", "not a regular file")


def test_a_device_is_refused(tmp_path):
    device = tmp_path / "zero.geojson"
    device.symlink_to("/dev/zero")  # reading /dev/zero never ends
    _refusal(device, "character device", "not a regular file")


def test_a_missing_file_is_refused(tmp_path):
    _refusal(tmp_path / "absent.geojson", "absent.geojson", "does not exist")


@pytest.fixture
def two_layers(tmp_path):
    path = tmp_path / "two.gpkg"
    gpd.GeoDataFrame(geometry=[box(30.0, 50.0, 30.5, 50.5)], crs=4326).to_file(path, layer="held")
    gpd.GeoDataFrame(geometry=[Polygon(SQUARE)], crs=4326).to_file(path, layer="occupied")
    return path


def test_a_file_with_several_layers_needs_one_chosen(two_layers):
    """Issue 20 item 11: only the first layer was read, with a raw UserWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _refusal(two_layers, "2 layers", "'held'", "'occupied'", "--control-layer")


def test_the_chosen_layer_is_read_and_named(two_layers):
    snapshot = read_control_file(two_layers, as_of=None, layer="occupied")
    assert snapshot.polygon.equals(Polygon(SQUARE))
    assert "layer occupied" in snapshot.label


def test_an_unknown_layer_is_refused_with_the_layers(two_layers):
    _refusal(two_layers, "no layer 'front'", "'held'", "'occupied'", layer="front")


def test_resolve_control_takes_the_layer_with_the_file(two_layers):
    plan = load_plan("plan28")
    snapshot = resolve_control(None, ControlFile(two_layers, "occupied"), default_date=plan.date)
    assert snapshot.polygon.equals(Polygon(SQUARE))
    assert snapshot.as_of == plan.date


class _Reached(PeacemapError):
    pass


def test_control_layer_reaches_the_control_file_from_the_cli(runner, two_layers, monkeypatch, tmp_path):
    # Stop right after the control is read: its label shows which layer the CLI asked for.
    def stop(plan, control, **kwargs):
        raise _Reached(f"read {control.label}")

    monkeypatch.setattr("peacemap.layers.plans.apply.build_plan_layers", stop)
    result = runner.invoke(cli, ["-q", "layers", "--control", str(two_layers), "--control-layer", "occupied", "-o", str(tmp_path / "out.geojson")])
    assert result.exit_code == 1, result.output
    assert "read control file two.gpkg, layer occupied" in result.stderr, result.output


def test_several_layers_without_control_layer_is_one_line_from_the_cli(runner, two_layers, tmp_path):
    result = runner.invoke(cli, ["-q", "layers", "--control", str(two_layers), "-o", str(tmp_path / "out.geojson")])
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "--control-layer" in result.stderr, result.stderr


def test_control_layer_without_control_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(cli, ["layers", "--control-layer", "occupied", "-o", str(tmp_path / "out.geojson")])
    assert result.exit_code == 2
    assert "--control-layer needs --control" in result.stderr


# ---------------------------------------------------------------------------------------------
# The file's name is untrusted; its sha256 is kept in full


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\r", "\n", "\t", "\x7f", "\u202e", "\u2028"], ids=["ESC", "BEL", "CR", "LF", "TAB", "DEL", "RLO", "LSEP"])
def test_control_characters_in_the_name_are_escaped_in_the_label(tmp_path, char):
    name = f"map{char}[2J.geojson"
    snapshot = read_control_file(_geojson(tmp_path / name, _polygon()), as_of=None)
    for text in (snapshot.label, snapshot.attribution):
        assert char not in text, repr(text)
        assert text.isprintable(), repr(text)
        assert f"map{printable(char)}[2J.geojson" in text
    assert printable(char) == repr(char)[1:-1]  # shown as Python writes it, e.g. \x1b


def test_control_characters_in_the_name_are_escaped_in_refusals(tmp_path):
    path = _geojson(tmp_path / "evil\x1b]0;title\x07\n.geojson", {"type": "Point", "coordinates": [37.5, 48.0]})
    message = _refusal(path, "has no polygons", r"evil\x1b]0;title\x07\n.geojson")
    assert message.isprintable()


def test_printable_keeps_printable_text_and_shows_undecodable_bytes():
    assert printable("Донецьк, UA-14 (2025-11-20) «ok»") == "Донецьк, UA-14 (2025-11-20) «ok»"
    assert printable(os.fsdecode(b"map\xff.geojson")) == r"map\xff.geojson"
    assert printable("\x00\U000e0041") == r"\x00\U000e0041"


def test_the_snapshot_keeps_the_full_sha256(tmp_path):
    path = _geojson(tmp_path / "control.geojson", _polygon())
    snapshot = read_control_file(path, as_of=None)
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    assert snapshot.sha256 == expected
    assert f"sha256 {expected[:12]}…" in snapshot.label
    assert expected not in snapshot.label


# ---------------------------------------------------------------------------------------------
# Issue 17 item 6: control files checked for sense; --control-means held

KYIV = box(30.2, 50.2, 30.9, 50.7)  # around Kyiv city (centre 30.52 E, 50.45 N)
COUNTRY = box(31.0, 45.0, 39.0, 51.0)  # a made-up country east of Kyiv, for shares


def _gpkg(path, geometry):
    gpd.GeoDataFrame(geometry=[geometry], crs=4326).to_file(path, layer="control")
    return path


def test_a_polygon_covering_kyiv_is_refused_as_held_territory(tmp_path):
    path = _gpkg(tmp_path / "held.gpkg", KYIV)
    _refusal(path, "covers Kyiv city", "looks like held rather than occupied territory", "--control-means held")


def test_a_polygon_covering_more_than_half_of_ukraine_is_refused(tmp_path):
    most = _gpkg(tmp_path / "most.gpkg", box(31.0, 45.0, 36.0, 51.0))  # 5/8 of COUNTRY's width
    message = _refusal(most, "more than half of Ukraine's land", "--control-means held", country=COUNTRY)
    assert "km²" in message
    some = _gpkg(tmp_path / "some.gpkg", box(31.0, 45.0, 33.0, 51.0))  # a quarter
    assert read_control_file(some, as_of=None, country=COUNTRY).polygon.equals(box(31.0, 45.0, 33.0, 51.0))


def test_without_a_country_the_share_is_of_the_official_area(tmp_path):
    # 31-40 E, 44.4-52.4 N covers about 660,000 km², more than Ukraine's 603,628 (and not Kyiv).
    _refusal(_gpkg(tmp_path / "east.gpkg", box(31.0, 44.4, 40.0, 52.4)), "more than half of Ukraine's land")


def test_a_held_file_is_read_as_the_rest_of_the_country(tmp_path):
    held = box(31.0, 45.0, 37.0, 51.0)
    snapshot = read_control_file(_gpkg(tmp_path / "held.gpkg", held), as_of=None, means="held", country=COUNTRY)
    assert snapshot.polygon.equals(box(37.0, 45.0, 39.0, 51.0))
    assert "held area (occupied: the rest of Ukraine)" in snapshot.label


def test_an_occupied_file_read_as_held_is_refused(tmp_path):
    country = box(22.2, 44.4, 40.2, 52.3)  # holds Kyiv
    _refusal(
        _gpkg(tmp_path / "occupied.gpkg", Polygon(SQUARE)),
        "read as held territory leaves Kyiv city occupied",
        "drop --control-means held",
        means="held",
        country=country,
    )
    _refusal(_gpkg(tmp_path / "all.gpkg", box(22.0, 44.0, 40.5, 52.5)), "covers all of Ukraine", means="held", country=country)


def test_control_means_without_control_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(cli, ["layers", "--control-means", "held", "-o", str(tmp_path / "out.geojson")])
    assert result.exit_code == 2
    assert "--control-means needs --control" in result.stderr


def test_control_means_reaches_the_control_file_from_the_cli(runner, monkeypatch, tmp_path):
    seen = {}

    def read(path, **kwargs):
        seen.update(kwargs)
        raise _Reached("read")

    monkeypatch.setattr("peacemap.layers.sources.control_file.read_control_file", read)
    monkeypatch.setattr("peacemap.layers.control.resolve.ukraine_land", lambda: COUNTRY)
    path = _gpkg(tmp_path / "held.gpkg", KYIV)
    result = runner.invoke(cli, ["-q", "layers", "--control", str(path), "--control-means", "held", "-o", str(tmp_path / "o.gpkg")])
    assert result.exit_code == 1
    assert "read" in result.stderr
    country = seen["country"]  # Ukraine's land, or the function that gives it once the file is read
    assert seen["means"] == "held"
    assert (country() if callable(country) else country) is COUNTRY


@pytest.fixture(scope="module")
def deepstate_held_file(regions, tmp_path_factory):
    """The Ukrainian-held area on 2025-11-20 as a user might export it: Ukraine's region land
    minus DeepState's occupied polygon of that day (GeoPackage: coordinates kept exactly)."""
    import datetime as dt

    from peacemap.layers.control.resolve import ukraine_land
    from peacemap.layers.sources.deepstate import deepstate_control

    held = ukraine_land().difference(deepstate_control(dt.date(2025, 11, 20)).polygon)
    return _gpkg(tmp_path_factory.mktemp("held") / "ukraine-held-2025-11-20.gpkg", held)


def test_a_held_area_file_is_refused_with_the_hint_from_the_cli(runner, deepstate_held_file, tmp_path):
    # Before: the file was taken as occupied, and the 28-point plan then "gave up 74,114 km²".
    result = runner.invoke(
        cli, ["-q", "report", "--control", str(deepstate_held_file), "--date", "2025-11-20", "--format", "json", "-o", str(tmp_path / "r.json")]
    )
    assert result.exit_code == 1
    assert not (tmp_path / "r.json").exists()
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "covers Kyiv city" in lines[0], result.stderr
    assert "--control-means held" in lines[0], result.stderr


def test_a_held_area_file_read_as_held_gives_deepstates_report(deepstate_held_file, plan28_report, zone_population_memo):
    from peacemap.layers.plans.apply import build_plan_layers
    from peacemap.layers.report.figures import build_report

    plan = load_plan("plan28")
    snapshot = resolve_control(None, ControlFile(deepstate_held_file, means="held"), default_date=plan.date)
    report = build_report(build_plan_layers(plan, snapshot), zone_population_memo)
    for key in ("regions", "totals", "headline", "ukraine_area_km2", "date"):
        assert report[key] == plan28_report[key], key
    control = next(source for source in report["sources"] if source["id"] == "control")
    assert control["sha256"] == hashlib.sha256(deepstate_held_file.read_bytes()).hexdigest()  # in full


# ---------------------------------------------------------------------------------------------
# Issue 24: control maps that cannot mean what they claim; layers without geometry; layer names

SEA = box(33.0, 43.6, 34.5, 44.2)  # the Black Sea south of Crimea
RUSSIA = box(39.3, 50.6, 41.0, 51.4)  # Voronezh oblast, east of Luhansk oblast
SMALL = box(37.70, 48.20, 37.80, 48.26)  # about 50 km² near Donetsk


@pytest.fixture(scope="module")
def ukraine():
    from peacemap.layers.control.resolve import ukraine_land

    return ukraine_land()


@pytest.mark.parametrize("off_land", [SEA, RUSSIA], ids=["sea", "russia"])
def test_a_polygon_off_ukraines_land_is_refused(tmp_path, ukraine, off_land):
    """Issue 24, item 5: a polygon in the sea or in Russia was accepted without a word, and the
    28-point plan then "gave up 80,452 km²", all of Crimea included."""
    assert off_land.intersection(ukraine).area == 0  # the premise: no Ukrainian land at all
    path = _gpkg(tmp_path / "off.gpkg", off_land)
    _refusal(path, "leaves none of Ukraine's land occupied", "in the sea, in Russia", "--control-allow-small", country=ukraine)
    assert read_control_file(path, as_of=None, country=ukraine, allow_small=True).polygon.equals(off_land)


def test_a_polygon_over_less_than_1000_km2_of_land_is_refused_unless_meant(tmp_path, ukraine):
    from peacemap.geo.area import geodesic_area_km2

    area_km2 = geodesic_area_km2(SMALL)
    assert 40 < area_km2 < 60  # the premise
    path = _gpkg(tmp_path / "small.gpkg", SMALL)
    _refusal(path, f"leaves only {area_km2:,.0f} km² of Ukraine's land occupied (less than 1,000 km²)", country=ukraine)
    assert read_control_file(path, as_of=None, country=ukraine, allow_small=True).polygon.equals(SMALL)
    _refusal(path, "less than 1,000 km²")  # without a country: the polygon's own area


def test_a_held_file_that_leaves_almost_nothing_occupied_is_refused(tmp_path, ukraine):
    path = _gpkg(tmp_path / "held.gpkg", ukraine.difference(SMALL))
    _refusal(path, "read as held territory leaves only", "--control-allow-small", means="held", country=ukraine)
    occupied = read_control_file(path, as_of=None, means="held", country=ukraine, allow_small=True).polygon
    assert occupied.symmetric_difference(SMALL).area < 1e-6


def test_a_polygon_in_the_sea_is_one_line_from_the_cli(runner, tmp_path):
    result = runner.invoke(cli, ["-q", "report", "--control", str(_gpkg(tmp_path / "sea.gpkg", SEA)), "--date", "2025-11-20", "--format", "json"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert "leaves none of Ukraine's land occupied" in result.stderr
    assert "--control-allow-small" in result.stderr


def test_control_allow_small_reaches_the_reader_from_the_cli(runner, monkeypatch, tmp_path):
    seen = {}

    def read(path, **kwargs):
        seen.update(kwargs)
        raise _Reached("read")

    monkeypatch.setattr("peacemap.layers.sources.control_file.read_control_file", read)
    path = _gpkg(tmp_path / "small.gpkg", SMALL)
    result = runner.invoke(cli, ["-q", "layers", "--control", str(path), "--control-allow-small", "-o", str(tmp_path / "o.gpkg")])
    assert result.exit_code == 1
    assert seen["allow_small"] is True
    seen.clear()
    result = runner.invoke(cli, ["-q", "control", "compare", "deepstate:2025-11-20", str(path), "--allow-small-b"])
    assert result.exit_code == 1
    assert seen["allow_small"] is True


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["layers", "--control-allow-small", "-o", "o.gpkg"], "--control-allow-small needs --control"),
        (["control", "compare", "deepstate:2025-11-20", "--allow-small-a"], "--allow-small-a needs A to be a control file"),
    ],
)
def test_allow_small_without_a_file_is_a_usage_error(runner, tmp_path, monkeypatch, args, needle):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.stderr
    assert needle in result.stderr, result.stderr


def test_a_layer_without_geometry_is_one_line(tmp_path):
    """Issue 24, item 7: a GeoPackage attribute table gave AttributeError."""
    import pandas as pd
    import pyogrio

    path = _gpkg(tmp_path / "tables.gpkg", Polygon(SQUARE))
    pyogrio.write_dataframe(pd.DataFrame({"note": ["assessed"]}), path, layer="notes")
    _refusal(path, "layer 'notes' has no geometry", "expected a layer of polygons", layer="notes")


def test_a_layer_is_named_after_the_file_not_pyogrios_copy(tmp_path):
    """Issue 24, item 8: a GeoJSON without a "name" was called pyogrio_<hex> in refusals."""
    path = tmp_path / "analysts map.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"category": "Assessed"}, "geometry": _polygon()}]})
    )
    message = _refusal(path, "selects no feature of layer 'analysts map'", "category ('Assessed')", where="category = 'Claimed'")
    assert "pyogrio" not in message
    message = _refusal(path, "has no layer 'other'", "its layers: 'analysts map'", layer="other")
    assert "pyogrio" not in message
    assert read_control_file(path, as_of=None, layer="analysts map").layer == "analysts map"
