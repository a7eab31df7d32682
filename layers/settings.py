"""peacemap's settings, in one place: the data folder, the cache folder, whether the cache is used,
worker processes and how they start. Read once from the environment (by the command line when it
starts, else on first use), then changed only through this module (``peacemap --no-cache``).

- ``PEACEMAP_DATA_DIR``: a folder searched first for the sources' files;
- ``XDG_CACHE_HOME``: the user cache is ``$XDG_CACHE_HOME/peacemap`` (else the system's user cache);
- ``PEACEMAP_NO_CACHE``: anything but ``""`` or ``"0"`` computes everything afresh and touches no
  cache entry (as ``peacemap --no-cache``);
- ``PEACEMAP_WORKERS``: at most this many worker processes for work over many dates (default: one per CPU);
- ``PEACEMAP_START_METHOD``: how workers start, fork, spawn or forkserver (default: fork on Linux,
  spawn elsewhere; :mod:`peacemap.layers.processes`);
- ``PEACEMAP_SCHEDULER``: the address of a dask.distributed scheduler that work over many dates is
  sent to instead (:func:`peacemap.layers.timeline.parallel.executor_for`);
- ``PEACEMAP_UPSTREAM_URL``: where ``peacemap data update`` fetches new snapshots (a mirror; checked
  where it is used, :func:`peacemap.layers.sources.upstream.upstream_url`, so that a wrong one stops
  only the update).

Worker processes get the parent's settings: forked ones inherit them, spawned ones are given them
(:func:`install`, as the initializer of :func:`peacemap.layers.timeline.parallel.measure_days`).

The loaders that keep what they read for the life of the process register here
(:func:`memoized`); :func:`clear_memo` forgets what they hold, and a change of the data or the
cache folder does so by itself, so that the next call reads from the new folder.
"""

from __future__ import annotations

import dataclasses
import functools
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from peacemap.layers.errors import PeacemapError

DATA_DIR_ENV = "PEACEMAP_DATA_DIR"
CACHE_HOME_ENV = "XDG_CACHE_HOME"
NO_CACHE_ENV = "PEACEMAP_NO_CACHE"
WORKERS_ENV = "PEACEMAP_WORKERS"
START_METHOD_ENV = "PEACEMAP_START_METHOD"
SCHEDULER_ENV = "PEACEMAP_SCHEDULER"
UPSTREAM_URL_ENV = "PEACEMAP_UPSTREAM_URL"
START_METHODS = ("fork", "spawn", "forkserver")

_T = TypeVar("_T")


class SettingsError(PeacemapError, ValueError):
    """An environment variable of peacemap's holds a value it cannot use."""


class StartMethodError(SettingsError):
    """``PEACEMAP_START_METHOD`` names no start method, or one this system lacks."""


@dataclasses.dataclass(frozen=True)
class Settings:
    """What peacemap is told by its environment and command line.

    Attributes
    ----------
    data_dir
        ``PEACEMAP_DATA_DIR``: a folder searched first for the sources' files (None: not set).
    cache_home
        ``XDG_CACHE_HOME``: the folder whose ``peacemap`` folder is the user cache (None: the
        system's user cache folder, :attr:`cache_dir`).
    use_cache
        False: compute everything afresh, and read and write no cache entry.
    workers
        At most this many worker processes for work over many dates (None: one per CPU); fewer for little work.
    start_method
        How worker processes start: ``fork``, ``spawn`` or ``forkserver``.
    unstored_kinds
        Kinds of cache entry read but not written (:func:`peacemap.layers.sources.cache.not_storing`).
    scheduler
        ``PEACEMAP_SCHEDULER``: a dask.distributed scheduler's address (None: local processes).
    upstream_url
        ``PEACEMAP_UPSTREAM_URL`` as given, unchecked (None: the upstream repository itself).
    """

    data_dir: Path | None = None
    cache_home: Path | None = None
    use_cache: bool = True
    workers: int | None = None
    start_method: str = ""
    unstored_kinds: frozenset[str] = frozenset()
    scheduler: str | None = None
    upstream_url: str | None = None

    @property
    def cache_dir(self) -> Path:
        """The per-user cache: ``cache_home/peacemap`` where ``XDG_CACHE_HOME`` is set, on every
        system (so that the tests can keep theirs apart on macOS and Windows too), else the
        system's user cache folder (``pooch.os_cache('peacemap')``: ``~/.cache/peacemap`` on
        Linux, ``~/Library/Caches/peacemap`` on macOS, ``%LOCALAPPDATA%\\peacemap\\Cache`` on Windows)."""
        if self.cache_home is not None:
            return self.cache_home / "peacemap"
        import pooch

        return Path(pooch.os_cache("peacemap"))


