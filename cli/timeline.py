"""`peacemap timeline`: occupied km² per region on every DeepState snapshot, as CSV, JSON, HTML or PNG."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import click

from peacemap.cli.options import DATE_OR_LATEST
from peacemap.layers.report.records import records_to_csv
from peacemap.cli.paths import OutputPath, check_output_file
from peacemap.layers.control.resolve import LATEST
from peacemap.layers.regions import REGION_NAMES
from peacemap.layers.writing import atomic_write, atomic_write_text

logger = logging.getLogger(__name__)

FORMATS = (".csv", ".json", ".html", ".png")


@click.command()
@click.option("--from", "start", type=DATE_OR_LATEST, default=None, metavar="YYYY-MM-DD|latest",
              help="First day (default: the first DeepState snapshot; 'latest': the newest).")
@click.option("--to", "end", type=DATE_OR_LATEST, default=None, metavar="YYYY-MM-DD|latest",
              help="Last day (default: the latest snapshot).")
@click.option("--region", "regions", multiple=True, type=click.Choice(sorted(REGION_NAMES), case_sensitive=False),
              metavar="CODE", help="ISO 3166-2 code of a region to include, e.g. UA-14 (repeat for more; "
              "default: all, with UA-43+UA-40 for Crimea with Sevastopol).")
@click.option("-o", "--output", "output", required=True, type=OutputPath(dir_okay=False, path_type=Path),
              help="File to write; its suffix picks the format: .csv, .json, .html (interactive chart, "
              "self-contained) or .png.")
@click.option("--no-cache", is_flag=True, help="Recompute every snapshot and leave the cache alone.")
def timeline(start, end, regions: tuple[str, ...], output: Path, no_cache: bool) -> None:  # noqa: ANN001
    """How the line of contact moved: occupied km² per region on every daily snapshot.

    One row per day and region: occupied km² (geodesic) and share of the region, held km²,
    the change over the trailing 30 and 90 days, and for Donetsk the days it would take at the
    trailing 90-day pace to occupy its held part (the 28-point plan's DMZ). Days without a
    snapshot are rows with status 'gap' and empty figures, never interpolated. Figures are the
    report's (region minus held land; enclaves count as occupied) and are cached per snapshot.

    \b
    Examples:
      peacemap timeline -o timeline.csv
      peacemap timeline --region UA-14 --region UA-23 --from 2025-01-01 -o south.html
      peacemap timeline --from 2025-06-01 --to 2025-11-20 -o front.png
      peacemap timeline --region UA-14 -o donetsk.json
    """
    from peacemap.layers.timeline.series import build_timeline

    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise click.BadParameter(f"{output.name!r} has suffix {suffix or '(none)'}; expected one of {', '.join(FORMATS)}",
                                 param_hint="-o/--output")
    check_output_file(output)
    result = build_timeline(_snapshot_day(start), _snapshot_day(end), [r.upper() for r in regions] or None,
                            use_cache=not no_cache)
    _WRITERS[suffix](output, result)
    logger.info("wrote %s (%s to %s, %s rows, %d day(s) without a snapshot)", output, result.first.isoformat(),
                result.last.isoformat(), f"{len(result.table):,}", len(result.gaps))


def _snapshot_day(day: dt.date | str | None) -> dt.date | None:
    """``day``, with 'latest' (as the option returns it) made the newest DeepState snapshot's date."""
    if day == LATEST:
        from peacemap.layers.sources import registry

        return registry.deepstate_dates()[-1]
    return day


def _title(result) -> str:  # noqa: ANN001
    return f"Occupied land per region, DeepState snapshots {result.first.isoformat()} to {result.last.isoformat()}"


def _write_csv(output: Path, result) -> None:  # noqa: ANN001
    from peacemap.layers.timeline.series import timeline_records

    atomic_write_text(output, records_to_csv(timeline_records(result)))


def _write_json(output: Path, result) -> None:  # noqa: ANN001
    from peacemap.layers.timeline.series import timeline_document

    atomic_write_text(output, json.dumps(timeline_document(result), indent=1, ensure_ascii=False) + "\n")


def _write_html(output: Path, result) -> None:  # noqa: ANN001
    from peacemap.layers.timeline.series import sources_note
    from peacemap.maps.timeline import timeline_html

    atomic_write_text(output, timeline_html(result, title=_title(result), sources_note=sources_note()))


def _write_png(output: Path, result) -> None:  # noqa: ANN001
    from peacemap.maps.timeline import timeline_figure

    figure = timeline_figure(result, title=_title(result))
    atomic_write(output, lambda path: figure.savefig(path, format="png", dpi=120))


_WRITERS = {".csv": _write_csv, ".json": _write_json, ".html": _write_html, ".png": _write_png}
