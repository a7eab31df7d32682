"""Control maps in the forms people have them (issue 14): every format `--control` reads gives
DeepState's own figures when it holds DeepState's polygon, `--control-layer` and
`--control-where` pick the occupied land out of an analyst's file, and every refusal is one line.

The files are made inside the tests (conftest ``control_format_files``) from DeepState's snapshot
of 2025-11-20, converted with pyogrio; no third-party control map is committed. The reference is
DeepState's own report of that day (conftest ``plan28_report``), read through the DeepState
reader (GEOS's GeoJSON parser), not through GDAL.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from peacemap.cli.main import cli
from peacemap.layers.control.resolve import ControlFile
from peacemap.layers.errors import ControlFileError
from peacemap.layers.plans.apply import apply_plan, build_control_layers
from peacemap.layers.plans.model import load_plan
from peacemap.layers.report.figures import build_report
from peacemap.layers.report.render import report_markdown
from peacemap.layers.sources import control_content, control_formats
from peacemap.layers.sources.control_file import read_control_file

KM2_TOLERANCE = 0.1  # per region and status: the bar
# Read through the CLI in the acceptance test (with population); the others through the library.
ACCEPTANCE = ("kmz", "zip-3857", "shp", "fgb", "topojson")
LIBRARY = ("kml", "zip-3857-categories", "gpkg-layers", "geojson-legacy-crs", "kmz-folders", "topojson-layers")
ASSESSED_WHERE = "category = 'Assessed Russian control'"


def _zone_areas(report):
    return {(region["code"], zone["status"]): zone["area_km2"] for region in report["regions"] for zone in region["zones"]}


def _assert_same_areas(report, reference):
    ours, theirs = _zone_areas(report), _zone_areas(reference)
    assert ours.keys() == theirs.keys()
    worst = max(ours, key=lambda key: abs(ours[key] - theirs[key]))
    assert abs(ours[worst] - theirs[worst]) <= KM2_TOLERANCE, (worst, ours[worst], theirs[worst])
    for measure, figures in reference["headline"].items():
        assert abs(report["headline"][measure]["area_km2"] - figures["area_km2"]) <= KM2_TOLERANCE, measure


def test_the_fixture_covers_every_format_and_case(control_format_files):
    assert set(control_format_files) == {*ACCEPTANCE, *LIBRARY}
    suffixes = {path.suffix for path, _ in control_format_files.values()}
    assert suffixes == set(control_formats.SUFFIXES) - {".json"}  # .json is GeoJSON's second suffix


@pytest.mark.parametrize("case", LIBRARY)
def test_every_format_gives_deepstates_figures(control_format_files, plan28_report, regions, case):
    path, options = control_format_files[case]
    snapshot = read_control_file(path, as_of=None, **options)
    layers = apply_plan(load_plan("plan28"), build_control_layers(snapshot, regions=regions))
    report = build_report(layers, None)  # areas; population is the same function of the same zones
    _assert_same_areas(report, plan28_report)
    control = next(source for source in report["sources"] if source["id"] == "control")
    assert control["sha256"] == snapshot.sha256
    assert (control.get("layer"), control.get("where")) == (options.get("layer"), options.get("where"))


@pytest.mark.parametrize("case", ACCEPTANCE)
def test_report_with_each_format_equals_deepstates(runner, control_format_files, plan28_report, case):
    """Acceptance: `peacemap report --plan plan28 --control X --date 2025-11-20` for a KMZ, a
    zipped shapefile in EPSG:3857, a bare .shp, a FlatGeobuf and a TopoJSON."""
    path, _ = control_format_files[case]
    result = runner.invoke(cli, ["-q", "report", "--plan", "plan28", "--control", str(path), "--date", "2025-11-20", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    _assert_same_areas(report, plan28_report)
    for measure, figures in plan28_report["headline"].items():  # 2022 population: the same to the person
        assert report["headline"][measure]["population_2022"] == figures["population_2022"], measure
    control = next(source for source in report["sources"] if source["id"] == "control")
    assert control["name"].startswith(f"control file {path.name}")
    assert control["date"] == "2025-11-20"
    assert control["sha256"] in (hashlib.sha256(path.read_bytes()).hexdigest(), _shapefile_listing_sha256(path))


def _shapefile_listing_sha256(path):
    """What `sha256sum x.cpg x.dbf x.prj x.shp x.shx | sha256sum` prints (docs/howto/own-control-map.md)."""
    parts = sorted(p for p in path.parent.iterdir() if p.stem == path.stem and p.suffix in control_formats.SHAPEFILE_PARTS)
    listing = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in parts)
    return hashlib.sha256(listing.encode()).hexdigest()


def test_a_bare_shapefile_is_named_with_its_parts_and_their_sha256(control_format_files):
    path, _ = control_format_files["shp"]
    snapshot = read_control_file(path, as_of=None)
    assert snapshot.sha256 == _shapefile_listing_sha256(path)
    assert "occupied.shp with its .cpg, .dbf, .prj, .shx" in snapshot.label


def test_a_zip_names_its_shapefiles_as_layers(control_format_files):
    path, options = control_format_files["zip-3857-categories"]
    message = _refusal(path, "2 layers", "'areas'", "'towns'", "--control-layer")
    assert "__MACOSX" not in message
    assert "README" not in message
    snapshot = read_control_file(path, as_of=None, **options)
    assert "layer areas, features where category = 'Assessed Russian control'" in snapshot.label


# --- --control-where --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["zip-3857-categories", "gpkg-layers", "geojson-legacy-crs", "topojson-layers"])
def test_without_the_condition_every_category_counts(control_format_files, case):
    path, options = control_format_files[case]
    everything = read_control_file(path, as_of=None, layer=options.get("layer")).polygon
    assessed = read_control_file(path, as_of=None, **options).polygon
    extra = everything.difference(assessed)
    assert extra.area > 0.01  # the claimed area and the advance (deg²)
    assert extra.contains(shapely.Point(35.15, 47.85))  # Zaporizhzhia city: "claimed", not occupied


@pytest.mark.parametrize("case", ["geojson-legacy-crs", "gpkg-layers", "zip-3857-categories", "kmz-folders"])
@pytest.mark.parametrize(
    ("where", "needle"),
    [
        ("categry = 'x'", '"categry" not recognised as an available field'),
        ("category = ", "syntax error"),
        ("category = 'Assessed' AND", "syntax error"),
    ],
)
def test_an_invalid_condition_is_one_line_naming_it_and_the_fields(control_format_files, case, where, needle):
    path, options = control_format_files[case]
    message = _refusal(path, f'--control-where "{where}"', "not a valid OGR SQL condition", needle, "category", layer=options.get("layer"), where=where)
    assert message.isprintable()


def test_a_condition_that_selects_nothing_lists_the_values(control_format_files):
    path, _options = control_format_files["gpkg-layers"]
    _refusal(
        path,
        "selects no feature of layer 'areas'",
        "category ('Assessed Russian control', 'Claimed Russian control', 'Russian advances')",
        layer="areas",
        where="category = 'Occupied'",
    )


def test_a_condition_picking_points_only_is_refused_as_no_polygons(control_format_files):
    path, _ = control_format_files["zip-3857-categories"]
    _refusal(path, "has no polygons", "Point", layer="towns", where="name = 'Kramatorsk'")


def test_control_where_reaches_the_report_and_its_sources(runner, control_format_files, monkeypatch):
    """Through the CLI: the filter is named beside the file and its sha256 (the report's control
    label and sources entry); the population model is left out here (tested above)."""
    monkeypatch.setattr("peacemap.layers.population.model.zone_population", None)
    path, options = control_format_files["zip-3857-categories"]
    result = runner.invoke(
        cli,
        ["-q", "report", "--control", str(path), "--control-layer", "areas", "--control-where", options["where"], "--date", "2025-11-20", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    label = report["control_snapshot"]
    assert "analysts-3857.zip, layer areas, features where category = 'Assessed Russian control' (sha256 " in label
    assert label.endswith(", as of 2025-11-20 (date vouched for, not checked)")
    control = next(source for source in report["sources"] if source["id"] == "control")
    assert control["where"] == options["where"]
    assert control["layer"] == "areas"
    assert control["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    markdown = report_markdown(report)  # item 3: the report states which file, filter, sha256 and date
    assert f"; layer areas; features where {options['where']}; sha256 {control['sha256']}" in markdown, markdown
    assert "as of 2025-11-20 (date vouched for, not checked): user-supplied control file analysts-3857.zip" in markdown, markdown


def test_control_where_without_control_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(cli, ["report", "--control-where", "a = 1"])
    assert result.exit_code == 2
    assert "--control-where needs --control" in result.stderr


def test_an_empty_condition_is_a_usage_error(runner, control_format_files):
    path, _ = control_format_files["fgb"]
    result = runner.invoke(cli, ["report", "--control", str(path), "--control-where", "  "])
    assert result.exit_code == 2
    assert "--control-where" in result.stderr
    assert "empty condition" in result.stderr


def test_an_invalid_condition_from_the_cli_is_one_line(runner, control_format_files):
    path, _ = control_format_files["geojson-legacy-crs"]
    result = runner.invoke(cli, ["-q", "report", "--control", str(path), "--control-where", "category ==="])
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "not a valid OGR SQL condition" in result.stderr, result.stderr


# --- refusals ------------------------------------------------------------------------------------


def _refusal(path, *needles, **kwargs):
    with pytest.raises(ControlFileError) as info:
        read_control_file(path, as_of=None, **kwargs)
    message = str(info.value)
    assert "\n" not in message, message
    for needle in needles:
        assert needle in message, message
    return message


def test_an_unknown_extension_lists_the_formats(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("x")
    _refusal(path, "unsupported extension '.csv'", "TopoJSON", "ESRI shapefile", "FlatGeobuf", ".zip", ".fgb")


@pytest.mark.parametrize("missing", [".shx", ".dbf"])
def test_a_bare_shapefile_needs_its_parts(control_format_files, tmp_path, missing):
    source, _ = control_format_files["shp"]
    for part in source.parent.glob(f"{source.stem}.*"):
        if part.suffix != missing:
            (tmp_path / part.name).write_bytes(part.read_bytes())
    _refusal(tmp_path / source.name, f"has no {missing} beside it", ".prj")


def test_a_shapefile_without_prj_declares_no_crs(control_format_files, tmp_path):
    source, _ = control_format_files["shp"]
    for part in source.parent.glob(f"{source.stem}.*"):
        if part.suffix != ".prj":
            (tmp_path / part.name).write_bytes(part.read_bytes())
    _refusal(tmp_path / source.name, "declares no CRS", "a shapefile declares its CRS in a .prj")


def test_a_sidecar_that_is_not_a_regular_file_is_refused(control_format_files, tmp_path):
    source, _ = control_format_files["shp"]
    for part in source.parent.glob(f"{source.stem}.*"):
        if part.suffix != ".dbf":
            (tmp_path / part.name).write_bytes(part.read_bytes())
    (tmp_path / f"{source.stem}.dbf").symlink_to("/dev/zero")  # reading it would never end
    _refusal(tmp_path / source.name, "occupied.dbf", "character device", "not a regular file")


def test_upper_case_parts_are_found(control_format_files, tmp_path):
    source, _ = control_format_files["shp"]
    for part in source.parent.glob(f"{source.stem}.*"):
        (tmp_path / f"MAP{part.suffix.upper()}").write_bytes(part.read_bytes())
    assert read_control_file(tmp_path / "MAP.SHP", as_of=None).polygon.equals(read_control_file(source, as_of=None).polygon)


def test_flatgeobuf_without_a_crs_is_refused(tmp_path):
    path = tmp_path / "no-crs.fgb"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio's warning that the file will have no CRS: the point here
        gpd.GeoDataFrame(geometry=[shapely.box(37.5, 48.0, 38.0, 48.5)]).to_file(path)
    _refusal(path, "declares no CRS")


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_without_a_shapefile_is_refused(tmp_path):
    _refusal(_zip(tmp_path / "map.zip", {"map.geojson": b"{}"}), "holds no shapefile (.shp)", "expected a .zip holding an ESRI shapefile")


def test_a_zipped_shapefile_without_its_dbf_is_refused(control_format_files, tmp_path):
    source, _ = control_format_files["shp"]
    members = {part.name: part.read_bytes() for part in source.parent.glob(f"{source.stem}.*") if part.suffix != ".dbf"}
    _refusal(_zip(tmp_path / "map.zip", members), "shapefile 'occupied' has no .dbf beside it in the zip")


@pytest.mark.parametrize("suffix", [".zip", ".kmz"])
def test_a_file_that_is_not_a_zip_is_refused(tmp_path, suffix):
    path = tmp_path / f"map{suffix}"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    _refusal(path, "is not a readable zip archive")


def test_a_kmz_without_a_kml_document_is_refused(tmp_path):
    _refusal(_zip(tmp_path / "map.kmz", {"image.png": b"\x89PNG"}), "holds no KML document")


def test_a_zip_that_decompresses_too_far_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(control_formats, "MAX_UNZIPPED_BYTES", 10_000)
    _refusal(_zip(tmp_path / "bomb.zip", {"a.shp": b"\0" * 20_000}), "once decompressed", "expected a .zip")


def test_a_zip_with_too_many_files_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(control_formats, "MAX_ZIP_MEMBERS", 5)
    _refusal(_zip(tmp_path / "many.zip", {f"f{i}.txt": b"" for i in range(6)}), "holds 6 files")


def test_a_member_larger_than_declared_is_refused(tmp_path):
    """A zip bomb can declare small sizes: what is decompressed stops at the declared size and
    fails its CRC check, so no more than declared is ever decompressed."""
    path = _zip(tmp_path / "liar.zip", {"a.shp": b"\0" * 100_000})
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        start = data.index(signature)
        data[start + offset : start + offset + 4] = (10).to_bytes(4, "little")  # uncompressed size
    path.write_bytes(bytes(data))
    _refusal(path, "is not a readable zip archive")


def test_a_kmz_with_several_documents_leaves_no_temporary_copy(control_format_files, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    path, _ = control_format_files["kmz"]
    with zipfile.ZipFile(path) as archive:
        assert len([n for n in archive.namelist() if n.endswith(".kml")]) > 1  # doc.kml and layers/occupied.kml
    read_control_file(path, as_of=None)
    broken = _zip(tmp_path / "broken.kmz", {"doc.kml": b"<kml", "layers/a.kml": b"<kml"})
    _refusal(broken, "broken.kmz", "cannot be read")
    assert [p.name for p in tmp_path.iterdir()] == ["broken.kmz"]


def test_a_kmz_that_holds_one_document_is_read_in_memory(control_format_files, monkeypatch):
    def no_temporary_folder(*args, **kwargs):
        raise AssertionError("a KMZ with one document needs no temporary copy")

    monkeypatch.setattr(tempfile, "TemporaryDirectory", no_temporary_folder)
    path, options = control_format_files["kmz-folders"]
    assert read_control_file(path, as_of=None, **options).where == options["where"]


def test_gdal_gets_no_name_from_a_zip(tmp_path):
    """Member names are never paths: a zip whose shapefile sits under '../..' reads the same."""
    gpd.GeoDataFrame(geometry=[shapely.box(37.5, 48.0, 38.0, 48.5)], crs=4326).to_file(tmp_path / "x.shp")
    members = {f"../../evil/x{part.suffix}": part.read_bytes() for part in tmp_path.glob("x.*")}
    path = _zip(tmp_path / "evil.zip", members)
    snapshot = read_control_file(path, as_of=None)
    assert snapshot.polygon.equals(shapely.box(37.5, 48.0, 38.0, 48.5))


def test_control_file_carries_layer_and_where(control_format_files):
    path, options = control_format_files["gpkg-layers"]
    request = ControlFile(path, options["layer"], options["where"])
    assert (request.layer, request.where) == ("areas", ASSESSED_WHERE)


# --- damaged files of every format ------------------------------------------------------------------

DAMAGE_SECONDS = 10  # a read slower than this counts as a hang


@pytest.fixture(scope="module")
def intact_files(control_format_files):
    """The bytes of each single-file case, by suffix (a bare .shp needs its parts: left out)."""
    return {path.suffix: path.read_bytes() for case, (path, _) in control_format_files.items() if path.suffix != ".shp"}


def _damaged(data: bytes, seed: int) -> bytes:
    """``data`` truncated or with a few bytes changed, chosen by ``seed``."""
    import random

    chance = random.Random(seed)
    if chance.random() < 0.3:
        return data[: chance.randrange(len(data))]
    damaged = bytearray(data)
    for _ in range(chance.randint(1, 8)):
        damaged[chance.randrange(len(damaged))] = chance.randrange(256)
    return bytes(damaged)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("suffix", [".zip", ".kmz", ".kml", ".fgb", ".gpkg", ".topojson", ".geojson"])
def test_a_damaged_file_is_read_or_refused_in_one_line(intact_files, tmp_path, suffix, seed):
    import signal

    path = tmp_path / f"damaged{suffix}"
    path.write_bytes(_damaged(intact_files[suffix], seed))

    def hang(signum, frame):
        raise TimeoutError(f"reading a damaged {suffix} took over {DAMAGE_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(DAMAGE_SECONDS)
    try:
        snapshot = read_control_file(path, as_of=None)
    except ControlFileError as error:
        assert str(error).startswith("control file "), repr(str(error))
        assert str(error).isprintable(), repr(str(error))
        return
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert snapshot.polygon.is_valid
    assert not snapshot.polygon.is_empty


def test_like_is_case_sensitive_in_ogr_sql_and_not_in_sqlite(control_format_files):
    """What docs/howto/own-control-map.md says of --control-where: GDAL's OGR SQL LIKE tells case apart (ILIKE does
    not); GDAL hands a GeoPackage's condition to SQLite, whose LIKE ignores case."""
    geojson, _ = control_format_files["geojson-legacy-crs"]
    _refusal(geojson, "selects no feature", where="category LIKE 'assessed%'")
    assert read_control_file(geojson, as_of=None, where="category ILIKE 'assessed%'").where == "category ILIKE 'assessed%'"
    gpkg, options = control_format_files["gpkg-layers"]
    assert read_control_file(gpkg, as_of=None, layer=options["layer"], where="category LIKE 'assessed%'")
    _refusal(gpkg, "not a valid OGR SQL condition", 'near "ILIKE"', layer=options["layer"], where="category ILIKE 'assessed%'")


