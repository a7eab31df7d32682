"""A user's own control polygon in place of DeepState: GeoJSON, TopoJSON, GeoPackage, KML, KMZ,
ESRI shapefile (bare or zipped) or FlatGeobuf (how each reaches GDAL: ``control_formats``).

The file is untrusted: it must be a regular file (not a FIFO, folder or device, which could
block the read for ever), hold the format its suffix names (and be read by that format's GDAL
driver only, with the network off: ``control_formats``), hold one layer or have the layer
chosen, declare its CRS (GeoJSON, TopoJSON and KML are WGS84 by definition), hold at least one
polygon with finite coordinates (among the features an OGR SQL condition selects, if one is
given; the condition must be one expression, ``control_where``), hold at most
``control_formats.MAX_CONTROL_POLYGONS`` polygons and ``MAX_CONTROL_VERTICES`` vertices, and lie
over Ukraine. Invalid geometry is repaired with ``make_valid`` when the repair changes the area
by less than :data:`MAX_REPAIR_CHANGE`; otherwise the file is refused. Its name is shown only
through :func:`peacemap.layers.text.printable`.

The polygons must also make sense as occupied territory: a file that covers Kyiv city or more
than half of Ukraine's land most likely shows the Ukrainian-held area, and is refused with a hint.
Such a file is read with ``means="held"`` (``--control-means held``): the occupied territory is
then Ukraine's land outside its polygons. A file whose occupied territory covers less than
:data:`MIN_OCCUPIED_KM2` of Ukraine's land (polygons in the sea, or in Russia) is refused too,
unless ``allow_small`` says so small an area is meant.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from peacemap.geo.area import geodesic_area_km2
from peacemap.geo.clean import clean_polygon
from peacemap.layers.errors import ControlFileError
from peacemap.layers.sources import control_formats, gdal_guard
from peacemap.layers.sources.control_formats import EXPECTED, GdalInput
from peacemap.layers.sources.control_map import ControlSnapshot
from peacemap.layers.sources.control_where import ConditionError, ConditionSyntaxError, check_condition
from peacemap.layers.text import printable

logger = logging.getLogger(__name__)

SUFFIXES = control_formats.SUFFIXES
MAX_REPAIR_CHANGE = 0.01  # share of area a make_valid repair may change
# Longitude/latitude box around Ukraine (22.1-40.2 E, 44.4-52.4 N) with a margin.
UKRAINE_BOUNDS = (21.0, 43.5, 41.5, 53.5)
# What the file's polygons show: the occupied territory, or the Ukrainian-held one.
MEANS = ("occupied", "held")
# Kyiv's centre (Independence Square), lon/lat degrees: no map of occupied territory covers it.
KYIV_CENTRE = (30.5234, 50.4501)
# Share of Ukraine's land above which polygons are taken for held rather than occupied territory:
# the most Russia has held since 2022 is about a quarter (27% in March 2022).
MAX_OCCUPIED_SHARE = 0.5
UKRAINE_OFFICIAL_KM2 = 603_628  # State Statistics Service of Ukraine; used when no country is given
# The least of Ukraine's land an occupied territory may cover without --control-allow-small:
# the smallest area Russia has held since 2014 (Crimea alone) is 27,000 km², and a polygon that
# misses Ukraine (drawn in the sea, or in Russia) covers nothing.
MIN_OCCUPIED_KM2 = 1_000
_SHOWN_LAYERS = 10  # layer names listed in a message, at most
_SHA256_SHOWN = 12  # hex digits of the sha256 in the label; the snapshot keeps all 64
# pyogrio's name for bytes handed to GDAL (in a zip: /vsizip//vsimem/...), or a KMZ's private copy
_IN_MEMORY_NAME = re.compile(r"'?(?:/vsizip/)*(?:/vsimem/|/\S*?peacemap-control-)[^\s']*'?")
_GDAL_DRIVER_HINT = re.compile(r"[.;\s]*It might help to specify the correct driver")


def read_control_file(
    path: Path,
    *,
    as_of: dt.date | None,
    layer: str | None = None,
    where: str | None = None,
    means: str = "occupied",
    country: BaseGeometry | Callable[[], BaseGeometry] | None = None,
    allow_small: bool = False,
) -> ControlSnapshot:
    """Read ``path`` as an occupied-territory polygon (EPSG:4326).

    Parameters
    ----------
    path
        A GeoJSON, TopoJSON, GeoPackage, KML, KMZ, ESRI shapefile (``.shp`` with its parts
        beside it, or a ``.zip``) or FlatGeobuf file.
    as_of
        The date the user vouches the polygons show (None: not stated).
    layer
        The layer to read; required when the file has several.
    where
        An OGR SQL condition selecting the features that count as occupied (None: all).
    means
        ``occupied`` (the polygons are the occupied territory) or ``held`` (they are the
        Ukrainian-held territory: the occupied one is ``country`` outside them).
    country
        Ukraine's land (EPSG:4326), the union of its regions: what the held area is taken from,
        and what the share of Ukraine a file covers is measured against. Required with
        ``means="held"``; without it, shares are of Ukraine's official area. May be a function
        that returns it, called once the file is read (a file refused costs no land).
    allow_small
        Accept an occupied territory that covers less than :data:`MIN_OCCUPIED_KM2` of
        ``country`` (without ``country``: whose own area is that small).

    Raises
    ------
    ControlFileError
        One line naming the file (its name made printable) and what is wrong with it, including
        polygons that look like the other kind of territory than ``means`` says, and a
        ``where`` that is not one condition.
    """
    if means not in MEANS:
        raise ValueError(f"'means' should be one of {', '.join(MEANS)}, got {means!r}")
    if means == "held" and country is None:
        raise ValueError("'country' is needed to read a held-territory file: the occupied territory is the country outside it")
    path = Path(path)
    shown = printable(str(path))
    read = read_layer(path, layer=layer, where=where)
    layer, frame, source = read.layer, read.frame, read
    polygon = control_polygon(frame, label=shown)
    land = country() if callable(country) else country
    polygon = occupied_territory(polygon, means=means, country=land, label=shown, allow_small=allow_small)
    name = printable(path.name)
    parts = f" with its {', '.join(source.parts)}" if source.parts else ""
    label = (
        f"control file {name}{parts}"
        + (f", layer {printable(layer)}" if layer is not None else "")
        + (f", features where {printable(where)}" if where is not None else "")
    )
    held = ", held area (occupied: the rest of Ukraine)" if means == "held" else ""
    return ControlSnapshot(
        polygon=polygon,
        # peacemap cannot check what date a file shows: the label says whose word the date is.
        label=f"{label} (sha256 {source.sha256[:_SHA256_SHOWN]}…){held}" + (f", as of {as_of.isoformat()} (date vouched for, not checked)" if as_of else ""),
        as_of=as_of,
        attribution=f"user-supplied control file {name}",
        sha256=source.sha256,
        layer=layer,
        where=where,
    )


@dataclass(frozen=True)
class ReadLayer:
    """One layer of an untrusted file as GDAL read it, after every check of the reading.

    Attributes
    ----------
    frame
        Its features, in the CRS the file declares (EPSG:4326 where the format defines lon/lat;
        None if it declares none).
    layer
        The layer read, by the name shown to users (None: the file's only layer).
    sha256
        Hex sha256 of the file read (of a bare ``.shp``: see :class:`GdalInput`).
    parts
        Suffixes of the files read beside a bare ``.shp``, else empty.
    """

    frame: gpd.GeoDataFrame
    layer: str | None
    sha256: str
    parts: tuple[str, ...]


def read_layer(path: Path, *, layer: str | None = None, where: str | None = None) -> ReadLayer:
    """One layer of the untrusted file ``path``, read the only way peacemap reads such files.

    The file must be a regular file whose suffix names a format ``--control`` reads and whose
    content is that format (``control_formats``); GDAL gets its bytes, never its name, with that
    format's driver alone and no network (``gdal_guard``). ``where`` must be one OGR SQL
    condition (``control_where``). Every reader of an untrusted vector file goes through here, so
    that every check applies to all of them.

    Raises
    ------
    ControlFileError
        One line naming the file (made printable) and what is wrong with it.
    """
    path = Path(path)
    shown = printable(str(path))
    control_formats.check_suffix(path, shown)
    syntax_error = _check_where(where, shown) if where is not None else None
    # GDAL gets the bytes, not the name: it cannot open names with a newline or a tab, and
    # pyogrio reads a name such as "http:x.geojson" as a URL. The sha256 is then that of
    # exactly what was read.
    content = _read_regular_file(path, shown)
    if not content:
        raise ControlFileError(f"control file {shown} is empty; expected {EXPECTED}")
    with (
        control_formats.gdal_input(path, content, shown, read_part=lambda part: _read_regular_file(part, printable(str(part)))) as source,
        gdal_guard.only_drivers(*source.drivers),
    ):
        chosen = _choose_layer(source, layer, shown)
        frame = _read_frame(source, chosen, shown, where, syntax_error)
    return ReadLayer(frame=frame, layer=chosen, sha256=source.sha256, parts=tuple(source.parts))


def occupied_territory(polygon: BaseGeometry, *, means: str, country: BaseGeometry | None, label: str, allow_small: bool = False) -> BaseGeometry:
    """The occupied territory a control file's ``polygon`` (EPSG:4326) stands for, checked for sense.

    With ``means="occupied"`` that is ``polygon`` itself; with ``means="held"``, ``country``
    outside it. Either way the occupied territory must not cover Kyiv's centre nor more than
    :data:`MAX_OCCUPIED_SHARE` of Ukraine's land, and must cover at least
    :data:`MIN_OCCUPIED_KM2` of it unless ``allow_small``.

    Raises
    ------
    ControlFileError
        The polygons look like held territory read as occupied, or the other way round, or
        cover (almost) none of Ukraine's land.
    """
    if means == "occupied":
        land_km2 = _land_km2(polygon, country)
        covered = _implausible_cover(polygon, country, land_km2)
        if covered:
            raise ControlFileError(
                f"control file {label} covers {covered}: it looks like held rather than occupied territory; "
                "if it shows the Ukrainian-held area, add --control-means held"
            )
        if not allow_small:
            _check_covers_land(land_km2, label, "")
        return polygon
    occupied = clean_polygon(country.difference(polygon))  # type: ignore[union-attr]
    land_km2 = _land_km2(occupied, country)
    covered = _implausible_cover(occupied, country, land_km2)
    if covered:
        raise ControlFileError(
            f"control file {label} read as held territory leaves {covered} occupied: it looks like occupied "
            "rather than held territory; drop --control-means held"
        )
    if occupied.is_empty:
        raise ControlFileError(
            f"control file {label} read as held territory covers all of Ukraine: nothing would be occupied; expected the Ukrainian-held area"
        )
    if not allow_small:
        _check_covers_land(land_km2, label, " read as held territory")
    return occupied


def _land_km2(occupied: BaseGeometry, country: BaseGeometry | None) -> float:
    """The geodesic area (km², WGS84) of Ukraine's land ``occupied`` covers: of ``country``, or
    ``occupied``'s own area without one."""
    return geodesic_area_km2(occupied if country is None else occupied.intersection(country))


def _check_covers_land(land_km2: float, label: str, reading: str) -> None:
    """Refuse an occupied territory that covers less than :data:`MIN_OCCUPIED_KM2` of Ukraine's
    land (``land_km2``, from :func:`_land_km2`)."""
    if land_km2 >= MIN_OCCUPIED_KM2:
        return
    where = "none of Ukraine's land" if land_km2 < 0.5 else f"only {land_km2:,.0f} km² of Ukraine's land"
    raise ControlFileError(
        f"control file {label}{reading} leaves {where} occupied (less than {MIN_OCCUPIED_KM2:,} km²): are its polygons "
        "in the sea, in Russia, or in the wrong CRS? If so small an area is meant, add --control-allow-small"
    )


def _implausible_cover(occupied: BaseGeometry, country: BaseGeometry | None, land_km2: float) -> str:
    """What ``occupied``, covering ``land_km2`` of Ukraine's land, covers that no occupied
    territory has ("Kyiv city", "more than half of Ukraine's land (412,345 km²)"), or "" if
    nothing. Areas are geodesic (WGS84)."""
    if occupied.covers(shapely.Point(KYIV_CENTRE)):
        return "Kyiv city"
    ukraine_km2 = float(UKRAINE_OFFICIAL_KM2) if country is None else geodesic_area_km2(country)
    return f"more than half of Ukraine's land ({land_km2:,.0f} km²)" if land_km2 > MAX_OCCUPIED_SHARE * ukraine_km2 else ""


def _read_regular_file(path: Path, shown: str) -> bytes:
    """The bytes of ``path``, refusing anything but a regular file before reading: opening a
    FIFO blocks until a writer appears, and a device such as /dev/zero never ends."""
    try:
        _check_regular(os.stat(path).st_mode, shown)
        # Without blocking, in case the file was swapped for a FIFO since: checked again once open.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as stream:
            status = os.fstat(stream.fileno())
            _check_regular(status.st_mode, shown)
            if status.st_size > control_formats.MAX_CONTROL_BYTES:
                raise ControlFileError(
                    f"control file {shown} is {status.st_size / 2**20:,.0f} MiB; expected {EXPECTED} "
                    f"of at most {control_formats.MAX_CONTROL_BYTES // 2**20} MiB"
                )
            return stream.read(control_formats.MAX_CONTROL_BYTES + 1)
    except FileNotFoundError:
        raise ControlFileError(f"control file {shown} does not exist; expected the path of {EXPECTED}") from None
    except OSError as error:
        reason = printable(error.strerror or type(error).__name__)
        raise ControlFileError(f"control file {shown} cannot be read ({reason}); check its path and permissions") from error


def _check_regular(mode: int, shown: str) -> None:
    if not stat.S_ISREG(mode):
        raise ControlFileError(f"control file {shown} is {_file_kind(mode)}, not a regular file; expected {EXPECTED}")


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((kind for test, kind in kinds if test(mode)), "not a file")


def _choose_layer(source: GdalInput, layer: str | None, shown: str) -> str | None:
    """The layer to read: ``layer`` if the file has it, else the file's only layer (None)."""
    names = _layer_names(source, shown)
    if not names:
        raise ControlFileError(f"control file {shown} has no layers; expected a layer of polygons")
    if layer is None and len(names) > 1:
        raise ControlFileError(f"control file {shown} has {len(names)} layers ({_list_layers(names)}); choose one with --control-layer NAME")
    if layer is not None and layer not in names:
        raise ControlFileError(f"control file {shown} has no layer '{printable(layer)}'; its layers: {_list_layers(names)}")
    return layer


def _list_layers(names: list[str]) -> str:
    listed = ", ".join(f"'{printable(name)}'" for name in names[:_SHOWN_LAYERS])
    return listed + (f" and {len(names) - _SHOWN_LAYERS} more" if len(names) > _SHOWN_LAYERS else "")


def _layer_names(source: GdalInput, shown: str) -> list[str]:
    """The file's layers, by the names shown to the user."""
    import pyogrio

    try:
        with _warnings_logged(shown):
            return [source.shown_layer(str(name)) for name, _ in pyogrio.list_layers(source.data)]
    except Exception as error:  # pyogrio raises DataSourceError for unreadable or truncated files
        raise ControlFileError(f"control file {shown} cannot be read ({_reason(error)}); expected a complete {EXPECTED.removeprefix('a ')}") from error


def _check_where(where: str, shown: str) -> ConditionSyntaxError | None:
    """Refuse a condition that holds a ``;``, a comment, a subquery or a function not allowed;
    return its syntax error, if any, for the refusal that names the layer's fields."""
    try:
        check_condition(where)
    except ConditionSyntaxError as error:
        return error
    except ConditionError as error:
        raise ControlFileError(
            f'control file {shown}: --control-where "{printable(where[:200])}" is not one condition ({error}); '
            "expected an OGR SQL condition on the layer's fields, such as \"layer = 'Assessed'\""
        ) from None
    return None


def _read_frame(source: GdalInput, layer: str | None, shown: str, where: str | None, syntax_error: ConditionSyntaxError | None = None) -> gpd.GeoDataFrame:
    import pyogrio

    # By number: GDAL names a GeoJSON's layer after its file when it has no "name", and
    # pyogrio names the bytes it hands to GDAL anew on each call.
    index = 0 if layer is None else _layer_names(source, shown).index(layer)
    if where is not None and syntax_error is not None:  # never run on the file: GDAL words the reason on a copy of its fields
        raise _where_error(source, index, where, shown, syntax_error)
    try:
        with _warnings_logged(shown):
            # pyogrio, whatever geopandas' default engine: the GDAL that gdal_guard restricts
            frame = gpd.read_file(source.data, layer=index, where=where, engine="pyogrio")
            driver = pyogrio.read_info(source.data, layer=index)["driver"]
    except Exception as error:  # pyogrio raises DataSourceError for unreadable or truncated files
        if where is not None and _is_query_error(error):
            raise _where_error(source, index, where, shown, error) from error
        raise ControlFileError(f"control file {shown} cannot be read ({_reason(error)}); expected a complete {EXPECTED.removeprefix('a ')}") from error
    if where is not None and frame.empty:
        raise ControlFileError(
            f'control file {shown}: --control-where "{printable(where)}" selects no feature of layer '
            f"'{printable(_layer_names(source, shown)[index])}'; {control_formats.fields_text(source.data, index)}"
        )
    if not isinstance(frame, gpd.GeoDataFrame):  # a table without geometry (a GeoPackage attribute table)
        raise ControlFileError(
            f"control file {shown}: layer '{printable(_layer_names(source, shown)[index])}' has no geometry; "
            "expected a layer of polygons" + ("" if layer is not None else " (choose another with --control-layer NAME)")
        )
    if frame.crs is None and driver in control_formats.LONLAT_DRIVERS:
        frame = frame.set_crs(4326)  # lon/lat by definition
    return frame


def _is_query_error(error: Exception) -> bool:
    """A refusal of the --control-where condition: pyogrio's "Invalid SQL query" for OGR SQL, a
    FeatureError from SQLite (GeoPackage)."""
    return "SQL" in str(error) or type(error).__name__ == "FeatureError"


def _where_error(source: GdalInput, index: int, where: str, shown: str, error: Exception) -> ControlFileError:
    layer = printable(_layer_names(source, shown)[index])
    reason = printable(" ".join(control_formats.where_problem(source.data, index, where, otherwise=_reason(error)).split()))
    return ControlFileError(
        f'control file {shown}: --control-where "{printable(where)}" is not a valid OGR SQL condition on layer '
        f"'{layer}' ({reason}); {control_formats.fields_text(source.data, index)}"
    )


@contextlib.contextmanager
def _warnings_logged(shown: str) -> Iterator[None]:
    """Log GDAL's and shapely's warnings about the file at debug level: raw, they would reach the
    terminal (GDAL names the in-memory copy, not the file); what matters in them is checked
    afterwards, with a message naming the file."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        logger.debug("control file %s: %s", shown, printable(str(warning.message)))


def _reason(error: Exception) -> str:
    """The first line of ``error``'s message, printable (it may quote the file's name or content),
    with GDAL's name of the in-memory copy and its hint about driver prefixes taken out."""
    lines = str(error).splitlines()
    if not lines:
        return type(error).__name__
    reason = _GDAL_DRIVER_HINT.split(_IN_MEMORY_NAME.sub("", lines[0]))[0]
    return printable(" ".join(reason.split()).strip(" .;")) or type(error).__name__


