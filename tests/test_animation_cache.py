"""The animated map's frames in the cache: read back exactly as drawn (the zones' popup figures
too), in the order drawn, and the same map cold or warm."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from peacemap import pipeline
from peacemap.layers import settings
from peacemap.maps.animation import FrameDrawing, frame_from_bytes, frame_to_bytes


def test_a_frame_reads_back_exactly_and_in_order():
    ring = np.array([[4800000, 3700000], [4800100, 3700000], [4800100, 3700100], [4800000, 3700000]], dtype=np.int64)
    frame = FrameDrawing(
        day=dt.date(2025, 11, 20),
        zones={"UA-14|held|dmz_ukraine": [[ring, ring[::-1]]], "UA-09|occupied|recognised": [[ring]]},
        lines={"UA-14|dmz": [[ring[:2]]]},
        zone_info={"UA-14|held|dmz_ukraine": {"status": "x"}, "UA-09|occupied|recognised": {}},
        line_info={"UA-14|dmz": {"rule": "dmz"}},
        readout=[("ceded_demilitarised", "6,394 km²")],
        figures={"UA-14|held|dmz_ukraine": [6394.1, 682909, 675369, 725781], "UA-09|occupied|recognised": [0.3, None, None, None]},
    )
    again = frame_from_bytes(frame_to_bytes(frame))
    assert list(again.zones) == list(frame.zones)  # the map encodes zones in this order
    for key, parts in frame.zones.items():
        for part, read in zip(parts, again.zones[key], strict=True):
            for ring_drawn, ring_read in zip(part, read, strict=True):
                np.testing.assert_array_equal(ring_drawn, ring_read)
    assert (again.day, again.zone_info, again.line_info, again.readout) == (frame.day, frame.zone_info, frame.line_info, frame.readout)
    assert again.figures == frame.figures  # the zones' popups (issue 26) read back too


def test_bytes_it_did_not_write_are_refused():
    with pytest.raises(ValueError, match="not a peacemap frame"):
        frame_from_bytes(b"{}")


def test_the_map_is_the_same_cold_and_from_the_cached_frames(tmp_path):
    outputs = []
    # Settings are read once (layers/settings.py): an empty cache is given through them.
    with settings.changed(cache_home=tmp_path / "cache"):
        for run in ("cold", "warm"):
            result = pipeline.animation("plan28", dt.date(2025, 11, 6), dt.date(2025, 11, 20), every_days=7, workers=1)
            outputs.append(pipeline.write_animation(result, tmp_path / f"{run}.html").read_bytes())
    assert outputs[0] == outputs[1]
    assert list((tmp_path / "cache").rglob("animation-frame/*"))  # the frames were cached
    assert '"f":{"UA-' in outputs[1].decode()  # the zones' popup figures came back from the cache
