"""A user's own control polygon (GeoJSON, GeoPackage, KML or KMZ) in place of DeepState.

The file must declare its CRS (GeoJSON and KML declare WGS84 by definition), hold at least one
polygon, and lie over Ukraine. Invalid geometry is repaired with ``make_valid`` when the repair
changes the area by less than :data:`MAX_REPAIR_CHANGE`; otherwise the file is refused.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from peacemap.geo.clean import clean_polygon
from peacemap.layers.control.split import ControlSnapshot
from peacemap.layers.errors import ControlFileError
from peacemap.layers.sources.registry import file_sha256

logger = logging.getLogger(__name__)

SUFFIXES = (".geojson", ".json", ".gpkg", ".kml", ".kmz")
MAX_REPAIR_CHANGE = 0.01  # share of area a make_valid repair may change
# Longitude/latitude box around Ukraine (22.1-40.2 E, 44.4-52.4 N) with a margin.
UKRAINE_BOUNDS = (21.0, 43.5, 41.5, 53.5)


def read_control_file(path: Path, *, as_of: dt.date | None) -> ControlSnapshot:
    """Read ``path`` as an occupied-territory polygon; ``as_of`` is the date the user vouches for."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ControlFileError(f"control file {path}: unsupported extension {path.suffix!r}; expected one of {', '.join(SUFFIXES)}")
    frame = _read_frame(path)
    polygon = control_polygon(frame, label=str(path))
    digest = file_sha256(path)[:12]
    return ControlSnapshot(
        polygon=polygon,
        label=f"control file {path.name} (sha256 {digest}…)" + (f", as of {as_of.isoformat()}" if as_of else ""),
        as_of=as_of,
        attribution=f"user-supplied control file {path.name}",
    )


def _read_frame(path: Path) -> gpd.GeoDataFrame:
    source = f"/vsizip/{path}" if path.suffix.lower() == ".kmz" else path
    try:
        return gpd.read_file(source)
    except Exception as error:  # pyogrio raises DataSourceError for unreadable or truncated files
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ControlFileError(f"control file {path} cannot be read ({reason}); expected a complete GeoJSON, GeoPackage, KML or KMZ file") from error


def control_polygon(frame: gpd.GeoDataFrame, *, label: str) -> BaseGeometry:
    """Validate a control layer and return its polygons as one geometry in EPSG:4326.

    Raises
    ------
    ControlFileError
        No CRS declared, no polygons, coordinates outside Ukraine, or geometry that cannot be
        repaired safely.
    """
    if frame.crs is None:
        raise ControlFileError(f"control file {label} declares no CRS; expected a file with a CRS (GeoJSON and KML are WGS84 by definition; set the layer's CRS in a GeoPackage)")
    polygons = [g for g in frame.geometry.values if g is not None and not g.is_empty and g.geom_type in ("Polygon", "MultiPolygon")]
    if not polygons:
        kinds = sorted({g.geom_type for g in frame.geometry.values if g is not None}) or ["no geometry"]
        raise ControlFileError(f"control file {label} has no polygons (found {', '.join(kinds)}); expected the occupied territory as polygons")
    series = gpd.GeoSeries(polygons, crs=frame.crs).to_crs(4326)
    min_x, min_y, max_x, max_y = series.total_bounds
    box_w, box_s, box_e, box_n = UKRAINE_BOUNDS
    if min_x < box_w or min_y < box_s or max_x > box_e or max_y > box_n:
        raise ControlFileError(
            f"control file {label} has coordinates outside Ukraine (bounds {min_x:.2f}, {min_y:.2f}, {max_x:.2f}, {max_y:.2f} "
            f"in lon/lat); expected polygons within {box_w}-{box_e} E, {box_s}-{box_n} N — is its CRS declared correctly?"
        )
    return _repaired_union(list(series.values), label)


def _repaired_union(polygons: list[BaseGeometry], label: str) -> BaseGeometry:
    repaired = []
    for polygon in polygons:
        if polygon.is_valid:
            repaired.append(polygon)
            continue
        fixed = clean_polygon(polygon)
        # Planar shoelace area of the raw rings (defined for invalid rings too) against the
        # repaired area: a self-crossing ring (bowtie) changes a lot, a duplicate point not at all.
        before, after = abs(polygon.area), fixed.area
        change = abs(after - before) / before if before else 1.0
        if change > MAX_REPAIR_CHANGE:
            raise ControlFileError(f"control file {label} has invalid geometry that make_valid would change by {100 * change:.1f}% of its area; expected valid polygons (fix them in a GIS)")
        logger.warning("control file %s: repaired an invalid polygon (area change %.3f%%)", label, 100 * change)
        repaired.append(fixed)
    return clean_polygon(shapely.union_all(repaired))