# --- issue 24: the content must be the format the name says -------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "needle"),
    [
        ("fgb", ".gpkg", "holds a FlatGeobuf file, not a GeoPackage as its name says (a file of that kind needs the suffix .fgb)"),
        ("gpkg-layers", ".fgb", "holds a GeoPackage, not a FlatGeobuf file as its name says (a file of that kind needs the suffix .gpkg)"),
        ("kml", ".gpkg", "holds a KML document, not a GeoPackage"),
        ("zip-3857", ".kml", "holds a zip archive, not a KML document"),
        ("gpkg-layers", ".kmz", "holds a GeoPackage, not a zip archive"),
        ("geojson-legacy-crs", ".kml", "holds JSON, not a KML document"),
        ("fgb", ".geojson", "holds a FlatGeobuf file, not GeoJSON"),
        ("kml", ".shp", "holds a KML document, not an ESRI shapefile (.shp)"),
    ],
)
def test_content_that_is_not_what_the_name_says_is_refused(control_format_files, tmp_path, source, target, needle):
    path = tmp_path / f"renamed{target}"
    path.write_bytes(control_format_files[source][0].read_bytes())
    _refusal(path, needle)


def test_an_sqlite_database_that_is_not_a_geopackage_is_refused(tmp_path):
    import sqlite3

    path = tmp_path / "plain.gpkg"
    with contextlib.closing(sqlite3.connect(path)) as database:
        database.execute("CREATE TABLE t (x)")
        database.commit()
    _refusal(path, "holds an SQLite database that is not a GeoPackage, not a GeoPackage")


