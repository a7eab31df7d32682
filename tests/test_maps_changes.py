"""Land that changes hands is marked on every map (issue 18, "Show the change").

On 2025-11-20 the 28-point plan moves held Donetsk (the demilitarised zone: Sloviansk, Kramatorsk,
Druzhkivka and Kostiantynivka) and held Luhansk to the Russian side; Russia's demand of June 2024
moves all of Donetsk, Luhansk, Zaporizhzhia and Kherson oblasts, with the cities of Zaporizhzhia
and Kherson, which Ukraine held that day; the freeze moves nothing. Both the PNG and the HTML
map of the first two show the hatched "held by Ukraine today" overlay; the freeze's show none.
City coordinates are those of each city's Wikipedia article, rounded to 0.01°.
"""

from __future__ import annotations

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
import shapely

from peacemap.geo.projections import to_metric
from peacemap.layers.control.split import HELD, OCCUPIED
from peacemap.maps.mpl import polygon_path
from peacemap.maps.prepare import changes_hands, prepare_map_layers
from peacemap.maps.style import GIVEN_UP, RETURNED, overlay_label

CITIES = {"Kramatorsk": (37.56, 48.72), "Sloviansk": (37.61, 48.85), "Zaporizhzhia": (35.14, 47.84), "Kherson": (32.62, 46.64)}
PLANS = ("plan28", "russia-max", "freeze")


@pytest.fixture(scope="module")
def drawn(control_layers_20251120, plan28_map_layers):
    """Map layers of the three plans on the same snapshot (2025-11-20)."""
    from peacemap.layers.plans.apply import apply_plan
    from peacemap.layers.plans.model import load_plan

    layers = {"plan28": plan28_map_layers}
    for plan in ("russia-max", "freeze"):
        layers[plan] = prepare_map_layers(apply_plan(load_plan(plan), control_layers_20251120), context=plan28_map_layers.context)
    return layers


@pytest.fixture(scope="module")
def pngs(drawn, plan28_static_figure, tmp_path_factory):
    """Each plan's static map: (figure, PNG pixels)."""
    from peacemap.maps.static import save_static, static_map

    folder = tmp_path_factory.mktemp("changes")
    result = {}
    for plan, layers in drawn.items():
        figure = plan28_static_figure if plan == "plan28" else static_map(layers)
        path = save_static(figure, folder / f"{plan}.png", fmt="png", dpi=100)
        result[plan] = (figure, mpimg.imread(path)[:, :, :3])
    return result


def _given_up(layers) -> shapely.Geometry:  # MapLayers
    rows = layers.changes[layers.changes["kind"] == GIVEN_UP]
    return rows.geometry.iloc[0] if len(rows) else shapely.Polygon()


def test_changes_hands_compares_control_today_with_the_side_after():
    zones = pd.DataFrame(
        {
            "control": [HELD, HELD, HELD, HELD, OCCUPIED, OCCUPIED, OCCUPIED],
            "status": ["dmz", "recognised_de_facto", "frozen_ukrainian", "ukrainian", "relinquished", "frozen_de_facto", "recognised_de_jure"],
        }
    )
    assert changes_hands(zones).tolist() == [GIVEN_UP, GIVEN_UP, "", "", RETURNED, "", ""]
    mutual = pd.DataFrame({"control": [HELD, OCCUPIED], "status": ["dmz_mutual", "dmz_mutual"]})
    assert changes_hands(mutual).tolist() == ["", ""]  # both sides leave: neither given up nor returned


