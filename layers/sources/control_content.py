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
_SUFFIX_OF = {"GeoJSON": ".geojson", "TopoJSON": ".topojson", "a GeoPackage": ".gpkg", "a KML document": ".kml",
              "a FlatGeobuf file": ".fgb", "an ESRI shapefile (.shp)": ".shp", "a zip archive": ".zip or .kmz"}
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
            raise ControlFileError(f"control file {shown}{_member(member)} declares a DOCTYPE or XML entities; "
                                   "expected a plain KML document (entities could make the XML parser read other files)")
        return
    raise mismatch(found, expected=expected, shown=shown, member=member)


def mismatch(found: str, *, expected: str, shown: str, member: str = "") -> ControlFileError:
    """The one-line refusal of a file (or zip member) that holds ``found`` instead of ``expected``."""
    where = f"control file {shown}{_member(member)}"
    if found in META_FORMATS.values():
        return ControlFileError(f"{where} holds {found}, not {expected}: such a file makes GDAL read other files or URLs; "
                                "peacemap reads only what a control file holds")
    hint = f" (a file of that kind needs the suffix {_SUFFIX_OF[found]})" if found in _SUFFIX_OF and not member else ""
    return ControlFileError(f"{where} holds {found}, not {expected} as its name says{hint}")


def _member(member: str) -> str:
    return f": its member '{member}'" if member else ""
