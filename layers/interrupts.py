"""SIGINT and SIGTERM handled alike: both raise :class:`Interrupted`, so the same cleanup runs.

Standard library only: :func:`peacemap.cli.main.main` installs the handlers before the heavy
imports, so that an interrupt during start-up is handled too.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The user (SIGINT, Ctrl-C) or the system (SIGTERM, e.g. ``docker stop``) asked peacemap to stop.

    Like KeyboardInterrupt a BaseException, so ``except Exception`` does not swallow it and
    ``finally``/``with`` clean up as after Ctrl-C; but not a KeyboardInterrupt, which click would
    turn into "Aborted!" and exit code 1 when it arrives outside a command (while parsing).
    ``exit_code`` is the shell's convention, 128 + the signal number: 130 for SIGINT, 143 for SIGTERM.
    ``outputs_kept`` is True when the signal came while the finished outputs were being moved into
    place, which is not interrupted (see :func:`deferred`).
    """

    def __init__(self, signum: int, *, outputs_kept: bool = False) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.outputs_kept = outputs_kept

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


# Signals received inside deferred(); None outside it.
_held: list[int] | None = None


def _handle(signum: int, frame: object) -> None:  # signal handler signature
    if _held is not None:
        _held.append(signum)
        return
    raise Interrupted(signum)


def install() -> None:
    """Make SIGINT and SIGTERM raise :class:`Interrupted` in the main thread."""
    for signum in HANDLED_SIGNALS:
        signal.signal(signum, _handle)


def exit_code(interrupt: Interrupted | KeyboardInterrupt) -> int:
    """The exit code for an interrupt: 128 + its signal number (130 for a plain KeyboardInterrupt)."""
    return interrupt.exit_code if isinstance(interrupt, Interrupted) else 128 + signal.SIGINT


@contextmanager
def deferred(*, outputs_kept: bool = False) -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then raise :class:`Interrupted` if one came.

    For steps that must not stop half-way: moving a set of finished files into place (all or
    none) or removing a temporary folder. ``outputs_kept`` is passed to the exception, so the
    message can say that the outputs were written. If the block raises, its exception wins.
    Only our own handlers hold signals; without :func:`install` (a library call) the block
    is interruptible as usual.
    """
    global _held
    if _held is not None:  # nested: the outer block decides
        yield
        return
    _held = []
    try:
        yield
    finally:
        received, _held = _held, None
    if received:
        raise Interrupted(received[0], outputs_kept=outputs_kept)


def as_child_of(parent: int) -> None:
    """In a worker process started by ``parent`` (its process id): leave Ctrl-C to the parent, end
    at once on SIGTERM, and, on Linux, die when the parent does, even killed with SIGKILL.

    A terminal sends SIGINT to every process of the job; the parent then stops its children
    (SIGTERM or SIGKILL), which must neither raise in the parent's handlers (a traceback from
    each child) nor run its cleanup, nor write on into a folder nobody will clean. Where the
    system cannot tie a child's life to its parent's (macOS, Windows), the workers ask
    :func:`parent_gone` between tasks instead.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _die_with_parent() and os.getppid() != parent:  # the parent died before the call
        os._exit(1)


def parent_gone(parent: int) -> bool:
    """True if ``parent`` (the process id of the one that started this one) has ended.

    A POSIX child is handed to another parent (init) when its own dies; a child started by
    :mod:`multiprocessing` also holds a handle on its parent (a pipe, or a process handle on
    Windows, where a process id is not given to another parent) that tells when it ends.
    """
    if os.getppid() != parent:
        return True
    import multiprocessing

    started_by = multiprocessing.parent_process()
    return started_by is not None and not started_by.is_alive()


@contextmanager
def sigint_held() -> Iterator[None]:
    """Within the block, SIGINT waits (blocked, not lost) and is handled when the block ends.

    Processes started in the block inherit the blocked signal (a mask survives fork and exec), so
    that a Ctrl-C while they start (a spawned worker imports for seconds before it can ignore the
    signal) does not print a traceback from each. Nothing where the system has no signal masks
    (Windows).
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _die_with_parent() -> bool:
    """Ask Linux to kill this process with SIGKILL when its parent ends (PR_SET_PDEATHSIG); False
    where that cannot be asked (other systems, or the call fails)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (OSError, AttributeError):
        return False


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