KML_WITH_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>&secret;</name></Document></kml>"""


def test_a_kml_document_with_a_doctype_is_refused(tmp_path):
    (tmp_path / "entity.kml").write_bytes(KML_WITH_ENTITY)
    _refusal(tmp_path / "entity.kml", "declares a DOCTYPE or XML entities")
    _refusal(_zip(tmp_path / "entity.kmz", {"doc.kml": KML_WITH_ENTITY}), "its member 'doc.kml' declares a DOCTYPE")


def test_a_shapefile_whose_shx_is_something_else_is_refused(control_format_files, tmp_path):
    source, _ = control_format_files["shp"]
    for part in source.parent.glob(f"{source.stem}.*"):
        (tmp_path / part.name).write_bytes(part.read_bytes())
    (tmp_path / f"{source.stem}.shx").write_bytes(b"<OGRVRTDataSource/>")
    _refusal(tmp_path / source.name, "occupied.shx holds an OGR VRT file")


def test_a_file_larger_than_the_cap_is_refused_before_it_is_read(control_format_files, tmp_path, monkeypatch):
    path, _ = control_format_files["fgb"]
    monkeypatch.setattr(control_formats, "MAX_CONTROL_BYTES", 1000)
    _refusal(path, "MiB; expected", "of at most 0 MiB")


# --- issue 24, item 6: decompression stops at the bytes actually inflated --------------------------------

_BOMB_SCRIPT = """
import sys
from pathlib import Path
from peacemap.layers.errors import ControlFileError
from peacemap.layers.sources.control_file import read_control_file
try:
    read_control_file(Path(sys.argv[1]), as_of=None)
    print("read")
