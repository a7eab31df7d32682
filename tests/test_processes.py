"""How worker processes start: fork on Linux, spawn on macOS and Windows, PEACEMAP_START_METHOD to force one."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from worker_measures import Doubled, Unloadable, blocked_signals, process_id

from peacemap.cli.main import cli
from peacemap.layers import processes, settings
from peacemap.layers.timeline import parallel

TESTS_DIR = Path(__file__).resolve().parent


@pytest.mark.parametrize(("platform", "method"), [("linux", "fork"), ("darwin", "spawn"), ("win32", "spawn"), ("cygwin", "spawn")])
def test_the_default_start_method_follows_the_platform(platform, method):
    # Python's own defaults on macOS (since 3.8) and Windows are spawn: forking a process with
    # threads is unsafe on macOS, and Windows has no fork.
    assert processes.default_start_method(platform) == method


def test_without_the_variable_the_default_is_used(setenv, monkeypatch):
    setenv(processes.START_METHOD_ENV, None)
    assert processes.start_method() == processes.default_start_method()


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_the_variable_forces_a_start_method(setenv, monkeypatch, method):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} is not available on this system")
    setenv(processes.START_METHOD_ENV, method)
    assert processes.start_method() == method
    assert processes.process_context().get_start_method() == method


@pytest.mark.parametrize("value", ["threads", "Spawn", "fork;spawn", "spawn\nfork"])
def test_any_other_value_is_refused_in_one_line(monkeypatch, value):
    monkeypatch.setenv(processes.START_METHOD_ENV, value)
    with pytest.raises(processes.StartMethodError) as error:
        settings.reload()  # as a new process reads its settings
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("PEACEMAP_START_METHOD should be one of fork, spawn, forkserver, got ")


def test_the_command_line_refuses_an_unknown_start_method_before_any_work(runner):
    result = runner.invoke(cli, ["plans"], env={processes.START_METHOD_ENV: "threads"})
    assert result.exit_code == 1
    assert result.output == "Error: PEACEMAP_START_METHOD should be one of fork, spawn, forkserver, got 'threads'\n"


DAYS = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(12)]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_measure_in_order_under_each_start_method(setenv, monkeypatch, method):
    setenv(processes.START_METHOD_ENV, method)
    assert parallel.measure_days(Doubled(), DAYS, workers=2) == [2 * day.toordinal() for day in DAYS]
    pids = set(parallel.measure_days(process_id, DAYS, workers=2))
    assert os.getpid() not in pids
    assert len(pids) <= 2  # other processes did the work (one may take every run)


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="no signal masks on this system")
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_start_with_ctrl_c_held(setenv, monkeypatch, method):
    # A spawned worker imports for seconds before it can ignore SIGINT; it starts with the signal
    # blocked (the mask survives fork and exec), so a Ctrl-C then prints no traceback from it.
    setenv(processes.START_METHOD_ENV, method)
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    for blocked in parallel.measure_days(blocked_signals, DAYS[:2], workers=2):
        assert signal.SIGINT in blocked
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])  # the parent's is released


def test_a_measure_that_cannot_be_pickled_is_refused_where_workers_are_spawned(setenv, monkeypatch):
    setenv(processes.START_METHOD_ENV, "spawn")
    offset = 3
    with pytest.raises(TypeError, match="'measure' should be picklable where workers are started by spawn"):
        parallel.measure_days(lambda day: day.toordinal() + offset, DAYS, workers=2)


def test_a_measure_a_worker_cannot_load_fails_in_the_parent_instead_of_hanging(setenv, monkeypatch):
    setenv(processes.START_METHOD_ENV, "spawn")
    pickle.dumps(Unloadable())  # the parent can pickle it
    with pytest.raises(RuntimeError, match="a worker process could not load the measure: ImportError: no module named 'gone'"):
        parallel.measure_days(Unloadable(), DAYS, workers=2)


# --- spawned workers stop with their parent, without Linux's PR_SET_PDEATHSIG ----------------------
# As on macOS and Windows: a sitecustomize, loaded by every process the test starts (the spawned
# workers too), takes PDEATHSIG away, so the workers must notice by themselves that the parent died.
NO_PDEATHSIG = """from peacemap.layers import interrupts
interrupts._die_with_parent = lambda: False
"""
SPAWNED_MEASURE = """
import datetime as dt, sys
from peacemap.layers import interrupts
from peacemap.layers.timeline.parallel import measure_days
from worker_measures import SlowTouch

interrupts.install()
days = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(400)]
try:
    measure_days(SlowTouch(sys.argv[1]), days, workers=2)
except interrupts.Interrupted as interrupt:
    sys.exit(interrupts.exit_code(interrupt))
"""
STOP_TIMEOUT_S = 60  # a spawned worker imports numpy and peacemap before it measures: seconds on a loaded machine


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to watch the workers")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_spawned_workers_without_pdeathsig_stop_with_their_parent(tmp_path, signum):
    hooks, flags = tmp_path / "hooks", tmp_path / "flags"
    hooks.mkdir()
    flags.mkdir()
    (hooks / "sitecustomize.py").write_text(NO_PDEATHSIG)
    env = {**os.environ, processes.START_METHOD_ENV: "spawn", "PYTHONPATH": os.pathsep.join([str(hooks), str(TESTS_DIR)])}
    process = subprocess.Popen([sys.executable, "-c", SPAWNED_MEASURE, str(flags)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while len(list(flags.iterdir())) < 2:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, process.communicate()
            time.sleep(0.05)
        workers = {int(p.name): p.read_text() for p in flags.iterdir()}
        assert set(workers.values()) == {"none"}  # no PDEATHSIG: the workers must see for themselves
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=STOP_TIMEOUT_S)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)], "workers outlived their parent"
    finally:
        process.kill()
        for pid in flags.iterdir():
            if _alive(int(pid.name)):
                os.kill(int(pid.name), signal.SIGKILL)
    assert process.returncode == (-signal.SIGKILL if signum == signal.SIGKILL else 128 + signum)
    assert "Traceback" not in stderr
    if signum != signal.SIGKILL:  # a killed parent leaves its semaphores to Python's resource tracker, which says so
        assert stderr == ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.parametrize(("method", "in_this_process"), [("fork", False), ("spawn", True), ("forkserver", True)])
def test_a_background_writer_forks_only_where_workers_are_forked(setenv, tmp_path, monkeypatch, method, in_this_process):
    from staged_writing import write_outputs

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} is not available on this system")
    setenv(processes.START_METHOD_ENV, method)
    written = write_outputs(
        tmp_path / "out", {"map.png": lambda path: path.write_text(str(os.getpid())), "report.md": lambda path: path.write_text("md")}, background=("map.png",)
    )
    assert [path.name for path in written] == ["map.png", "report.md"]
    writer = int((tmp_path / "out" / "map.png").read_text())
    assert (writer == os.getpid()) is in_this_process  # written in turn here, or by a forked process
