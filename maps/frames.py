"""A plan's map on a series of dates as pictures: PNG frames, and a film (MP4 or GIF) made of them.

Each frame is the static map (:mod:`peacemap.maps.static`) of the plan on one DeepState snapshot,
all on the ground the first frame shows, with its date written large on the map and, below it,
the fact box (:mod:`peacemap.maps.facts`): the key figures (the report's km² and 1 January 2022
people), the snapshot and sources, the readings and the citation. The rows are the same on every
frame (a measure with land on any frame's date, 0 km² on the others), so that the map does not
jump; without a fact box the key figures and the source go in a box on the map. Films are encoded by the ffmpeg that the
``imageio-ffmpeg`` wheel ships (MP4, H.264) or by ``imageio`` (GIF): ``pip install 'peacemap[video]'``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from peacemap.layers.i18n.dates import date_text
from peacemap.layers.report.figures import control_source_entry
from peacemap.layers.report.format import km2_text, people_text
from peacemap.layers.report.measures import Measure
from peacemap.layers.report.readings import plan_readings
from peacemap.layers.writing import atomic_write
from peacemap.maps.facts import ALWAYS_SHOWN, FACT_MEASURES, FactRow, Facts, citation, heading, sources_text
from peacemap.maps.prepare import MapLayers
from peacemap.maps.static import FIGSIZE_IN, add_frame_caption, map_extent, static_map

FILM_FORMATS = ("mp4", "gif")
SECONDS_PER_FRAME = 0.5  # a week a half-second: a year in 26 s
_PNG_METADATA_DATE = "Date"  # PNG frames carry their date in a text chunk (and drawn on the picture)


def frame_measures(headlines: Sequence[Mapping[str, Any]]) -> tuple[Measure, ...]:
    """The key figures (:data:`peacemap.maps.facts.FACT_MEASURES`, in order) of a film whose frames'
    headlines are ``headlines``: those always shown, and the others with land on any frame."""
    return tuple(measure for measure in FACT_MEASURES if measure in ALWAYS_SHOWN or any(headline[measure]["area_km2"] for headline in headlines))


def frame_facts(drawn: MapLayers, headline: Mapping[str, Any], measures: Sequence[Measure]) -> Facts:
    """The fact box of a frame: ``measures``' figures in ``headline`` (the report's headline of the
    frame's date: km², people on 1 January 2022 with the band), the frame's snapshot and the
    population with their sources, the plan's readings and the sentence to cite them by."""
    plan, control = drawn.layers.plan, drawn.layers.control
    line = control_source_entry(control, "control")
    variant = "+".join([plan.id, *plan.enabled_options])
    rows = tuple(FactRow(measure, km2_text(headline[measure]["area_km2"]), people_text(headline[measure])) for measure in measures)
    return Facts(
        heading=heading(control.as_of.isoformat() if control.as_of else None),
        name=f"{variant}: {plan.title_text()}",
        rows=rows,
        sources=sources_text(line),
        age="",
        readings=tuple(plan_readings(plan)),
        citation=citation(variant, plan.source_line(), line),
    )


def frame_png(
    drawn: MapLayers,
    *,
    day: dt.date,
    facts: Facts | None,
    figures: Sequence[tuple[str, str]] = (),
    source: str | None = None,
    extent: tuple[float, float, float, float] | None,
    figsize_in: tuple[float, float] = FIGSIZE_IN,
    dpi: int = 100,
) -> tuple[bytes, tuple[float, float, float, float]]:
    """One frame as PNG bytes, and the ground it shows (to pass as ``extent`` to the next frames):
    the map with its date and the fact box ``facts`` (:func:`frame_facts`), or without one, the
    key ``figures`` (label, value) and the ``source`` on the map; the date as the language being
    written writes it (``2025-11-20`` / ``20 листопада 2025 р.``)."""
    fig = static_map(drawn, figsize_in=figsize_in, facts=facts, extent=extent)
    add_frame_caption(fig, day=date_text(day), figures=figures, source=source)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata={_PNG_METADATA_DATE: day.isoformat()})
    return buffer.getvalue(), map_extent(fig)


def write_frames(frames: Sequence[tuple[dt.date, bytes]], folder: Path, *, prefix: str) -> list[Path]:
    """Write each frame as ``folder/PREFIX-YYYY-MM-DD.png`` (each file atomically)."""

    def writer(data: bytes) -> Callable[[Path], int]:
        return lambda path: path.write_bytes(data)

    return [atomic_write(Path(folder) / f"{prefix}-{day.isoformat()}.png", writer(png)) for day, png in frames]


def write_film(frames: Sequence[tuple[dt.date, bytes]], target: Path, *, seconds_per_frame: float = SECONDS_PER_FRAME) -> Path:
    """Encode the PNG ``frames`` as a film, MP4 (H.264, by imageio-ffmpeg's ffmpeg) or GIF
    (imageio), by ``target``'s suffix."""
    fmt = Path(target).suffix.lower().lstrip(".")
    if fmt not in FILM_FORMATS:
        raise ValueError(f"'target' should end in .mp4 or .gif, got {Path(target).name!r}")
    if not frames:
        raise ValueError("'frames' should hold at least one frame, got none")
    try:
        import imageio.v3 as iio
    except ImportError:
        raise ImportError("writing a film needs imageio and imageio-ffmpeg: pip install 'peacemap[video]'") from None
    images = [iio.imread(png, extension=".png")[..., :3] for _, png in frames]
    writer = _write_mp4 if fmt == "mp4" else _write_gif
    return atomic_write(Path(target), lambda path: writer(images, path, seconds_per_frame))


def _write_mp4(images: list[np.ndarray], path: Path, seconds_per_frame: float) -> None:
    import imageio_ffmpeg

    height, width = images[0].shape[:2]
    # H.264 in yuv420p needs an even width and height: pad by a white row or column if odd.
    even = [np.pad(image, ((0, height % 2), (0, width % 2), (0, 0)), constant_values=255) for image in images]
    size = (width + width % 2, height + height % 2)
    writer = imageio_ffmpeg.write_frames(
        str(path),
        size,
        fps=1.0 / seconds_per_frame,
        codec="libx264",
        pix_fmt_in="rgb24",
        pix_fmt_out="yuv420p",
        macro_block_size=1,
        quality=None,
        ffmpeg_log_level="error",
        output_params=["-crf", "23", "-movflags", "+faststart", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact"],
    )
    writer.send(None)  # start ffmpeg
    try:
        for image in even:
            writer.send(np.ascontiguousarray(image))
    finally:
        writer.close()


def _write_gif(images: list[np.ndarray], path: Path, seconds_per_frame: float) -> None:
    import imageio.v3 as iio

    iio.imwrite(path, np.stack(images), extension=".gif", duration=int(seconds_per_frame * 1000), loop=0)
