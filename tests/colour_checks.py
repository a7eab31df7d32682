"""Colour arithmetic for checking map palettes: sRGB to CIELAB, colour-vision-deficiency
simulation, colour difference and lightness.

Simulation follows Machado, Oliveira and Fernandes (2009), "A Physiologically-based Model for
Simulation of Color Vision Deficiency", IEEE TVCG 15(6), 1291-1298: a 3x3 matrix applied to
linear sRGB. The matrices are those of severity 1.0 (dichromacy) in the authors' published
table (www.inf.ufrgs.br/~oliveira/pubs_files/CVD_Simulation/CVD_Simulation.html), also shipped by
colour-science (``CVD_MATRICES_MACHADO2010``) and colorspacious. CIELAB uses the sRGB primaries
and the D65 white of IEC 61966-2-1; colour difference is CIE 1976 ΔE (Euclidean in CIELAB).
"""

from __future__ import annotations

import numpy as np

MACHADO_2009 = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]),
}
VISIONS = ("normal", *MACHADO_2009)
# Linear sRGB -> CIE XYZ (D65), IEC 61966-2-1.
_SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]])
_D65_WHITE = np.array([0.95047, 1.0, 1.08883])


def hex_to_rgb(colour: str) -> np.ndarray:
    """``"#rrggbb"`` as sRGB in 0-1."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"'colour' must be '#rrggbb', got {colour!r}")
    return np.array([int(text[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def to_linear(rgb: np.ndarray) -> np.ndarray:
    """sRGB (0-1) to linear light (the inverse of the sRGB transfer function)."""
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def blend(colour: str, background: str, opacity: float) -> str:
    """``colour`` drawn at ``opacity`` (0-1) over ``background``, as a browser blends them (in sRGB)."""
    mixed = hex_to_rgb(colour) * opacity + hex_to_rgb(background) * (1.0 - opacity)
    return "#" + "".join(f"{round(v * 255):02x}" for v in mixed)


def lab(colour: str, vision: str = "normal") -> np.ndarray:
    """CIELAB (L*, a*, b*) of ``colour`` as seen with ``vision`` (one of :data:`VISIONS`)."""
    if vision not in VISIONS:
        raise ValueError(f"'vision' must be one of {', '.join(VISIONS)}, got {vision!r}")
    linear = to_linear(hex_to_rgb(colour))
    if vision != "normal":
        linear = np.clip(MACHADO_2009[vision] @ linear, 0.0, 1.0)
    ratio = (_SRGB_TO_XYZ @ linear) / _D65_WHITE
    f = np.where(ratio > (6 / 29) ** 3, np.cbrt(ratio), ratio / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(first: str, second: str, vision: str = "normal") -> float:
    """CIE 1976 colour difference ΔE*ab between two colours as seen with ``vision``."""
    return float(np.linalg.norm(lab(first, vision) - lab(second, vision)))


def lightness(colour: str) -> float:
    """CIELAB lightness L* (0-100): the grey a colour prints as in greyscale."""
    return float(lab(colour)[0])
