"""Issue 20, outputs, signals, disk and locale: every failure is one line on stderr, exit 1 (2 for
usage, 130/143 for SIGINT/SIGTERM), no traceback, nothing half-written, no process left behind.

Real filesystems (tmpfs mounts: another filesystem, read-only, full) need root and are skipped
without it. Signals are sent to real subprocesses; the slow work in them is faked so the tests
stay fast.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from staged_writing import write_outputs

from peacemap import pipeline
from peacemap.cli.main import cli
from peacemap.layers import writing
from peacemap.layers.writing import OutputError, atomic_write, atomic_write_text

PEACEMAP = Path(sys.executable).with_name("peacemap")  # the console script of this environment
SUBPROCESS_TIMEOUT_S = 30


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def _leftovers(folder: Path) -> list[Path]:
    """Staging folders and temporary files under ``folder``, at any depth."""
    return [p for p in folder.rglob("*") if p.name.startswith((writing.STAGING_PREFIX, ".out.part")) or ".part-" in p.name]


def _text_writer(text: str):
    return lambda path: path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------------------------
# tmpfs mounts: another filesystem, a read-only one, a full one


@pytest.fixture
def tmpfs():
    """``mount(path, size='1m')`` mounts a fresh tmpfs on ``path``; ``readonly(path)`` remounts it
    read-only. Everything is unmounted afterwards. Skips when mounting is not permitted."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted: list[Path] = []

    def mount(path: Path, size: str = "1m") -> Path:
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True, text=True)
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs: {done.stderr.strip()}")
        mounted.append(path)
        return path

    def readonly(path: Path) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True, capture_output=True)

    yield SimpleNamespace(mount=mount, readonly=readonly)
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _fill(folder: Path) -> None:
    """Write zeros into ``folder`` until its filesystem is full."""
    with open(folder / "filler", "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC


def test_out_on_another_filesystem(tmpfs, tmp_path):
    # --out is a mount point (a container volume): moving the finished files is no cross-device rename.
    out_dir = tmpfs.mount(tmp_path / "volume")
    written = write_outputs(out_dir, {"report.md": _text_writer("md"), "report.csv": _text_writer("csv")})
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.csv", "report.md"] == sorted(p.name for p in written)
    assert not _leftovers(tmp_path)


def test_writable_out_inside_read_only_parent(tmpfs, tmp_path):
    parent = tmpfs.mount(tmp_path / "readonly")
    out_dir = tmpfs.mount(parent / "out")
    tmpfs.readonly(parent)
    write_outputs(out_dir, {"report.md": _text_writer("md")})
    assert (out_dir / "report.md").read_text() == "md"


def test_build_refuses_a_read_only_folder_before_any_work(tmpfs, tmp_path, runner, monkeypatch):
    parent = tmpfs.mount(tmp_path / "readonly")
    tmpfs.readonly(parent)
    monkeypatch.setattr(pipeline.plan, "plan_layers", _must_not_run)
    result = runner.invoke(cli, ["-q", "build", "--out", str(parent / "out")])
    assert result.exit_code == 1, result.output
    assert _error_lines(result.stderr) == [f"Error: cannot write to output folder {parent / 'out'}: Read-only file system; choose another with --out"]


def _must_not_run(*args, **kwargs):
    raise AssertionError("the work started although the output cannot be written")


def test_full_disk_with_real_writers(tmpfs, tmp_path):
    import geopandas as gpd
    from shapely.geometry import box

    full = tmpfs.mount(tmp_path / "full", size="64k")
    _fill(full)
    with pytest.raises(OutputError, match=r"^cannot write .*report\.md: No space left on device$"):
        atomic_write_text(full / "report.md", "x" * 10_000)
    # GDAL reports a full disk as a failure of SQLite ("no such table: gpkg_contents").
    layer = gpd.GeoDataFrame({"n": range(50)}, geometry=[box(i, 0, i + 1, 1) for i in range(50)], crs="EPSG:4326")
    with pytest.raises(OutputError, match=r"^cannot write .*layers\.gpkg: No space left on device$"):
        atomic_write(full / "layers.gpkg", lambda path: layer.to_file(path, driver="GPKG"))
    assert sorted(p.name for p in full.iterdir()) == ["filler"]


def test_report_on_a_full_disk_is_one_line(tmpfs, tmp_path, runner, monkeypatch):
    from peacemap import api

    full = tmpfs.mount(tmp_path / "full", size="64k")
    _fill(full)
    monkeypatch.setattr(api, "report", lambda *args, **kwargs: SimpleNamespace(to_markdown=lambda: "a fact box\n" * 10_000))
    result = runner.invoke(cli, ["-q", "report", "-o", str(full / "report.md")])
    assert result.exit_code == 1, result.output
    assert _error_lines(result.stderr) == [f"Error: cannot write {full / 'report.md'}: No space left on device"]
    assert sorted(p.name for p in full.iterdir()) == ["filler"]


# --------------------------------------------------------------------------------------------
# Output folders of a failed command (writing itself: tests/test_writing.py)


def test_failed_build_removes_the_folder_it_created(runner, tmp_path):
    result = runner.invoke(cli, ["-q", "build", "--plan", "plan99", "--out", str(tmp_path / "new" / "out")])
    assert result.exit_code == 1
    assert "unknown plan 'plan99'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_output_file_checked_before_any_work(runner, tmp_path, monkeypatch):

    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    monkeypatch.setattr(pipeline.plan, "plan_layers", _must_not_run)
    result = runner.invoke(cli, ["-q", "report", "-o", str(blocker / "sub" / "report.md")])
    assert result.exit_code == 1, result.output
    assert _error_lines(result.stderr) == [f"Error: cannot write {blocker / 'sub' / 'report.md'}: Not a directory ({blocker})"]
    assert blocker.read_text() == "not a folder"


# --------------------------------------------------------------------------------------------
# Output paths given on the command line


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--out", ""],
        ["build", "--out", "out\nput"],
        ["report", "-o", ""],
        ["report", "-o", "report\x1b[31m.md"],
        ["map", "-o", "map\r.html"],
        ["layers", "-o", "\x07.gpkg"],
        ["compare", "plan28", "-o", " "],
        ["timeline", "-o", "time\x00line.csv"],
    ],
    ids=["build-empty", "build-newline", "report-empty", "report-escape", "map-cr", "layers-bell", "compare-blank", "timeline-nul"],
)
def test_empty_or_control_character_output_path_is_a_usage_error(runner, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["-q", *args])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(errors) == 1, result.stderr
    assert "is empty" in errors[0] or "contains a control character" in errors[0], result.stderr
    assert not any(ord(c) < 32 for c in result.stderr.replace("\n", "")), "a control character reached the terminal"
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------------------------
# timeline: -q, and --from/--to latest (issue 19)