def control_polygon(frame: gpd.GeoDataFrame, *, label: str) -> BaseGeometry:
    """Validate a control layer and return its polygons as one geometry in EPSG:4326.

    Polygons are taken from every feature, from inside multi-part geometries and geometry
    collections too; other geometries (points, lines) are ignored with a warning. Z and M
    values are dropped.

    Raises
    ------
    ControlFileError
        No CRS declared, no polygons, a coordinate that is not finite, coordinates outside
        Ukraine, or geometry that cannot be repaired safely.
    """
    if frame.crs is None:
        raise ControlFileError(
            f"control file {label} declares no CRS; expected a file with a CRS (GeoJSON, TopoJSON and KML are WGS84 by definition; "
            "a shapefile declares its CRS in a .prj beside the .shp; set the layer's CRS in a GeoPackage or FlatGeobuf)"
        )
    polygons, others = _polygon_parts(frame.geometry.values)
    if not polygons:
        kinds = sorted(others) or ["no geometry"]
        raise ControlFileError(f"control file {label} has no polygons (found {', '.join(kinds)}); expected the occupied territory as polygons")
    _check_size(polygons, label)
    if others:
        logger.warning("control file %s: ignoring geometries that are not polygons (%s)", label, ", ".join(sorted(others)))
    _check_finite(polygons, label, "")
    series = to_lonlat(gpd.GeoSeries(polygons, crs=frame.crs), label)
    _check_finite(list(series.values), label, " once converted to lon/lat (is its CRS right?)")
    min_x, min_y, max_x, max_y = series.total_bounds
    box_w, box_s, box_e, box_n = UKRAINE_BOUNDS
    if min_x < box_w or min_y < box_s or max_x > box_e or max_y > box_n:
        raise ControlFileError(
            f"control file {label} has coordinates outside Ukraine (bounds {min_x:.2f}, {min_y:.2f}, {max_x:.2f}, {max_y:.2f} "
            f"in lon/lat); expected polygons within {box_w}-{box_e} E, {box_s}-{box_n} N — is its CRS declared correctly?"
        )
    union = _repaired_union(list(series.values), label)
    if union.is_empty:
        raise ControlFileError(f"control file {label} has polygons without area; expected the occupied territory as polygons")
    return union


