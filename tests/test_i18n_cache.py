"""Cached results whose bytes depend on the language (issue 30 with issue 31's cached animation
frames): an animated map in Ukrainian made after the English one, from the same cache, is in
Ukrainian, and each language's frames have their own cache entries.

A frame's readout is written text ("6,201 km², people on 1 January 2022: …" / "6 201 км², …"):
a key without the language would give the Ukrainian map the English frames.
"""

from __future__ import annotations

import datetime as dt

from peacemap import pipeline
from peacemap.layers import settings

FIRST, LAST = dt.date(2025, 11, 6), dt.date(2025, 11, 20)


def _readouts(result) -> list[str]:  # a maps.animation.Animation
    return [value for frame in result.frames if not frame.get("gap") for _, value in frame["r"]]


def test_the_animated_map_in_ukrainian_after_english_from_the_same_cache_is_in_ukrainian(tmp_path):
    # Settings are read once (layers/settings.py): an empty cache is given through them.
    with settings.changed(cache_home=tmp_path / "cache"):
        with pipeline.writing_in("en"):
            english = pipeline.animation("plan28", FIRST, LAST, every_days=7, workers=1)
        cached_english = sorted((tmp_path / "cache").rglob("animation-frame/*"))
        with pipeline.writing_in("uk"):
            ukrainian = pipeline.animation("plan28", FIRST, LAST, every_days=7, workers=1)
            page = pipeline.write_animation(ukrainian, tmp_path / "uk.html").read_text(encoding="utf-8")
    assert cached_english  # the English frames were cached, so the Ukrainian run could have read them
    assert all("km²" in value and "people on 1 January 2022" in value for value in _readouts(english))
    readouts = _readouts(ukrainian)
    assert readouts, readouts
    assert all("км²" in value and "km²" not in value for value in readouts), readouts
    assert "people on 1 January 2022" not in page
    # one entry per frame and language
    assert len(list((tmp_path / "cache").rglob("animation-frame/*"))) == 2 * len(cached_english)
