"""Animated HTML map of a plan over a range of dates: one frame per date, a slider to move
between them, play/pause and keyboard steps, and a readout of each frame's figures.

Frames share geometry. Coordinates are quantised to 1e-5° (as every HTML map packs them,
:mod:`peacemap.maps.packing`), and each zone (or line of contact) of a frame is written against
the same zone of the frame before: ``0`` when it did not change at all; otherwise, ring by ring,
runs of points copied from the zone before (``[start, count]``, an index into its points, all
rings in order) and the new points between them as encoded polyline strings that go on from the
point before. Zones are simplified as one coverage on each date (:mod:`peacemap.maps.prepare`),
which leaves the borders the line of contact did not touch unchanged to the metre, so only the
stretches where the line moved are written again.

Dates of the range without a DeepState snapshot are gaps: the slider marks them and shows no
zones on them; nothing is interpolated.

Untrusted text (the plan's title, source and provisions) is handled as in
:mod:`peacemap.maps.html`: escaped with ``esc``/``js_literal`` and carried only by elements that
render verbatim.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, cast

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Figure
from folium.template import Template

from peacemap.layers.i18n.catalogue import N_, count_text, gettext, ngettext
from peacemap.layers.i18n.dates import date_range_text, date_text
from peacemap.layers.i18n.language import ENGLISH, current_language
from peacemap.layers.i18n.names import region_label
from peacemap.layers.i18n.numbers import number_text, unit_text
from peacemap.layers.i18n.source_names import control_attribution_text
from peacemap.layers.report.contract import Headline
from peacemap.layers.report.format import km2_text, people_text
from peacemap.layers.report.measures import Measure, depth
from peacemap.layers.report.pieces import POPULATION_COLUMNS
from peacemap.layers.report.readings import plan_readings
from peacemap.layers.report.terms import measure_label, measure_name, status_text
from peacemap.maps import html, web
from peacemap.maps.facts import FACT_MEASURES, READINGS_IN_POPUPS, FactRow, Facts, citation, fact_rows, facts_html, readings_html, sources_text
from peacemap.maps.ids import content_id
from peacemap.maps.layout import title_box
from peacemap.maps.legend import LegendEntry, legend_entries
from peacemap.maps.packing import PRECISION, encode_scaled
from peacemap.maps.places import NO_2022_FIGURE
from peacemap.maps.prepare import MapLayers, changes_hands
from peacemap.maps.style import CONTACT_CASING, CONTACT_CASING_EXTRA, OUTLINE, OVERLAY_STYLES, contact_style, status_style

# A run of points shorter than this is cheaper written anew (a few characters a point) than as a
# copy ("[start,count]", up to a dozen characters).
MIN_COPY_RUN = 3
# Points compared at once when measuring a run: most candidate runs are long or end at once.
_RUN_PROBE = 64
FRAME_INTERVAL_MS = 700  # time each frame is shown while playing
# The readout in the title box of a map without a fact box (with one, the fact box gives the
# frame's key figures: peacemap.maps.facts.FACT_MEASURES); each named by its heading.
READOUT_MEASURES = (Measure.CEDED_DEMILITARISED, Measure.CEDED)

Rings = list[list[np.ndarray]]  # parts (polygons, or one line each) -> rings: (n, 2) int lat/lon, 1e-5°


@dataclass(frozen=True)
class FrameDrawing:
    """What one frame draws, on one snapshot date: its zones and lines of contact quantised, and
    its readout.

    Attributes
    ----------
    day
        The snapshot date.
    zones
        Zone key (region|control|status) -> polygons -> rings, (n, 2) integer arrays of lat, lon
        in 1e-5° (EPSG:4326).
    lines
        Line key (region|rule) -> lines, each as ``[array]`` (same units).
    zone_info, line_info
        Per key, what does not change with the geometry: status, region name, what the plan does
        to the land (``given_up``, ``returned`` or ""), and the line's rule.
    readout
        (measure key, text) pairs of the frame's key figures (:func:`peacemap.maps.facts.fact_rows`):
        km² and 1 January 2022 population as the report prints them.
    figures
        Per zone key, its figures on the frame's date for its popup: km² (geodesic, of the full
        resolution zone) and persons on 1 January 2022 with the band (None where there is no
        official figure).
    """

    day: dt.date
    zones: dict[str, Rings]
    lines: dict[str, Rings]
    zone_info: dict[str, dict[str, str]]
    line_info: dict[str, dict[str, str]]
    readout: list[tuple[str, str]]
    figures: dict[str, list[float | int | None]] = field(default_factory=dict)


def frame_drawing(map_layers: MapLayers, headline: Headline, day: dt.date) -> FrameDrawing:
    """The frame of ``day`` from simplified layers (EPSG:4326) and the report's headline of the
    full-resolution layers (km², persons). Zones that carry population columns (see
    :func:`peacemap.layers.report.figures.zones_with_population`) give them to their popups."""
    zones: dict[str, Rings] = {}
    zone_info: dict[str, dict[str, str]] = {}
    figures: dict[str, list[float | int | None]] = {}
    changes = changes_hands(map_layers.zones)
    for row, change in zip(map_layers.zones.itertuples(index=False), changes):
        if row.geometry.is_empty:
            continue
        key = _unique_key(f"{row.region}|{row.control}|{row.status}", zones)
        zones[key] = _quantised_rings(row.geometry)
        zone_info[key] = {"status": row.status, "region_name": row.region_name, "region": row.region, "control": row.control, "change": str(change)}
        figures[key] = [round(float(row.area_km2), 1), *(_persons(getattr(row, column, None)) for column in POPULATION_COLUMNS)]
    lines: dict[str, Rings] = {}
    line_info: dict[str, dict[str, str]] = {}
    for row in map_layers.contact_line.itertuples(index=False):
        key = _unique_key(f"{row.region}|{row.rule}", lines)
        lines[key] = _quantised_rings(row.geometry)
        line_info[key] = {"rule": row.rule, "region_name": row.region_name}
    return FrameDrawing(day=day, zones=zones, lines=lines, zone_info=zone_info, line_info=line_info, readout=readout_lines(headline), figures=figures)


def _persons(value: object) -> int | None:
    """A population figure as a whole number of persons, None where there is none."""
    return None if value is None or pd.isna(value) else int(round(float(value)))  # type: ignore[arg-type]


_FRAME_MAGIC = b"peacemap-frame-2\n"  # 2: with the zones' popup figures


def frame_to_bytes(frame: FrameDrawing) -> bytes:
    """``frame`` as bytes for the cache: a JSON header (keys, infos, readout, the zones' popup
    figures, the length of every ring), then every ring's whole numbers (little-endian int64, lat/lon in 1e-5°)."""
    lengths: dict[str, dict[str, list[list[int]]]] = {"zones": {}, "lines": {}}
    arrays = []
    for name, shapes in (("zones", frame.zones), ("lines", frame.lines)):
        for key, parts in shapes.items():
            lengths[name][key] = [[len(ring) for ring in part] for part in parts]
            arrays += [ring for part in parts for ring in part]
    header = json.dumps(
        {
            "day": frame.day.isoformat(),
            "lengths": lengths,
            "zone_info": frame.zone_info,
            "line_info": frame.line_info,
            "readout": frame.readout,
            "figures": frame.figures,
        }
    ).encode()  # in order: the map encodes them so
    coords = np.concatenate(arrays).astype("<i8") if arrays else np.zeros((0, 2), dtype="<i8")
    return _FRAME_MAGIC + len(header).to_bytes(8, "little") + header + coords.tobytes()


