"""The steps behind `peacemap build` and `peacemap report`: layers → population → report → files."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from peacemap.layers.errors import PeacemapError
from peacemap.layers.report import build_report, zones_with_population
from peacemap.layers.zones import PlanLayers

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlanReport:
    """A plan's layers, its zones with 2022 population, and the report built from them."""

    layers: PlanLayers
    zones: gpd.GeoDataFrame
    report: dict


def plan_report(layers: PlanLayers) -> PlanReport:
    """Add 2022 population to the plan's zones and build the report."""
    from peacemap.layers.population import zone_population

    logger.info("estimating 2022 population of %d zones", len(layers.zones))
    zones = zones_with_population(layers.zones, zone_population)
    return PlanReport(layers=layers, zones=zones, report=build_report(layers, zone_population))


def write_outputs(out_dir: Path, writers: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Write every output into a temporary folder beside ``out_dir``, then move them in.

    ``writers`` maps a file name to a function writing that file at the given path. If any
    writer fails (or the user interrupts), nothing is moved and the temporary folder is
    removed, so ``out_dir`` never holds a partial set of files.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.part-", dir=out_dir.parent))
    except OSError as error:
        raise PeacemapError(f"cannot write to output folder {out_dir}: {error.strerror or error}; choose another with --out") from error
    try:
        for name, write in writers.items():
            logger.info("writing %s", name)
            write(staging / name)
        if not os.access(out_dir, os.W_OK):
            raise PeacemapError(f"cannot write to output folder {out_dir}: permission denied; choose another with --out")
        moved = []
        for name in writers:
            os.replace(staging / name, out_dir / name)
            moved.append(out_dir / name)
        return moved
    finally:
        shutil.rmtree(staging, ignore_errors=True)
