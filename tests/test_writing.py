"""layers/writing.py: atomic files and staged folders, with fake writers: a failure names the user's
file and leaves nothing, an interrupt leaves nothing, a signal while moving the files in waits; a
background writer runs in a forked process, its failure is reported as any other, an interrupt stops it."""

from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path

import pytest
from staged_writing import write_outputs

from peacemap.layers import interrupts, writing
from peacemap.layers.writing import OutputError, atomic_write


def _leftovers(folder: Path) -> list[Path]:
    """Staging folders and temporary files under ``folder``, at any depth."""
    return [p for p in folder.rglob("*") if p.name.startswith(writing.STAGING_PREFIX) or ".part-" in p.name]


def _text_writer(text: str):
    return lambda path: path.write_text(text, encoding="utf-8")


def test_staging_folder_is_inside_out(tmp_path):
    out_dir = tmp_path / "out"
    seen = []

    def write(path: Path) -> None:
        seen.append(path.parent)
        path.write_text("x")

    write_outputs(out_dir, {"a.txt": write, "b.txt": write})
    assert seen[0].parent == out_dir
    assert seen[0].name.startswith(writing.STAGING_PREFIX)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.txt", "b.txt"]


def _failing(error: BaseException):
    def write(path: Path) -> None:
        path.write_text("half")
        raise error

    return write


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), OSError(errno.EIO, os.strerror(errno.EIO))], ids=["ENOSPC", "EIO"])
def test_write_error_names_the_file_and_leaves_nothing(tmp_path, error):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "report.md").write_text("yesterday's")
    with pytest.raises(OutputError) as raised:
        write_outputs(out_dir, {"report.md": _text_writer("today's"), "map.png": _failing(error)})
    assert str(raised.value) == f"cannot write {out_dir / 'map.png'}: {error.strerror}"
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.md"]
    assert (out_dir / "report.md").read_text() == "yesterday's"


def test_nested_atomic_write_error_names_the_users_file(tmp_path):
    # layers.gpkg is written with atomic_write inside the staging folder: the message names out/.
    out_dir = tmp_path / "out"
    failing = _failing(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    with pytest.raises(OutputError, match=r"layers\.gpkg: No space left on device$") as raised:
        write_outputs(out_dir, {"layers.gpkg": lambda path: atomic_write(path, failing)})
    assert raised.value.path == out_dir / "layers.gpkg"
    assert not _leftovers(tmp_path)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_while_writing_leaves_nothing(tmp_path, signum):
    out_dir = tmp_path / "out"
    with pytest.raises(interrupts.Interrupted):
        write_outputs(out_dir, {"report.md": _text_writer("md"), "map.png": _failing(interrupts.Interrupted(signum))})
    assert not any(out_dir.iterdir())
    assert not _leftovers(tmp_path)


def test_signal_while_moving_the_files_in_is_held(tmp_path, monkeypatch):
    """A signal arriving while the finished files are moved in waits until all are in place."""
    previous = {s: signal.getsignal(s) for s in interrupts.HANDLED_SIGNALS}
    interrupts.install()
    real_replace = os.replace
    moves = []

    def replace(source, target):
        if not moves:
            os.kill(os.getpid(), signal.SIGTERM)  # the handler runs before the next move
        moves.append(target)
        real_replace(source, target)

    monkeypatch.setattr(writing.os, "replace", replace)
    try:
        with pytest.raises(interrupts.Interrupted) as raised:
            write_outputs(tmp_path / "out", {name: _text_writer(name) for name in ("a", "b", "c")})
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    assert raised.value.outputs_kept
    assert raised.value.exit_code == 143
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a", "b", "c"]


def _pid_writer(path: Path) -> None:
    path.write_text(str(os.getpid()))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="background writers need fork")
def test_a_background_writer_runs_in_another_process_and_its_file_is_moved_in(tmp_path):
    out_dir = tmp_path / "out"
    written = write_outputs(out_dir, {"a.txt": _pid_writer, "b.txt": _pid_writer}, background=("b.txt",))
    assert written == [out_dir / "a.txt", out_dir / "b.txt"]
    assert (out_dir / "a.txt").read_text() == str(os.getpid())
    assert (out_dir / "b.txt").read_text() not in ("", str(os.getpid()))
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.txt", "b.txt"]


def test_a_failed_background_writer_is_reported_as_any_other_and_leaves_nothing(tmp_path):
    out_dir = tmp_path / "out"
    error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    with pytest.raises(OutputError) as raised:
        write_outputs(out_dir, {"report.md": _text_writer("md"), "map.png": _failing(error)}, background=("map.png",))
    assert str(raised.value) == f"cannot write {out_dir / 'map.png'}: {error.strerror}"
    assert not any(out_dir.iterdir())
    assert not _leftovers(tmp_path)


def test_a_background_writer_that_fails_only_there_is_written_again_here(tmp_path):
    out_dir, parent = tmp_path / "out", os.getpid()

    def write(path: Path) -> None:
        if os.getpid() != parent:
            raise RuntimeError("fails in the forked process")
        path.write_text("here")

    write_outputs(out_dir, {"map.png": write}, background=("map.png",))
    assert (out_dir / "map.png").read_text() == "here"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_an_interrupt_stops_the_background_writer_and_leaves_nothing(tmp_path):
    out_dir, started = tmp_path / "out", tmp_path / "started"

    def slow(path: Path) -> None:
        started.write_text(str(os.getpid()))
        time.sleep(30)
        path.write_text("late")

    def interrupted(path: Path) -> None:
        deadline = time.monotonic() + 10
        while not (started.exists() and started.read_text()) and time.monotonic() < deadline:  # created, then written
            time.sleep(0.01)
        raise interrupts.Interrupted(signal.SIGINT)

    with pytest.raises(interrupts.Interrupted):
        write_outputs(out_dir, {"map.png": slow, "report.md": interrupted}, background=("map.png",))
    child = int(started.read_text())
    assert not Path(f"/proc/{child}").exists(), "the background writer outlived the interrupt"
    assert not any(out_dir.iterdir())
    assert not _leftovers(tmp_path)
