"""How peacemap starts its worker processes: fork on Linux, spawn elsewhere, or as ``PEACEMAP_START_METHOD`` says.

Forking is the fastest start (a worker inherits what the parent has loaded), but it is missing on
Windows, and on macOS forking a process that runs threads (the system's own libraries start some)
is unsafe, which is why Python defaults to spawn there. Under spawn a worker is a new interpreter:
it gets its work by pickling and reloads the rest (from the disk cache), and gives the same bytes.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.context import BaseContext

from peacemap.layers import settings
from peacemap.layers.settings import START_METHOD_ENV, START_METHODS, StartMethodError, default_start_method

__all__ = ["START_METHODS", "START_METHOD_ENV", "StartMethodError", "default_start_method", "process_context", "start_method"]


def start_method() -> str:
    """The start method of worker processes (:attr:`peacemap.layers.settings.Settings.start_method`):
    ``PEACEMAP_START_METHOD`` if set (fork, spawn or forkserver, where the system has it), else
    :func:`default_start_method`.

    Raises :class:`StartMethodError`, one line, for any other value.
    """
    return settings.current().start_method


def process_context() -> BaseContext:
    """The multiprocessing context of :func:`start_method`."""
    return multiprocessing.get_context(start_method())
