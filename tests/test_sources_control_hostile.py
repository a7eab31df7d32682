"""Hostile control files, round two (issue 24, items 1-3): a control file is read as itself and
nothing else. VRT and GDALG files under every suffix ``--control`` reads, a GDALG pipeline with
an SQL step, pipelines and VRTs reading ``/vsistdin/``, a FIFO or ``/vsicurl/``, and a GeoJSON
whose legacy ``crs`` member is a link: each is refused in one line, no request reaches the test's
HTTP server, nothing hangs, and no file but the one named is opened (strace). The GDAL guard
itself is tested with the hostile drivers let in on purpose.

The probe files are written by ``tests/hostile_controls.py``; what they point at is a CSV in the
test's folder (standing for a secret file), a FIFO there, and the server on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import urllib.request
import warnings
from pathlib import Path

import pytest
import shapely
from hostile_controls import LINKING_NAMES, PROBE_NAMES, RequestLog, gdalg, vrt, write_linking, write_probes

from peacemap.cli.main import cli
from peacemap.layers.errors import ControlFileError
from peacemap.layers.sources import control_formats, gdal_guard
from peacemap.layers.sources.control_file import read_control_file

PROBE_SECONDS = 30  # a probe slower than this counts as a hang
META = ("vrt", "gdalg")
# Probes that would block in C, where no signal gets Python back: run as a separate process.
BLOCKING = ("fifo", "vsistdin")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """(the request log of the server, {probe name: path}); the probes are refused, the linking
    files (``hostile_controls.LINKING_NAMES``) may be read, in the same folder."""
    log = RequestLog()
    with log.running():
        folder = tmp_path_factory.mktemp("hostile")
        probes = write_probes(folder, log.url)
        assert tuple(probes) == PROBE_NAMES
        probes.update(write_linking(folder, log.url))
        yield log, probes


def _options(name: str) -> dict:
    return {"layer": "v", "allow_small": True} if name.startswith("view-") else {"allow_small": True}


@contextlib.contextmanager
def _time_limit(seconds: int):
    def hang(signum, frame):
        raise TimeoutError(f"the probe took over {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_the_server_sees_requests(hostile):
    """The witness works: a request reaches it (so the zero counts below mean something)."""
    log, _ = hostile
    with urllib.request.urlopen(f"{log.url}/witness", timeout=10) as response:
        assert response.status == 200
    assert log.paths.pop() == "/witness"


def _run_with_silent_stdin(command: list[str], *, timeout: float, **options) -> tuple[int, str, str]:
    """Run ``command`` with standard input open and silent, as a terminal nobody types into (a
    read of it blocks), and return its exit code, stdout and stderr; TimeoutError if it hangs."""
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=stdout, stderr=stderr, text=True, **options)
        try:
            exit_code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise TimeoutError(f"{command[-8:]} took over {timeout} s: it hangs") from None
        finally:
            process.stdin.close()  # type: ignore[union-attr]
        stdout.seek(0)
        stderr.seek(0)
        return exit_code, stdout.read(), stderr.read()


@pytest.mark.parametrize("name", PROBE_NAMES)
def test_each_probe_is_refused_in_one_line_from_the_cli(runner, hostile, name):
    log, probes = hostile
    before = len(log.paths)
    args = ["-q", "report", "--control", str(probes[name]), "--date", "2025-11-20", "--format", "json"]
    if any(kind in name for kind in BLOCKING):
        exit_code, stdout, stderr = _run_with_silent_stdin([sys.executable, "-c", "from peacemap.cli.main import main; main()", *args], timeout=PROBE_SECONDS)
    else:
        with _time_limit(PROBE_SECONDS):
            result = runner.invoke(cli, args)
        exit_code, stdout, stderr = result.exit_code, result.stdout, result.stderr
    assert exit_code == 1, (exit_code, stdout, stderr)
    assert stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr, stderr
    assert stderr.startswith(f"Error: control file {probes[name]}"), stderr
    assert stdout == "", stderr
    assert log.paths[before:] == [], f"{name} made requests: {log.paths[before:]}"


@pytest.mark.parametrize("name", [n for n in LINKING_NAMES if not any(kind in n for kind in BLOCKING)])
def test_a_file_whose_content_links_outside_reaches_nothing_outside(hostile, name):
    """A KMZ linking documents on the server, elsewhere on disk and beside itself, and
    GeoPackage views calling GDAL's SQL functions on the secret file or a URL: each is read as
    its own polygons (or refused, for the view GDAL itself refuses), with no request made. A
    file whose CRS makes PROJ read a grid file (the secret file) is refused naming that file."""
    log, probes = hostile
    before = len(log.paths)
    try:
        snapshot = read_control_file(probes[name], as_of=None, **_options(name))
    except ControlFileError as error:
        if name.startswith("grid-"):
            assert "declares a CRS that names the file" in str(error), error
            assert "secret.csv" in str(error), error
        else:
            assert name == "view-geocode.gpkg", error
            assert "steal data" in str(error), error
    else:
        assert not name.startswith("grid-")
        assert snapshot.polygon.equals(shapely.box(37.5, 48.0, 38.0, 48.5))
    assert log.paths[before:] == []


@pytest.mark.parametrize("name", [n for n in PROBE_NAMES if n.startswith(META) and not any(kind in n for kind in BLOCKING)])
def test_a_file_that_names_other_files_is_named_as_such(hostile, name):
    _, probes = hostile
    with pytest.raises(ControlFileError) as info:
        read_control_file(probes[name], as_of=None)
    kind = "an OGR VRT file" if name.startswith("vrt") else "a GDALG pipeline"
    assert kind in str(info.value), str(info.value)
    assert "makes GDAL read other files or URLs" in str(info.value), str(info.value)


def test_a_legacy_crs_link_is_refused_naming_the_member(hostile):
    log, probes = hostile
    with pytest.raises(ControlFileError) as info:
        read_control_file(probes["crs-link.geojson"], as_of=None)
    assert "its legacy 'crs' member is a link ('http://127.0.0.1:" in str(info.value)
    assert "EPSG:3857" in str(info.value)
    assert log.paths == []


@pytest.mark.parametrize("name", ["vrt.geojson", "gdalg-sql.gpkg", "vrt.zip", "gdalg-sql.kmz"])
def test_a_condition_on_a_probe_lists_no_field_of_what_it_names(hostile, name):
    """Issue 24, item 1: with --control-where "1=0" the refusal listed the fields of the file read
    through the probe (the first line of the system's account file)."""
    _, probes = hostile
    with pytest.raises(ControlFileError) as info:
        read_control_file(probes[name], as_of=None, where="1=0")
    message = str(info.value)
    assert "fields" not in message, message
    assert "WKT" not in message, message
    assert "selects no feature" not in message, message


# --- no file but the one named (strace) ---------------------------------------------------------------

_TRACED = textwrap.dedent("""
    import os, sys, warnings
    from pathlib import Path
    import geopandas as gpd, shapely
    from peacemap.layers.errors import ControlFileError
    from peacemap.layers.sources.control_file import read_control_file

    folder, names = Path(sys.argv[1]), sys.argv[2:]
    options = lambda name: {"layer": "v"} if name.startswith("view-") else {}  # noqa: E731
    warm = folder / "warm"  # every driver and library loaded once before the traced part
    warm.mkdir()
    __import__("tempfile").gettempdir()  # Python probes the temporary folder with a file of its own, once
    frame = gpd.GeoDataFrame({"a": ["x"]}, geometry=[shapely.box(37.5, 48, 38, 48.5)], crs=4326)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for suffix, driver in ((".geojson", None), (".gpkg", None), (".fgb", None), (".kml", "KML"), (".shp", None)):
            frame.to_file(warm / f"w{suffix}", driver=driver)
            read_control_file(warm / f"w{suffix}", as_of=None, where="a = 'x'")
    for marker in ("/peacemap-trace-start", *(folder / name for name in names), "/peacemap-trace-end"):
        if isinstance(marker, str):
            with __import__("contextlib").suppress(OSError):
                os.open(marker, os.O_RDONLY)
            continue
        try:
            read_control_file(marker, as_of=None, allow_small=True, **options(marker.name))
            print("read", marker.name)
        except ControlFileError:
            pass
""")


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (.ci/run installs it)")
def test_no_file_but_the_one_named_is_opened(hostile, tmp_path):
    """Every open(), connect() and execve() of the process while it reads the probes and the
    linking files, traced with strace: it tries to open nothing in their folder but each file
    named, opens nothing elsewhere but Python's modules, PROJ's data and GDAL's own files (a
    multi-document KMZ's private copy, GDAL's plugin folder), connects nowhere and runs nothing."""
    import pyproj

    log, probes = hostile
    folder = next(iter(probes.values())).parent
    trace = tmp_path / "trace.txt"
    command = [
        "strace",
        "-f",
        "-qq",
        "-e",
        "trace=open,openat,openat2,creat,connect,execve",
        "-o",
        str(trace),
        sys.executable,
        "-c",
        _TRACED,
        str(folder),
        *probes,
    ]
    exit_code, stdout, stderr = _run_with_silent_stdin(command, timeout=300, cwd=tmp_path)
    assert exit_code == 0, stderr[-2000:]
    assert set(stdout.split("\n")) <= {"", *(f"read {name}" for name in LINKING_NAMES)}, stdout  # every probe refused
    lines = trace.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if "/peacemap-trace-start" in line)
    end = next(i for i, line in enumerate(lines) if "/peacemap-trace-end" in line)
    calls = [line for line in lines[start + 1 : end] if "open" in line.split("(")[0] and '"' in line]
    named = {str(part) for path in probes.values() for part in _with_parts(path)}
    tried = {line.split('"')[1] for line in calls}
    assert sorted(path for path in tried if path.startswith(str(folder)) and path not in named) == []
    assert {str(path) for path in probes.values()} <= tried  # each file was read (by peacemap, to check it)
    own = (
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        pyproj.datadir.get_data_dir(),
        pyproj.datadir.get_user_data_dir(),
        str(Path(tempfile.gettempdir()) / "peacemap-control-"),
        "/proc/",
        "/sys/",
        "/dev/urandom",
        *named,
    )
    opened = sorted({line.split('"')[1] for line in calls if " = -1 " not in line} - {""})  # those that succeeded
    assert [path for path in opened if not path.startswith(own) and not path.endswith("gdalplugins")] == []
    assert [line for line in lines[start + 1 : end] if "connect(" in line or "execve(" in line] == []
    assert log.paths == []