def frame_from_bytes(data: bytes) -> FrameDrawing:
    """The inverse of :func:`frame_to_bytes` (ValueError for bytes it did not write)."""
    if not data.startswith(_FRAME_MAGIC):
        raise ValueError("not a peacemap frame")
    at = len(_FRAME_MAGIC)
    size = int.from_bytes(data[at : at + 8], "little")
    header = json.loads(data[at + 8 : at + 8 + size])
    coords = np.frombuffer(data[at + 8 + size :], dtype="<i8").reshape(-1, 2).astype(np.int64)
    start = 0
    shapes: dict[str, dict[str, Rings]] = {"zones": {}, "lines": {}}
    for name in ("zones", "lines"):
        for key, parts in header["lengths"][name].items():
            shapes[name][key] = []
            for part in parts:
                rings = []
                for length in part:
                    rings.append(coords[start : start + length])
                    start += length
                shapes[name][key].append(rings)
    if start != len(coords):
        raise ValueError(f"a frame of {start} points holds {len(coords)}")
    return FrameDrawing(
        day=dt.date.fromisoformat(header["day"]),
        zones=shapes["zones"],
        lines=shapes["lines"],
        zone_info=header["zone_info"],
        line_info=header["line_info"],
        readout=[(label, text) for label, text in header["readout"]],
        figures=header["figures"],
    )