def default_start_method(platform: str = sys.platform) -> str:
    """``"fork"`` on Linux; ``"spawn"`` elsewhere (macOS, where forking a threaded process is
    unsafe, and Windows, which cannot fork)."""
    return "fork" if platform.startswith("linux") else "spawn"


def from_environment(environ: dict[str, str] | None = None) -> Settings:
    """The settings ``environ`` (default: ``os.environ``) gives; :class:`SettingsError`, one line,
    for a value peacemap cannot use."""
    env = os.environ if environ is None else environ
    data_dir = env.get(DATA_DIR_ENV, "")
    cache_home = env.get(CACHE_HOME_ENV, "")
    return Settings(
        data_dir=Path(data_dir) if data_dir else None,
        cache_home=Path(cache_home) if cache_home.strip() else None,
        use_cache=env.get(NO_CACHE_ENV, "") in ("", "0"),
        workers=_workers(env.get(WORKERS_ENV, "")),
        start_method=_start_method(env.get(START_METHOD_ENV, "")),
        scheduler=env.get(SCHEDULER_ENV, "").strip() or None,
        upstream_url=env.get(UPSTREAM_URL_ENV) or None,
    )


def _workers(value: str) -> int | None:
    if not value.strip():
        return None
    if not (value.strip().isascii() and value.strip().isdigit() and int(value) >= 1):
        raise SettingsError(f"{WORKERS_ENV} should be a whole number of processes, 1 or more, got {value!r}")
    return int(value)


def _start_method(value: str) -> str:
    chosen = value.strip()
    if not chosen:
        return default_start_method()
    if chosen not in START_METHODS:
        raise StartMethodError(f"{START_METHOD_ENV} should be one of {', '.join(START_METHODS)}, got {chosen!r}")
    if chosen not in multiprocessing.get_all_start_methods():
        raise StartMethodError(
            f"{START_METHOD_ENV}={chosen} is not available on this system ({sys.platform}); use one of {', '.join(multiprocessing.get_all_start_methods())}"
        )
    return chosen


# The settings in force: read from the environment on first use (current), then replaced whole.
_current: Settings | None = None


def current() -> Settings:
    """The settings in force: read from the environment the first time they are asked for."""
    global _current
    if _current is None:
        _current = from_environment()
    return _current


def install(settings: Settings) -> None:
    """Put ``settings`` in force (the command line's, or the parent's in a spawned worker); the
    memoized loaders forget what they hold if the data or the cache folder changes."""
    global _current
    previous, _current = _current, settings
    if previous is not None and _folders(previous) != _folders(settings):
        clear_memo()


def configure(**changes: Any) -> Settings:
    """Put in force the settings with ``changes`` (fields of :class:`Settings`) made; returns them."""
    changed = dataclasses.replace(current(), **changes)
    install(changed)
    return changed


@contextmanager
def changed(**changes: Any) -> Iterator[Settings]:
    """Within the block, the settings with ``changes`` made; the previous ones are back after it."""
    previous = current()
    try:
        yield configure(**changes)
    finally:
        install(previous)


def reload() -> Settings:
    """Read the settings from the environment again (after the environment was changed) and put them in force."""
    install(from_environment())
    return current()


def _folders(settings: Settings) -> tuple[Path | None, Path | None]:
    return settings.data_dir, settings.cache_home


# Every process-wide memo of a loader (memoized), so that clear_memo reaches them all.
_memos: list[functools._lru_cache_wrapper] = []


def memoized(function: Callable[..., _T]) -> functools._lru_cache_wrapper[_T]:
    """``functools.cache(function)``, registered so that :func:`clear_memo` forgets its values: for
    loaders whose result depends on the data or the cache folder."""
    memo = functools.cache(function)
    _memos.append(memo)
    return memo


def clear_memo() -> None:
    """Forget every value the :func:`memoized` loaders hold: the next call reads afresh."""
    for memo in _memos:
        memo.cache_clear()
