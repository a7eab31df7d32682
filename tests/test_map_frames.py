"""A plan's map on a series of dates as pictures (`peacemap map --from --to --every -o frames/|f.mp4|f.gif`):
every frame carries its date, figures and source; films play (ffmpeg's own count of frames)."""

from __future__ import annotations

import datetime as dt

import imageio.v3 as iio
import imageio_ffmpeg
import pytest
from PIL import Image

from peacemap import pipeline
from peacemap.cli.main import cli
from peacemap.layers.timeline.plan import day_headline, plan_figures
from peacemap.maps import frames as frames_module

FIRST, LAST = dt.date(2025, 11, 13), dt.date(2025, 11, 20)  # two weekly frames, the second the day plan28 was handed over


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """The frames, and what each caption said (recorded as they were drawn)."""
    captions = []
    original = frames_module.add_frame_caption

    def recording(fig, *, day, figures, source):  # noqa: ANN001, ANN202
        captions.append((day, figures, source))
        original(fig, day=day, figures=figures, source=source)

    frames_module.add_frame_caption = recording
    try:
        result = pipeline.map_frames("plan28", FIRST, LAST, every_days=7, workers=1, dpi=50)
    finally:
        frames_module.add_frame_caption = original
    return result, captions


def test_each_frame_says_its_date_figures_and_source(drawn):
    result, captions = drawn
    assert [day for day, _ in result.frames] == [FIRST, LAST] and result.gaps == []
    figures = plan_figures(result.plan, [FIRST, LAST])
    for (day, png), (said_day, lines, source) in zip(result.frames, captions, strict=True):
        assert said_day == day.isoformat()
        dmz = day_headline(figures[day])["ceded_demilitarised"]
        assert any(f"{dmz['population_2022']:,}" in value for _, value in lines)  # the report's people, as printed
        assert "DeepState snapshot of " + day.isoformat() in source
        image = Image.open(__import__("io").BytesIO(png))
        assert image.text["Date"] == day.isoformat() and image.size == (600, 475)  # 12 x 9.5 in at 50 dpi


def test_frames_folder_mp4_and_gif(drawn, tmp_path):
    result, _ = drawn
    written = pipeline.write_map_frames(result, tmp_path / "frames")
    assert [p.name for p in written] == [f"plan28-{FIRST}.png", f"plan28-{LAST}.png"]
    assert written[1].read_bytes() == result.frames[1][1]
    film = pipeline.write_map_frames(result, tmp_path / "f.mp4")[0]
    frame_count, seconds = imageio_ffmpeg.count_frames_and_secs(str(film))
    assert frame_count == 2 and seconds == pytest.approx(1.0)
    reader = imageio_ffmpeg.read_frames(str(film))
    assert next(reader)["size"] == (600, 476)  # padded to an even height for H.264
    gif = pipeline.write_map_frames(result, tmp_path / "f.gif")[0]
    assert iio.imread(gif, index=None).shape[:3] == (2, 475, 600)


def test_the_command_refuses_a_film_of_another_format(tmp_path):
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["map", "--plan", "plan28", "--from", str(FIRST), "--to", str(LAST), "-o", str(tmp_path / "f.png")])
    assert result.exit_code == 2 and "FILM.mp4" in result.output