def readout_lines(headline: Headline) -> list[tuple[str, str]]:
    """(measure key, "km², people on 1 January 2022: population (band)") of the fact box's key
    figures (:func:`peacemap.maps.facts.fact_rows`; the land given up beyond the line, and the
    demilitarised zone where there is one, among them), formatted as ``peacemap report`` prints them."""
    return [(str(row.measure), row.value) for row in fact_rows(cast(dict[str, Any], headline))]


def no_land() -> str:
    """The readout of a measure without land on a frame (``0 km², people on 1 January 2022: 0``)."""
    return FactRow(Measure.CEDED_DEMILITARISED, km2_text(0.0), people_text({"population_2022": 0, "population_2022_low": 0, "population_2022_high": 0})).value


def animation_js() -> str:
    """:data:`ANIMATION_JS` with its words, figures and dates in the language being written
    (English gives :data:`ANIMATION_JS` itself): each English fragment of the script replaced by
    the catalogue's text as a JavaScript literal."""
    if current_language() == ENGLISH:
        return ANIMATION_JS
    area_before, area_after = gettext("Area: %(area)s").split("%(area)s")
    people_before, people_after = gettext("Population (1 January 2022): %(population)s").split("%(population)s")
    range_before, range_rest = gettext("range %(low)s–%(high)s").split("%(low)s")
    range_middle, range_after = range_rest.split("%(high)s")
    km2 = unit_text(0, "km2").removeprefix("0")
    fragments = {
        'toLocaleString("en")': f"toLocaleString({html.js_literal(current_language())})",
        '"Area: " + number(figures[0]) + " km²"': f"{html.js_literal(area_before)} + number(figures[0]) + {html.js_literal(km2 + area_after)}",
        '"Population (1 January 2022): " + (': f"{html.js_literal(people_before)} + (",
        '" (range " + number(figures[2]) + "–" + number(figures[3]) + ")")));': (
            f"{html.js_literal(' (' + range_before)} + number(figures[2]) + {html.js_literal(range_middle)} + number(figures[3]) + "
            f"{html.js_literal(range_after + ')')})) + {html.js_literal(people_after)});"
        ),
        'frame.d + (frame.gap ? " (no snapshot)" : "")': "data.dates[index] + (frame.gap ? " + html.js_literal(" (" + gettext("no snapshot") + ")") + ' : "")',
        '"Play"': html.js_literal(gettext("Play")),
        '"Pause"': html.js_literal(gettext("Pause")),
    }
    script = ANIMATION_JS
    for english, local in fragments.items():
        if english not in script:
            raise ValueError(f"the animation's script has no fragment {english!r} to translate; update animation_js")
        script = script.replace(english, local)
    return script


def _unique_key(key: str, taken: dict) -> str:
    """``key``, or ``key#2``, ``key#3``… when a zone with that key is already in the frame."""
    candidate, count = key, 1
    while candidate in taken:
        count += 1
        candidate = f"{key}#{count}"
    return candidate


def _quantised_rings(geometry: shapely.Geometry) -> Rings:
    """Polygons as lists of rings (exterior first), lines as one-ring lists: lat/lon in 1e-5°."""
    scale = 10**PRECISION
    parts = []
    for part in shapely.get_parts(geometry):
        if part.is_empty:
            continue
        rings = (part.exterior, *part.interiors) if part.geom_type == "Polygon" else (part,)
        parts.append([np.round(np.asarray(ring.coords)[:, [1, 0]] * scale).astype(np.int64) for ring in rings])
    return parts


