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
def plan28_layers():
    """The 28-point plan's layers on its own date (control: DeepState snapshot 2025-11-20)."""
    import datetime as dt

    from peacemap.layers.plans import load_plan
    from peacemap.layers.zones import plan_layers_for

    return plan_layers_for(load_plan("plan28"), dt.date(2025, 11, 20))


@pytest.fixture(scope="session")
def plan28_map_layers(plan28_layers):
    """plan28_layers simplified for drawing."""
    from peacemap.maps.prepare import prepare_map_layers

    return prepare_map_layers(plan28_layers)