def _polygon_parts(geometries: np.ndarray) -> tuple[list[BaseGeometry], set[str]]:
    """Non-empty 2D polygons in ``geometries`` (collections opened), and the other kinds found."""
    polygons: list[BaseGeometry] = []
    others: set[str] = set()
    pending = [g for g in geometries if g is not None]
    while pending:
        geometry = pending.pop()
        if geometry.is_empty:
            continue
        if geometry.geom_type == "Polygon":
            polygons.append(shapely.force_2d(geometry))
        elif geometry.geom_type in ("MultiPolygon", "GeometryCollection"):
            pending.extend(shapely.get_parts(geometry))
        else:
            others.add(geometry.geom_type)
    return polygons[::-1], others


def _check_size(polygons: list[BaseGeometry], label: str) -> None:
    """Refuse more polygons or vertices than the caps, before any geometry work on them (a
    GeoJSON or TopoJSON file was counted already while it was parsed)."""
    vertices = int(shapely.get_num_coordinates(np.asarray(polygons, dtype=object)).sum())
    polygons_cap, vertices_cap = control_formats.MAX_CONTROL_POLYGONS, control_formats.MAX_CONTROL_VERTICES
    if len(polygons) > polygons_cap or vertices > vertices_cap:
        raise ControlFileError(
            f"control file {label} holds {len(polygons):,} polygons with {vertices:,} vertices; expected a map of control "
            f"with at most {vertices_cap:,} vertices and {polygons_cap:,} polygons (simplify it in a GIS)"
        )


