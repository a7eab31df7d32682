"""Make the gallery's pictures (docs/gallery/*.png) from the real data, with peacemap's own commands.

Run from the repository root after a change that alters how maps or charts look:

    .venv/bin/python docs/gallery.py

Each picture is what the command named in docs/gallery.md writes (a static PNG, sized for the web
page), then stored with a palette of at most 256 colours (Pillow's octree, no dithering: a map has a
few thousand colours, mostly anti-aliasing), which keeps each under about 100 kB with its colours.
The pictures are committed with the site's pages, so that `mkdocs build` needs neither the data
nor minutes of computing; this script is how they are remade, never edited by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

from peacemap.cli.main import cli

GALLERY = Path(__file__).resolve().parent / "gallery"
DATE = "2025-11-20"  # the day the 28-point plan was handed to Kyiv
# Web-page size: 800 x 620 px. At 100 dpi text reads as on a screen, and a PNG stays under 200 kB.
SIZE, DPI = "800x620px", "100"

# (picture, the peacemap command line that makes it)
PICTURES: tuple[tuple[str, list[str]], ...] = (
    *(
        (f"{plan}-{DATE}.png", ["map", "--plan", plan, "--date", DATE, "--size", SIZE, "--dpi", DPI])
        for plan in ("plan28", "plan20", "eu-counter", "russia-max", "freeze")
    ),
    ("plan28+21c-none-2025-11-20.png", ["map", "--plan", "plan28", "--option", "21c-none", "--date", DATE, "--size", SIZE, "--dpi", DPI]),
    ("plan20+donetsk-zone-2025-11-20.png", ["map", "--plan", "plan20", "--option", "donetsk-zone", "--date", DATE, "--size", SIZE, "--dpi", DPI]),
    ("timeline-south-east.png", ["timeline", "--region", "UA-14", "--region", "UA-09", "--region", "UA-23", "--region", "UA-65"]),
)


def make(name: str, arguments: list[str]) -> Path:
    """Run ``peacemap -q ARGUMENTS -o docs/gallery/NAME`` in this process and store the picture
    with a palette; its path."""
    target = GALLERY / name
    cli.main(["-q", *arguments, "-o", str(target)], prog_name="peacemap", standalone_mode=False)
    with Image.open(target) as drawn:
        paletted = drawn.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    paletted.save(target, optimize=True)
    return target


def main(names: list[str]) -> None:
    """Make the pictures named (all of them without names) and print each with its size."""
    GALLERY.mkdir(exist_ok=True)
    for name, arguments in PICTURES:
        if not names or name in names:
            path = make(name, arguments)
            print(f"{path.relative_to(GALLERY.parent)}: {path.stat().st_size / 1000:,.0f} kB  (peacemap {' '.join(arguments)})")


if __name__ == "__main__":
    main(sys.argv[1:])
