"""The file formats a control file may come in, and how each one reaches GDAL (through pyogrio).

GDAL never gets the user's path or a name taken from inside a file (see ``control_file``), and
reads each file with the driver of the format its suffix names and no other
(``gdal_guard.only_drivers``), after the content was checked to be that format
(``control_content``; GeoJSON and TopoJSON are parsed and checked in full by ``control_json``):

* GeoJSON (also with the legacy ``crs`` member) and TopoJSON go to GDAL as the document
  re-serialised after the check; GeoPackage, KML and FlatGeobuf as the bytes read.
* An ESRI shapefile, bare (``x.shp`` with ``x.shx``, ``x.dbf`` and, if present, ``x.prj`` and
  ``x.cpg`` beside it) or zipped (a ``.zip`` holding one or more, in any folder), goes to GDAL
  as a zip built in memory whose members have neutral names (``layer0.shp``, ...); GDAL opens it
  through ``/vsizip/``. Each shapefile is one layer, named after its ``.shp``.
* A KMZ holding one KML document (as Google Earth writes one) goes to GDAL as that document's
  bytes. A KMZ holding several (``doc.kml`` linking ``layers/*.kml``, as GDAL writes one) goes
  as a copy named ``control.kmz`` in a private temporary folder (mode 0700, removed once read):
  GDAL's LIBKML driver follows a KMZ's links to the documents inside it only when it opens a
  file named ``.kmz`` (and only to documents inside it); handed as bytes, such a KMZ is not
  recognised.

Zip archives (``.zip``, ``.kmz``) are decompressed by Python first, with limits on the number of
members and on their total declared size, a megabyte at a time so that no member inflates more
than a megabyte beyond the size it declares, and repacked: GDAL reads only members whose sizes
and CRCs were checked, so a zip bomb or a damaged archive is refused in one line.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from peacemap.layers.errors import ControlFileError
from peacemap.layers.sources import control_content, gdal_guard
from peacemap.layers.sources.control_json import Limits, parse_json
from peacemap.layers.text import printable

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ControlFormat:
    """A format ``--control`` reads: its name, the suffixes that select it and the GDAL drivers
    that may read it (the first GDAL has; a ``.json`` may be GeoJSON or TopoJSON)."""

    name: str
    suffixes: tuple[str, ...]
    drivers: tuple[str, ...]


KML_DRIVERS = ("LIBKML", "KML")
FORMATS = (
    ControlFormat("GeoJSON", (".geojson", ".json"), ("GeoJSON",)),
    ControlFormat("TopoJSON", (".topojson",), ("TopoJSON",)),
    ControlFormat("GeoPackage", (".gpkg",), ("GPKG",)),
    ControlFormat("KML", (".kml",), KML_DRIVERS),
    ControlFormat("KMZ", (".kmz",), KML_DRIVERS),
    ControlFormat("ESRI shapefile", (".shp", ".zip"), ("ESRI Shapefile",)),
    ControlFormat("FlatGeobuf", (".fgb",), ("FlatGeobuf",)),
)
SUFFIXES = tuple(suffix for kind in FORMATS for suffix in kind.suffixes)
EXPECTED = "a GeoJSON, TopoJSON, GeoPackage, KML, KMZ, ESRI shapefile (.shp, or a .zip holding one) or FlatGeobuf file"
# GDAL drivers of formats that are lon/lat on WGS84 by definition: a layer read by one of them
# that declares no CRS is taken as EPSG:4326 (GDAL's TopoJSON driver declares none).
LONLAT_DRIVERS = ("GeoJSON", "TopoJSON", "KML", "LIBKML")

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")  # the parts read, in this order
REQUIRED_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf")
_SHAPEFILE_CONTENT = "an ESRI shapefile (.shp)"  # what a .shp and a .shx both begin as
# A zip's members, and their total size once decompressed: control maps are megabytes at most
# (DeepState's polygon is 80 KB), so these only stop archives built to exhaust memory.
MAX_ZIP_MEMBERS = 1_000
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
MAX_CONTROL_BYTES = 256 * 1024 * 1024  # a control file as it is read (each part of a bare shapefile)
_INFLATE_CHUNK = 1024 * 1024  # bytes inflated at a time: what a zip bomb can cost before it is stopped
# The most vertices and polygons a control map may hold. DeepState's whole occupied territory is
# 3,059 vertices in 10 polygons (2025-11-20); a front of 1,200 km drawn every 10 m is about
# 250,000. At the caps a report takes about half a minute (docs/reference/performance.md); files built
# to make the overlays that follow run for minutes are refused before they start.
MAX_CONTROL_VERTICES = 500_000
MAX_CONTROL_POLYGONS = 10_000
_CONTENT = {".gpkg": "a GeoPackage", ".kml": "a KML document", ".fgb": "a FlatGeobuf file", ".kmz": "a zip archive", ".zip": "a zip archive"}
_JUNK_PREFIXES = ("__MACOSX/", "._")  # macOS's resource forks, added by its "Compress" command
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError, ValueError)


@dataclass(frozen=True)
class GdalInput:
    """What GDAL reads for one control file, and what identifies the file.

    Attributes
    ----------
    data
        The bytes to hand to pyogrio, or the path of a private temporary copy (KMZ).
    drivers
        The GDAL drivers that may read ``data``: those of the format the file's name declares.
    file_layer
        The name shown for a layer GDAL names after the file it reads (a GeoJSON without a
        ``name``): the file's name without its suffix, not pyogrio's name for the bytes.
    sha256
        Hex sha256 of the file read; for a bare ``.shp``, of the ``sha256sum`` listing of its
        parts (``sha256sum x.cpg x.dbf x.prj x.shp x.shx | sha256sum``, the parts present).
    parts
        Suffixes of the files read beside a bare ``.shp`` (``.dbf``, ``.prj``, ...), else empty.
    layer_names
        (name shown, GDAL's name) of each layer whose name GDAL does not know (shapefiles).
    """

    data: bytes | str
    drivers: tuple[str, ...]
    file_layer: str
    sha256: str
    parts: tuple[str, ...] = ()
    layer_names: tuple[tuple[str, str], ...] = ()

    def shown_layer(self, gdal_name: str) -> str:
        """The name shown for GDAL's layer ``gdal_name``."""
        if _IN_MEMORY_LAYER.fullmatch(gdal_name):
            return self.file_layer
        return {gdal: shown for shown, gdal in self.layer_names}.get(gdal_name, gdal_name)


# pyogrio's name for the bytes it hands to GDAL, which GDAL gives a layer named after its file.
_IN_MEMORY_LAYER = re.compile(r"pyogrio_[0-9a-f]{32}")


def check_suffix(path: Path, shown: str) -> str:
    """The lower-case suffix of ``path`` if it names a format ``--control`` reads.

    Raises
    ------
    ControlFileError
        Any other suffix, with the list of those expected.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ControlFileError(f"control file {shown}: unsupported extension '{printable(path.suffix)}'; expected {EXPECTED} ({', '.join(SUFFIXES)})")
    return suffix


@contextlib.contextmanager
def gdal_input(path: Path, content: bytes, shown: str, *, read_part: Callable[[Path], bytes]) -> Iterator[GdalInput]:
    """What GDAL should read for the control file ``path`` whose bytes are ``content``.

    Parameters
    ----------
    path
        The control file (its suffix chooses the format; see :func:`check_suffix`).
    content
        Its bytes, already read.
    shown
        Its name made printable, for messages.
    read_part
        Reads a file beside ``path`` (a shapefile's ``.shx``, ``.dbf``...), refusing anything
        but a regular file.

    Yields
    ------
    GdalInput
        Valid until the context ends (a temporary copy is then removed).

    Raises
    ------
    ControlFileError
        The content is not the format the suffix names (a VRT or GDALG file among others),
        or is not sound (see ``control_content`` and ``control_json``).
    """
    suffix = path.suffix.lower()
    sha256 = hashlib.sha256(content).hexdigest()
    drivers = next(kind.drivers for kind in FORMATS if suffix in kind.suffixes)
    if suffix in _CONTENT:
        control_content.check_kind(content, expected=_CONTENT[suffix], shown=shown)
    if suffix == ".gpkg":
        control_content.check_crs_names_no_file(
            control_content.geopackage_crs_definitions(content, shown=shown), shown=shown, where="its gpkg_spatial_ref_sys table"
        )
    elif suffix == ".fgb":
        control_content.check_crs_names_no_file(control_content.flatgeobuf_header(content), shown=shown, where="its header")
    if suffix == ".shp":
        yield _bare_shapefile(path, content, shown, read_part)
    elif suffix == ".zip":
        yield _zipped_shapefile(content, shown, file_layer=path.stem)
    elif suffix == ".kmz":
        with _kmz_input(content, shown) as data:
            yield GdalInput(data=data, drivers=drivers, file_layer=path.stem, sha256=sha256)
    elif suffix in (".geojson", ".json", ".topojson"):
        limits = Limits(vertices=MAX_CONTROL_VERTICES, polygons=MAX_CONTROL_POLYGONS)
        document = parse_json(content, suffix=suffix, shown=shown, limits=limits)
        yield GdalInput(data=document.data, drivers=(document.driver,), file_layer=path.stem, sha256=sha256)
    else:
        yield GdalInput(data=content, drivers=drivers, file_layer=path.stem, sha256=sha256)


# --- shapefiles -----------------------------------------------------------------------------


def _bare_shapefile(path: Path, content: bytes, shown: str, read_part: Callable[[Path], bytes]) -> GdalInput:
    """A ``.shp`` and the parts beside it, zipped in memory as ``layer0.*``."""
    control_content.check_kind(content, expected=_SHAPEFILE_CONTENT, shown=shown)
    parts = {".shp": content}
    names = {".shp": path.name}
    for suffix in SHAPEFILE_PARTS[1:]:
        beside = _part_beside(path, suffix)
        if beside is not None:
            parts[suffix], names[suffix] = read_part(beside), beside.name
    if ".shx" in parts:
        control_content.check_kind(parts[".shx"], expected=_SHAPEFILE_CONTENT, shown=printable(names[".shx"]))
    if ".prj" in parts:
        control_content.check_crs_names_no_file(parts[".prj"], shown=shown, where=f"its {printable(names['.prj'])}")
    missing = [suffix for suffix in REQUIRED_SHAPEFILE_PARTS if suffix not in parts]
    if missing:
        raise ControlFileError(
            f"control file {shown} has no {' or '.join(missing)} beside it; expected an ESRI shapefile "
            f"with its {', '.join(REQUIRED_SHAPEFILE_PARTS[1:])} and .prj files in the same folder (or all of them in a .zip)"
        )
    listing = "".join(f"{hashlib.sha256(parts[s]).hexdigest()}  {names[s]}\n" for s in sorted(parts, key=lambda s: names[s]))
    packed = _zip_bytes({f"layer0{suffix}": data for suffix, data in parts.items()})
    return GdalInput(
        data=packed,
        drivers=("ESRI Shapefile",),
        file_layer=path.stem,
        sha256=hashlib.sha256(listing.encode("utf-8", "surrogateescape")).hexdigest(),
        parts=tuple(sorted(s for s in parts if s != ".shp")),
        layer_names=((path.stem, "layer0"),),
    )


def _part_beside(path: Path, suffix: str) -> Path | None:
    """The file beside ``path`` with ``suffix``, in the case of ``path``'s suffix or the other."""
    upper = path.suffix.isupper()
    for candidate in (suffix.upper(), suffix) if upper else (suffix, suffix.upper()):
        beside = path.with_suffix(candidate)
        if os.path.lexists(beside):
            return beside
    return None


def _zipped_shapefile(content: bytes, shown: str, *, file_layer: str) -> GdalInput:
    """The shapefiles of a zip (any folder; macOS's ``__MACOSX`` copies ignored), repacked as
    ``layer0.*``, ``layer1.*``... and shown by the names of their ``.shp``."""
    members = _unzipped(content, shown, "a .zip holding an ESRI shapefile")
    groups: dict[str, dict[str, bytes]] = {}
    for name, data in members.items():
        member = PurePosixPath(name)
        if member.suffix.lower() in SHAPEFILE_PARTS:
            groups.setdefault(str(member.with_suffix("")), {})[member.suffix.lower()] = data
    shapefiles = sorted(stem for stem, parts in groups.items() if ".shp" in parts)
    if not shapefiles:
        raise ControlFileError(f"control file {shown} holds no shapefile (.shp); expected a .zip holding an ESRI shapefile (.shp with its .shx, .dbf and .prj)")
    shown_names = [PurePosixPath(stem).name for stem in shapefiles]
    if len(set(shown_names)) < len(shown_names):  # the same name in two folders: show the folders
        shown_names = shapefiles
    packed, layer_names = {}, []
    for index, (stem, name) in enumerate(zip(shapefiles, shown_names, strict=True)):
        parts = groups[stem]
        missing = [suffix for suffix in REQUIRED_SHAPEFILE_PARTS if suffix not in parts]
        if missing:
            raise ControlFileError(
                f"control file {shown}: shapefile '{printable(name)}' has no {' or '.join(missing)} beside it in the zip; "
                f"expected each .shp with its {', '.join(REQUIRED_SHAPEFILE_PARTS[1:])} and .prj files"
            )
        for suffix in (".shp", ".shx"):
            control_content.check_kind(parts[suffix], expected=_SHAPEFILE_CONTENT, shown=shown, member=printable(f"{stem}{suffix}"))
        if ".prj" in parts:
            control_content.check_crs_names_no_file(parts[".prj"], shown=shown, where=f"its member '{printable(stem)}.prj'")
        packed.update({f"layer{index}{suffix}": data for suffix, data in parts.items()})
        layer_names.append((name, f"layer{index}"))
    return GdalInput(
        data=_zip_bytes(packed), drivers=("ESRI Shapefile",), file_layer=file_layer, sha256=hashlib.sha256(content).hexdigest(), layer_names=tuple(layer_names)
    )


# --- zip archives -----------------------------------------------------------------------------


def _unzipped(content: bytes, shown: str, expected: str) -> dict[str, bytes]:
    """Every file in the zip ``content`` by its member name (folders and macOS's resource forks
    left out), decompressed and checked (sizes, CRC) within :data:`MAX_ZIP_MEMBERS` and
    :data:`MAX_UNZIPPED_BYTES` (of declared sizes; no member is inflated beyond its declared
    size by more than :data:`_INFLATE_CHUNK`)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise ControlFileError(f"control file {shown} holds {len(infos):,} files; expected {expected} (at most {MAX_ZIP_MEMBERS:,} files)")
            kept = [info for info in infos if not info.is_dir() and not _is_junk(info.filename)]
            total = sum(info.file_size for info in kept)
            if total > MAX_UNZIPPED_BYTES:
                raise ControlFileError(
                    f"control file {shown} holds {total / 2**20:,.0f} MiB once decompressed; expected {expected} of at most {MAX_UNZIPPED_BYTES // 2**20} MiB"
                )
            # Each member is inflated a chunk at a time, and zipfile stops at the size it
            # declares (its CRC check then fails): a member that inflates to more than it
            # declares costs one chunk more, never its whole size. (Read at once, zipfile would
            # inflate the whole member before cutting it to the declared size.)
            return {info.filename: _inflated(archive, info) for info in kept}
    except ControlFileError:
        raise
    except _ZIP_ERRORS as error:
        reason = printable(str(error).splitlines()[0] if str(error) else type(error).__name__)
        raise ControlFileError(f"control file {shown} is not a readable zip archive ({reason}); expected {expected}") from error


def _inflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The bytes of member ``info``, inflated :data:`_INFLATE_CHUNK` bytes at a time."""
    chunks = []
    with archive.open(info) as stream:
        while chunk := stream.read(_INFLATE_CHUNK):
            chunks.append(chunk)
    return b"".join(chunks)


def _is_junk(name: str) -> bool:
    return name.startswith(_JUNK_PREFIXES[0]) or PurePosixPath(name).name.startswith(_JUNK_PREFIXES[1])


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip (stored, not compressed: it only carries the files to GDAL) of ``members``, the same
    bytes for the same members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


@contextlib.contextmanager
def _kmz_input(content: bytes, shown: str) -> Iterator[bytes | str]:
    """What GDAL reads of the KMZ ``content``: its only KML document as bytes (as Google Earth
    writes a KMZ; read so, its fields declared in a <Schema> are kept), or, when it holds several
    (doc.kml linking layers/*.kml, as GDAL writes a KMZ), the KMZ checked and repacked as
    ``control.kmz`` in a new private folder."""
    members = _unzipped(content, shown, "a KMZ holding a KML document")
    documents = [name for name in members if PurePosixPath(name).suffix.lower() == ".kml"]
    if not documents:
        raise ControlFileError(f"control file {shown} holds no KML document; expected a KMZ holding a KML document (doc.kml)")
    for name in documents:
        control_content.check_kind(members[name], expected="a KML document", shown=shown, member=printable(name))
    if len(documents) == 1:
        yield members[documents[0]]
        return
    with tempfile.TemporaryDirectory(prefix="peacemap-control-") as folder:  # created with mode 0700
        copy = Path(folder) / "control.kmz"
        descriptor = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(_zip_bytes(members))
        yield str(copy)


# --- choosing features ----------------------------------------------------------------------------

_VALUES_SHOWN = 8  # distinct values of a text field listed in a message, at most
_VALUE_CHARS = 40  # characters of each value shown


def where_problem(data: bytes | str, layer: int, where: str, *, otherwise: str) -> str:
    """Why GDAL refused the OGR SQL condition ``where`` on layer number ``layer``, in GDAL's words
    (``otherwise`` if that cannot be found out).

    pyogrio reports only "Invalid SQL query" for a condition GDAL's parser refuses; the parser's
    own reason (a syntax error and where, a field the layer lacks) comes from running the
    condition on a one-feature copy of the layer's fields, typed as in the layer. (GDAL hands a
    GeoPackage's condition to SQLite, whose reason pyogrio does report: ``otherwise``.)
    """
    import pyogrio

    with _quiet():
        try:
            info = pyogrio.read_info(data, layer=layer)
        except Exception:  # the caller names the failure anyway
            return otherwise
        sample = {str(name): _SAMPLE_VALUES.get(str(dtype).rstrip("0123456789"), "") for name, dtype in zip(info["fields"], info["dtypes"], strict=True)}
        document = {"type": "FeatureCollection", "name": "layer", "features": [{"type": "Feature", "properties": sample, "geometry": None}]}
        try:
            with gdal_guard.only_drivers("GeoJSON"):  # the copy is GeoJSON, whatever the file is
                pyogrio.read_dataframe(json.dumps(document).encode(), sql=f'SELECT * FROM "layer" WHERE {where}', sql_dialect="OGRSQL")
        except Exception as error:  # GDAL's parser: the reason sought
            return str(error).splitlines()[0] if str(error) else type(error).__name__
    return otherwise


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """GDAL's warnings about the file dropped: these helpers only word a message about it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


_SAMPLE_VALUES: dict[str, object] = {"int": 0, "uint": 0, "float": 0.0, "bool": False}


def fields_text(data: bytes | str, layer: int) -> str:
    """The layer's fields for a message: ``its fields: layer ('Assessed', 'Claimed'), date``,
    with the values of text fields that hold only a few."""
    import pyogrio

    try:
        with _quiet():
            table = pyogrio.read_dataframe(data, layer=layer, read_geometry=False)
    except Exception:  # the message this helps has its own reason; a field list is a bonus
        return "expected a condition on its fields"
    if not len(table.columns):
        return "the layer has no fields to select on"
    return "its fields: " + ", ".join(_field_text(name, table[name]) for name in table.columns[:20])


def _field_text(name: str, values: pd.Series) -> str:
    from pandas.api.types import is_object_dtype, is_string_dtype

    shown = printable(str(name))
    if not (is_string_dtype(values.dtype) or is_object_dtype(values.dtype)):
        return shown
    distinct = sorted({str(v) for v in values.dropna()})
    if not distinct or len(distinct) > _VALUES_SHOWN:
        return shown
    return f"{shown} (" + ", ".join(f"'{printable(v[:_VALUE_CHARS])}'" for v in distinct) + ")"
