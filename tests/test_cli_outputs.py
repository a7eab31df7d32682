"""Issue 24, items 4 and 7: outputs that are not regular files, standard output, and paths too long.

``-o`` onto a device, a FIFO, a socket or a link to one (``/dev/stdout`` is a link to
``/proc/self/fd/1``) is refused in one line and the thing survives; ``-o -`` writes to standard
output; a closed or full standard output is one line on stderr and exit code 1, never a traceback
or a silent success. Devices are made with ``mknod`` in a temporary folder (root only; skipped
otherwise): the system's own are never touched.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from staged_writing import write_outputs

from peacemap import pipeline
from peacemap.cli.main import cli
from peacemap.layers import writing
from peacemap.layers.writing import OutputError, atomic_write_text

PEACEMAP = Path(sys.executable).with_name("peacemap")  # the console script of this environment
SUBPROCESS_TIMEOUT_S = 120
NULL_DEVICE = (1, 3)  # major and minor numbers of the null device on Linux


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def _must_not_run(*args, **kwargs):
    raise AssertionError("the work started before the output was checked")


@pytest.fixture
def null_device(tmp_path) -> Path:
    """A character device like the system's null device, made in ``tmp_path`` (root only)."""
    path = tmp_path / "device"
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(*NULL_DEVICE))
    except PermissionError:
        pytest.skip("mknod needs root (CAP_MKNOD)")
    return path


def _is_null_device(path: Path) -> bool:
    info = os.lstat(path)
    return stat.S_ISCHR(info.st_mode) and (os.major(info.st_rdev), os.minor(info.st_rdev)) == NULL_DEVICE


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return path


# --------------------------------------------------------------------------------------------
# Outputs that are not regular files (item 4)


def test_report_onto_a_character_device_is_refused_and_the_device_survives(null_device, runner, monkeypatch):
    monkeypatch.setattr(pipeline.plan, "plan_layers", _must_not_run)
    result = runner.invoke(cli, ["-q", "report", "-o", str(null_device)])
    assert result.exit_code == 1, result.output
    assert _error_lines(result.stderr) == [
        f"Error: cannot write {null_device}: it is a character device, not a regular file; peacemap writes only files (name another one)"
    ]
    assert _is_null_device(null_device)


def test_the_library_never_renames_onto_a_device_even_when_it_appears_late(null_device, tmp_path):
    with pytest.raises(OutputError, match="a character device"):
        atomic_write_text(null_device, "text")
    # The target becomes a device while the file is being written: refused before the rename.
    target = tmp_path / "late.md"

    def write_then_swap(path: Path) -> None:
        path.write_text("text")
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(*NULL_DEVICE))

    with pytest.raises(OutputError, match="a character device"):
        writing.atomic_write(target, write_then_swap)
    assert _is_null_device(null_device)
    assert _is_null_device(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["device", "late.md"]  # no temporary file left


@pytest.mark.parametrize("kind", ["fifo", "socket", "link-to-fifo"])
def test_an_output_that_is_not_a_regular_file_is_refused(tmp_path, runner, monkeypatch, kind):
    monkeypatch.setattr(pipeline.plan, "plan_layers", _must_not_run)
    if kind == "socket":
        target = tmp_path / "socket"
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
    else:
        target = _fifo(tmp_path)
        if kind == "link-to-fifo":
            (tmp_path / "link").symlink_to(target)
            target = tmp_path / "link"
    expected = {"fifo": "a named pipe (FIFO)", "socket": "a socket", "link-to-fifo": "a named pipe (FIFO)"}[kind]
    before = os.lstat(target)
    result = runner.invoke(cli, ["-q", "report", "-o", str(target)])
    assert result.exit_code == 1, result.output
    assert _error_lines(result.stderr) == [f"Error: cannot write {target}: it is {expected}, not a regular file; peacemap writes only files (name another one)"]
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


@pytest.mark.parametrize(("link_to", "shown"), [("/proc/self/fd/1", "/proc/self/fd/1"), ("/dev/stdout", "/proc/self/fd/1"), ("/dev/fd/1", "/dev/fd/1")])
def test_a_link_to_standard_output_is_refused_and_kept(tmp_path, runner, monkeypatch, link_to, shown):
    # Standard output here is a regular file: the check cannot rely on the kind of what fd 1 is.
    monkeypatch.setattr(pipeline.plan, "plan_layers", _must_not_run)
    link = tmp_path / "stdout-link"
    link.symlink_to(link_to)
    result = runner.invoke(cli, ["-q", "report", "-o", str(link)])
    assert result.exit_code == 1
    assert _error_lines(result.stderr) == [
        f"Error: cannot write {link}: it is a link to a file descriptor ({shown}), "
        "not a regular file; peacemap writes only files (use -o - for standard output)"
    ]
    assert link.is_symlink()
    assert os.readlink(link) == link_to


def test_build_refuses_a_device_among_its_outputs_before_any_work(tmp_path, runner, monkeypatch):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    fifo = out_dir / "report.md"
    os.mkfifo(fifo)
    monkeypatch.setattr(pipeline.plan, "plan_layers", _must_not_run)
    result = runner.invoke(cli, ["-q", "build", "--out", str(out_dir)])
    assert result.exit_code == 1
    assert _error_lines(result.stderr) == [
        f"Error: cannot write {fifo}: it is a named pipe (FIFO), not a regular file; peacemap writes only files (name another one)"
    ]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.md"]


def test_a_staged_output_that_became_a_fifo_stops_every_move(tmp_path):
    out_dir = tmp_path / "out"

    def write_and_block(path: Path) -> None:
        path.write_text("b")
        os.mkfifo(out_dir / "a.txt")

    with pytest.raises(OutputError, match=r"a\.txt: it is a named pipe"):
        write_outputs(out_dir, {"a.txt": lambda path: path.write_text("a"), "b.txt": write_and_block})
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.txt"]
    assert stat.S_ISFIFO(os.lstat(out_dir / "a.txt").st_mode)


@pytest.mark.parametrize(
    ("args", "ending"),
    [
        (["report", "-o", "a/" * 2100 + "report.md"], "report.md: File name too long"),
        (["build", "--out", "a/" * 2100 + "out"], "out: File name too long; choose another with --out"),
        (["plans", "show", "a/" * 2100 + "plan.toml"], "plan.toml: File name too long"),
    ],
    ids=["report", "build", "plan-file"],
)
def test_a_path_over_4096_bytes_is_one_short_line(tmp_path, runner, monkeypatch, args, ending):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(pipeline.plan, "plan_layers", _must_not_run)
    result = runner.invoke(cli, ["-q", *args])
    assert result.exit_code == 1, result.output
    lines = _error_lines(result.stderr)
    assert len(lines) == 1, lines
    assert lines[0].endswith(ending), lines
    assert len(lines[0]) < 300
    assert "characters ...]" in lines[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["map"], ["layers"], ["build", "--out"]], ids=["map", "layers", "build"])
