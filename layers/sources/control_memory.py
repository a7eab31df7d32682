"""A map of control given in memory (the Python API's ``control=``): a GeoDataFrame, a GeoSeries or
a shapely geometry of the occupied territory, checked as a control file is."""

from __future__ import annotations

import datetime as dt
import hashlib

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from peacemap.layers.errors import ControlFileError
from peacemap.layers.sources.control_file import control_polygon, occupied_territory
from peacemap.layers.sources.control_map import ControlSnapshot

IN_MEMORY_LABEL = "in-memory control map"
_SHA256_SHOWN = 12  # hex digits of the sha256 in the label, as a control file's


def in_memory_control(data: gpd.GeoDataFrame | gpd.GeoSeries | BaseGeometry, *, as_of: dt.date | None, country: BaseGeometry | None) -> ControlSnapshot:
    """``data`` as a map of control: its polygons, the occupied territory on ``as_of``.

    Parameters
    ----------
    data
        A GeoDataFrame or GeoSeries in the CRS it declares (converted to EPSG:4326), or a shapely
        geometry in EPSG:4326 (lon/lat degrees).
    as_of
        The date the caller vouches the polygons show (None: not stated).
    country
        Ukraine's land (EPSG:4326), which the share of Ukraine covered is measured against.

    Returns
    -------
    ControlSnapshot
        Named "in-memory control map" with the sha256 of the WKB (little-endian, 2D) of the
        occupied polygon that was read, which every output quotes.

    Raises
    ------
    ControlFileError
        The checks of a control file (:func:`~peacemap.layers.sources.control_file.control_polygon`,
        :func:`~peacemap.layers.sources.control_file.occupied_territory`) fail, or a frame has no
        geometry column.
    """
    polygon = occupied_territory(control_polygon(_as_frame(data), label=IN_MEMORY_LABEL), means="occupied", country=country, label=IN_MEMORY_LABEL)
    sha256 = hashlib.sha256(shapely.to_wkb(polygon, byte_order=1, output_dimension=2)).hexdigest()
    vouched = f", as of {as_of.isoformat()} (date vouched for, not checked)" if as_of else ""
    return ControlSnapshot(
        polygon=polygon,
        label=f"{IN_MEMORY_LABEL} (sha256 {sha256[:_SHA256_SHOWN]}…){vouched}",
        as_of=as_of,
        attribution=f"user-supplied {IN_MEMORY_LABEL}",
        sha256=sha256,
    )


def _as_frame(data: gpd.GeoDataFrame | gpd.GeoSeries | BaseGeometry) -> gpd.GeoDataFrame:
    """``data`` as a GeoDataFrame whose active geometry is its polygons (a geometry: EPSG:4326)."""
    if isinstance(data, BaseGeometry):
        return gpd.GeoDataFrame(geometry=[data], crs=4326)
    if isinstance(data, gpd.GeoSeries):
        return gpd.GeoDataFrame(geometry=data)
    if isinstance(data, gpd.GeoDataFrame):
        if data.active_geometry_name not in data.columns:
            raise ControlFileError(
                f"{IN_MEMORY_LABEL}: the GeoDataFrame has no active geometry column; expected the occupied territory as polygons (set_geometry)"
            )
        return data
    raise TypeError(f"'data' should be a GeoDataFrame, a GeoSeries or a shapely geometry, got {type(data).__name__}")