except ControlFileError as error:
    print(error)
# The peak resident memory of this process image, in kB. (getrusage's ru_maxrss would count the
# parent's memory at the fork too: Linux keeps it across exec.)
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""
MAX_PEAK_MB = 300  # issue 24's bar for the 2 MB zip that inflates to 2 GiB


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="the peak is read from Linux's /proc/self/status")
def test_a_zip_whose_dbf_inflates_far_beyond_its_declared_size_is_refused_in_little_memory(tmp_path):
    """Issue 24, item 6: a 2 MB zip whose .dbf declares 147 bytes but inflates to 2 GiB was
    refused only after inflating it (2.2 GB peak): zipfile read the member at once."""
    import subprocess
    import sys
    import zlib

    from hostile_controls import deflated_zeros, zip_declaring

    shp = b"\x00\x00\x27\x0a" + bytes(96)  # a shapefile header; nothing gets to read it

    def stored(data):
        return len(data), zlib.crc32(data), zlib.compress(data)[2:-4]  # raw deflate

    bomb = zip_declaring({"occupied.shp": stored(shp), "occupied.shx": stored(shp), "occupied.dbf": (147, 0, deflated_zeros(2**31 - 1))})
    path = tmp_path / "bomb.zip"
    path.write_bytes(bomb)
    assert 2_000_000 < len(bomb) < 2_200_000  # "a zip of 2 MB"
    completed = subprocess.run([sys.executable, "-c", _BOMB_SCRIPT, str(path)], capture_output=True, text=True, timeout=300)
    message, peak_kb = completed.stdout.splitlines()
    assert "is not a readable zip archive (Bad CRC-32 for file 'occupied.dbf')" in message, completed.stdout + completed.stderr
    assert int(peak_kb) / 1024 < MAX_PEAK_MB, f"peak {int(peak_kb) / 1024:.0f} MB"


