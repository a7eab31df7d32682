"""The plan timeline on grid cells gives, day after day, the report's headline to the km² and the person.

Days are a fixed random sample of the real DeepState snapshots (runs of consecutive days, so
that the cells are reused from one day to the next as in a timeline); each is compared with the
report's own headline (:func:`peacemap.layers.report.figures.plan_headline`) on every measure:
km², people and band, and the regions without a 2022 figure.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from peacemap.geo import grid_projection
from peacemap.geo.projections import to_metric
from peacemap.layers.plans.apply import build_plan_layers
from peacemap.layers.plans.model import load_plan, load_plan_variant
from peacemap.layers.population.model import zone_population
from peacemap.layers.report.figures import plan_headline
from peacemap.layers.sources import registry
from peacemap.layers.sources.deepstate import deepstate_control, read_snapshot
from peacemap.layers.timeline import plan as plan_timeline
from peacemap.layers.timeline.plan_cells import AmbiguousDay, cells_can_measure, headline_figures

SEED = 31  # the issue's number: a fixed sample, the same on every run
RUNS, RUN_LENGTH = 3, 3  # three runs of three consecutive snapshots


def sampled_runs(seed: int = SEED) -> list[list[dt.date]]:
    """Runs of consecutive snapshot dates starting at random points of the catalogue."""
    dates = registry.deepstate_dates()
    starts = sorted(random.Random(seed).sample(range(len(dates) - RUN_LENGTH), RUNS))
    return [dates[start : start + RUN_LENGTH] for start in starts]


def report_headline(plan, day: dt.date) -> dict:
    return dict(plan_headline(build_plan_layers(plan, deepstate_control(day)), zone_population))


@pytest.mark.parametrize("plan_ref", ["plan28", "plan28+21c-none+21d-de-facto", "plan20"])
def test_every_measure_on_sampled_days_equals_the_report(plan_ref):
    plan = load_plan_variant(plan_ref)
    assert cells_can_measure(plan)
    compared, ambiguous = 0, []
    for run in sampled_runs():
        cells = plan_timeline._cells_state(plan)  # a fresh start for each run, then day after day
        for day in run:
            try:
                fast = headline_figures(cells.pieces(read_snapshot(day)), plan_timeline.PLAN_MEASURES)
            except AmbiguousDay as reason:
                ambiguous.append((day, str(reason)))
                continue
            finally:
                cells.forget_dead_atoms()
            expected = report_headline(plan, day)
            for measure, figures in expected.items():
                assert fast[measure] == figures, (day, measure)
            compared += 1
    # A day near a rounding boundary is measured the slow way; most are not.
    assert compared >= RUNS * RUN_LENGTH - 2, ambiguous


def test_measure_plan_equals_the_slow_path_including_days_it_hands_over(monkeypatch):
    """measure_plan on cells, with one day forced the slow way, gives the slow path's rows."""
    plan = load_plan("plan28")
    days = sampled_runs(seed=SEED + 1)[0]
    forced = days[1]
    original = plan_timeline.PlanCells.pieces

    def pieces(self, polygon):
        if polygon.equals_exact(read_snapshot(forced), 0):
            raise AmbiguousDay("forced by the test")
        return original(self, polygon)

    monkeypatch.setattr(plan_timeline.PlanCells, "pieces", pieces)
    fast = plan_timeline.measure_plan(plan, days, workers=1)
    slow = plan_timeline.measure_plan(plan, days, workers=1, slow=True)
    assert fast == slow


def test_a_plan_with_option_zones_is_measured_the_slow_way():
    assert not cells_can_measure(load_plan_variant("plan20+donetsk-zone"))
    assert cells_can_measure(load_plan("freeze"))


# --- the projection of pieces cut on the grid (geo.grid_projection) -----------------------------


def test_pieces_cut_on_the_grid_project_to_the_projected_polygon():
    """A long edge cut on grid lines, its crossings moved onto the projected chord: the pieces'
    projected areas add up to the polygon's projected area, as without the move they do not."""
    polygon = Polygon([(30.02, 48.03), (31.71, 48.97), (31.71, 48.03)])  # a 1.9° diagonal edge
    cell_deg = 0.25
    pieces = [shapely.intersection(polygon, box(x, 47.75, x + cell_deg, 49.25)) for x in np.arange(30.0, 31.75, cell_deg)]
    pieces = [p for p in pieces if not p.is_empty]
    starts, ends = grid_projection.segments(polygon)

    def projected(piece: Polygon, move: bool) -> Polygon:
        coords = shapely.get_coordinates(piece)
        metric = shapely.get_coordinates(to_metric(piece))
        for row in np.flatnonzero(grid_projection.on_grid(coords, cell_deg)) if move else []:
            edge = grid_projection.edge_through(coords[row], starts, ends)
            a, b = starts[edge], ends[edge]
            a_m, b_m = (shapely.get_coordinates(to_metric(shapely.points(p)))[0] for p in (a, b))
            t = np.dot(coords[row] - a, b - a) / np.dot(b - a, b - a)
            metric[row] = grid_projection.chord_point(a_m, b_m, t, 0.0, 1.0)
        return grid_projection.with_coordinates(to_metric(piece), metric)

    whole_m2 = shapely.area(to_metric(polygon))
    moved = sum(shapely.area(projected(p, True)) for p in pieces)
    unmoved = sum(shapely.area(projected(p, False)) for p in pieces)
    assert abs(moved - whole_m2) < 1e-3 * len(pieces)  # float noise only (m²)
    assert abs(unmoved - whole_m2) > 100.0  # the curved image of the edge is off by much more


def test_crossings_and_chords():
    start, end = np.array([0.0, 0.0]), np.array([1.0, 0.0])
    starts, ends = np.array([[0.25, -1.0], [0.75, -1.0], [2.0, -1.0]]), np.array([[0.25, 1.0], [0.75, 1.0], [2.0, 1.0]])
    cuts = grid_projection.crossings(start, end, starts, ends)
    np.testing.assert_allclose(cuts, [0.25, 0.75])
    assert grid_projection.chord_parameters(0.5, cuts) == (0.25, 0.75)
    assert grid_projection.chord_parameters(0.1, cuts) == (0.0, 0.25)
    assert grid_projection.edge_through(np.array([0.5, 0.0]), start[None], end[None]) == 0
    assert grid_projection.edge_through(np.array([0.5, 1e-6]), start[None], end[None]) == -1
    assert grid_projection.edge_through(np.array([1.0, 0.0]), start[None], end[None]) == -1  # an end is not inside


def test_people_by_an_enclave_on_the_border_equal_the_report_issue_31():
    """Regression (issue 31's whole-series bench): on 2025-04-04 the land plan28 returns held one
    person fewer on cells than in the report, because where the line met Kharkiv's border inside
    the occupied zone (an enclave by the border) the projected parts did not follow the border."""
    plan = load_plan("plan28")
    cells = plan_timeline._cells_state(plan)
    day = dt.date(2025, 4, 4)
    pieces = cells.pieces(read_snapshot(day))
    fast = headline_figures(pieces, plan_timeline.PLAN_MEASURES)
    assert fast["returned"] == report_headline(plan, day)["returned"]
