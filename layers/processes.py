"""How peacemap starts its worker processes: fork on Linux, spawn elsewhere, or as ``PEACEMAP_START_METHOD`` says.

Forking is the fastest start (a worker inherits what the parent has loaded), but it is missing on
Windows, and on macOS forking a process that runs threads (the system's own libraries start some)
is unsafe, which is why Python defaults to spawn there. Under spawn a worker is a new interpreter:
it gets its work by pickling and reloads the rest (from the disk cache), and gives the same bytes.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from multiprocessing.context import BaseContext

from peacemap.layers.errors import PeacemapError

START_METHOD_ENV = "PEACEMAP_START_METHOD"
START_METHODS = ("fork", "spawn", "forkserver")


class StartMethodError(PeacemapError, ValueError):
    """``PEACEMAP_START_METHOD`` names no start method, or one this system lacks."""


def default_start_method(platform: str = sys.platform) -> str:
    """``"fork"`` on Linux; ``"spawn"`` elsewhere (macOS, where forking a threaded process is
    unsafe, and Windows, which cannot fork)."""
    return "fork" if platform.startswith("linux") else "spawn"


def start_method() -> str:
    """The start method of worker processes: ``PEACEMAP_START_METHOD`` if set (fork, spawn or
    forkserver, where the system has it), else :func:`default_start_method`.

    Raises :class:`StartMethodError`, one line, for any other value.
    """
    chosen = os.environ.get(START_METHOD_ENV, "").strip()
    if not chosen:
        return default_start_method()
    if chosen not in START_METHODS:
        raise StartMethodError(f"{START_METHOD_ENV} should be one of {', '.join(START_METHODS)}, got {chosen!r}")
    if chosen not in multiprocessing.get_all_start_methods():
        raise StartMethodError(f"{START_METHOD_ENV}={chosen} is not available on this system ({sys.platform}); "
                               f"use one of {', '.join(multiprocessing.get_all_start_methods())}")
    return chosen


def process_context() -> BaseContext:
    """The multiprocessing context of :func:`start_method`."""
    return multiprocessing.get_context(start_method())
