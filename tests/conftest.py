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
