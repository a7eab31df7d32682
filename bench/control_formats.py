"""Reading a control map in each format --control accepts: pyogrio against fiona.

Writes DeepState's snapshot of 2025-11-20 (the registry's pinned copy, 80 KB of GeoJSON, one
MultiPolygon of 3,059 vertices) in every format with pyogrio into a temporary folder, then reads
each file with geopandas through pyogrio and through fiona (if installed: ``pip install fiona``;
it is not a peacemap dependency) and through peacemap's own reader (pyogrio plus the checks and
repairs). Prints, per format, the median of 15 reads in milliseconds and whether the polygon read
equals DeepState's (symmetric difference under 1e-9 deg²), as a Markdown table.

    .venv/bin/python bench/control_formats.py
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import shapely

from peacemap.layers.sources import registry
from peacemap.layers.sources.control_file import read_control_file
from peacemap.layers.sources.deepstate import read_snapshot

DATE = dt.date(2025, 11, 20)
REPEATS = 15


def write_formats(folder: Path) -> dict[str, Path]:
    """DeepState's polygon of :data:`DATE` in every format, by a short description."""
    occupied = gpd.read_file(registry.fetch(registry.deepstate_source(DATE)))
    files = {"GeoJSON": folder / "occupied.geojson"}
    occupied.to_file(files["GeoJSON"])
    files["GeoJSON, EPSG:3857 (legacy crs)"] = folder / "occupied-3857.geojson"
    occupied.to_crs(3857).to_file(files["GeoJSON, EPSG:3857 (legacy crs)"])
    files["GeoPackage"] = folder / "occupied.gpkg"
    occupied.to_file(files["GeoPackage"])
    files["KML"] = folder / "occupied.kml"
    occupied.to_file(files["KML"], driver="KML")
    files["KMZ, one doc.kml"] = folder / "google.kmz"
    with zipfile.ZipFile(files["KMZ, one doc.kml"], "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(files["KML"], "doc.kml")
    files["KMZ, doc.kml + layers/ (GDAL)"] = folder / "gdal.kmz"
    occupied.to_file(files["KMZ, doc.kml + layers/ (GDAL)"], driver="LIBKML", layer="occupied")
    occupied.to_file(folder / "occupied.shp")
    files["shapefile (.shp)"] = folder / "occupied.shp"
    occupied.to_crs(3857).to_file(folder / "occupied-3857.shp")
    files["shapefile, EPSG:3857, zipped"] = folder / "occupied-3857.zip"
    with zipfile.ZipFile(files["shapefile, EPSG:3857, zipped"], "w", zipfile.ZIP_DEFLATED) as archive:
        for part in folder.glob("occupied-3857.*"):
            if part.suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                archive.write(part, part.name)
    files["FlatGeobuf"] = folder / "occupied.fgb"
    occupied.to_file(files["FlatGeobuf"])
    files["TopoJSON"] = folder / "occupied.topojson"
    files["TopoJSON"].write_text(json.dumps(_topology(occupied.geometry.iloc[0])))
    return files


def _topology(multipolygon) -> dict:  # noqa: ANN001 - a shapely MultiPolygon
    arcs, polygons = [], []
    for polygon in shapely.get_parts(multipolygon):
        rings = []
        for ring in [polygon.exterior, *polygon.interiors]:
            arcs.append([list(xy) for xy in ring.coords])
            rings.append([len(arcs) - 1])
        polygons.append(rings)
    return {
        "type": "Topology",
        "arcs": arcs,
        "objects": {"occupied": {"type": "GeometryCollection", "geometries": [{"type": "MultiPolygon", "arcs": polygons}]}},
    }


def _engine_reader(engine: str) -> Callable[[Path], object]:
    def read(path: Path):
        target = f"zip://{path}" if engine == "fiona" and path.suffix == ".zip" else path
        if engine == "fiona" and path.suffix == ".kmz":
            target = f"zip://{path}!doc.kml"  # fiona has no KMZ driver: the KML document inside
        frame = gpd.read_file(target, engine=engine)
        if frame.crs is None:  # TopoJSON: lon/lat by definition, declared by neither engine
            frame = frame.set_crs(4326)
        return shapely.union_all(frame.to_crs(4326).geometry.values)

    return read


def _peacemap_read(path: Path):
    return read_control_file(path, as_of=None).polygon


def _median_ms(read: Callable[[Path], object], path: Path) -> tuple[float | None, object]:
    times, result = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        try:
            result = read(path)
        except Exception as error:  # an engine that cannot read the format: reported, not fatal
            return None, f"{type(error).__name__}: {str(error).splitlines()[0][:60]}"
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times), result


def main() -> None:
    reference = read_snapshot(DATE)
    readers: dict[str, Callable[[Path], object]] = {"pyogrio": _engine_reader("pyogrio")}
    try:
        import fiona

        readers["fiona"] = _engine_reader("fiona")
        # fiona lists the drivers it supports; its GDAL has a KML reader (not LIBKML), off by default.
        fiona.supported_drivers.setdefault("KML", "r")
        fiona_version = f"fiona {fiona.__version__} (GDAL {fiona.__gdal_version__}, KML driver switched on)"
    except ImportError:
        fiona_version = "fiona: not installed (pip install fiona)"
    readers["peacemap (pyogrio + checks)"] = _peacemap_read
    import pyogrio

    print(f"pyogrio {pyogrio.__version__} (GDAL {pyogrio.__gdal_version_string__}); {fiona_version}; median of {REPEATS} reads, ms\n")
    print("| format | " + " | ".join(readers) + " |")
    print("| --- | " + " | ".join("---:" for _ in readers) + " |")
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, path in write_formats(Path(folder)).items():
            cells = []
            for read in readers.values():
                ms, result = _median_ms(read, path)
                if ms is None:
                    cells.append(f"fails ({result})")
                    continue
                same = shapely.symmetric_difference(result, reference).area < 1e-9
                cells.append(f"{ms:.1f}" + ("" if same else " (differs)"))
            print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
