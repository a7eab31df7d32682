"""A population file of the user's own (``--population``): read, checked and identified.

Three kinds of file, told apart by their suffix:

- a **table** (``.csv``, UTF-8, comma, semicolon or tab separated; or ``.xlsx``, its first sheet),
  a header row and one row per hromada or per city or town, with a count column (``population``,
  ``count``, ``people``, ``persons`` or ``total``) and either a ``katotth`` column (the hromada's
  KATOTTH code, ``UA`` and 17 digits), or ``hromada`` and ``oblast`` columns (names, ``raion``
  optional), or ``settlement`` and ``oblast`` columns (``raion`` and ``hromada`` optional);
- **points** with a count field, in any format ``--control`` reads (read through the same code,
  :mod:`.vector_layer`), in the CRS the file declares;
- a **raster** of counts per cell (``.tif``/``.tiff``, GeoTIFF only), in the CRS it declares.

The file is untrusted, like a control file: a regular file under a size cap, a declared CRS for
points and rasters, counts that are finite numbers of at least 0, at most so many rows, points or
cells; anything else is refused in one line naming the file. GDAL reads a raster from memory
with the GeoTIFF driver alone, side-car files and the network switched off (:func:`open_raster`).
Nothing here knows hromadas or zones: :mod:`peacemap.layers.population.own` joins and sums.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import math
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from peacemap.layers.errors import PopulationFileError
from peacemap.layers.sources import vector_layer
from peacemap.layers.text import printable

if TYPE_CHECKING:
    from rasterio.io import DatasetReader

TABLE_SUFFIXES = (".csv", ".xlsx")
RASTER_SUFFIXES = (".tif", ".tiff")
HROMADAS, SETTLEMENTS, POINTS, RASTER = "hromada table", "settlement table", "points", "raster"
KINDS = (HROMADAS, SETTLEMENTS, POINTS, RASTER)
# Size caps. A table of every hromada is about 100 KB, of every settlement of Ukraine (some
# 28,000) about 2 MB; WorldPop's 100 m counts of Ukraine are about 100 MB as a compressed GeoTIFF.
MAX_TABLE_BYTES = 32 * 2**20
MAX_VECTOR_BYTES = 256 * 2**20
MAX_RASTER_BYTES = 512 * 2**20
MAX_UNZIPPED_XLSX_BYTES = 256 * 2**20
MAX_ROWS = 100_000
MAX_POINTS = 2_000_000
MAX_RASTER_CELLS = 1_000_000_000  # read window by window, never whole
COUNT_COLUMNS = ("population", "count", "people", "persons", "total")
CODE_COLUMNS = ("katotth", "katottg")
KATOTTH = re.compile(r"UA\d{17}")
EXPECTED = (
    "a table (.csv or .xlsx) of counts by hromada or by city or town, points with a count field "
    f"({', '.join(vector_layer.SUFFIXES)}), or a GeoTIFF of counts per cell (.tif)"
)
# GDAL, for a raster: no side-car files (.aux.xml, .ovr, .tfw, a folder listing), no network.
RASTER_GDAL_CONFIG = {
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_GEOREF_SOURCES": "INTERNAL",
    "GDAL_PAM_ENABLED": "NO",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".peacemap-no-network",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "GTIFF_REPORT_COMPD_CS": "NO",
}


@dataclass(frozen=True)
class RasterData:
    """A GeoTIFF's bytes and what was read of it (CRS as WKT, affine transform, size, nodata)."""

    content: bytes
    crs_wkt: str
    transform: tuple[float, ...]
    width: int
    height: int
    nodata: float | None
    total: float  # the sum of its counts (cells that are not nodata)


@dataclass(frozen=True)
class PopulationFile:
    """A population file, checked.

    Attributes
    ----------
    kind
        One of :data:`KINDS`.
    name
        The file's name, printable.
    sha256
        Of the bytes read (a bare shapefile: of the listing of its parts, as for a control file).
    table
        Tables: one row per line (``line``, the line or row number in the file), with ``count``
        (persons, float) and the key columns given (``katotth``; ``hromada``, ``oblast``,
        ``raion``; ``settlement``, ``oblast``, ``raion``, ``hromada``), text stripped.
    points
        Points: ``count`` and point geometry, EPSG:4326.
    raster
        Rasters.
    count_field
        The column or field the counts were read from.
    """

    kind: str
    name: str
    sha256: str
    table: pd.DataFrame | None = None
    points: gpd.GeoDataFrame | None = None
    raster: RasterData | None = None
    count_field: str = ""
    crs: str = ""  # the CRS the file declares (points, rasters), as EPSG:n where it has a code
    notes: tuple[str, ...] = field(default_factory=tuple)


