"""Script and style that make an HTML map work embedded at any size (constants, no data): the files
``maps/web/embed.js`` and ``embed.css`` (:mod:`peacemap.maps.web`).

When the page opens (:func:`embed_js`, ``peacemapEmbed(map, options)``):

* the title, legend and fact box move into the map's frame (they stay over the map when a side
  panel sits beside or below it; a fact box in a side panel, ``.peacemap-facts-panel``, stays
  there);
* the fact box sits below the layer control (and below the title where they would meet) and
  stops short of the boxes beneath it, scrolling inside when taller;
* below ``options.narrowPx`` (:data:`NARROW_PX`) wide, the legend (and a fact box) start folded,
  the layer control stays folded, and the attribution collapses to a "Sources" button that
  opens it;
* the first view fits ``options.bounds`` (the land the plan changes) with padding that clears the
  title, the legend, a fact box, the attribution and the scale: below the title and above the
  attribution, and either above or beside the legend, and either below or beside the fact box,
  whichever of the four leaves the larger view;
* a popup opens clear of the title, the fact box and the attribution, scrolling when taller than
  the room between them;
* names never overlap: after every move, zoom, resize or layer switch, names are placed in order
  of priority (``data-priority``, lowest first), each at the first of its positions (by
  ``data-kind``) that is inside the map and clear of names already placed, of the places' dots
  and of the map's boxes (title, legend, fact box, attribution, controls); a place's name must
  also sit beside its own dot (``data-dot``), nearer to it than to any other dot by a clear
  margin. A name with no free position is hidden until the view changes, and its dot with it.

Nothing here is built from data: options arrive as a JSON literal written by
:func:`peacemap.maps.html.js_literal`.
"""

from __future__ import annotations

from peacemap.layers.i18n.catalogue import gettext
from peacemap.maps import web

# Below this container width (CSS pixels) the legend starts folded and the attribution becomes a
# button: a 700 px iframe in a page and phones (390 px) are below it, a desktop page above.
NARROW_PX = 760


def embed_js() -> str:
    """The embedding script (``maps/web/embed.js``) with the "Sources" button's words, its only
    words, in the language being written (messages of the catalogue, as JavaScript literals)."""
    return web.script("embed.js", sources=gettext("Sources"), hide_sources=gettext("Hide sources"))


EMBED_CSS = web.style("embed.css")
