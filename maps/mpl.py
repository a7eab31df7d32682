"""Shapely geometries as matplotlib collections, added to an axes without redrawing the figure
(geopandas' ``plot`` asks the canvas to redraw after every call: 30 full draws per map)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.path import Path


def polygon_path(geometry: shapely.Geometry) -> Path:
    """One compound path of every ring of a (Multi)Polygon (holes included)."""
    vertices, codes = [], []
    for polygon in shapely.get_parts(geometry):
        if polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            coords = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(coords)
            codes.append(ring_codes)
    if not vertices:
        return Path(np.empty((0, 2)))
    return Path(np.concatenate(vertices), np.concatenate(codes))


def add_polygons(ax: Axes, geometries: Iterable[Any], **style: Any) -> PathCollection:
    """Add (Multi)Polygons (axes data coordinates) as one collection styled by ``style``."""
    paths = [polygon_path(g) for g in geometries if g is not None and not g.is_empty]
    collection = PathCollection(paths, **style)
    ax.add_collection(collection, autolim=False)
    return collection


def add_lines(ax: Axes, geometries: Iterable[Any], **style: Any) -> LineCollection:
    """Add (Multi)LineStrings (or polygon boundaries) as one collection styled by ``style``."""
    segments = [np.asarray(line.coords)[:, :2] for g in geometries if g is not None for line in shapely.get_parts(g) if not line.is_empty]
    collection = LineCollection(segments, **style)
    ax.add_collection(collection, autolim=False)
    return collection