def _check_finite(polygons: list[BaseGeometry], label: str, where: str) -> None:
    # NaN passes every comparison with the Ukraine box, and shapely measures NaN areas, so a
    # NaN coordinate would otherwise reach the figures (issue 20).
    coordinates = shapely.get_coordinates(np.asarray(polygons, dtype=object))
    bad = ~np.isfinite(coordinates).all(axis=1)
    if bad.any():
        x, y = coordinates[bad][0]
        raise ControlFileError(
            f"control file {label} has {bad.sum():,} coordinate(s) that are not finite numbers{where}, "
            f"such as ({x}, {y}); expected finite longitudes and latitudes"
        )


def to_lonlat(series: gpd.GeoSeries, label: str) -> gpd.GeoSeries:
    """``series`` in EPSG:4326, converted by PROJ without the network: a CRS in a file would
    otherwise make PROJ fetch transformation grids when the user's PROJ_NETWORK is on."""
    from pyproj import network
    from pyproj.exceptions import CRSError, ProjError

    _check_crs_names_no_file(series.crs, label)
    was_enabled = network.is_network_enabled()
    network.set_network_enabled(False)
    try:
        return series.to_crs(4326)
    except (CRSError, ProjError, ValueError) as error:
        raise ControlFileError(
            f"control file {label} has a CRS that cannot be converted to lon/lat ({_reason(error)}); expected a CRS such as EPSG:4326"
        ) from error
    finally:
        network.set_network_enabled(was_enabled)


