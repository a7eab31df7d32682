"""The animated map (`peacemap map --from --to --every`, issue 15): frames written against the frame
before, gaps shown as gaps, the readout as the report gives it, and the page in Chromium."""

from __future__ import annotations

import datetime as dt
import io
import json

import matplotlib.image as mpimg
import numpy as np
import pytest

from peacemap import pipeline
from peacemap.cli.main import cli
from peacemap.layers.timeline.schedule import frame_days
from peacemap.maps.animation import FRAME_INTERVAL_MS, MIN_COPY_RUN, ShapeEncoder, animation_map, ring_ops
from peacemap.maps.packing import decode_polyline

# Two weekly snapshots and a date without one (DeepState has no snapshot of 2025-11-26).
START, END, EVERY = dt.date(2025, 11, 12), dt.date(2025, 11, 26), 7
GAP = "2025-11-26"


def _decoded_ring(ops: list, reference: np.ndarray | None) -> np.ndarray:
    """The format read back independently of the page's script: copies of ``reference``'s
    points, and polyline strings going on from the point before (lat/lon, 1e-5°)."""
    points: list[np.ndarray] = []
    last = np.zeros(2, dtype=np.int64)
    for op in ops:
        if isinstance(op, str):
            relative = np.round(decode_polyline(op)[:, [1, 0]] * 1e5).astype(np.int64)
            points.append(relative + last)
        else:
            assert reference is not None
            start, count = op
            points.append(reference[start : start + count])
        last = points[-1][-1]
    return np.concatenate(points)


