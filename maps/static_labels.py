"""Names on the static map placed without overlap: each tries a few positions in order of
priority and is left out if none is free.

Places come first, most important first (:func:`peacemap.maps.places.map_places`), then region
names (largest region first, so "Kyiv (city)" yields to "Kyiv"), then neighbouring countries and
seas. A place's name may sit right, left, above or below its dot, and only beside it: within
:data:`BESIDE_PT` of its own dot and further from every other dot by :data:`CLEAR_PT`. A region's
name sits at its label point or a little above, below, left or right of it. Every name keeps clear
of names already placed, of the dots and of the scale bar.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

# A label's offset from its point (points) and its text's alignments, as matplotlib names them.
Candidate = tuple[tuple[float, float], Literal["left", "center", "right"], Literal["bottom", "center", "top"]]
# (offset in points, horizontal alignment, vertical alignment) tried in turn, by kind of name.
CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    "place": (
        ((5, 0), "left", "center"),
        ((-5, 0), "right", "center"),
        ((4, 4), "left", "bottom"),
        ((4, -4), "left", "top"),
        ((-4, 4), "right", "bottom"),
        ((-4, -4), "right", "top"),
        ((0, 5), "center", "bottom"),
        ((0, -5), "center", "top"),
    ),
    "region": (
        ((0, 0), "center", "center"),
        ((0, 10), "center", "center"),
        ((0, -10), "center", "center"),
        ((-25, 0), "center", "center"),
        ((25, 0), "center", "center"),
        ((0, 20), "center", "center"),
        ((0, -20), "center", "center"),
    ),
    "country": (((0, 0), "center", "center"),),
    "sea": (((0, 0), "center", "center"),),
}
KIND_ORDER = ("place", "region", "country", "sea")
HALO_SHARE = 0.36  # halo width as a share of the text size
HALO_GID = "label-halo"  # id prefix of the halos (SVG output turns them into stroked <text>)
PAD_PT = 1.0  # free space kept around each name
BESIDE_PT = 4.5  # a place's name is at most this far from its own dot ...
CLEAR_PT = 3.0  # ... and every other dot is this much further from it


@dataclass(frozen=True)
class Label:
    """A name to place at ``x``, ``y`` (data coordinates); lower ``rank`` is placed first within its kind."""

    text: str
    x: float
    y: float
    kind: str
    rank: float = 0.0
    style: dict = field(default_factory=dict)
    dot: Bbox | None = None  # a place's own dot (display coordinates)
    key: object = None  # what the name stands for (a place), returned with it when shown


def place_labels(ax: Axes, labels: list[Label], obstacles: list[Bbox], *, dots: Sequence[Bbox] = ()) -> list[Label]:
    """Add the ``labels`` that fit to ``ax`` (see the module docstring); return those shown.

    ``dots`` are every place's dot (display coordinates): a place's name is placed beside its own
    (``label.dot``), clear of the others.

    The figure must have been laid out (``fig.draw_without_rendering()``) so that display
    coordinates are final. A white halo is drawn under each name as a separate copy (id
    ``label-halo-N``) outlined by a path effect, so that the name itself stays a ``<text>``
    element in SVG output; :func:`svg_halos_as_text` makes the halos stroked ``<text>`` too.
    """
    renderer = ax.get_figure(root=True)._get_renderer()  # type: ignore[union-attr]  # noqa: SLF001 - the renderer the figure lays out with
    frame = ax.get_window_extent(renderer)
    pad = PAD_PT * ax.figure.dpi / 72
    taken = list(obstacles)
    points = ax.figure.dpi / 72
    shown: list[Label] = []
    for label in sorted(labels, key=lambda item: (KIND_ORDER.index(item.kind), item.rank)):
        text = ax.annotate(label.text, (label.x, label.y), xytext=(0, 0), textcoords="offset points", parse_math=False, **label.style)
        text.set_in_layout(False)

        def beside(box: Bbox, own: Bbox | None = label.dot) -> bool:
            return own is None or _beside(box, own, dots, BESIDE_PT * points, CLEAR_PT * points)

        box = _first_free(text, CANDIDATES[label.kind], renderer, frame, taken, pad, beside)
        if box is None:
            text.remove()
            continue
        taken.append(box)
        shown.append(label)
        _halo(ax, text, label, f"{HALO_GID}-{len(shown)}")
    return shown


def _first_free(
    text: Annotation, candidates: Sequence[Candidate], renderer: RendererBase, frame: Bbox, taken: list[Bbox], pad: float, beside: Callable[[Bbox], bool]
) -> Bbox | None:
    for offset, ha, va in candidates:
        text.xyann = offset
        text.set_horizontalalignment(ha)
        text.set_verticalalignment(va)
        box = text.get_window_extent(renderer).padded(pad)
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        if inside and not any(box.overlaps(other) for other in taken) and beside(box):
            return box
    return None


def _gap(a: Bbox, b: Bbox) -> float:
    """Distance between two boxes (0 where they touch or overlap), display units."""
    dx = max(0.0, a.x0 - b.x1, b.x0 - a.x1)
    dy = max(0.0, a.y0 - b.y1, b.y0 - a.y1)
    return float((dx * dx + dy * dy) ** 0.5)


def _beside(box: Bbox, own: Bbox, dots: Sequence[Bbox], beside: float, clear: float) -> bool:
    """``box`` within ``beside`` of its own dot, and every other dot ``clear`` further away."""
    near = _gap(box, own)
    return near <= beside and all(dot is own or _gap(box, dot) >= near + clear for dot in dots)


def _halo(ax: Axes, text: Annotation, label: Label, gid: str) -> None:
    style = {**label.style, "color": "white"}
    halo = ax.annotate(
        label.text,
        (label.x, label.y),
        xytext=text.xyann,
        textcoords="offset points",
        parse_math=False,
        ha=text.get_horizontalalignment(),
        va=text.get_verticalalignment(),
        gid=gid,
        **style,
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