def read_population_file(path: Path) -> PopulationFile:
    """Read and check ``path`` (see the module docstring).

    Raises
    ------
    PopulationFileError
        One line naming the file (printable) and what is wrong: not a regular file, an unknown
        suffix, over the size cap, no count column or field, a count that is not a finite number
        of at least 0 (NaN, negative, text), no declared CRS, too many rows, points or cells.
    """
    path = Path(path)
    shown = printable(str(path))
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return _read_table(path, shown, suffix)
    if suffix in RASTER_SUFFIXES:
        return _read_raster(path, shown)
    if suffix in vector_layer.SUFFIXES:
        return _read_points(path, shown)
    raise PopulationFileError(f"population file {shown}: unsupported extension '{printable(path.suffix)}'; expected {EXPECTED}")


def _read_bytes(path: Path, shown: str, cap: int) -> bytes:
    """The bytes of ``path``: a regular file (a FIFO or a device would block or never end) of at
    most ``cap`` bytes, checked before reading."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise PopulationFileError(f"population file {shown} does not exist; expected the path of {EXPECTED}") from None
    except OSError as error:
        raise PopulationFileError(
            f"population file {shown} cannot be read ({printable(error.strerror or type(error).__name__)}); check its path and permissions"
        ) from None
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise PopulationFileError(f"population file {shown} is not a regular file; expected {EXPECTED}")
        _check_size(status.st_size, cap, shown)
        content = stream.read(cap + 1)
    _check_size(len(content), cap, shown)
    if not content:
        raise PopulationFileError(f"population file {shown} is empty; expected {EXPECTED}")
    return content


def _check_size(size: int, cap: int, shown: str) -> None:
    if size > cap:
        raise PopulationFileError(f"population file {shown} is {size:,} bytes; expected at most {cap:,} bytes ({cap // 2**20} MiB) for a file of its kind")


# --- tables -----------------------------------------------------------------------------------------


def _read_table(path: Path, shown: str, suffix: str) -> PopulationFile:
    content = _read_bytes(path, shown, MAX_TABLE_BYTES)
    header, rows = _xlsx_rows(content, shown) if suffix == ".xlsx" else _csv_rows(content, shown)
    columns = [_column_name(cell) for cell in header]
    count_column = _one_of(columns, COUNT_COLUMNS, "count", shown)
    if "koatuu" in columns:
        raise PopulationFileError(
            f"population file {shown}: column 'koatuu': KOATUU codes cannot be joined, since peacemap's sources "
            "(the official table 6, the KSE hromadas, the OPORA territories) carry none; give KATOTTH codes "
            "(column katotth) or names (columns hromada and oblast)"
        )
    code = next((c for c in CODE_COLUMNS if c in columns), None)
    if code is not None:
        kind, keys = HROMADAS, {"katotth": code}
    elif "hromada" in columns and "oblast" in columns and "settlement" not in columns:
        kind, keys = HROMADAS, {"hromada": "hromada", "oblast": "oblast", "raion": "raion"}
    elif "settlement" in columns and "oblast" in columns:
        kind, keys = SETTLEMENTS, {"settlement": "settlement", "oblast": "oblast", "raion": "raion", "hromada": "hromada"}
    else:
        raise PopulationFileError(
            f"population file {shown}: no column naming the hromada or the settlement (columns: "
            f"{_listed(columns)}); expected katotth, or hromada and oblast, or settlement and oblast"
        )
    if len(rows) > MAX_ROWS:
        raise PopulationFileError(f"population file {shown} has {len(rows):,} rows; expected at most {MAX_ROWS:,}")
    if not rows:
        raise PopulationFileError(f"population file {shown} has a header and no rows; expected one row per hromada or settlement")
    records = []
    for line, row in rows:
        cells = dict(zip(columns, row))
        record: dict[str, object] = {"line": line, "count": _count(cells.get(count_column), count_column, line, shown)}
        for key, column in keys.items():
            value = cells.get(column)
            record[key] = "" if value is None else str(value).strip()
        if code is not None and not KATOTTH.fullmatch(str(record["katotth"])):
            raise PopulationFileError(
                f"population file {shown} line {line}: '{code}' should be a KATOTTH code such as UA14020010000088496, got {_shown(record['katotth'])}"
            )
        records.append(record)
    table = pd.DataFrame(records)
    return PopulationFile(
        kind=kind, name=printable(path.name), sha256=hashlib.sha256(content).hexdigest(), table=table, count_field=header[columns.index(count_column)]
    )


def _column_name(cell: object) -> str:
    return "" if cell is None else re.sub(r"\s+", "_", str(cell).strip().lstrip("\ufeff").lower())


def _one_of(columns: list[str], names: tuple[str, ...], what: str, shown: str) -> str:
    found = [c for c in columns if c in names]
    if len(found) != 1:
        problem = "no" if not found else f"{len(found)} ({', '.join(found)})"
        raise PopulationFileError(f"population file {shown}: {problem} {what} column among {_listed(columns)}; expected one of {', '.join(names)}")
    return found[0]


def _listed(names: list[str]) -> str:
    shown = [_shown(name) for name in names[:12]]
    return ", ".join(shown) + (f" and {len(names) - 12} more" if len(names) > 12 else "") if names else "none"


def _shown(value: object) -> str:
    text = printable(str(value))
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _count(value: object, column: str, line: int, shown: str) -> float:
    """A count cell as a number of persons: finite, at least 0 (text: digits, an optional decimal
    point; spaces between thousands allowed)."""
    number = math.nan
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        text = value.replace("\u00a0", "").replace(" ", "").strip()
        if re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
            number = float(text)
    if not math.isfinite(number) or number < 0:
        raise PopulationFileError(
            f"population file {shown} line {line}: '{column}' should be a count of people, a finite number of at least 0, "
            f"got {_shown('' if value is None else value)}"
        )
    return number


def _csv_rows(content: bytes, shown: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PopulationFileError(f"population file {shown} is not UTF-8 text; expected a CSV file in UTF-8") from None
    first = text.split("\n", 1)[0]
    delimiter = max((";", "\t", ","), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader, [])
        rows: list[tuple[int, list[str]]] = []
        for number, row in enumerate(reader, start=2):
            if len(rows) > MAX_ROWS:
                break
            if any(cell.strip() for cell in row):
                rows.append((number, row))
    except csv.Error as error:
        raise PopulationFileError(f"population file {shown} is not a valid CSV file ({printable(str(error))})") from None
    if not header:
        raise PopulationFileError(f"population file {shown} has no header row; expected column names on the first line")
    return header, rows


def _xlsx_rows(content: bytes, shown: str) -> tuple[list[str], list[tuple[int, list]]]:
    """The first sheet's rows, after checking the archive (a zip) would not inflate beyond the cap."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            inflated = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PopulationFileError(f"population file {shown} is not an XLSX workbook (not a zip archive); expected an .xlsx file") from None
    if inflated > MAX_UNZIPPED_XLSX_BYTES:
        raise PopulationFileError(
            f"population file {shown} would inflate to {inflated:,} bytes; expected a workbook of at most {MAX_UNZIPPED_XLSX_BYTES // 2**20} MiB unpacked"
        )
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise PopulationFileError(f"population file {shown} cannot be read as a workbook ({printable(type(error).__name__)}); expected an .xlsx file") from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        header: list = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number == 1:
                header = list(row)
            elif any(cell is not None and str(cell).strip() for cell in row):
                rows.append((number, list(row)))
            if len(rows) > MAX_ROWS:
                break
    finally:
        workbook.close()
    if not header:
        raise PopulationFileError(f"population file {shown} has no header row; expected column names in the first row")
    return header, rows