def _check_crs_names_no_file(crs: pyproj.CRS, label: str) -> None:
    """Refuse a CRS that names a file: a transformation built into it whose grid is a file
    (``+nadgrids=/path`` in a PROJ string, a grid parameter in WKT), or a PROJ string that
    includes one (``+init=``, ``+geoidgrids=``). PROJ would open that file, whatever it is."""
    pending: list[object] = [crs.to_json_dict()]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            parameters = value.get("parameters")
            named = [p["value"] for p in parameters if isinstance(p, dict) and isinstance(p.get("value"), str)] if isinstance(parameters, list) else []
            if named:
                raise _names_a_file(label, named[0])
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str) and _PROJ_FILE_KEYS.search(value):
            raise _names_a_file(label, _PROJ_FILE_KEYS.search(value).group(0))  # type: ignore[union-attr]


def _names_a_file(label: str, name: str) -> ControlFileError:
    return ControlFileError(
        f"control file {label} declares a CRS that names the file '{printable(name[:80])}' (a grid of its "
        "transformation); peacemap reads no file a control file names: expected a CRS without grid files, such as EPSG:4326"
    )


# What a PROJ string writes to name a file, as it survives in the names of a CRS made from one.
_PROJ_FILE_KEYS = re.compile(r"\b(?:nadgrids|geoidgrids|init|grids)=\S+")


def _repaired_union(polygons: list[BaseGeometry], label: str) -> BaseGeometry:
    repaired = []
    for polygon in polygons:
        if polygon.is_valid:
            repaired.append(polygon)
            continue
        # Planar shoelace area of the raw rings (defined for invalid rings too) against the
        # repaired area: a self-crossing ring (bowtie) changes a lot, a duplicate point not at all.
        before = abs(polygon.area)
        if not before:
            raise ControlFileError(f"control file {label} has a polygon without area (its points lie on a line); expected valid polygons (fix them in a GIS)")
        fixed = clean_polygon(polygon)
        change = abs(fixed.area - before) / before
        if change > MAX_REPAIR_CHANGE:
            raise ControlFileError(
                f"control file {label} has invalid geometry that make_valid would change by {100 * change:.1f}% of its area; "
                "expected valid polygons (fix them in a GIS)"
            )
        logger.warning("control file %s: repaired an invalid polygon (area change %.3f%%)", label, 100 * change)
        repaired.append(fixed)
    return clean_polygon(shapely.union_all(repaired))