# --------------------------------------------------------------------------------------------
# Encoding: each frame against the one before


class ShapeEncoder:
    """Writes each key's shape against the same key's shape in the last frame given (see the
    module docstring); keys are zones or lines."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[np.ndarray, tuple[tuple[int, ...], ...]]] = {}

    def encode(self, shapes: dict[str, Rings]) -> dict[str, Any]:
        """``{key: 0 | parts}`` for the frame's shapes, keys sorted; remembers them for the next."""
        encoded: dict[str, Any] = {}
        for key in sorted(shapes):
            points, layout = _flattened(shapes[key])
            last = self._last.get(key)
            if last is not None and last[1] == layout and np.array_equal(last[0], points):
                encoded[key] = 0
            else:
                encoded[key] = _encoded_parts(shapes[key], last[0] if last is not None else None)
            self._last[key] = (points, layout)
        for key in [k for k in self._last if k not in shapes]:
            del self._last[key]  # a zone that comes back later is written whole
        return encoded


def _flattened(parts: Rings) -> tuple[np.ndarray, tuple[tuple[int, ...], ...]]:
    """All points of ``parts`` in order, and the length of each ring of each part."""
    rings = [ring for part in parts for ring in part]
    points = np.concatenate(rings) if rings else np.zeros((0, 2), dtype=np.int64)
    return points, tuple(tuple(len(ring) for ring in part) for part in parts)


def _encoded_parts(parts: Rings, reference: np.ndarray | None) -> list[list[list]]:
    index = _point_index(reference) if reference is not None else {}
    return [[ring_ops(ring, reference, index) for ring in part] for part in parts]


def _point_index(points: np.ndarray) -> dict[tuple[int, int], int]:
    """Each point of ``points`` -> its first position."""
    index: dict[tuple[int, int], int] = {}
    for position, point in enumerate(map(tuple, points.tolist())):
        index.setdefault(point, position)
    return index


def ring_ops(ring: np.ndarray, reference: np.ndarray | None, index: dict[tuple[int, int], int] | None = None) -> list:
    """``ring`` (n, 2 ints) as copies of runs of ``reference``'s points (``[start, count]``) and
    polyline strings of new points, each going on from the point before (the ring's first from 0, 0).

    ``index`` maps each point of ``reference`` to its first position (built when not given).
    """
    if reference is not None and index is None:
        index = _point_index(reference)
    ops: list = []
    last = (0, 0)
    fresh_from, i, n = 0, 0, len(ring)
    while i < n:
        start = index.get((int(ring[i, 0]), int(ring[i, 1]))) if index else None
        run = _run_length(ring, i, reference, start) if start is not None and reference is not None else 0
        if run < MIN_COPY_RUN:
            i += 1
            continue
        if fresh_from < i:
            ops.append(encode_scaled(ring[fresh_from:i], start=last))
        ops.append([start, run])
        i += run
        fresh_from = i
        last = (int(ring[i - 1, 0]), int(ring[i - 1, 1]))
    if fresh_from < n:
        ops.append(encode_scaled(ring[fresh_from:n], start=last))
    return ops


def _run_length(ring: np.ndarray, i: int, reference: np.ndarray, j: int) -> int:
    """How many points of ``ring`` from ``i`` equal those of ``reference`` from ``j``."""
    limit = min(len(ring) - i, len(reference) - j)
    probe = min(limit, _RUN_PROBE)
    same = np.all(ring[i : i + probe] == reference[j : j + probe], axis=1)
    if not same.all():
        return int(np.argmin(same))
    if probe == limit:
        return limit
    same = np.all(ring[i : i + limit] == reference[j : j + limit], axis=1)
    return limit if same.all() else int(np.argmin(same))


# --------------------------------------------------------------------------------------------
# The frames of an animation, in order


