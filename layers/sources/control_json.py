"""GeoJSON and TopoJSON control files parsed and checked by peacemap before GDAL reads them.

The file is parsed with Python's ``json`` module and its structure checked: the kind of
document its suffix names (a GDALG pipeline or any other JSON is refused), geometries made of
numbers, TopoJSON arc references that exist, a legacy ``crs`` member that names a CRS by its
authority code (a ``link`` would make GDAL fetch a URL, and a name GDAL does not know would be
read as WGS84 without a word), and at most a capped number of vertices and polygons, counted
while walking the document so that a file built to exhaust the machine is refused early. GDAL
then reads the document as re-serialised here (only the members checked, one value per key),
so what it reads is exactly what was checked.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from peacemap.layers.errors import ControlFileError
from peacemap.layers.sources import control_content
from peacemap.layers.text import printable

GEOJSON_TYPES = ("FeatureCollection", "Feature", "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection")
# Array depth of the coordinates of each geometry type: a position is 1.
_COORDINATE_DEPTH = {"Point": 1, "MultiPoint": 2, "LineString": 2, "MultiLineString": 3, "Polygon": 3, "MultiPolygon": 4}
# TopoJSON: array depth of "arcs" (a list of arc indices is 1), of the same types.
_ARC_DEPTH = {"LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
MAX_COLLECTION_DEPTH = 16  # geometry collections inside each other
_NUMBERS = (int, float)  # what json.loads makes of a JSON number (bool is another type)
# Legacy "crs" names accepted: an authority and a code, as the GeoJSON 2008 draft and OGC write them.
_CRS_NAMES = (
    re.compile(r"(?P<authority>EPSG|OGC|ESRI):(?P<code>\w+)", re.IGNORECASE),
    re.compile(r"urn:ogc:def:crs:(?P<authority>EPSG|OGC|ESRI):[\d.]*:(?P<code>\w+)", re.IGNORECASE),
    re.compile(r"https?://www\.opengis\.net/def/crs/(?P<authority>EPSG|OGC|ESRI)/[\d.]+/(?P<code>\w+)", re.IGNORECASE),
)


@dataclass(frozen=True)
class Limits:
    """The most vertices (positions, counted as often as a TopoJSON refers to an arc) and
    polygons (the parts of multi-polygons counted one by one) a control file may hold."""

    vertices: int
    polygons: int


@dataclass(frozen=True)
class JsonDocument:
    """A checked GeoJSON or TopoJSON document: ``driver`` is the GDAL driver that reads it."""

    data: bytes
    driver: str


def parse_json(content: bytes, *, suffix: str, shown: str, limits: Limits) -> JsonDocument:
    """Check the control file ``content`` (a ``.geojson``, ``.json`` or ``.topojson``) and return
    it as GDAL should read it.

    Raises
    ------
    ControlFileError
        One line naming what is wrong: not JSON (and what it is instead), another kind of
        JSON, a structure GeoJSON or TopoJSON does not allow, an arc index out of range, a
        ``crs`` member that links or names no known CRS, more vertices or polygons than ``limits``.
    """
    expected = "TopoJSON" if suffix == ".topojson" else ("GeoJSON or TopoJSON" if suffix == ".json" else "GeoJSON")
    document = _loaded(content, shown, expected)
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "Topology" and "TopoJSON" in expected:
        checked, driver = _Counter(shown, limits).topology(document), "TopoJSON"
    elif kind in GEOJSON_TYPES and "GeoJSON" in expected:
        checked, driver = _Counter(shown, limits).geojson(document), "GeoJSON"
    else:
        raise control_content.mismatch(_json_kind(document), expected=expected, shown=shown)
    data = json.dumps(checked, ensure_ascii=False, allow_nan=True, check_circular=False, separators=(",", ":")).encode()
    return JsonDocument(data=data, driver=driver)


def _loaded(content: bytes, shown: str, expected: str) -> Any:
    try:
        return json.loads(content.removeprefix(b"\xef\xbb\xbf").decode("utf-8"))
    except UnicodeDecodeError:
        found = control_content.describe(content)
        raise control_content.mismatch("text that is not UTF-8" if found == "text" else found, expected=f"{expected} (UTF-8 JSON)", shown=shown) from None
    except json.JSONDecodeError as error:
        found = control_content.describe(content)
        if found in ("JSON", "text", "blank"):
            raise ControlFileError(
                f"control file {shown} cannot be read as JSON ({printable(error.msg)}: line {error.lineno}, "
                f"column {error.colno}); expected a complete {expected} file"
            ) from None
        raise control_content.mismatch(found, expected=expected, shown=shown) from None
    except (RecursionError, ValueError) as error:  # arrays nested thousands deep; integers of over 4,300 digits
        reason = "arrays nested too deep" if isinstance(error, RecursionError) else printable(str(error).splitlines()[0])
        raise ControlFileError(f"control file {shown} cannot be read as JSON ({reason}); expected a {expected} file") from None


def _json_kind(document: Any) -> str:
    """What a parsed JSON document is, for a message."""
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "gdal_streamed_alg":
        return control_content.META_FORMATS["gdal_streamed_alg"]
    if kind == "Topology":
        return "TopoJSON"
    if kind in GEOJSON_TYPES:
        return "GeoJSON"
    if isinstance(kind, str):
        return f"JSON of type '{printable(kind[:40])}'"
    return 'JSON that is neither GeoJSON nor TopoJSON (no "type" member)' if isinstance(document, dict) else "JSON that is not an object"


class _Counter:
    """Walks a document, checking its structure and counting vertices and polygons against the
    limits; each ``geojson``/``topology`` call returns the document as GDAL should read it."""

    def __init__(self, shown: str, limits: Limits) -> None:
        self.shown = shown
        self.limits = limits
        self.vertices = 0
        self.polygons = 0

    # --- GeoJSON --------------------------------------------------------------------------------

    def geojson(self, document: dict) -> dict:
        if document["type"] == "FeatureCollection":
            features = document.get("features")
            if not isinstance(features, list):
                raise self.error('its FeatureCollection has no "features" array')
            features = [self.feature(feature, index) for index, feature in enumerate(features)]
        elif document["type"] == "Feature":
            features = [self.feature(document, 0)]
        else:  # a bare geometry: one feature without properties
            features = [{"type": "Feature", "properties": {}, "geometry": self.geometry(document, "its geometry", 0)}]
        checked: dict[str, Any] = {"type": "FeatureCollection"}
        if isinstance(document.get("name"), str):
            checked["name"] = document["name"]
        if document.get("crs") is not None:
            checked["crs"] = self.crs(document["crs"])
        checked["features"] = features
        return checked

    def feature(self, feature: Any, index: int) -> dict:
        where = f"feature {index + 1}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise self.error(f"{where} is not a Feature object")
        properties = feature.get("properties")
        if properties is not None and not isinstance(properties, dict):
            raise self.error(f"the properties of {where} are not an object")
        checked = {"type": "Feature", "properties": properties, "geometry": self.geometry(feature.get("geometry"), f"the geometry of {where}", 0)}
        if isinstance(feature.get("id"), (str, int)) and not isinstance(feature.get("id"), bool):
            checked["id"] = feature["id"]
        return checked

    def geometry(self, geometry: Any, where: str, depth: int) -> dict | None:
        if geometry is None:
            return None
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind == "GeometryCollection":
            members = self.collection(geometry, where, depth)
            return {"type": kind, "geometries": [self.geometry(member, where, depth + 1) for member in members]}
        if kind not in _COORDINATE_DEPTH:
            raise self.error(f"{where} is not a GeoJSON geometry (type {_shown_type(kind)})")
        coordinates = geometry.get("coordinates")
        self.count_polygons(kind, coordinates, where)  # first: a cheap count that stops a file of countless parts
        self.count_positions(coordinates, _COORDINATE_DEPTH[kind], where)
        return {"type": kind, "coordinates": coordinates}

    def collection(self, geometry: dict, where: str, depth: int) -> list:
        if depth >= MAX_COLLECTION_DEPTH:
            raise self.error(f"{where} nests geometry collections more than {MAX_COLLECTION_DEPTH} deep")
        members = geometry.get("geometries")
        if not isinstance(members, list):
            raise self.error(f'{where} is a GeometryCollection without a "geometries" array')
        return members

    def count_positions(self, coordinates: Any, depth: int, where: str) -> None:
        """Check that ``coordinates`` are arrays ``depth`` deep ending in positions (arrays whose
        first two values are numbers), counting the positions."""
        if not isinstance(coordinates, list):
            raise self.error(f"{where} has coordinates that are not arrays of numbers")
        if depth == 1:
            self.count_line([coordinates], where)
        elif depth == 2:
            self.count_line(coordinates, where)
        else:
            for part in coordinates:
                self.count_positions(part, depth - 1, where)

    def count_line(self, positions: list, where: str) -> None:
        """Check and count a list of positions (a ring, a line, the points of a multi-point):
        the loop that runs once per vertex, kept to a few operations."""
        for position in positions:
            if type(position) is not list or len(position) < 2 or type(position[0]) not in _NUMBERS or type(position[1]) not in _NUMBERS:
                raise self.error(f"{where} has a position that is not an array of two or more numbers")
        self.vertices += len(positions)
        if self.vertices > self.limits.vertices:
            raise self.too_many("vertices", self.limits.vertices)

    def count_polygons(self, kind: str, parts: Any, where: str) -> None:
        if not isinstance(parts, list):
            raise self.error(f"{where} has coordinates that are not arrays")
        if kind == "Polygon":
            self.polygons += 1 if parts else 0
        elif kind == "MultiPolygon":
            self.polygons += len(parts)
        if self.polygons > self.limits.polygons:
            raise self.too_many("polygons", self.limits.polygons)

    def crs(self, member: Any) -> dict:
        """The legacy ``crs`` member, if it names a CRS by authority and code GDAL and PROJ know."""
        kind = member.get("type") if isinstance(member, dict) else None
        properties = member.get("properties") if isinstance(member, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        if kind == "link":
            href = printable(str(properties.get("href", ""))[:80])
            raise self.error(
                f"its legacy 'crs' member is a link ('{href}'); peacemap fetches nothing a control file names: "
                'give the CRS by name ("name": "EPSG:3857") or leave the member out (WGS84)'
            )
        if kind == "EPSG" and isinstance(properties.get("code"), int) and not isinstance(properties.get("code"), bool):
            name = f"EPSG:{properties['code']}"
        elif kind == "name" and isinstance(properties.get("name"), str):
            name = properties["name"]
        else:
            raise self.error(
                f"its legacy 'crs' member is not a CRS name (type {_shown_type(kind)}); expected "
                '{"type": "name", "properties": {"name": "EPSG:3857"}} or no \'crs\' member (WGS84)'
            )
        _check_crs_name(name, self)
        return {"type": "name", "properties": {"name": name}}

    # --- TopoJSON -------------------------------------------------------------------------------

    def topology(self, document: dict) -> dict:
        arcs, objects = document.get("arcs"), document.get("objects")
        if not isinstance(arcs, list) or not isinstance(objects, dict):
            raise self.error('its Topology has no "arcs" array or no "objects" object')
        arc_sizes = []
        for index, arc in enumerate(arcs):
            before = self.vertices
            self.count_positions(arc, 2, f"arc {index}")
            arc_sizes.append(self.vertices - before)
        self.vertices = 0  # what counts is how many vertices the objects draw
        checked: dict[str, Any] = {"type": "Topology"}
        if "transform" in document:
            checked["transform"] = self.transform(document["transform"])
        checked["arcs"] = arcs
        checked["objects"] = {name: self.topo_geometry(value, f"object '{printable(str(name)[:40])}'", 0, arc_sizes) for name, value in objects.items()}
        return checked

    def transform(self, transform: Any) -> dict:
        def pair(value: Any) -> bool:
            return isinstance(value, list) and len(value) == 2 and all(type(n) in _NUMBERS and math.isfinite(n) for n in value)

        if not isinstance(transform, dict) or not pair(transform.get("scale")) or not pair(transform.get("translate")):
            raise self.error('its "transform" is not a scale and a translate of two finite numbers each')
        return {"scale": transform["scale"], "translate": transform["translate"]}

    def topo_geometry(self, geometry: Any, where: str, depth: int, arc_sizes: list[int]) -> dict:
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if not isinstance(geometry, dict) or (kind is not None and kind not in GEOJSON_TYPES[2:]):
            raise self.error(f"{where} is not a TopoJSON geometry (type {_shown_type(kind)})")
        checked: dict[str, Any] = {"type": kind}
        if kind == "GeometryCollection":
            members = self.collection(geometry, where, depth)
            checked["geometries"] = [self.topo_geometry(member, where, depth + 1, arc_sizes) for member in members]
        elif kind in ("Point", "MultiPoint"):
            self.count_positions(geometry.get("coordinates"), _COORDINATE_DEPTH[kind], where)
            checked["coordinates"] = geometry["coordinates"]
        elif kind is not None:
            self.count_polygons(kind, geometry.get("arcs"), where)
            self.count_arcs(geometry.get("arcs"), _ARC_DEPTH[kind], where, arc_sizes)
            checked["arcs"] = geometry["arcs"]
        for member in ("properties", "id"):
            if member in geometry and (member != "properties" or isinstance(geometry[member], dict) or geometry[member] is None):
                checked[member] = geometry[member]
        return checked

    def count_arcs(self, references: Any, depth: int, where: str, arc_sizes: list[int]) -> None:
        """Check that ``references`` are arrays ``depth`` deep of arc indices in range (``~i``,
        that is ``-i - 1``, is arc ``i`` reversed), counting the vertices they draw."""
        pending = [(references, depth)]
        count = len(arc_sizes)
        while pending:
            value, level = pending.pop()
            if not isinstance(value, list):
                raise self.error(f'{where} has "arcs" that are not arrays of arc indices')
            if level > 1:
                pending.extend((item, level - 1) for item in value)
                continue
            for index in value:
                if not isinstance(index, int) or isinstance(index, bool):
                    raise self.error(f"{where} refers to an arc by something that is not an integer")
                if not -count <= index < count:
                    raise self.error(
                        f"{where} refers to arc {index}, but the topology has {count:,} arcs "
                        f"(0 to {count - 1}, or reversed -1 to {-count}); expected a TopoJSON whose arcs are all present"
                    )
                self.vertices += arc_sizes[index if index >= 0 else -index - 1]
            if self.vertices > self.limits.vertices:
                raise self.too_many("vertices", self.limits.vertices)

    # --- messages -------------------------------------------------------------------------------

    def error(self, what: str) -> ControlFileError:
        return ControlFileError(f"control file {self.shown}: {what}")

    def too_many(self, what: str, limit: int) -> ControlFileError:
        return ControlFileError(
            f"control file {self.shown} holds more than {limit:,} {what}; expected a map of control "
            f"with at most {self.limits.vertices:,} vertices and {self.limits.polygons:,} polygons (simplify it in a GIS)"
        )


def _check_crs_name(name: str, counter: _Counter) -> None:
    """Refuse a legacy CRS name that is not an authority code PROJ knows: GDAL reads any name it
    cannot resolve as WGS84, and would read a URL or a file a name points at."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    match = next((m for pattern in _CRS_NAMES if (m := pattern.fullmatch(name.strip()))), None)
    if match is None:
        raise counter.error(
            f"its legacy 'crs' member names '{printable(name[:80])}'; expected an authority code such as EPSG:3857 or urn:ogc:def:crs:EPSG::3857"
        )
    try:
        CRS.from_authority(match["authority"].upper(), match["code"])
    except CRSError:
        raise counter.error(
            f"its legacy 'crs' member names '{printable(name[:80])}', which is not a known CRS; expected an authority code such as EPSG:3857"
        ) from None


def _shown_type(kind: Any) -> str:
    return f"'{printable(kind[:40])}'" if isinstance(kind, str) else "missing"
