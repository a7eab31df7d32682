"""Shared fixtures: the real data, read once per test session through the registry."""

from __future__ import annotations

import pytest
from click.testing import CliRunner


@pytest.fixture(scope="session")
def regions():
    """Region land polygons built from the real sources (geoBoundaries, Natural Earth, DeepState)."""
    from peacemap.layers.regions import load_regions

    return load_regions()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def plan28_layers(regions):
    """The 28-point plan's layers on 2025-11-20 (the day it was handed to Kyiv), DeepState control."""
    import datetime as dt

    from peacemap.layers.control import deepstate_control
    from peacemap.layers.plans import load_plan
    from peacemap.layers.zones import build_plan_layers

    return build_plan_layers(load_plan("plan28"), deepstate_control(dt.date(2025, 11, 20)), regions=regions)


@pytest.fixture(scope="session")
def plan28_report(plan28_layers):
    """The report of the 28-point plan on 2025-11-20, with the real population model."""
    from peacemap.layers.population import zone_population
    from peacemap.layers.report import build_report

    return build_report(plan28_layers, zone_population)


@pytest.fixture(scope="session")
def plan28_map_layers(plan28_layers):
    """plan28_layers simplified for drawing."""
    from peacemap.maps.prepare import prepare_map_layers

    return prepare_map_layers(plan28_layers)