# --- points -----------------------------------------------------------------------------------------


def _read_points(path: Path, shown: str) -> PopulationFile:
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0  # the reader says what is wrong with it
    _check_size(size, MAX_VECTOR_BYTES, shown)
    layer = vector_layer.read_vector_layer(path, noun="population file", error=PopulationFileError)
    frame = layer.frame
    if frame.crs is None:
        raise PopulationFileError(
            f"population file {shown} declares no CRS; expected a file with a CRS (GeoJSON, TopoJSON and KML are "
            "WGS84 by definition; a shapefile declares its CRS in a .prj beside the .shp; set the layer's CRS "
            "in a GeoPackage or FlatGeobuf)"
        )
    if len(frame) > MAX_POINTS:
        raise PopulationFileError(f"population file {shown} has {len(frame):,} features; expected at most {MAX_POINTS:,} points")
    columns = [str(c) for c in frame.columns if c != frame.geometry.name]
    field_name = _one_of_fields(columns, shown)
    kinds = set(frame.geometry.geom_type.dropna())
    if frame.geometry.isna().any() or frame.geometry.is_empty.any() or kinds != {"Point"}:
        raise PopulationFileError(
            f"population file {shown}: expected one point per feature, found {', '.join(sorted(kinds)) or 'no geometry'}"
            + (" and features without geometry" if frame.geometry.isna().any() or frame.geometry.is_empty.any() else "")
        )
    counts = [_count(value, field_name, n + 1, shown) for n, value in enumerate(frame[field_name].tolist())]
    xy = np.column_stack([frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()])
    if not np.isfinite(xy).all():
        raise PopulationFileError(f"population file {shown} has coordinates that are not finite numbers; expected finite coordinates")
    lonlat = vector_layer.to_lonlat(gpd.GeoSeries(frame.geometry.values, crs=frame.crs), shown=shown, noun="population file", error=PopulationFileError)
    points = gpd.GeoDataFrame({"count": np.asarray(counts, dtype=float)}, geometry=lonlat.values, crs=4326)
    if not np.isfinite(shapely_coordinates(points)).all():
        raise PopulationFileError(f"population file {shown} has points that are not finite once converted to lon/lat (is its CRS right?)")
    return PopulationFile(kind=POINTS, name=printable(path.name), sha256=layer.sha256, points=points, count_field=field_name, crs=_crs_name(frame.crs))


