"""The one title, legend and sources layout of every HTML page peacemap writes: the maps (plan,
comparison, control comparison, animation) and the chart pages (timeline, plan timeline).

Every page has a title box (``.peacemap-title``: the title in bold, then lines of context), a
legend that folds (``<details class="peacemap-legend">``) and its sources. On a map the boxes float
over the map (the title top left beside the zoom buttons, the legend bottom left, the sources in
Leaflet's attribution, bottom right); on a chart page they run in the page (``.peacemap-page``),
the sources last (``<details class="peacemap-attribution">``). Below :data:`NARROW_PX` the legend
and the layer control start folded and the sources become a "Sources" button
(:mod:`peacemap.maps.embed` on maps, :data:`FOLD_JS` on chart pages).

A fact box (``.peacemap-facts``, :mod:`peacemap.maps.facts`: top right below the layer control,
foldable) has its place in the layout: the map's first view and its names keep clear of it, as of
the other boxes. A page with a side panel may put it there instead (``.peacemap-facts-panel``).

The functions here take text that is already escaped (:func:`peacemap.maps.html.esc`); nothing in
this module is built from data (the one word it writes, "Sources", is the catalogue's).
"""

from __future__ import annotations

from collections.abc import Iterable

from peacemap.layers.i18n.catalogue import gettext
from peacemap.maps import web
from peacemap.maps.embed import NARROW_PX
from peacemap.maps.escape import esc

BOX_BACKGROUND = "rgba(255,255,255,0.94)"
BOX_SHADOW = "0 1px 4px rgba(0,0,0,0.3)"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'


def title_box(title: str, lines: Iterable[str] = (), *, extra: str = "", classes: str = "") -> str:
    """The title box: ``title`` (HTML, escaped; the caller puts in bold what the title names),
    each of ``lines`` below it in smaller type, then ``extra`` (controls: a slider, plan buttons)."""
    below = "".join(f'<span class="peacemap-subtitle">{line}</span>' for line in lines)
    names = " ".join(["peacemap-title", *classes.split()])
    return f'<div class="{names}"><span class="peacemap-heading">{title}</span>{below}{extra}</div>'


def legend_box(summary: str, rows: Iterable[str], *, note: str = "", open_: bool = True) -> str:
    """A legend that folds: ``summary`` (HTML) always shown, ``rows`` (HTML: a swatch and its
    label each) and a small ``note`` below them when open."""
    body = "".join(f'<div class="peacemap-legend-row">{row}</div>' for row in rows)
    note_html = f'<div class="peacemap-sources">{note}</div>' if note else ""
    return f'<details class="peacemap-legend"{" open" if open_ else ""}><summary><b>{summary}</b></summary>{body}{note_html}</details>'


def sources_box(text: str) -> str:
    """A chart page's sources (HTML, escaped), folding to a "Sources" button on narrow pages."""
    summary = esc(gettext("Sources"))
    return f'<details class="peacemap-attribution" open><summary>{summary}</summary><div>{text}</div></details>'


BOX_CSS = web.style("boxes.css", box_background=BOX_BACKGROUND, box_shadow=BOX_SHADOW, font=FONT, narrow_max=NARROW_PX - 1)

# Chart pages: below NARROW_PX the legend and the sources start folded (the maps do the same in
# peacemapEmbed).
FOLD_JS = "<script>\n" + web.script("fold.js", narrow_px=NARROW_PX) + "</script>"
