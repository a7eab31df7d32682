"""Furniture of the static map: scale bar and the locator of Ukraine in Europe (matplotlib).

The main map is drawn in :data:`peacemap.geo.projections.UKRAINE_LAEA` (metres); its scale
differs from true by under 0.3% over the south and east of Ukraine, so a bar measured in
projected metres is true to the width of its line.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox
from pyproj import CRS

from peacemap.geo.projections import UKRAINE_LAEA
from peacemap.layers.i18n.language import ENGLISH, current_language
from peacemap.layers.i18n.numbers import number_text, unit_text
from peacemap.maps.mpl import add_lines, add_polygons

# Bar lengths offered, km: the longest that fits in a fifth of the map's width is used.
SCALE_STEPS_KM = (5, 10, 20, 25, 50, 100, 150, 200, 250, 300, 400, 500, 1000)
SCALE_SHARE = 0.2
# Europe for the locator: equal-area, centred between the Atlantic and the Urals.
EUROPE_LAEA = CRS.from_proj4("+proj=laea +lat_0=50 +lon_0=20 +datum=WGS84 +units=m +no_defs")
LOCATOR_UKRAINE = "#444444"
LOCATOR_LAND = "#d6d3cb"
LOCATOR_SEA = "#e3edf3"
LOCATOR_FRAME = "#c0001a"


def scale_label(value: float, *, unit: bool) -> str:
    """A figure of the scale bar (km), with the unit on the last (``unit``): ``50``, ``100 km``;
    ``2,5``, ``100 км`` in Ukrainian."""
    if current_language() == ENGLISH:
        return f"{value:g} km" if unit else f"{value:g}"
    places = 0 if float(value).is_integer() else 1
    return unit_text(value, "km", places=places) if unit else number_text(value, places=places)


def scale_length_km(width_m: float, *, share: float = SCALE_SHARE) -> int:
    """The longest of :data:`SCALE_STEPS_KM` no longer than ``share`` of ``width_m`` metres."""
    if not width_m > 0:
        raise ValueError(f"'width_m' must be > 0 metres, got {width_m!r}")
    fitting = [step for step in SCALE_STEPS_KM if step * 1000 <= share * width_m]
    return fitting[-1] if fitting else SCALE_STEPS_KM[0]


def draw_scale_bar(ax: Axes, *, fontsize: float, zorder: float = 8) -> Bbox:
    """A two-part black-and-white bar in the lower left of ``ax`` (data in metres, UKRAINE_LAEA).

    Returns its extent in display coordinates (with its labels), for names to keep clear of.
    """
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    length_km = scale_length_km(x1 - x0)
    left, bottom = x0 + 0.03 * (x1 - x0), y0 + 0.035 * (y1 - y0)
    height = 0.008 * (y1 - y0)
    half_m = length_km * 500.0
    bars: list[Rectangle] = []
    for index, colour in enumerate(("#222222", "#ffffff")):
        bars.append(
            Rectangle((left + index * half_m, bottom), half_m, height, facecolor=colour, edgecolor="#222222", linewidth=0.6, zorder=zorder, gid="scale-bar")
        )
    for bar in bars:
        ax.add_patch(bar)
    artists: list[Artist] = list(bars)
    for value, x in ((0, left), (length_km / 2, left + half_m), (length_km, left + 2 * half_m)):
        label = scale_label(value, unit=value == length_km)
        artists.append(ax.text(x, bottom + height * 1.8, label, ha="center", va="bottom", fontsize=fontsize, color="#222222", zorder=zorder, gid="scale-bar"))
    for artist in artists:
        artist.set_in_layout(False)
    return Bbox.union([artist.get_window_extent() for artist in artists])


def draw_locator(ax: Axes, europe: gpd.GeoDataFrame, ukraine: shapely.Geometry, extent_m: tuple[float, float, float, float]) -> None:
    """Ukraine (dark) among Europe's countries, with the main map's ``extent_m`` (xmin, ymin,
    xmax, ymax in UKRAINE_LAEA metres) as a red frame; in :data:`EUROPE_LAEA`.

    ``europe`` and ``ukraine`` are in EPSG:4326; Ukraine comes from geoBoundaries, never from
    the countries file.
    """
    ax.set_facecolor(LOCATOR_SEA)
    add_polygons(ax, gpd.GeoSeries(europe.geometry.values, crs=4326).to_crs(EUROPE_LAEA), facecolor=LOCATOR_LAND, edgecolor="#ffffff", linewidth=0.3)
    add_polygons(ax, gpd.GeoSeries([ukraine], crs=4326).to_crs(EUROPE_LAEA), facecolor=LOCATOR_UKRAINE, edgecolor="none")
    frame = gpd.GeoSeries([shapely.segmentize(shapely.box(*extent_m), (extent_m[2] - extent_m[0]) / 20)], crs=UKRAINE_LAEA)
    add_lines(ax, frame.to_crs(EUROPE_LAEA).boundary, colors=LOCATOR_FRAME, linewidths=1.0, zorder=3)
    _centre_on_ukraine(ax)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#999999")
        spine.set_linewidth(0.6)


# The locator's view: this wide (metres) around Ukraine's centre, in EUROPE_LAEA.
LOCATOR_SPAN_M = 3_400_000.0
UKRAINE_CENTRE = (31.2, 48.6)  # lon, lat (degrees)


def _centre_on_ukraine(ax: Axes) -> None:
    """Limits of ``ax`` centred on Ukraine, shaped like the axes' box (after layout)."""
    centre = gpd.GeoSeries(gpd.points_from_xy([UKRAINE_CENTRE[0]], [UKRAINE_CENTRE[1]]), crs=4326).to_crs(EUROPE_LAEA).iloc[0]
    box = ax.get_position()
    width_in, height_in = figure_size_in(ax)
    aspect = (box.width * width_in) / (box.height * height_in)
    width = LOCATOR_SPAN_M
    height = width / aspect
    ax.set_xlim(centre.x - width / 2, centre.x + width / 2)
    ax.set_ylim(centre.y - height / 2, centre.y + height / 2)
    ax.set_aspect("equal", adjustable="box")


def ground_length_km(start_m: tuple[float, float], end_m: tuple[float, float]) -> float:
    """Geodesic length (km, WGS84) between two points given in UKRAINE_LAEA metres."""
    from pyproj import Geod, Transformer

    to_lonlat = Transformer.from_crs(UKRAINE_LAEA, 4326, always_xy=True)
    (lon0, lon1), (lat0, lat1) = to_lonlat.transform(np.array([start_m[0], end_m[0]]), np.array([start_m[1], end_m[1]]))
    return Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat1)[2] / 1000.0


def figure_size_in(ax: Axes) -> tuple[float, float]:
    """Width and height (inches) of the figure ``ax`` is drawn on."""
    figure = ax.get_figure(root=True)
    if figure is None:
        raise ValueError("'ax' should be on a figure, got axes on none")
    width, height = figure.get_size_inches()
    return float(width), float(height)
