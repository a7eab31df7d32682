"""What a control file's bytes are, whatever its name says, and whether that is what its name says.

GDAL would read a file by its content, so a VRT or GDALG file saved as ``.geojson`` or ``.gpkg``
would be run; here the content of each file (and of each member of a zip) must be the format
its suffix names before GDAL sees it, and the file is refused in one line otherwise. Formats
that name other files or URLs (OGR VRT, GDALG, WFS connection files) are named as such in the
refusal. The checks are on signatures and, for XML, on the root element; GeoJSON and TopoJSON
are parsed in full (``control_json``).
"""

from __future__ import annotations

import re

from peacemap.layers.errors import ControlFileError
from peacemap.layers.text import printable

SQLITE_SIGNATURE = b"SQLite format 3\x00"
# The GeoPackage application ids (header bytes 68-71): 1.2 and later, 1.0, 1.1.
GEOPACKAGE_IDS = (b"GPKG", b"GP10", b"GP11")
FLATGEOBUF_SIGNATURE = b"fgb"  # bytes 0-2 and 4-6; byte 3 is the major version
SHAPEFILE_CODE = b"\x00\x00\x27\x0a"  # file code 9994, big-endian, opening .shp and .shx
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a member, or an empty archive
_HEAD = 4096  # bytes looked at to name what a file is
# Formats whose files name other files or URLs for GDAL to read (the XML root or JSON type).
META_FORMATS = {
    "OGRVRTDataSource": "an OGR VRT file",
    "VRTDataset": "a GDAL VRT file",
    "OGRWFSDataSource": "a WFS connection file",
    "gdal_streamed_alg": "a GDALG pipeline",
}
# What each accepted kind is called, and the suffix it would need.
_SUFFIX_OF = {
    "GeoJSON": ".geojson",
    "TopoJSON": ".topojson",
    "a GeoPackage": ".gpkg",
    "a KML document": ".kml",
    "a FlatGeobuf file": ".fgb",
    "an ESRI shapefile (.shp)": ".shp",
    "a zip archive": ".zip or .kmz",
}
_XML_PROLOGUE = re.compile(rb"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*)*<([\w:.-]+)", re.DOTALL)


def describe(content: bytes) -> str:
    """What ``content`` is, for a message: "a GeoPackage", "an OGR VRT file (...)", "binary data"..."""
    head = content[:_HEAD]
    if head.startswith(ZIP_SIGNATURES):
        return "a zip archive"
    if head.startswith(SQLITE_SIGNATURE):
        return "a GeoPackage" if head[68:72] in GEOPACKAGE_IDS else "an SQLite database that is not a GeoPackage"
    if head[:3] == FLATGEOBUF_SIGNATURE and head[4:7] == FLATGEOBUF_SIGNATURE:
        return "a FlatGeobuf file"
    if head.startswith(SHAPEFILE_CODE):
        return "an ESRI shapefile (.shp)"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    root = xml_root(content)
    if root is not None:
        name = root.decode("utf-8", "replace").rsplit(":", 1)[-1]
        return META_FORMATS.get(name) or ("a KML document" if name == "kml" else f"an XML document (<{name[:40]}>), not KML")
    if text.startswith((b"{", b"[")):
        if b'"gdal_streamed_alg"' in content:
            return META_FORMATS["gdal_streamed_alg"]
        return "JSON"
    if not text:
        return "blank"
    return "text" if _looks_like_text(head) else "binary data"


def xml_root(content: bytes) -> bytes | None:
    """The name of the root element if ``content`` is XML (UTF-8, with or without a BOM), else None."""
    match = _XML_PROLOGUE.match(content[:_HEAD].removeprefix(b"\xef\xbb\xbf"))
    return match.group(1) if match else None


def _declares_doctype(content: bytes) -> bool:
    """Whether the XML ``content`` declares a DOCTYPE (where entities are declared) before its
    root element; the text of the document after it may quote one freely."""
    match = _XML_PROLOGUE.match(content[:_HEAD].removeprefix(b"\xef\xbb\xbf"))
    return match is not None and b"<!DOCTYPE" in match.group(0)


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in head


def check_kind(content: bytes, *, expected: str, shown: str, member: str = "") -> None:
    """Refuse ``content`` unless :func:`describe` calls it ``expected``.

    Parameters
    ----------
    content
        The bytes of a control file, or of one member of its zip.
    expected
        What it must be: one of "a GeoPackage", "a KML document", "a FlatGeobuf file",
        "an ESRI shapefile (.shp)", "a zip archive".
    shown
        The file's name made printable.
    member
        The member's name made printable, for a member of a zip.

    Raises
    ------
    ControlFileError
        The content is something else (named, with the suffix it would need), or a KML
        document declares a DOCTYPE or entities (which could make the XML parser read files).
    """
    found = describe(content)
    if found == expected:
        if expected == "a KML document" and _declares_doctype(content):
            raise ControlFileError(
                f"control file {shown}{_member(member)} declares a DOCTYPE or XML entities; "
                "expected a plain KML document (entities could make the XML parser read other files)"
            )
        return
    raise mismatch(found, expected=expected, shown=shown, member=member)


