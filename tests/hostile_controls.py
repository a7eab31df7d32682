"""Hostile control files of issue 24, items 1-3, written into a test's folder: files in the formats
``--control`` reads whose content is an OGR VRT or GDALG file (which make GDAL read other files,
standard input, a named pipe or a URL), and a GeoJSON whose legacy ``crs`` member is a link.

Each file names only things inside the test's folder (a CSV of a polygon standing for a secret
file, a FIFO) or the test's own HTTP server on 127.0.0.1, which counts the requests it gets.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import json
import os
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

# The suffixes a single hostile document can hide under (a .kmz, .zip or .shp wraps it).
DOCUMENT_SUFFIXES = (".geojson", ".json", ".topojson", ".gpkg", ".fgb", ".kml")
SECRET_POLYGON = "POLYGON ((37.5 48, 38 48, 38 48.5, 37.5 48.5, 37.5 48))"  # over Donetsk: it would be read
# Every probe, by file name: VRT and GDALG under every suffix, then what they are pointed at.
PROBE_NAMES = (
    *(f"{kind}{suffix}" for kind in ("vrt", "gdalg-sql") for suffix in (*DOCUMENT_SUFFIXES, ".kmz", ".zip", ".shp")),
    "vrt-vsistdin.geojson",
    "gdalg-vsistdin.geojson",
    "vrt-fifo.geojson",
    "gdalg-fifo.geojson",
    "vrt-vsicurl.geojson",
    "gdalg-vsicurl.geojson",
    "gdalg-vsicurl.gpkg",
    "crs-link.geojson",
)


class RequestLog:
    """An HTTP server on 127.0.0.1 that answers every GET or HEAD with a WGS84 WKT and records its path."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        log = self.paths

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name
                log.append(self.path)
                body = b'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_HEAD = do_GET

            def log_message(self, *args) -> None:  # silence
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    @contextlib.contextmanager
    def running(self) -> Iterator[RequestLog]:
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()


def vrt(source: str) -> bytes:
    """An OGR VRT document whose layer is read from ``source`` (a file, /vsistdin/, a URL)."""
    return (
        f'<OGRVRTDataSource><OGRVRTLayer name="occupied"><SrcDataSource>{source}</SrcDataSource><SrcLayer>secret</SrcLayer>'
        '<GeometryType>wkbPolygon</GeometryType><LayerSRS>EPSG:4326</LayerSRS><GeometryField encoding="WKT" field="WKT"/>'
        "</OGRVRTLayer></OGRVRTDataSource>"
    ).encode()


def gdalg(source: str, *, sql: bool = True) -> bytes:
    """A GDALG document: a GDAL pipeline reading ``source``, with an SQL step making its WKT
    column the geometry (the issue's way of turning a file's bytes into polygon corners)."""
    steps = f"gdal vector pipeline ! read {source}"
    if sql:
        steps += ' ! sql --sql "SELECT ST_GeomFromText(WKT) AS geom FROM secret" --dialect SQLite ! edit --crs EPSG:4326'
    return json.dumps({"type": "gdal_streamed_alg", "command_line": steps, "relative_paths_relative_to_this_file": False}).encode()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write_probes(folder: Path, url: str) -> dict[str, Path]:
    """Every probe of items 1-3 in ``folder``, by name (``gdalg-sql.geojson``, ``vrt.kmz``...).

    ``folder`` also gets what they point at: ``secret.csv`` (a polygon as WKT) and ``pipe`` (a
    FIFO no one writes to).
    """
    secret = folder / "secret.csv"
    secret.write_text(f'id,WKT\n1,"{SECRET_POLYGON}"\n')
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    documents = {"vrt": vrt(str(secret)), "gdalg-sql": gdalg(str(secret))}
    probes: dict[str, bytes] = {}
    for kind, data in documents.items():
        for suffix in DOCUMENT_SUFFIXES:
            probes[f"{kind}{suffix}"] = data
        probes[f"{kind}.kmz"] = _zip({"doc.kml": data})
        probes[f"{kind}.zip"] = _zip({"occupied.shp": data, "occupied.shx": data, "occupied.dbf": data})
        probes[f"{kind}.shp"] = data
        (folder / f"{kind}.shx").write_bytes(data)
        (folder / f"{kind}.dbf").write_bytes(data)
    probes.update(
        {
            "vrt-vsistdin.geojson": vrt("/vsistdin/"),
            "gdalg-vsistdin.geojson": gdalg("/vsistdin/", sql=False),
            "vrt-fifo.geojson": vrt(str(fifo)),
            "gdalg-fifo.geojson": gdalg(str(fifo), sql=False),
            "vrt-vsicurl.geojson": vrt(f"/vsicurl/{url}/secret.csv"),
            "gdalg-vsicurl.geojson": gdalg(f"/vsicurl/{url}/secret.geojson", sql=False),
            "gdalg-vsicurl.gpkg": gdalg(f"/vsicurl/{url}/secret.geojson", sql=False),
            "crs-link.geojson": json.dumps(
                {
                    "type": "FeatureCollection",
                    "crs": {"type": "link", "properties": {"href": f"{url}/crs.wkt", "type": "ogcwkt"}},
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {},
                            "geometry": {"type": "Polygon", "coordinates": [[[37.5, 48.0], [38.0, 48.0], [38.0, 48.5], [37.5, 48.5], [37.5, 48.0]]]},
                        }
                    ],
                }
            ).encode(),
        }
    )
    paths = {}
    for name, data in probes.items():
        path = folder / name
        path.write_bytes(data)
        paths[name] = path
    return paths


