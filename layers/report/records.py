"""Write rows of records as an aligned table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Mapping, Sequence


def _plain(value: object) -> object:  # JSON-able scalars
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return value


def records_to_json(records: Sequence[dict]) -> str:
    """JSON list of objects; NaN becomes null."""
    return json.dumps([{k: _plain(v) for k, v in r.items()} for r in records], indent=2, ensure_ascii=False) + "\n"


# What a spreadsheet reads as the start of a formula in a text cell (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """``value`` for a CSV cell: a text that a spreadsheet would run as a formula (plan ids, titles
    and control-file names are untrusted) gets a leading apostrophe, which spreadsheets show as
    text; numbers and other texts are unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def records_to_csv(records: Sequence[dict]) -> str:
    """CSV with a header row; NaN and None become empty cells; texts are :func:`spreadsheet_safe`."""
    buffer = io.StringIO()
    if records:
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: ("" if _plain(v) is None else spreadsheet_safe(_plain(v))) for k, v in record.items()})
    return buffer.getvalue()


def records_to_table(records: Sequence[dict], *, float_format: str = "{:,.1f}", formats: dict[str, str] | None = None) -> str:
    """Aligned plain-text table; numbers right-aligned, missing values as '-'.

    ``formats`` maps a column to its own format (e.g. ``{"deviation_pct": "{:+.2f}"}``).
    """
    formats = formats or {}
    if not records:
        return "(no rows)\n"
    columns = list(records[0])

    def cell(value: object, column: str) -> str:
        value = _plain(value)
        if value is None:
            return "-"
        if isinstance(value, float):
            return formats.get(column, float_format).format(value)
        return str(value)

    cells = [[cell(r[c], c) for c in columns] for r in records]
    numeric = [all(isinstance(_plain(r[c]), (int, float)) or _plain(r[c]) is None for r in records) for c in columns]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths]), *(line(row) for row in cells)]) + "\n"


def render_records(records: Sequence[dict], output_format: str, *, formats: dict[str, str] | None = None) -> str:
    """Render ``records`` in ``output_format`` ('table', 'csv' or 'json'); ``formats`` applies to tables."""
    if output_format.lower() == "table":
        return records_to_table(records, formats=formats)
    renderers = {"csv": records_to_csv, "json": records_to_json}
    return renderers[output_format.lower()](records)


def json_text(document: Mapping) -> str:
    """``document`` as indented JSON, non-ASCII text as it is, with a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def document_text(document: Mapping, output_format: str, *, rows: Callable[[], Sequence[dict]], markdown: Callable[[], str]) -> str:
    """``document`` rendered as ``json`` (itself), ``csv`` (the records ``rows`` makes) or ``md``
    (what ``markdown`` writes); only the chosen rendering is made."""
    if output_format == "json":
        return json_text(document)
    if output_format == "csv":
        return records_to_csv(rows())
    return markdown()
