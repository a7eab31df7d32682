"""The line of contact shows above its white casing (issue 26, "Lines drawn above their casings"):
in the single map (``map.html``, ``plan_map()``) and in the comparison map, at zoom 9 over
Zaporizhzhia (where the 28-point plan freezes the line) and over the demilitarised zone (where it
does not), the pixels along the line include its dark colour.

The page's boxes and names are hidden first, so that only the line, its casing and the zones
beneath are sampled. With the casing drawn over the line, every sample is white or the zone's
colour: the test failed so before the fix.
"""

from __future__ import annotations

import io

import matplotlib.image as mpimg
import numpy as np
import pytest
import shapely

from peacemap.maps.html import build_html_map, save_html

VIEWPORT = {"width": 1400, "height": 900}
ZOOM = 9
# Where each view is centred (lon, lat): the frozen line south-east of Zaporizhzhia city, and the
# line along the demilitarised zone east of Kostiantynivka.
FOCUS = {"UA-23": (35.9, 47.45), "UA-14": (37.9, 48.55)}
DARK = 60  # a pixel whose channels are all at most this (0-255) is the line's near-black
NEAR_PX = 2  # Leaflet draws lines simplified by up to a pixel
MIN_DARK_SHARE = 0.5  # of the samples along the line (a dashed line is dark over 7 of every 11 px)

_HIDE_BOXES_JS = """
() => {
  document.querySelectorAll(".leaflet-control-container, .peacemap-title, .peacemap-legend, .leaflet-peacemap-points-pane")
    .forEach(e => { e.style.display = "none"; });
}
"""
_VIEW_JS = """
([mapName, centre, zoom, points]) => {
  const map = window[mapName];
  map.setView([centre[1], centre[0]], zoom, {animate: false});
  return points.map(p => { const q = map.latLngToContainerPoint([p[1], p[0]]); return [q.x, q.y]; });
}
"""


def _samples(map_layers, region: str, centre: tuple[float, float]) -> list[list[float]]:
    """Points every ~0.01° along the drawn line of contact of ``region`` within 1.2° of ``centre``."""
    lines = map_layers.contact_line
    line = shapely.union_all(lines.loc[lines["region"] == region, "geometry"].values)
    window = shapely.box(centre[0] - 1.2, centre[1] - 1.2, centre[0] + 1.2, centre[1] + 1.2)
    near = shapely.segmentize(shapely.intersection(line, window), 0.01)
    return [list(xy) for part in shapely.get_parts(near) for xy in np.asarray(part.coords)[1:-1]]


def _dark_share(screenshot: bytes, pixels: list[list[float]]) -> float:
    image = (mpimg.imread(io.BytesIO(screenshot), format="png")[:, :, :3] * 255).astype(int)
    height, width = image.shape[:2]
    inside = [(x, y) for x, y in pixels if NEAR_PX <= x < width - NEAR_PX and NEAR_PX <= y < height - NEAR_PX]
    assert len(inside) >= 30, "too few samples of the line inside the view"
    dark = 0
    for x, y in inside:
        column, row = round(x), round(y)
        patch = image[row - NEAR_PX : row + NEAR_PX + 1, column - NEAR_PX : column + NEAR_PX + 1]
        dark += bool((patch.max(axis=2) <= DARK).any())
    return dark / len(inside)


def _probe(map_name: str, map_layers):  # a probe for the chromium fixture
    def probe(page, report):  # playwright Page
        page.set_viewport_size(VIEWPORT)
        page.wait_for_timeout(300)
        page.evaluate(_HIDE_BOXES_JS)
        for region, centre in FOCUS.items():
            points = page.evaluate(_VIEW_JS, [map_name, list(centre), ZOOM, _samples(map_layers, region, centre)])
            page.wait_for_timeout(300)
            report[region] = _dark_share(page.screenshot(), points)

    return probe


@pytest.fixture(scope="module")
def single_map_shares(plan28_map_layers, tmp_path_factory, chromium):
    folder = tmp_path_factory.mktemp("line-single")
    fmap = build_html_map(plan28_map_layers)
    path = save_html(fmap, folder / "plan28.html")
    return chromium(path, folder / "profile", _probe(fmap.get_name(), plan28_map_layers))


@pytest.fixture(scope="module")
def comparison_map_shares(plan28_map_layers, control_layers_20251120, tmp_path_factory, chromium):
    from peacemap.layers.plans.apply import apply_plan
    from peacemap.layers.plans.model import load_plan
    from peacemap.maps.compare import comparison_map
    from peacemap.maps.prepare import prepare_map_layers

    others = [prepare_map_layers(apply_plan(load_plan(plan), control_layers_20251120)) for plan in ("freeze", "russia-max")]
    folder = tmp_path_factory.mktemp("line-compare")
    fmap = comparison_map([plan28_map_layers, *others])
    path = save_html(fmap, folder / "compare.html")
    return chromium(path, folder / "profile", _probe(fmap.get_name(), plan28_map_layers))


@pytest.mark.parametrize("region", FOCUS)
def test_the_single_map_shows_the_line_above_its_casing(single_map_shares, region):
    assert single_map_shares[region] >= MIN_DARK_SHARE


@pytest.mark.parametrize("region", FOCUS)
def test_the_comparison_map_shows_the_line_above_its_casing(comparison_map_shares, region):
    assert comparison_map_shares[region] >= MIN_DARK_SHARE