@dataclass
class Animation:
    """The frames of a plan's animated map, encoded in order (:meth:`add`, :meth:`add_gap`).

    ``first`` is the first frame's simplified layers: the plan, its title and sources, the
    region names and the context drawn under every frame.
    """

    first: MapLayers
    every_days: int
    frames: list[dict[str, Any]] = field(default_factory=list)
    zone_info: dict[str, dict[str, str]] = field(default_factory=dict)
    line_info: dict[str, dict[str, str]] = field(default_factory=dict)
    _zones: ShapeEncoder = field(default_factory=ShapeEncoder)
    _lines: ShapeEncoder = field(default_factory=ShapeEncoder)
    _figures: dict[str, list] = field(default_factory=dict)

    def add(self, frame: FrameDrawing) -> None:
        """Append the frame of a snapshot date, written against the last frame drawn; a zone's
        figures are written when they differ from the last frame's ("f")."""
        for key, info in frame.zone_info.items():
            self.zone_info.setdefault(key, info)
        for key, info in frame.line_info.items():
            self.line_info.setdefault(key, info)
        changed = {key: figures for key, figures in sorted(frame.figures.items()) if self._figures.get(key) != figures}
        self._figures = dict(frame.figures)
        self.frames.append(
            {
                "d": frame.day.isoformat(),
                "z": self._zones.encode(frame.zones),
                "l": self._lines.encode(frame.lines),
                "r": [list(pair) for pair in frame.readout],
                "f": changed,
            }
        )

    def add_gap(self, day: dt.date) -> None:
        """Append a date without a snapshot: shown as a gap, nothing drawn."""
        self.frames.append({"d": day.isoformat(), "gap": 1})

    @property
    def days(self) -> list[str]:
        """Every frame's date (YYYY-MM-DD), gaps included."""
        return [frame["d"] for frame in self.frames]

    @property
    def gaps(self) -> list[str]:
        """The dates without a snapshot."""
        return [frame["d"] for frame in self.frames if frame.get("gap")]


def animation_map(animation: Animation, *, self_contained: bool = True, tiles: bool = True, facts: bool = True) -> folium.Map:
    """A folium map playing ``animation``'s frames (see the module docstring); its bounds are the
    first frame's land the plan changes. With ``facts``, a fact box gives each frame's key figures
    (:mod:`peacemap.maps.facts`); without, a readout in the title box gives the demilitarised
    zone's and the land given up beyond the line."""
    if not animation.frames or len(animation.gaps) == len(animation.frames):
        raise ValueError("'animation' should hold at least one frame with a snapshot, got none")
    first = animation.first
    data = _player_data(animation, facts=facts)
    data_js = html.js_literal(data)
    salt = content_id(html.map_identity(first), str(animation.every_days), data_js, str(facts))
    bounds = html.focus_bounds(first.zones)
    fmap = html.base_map(bounds, first.context, salt=salt, self_contained=self_contained, tiles=tiles)
    html.add_name_layers(fmap, first)
    html.HtmlBlock(_player_html(animation, readout=not facts)).add_to(fmap)
    box = animation_facts(animation)
    html.HtmlBlock(html.legend_html(_legend(animation), fmap.get_name(), caveat=None if facts else box.caveat(READINGS_IN_POPUPS))).add_to(fmap)
    if facts:
        html.HtmlBlock(
            facts_html([box], rows_html="").replace(
                '<div class="peacemap-fact-rows">', '<div class="peacemap-fact-rows peacemap-readout" aria-live="polite">', 1
            )
        ).add_to(fmap)
    cast(Figure, fmap.get_root()).header.add_child(
        html.raw_element(f"<script>{animation_js()}</script><style>{ANIMATION_CSS}</style>"), name="peacemap_animation"
    )
    AnimationPlayer(data_js, _attribution(animation)).add_to(fmap)
    return html.finish_map(fmap, bounds, salt)


class AnimationPlayer(html.VerbatimMacroElement):
    """Starts the player on the map it is added to: frames, zones' styles, attribution."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            peacemapAnimation({{ this._parent.get_name() }}, {{ this.data_js }}, {{ this.attribution_js }});
        {% endmacro %}
        """
    )

    def __init__(self, data_js: str, attribution_html: str):
        super().__init__()
        self._name = "AnimationPlayer"
        self.data_js = data_js
        self.attribution_js = html.js_literal(attribution_html)


