"""The size of a static map: ``WxH`` with a unit, ``px`` or ``in`` (e.g. ``1600x1000px``, ``12x8in``).

Kept free of heavy imports: the command line parses sizes before anything is drawn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Smallest and largest figure (inches): below 3 in the legend and names no longer fit; above
# 40 in (a metre) is a poster, not a news graphic, and the pixels explode at high dpi.
MIN_SIZE_IN = 3.0
MAX_SIZE_IN = 40.0
MAX_PIXELS = 12_000  # per side, whatever the dpi
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(px|in)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class PrintSize:
    """A figure size: ``width`` by ``height`` in ``unit`` (``"px"`` or ``"in"``)."""

    width: float
    height: float
    unit: str

    def inches(self, dpi: int) -> tuple[float, float]:
        """(width, height) in inches; pixels are converted at ``dpi`` dots per inch."""
        if self.unit == "in":
            return (self.width, self.height)
        return (self.width / dpi, self.height / dpi)

    def check(self, dpi: int) -> tuple[float, float]:
        """:meth:`inches`, refusing sizes outside 3-40 in or above 12,000 px a side (ValueError)."""
        width_in, height_in = self.inches(dpi)
        for name, value in (("width", width_in), ("height", height_in)):
            if not MIN_SIZE_IN <= value <= MAX_SIZE_IN:
                raise ValueError(f"'size' {name} must be {MIN_SIZE_IN:g} to {MAX_SIZE_IN:g} inches at {dpi} dpi, got {value:.3g} in")
            if value * dpi > MAX_PIXELS:
                raise ValueError(f"'size' {name} must be at most {MAX_PIXELS:,} px, got {value * dpi:,.0f} px at {dpi} dpi")
        return width_in, height_in

    def __str__(self) -> str:
        return f"{self.width:g}x{self.height:g}{self.unit}"


def parse_size(text: str) -> PrintSize:
    """``"1600x1000px"`` or ``"12x8in"`` as a :class:`PrintSize`; ValueError naming the text otherwise."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"'size' must be WIDTHxHEIGHT with a unit, px or in (e.g. 1600x1000px or 12x8in), got {text!r}")
    width, height, unit = float(match.group(1)), float(match.group(2)), match.group(3).lower()
    if width <= 0 or height <= 0:
        raise ValueError(f"'size' must be positive, got {text!r}")
    return PrintSize(width, height, unit)