@pytest.fixture
def fake_timeline(monkeypatch):
    """build_timeline and the writers faked: records the arguments, writes one line."""
    from peacemap.layers.timeline import table as timeline

    calls = []

    def build_timeline(start, end, regions, *, use_cache, progress=None):
        calls.append((start, end))
        return SimpleNamespace(first=start or end, last=end or start, table=[1, 2], gaps=())

    monkeypatch.setattr(timeline, "build_timeline", build_timeline)
    monkeypatch.setattr(pipeline, "write_timeline", lambda result, output: output.write_text("rows\n"))
    return calls


def test_quiet_silences_timeline(runner, tmp_path, fake_timeline):
    import datetime as dt

    args = ["timeline", "--from", "2025-01-01", "--to", "2025-01-02", "-o", str(tmp_path / "t.csv")]
    assert "wrote" in runner.invoke(cli, args).stderr
    result = runner.invoke(cli, ["-q", *args])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert fake_timeline[-1] == (dt.date(2025, 1, 1), dt.date(2025, 1, 2))


@pytest.mark.parametrize("option", ["--from", "--to"])
def test_timeline_latest_is_the_newest_snapshot(runner, tmp_path, fake_timeline, option):
    from peacemap.layers.sources import registry

    result = runner.invoke(cli, ["-q", "timeline", option, "latest", "-o", str(tmp_path / "t.csv")])
    assert result.exit_code == 0, result.output
    start, end = fake_timeline[-1]
    assert (start if option == "--from" else end) == registry.deepstate_dates()[-1]


# --------------------------------------------------------------------------------------------
# Real processes: signals, worker processes, encodings


def _handles_sigterm(pid: int) -> bool:
    """Whether process ``pid`` has installed a handler for SIGTERM (Linux: /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signal.SIGTERM - 1) & 1)
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_ctrl_c_during_start_up(tmp_path):
    """Ctrl-C while the modules are still being imported: one line, exit 130, no traceback."""
    process = subprocess.Popen([str(PEACEMAP), "-q", "build", "--out", str(tmp_path / "out")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + SUBPROCESS_TIMEOUT_S
        while not _handles_sigterm(process.pid):  # main() has started; the heavy imports have not ended
            assert process.poll() is None, "the signal handlers were never installed"
            assert time.monotonic() < deadline, "the signal handlers were never installed"
            time.sleep(0.002)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=SUBPROCESS_TIMEOUT_S)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert _error_lines(stderr) == ["Interrupted: no output was written."]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# `peacemap build`, whose work is a slow writer: the signal comes while the outputs are written.
SLOW_BUILD = """
import sys, time
from pathlib import Path
from peacemap import pipeline
from peacemap.layers import writing

READY = Path(sys.argv[2]) / "ready"

def slow(path):
    READY.touch()
    time.sleep(60)

def build(request, *, out_dir, **_):  # facts
    with writing.output_dir(out_dir), writing.staged_outputs(out_dir) as outputs:
        outputs.write("report.md", lambda p: p.write_text("md"))
        outputs.write("map.png", slow)
    return None, [out_dir / "report.md", out_dir / "map.png"]

