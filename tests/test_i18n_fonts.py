"""Static maps carry Cyrillic with no font downloaded (issue 30): the font matplotlib picks for the
static renderer's text is DejaVu Sans, bundled with matplotlib, which has every character of the
Ukrainian catalogue; Ukrainian text saved as PNG, SVG and PDF with the renderer's settings
(maps/static.py write_static) raises no missing-glyph warning, and the PDF embeds the font."""

import datetime as dt
import re
import warnings
from pathlib import Path

import matplotlib
import pytest
from babel.messages.pofile import read_po
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

from peacemap.layers.i18n.catalogue import catalogue_path
from peacemap.layers.i18n.dates import date_text
from peacemap.layers.i18n.names import REGION_NAMES_UK, REGION_SHORT_NAMES_UK
from peacemap.layers.i18n.numbers import band_text, km2_text, percent_text
from peacemap.maps.static import write_static

BUNDLED_FONTS = Path(matplotlib.get_data_path(), "fonts", "ttf")


def ukrainian_texts() -> list[str]:
    """Every Ukrainian text peacemap has: the catalogue's translations, region names, figures, a date."""
    with catalogue_path("uk", "po").open("rb") as stream:
        catalogue = read_po(stream, locale="uk")
    texts = [string for message in catalogue if message.id for string in (message.string if isinstance(message.string, tuple) else (message.string,))]
    return [
        *texts,
        *REGION_NAMES_UK.values(),
        *REGION_SHORT_NAMES_UK.values(),
        km2_text(120_275, "uk"),
        band_text(682_909, 675_369, 725_024, "uk"),
        percent_text(74.5, "uk"),
        date_text(dt.date(2025, 11, 20), "uk"),
    ]


def test_the_static_font_is_bundled_with_matplotlib_and_has_every_character():
    """The font matplotlib resolves for text of the default family (the static renderer sets none)."""
    path = Path(font_manager.findfont(font_manager.FontProperties(), fallback_to_default=False))
    assert path.parent == BUNDLED_FONTS
    assert path.name == "DejaVuSans.ttf"
    characters = set("".join(ukrainian_texts())) - {"\n"}
    missing = sorted(char for char in characters if ord(char) not in FT2Font(str(path)).get_charmap())
    assert missing == []


def figure_of(texts: list[str], family: str | None = None) -> Figure:
    fig = Figure(figsize=(8, 0.2 * len(texts)))
    for row, text in enumerate(texts):
        fig.text(0.01, 1 - (row + 0.5) / len(texts), text, fontsize=7, parse_math=False, **({"family": family} if family else {}))
    return fig


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_ukrainian_text_is_saved_with_no_missing_glyph(tmp_path, fmt):
    texts = ukrainian_texts()
    target = tmp_path / f"uk.{fmt}"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s) …" for each one it cannot draw
        write_static(figure_of(texts), target, fmt=fmt, dpi=50)
    data = target.read_bytes()
    if fmt == "svg":  # the renderer keeps text as <text> elements: the Ukrainian itself is in the file
        svg = data.decode("utf-8")
        assert "Демілітаризована зона, Україна виводить війська" in svg
        assert "DejaVu Sans" in svg
    if fmt == "pdf":  # TrueType embedded (pdf.fonttype 42)
        assert re.search(rb"/BaseFont /([A-Z]{6}\+)?DejaVuSans\b", data)
        assert b"/FontFile2" in data  # subset: "ABCDEF+" prefix


def test_the_check_finds_a_font_without_cyrillic(tmp_path):
    """The same saving with a font bundled with matplotlib that has no Cyrillic (Computer Modern) does warn."""
    with pytest.warns(UserWarning, match="missing from font"):
        write_static(figure_of(["Лінія зіткнення"], family="cmr10"), tmp_path / "cm.png", fmt="png", dpi=50)