def animation_facts(animation: Animation) -> Facts:
    """The fact box of the animated map, without its rows (each frame writes its own): the range of
    snapshots and the population, the plan's readings and the citation."""
    plan, control = animation.first.layers.plan, animation.first.layers.control
    days = animation.days
    snapshots = {
        "name": f"{snapshots_text(days[0], days[-1])}, {every_text(animation.every_days)}",
        "attribution": control_attribution_text(control.attribution),
    }
    variant = "+".join([plan.id, *plan.enabled_options])
    return Facts(
        heading=gettext("Key figures on the frame's line"),
        name=f"{variant}: {plan.title_text()}",
        rows=(),
        sources=sources_text(snapshots),
        age="",
        readings=tuple(plan_readings(plan)),
        citation=citation(variant, plan.source_line(), snapshots),
    )


def snapshots_text(first: str, last: str) -> str:
    """``DeepState snapshots 2024-07-08 to 2026-08-22`` (ISO dates), in the language being written."""
    return gettext("DeepState snapshots %(dates)s") % {"dates": date_range_text(dt.date.fromisoformat(first), dt.date.fromisoformat(last))}


def every_text(days: int) -> str:
    """``every day``, ``every 7 days``: the step between frames."""
    return ngettext("every %(count)s day", "every %(count)s days", days) % {"count": days} if days != 1 else gettext("every day")


def _player_data(animation: Animation, *, facts: bool) -> dict[str, Any]:
    """What the page's script reads: frames, per zone and line key its styles and tooltip, and
    the labels of the readout's rows (every key figure with ``facts``, else the readout's)."""
    zones = {}
    for key, info in sorted(animation.zone_info.items()):
        style = status_style(info["status"])
        entry: dict[str, Any] = {
            "style": {
                "color": OUTLINE.colour,
                "weight": OUTLINE.width,
                "fillColor": style.fill,
                "fillOpacity": style.fill_opacity,
                "className": f"peacemap-status-{info['status']}",
            },
            "tooltip": html.zone_tooltip(SimpleNamespace(region=info.get("region", ""), region_name=info["region_name"], status=info["status"])),
            "popup": _popup_head(info),
            "region": info.get("region", ""),
        }
        if info["change"]:
            overlay = OVERLAY_STYLES[info["change"]]
            entry["overlay"] = {
                "color": overlay.colour,
                "weight": overlay.outline_width,
                "dashArray": overlay.outline_dash,
                "opacity": 1.0,
                "fill": bool(overlay.hatch),
                "fillOpacity": 1.0,
                "interactive": False,
                "className": f"peacemap-change-{info['change']}",
            }
            entry["casing"] = {"color": overlay.casing, "weight": overlay.outline_width + html.OVERLAY_CASING_EXTRA, "fill": False, "interactive": False}
        zones[key] = entry
    lines = {}
    for key, info in sorted(animation.line_info.items()):
        line = contact_style(info["rule"])
        lines[key] = {
            "style": {"color": line.colour, "weight": line.width, "dashArray": line.dash, "fill": False, "opacity": 1.0},
            "casing": {"color": CONTACT_CASING, "weight": line.width + CONTACT_CASING_EXTRA, "fill": False, "interactive": False},
            "tooltip": (
                "<b>" + html.esc(gettext("Line of contact")) + f"</b>, {html.esc(region_label(info.get('region', ''), info['region_name']))}: "
                f"{html.esc(gettext(line.label))}"
            ),
        }
    plan = animation.first.layers.plan
    labels = {str(m): [measure_label(m), depth(m)] for m in FACT_MEASURES} if facts else {str(m): [measure_name(m), 0] for m in READOUT_MEASURES}
    data = {
        "frames": animation.frames,
        "zones": zones,
        "lines": lines,
        "interval": FRAME_INTERVAL_MS,
        "panes": {"zones": html.ZONES_PANE, "lines": html.LINES_PANE},
        "popupFoot": (f"{readings_html(plan_readings(plan))}<small>{html.esc(plan.title_text())}; {gettext(FRAME_CONTROL)}</small>"),
        "noFigure": html.esc(gettext("no official figure (%(reason)s)") % {"reason": gettext(NO_2022_FIGURE).split(": ", 1)[1]}),
        # Rows in the order of the labels; a readout measure a frame has no land for reads as none.
        "labels": labels,
        "always": [] if facts else list(labels),
        "noLand": no_land(),
        "gap": [gettext("No DeepState snapshot on this date"), gettext("a gap: nothing is drawn, nothing interpolated")],
    }
    if current_language() != ENGLISH:  # the dates as the language writes them (English shows the ISO dates of the frames)
        data["dates"] = [date_text(dt.date.fromisoformat(day)) for day in animation.days]
    return data