# --- issue 24: a CRS in a file must not name a file for PROJ to open ---------------------------------------

WEB_MERCATOR_WKT1 = (
    'PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]]],'
    'PROJECTION["Mercator_1SP"],EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 '
    '+k=1 +units=m +nadgrids=@null +wktext +no_defs"],AUTHORITY["EPSG","3857"]]'
)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (WEB_MERCATOR_WKT1, None),  # PROJ's built-in null grid, as GDAL long wrote Web Mercator
        ('DATUM["WGS_1984",EXTENSION["PROJ4_GRIDS","@null"]]', None),
        ('DATUM["WGS_1984",EXTENSION["PROJ4_GRIDS","/etc/passwd"]]', "/etc/passwd"),
        ('PARAMETERFILE["Latitude and longitude difference file","/tmp/secret.gsb",ID["EPSG",8656]]', "/tmp/secret.gsb"),
        ('EXTENSION["PROJ4","+proj=longlat +nadgrids=@null,ntv1_can.dat"]', "ntv1_can.dat"),
        ('EXTENSION["PROJ4","+proj=longlat +geoidgrids=/dev/stdin"]', "/dev/stdin"),
        ('EXTENSION["PROJ4","+init=/etc/passwd:x"]', "/etc/passwd:x"),
        ('EXTENSION["PROJ4","+proj=tinshift +file=/tmp/x.json"]', "/tmp/x.json"),
        ('PROJCS["Shapefile=1 model",GEOGCS["WGS 84"]]', None),  # words that only look like keys
    ],
)
def test_the_file_a_crs_names_is_found(text, named):
    assert control_content.file_named_by_crs(text.encode()) == named


def test_a_geopackage_in_web_mercator_is_read(control_format_files):
    path, options = control_format_files["gpkg-layers"]
    assert read_control_file(path, as_of=None, **options).polygon.area > 1


def test_a_damaged_geopackage_is_refused_before_gdal(tmp_path):
    path = tmp_path / "damaged.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + bytes(52) + b"GPKG" + bytes(100))
    _refusal(path, "cannot be read as a GeoPackage")
