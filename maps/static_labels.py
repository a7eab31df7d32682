"""Names on the static map placed without overlap: each tries a few positions in order of
priority and is left out if none is free.

Key places come first (they are what the plan's text names), then region names (largest region
first, so "Kyiv (city)" yields to "Kyiv"), then neighbouring countries and seas. A place's name
may sit right, left, above or below its dot; a region's at its label point or a little above,
below, left or right of it. Every name keeps clear of names already placed, of the dots and of the scale bar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

# (offset in points, horizontal alignment, vertical alignment) tried in turn, by kind of name.
CANDIDATES: dict[str, tuple[tuple[tuple[float, float], str, str], ...]] = {
    "place": (
        ((5, 0), "left", "center"), ((-5, 0), "right", "center"), ((4, 4), "left", "bottom"), ((4, -4), "left", "top"),
        ((-4, 4), "right", "bottom"), ((-4, -4), "right", "top"), ((0, 5), "center", "bottom"), ((0, -5), "center", "top"),
    ),
    "region": (
        ((0, 0), "center", "center"), ((0, 10), "center", "center"), ((0, -10), "center", "center"),
        ((-25, 0), "center", "center"), ((25, 0), "center", "center"), ((0, 20), "center", "center"), ((0, -20), "center", "center"),
    ),
    "country": (((0, 0), "center", "center"),),
    "sea": (((0, 0), "center", "center"),),
}
KIND_ORDER = ("place", "region", "country", "sea")
HALO_SHARE = 0.36  # halo width as a share of the text size
HALO_GID = "label-halo"  # id prefix of the halos (SVG output turns them into stroked <text>)
PAD_PT = 1.0  # free space kept around each name


@dataclass(frozen=True)
class Label:
    """A name to place at ``x``, ``y`` (data coordinates); lower ``rank`` is placed first within its kind."""

    text: str
    x: float
    y: float
    kind: str
    rank: float = 0.0
    style: dict = field(default_factory=dict)


def place_labels(ax: Axes, labels: list[Label], obstacles: list[Bbox]) -> list[Annotation]:
    """Add the ``labels`` that fit to ``ax`` (see the module docstring); return those shown.

    The figure must have been laid out (``fig.draw_without_rendering()``) so that display
    coordinates are final. A white halo is drawn under each name as a separate copy (id
    ``label-halo-N``) outlined by a path effect, so that the name itself stays a ``<text>``
    element in SVG output; :func:`svg_halos_as_text` makes the halos stroked ``<text>`` too.
    """
    renderer = ax.get_figure(root=True)._get_renderer()  # type: ignore[union-attr]  # noqa: SLF001 - the renderer the figure lays out with
    frame = ax.get_window_extent(renderer)
    pad = PAD_PT * ax.figure.dpi / 72
    taken = list(obstacles)
    shown: list[Annotation] = []
    for label in sorted(labels, key=lambda item: (KIND_ORDER.index(item.kind), item.rank)):
        text = ax.annotate(label.text, (label.x, label.y), xytext=(0, 0), textcoords="offset points", parse_math=False, **label.style)
        text.set_in_layout(False)
        box = _first_free(text, CANDIDATES[label.kind], renderer, frame, taken, pad)
        if box is None:
            text.remove()
            continue
        taken.append(box)
        shown.append(text)
        _halo(ax, text, label, f"{HALO_GID}-{len(shown)}")
    return shown


def _first_free(text: Annotation, candidates, renderer, frame: Bbox, taken: list[Bbox], pad: float) -> Bbox | None:  # noqa: ANN001
    for offset, ha, va in candidates:
        text.xyann = offset
        text.set_horizontalalignment(ha)
        text.set_verticalalignment(va)
        box = text.get_window_extent(renderer).padded(pad)
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        if inside and not any(box.overlaps(other) for other in taken):
            return box
    return None


def _halo(ax: Axes, text: Annotation, label: Label, gid: str) -> None:
    style = {**label.style, "color": "white"}
    halo = ax.annotate(
        label.text, (label.x, label.y), xytext=text.xyann, textcoords="offset points", parse_math=False,
        ha=text.get_horizontalalignment(), va=text.get_verticalalignment(), gid=gid, **style,
    )
    halo.set_path_effects([patheffects.withStroke(linewidth=HALO_SHARE * float(text.get_fontsize()), foreground="white")])
    halo.set_zorder(text.get_zorder() - 0.01)
    halo.set_in_layout(False)


_HALO_TEXT = re.compile(r'(<g id="' + HALO_GID + r'-\d+">\s*<text style=")([^"]*font-size: ([\d.]+)px[^"]*)"')


def halos_off(fig: Figure) -> list[tuple[Text, list]]:
    """Remove the path effect of every halo of ``fig``; returns what to give back to :func:`halos_on`."""
    halos = [text for text in fig.findobj(Text) if (text.get_gid() or "").startswith(HALO_GID)]
    saved = [(text, text.get_path_effects()) for text in halos]
    for text in halos:
        text.set_path_effects([])
    return saved


def halos_on(saved: list[tuple[Text, list]]) -> None:
    """Give the halos back the path effects :func:`halos_off` removed."""
    for text, effects in saved:
        text.set_path_effects(effects)


def svg_halos_as_text(svg: str) -> str:
    """SVG written with :func:`halos_off`: each halo's ``<text>`` gets a white stroke, so names
    and halos are text that a desk can edit or translate (no outlined copy left behind)."""
    def stroke(match: re.Match) -> str:
        width = HALO_SHARE * float(match.group(3))
        return f'{match.group(1)}{match.group(2)}; stroke: #ffffff; stroke-width: {width:.2f}px; stroke-linejoin: round"'

    return _HALO_TEXT.sub(stroke, svg)
