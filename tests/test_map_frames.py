"""A plan's map on a series of dates as pictures (`peacemap map --from --to --every -o frames/|f.mp4|f.gif`):
every frame carries its date and its fact box (figures, source, citation), or without one its figures
and source on the map; films play (ffmpeg's own count of frames)."""

from __future__ import annotations

import datetime as dt
import io

import imageio.v3 as iio
import imageio_ffmpeg
import pytest
from PIL import Image

from peacemap import pipeline
from peacemap.cli.main import cli
from peacemap.layers.report.measures import Measure
from peacemap.layers.timeline.plan import day_headline, plan_figures
from peacemap.maps import frames as frames_module

FIRST, LAST = dt.date(2025, 11, 13), dt.date(2025, 11, 20)  # two weekly frames, the second the day plan28 was handed over


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """The frames, and what each frame's caption and fact box said (recorded as they were drawn)."""
    said = []
    original_caption, original_map = frames_module.add_frame_caption, frames_module.static_map

    def caption(fig, *, day, figures=(), source=None):
        said[-1].update(day=day, figures=list(figures), source=source)
        original_caption(fig, day=day, figures=figures, source=source)

    def static_map(drawn_layers, **kwargs):
        said.append({"facts": kwargs.get("facts")})
        return original_map(drawn_layers, **kwargs)

    frames_module.add_frame_caption, frames_module.static_map = caption, static_map
    try:
        result = pipeline.map_frames("plan28", FIRST, LAST, every_days=7, workers=1, dpi=50)
        plain = pipeline.map_frames("plan28", LAST, LAST, every_days=7, workers=1, dpi=50, facts=False)
    finally:
        frames_module.add_frame_caption, frames_module.static_map = original_caption, original_map
    return result, said, plain


def test_each_frame_has_its_date_and_its_fact_box(drawn):
    """Issue 31: frames have the date, fact box and source on each, drawn by the static renderer."""
    result, said, _ = drawn
    assert [day for day, _ in result.frames] == [FIRST, LAST]
    assert result.gaps == []
    figures = plan_figures(result.plan, [FIRST, LAST])
    for (day, png), frame in zip(result.frames, said[:2], strict=True):
        facts = frame["facts"]
        assert frame["day"] == day.isoformat()
        assert frame["figures"] == []
        assert frame["source"] is None  # the fact box has them
        assert facts.heading == f"Key figures on the line of {day.isoformat()}"
        values = {row.measure: row.value for row in facts.rows}
        dmz = day_headline(figures[day])[Measure.CEDED_DEMILITARISED]
        assert f"{dmz['population_2022']:,}" in values[Measure.CEDED_DEMILITARISED]  # the report's people, as printed
        assert f"DeepState snapshot {day.isoformat()}" in facts.sources
        assert "State Statistics Service" in facts.sources
        assert facts.citation.startswith("peacemap ")
        assert "plan28" in facts.citation
        image = Image.open(io.BytesIO(png))
        assert image.text["Date"] == day.isoformat()
        assert image.size == (600, 475)  # 12 x 9.5 in at 50 dpi
    assert [row.measure for row in said[0]["facts"].rows] == [row.measure for row in said[1]["facts"].rows]  # the map keeps its place


def test_without_a_fact_box_the_figures_and_source_are_on_the_map(drawn):
    _, said, plain = drawn
    frame = said[2]
    assert frame["facts"] is None
    assert frame["day"] == LAST.isoformat()
    assert [day for day, _ in plain.frames] == [LAST]
    dmz = day_headline(plan_figures(plain.plan, [LAST])[LAST])[Measure.CEDED_DEMILITARISED]
    assert any(label == Measure.CEDED_DEMILITARISED.label and f"{dmz['population_2022']:,}" in value for label, value in frame["figures"])
    assert "DeepState snapshot of " + LAST.isoformat() in frame["source"]


def test_frames_folder_mp4_and_gif(drawn, tmp_path):
    result, _, _ = drawn
    written = pipeline.write_map_frames(result, tmp_path / "frames")
    assert [p.name for p in written] == [f"plan28-{FIRST}.png", f"plan28-{LAST}.png"]
    assert written[1].read_bytes() == result.frames[1][1]
    film = pipeline.write_map_frames(result, tmp_path / "f.mp4")[0]
    frame_count, seconds = imageio_ffmpeg.count_frames_and_secs(str(film))
    assert frame_count == 2
    assert seconds == pytest.approx(1.0)
    reader = imageio_ffmpeg.read_frames(str(film))
    assert next(reader)["size"] == (600, 476)  # padded to an even height for H.264
    gif = pipeline.write_map_frames(result, tmp_path / "f.gif")[0]
    assert iio.imread(gif, index=None).shape[:3] == (2, 475, 600)


def test_the_command_refuses_a_film_of_another_format(tmp_path):
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["map", "--plan", "plan28", "--from", str(FIRST), "--to", str(LAST), "-o", str(tmp_path / "f.png")])
    assert result.exit_code == 2
    assert "FILM.mp4" in result.output
