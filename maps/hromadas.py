"""The "Hromadas" layer of the HTML map: the hromada territories of the regions a plan changes,
off when the map opens, each with a tooltip giving its name, its 1 January 2022 population and
the zones its land falls in.

The territories come with the plan layers (``PlanLayers.hromadas``, added by the pipeline: see
:func:`peacemap.layers.report.places.hromada_layer`); without them the map has no such layer.
They are drawn simplified as one coverage per call (:mod:`peacemap.geo.simplify`), coarser than
the zones (outlines to read names by, not to measure), to keep the file small.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import shapely

from peacemap.geo.projections import from_metric, to_metric
from peacemap.geo.simplify import round_coordinates
from peacemap.layers.i18n.catalogue import N_
from peacemap.layers.plans.statuses import Status
from peacemap.maps.prepare import MAP_DECIMALS, MapLayers, simplified_coverage

logger = logging.getLogger(__name__)

# Visvalingam-Whyatt tolerance for drawn hromada outlines, metres (the zones use 45 m).
HROMADA_TOLERANCE_M = 800.0
LAYER_NAME = N_("Hromadas (population 1 January 2022)")
OUTLINE = {"color": "#4a4a4a", "weight": 0.7, "opacity": 0.9, "fill": True, "fillColor": "#ffffff", "fillOpacity": 0.0, "className": "peacemap-hromada"}


def changed_regions(map_layers: MapLayers) -> set[str]:
    """Codes of the regions where the plan gives any land a status other than "ukrainian"."""
    zones = map_layers.zones
    return set(zones.loc[zones["status"] != Status.UKRAINIAN, "region"])


def drawn_hromadas(map_layers: MapLayers, *, tolerance_m: float = HROMADA_TOLERANCE_M) -> pd.DataFrame | None:
    """The territories of the changed regions, simplified for drawing (EPSG:4326), or None when
    the layers carry no territories."""
    hromadas = map_layers.layers.hromadas
    if hromadas is None:
        return None
    shown = hromadas[hromadas["region"].isin(changed_regions(map_layers)) & ~hromadas.geometry.is_empty]
    if shown.empty:
        return None
    metric = np.array([to_metric(geometry) for geometry in shown.geometry.to_numpy()], dtype=object)
    simplified = simplified_coverage(metric, tolerance_m=tolerance_m)
    # Should the coverage tools lose a polygon, draw that one simplified on its own instead.
    lost = np.array([geometry is None or geometry.is_empty for geometry in simplified], dtype=bool)
    simplified[lost] = shapely.simplify(metric[lost], tolerance_m, preserve_topology=True)
    drawn = shown.drop(columns="geometry").copy()
    drawn["geometry"] = [round_coordinates(from_metric(geometry), MAP_DECIMALS) for geometry in simplified]
    logger.info("hromada layer: %d territories, %d vertices drawn", len(drawn), shapely.get_num_coordinates(simplified).sum())
    return drawn
