"""The steps behind `peacemap build` and `peacemap report`: layers → population → report → files."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from peacemap.layers.control.resolve import layers_for_request
from peacemap.layers.errors import PeacemapError
from peacemap.layers.report.export import write_layers
from peacemap.layers.report.figures import build_report, zones_with_population
from peacemap.layers.report.render import report_csv, report_json, report_markdown
from peacemap.layers.plans.apply import PlanLayers

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlanReport:
    """A plan's layers and the report built from them."""

    layers: PlanLayers
    report: dict


def plan_report(layers: PlanLayers) -> PlanReport:
    """The report of the plan's layers, with 2022 population."""
    from peacemap.layers.population.model import zone_population

    logger.info("estimating 2022 population by region and status")
    return PlanReport(layers=layers, report=build_report(layers, zone_population))


def write_outputs(out_dir: Path, writers: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Write every output into a temporary folder beside ``out_dir``, then move them in.

    ``writers`` maps a file name to a function writing that file at the given path. If any
    writer fails (or the user interrupts), nothing is moved and the temporary folder is
    removed, so ``out_dir`` never holds a partial set of files.
    """
    out_dir = Path(out_dir)
    try:
        ensure_output_dir(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.part-", dir=out_dir.parent))
    except OSError as error:
        raise PeacemapError(f"cannot write to output folder {out_dir}: {error.strerror or error}; choose another with --out") from error
    try:
        for name, write in writers.items():
            logger.info("writing %s", name)
            write(staging / name)
        moved = []
        for name in writers:
            os.replace(staging / name, out_dir / name)
            moved.append(out_dir / name)
        return moved
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def ensure_output_dir(out_dir: Path) -> None:
    """Create ``out_dir`` if needed; PeacemapError if it cannot be written (checked before any work)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PeacemapError(f"cannot write to output folder {out_dir}: {error.strerror or error}; choose another with --out") from error
    if not os.access(out_dir, os.W_OK):
        raise PeacemapError(f"cannot write to output folder {out_dir}: permission denied; choose another with --out")


def map_layers_with_population(layers: PlanLayers):  # noqa: ANN201 - maps.prepare.MapLayers
    """The plan's layers simplified for drawing, zones carrying their 2022 population (for popups)."""
    from peacemap.layers.population.model import zone_population
    from peacemap.maps.prepare import prepare_map_layers

    logger.info("estimating 2022 population of %d zones", len(layers.zones))
    return prepare_map_layers(replace(layers, zones=zones_with_population(layers.zones, zone_population)))


def build_outputs(plan_ref, date, option_ids, control_file, out_dir: Path) -> tuple[PlanReport, list[Path]]:  # noqa: ANN001
    """Everything `peacemap build` writes, into ``out_dir`` (see :func:`write_outputs`)."""
    ensure_output_dir(Path(out_dir))
    from peacemap.maps.html import build_html_map
    from peacemap.maps.static import static_map

    result = plan_report(layers_for_request(plan_ref, date, tuple(option_ids), control_file))
    map_layers = map_layers_with_population(result.layers)
    writers: dict[str, Callable[[Path], None]] = {
        "map.html": lambda path: build_html_map(map_layers, self_contained=True).save(str(path)),
        "map.png": lambda path: _save_png(static_map(map_layers), path),
        "report.md": lambda path: path.write_text(report_markdown(result.report), encoding="utf-8"),
        "report.json": lambda path: path.write_text(report_json(result.report), encoding="utf-8"),
        "report.csv": lambda path: path.write_text(report_csv(result.report), encoding="utf-8"),
        "layers.gpkg": lambda path: write_layers(result.layers, path),
    }
    return result, write_outputs(out_dir, writers)


def headline_lines(report: dict) -> list[str]:
    """A few lines for the terminal: the plan, the date and the headline figures."""
    def people(figures: dict) -> str:
        if not figures["population_2022"] and figures["population_excludes"]:
            return "population n/a"
        return f"{figures['population_2022']:,} people in 2022 ({figures['population_2022_low']:,}-{figures['population_2022_high']:,})"

    headline = report["headline"]
    return [
        f"{report['plan_title']} on {report['control_snapshot']}:",
        f"  given up beyond the line of contact: {headline['ceded_beyond_line']['area_km2']:,.0f} km², {people(headline['ceded_beyond_line'])}",
        f"    of which demilitarised zone:       {headline['dmz']['area_km2']:,.0f} km², {people(headline['dmz'])}",
        f"  returned to Ukraine:                 {headline['returned']['area_km2']:,.0f} km², {people(headline['returned'])}",
        f"  frozen, Russian side:                {headline['frozen_russian']['area_km2']:,.0f} km²",
        f"  frozen, Ukrainian side:              {headline['frozen_ukrainian']['area_km2']:,.0f} km²",
    ]


def _save_png(figure, path: Path) -> None:  # noqa: ANN001 - matplotlib Figure
    figure.savefig(path, format="png", dpi=200, facecolor="white")
