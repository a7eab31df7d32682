"""Text made safe for peacemap's HTML pages: escaped for HTML and for the Jinja templates branca
re-reads (:func:`esc`), or written as a JavaScript literal (:func:`js_literal`). See
:mod:`peacemap.maps.html` for why both guards are needed."""

from __future__ import annotations

import html
import json

_JINJA_SAFE_HTML = str.maketrans({"{": "&#123;", "}": "&#125;"})


def esc(value: object) -> str:
    """``value`` as text safe inside HTML and inside template text: ``<``, ``>``, ``&``, quotes
    and the braces ``{`` ``}`` are written as character references, so the browser shows the
    text verbatim and no Jinja marker (``{{``, ``{%``, ``{#``) survives."""
    return html.escape(str(value), quote=True).translate(_JINJA_SAFE_HTML)


def js_literal(value: object) -> str:
    """``value`` as a JavaScript literal (JSON) safe inside ``<script>`` and inside the template
    text that branca re-reads: ``<``, ``>``, ``&``, ``'`` and the template markers ``{{``,
    ``{%``, ``{#`` are written as ``\\u`` escapes (they only occur inside JSON strings)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escape)
    return text.replace("{{", "{\\u007b").replace("{%", "\\u007b%").replace("{#", "\\u007b#")
