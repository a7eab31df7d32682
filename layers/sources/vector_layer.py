"""One layer of an untrusted vector file, read the way a control file is read.

The reading of ``--control`` files (:mod:`.control_file`, :mod:`.control_formats`) checks that the
file is a regular file of a known format, hands GDAL its bytes (never its name), picks the layer
and declares lon/lat where the format defines it; this module is the seam through which other
untrusted vector files (a population file of points) go through exactly that reading, so that
every hardening of it applies to them too. Messages name the file as the caller calls it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from peacemap.layers.errors import ControlFileError, PeacemapError
from peacemap.layers.sources import control_file, control_formats

SUFFIXES = control_formats.SUFFIXES
EXPECTED = control_formats.EXPECTED


@dataclass(frozen=True)
class VectorLayer:
    """A layer read from a file: its features (in the CRS the file declares; None if it declares
    none), the sha256 of the bytes read and the parts read beside it (a bare shapefile's)."""

    frame: gpd.GeoDataFrame
    sha256: str
    parts: tuple[str, ...]


def read_vector_layer(path: Path, *, noun: str, error: type[PeacemapError]) -> VectorLayer:
    """The only layer of ``path`` (any format ``--control`` reads), its CRS as declared.

    Parameters
    ----------
    path
        The file.
    noun
        What the file is called in messages ("population file").
    error
        The exception raised, a :class:`PeacemapError` subclass.

    Raises
    ------
    error
        One line naming the file: not a regular file, an unknown format, unreadable, empty, or
        more than one layer.
    """
    try:
        read = control_file.read_layer(Path(path))
    except ControlFileError as refused:
        raise error(_reworded(str(refused), noun)) from None
    return VectorLayer(frame=read.frame, sha256=read.sha256, parts=read.parts)


def to_lonlat(series: gpd.GeoSeries, *, shown: str, noun: str, error: type[PeacemapError]) -> gpd.GeoSeries:
    """``series`` in EPSG:4326, converted as a control file's polygons are: a CRS that names a
    file (a transformation grid) is refused and PROJ works with its network off."""
    try:
        return control_file.to_lonlat(series, shown)
    except ControlFileError as refused:
        raise error(_reworded(str(refused), noun)) from None


def _reworded(message: str, noun: str) -> str:
    """A control file's refusal said of a ``noun``, without the control options' hints."""
    message = message.replace("control file", noun).replace("--control-layer NAME", "one layer (save the layer you mean on its own)")
    return message.replace("expected the occupied territory as polygons", "expected its features")
