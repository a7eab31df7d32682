"""The one pipeline behind every command and the Python API: a request (plan, date, options,
control, population: :class:`~peacemap.pipeline.request.Request`) → plan layers → report and
maps → files.

Its use cases, one module each:

- :mod:`~peacemap.pipeline.request`: what a caller asks, normalised once, and the language its
  answer is written in (:func:`~peacemap.pipeline.request.writing_in`);
- :mod:`~peacemap.pipeline.plan`: the plan's layers on a line of contact;
- :mod:`~peacemap.pipeline.report`: the report (one :class:`~peacemap.pipeline.report.Report`
  type) and the places of each zone;
- :mod:`~peacemap.pipeline.compare`: plans side by side, maps of control side by side;
- :mod:`~peacemap.pipeline.maps`: the maps;
- :mod:`~peacemap.pipeline.timelines`: the timelines and the statements beside them;
- :mod:`~peacemap.pipeline.animations`: the animated map (its frame dates:
  :mod:`peacemap.layers.timeline.schedule`);
- :mod:`~peacemap.pipeline.outputs`: one registry of writers by suffix, and ``peacemap build``;
- :mod:`~peacemap.pipeline.listings`: what the smaller commands and the API list (plans, regions,
  statements, data sources, the cache).

Each ``peacemap`` command parses its options, calls the api or a function here and writes what it
gets back; the Python API (:mod:`peacemap.api`) is a thin face of the same functions. Heavy
modules (geopandas, the population model, folium, matplotlib) are imported inside the functions
that need them, so that importing this package stays cheap.
"""

from __future__ import annotations

from peacemap.pipeline.animations import ANIMATION_BATCH, ANIMATION_UNSTORED, AnimationFrame, MapFrame, MapFrames, animation, map_frames
from peacemap.pipeline.compare import (
    comparison,
    comparison_control,
    comparison_text,
    control_comparison,
    control_comparison_text,
)
from peacemap.pipeline.listings import plans_frame, regions
from peacemap.pipeline.maps import BUILD_PNG_DPI, MAP_FORMATS, html_map, map_facts, map_layers, write_comparison_map, write_control_comparison_map
from peacemap.pipeline.outputs import (
    BUILD_OUTPUTS,
    WRITERS,
    build,
    build_request,
    write,
    write_animation,
    write_layers,
    write_map,
    write_map_frames,
    write_plan_timeline,
    write_plan_zones,
    write_sweep,
    write_timeline,
)
from peacemap.pipeline.plan import (
    build_sources,
    chosen_plan,
    own_population,
    plan_layers,
    request_layers,
    request_layers_with_population,
    request_population,
    snapshot_age,
    with_hromadas,
    with_own_population,
)
from peacemap.pipeline.report import Report, places, places_text, plan_report, report_of, request_places, request_report, zone_statements
from peacemap.pipeline.request import ControlRequest, DateRequest, Request, snapshot_day, writing_in
from peacemap.pipeline.timelines import (
    SWEEP_FORMATS,
    TIMELINE_FORMATS,
    PlanZones,
    plan_statements,
    plan_statements_frame,
    plan_timeline,
    plan_timeline_frame,
    plan_timeline_statements,
    plan_timeline_text,
    plan_zones,
    statement_points,
    sweep,
    timeline,
    timeline_text,
)

__all__ = [
    "ANIMATION_BATCH",
    "ANIMATION_UNSTORED",
    "BUILD_OUTPUTS",
    "BUILD_PNG_DPI",
    "MAP_FORMATS",
    "SWEEP_FORMATS",
    "TIMELINE_FORMATS",
    "WRITERS",
    "AnimationFrame",
    "ControlRequest",
    "DateRequest",
    "MapFrame",
    "MapFrames",
    "PlanZones",
    "Report",
    "Request",
    "animation",
    "build",
    "build_request",
    "build_sources",
    "chosen_plan",
    "comparison",
    "comparison_control",
    "comparison_text",
    "control_comparison",
    "control_comparison_text",
    "html_map",
    "map_facts",
    "map_frames",
    "map_layers",
    "own_population",
    "places",
    "places_text",
    "plan_layers",
    "plan_report",
    "plan_statements",
    "plan_statements_frame",
    "plan_timeline",
    "plan_timeline_frame",
    "plan_timeline_statements",
    "plan_timeline_text",
    "plan_zones",
    "plans_frame",
    "regions",
    "report_of",
    "request_layers",
    "request_layers_with_population",
    "request_places",
    "request_population",
    "request_report",
    "snapshot_age",
    "snapshot_day",
    "statement_points",
    "sweep",
    "timeline",
    "timeline_text",
    "with_hromadas",
    "with_own_population",
    "write",
    "write_animation",
    "write_comparison_map",
    "write_control_comparison_map",
    "write_layers",
    "write_map",
    "write_map_frames",
    "write_plan_timeline",
    "write_plan_zones",
    "write_sweep",
    "write_timeline",
    "writing_in",
    "zone_statements",
]
