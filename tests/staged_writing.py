"""A set of files written through :func:`peacemap.layers.writing.staged_outputs` in one call, as
the pipeline writes its outputs: the tests of staging, interrupts and background writers use it."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from peacemap.layers.writing import staged_outputs


def write_outputs(out_dir: Path, writers: dict[str, Callable[[Path], object]], *, background: Collection[str] = ()) -> list[Path]:
    """Write every file of ``writers`` (name -> function writing that file at the given path) into a
    staging folder inside ``out_dir``, those named in ``background`` begun first with
    :meth:`~peacemap.layers.writing.StagedOutputs.start`; returns their paths in ``writers``' order."""
    unknown = sorted(set(background) - set(writers))
    if unknown:
        raise ValueError(f"'background' must name files of 'writers' ({', '.join(writers)}), got {', '.join(unknown)}")
    with staged_outputs(out_dir) as outputs:
        for name in background:
            outputs.start(name, writers[name])
        for name, write in writers.items():
            if name not in background:
                outputs.write(name, write)
    return [Path(out_dir) / name for name in writers]