def _with_parts(path: Path) -> list[Path]:
    """``path``, and for a ``.shp`` the parts beside it that peacemap may read (either case)."""
    if path.suffix != ".shp":
        return [path]
    return [path.with_suffix(suffix) for part in control_formats.SHAPEFILE_PARTS for suffix in (part, part.upper())]


# --- the GDAL guard, with the hostile drivers let in on purpose -----------------------------------------------


def test_gdal_picks_no_driver_outside_those_allowed(hostile):
    """The content check aside, GDAL itself refuses a VRT when only GeoJSON is allowed; without
    the guard the same bytes are read through the CSV they name (the threat)."""
    import pyogrio

    _, probes = hostile
    data = probes["vrt.geojson"].read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert pyogrio.read_info(data)["driver"] == "OGR_VRT"  # unguarded: the threat
        with gdal_guard.only_drivers("GeoJSON"), pytest.raises(pyogrio.errors.DataSourceError, match="not recognized"):
            pyogrio.read_info(data)


def test_the_drivers_and_settings_are_restored_after_a_read(hostile):
    import pyogrio

    before = list(pyogrio.list_drivers())
    settings = {name: pyogrio.get_gdal_config_option(name) for name in (*gdal_guard.SAFE_CONFIG, "GDAL_SKIP")}
    with gdal_guard.only_drivers("GPKG", "FlatGeobuf") as allowed:
        assert allowed == ("GPKG", "FlatGeobuf")
        assert set(pyogrio.list_drivers()) == {"GPKG", "FlatGeobuf"}
        with gdal_guard.only_drivers("GeoJSON"):  # nested: a condition checked on a GeoJSON copy
            assert list(pyogrio.list_drivers()) == ["GeoJSON"]
        assert set(pyogrio.list_drivers()) == {"GPKG", "FlatGeobuf"}
        assert pyogrio.get_gdal_config_option("CPL_VSIL_CURL_ALLOWED_FILENAME") == gdal_guard.SAFE_CONFIG["CPL_VSIL_CURL_ALLOWED_FILENAME"]
    assert list(pyogrio.list_drivers()) == before  # the same drivers, in GDAL's order
    assert {name: pyogrio.get_gdal_config_option(name) for name in settings} == settings


