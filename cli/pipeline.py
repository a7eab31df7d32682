"""The steps behind `peacemap build` and `peacemap report`: layers → population → report → files."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from peacemap.layers import interrupts
from peacemap.layers.control.resolve import layers_for_request
from peacemap.layers.errors import PeacemapError
from peacemap.layers.report.export import write_layers
from peacemap.layers.report.figures import build_report, zones_with_population
from peacemap.layers.report.render import report_csv, report_json, report_markdown
from peacemap.layers.writing import OutputError, os_reason, run_writer
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


STAGING_PREFIX = ".peacemap-staging-"


def write_outputs(out_dir: Path, writers: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Write every output into a temporary folder inside ``out_dir``, then move them out of it.

    ``writers`` maps a file name to a function writing that file at the given path. The
    temporary folder sits inside ``out_dir`` so that moving the files is a rename on one
    filesystem, even when ``out_dir`` is a mount point (a container volume). If any writer fails
    (or the user interrupts), nothing is moved and the temporary folder is removed, so
    ``out_dir`` never holds a partial set of files. A failure to write (disk full, ...) is an
    :class:`~peacemap.layers.writing.OutputError` naming the file in ``out_dir``.
    """
    out_dir = Path(out_dir)
    ensure_output_dir(out_dir)
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    except OSError as error:
        raise _folder_error(out_dir, error) from error
    try:
        for name, write in writers.items():
            logger.info("writing %s", name)
            run_writer(write, staging / name, shown_as=out_dir / name)
        with interrupts.deferred(outputs_kept=True):  # all the files or none
            moved = [_move(staging / name, out_dir / name) for name in writers]
            shutil.rmtree(staging, ignore_errors=True)
        return moved
    except BaseException:
        with interrupts.deferred():  # a second Ctrl-C must not leave the folder half-removed
            shutil.rmtree(staging, ignore_errors=True)
        raise


def _move(source: Path, target: Path) -> Path:
    try:
        os.replace(source, target)
    except OSError as error:
        raise OutputError(target, os_reason(error)) from error
    return target


def ensure_output_dir(out_dir: Path) -> list[Path]:
    """Create ``out_dir`` (and missing parents) and check that files can be made in it.

    Called before any work, so that a folder that cannot be written is refused at once.
    Returns the folders it created, outermost first (see :func:`output_dir`). Raises
    PeacemapError naming ``out_dir`` and the reason.
    """
    out_dir = Path(out_dir)
    missing = [folder for folder in (out_dir, *out_dir.parents) if not folder.exists()][::-1]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        # Make a file for real: os.access() can say yes where creating fails (root squashed on
        # NFS, immutable folders, SELinux).
        with tempfile.TemporaryFile(prefix=STAGING_PREFIX, dir=out_dir):
            pass
    except OSError as error:
        raise _folder_error(out_dir, error) from error
    return missing


@contextmanager
def output_dir(out_dir: Path) -> Iterator[Path]:
    """Create and check ``out_dir`` (:func:`ensure_output_dir`); if the block fails, remove the
    folders it created, when they are still empty, so a failed run leaves nothing behind."""
    created = ensure_output_dir(out_dir)
    try:
        yield Path(out_dir)
    except BaseException:
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:  # not empty, or not ours to remove
                break
        raise


def _folder_error(out_dir: Path, error: OSError) -> PeacemapError:
    culprit = f" ({error.filename})" if error.filename and Path(error.filename) != out_dir else ""
    return PeacemapError(f"cannot write to output folder {out_dir}: {os_reason(error)}{culprit}; choose another with --out")


def map_layers_with_population(layers: PlanLayers):  # noqa: ANN201 - maps.prepare.MapLayers
    """The plan's layers simplified for drawing, zones carrying their 2022 population (for popups)."""
    from peacemap.layers.population.model import zone_population
    from peacemap.maps.prepare import prepare_map_layers

    logger.info("estimating 2022 population of %d zones", len(layers.zones))
    return prepare_map_layers(replace(layers, zones=zones_with_population(layers.zones, zone_population)))


def build_outputs(plan_ref, date, option_ids, control_file, out_dir: Path) -> tuple[PlanReport, list[Path]]:  # noqa: ANN001
    """Everything `peacemap build` writes, into ``out_dir`` (see :func:`write_outputs`).

    ``out_dir`` is created and checked before any work; if the run fails, a folder it created
    is removed again.
    """
    with output_dir(out_dir):
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