def test_a_dash_is_refused_where_a_command_writes_files(runner, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["-q", *command, *([] if command[-1] == "--out" else ["-o"]), "-"])
    assert result.exit_code == 2
    assert "'-' (standard output) is not available here" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------------------------
# -o - : standard output


def test_report_dash_writes_to_standard_output(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["-q", "report", "--date", "2025-11-20", "--format", "json", "-o", "-"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["plan"] == "plan28"
    assert list(tmp_path.iterdir()) == []  # no file called '-'


def test_timeline_dash_writes_csv_or_json_to_standard_output(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["-q", "timeline", "--region", "UA-14", "--from", "2025-11-19", "--to", "2025-11-20", "-o", "-"]
    as_csv = runner.invoke(cli, args)
    assert as_csv.exit_code == 0, as_csv.stderr
    assert as_csv.stdout.splitlines()[0].startswith("date,")
    assert len(as_csv.stdout.splitlines()) == 3
    as_json = runner.invoke(cli, [*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.stderr
    assert json.loads(as_json.stdout)
    assert list(tmp_path.iterdir()) == []
    refused = runner.invoke(cli, [*args[:-1], "t.csv", "--format", "json"])
    assert refused.exit_code == 2
    assert "--format goes with -o -" in refused.stderr


# --------------------------------------------------------------------------------------------
# A closed or full standard output (item 7): real processes, real file descriptors


def _run(args: list[str], **redirect) -> subprocess.CompletedProcess:
    return subprocess.run([str(PEACEMAP), "-q", *args], stderr=subprocess.PIPE, text=True, timeout=SUBPROCESS_TIMEOUT_S, **redirect)


def _closed_stdout(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    # pass_fds cannot close fd 1; the shell does it (`>&-`), and runs peacemap without it.
    command = " ".join(f"'{a}'" for a in [str(PEACEMAP), "-q", *args]) + " >&-"
    return subprocess.run(["sh", "-c", command], stderr=subprocess.PIPE, text=True, timeout=SUBPROCESS_TIMEOUT_S, cwd=tmp_path)


def test_report_to_a_full_device_is_one_line():
    with open("/dev/full", "w") as full:
        done = _run(["report", "--date", "2025-11-20"], stdout=full)
    assert done.returncode == 1
    assert _error_lines(done.stderr) == ["Error: cannot write standard output: No space left on device"]


def test_report_with_standard_output_closed_fails_in_one_line(tmp_path):
    done = _closed_stdout(["report", "--date", "2025-11-20"], tmp_path)
    assert done.returncode == 1
    assert _error_lines(done.stderr) == ["Error: cannot write standard output: it is closed"]


def test_build_with_standard_output_closed_writes_its_files_and_says_the_headline_is_lost(tmp_path):
    done = _closed_stdout(["build", "--date", "2025-11-20", "--out", "out"], tmp_path)
    assert done.returncode == 1
    assert _error_lines(done.stderr) == ["Error: cannot write standard output: it is closed (the outputs in out were written; only the headline is missing)"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(pipeline.BUILD_OUTPUTS)


def test_help_to_a_full_device_is_one_line():
    with open("/dev/full", "w") as full:
        done = _run(["--help"], stdout=full)
    assert done.returncode == 1
    assert _error_lines(done.stderr) == ["Error: cannot write standard output: No space left on device"]


def test_a_pipe_whose_reader_has_gone_ends_quietly():
    # `peacemap plans | head -1`: the reader stops reading; no message, no traceback, exit 1.
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write
    try:
        done = _run(["plans"], stdout=write_end)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (1, "")


@pytest.mark.parametrize(
    "args",
    [["compare", "plan28", "freeze", "--date", "2025-11-20", "--format", "csv"], ["places", "--date", "2025-11-20", "--status", "dmz", "--format", "csv"]],
    ids=["compare", "places"],
)
def test_compare_and_places_dash_write_to_standard_output(runner, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    to_stdout = runner.invoke(cli, ["-q", *args, "-o", "-"])
    assert to_stdout.exit_code == 0, to_stdout.stderr
    assert to_stdout.stdout == runner.invoke(cli, ["-q", *args]).stdout
    assert to_stdout.stdout.count("\n") > 2
    assert list(tmp_path.iterdir()) == []
