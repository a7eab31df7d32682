"""Measures for the worker pool's tests, in a module of their own: a spawned worker gets a measure
by pickling, which names its class by module, so the class must be importable there by that name
(tests/ is on the path, pyproject.toml's pythonpath; a test module is imported under another name)."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path


class Doubled:
    """Twice the day's ordinal."""

    def __call__(self, day: dt.date) -> int:
        return 2 * day.toordinal()


def process_id(day: dt.date) -> int:
    """The id of the process that measured ``day``."""
    return os.getpid()


class Unloadable:
    """Pickles, but cannot be unpickled: what a worker meets when a measure's class is missing there."""

    def __reduce__(self):
        return (_refuse_to_load, ())

    def __call__(self, day: dt.date) -> int:
        return 0


def _refuse_to_load():
    raise ImportError("no module named 'gone'")


class SlowTouch:
    """Slow (50 ms a day); leaves a file named after the worker's process id in ``folder``, saying
    whether the worker could ask Linux to end it with its parent (``pdeathsig``) or not (``none``)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, day: dt.date) -> int:
        from peacemap.layers import interrupts

        path = Path(self.folder) / str(os.getpid())
        if not path.exists():
            path.write_text("pdeathsig" if interrupts._die_with_parent.__name__ == "_die_with_parent" else "none")
        time.sleep(0.05)
        return 0


def blocked_signals(day: dt.date) -> list[int]:
    """The signals the worker has blocked (as it started: nothing in it unblocks any)."""
    import signal

    return sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, []))


def settings_seen(day: dt.date) -> tuple[bool, tuple[str, ...]]:
    """Whether the worker that measured ``day`` uses the cache, and the kinds it does not store."""
    from peacemap.layers import settings

    seen = settings.current()
    return seen.use_cache, tuple(sorted(seen.unstored_kinds))