def test_a_gdal_without_the_driver_is_one_line():
    with pytest.raises(ControlFileError, match="has no NoSuchDriver driver"), gdal_guard.only_drivers("NoSuchDriver"):
        pass


@pytest.mark.parametrize("source", ["/vsicurl/{url}/a.geojson", "/vsicurl_streaming/{url}/b.geojson", "/vsigzip//vsicurl/{url}/c.gz"])
def test_no_request_from_gdal_inside_the_guard(hostile, source):
    """Even a GDALG pipeline, let in on purpose, reaches no URL through /vsicurl/ and the
    handlers built on it; outside the guard it does (the witness)."""
    import pyogrio

    log, _ = hostile
    data = gdalg(source.format(url=log.url), sql=False)
    before = len(log.paths)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyogrio.vsi_curl_clear_cache()  # GDAL remembers what a server listed: start afresh
        with gdal_guard.only_drivers("GDALG"), contextlib.suppress(pyogrio.errors.DataSourceError):
            pyogrio.read_info(data)
        assert log.paths[before:] == []
        pyogrio.vsi_curl_clear_cache()
        with contextlib.suppress(pyogrio.errors.DataSourceError):
            pyogrio.read_info(data)  # unguarded
    assert len(log.paths) > before


@pytest.mark.parametrize("document", [gdalg("/vsistdin/", sql=False), vrt("/vsistdin/")], ids=["gdalg", "vrt"])
def test_no_read_of_standard_input_inside_the_guard(document):
    """/vsistdin/ named inside a file would wait for standard input; inside the guard it is an
    in-memory file that does not exist."""
    import pyogrio

    with _time_limit(PROBE_SECONDS), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with gdal_guard.only_drivers("GDALG", "OGR_VRT"), pytest.raises((pyogrio.errors.DataSourceError, pyogrio.errors.CRSError)):
            pyogrio.read_dataframe(document)