def _ring(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    ring = np.cumsum(rng.integers(-500, 500, size=(n, 2)), axis=0) + np.array([4_800_000, 3_700_000])
    return np.vstack([ring, ring[:1]])


def test_a_ring_that_changed_in_one_stretch_is_written_as_copies_and_the_new_points():
    before = _ring(400, seed=1)
    after = np.vstack([before[:150], _ring(20, seed=2)[:-1], before[170:]])
    ops = ring_ops(after, before)
    assert np.array_equal(_decoded_ring(ops, before), after)
    copied = sum(op[1] for op in ops if not isinstance(op, str))
    assert copied >= len(after) - 20 - MIN_COPY_RUN
    assert len(json.dumps(ops)) < len(json.dumps(ring_ops(after, None))) / 5


def test_a_ring_without_reference_is_written_whole():
    ring = _ring(50, seed=3)
    ops = ring_ops(ring, None)
    assert all(isinstance(op, str) for op in ops)
    assert np.array_equal(_decoded_ring(ops, None), ring)


def test_unchanged_shapes_are_written_as_zero_and_returning_ones_whole():
    encoder = ShapeEncoder()
    a, b = [[_ring(30, seed=4)]], [[_ring(30, seed=5)]]
    first = encoder.encode({"a": a, "b": b})
    assert first["a"] != 0
    assert first["b"] != 0
    assert encoder.encode({"a": a, "b": b}) == {"a": 0, "b": 0}
    assert encoder.encode({"a": a}) == {"a": 0}  # b left the map
    again = encoder.encode({"a": a, "b": b})
    assert again["a"] == 0
    assert all(isinstance(op, str) for op in again["b"][0][0])


@pytest.fixture(scope="module")
def animation():

    return pipeline.animation("plan28", START, END, every_days=EVERY)


def test_dates_without_a_snapshot_are_gaps_not_frames(animation):
    assert animation.days == [START.isoformat(), (START + dt.timedelta(days=EVERY)).isoformat(), GAP]
    assert animation.gaps == [GAP]
    gap = animation.frames[-1]
    assert gap.get("gap")
    assert "z" not in gap
    assert "r" not in gap  # nothing drawn, nothing interpolated


def test_frames_share_geometry(animation):
    first, second = (json.dumps(frame) for frame in animation.frames[:2])
    assert len(second) < len(first) / 20
    unchanged = [key for key, value in animation.frames[1]["z"].items() if value == 0]
    assert len(unchanged) > len(animation.frames[1]["z"]) / 2  # regions away from the line


def test_readout_is_what_the_report_prints(animation):
    from peacemap.layers.report.measures import Measure
    from peacemap.layers.report.render import report_markdown

    report = pipeline.plan_report("plan28", START + dt.timedelta(days=EVERY)).report  # what `peacemap report --date` prints
    rows = {cells[1].strip(): cells for cells in (line.split("|") for line in report_markdown(report).splitlines()) if len(cells) > 3}
    readout = dict(animation.frames[1]["r"])  # the frame's key figures (its fact box), by measure
    assert set(readout) >= {Measure.CEDED, Measure.CEDED_DEMILITARISED, Measure.RUSSIAN_SIDE, Measure.UNDER_RUSSIAN_FORCES}
    for key, text in readout.items():
        cells = rows[Measure(key).label]
        assert text == f"{cells[2].strip()}, people on 1 January 2022: {cells[3].strip()}"


def test_the_same_request_writes_the_same_bytes(animation, tmp_path, runner):

    written = pipeline.write_animation(animation, tmp_path / "a.html").read_bytes()
    out = tmp_path / "b.html"
    result = runner.invoke(cli, ["-q", "map", "--plan", "plan28", "--from", START.isoformat(), "--to", END.isoformat(), "--every", f"{EVERY}d", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == written


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2025-11-12", "-o", "x.html"], "needs both --from and --to"),
        (["--from", "2025-11-12", "--to", "2025-11-26", "-o", "x.png"], "FILM.mp4, FILM.gif or a FOLDER"),
        (["--every", "7d", "-o", "x.html"], "needs both --from and --to"),
        (["--from", "2025-11-12", "--to", "2025-11-26", "--every", "week", "-o", "x.html"], "not a step in days"),
        (["--from", "2025-11-12", "--to", "2025-11-26", "--date", "2025-11-20", "-o", "x.html"], "--date does not go with"),
    ],
)
def test_animation_usage_errors(runner, tmp_path, arguments, message):
    arguments = [str(tmp_path / a) if a.startswith("x.") else a for a in arguments]
    result = runner.invoke(cli, ["map", "--plan", "plan28", *arguments])
    assert result.exit_code == 2
    assert message in result.output


# Every zone's popup on the frame shown: (its content, the frame's date).
_POPUPS_JS = """() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  return Object.values(map._layers).filter(l => l.getPopup && l.getPopup() && l.options.pane === "peacemap-zones")
    .map(l => l.getPopup().getContent());
}"""


@pytest.fixture(scope="module")
def page_report(animation, tmp_path_factory, chromium):
    """The animated map offline in Chromium: frame 0, then the slider moved and the arrow keys."""

    folder = tmp_path_factory.mktemp("animation")
    path = pipeline.write_animation(animation, folder / "animation.html")
    zones_js = "els => els.map(e => e.getAttribute('d'))"

    def frame(page):  # playwright Page
        return {
            "index": page.eval_on_selector(".peacemap-player", "e => e.dataset.frame"),
            "date": page.eval_on_selector(".peacemap-date", "e => e.textContent"),
            "readout": page.eval_on_selector(".peacemap-readout", "e => e.textContent"),
            "facts": page.eval_on_selector(".peacemap-facts", "e => e.textContent"),
            "zones": page.eval_on_selector_all(".leaflet-peacemap-zones-pane path", zones_js),
            "lines": page.eval_on_selector_all(".leaflet-peacemap-lines-pane path", "els => els.length"),
        }

    def probe(page, report):  # playwright Page
        report["frames"] = [frame(page)]
        page.eval_on_selector(".peacemap-slider", "e => { e.value = '1'; e.dispatchEvent(new Event('input', {bubbles: true})); }")
        page.wait_for_timeout(200)
        report["frames"].append(frame(page))
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(200)
        report["frames"].append(frame(page))
        page.keyboard.press("ArrowLeft")
        page.wait_for_timeout(300)
        report["back"] = frame(page)
        page.keyboard.press("Home")
        page.click(".peacemap-play")
        page.wait_for_timeout(FRAME_INTERVAL_MS + 400)
        if page.eval_on_selector(".peacemap-play", "e => e.getAttribute('aria-label')") == "Pause":  # not yet at the end
            page.click(".peacemap-play")
        report["played"] = page.eval_on_selector(".peacemap-player", "e => e.dataset.frame")
        page.wait_for_timeout(FRAME_INTERVAL_MS + 200)
        report["paused"] = page.eval_on_selector(".peacemap-player", "e => e.dataset.frame")
        page.keyboard.press("End")
        report["end"] = page.eval_on_selector(".peacemap-player", "e => e.dataset.frame")
        page.keyboard.press("Home")
        page.wait_for_timeout(200)
        report["gap_marks"] = page.eval_on_selector_all(".peacemap-gap-mark", "els => els.map(e => e.title)")
        report["attribution"] = page.eval_on_selector(".leaflet-control-attribution", "e => e.textContent")
        report["popups"] = page.evaluate(_POPUPS_JS)

    return chromium(path, folder / "profile", probe)


def test_moving_the_slider_redraws_zones_and_readout(page_report, animation):
    first, second, _ = page_report["frames"]
    assert (first["index"], second["index"]) == ("0", "1")
    assert first["date"] == animation.days[0]
    assert second["date"] == animation.days[1]
    assert first["readout"] != second["readout"]
    for shown, frame in ((first, animation.frames[0]), (second, animation.frames[1])):  # the fact box gives the frame's figures
        assert all(text in shown["facts"] for _, text in frame["r"])
    assert len(first["zones"]) == len(second["zones"]) > 0
    assert first["zones"] != second["zones"]  # the zones along the line moved
    assert sum(a == b for a, b in zip(first["zones"], second["zones"])) > len(first["zones"]) / 2  # the others were left alone
    assert first["lines"] > 0


def test_play_pause_and_keys(page_report):
    assert page_report["played"] in ("1", "2")  # playing moved on (timing on a loaded machine varies)
    assert page_report["paused"] == page_report["played"]  # and no more once paused
    assert page_report["end"] == "2"


def test_a_gap_is_shown_as_a_gap(page_report):
    gap = page_report["frames"][2]
    assert gap["index"] == "2"
    assert GAP in gap["date"]
    assert "no snapshot" in gap["date"]
    assert gap["zones"] == []
    assert gap["lines"] == 0
    assert "No DeepState snapshot" in gap["readout"]
    assert page_report["back"]["zones"] == page_report["frames"][1]["zones"]  # stepping back redraws frame 1 as it was
    assert page_report["gap_marks"] == [f"{GAP}: no snapshot"]


def test_the_page_names_its_sources(page_report):
    text = page_report["attribution"]
    for source in ("DeepState", "State Statistics Service of Ukraine", "1 January 2022", "geoBoundaries"):
        assert source in text


def test_no_error_no_network_and_not_blank(page_report):
    assert page_report["page_errors"] == []
    assert page_report["console_errors"] == []
    assert page_report["network_requests"] == []
    image = mpimg.imread(io.BytesIO(page_report["screenshot"]), format="png")[:, :, :3]
    colours = np.unique((image * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert image.std() > 0.05
    assert len(colours) > 100


def test_animation_map_needs_a_frame(animation):
    import dataclasses

    empty = dataclasses.replace(animation, frames=[{"d": GAP, "gap": 1}])
    with pytest.raises(ValueError, match="at least one frame"):
        animation_map(empty)


@pytest.mark.parametrize(
    ("every", "expected"),
    [(7, ["2025-11-06", "2025-11-13", "2025-11-20"]), (10, ["2025-11-06", "2025-11-16", "2025-11-20"]), (30, ["2025-11-06", "2025-11-20"])],
)
def test_frames_step_from_the_first_date_and_end_on_the_last(every, expected):
    days = frame_days(dt.date(2025, 11, 6), dt.date(2025, 11, 20), every)
    assert [day.isoformat() for day in days] == expected


def test_zones_have_popups_with_the_frames_figures(page_report, animation):
    """Issue 26: the animated map's zones had no popups. Each gives its region, status, km² and
    people on 1 January 2022 on the frame shown (the first, after Home); AR Crimea's says why it
    has no figure."""
    popups = page_report["popups"]
    assert len(popups) == len(animation.frames[0]["z"])
    assert all("Area: " in text and "Population (1 January 2022): " in text for text in popups)
    dmz = next(text for text in popups if "Demilitarised zone" in text)
    figures = animation.frames[0]["f"]
    key = next(key for key in figures if key.endswith("|dmz"))
    assert f"Area: {figures[key][0]:,.0f} km²" in dmz
    assert f"{figures[key][1]:,}" in dmz
    assert all("peacemap-readings" in text and "<b>21c</b>" in text and "<b>21d</b>" in text for text in popups)  # readings in full
    crimea = next(text for text in popups if "AR Crimea" in text)
    assert "no official figure" in crimea
    assert "does not cover AR Crimea and Sevastopol" in crimea


def test_without_facts_the_title_box_keeps_the_readout(animation, tmp_path):

    page = pipeline.write_animation(animation, tmp_path / "a.html", facts=False).read_text(encoding="utf-8")
    assert '<details class="peacemap-facts"' not in page
    assert 'class="peacemap-readout"' in page
    assert "\\u003cb\\u003e21c\\u003c/b\\u003e" in page  # readings still in the popups
    with_facts = pipeline.write_animation(animation, tmp_path / "b.html").read_text(encoding="utf-8")
    assert with_facts.count('<details class="peacemap-facts" open>') == 1
    assert "Cite as:" in with_facts