def mismatch(found: str, *, expected: str, shown: str, member: str = "") -> ControlFileError:
    """The one-line refusal of a file (or zip member) that holds ``found`` instead of ``expected``."""
    where = f"control file {shown}{_member(member)}"
    if found in META_FORMATS.values():
        return ControlFileError(
            f"{where} holds {found}, not {expected}: such a file makes GDAL read other files or URLs; peacemap reads only what a control file holds"
        )
    hint = f" (a file of that kind needs the suffix {_SUFFIX_OF[found]})" if found in _SUFFIX_OF and not member else ""
    return ControlFileError(f"{where} holds {found}, not {expected} as its name says{hint}")


def _member(member: str) -> str:
    return f": its member '{member}'" if member else ""


# --- CRS definitions that name files ---------------------------------------------------------------

# What in a CRS definition names a file for PROJ to open: the grid of a transformation (WKT2's
# PARAMETERFILE, WKT1's PROJ4_GRIDS extension, +nadgrids=/+geoidgrids=/+grids= in a PROJ string
# kept in an EXTENSION["PROJ4"]) and PROJ-string keys that read files (+init=, +file=, +model=).
_FILE_IN_CRS = re.compile(
    rb'PARAMETERFILE\s*\[\s*"[^"]*"\s*,\s*"(?P<parameter>[^"]*)"'
    rb'|PROJ4_GRIDS"\s*,\s*"(?P<extension>[^"]*)"'
    rb"|\b(?:nad|geoid)?grids\s*=\s*(?P<grids>[^\s\"\]]+)"
    rb"|\b(?:init|file|model)\s*=\s*(?P<file>[^\s\"\]]+)",
    re.IGNORECASE,
)
_NULL_GRID = b"@null"  # PROJ's built-in null grid (Web Mercator's +nadgrids=@null): no file


def file_named_by_crs(text: bytes) -> str | None:
    """The first file a CRS definition in ``text`` (WKT or a PROJ string, anywhere in it) would
    make PROJ open, or None. ``@null`` names no file."""
    for match in _FILE_IN_CRS.finditer(text):
        if match["file"] is not None:
            return match["file"].decode("utf-8", "replace")
        grids = match["parameter"] if match["parameter"] is not None else match["extension"] if match["extension"] is not None else match["grids"]
        named = [grid for grid in grids.split(b",") if grid.strip() != _NULL_GRID]
        if named:
            return named[0].decode("utf-8", "replace")
    return None


def check_crs_names_no_file(text: bytes, *, shown: str, where: str) -> None:
    """Refuse a CRS definition (``where`` says where it was found) that names a file.

    Raises
    ------
    ControlFileError
        Naming the file: GDAL and PROJ would open it as they read the CRS (a FIFO would block
        them, any file would be read).
    """
    name = file_named_by_crs(text)
    if name is not None:
        raise ControlFileError(
            f"control file {shown}: {where} declares a CRS that names the file '{printable(name[:80])}' (a grid of its "
            "transformation); peacemap reads no file a control file names: expected a CRS without grid files, such as EPSG:4326"
        )


def geopackage_crs_definitions(content: bytes, *, shown: str) -> bytes:
    """Every text in the GeoPackage ``content``'s ``gpkg_spatial_ref_sys`` table (the CRS
    definitions GDAL reads), read with Python's SQLite from memory.

    Raises
    ------
    ControlFileError
        SQLite cannot read the table (a damaged file, or no such table).
    """
    import sqlite3

    database = bytearray(content)
    if database[18:20] == b"\x02\x02":  # WAL mode, which an in-memory copy cannot have: the file itself is what GDAL reads
        database[18:20] = b"\x01\x01"
    connection = sqlite3.connect(":memory:")
    connection.text_factory = bytes  # as stored: a damaged file's text need not be UTF-8
    try:
        connection.deserialize(bytes(database))
        connection.execute("PRAGMA trusted_schema = OFF")
        rows = connection.execute("SELECT * FROM gpkg_spatial_ref_sys").fetchall()
    except (sqlite3.Error, ValueError) as error:  # ValueError: a message of SQLite's quoting damaged, undecodable text
        reason = printable(str(error)) if isinstance(error, sqlite3.Error) else "damaged text"
        raise ControlFileError(f"control file {shown} cannot be read as a GeoPackage ({reason}); expected a complete GeoPackage") from None
    finally:
        connection.close()
    return b"\n".join(value for row in rows for value in row if isinstance(value, bytes))


def flatgeobuf_header(content: bytes) -> bytes:
    """The header of the FlatGeobuf ``content`` (where its CRS is), or what there is of it."""
    size = int.from_bytes(content[8:12], "little") if len(content) >= 12 else 0
    return content[12 : 12 + size]
