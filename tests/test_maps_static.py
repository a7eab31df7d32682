"""maps.static: the PNG shows every status in its colour, with the legend, and is not blank."""

from __future__ import annotations

import matplotlib.colors as mcolors
import matplotlib.image as mpimg
import numpy as np
import pytest

from peacemap.maps.static import save_static, static_map
from peacemap.maps.style import STATUS_STYLES


@pytest.fixture(scope="module")
def plan28_png(plan28_map_layers, tmp_path_factory):
    fig = static_map(plan28_map_layers)
    legend_texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    path = save_static(fig, tmp_path_factory.mktemp("static") / "plan28.png", fmt="png", dpi=60)
    return mpimg.imread(path)[:, :, :3], legend_texts


def _share_of_colour(image: np.ndarray, colour: str, tolerance: float = 0.02) -> float:
    target = np.array(mcolors.to_rgb(colour))
    return float((np.abs(image - target).max(axis=2) <= tolerance).mean())


def test_png_is_not_blank(plan28_png):
    image, _ = plan28_png
    assert image.std() > 0.1
    assert len(np.unique((image * 255).astype(np.uint8).reshape(-1, 3), axis=0)) > 50


def test_every_status_colour_is_drawn(plan28_png, plan28_map_layers):
    image, _ = plan28_png
    present = set(plan28_map_layers.zones["status"])
    for status, style in ((s, style) for s, style in STATUS_STYLES.items() if s in present):
        # The smallest zone drawn (land given back, ~1,900 km² in all) still covers pixels.
        assert _share_of_colour(image, style.fill) > 1e-4, status


def test_legend_lists_every_status(plan28_png, plan28_map_layers):
    _, legend_texts = plan28_png
    present = set(plan28_map_layers.zones["status"])
    assert len(present) == 6  # the 28-point plan's statuses: recognised de facto, frozen on each side, dmz, returned, unchanged
    for status, style in STATUS_STYLES.items():
        assert (style.label in legend_texts) == (status in present), status


def test_save_static_refuses_unknown_format(tmp_path):
    from matplotlib.figure import Figure

    fig = Figure()
    with pytest.raises(ValueError, match="'fmt'"):
        save_static(fig, tmp_path / "x.gif", fmt="gif")