pipeline.build_request = build
from peacemap.cli.main import main
sys.argv = ["peacemap", "-q", "build", "--out", sys.argv[1]]
main()
"""


@pytest.mark.parametrize(("signum", "exit_code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_while_writing(tmp_path, signum, exit_code):
    out_dir, flags = tmp_path / "out", tmp_path / "flags"
    flags.mkdir()
    process = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(out_dir), str(flags)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: (flags / "ready").exists(), process)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=SUBPROCESS_TIMEOUT_S)
    finally:
        process.kill()
    assert process.returncode == exit_code, stderr
    assert _error_lines(stderr) == ["Interrupted: no output was written."]
    assert not out_dir.exists()  # created by the run, removed with everything in it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flags"]


def _wait_for(condition, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + SUBPROCESS_TIMEOUT_S
    while not condition():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the subprocess did not get ready: {process.communicate()}")
        time.sleep(0.02)


# Staged outputs with a slow background writer, which leaves a file named after its process id.
SLOW_BACKGROUND = """
import os, sys, time
from pathlib import Path
from peacemap.layers import interrupts, writing

def slow(path):
    (Path(sys.argv[1]) / str(os.getpid())).touch()
    time.sleep(60)

interrupts.install()
try:
    with writing.staged_outputs(Path(sys.argv[1]) / "out") as outputs:
        outputs.start("map.png", slow)
        outputs.write("report.md", lambda p: time.sleep(60))
except interrupts.Interrupted as interrupt:
    sys.exit(interrupts.exit_code(interrupt))
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_background_writer_stops_with_its_parent(tmp_path, signum):
    process = subprocess.Popen([sys.executable, "-c", SLOW_BACKGROUND, str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for(lambda: any(p.name.isdigit() for p in tmp_path.iterdir()), process)
    writers = [int(p.name) for p in tmp_path.iterdir() if p.name.isdigit()]
    _signal_and_check_children(process, signum, writers)
    assert process.returncode == (-signal.SIGKILL if signum == signal.SIGKILL else 128 + signum)
    if signum != signal.SIGKILL:  # a killed parent cannot clean up; an interrupted one leaves nothing
        assert sorted(p.name for p in tmp_path.iterdir()) == [str(pid) for pid in writers] + ["out"]
        assert not any((tmp_path / "out").iterdir())


# compute_occupied on two forked workers, each measurement a slow fake; each worker leaves a
# file named after its process id when it starts measuring.
SLOW_TIMELINE = """
import datetime as dt, os, sys, time
from pathlib import Path
import numpy as np
from peacemap.layers import interrupts
from peacemap.layers.sources import registry
from peacemap.layers.timeline import series as timeline
from peacemap.layers.sources import deepstate

class SlowControl:
    def occupied_km2(self, polygon):
        (Path(sys.argv[1]) / str(os.getpid())).touch()
        time.sleep(0.05)
        return np.zeros(1)

class Units:
    codes = ("UA-14",)
    def control(self, cells):
        return SlowControl()

registry.deepstate_source = lambda day: day
registry.fetch = lambda source: source
deepstate.read_occupied = lambda path: None
interrupts.install()
days = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(400)]
try:
    timeline.compute_occupied(days, Units(), workers=2, cells=object())
except interrupts.Interrupted as interrupt:
    sys.exit(interrupts.exit_code(interrupt))
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _signal_and_check_children(process: subprocess.Popen, signum: int, children: list[int]) -> str:
    """Send ``signum`` to ``process`` and check that none of its ``children`` (process ids) outlives
    it by more than 5 s; returns its stderr. Whatever happens, none is left running."""
    try:
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=10)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in children if _alive(pid)], "child processes outlived their parent"
    finally:
        process.kill()
        for pid in children:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    return stderr


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_timeline_workers_stop_with_their_parent(tmp_path, signum):
    process = subprocess.Popen([sys.executable, "-c", SLOW_TIMELINE, str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for(lambda: len(list(tmp_path.iterdir())) >= 2, process)
    workers = [int(p.name) for p in tmp_path.iterdir()]
    # The workers hold the same stderr: it closes only when they have all stopped.
    stderr = _signal_and_check_children(process, signum, workers)
    assert process.returncode == (-signal.SIGKILL if signum == signal.SIGKILL else 128 + signum)
    assert stderr == ""


# click writes UTF-8 when the encoding is ASCII (a C locale taken as misconfigured); others it keeps.
@pytest.mark.parametrize("encoding", ["latin-1", "cp1251"])
def test_non_utf8_terminal(encoding):
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    shown = subprocess.run([str(PEACEMAP), "plans", "show", "plan28"], capture_output=True, env=env, timeout=SUBPROCESS_TIMEOUT_S)
    assert shown.returncode == 0, shown.stderr.decode(encoding)
    assert "Nopludin\\u0101ti" in shown.stdout.decode(encoding)  # the Latvian ā, escaped
    # An error naming something the terminal cannot show is still one line on stderr.
    refused = subprocess.run([str(PEACEMAP), "plans", "show", "plān"], capture_output=True, env=env, timeout=SUBPROCESS_TIMEOUT_S)
    assert refused.returncode == 1
    lines = _error_lines(refused.stderr.decode(encoding))
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: "), lines
    assert "pl\\u0101n" in lines[0], lines
