"""peacemap: map and measure the territorial provisions of peace proposals for the Russia-Ukraine war.

The Python API (:mod:`peacemap.api`): :func:`plans`, :func:`plan_layers`, :func:`report`,
:func:`plan_map`, :func:`timeline`, :func:`plan_timeline`, :func:`plan_statements`, :func:`regions`, and the exceptions
every failure raises.
It is imported on first use, so that ``import peacemap`` and the command line start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peacemap._version import __version__

__all__ = [
    "ArgumentError",
    "ControlFileError",
    "DataSourceError",
    "PeacemapError",
    "PlanError",
    "Report",
    "SnapshotDateError",
    "__version__",
    "plan_layers",
    "plan_map",
    "plan_statements",
    "plan_timeline",
    "plans",
    "regions",
    "report",
    "timeline",
]
_API = ("plans", "plan_layers", "report", "plan_map", "timeline", "plan_timeline", "plan_statements", "regions", "Report")
_ERRORS = ("PeacemapError", "DataSourceError", "SnapshotDateError", "PlanError", "ControlFileError", "ArgumentError")

if TYPE_CHECKING:
    from peacemap.api import Report, plan_layers, plan_map, plan_statements, plan_timeline, plans, regions, report, timeline
    from peacemap.layers.errors import ArgumentError, ControlFileError, DataSourceError, PeacemapError, PlanError, SnapshotDateError


def __getattr__(name: str) -> Any:
    if name in _API:
        from peacemap import api

        return getattr(api, name)
    if name in _ERRORS:
        from peacemap.layers import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'peacemap' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