def test_given_up_land_holds_the_cities_the_plans_name(drawn):
    plan28, russia_max = _given_up(drawn["plan28"]), _given_up(drawn["russia-max"])
    for city in ("Kramatorsk", "Sloviansk"):
        assert plan28.contains(shapely.Point(CITIES[city])), city
        assert russia_max.contains(shapely.Point(CITIES[city])), city
    for city in ("Zaporizhzhia", "Kherson"):
        assert russia_max.contains(shapely.Point(CITIES[city])), city
        assert not plan28.contains(shapely.Point(CITIES[city])), city
    # plan28's given-up land is all of the held land of Donetsk (21d) and Luhansk (21a), nothing else.
    zones = drawn["plan28"].layers.zones
    held = zones[(zones["control"] == HELD) & zones["region"].isin(["UA-14", "UA-09"])]
    assert drawn["plan28"].changes.set_index("kind").loc[GIVEN_UP, "area_km2"] == pytest.approx(held["area_km2"].sum())
    assert drawn["freeze"].changes.empty


def test_html_maps_show_the_overlay(drawn):
    from peacemap.maps.html import build_html_map

    for plan in PLANS:
        label = overlay_label(GIVEN_UP, drawn[plan].layers.control.as_of)
        page = build_html_map(drawn[plan]).get_root().render()
        shown = f"peacemap-change-{GIVEN_UP}" in page and label in page
        assert shown == (plan != "freeze"), plan


def _pixels_over(figure, image: np.ndarray, geometry: shapely.Geometry) -> np.ndarray:  # Figure
    """The PNG's pixels inside ``geometry`` (EPSG:4326), shrunk by 3 km to leave its outline out,
    and away from names and places' dots (dark text on white halos would pass for hatching)."""
    height = image.shape[0]
    ax = figure.axes[0]
    covered = [text.get_window_extent().padded(2) for text in ax.texts if text.get_visible()]
    dots = ax.transData.transform(next(c.get_offsets() for c in ax.collections if c.get_gid() == "places"))
    pixels = []
    for part in shapely.get_parts(shapely.buffer(to_metric(geometry), -3_000)):
        path = polygon_path(part).transformed(ax.transData)  # display pixels (the PNG is saved at the figure's dpi)
        (x0, y0), (x1, y1) = np.floor(path.vertices.min(axis=0)).astype(int), np.ceil(path.vertices.max(axis=0)).astype(int)
        columns, rows_up = np.meshgrid(np.arange(x0, x1), np.arange(y0, y1))
        centres = np.column_stack([columns.ravel() + 0.5, rows_up.ravel() + 0.5])
        inside = path.contains_points(centres)
        for box in covered:
            inside &= ~((box.x0 <= centres[:, 0]) & (centres[:, 0] <= box.x1) & (box.y0 <= centres[:, 1]) & (centres[:, 1] <= box.y1))
        for dot in dots:
            inside &= np.hypot(*(centres - dot).T) > 6
        pixels.append(image[height - 1 - rows_up.ravel()[inside], columns.ravel()[inside]])
    return np.concatenate(pixels) if pixels else np.empty((0, 3))


def _hatch_share(pixels: np.ndarray) -> float:
    """Share of pixels that are the hatch's near-black lines or their white casing."""
    dark = (pixels < 0.2).all(axis=1)
    white = (pixels > 0.93).all(axis=1)
    return min(dark.mean(), white.mean())


def test_png_maps_show_the_overlay(drawn, pngs):
    plan28_area, russia_max_area = _given_up(drawn["plan28"]), _given_up(drawn["russia-max"])
    plan28 = _pixels_over(*pngs["plan28"], plan28_area)
    russia_max = _pixels_over(*pngs["russia-max"], russia_max_area)
    freeze = _pixels_over(*pngs["freeze"], russia_max_area)  # the same land, under the freeze
    assert len(plan28) > 500
    assert len(russia_max) > 2_000
    assert len(freeze) > 2_000
    # Measured at 100 dpi, away from names and dots: 7.7% and 6.9% of the pixels are hatch lines
    # (9.9% and 8.0% their casing); on the freeze's map of the same land, 0.9% are as dark (lines
    # of contact, borders) and 2.1% as white.
    assert _hatch_share(plan28) > 0.04
    assert _hatch_share(russia_max) > 0.04
    assert _hatch_share(freeze) < 0.02
    legend = [t.get_text() for ax in pngs["freeze"][0].axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    assert not any("Held by Ukraine" in text for text in legend)
