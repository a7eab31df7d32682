"""Leaflet's JavaScript and CSS, read from the xstatic-leaflet package, for inlining into maps.

A self-contained map carries Leaflet inside the HTML file, so it works offline and inside any
page or iframe. The files come from the XStatic-Leaflet package (Leaflet 1.9.3, the version
folium itself links to), so nothing is fetched at run time. The CSS's images (the layer
control's icon) are inlined as data URIs.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from peacemap.layers.errors import PeacemapError

_IMAGE_URL = re.compile(r"url\((images/[\w.-]+\.png)\)")
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


def leaflet_dir() -> Path:
    """Folder of the packaged Leaflet files (``leaflet.js``, ``leaflet.css``, ``images/``)."""
    try:
        from xstatic.pkg import leaflet
    except ImportError as error:  # pragma: no cover - a declared dependency
        raise PeacemapError("self-contained maps need the xstatic-leaflet package: pip install xstatic-leaflet") from error
    return Path(leaflet.BASE_DIR)


@lru_cache(maxsize=1)
def leaflet_js() -> str:
    """Leaflet's minified JavaScript, safe to put inside a ``<script>`` element."""
    text = (leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
    return script_safe(_SOURCE_MAP.sub("", text))


@lru_cache(maxsize=1)
def leaflet_css() -> str:
    """Leaflet's CSS with its images inlined as ``data:`` URIs."""
    folder = leaflet_dir()
    text = (folder / "leaflet.css").read_text(encoding="utf-8")
    return _IMAGE_URL.sub(lambda match: f"url({_data_uri(folder / match.group(1))})", text)


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def script_safe(text: str) -> str:
    """``text`` with every ``</script`` written ``<\\/script`` (same meaning in JavaScript)."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