def deflated_zeros(size: int, *, chunk: int = 1 << 20) -> bytes:
    """A raw deflate stream that inflates to ``size`` zero bytes, built without inflating them:
    each megabyte is compressed once, ended by a full flush (which makes it byte-aligned and
    independent of what came before), and repeated."""
    import zlib

    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    count, rest = divmod(size, chunk)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    return block * count + tail.compress(bytes(rest)) + tail.flush()


def zip_declaring(members: dict[str, tuple[int, int, bytes]]) -> bytes:
    """A zip whose members are ``name: (declared size, declared CRC-32, deflate stream)``: the
    sizes and CRCs are what the archive claims, not what the streams inflate to."""
    import struct

    local, central = b"", b""
    for name, (size, crc, stream) in members.items():
        encoded = name.encode()
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(stream), size, len(encoded), 0)
        central += (
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(stream), size, len(encoded), 0, 0, 0, 0, 0, len(local)) + encoded
        )
        local += header + encoded + stream
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    return local + central + end


def _kml(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>'.encode()


_PLACEMARK = (
    "<Placemark><name>occupied</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
    "37.5,48 38,48 38,48.5 37.5,48.5 37.5,48</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
)


def _network_link(href: str) -> str:
    return f"<NetworkLink><name>{href[-12:]}</name><Link><href>{href}</href></Link></NetworkLink>"


def _geopackage_with_view(path: Path, expression: str) -> None:
    """A GeoPackage whose only layer is a view adding the column ``x = expression`` to a square
    over Donetsk (the table under it is not a layer)."""
    import sqlite3
    import warnings

    import geopandas as gpd
    import shapely

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.box(37.5, 48.0, 38.0, 48.5)], crs=4326).to_file(path, layer="base")
    with contextlib.closing(sqlite3.connect(path)) as database:
        database.execute(f"CREATE VIEW v AS SELECT fid, geom, {expression} AS x FROM base")
        database.execute("UPDATE gpkg_contents SET table_name = 'v', identifier = 'v' WHERE table_name = 'base'")
        database.execute("UPDATE gpkg_geometry_columns SET table_name = 'v' WHERE table_name = 'base'")
        database.commit()


# Files GDAL may read (they are what their names say) whose content names other files or URLs:
# a KMZ linking documents outside itself, GeoPackage views calling GDAL's SQL functions.
# Also files in a CRS whose transformation reads a grid file: the secret file, or the FIFO.
LINKING_NAMES = (
    "links.kmz",
    "view-pixel-secret.gpkg",
    "view-pixel-fifo.gpkg",
    "view-pixel-url.gpkg",
    "view-geocode.gpkg",
    "grid-secret.fgb",
    "grid-fifo.gpkg",
    "grid-secret.shp",
)


def write_linking(folder: Path, url: str) -> dict[str, Path]:
    """The files of :data:`LINKING_NAMES` in ``folder`` (after :func:`write_probes`, whose
    ``secret.csv`` and ``pipe`` they name; also ``outside.kml``, which the KMZ links to)."""
    (folder / "outside.kml").write_bytes(_kml(_PLACEMARK))
    links = [f"{url}/linked.kml", str(folder / "outside.kml"), "../outside.kml", "layers/occupied.kml"]
    (folder / "links.kmz").write_bytes(_zip({"doc.kml": _kml("".join(_network_link(href) for href in links)), "layers/occupied.kml": _kml(_PLACEMARK)}))
    views = {
        "view-pixel-secret.gpkg": f"gdal_get_pixel_value('{folder / 'secret.csv'}', 1, 'pixel', 0, 0)",
        "view-pixel-fifo.gpkg": f"gdal_get_pixel_value('{folder / 'pipe'}', 1, 'pixel', 0, 0)",
        "view-pixel-url.gpkg": f"gdal_get_pixel_value('/vsicurl/{url}/raster.tif', 1, 'pixel', 0, 0)",
        "view-geocode.gpkg": "ogr_geocode('Kyiv', 'osm_id')",
    }
    for name, expression in views.items():
        _geopackage_with_view(folder / name, expression)
    _with_grid(folder / "grid-secret.fgb", folder / "secret.csv")
    _with_grid(folder / "grid-fifo.gpkg", folder / "pipe")
    _with_grid(folder / "grid-secret.shp", folder / "secret.csv")
    return {name: folder / name for name in LINKING_NAMES}


def _with_grid(path: Path, grid: Path) -> None:
    """A square over Donetsk in a WGS84 whose datum shift is the grid file ``grid``
    (``+nadgrids=``), as GDAL writes such a CRS into a file (for a shapefile, into its .prj as
    WKT with GDAL's PROJ4_GRIDS extension). GDAL opens the grid as it writes the CRS: a FIFO is
    put in its place afterwards (GeoPackage only)."""
    import sqlite3
    import warnings

    import geopandas as gpd
    import shapely

    written = grid if grid.is_file() else path.with_suffix(".no-such-grid")
    crs = f"+proj=longlat +datum=WGS84 +nadgrids={written} +type=crs"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gpd.GeoDataFrame(geometry=[shapely.box(37.5, 48.0, 38.0, 48.5)], crs=crs).to_file(path)
    if path.suffix == ".shp":
        wkt = (
            'GEOGCS["unknown",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563],'
            f'EXTENSION["PROJ4_GRIDS","{grid}"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]'
        )
        path.with_suffix(".prj").write_text(wkt)
    if written != grid:
        with contextlib.closing(sqlite3.connect(path)) as database:
            database.execute("UPDATE gpkg_spatial_ref_sys SET definition = replace(definition, ?, ?)", (str(written), str(grid)))
            database.commit()