def shapely_coordinates(frame: gpd.GeoDataFrame) -> np.ndarray:
    import shapely

    return shapely.get_coordinates(frame.geometry.to_numpy())


def _one_of_fields(columns: list[str], shown: str) -> str:
    found = [c for c in columns if c.strip().lower() in COUNT_COLUMNS]
    if len(found) != 1:
        problem = "no" if not found else f"{len(found)}"
        raise PopulationFileError(f"population file {shown}: {problem} count field among {_listed(columns)}; expected one of {', '.join(COUNT_COLUMNS)}")
    return found[0]


def _crs_name(crs: object) -> str:
    from pyproj import CRS

    chosen = CRS.from_user_input(crs)
    code = chosen.to_epsg()
    return f"EPSG:{code}" if code else printable(chosen.name)


# --- rasters ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def open_raster(content: bytes) -> Iterator[object]:
    """A rasterio dataset of the GeoTIFF ``content``, read from memory by GDAL's GeoTIFF driver
    alone, with side-car files, folder listings and the network switched off
    (:data:`RASTER_GDAL_CONFIG`). Raises rasterio's errors for anything else."""
    import rasterio
    from rasterio.io import MemoryFile

    with rasterio.Env(**RASTER_GDAL_CONFIG), MemoryFile(content) as memory, memory.open(driver="GTiff") as dataset:
        yield dataset


def _read_raster(path: Path, shown: str) -> PopulationFile:
    content = _read_bytes(path, shown, MAX_RASTER_BYTES)
    if not content.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        raise PopulationFileError(f"population file {shown} is not a GeoTIFF (no TIFF header); expected a GeoTIFF of counts per cell")
    from rasterio.errors import RasterioError

    try:
        with open_raster(content) as dataset:
            data = _checked_raster(dataset, content, shown)
    except RasterioError as error:
        reason = printable(" ".join(str(error).split())[:160])
        raise PopulationFileError(
            f"population file {shown} cannot be read as a GeoTIFF ({_without_memory_name(reason)}); expected a GeoTIFF of counts per cell"
        ) from None
    return PopulationFile(
        kind=RASTER, name=printable(path.name), sha256=hashlib.sha256(content).hexdigest(), raster=data, count_field="band 1", crs=_crs_name(data.crs_wkt)
    )


def _without_memory_name(reason: str) -> str:
    return re.sub(r"'?/vsimem/\S*'?", "the file", reason)


def _checked_raster(dataset: DatasetReader, content: bytes, shown: str) -> RasterData:
    if dataset.crs is None or not dataset.crs.to_wkt():
        raise PopulationFileError(
            f"population file {shown} declares no CRS; expected a GeoTIFF whose CRS is set (e.g. EPSG:4326, as WorldPop's are): peacemap does not guess one"
        )
    if dataset.count != 1:
        raise PopulationFileError(f"population file {shown} has {dataset.count} bands; expected one band of counts per cell")
    transform = dataset.transform
    if transform.b != 0 or transform.d != 0 or transform.a <= 0 or transform.e >= 0:
        raise PopulationFileError(f"population file {shown} has a rotated or flipped grid; expected a north-up GeoTIFF")
    if dataset.width * dataset.height > MAX_RASTER_CELLS:
        raise PopulationFileError(f"population file {shown} has {dataset.width * dataset.height:,} cells; expected at most {MAX_RASTER_CELLS:,}")
    if not np.issubdtype(np.dtype(dataset.dtypes[0]), np.number):
        raise PopulationFileError(f"population file {shown} holds {dataset.dtypes[0]} cells; expected numbers")
    nodata = dataset.nodata
    total = 0.0
    for _, window in dataset.block_windows(1):
        block = dataset.read(1, window=window, masked=True)
        values = block.compressed().astype(float)
        bad = values[~np.isfinite(values) | (values < 0)]
        if bad.size:
            raise PopulationFileError(
                f"population file {shown} has cells whose count is not a finite number of at least 0, such as {bad[0]}; "
                "expected counts of people (declare the nodata value if it is one)"
            )
        total += float(values.sum())
    return RasterData(
        content=content,
        crs_wkt=dataset.crs.to_wkt(),
        transform=tuple(transform)[:6],
        width=dataset.width,
        height=dataset.height,
        nodata=None if nodata is None else float(nodata),
        total=total,
    )