FRAME_CONTROL = N_("control: DeepState snapshot of the frame's date")
# A zone's control on the frame's date, as its popup says it.
FRAME_LAND = {"held": N_("land held by Ukraine on the frame's date"), "occupied": N_("land occupied on the frame's date")}


def _popup_head(info: dict[str, str]) -> str:
    """The lines of a zone's popup that do not change between frames (escaped HTML)."""
    control = info.get("control", "")
    # The catalogue's words as they are (an apostrophe stays one), the data escaped.
    land = gettext(FRAME_LAND[control]) if control in FRAME_LAND else f"land {html.esc(control)} on the frame's date"
    return (
        f"<b>{html.esc(region_label(info.get('region', ''), info['region_name']))}</b> ({html.esc(info.get('region', ''))}), "
        f"{land}<br><b>{html.esc(status_text(info['status']))}</b>"
    )


def _legend(animation: Animation) -> list[LegendEntry]:
    """The legend of every status, change and line rule any frame shows, the changes labelled "on
    the frame's date"."""
    infos = animation.zone_info.values()
    return legend_entries(
        {info["status"] for info in infos},
        {info["change"] for info in infos},
        {info["rule"] for info in animation.line_info.values()},
        day=None,
        on=gettext("on the frame's date"),
    )


def _player_html(animation: Animation, *, readout: bool) -> str:
    """The title box: title, the range, the slider with its gaps marked, play/pause, and the
    readout if ``readout`` (a map without a fact box)."""
    plan = animation.first.layers.plan
    days = animation.days
    last = max(len(days) - 1, 1)
    gaps = set(animation.gaps)
    marks = "".join(
        f'<i class="peacemap-gap-mark" style="left:{100 * i / last:.3f}%" title="{html.esc(_no_snapshot(day))}"></i>'
        for i, day in enumerate(days)
        if day in gaps
    )
    play, date_label = html.esc(gettext("Play")), html.esc(gettext("Date of the frame"))
    controls = (
        f'<div class="peacemap-controls"><button type="button" class="peacemap-play" aria-label="{play}">&#9654;</button>'
        f'<div class="peacemap-track"><input type="range" class="peacemap-slider" min="0" max="{len(days) - 1}" step="1" value="0"'
        f' aria-label="{date_label}">{marks}</div><output class="peacemap-date"></output></div>'
        + ('<div class="peacemap-readout" aria-live="polite"></div>' if readout else "")
    )
    counts = gettext("%(dates)s, %(gaps)s without a snapshot") % {
        "dates": count_text(len(days), "%(count)s date", "%(count)s dates"),
        "gaps": number_text(len(animation.gaps)),
    }
    line = gettext("Line of contact and control: %(control)s") % {
        "control": f"{html.esc(snapshots_text(days[0], days[-1]))}, {html.esc(every_text(animation.every_days))} ({counts})"
    }
    title = gettext("%(title)s (%(date)s): territorial provisions over time") % {
        "title": f"<b>{html.esc(plan.title_text())}</b>",
        "date": html.esc(date_text(plan.date)),
    }
    return title_box(title, [line], extra=controls, classes="peacemap-player")


def _no_snapshot(day: str) -> str:
    """``2025-10-15: no snapshot`` (an ISO date)."""
    return gettext("%(date)s: no snapshot") % {"date": date_text(dt.date.fromisoformat(day))}


def _attribution(animation: Animation) -> str:
    """Sources of the plan, of every frame's line of contact and of the population, escaped HTML."""
    first = animation.first
    days = animation.days
    control = dataclasses.replace(first.layers.control, label=snapshots_text(days[0], days[-1]))
    layers = dataclasses.replace(first, layers=dataclasses.replace(first.layers, control=control))
    return html.attribution_html(layers)


ANIMATION_JS = web.script("animation.js")

ANIMATION_CSS = web.style("animation.css")
