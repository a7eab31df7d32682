"""Reusable click options and parameter types for peacemap commands."""

from __future__ import annotations

import datetime as dt

import click


class DateOrLatest(click.ParamType):
    """A date as YYYY-MM-DD, or the word ``latest`` (returned as None)."""

    name = "YYYY-MM-DD|latest"

    def convert(self, value, param, ctx):  # noqa: ANN001 - click's signature
        if value is None or isinstance(value, dt.date):
            return value
        if str(value).lower() == "latest":
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date; expected YYYY-MM-DD or 'latest'", param, ctx)


DATE_OR_LATEST = DateOrLatest()

format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"], case_sensitive=False),
    default="table",
    show_default=True,
    help="Output format: an aligned table for reading, CSV or JSON for tools.",
)
