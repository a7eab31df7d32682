"""The request, normalised once (issue 28, "clean seams"): the command line's --date and the API's
``date`` go through one normaliser, a Request is built the same way by both, and every file the
pipeline writes is found in one registry by its suffix."""

import datetime as dt
from pathlib import Path

import click
import pytest

from peacemap.cli.options import DATE_OR_LATEST
from peacemap.layers.errors import ArgumentError
from peacemap.pipeline import outputs
from peacemap.pipeline.request import LATEST, PopulationRequest, Request, normal_date


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2025-11-20", dt.date(2025, 11, 20)),
        ("latest", LATEST),
        ("LATEST", LATEST),
        (dt.date(2025, 11, 20), dt.date(2025, 11, 20)),
        (dt.datetime(2025, 11, 20, 13, 5), dt.date(2025, 11, 20)),
        (None, None),
    ],
)
def test_the_command_line_and_the_api_read_a_date_alike(given, expected):
    assert normal_date(given) == expected
    assert DATE_OR_LATEST.convert(given, None, None) == expected


@pytest.mark.parametrize("given", ["20-11-2025", "yesterday", ""])
def test_a_date_neither_reads_is_refused_by_both(given):
    with pytest.raises(ArgumentError, match="'date' should be"):
        normal_date(given)
    with pytest.raises(click.BadParameter, match="is not a date; expected YYYY-MM-DD or 'latest'"):
        DATE_OR_LATEST.convert(given, None, None)


def test_a_request_is_normalised_once_whatever_form_its_parts_arrive_in():
    request = Request.of(
        "plan28", "2025-11-20", options="donetsk-zone", control="mine.geojson", population="people.csv", population_date="2025-01-01", with_claims=True
    )
    assert request == Request(
        plan="plan28",
        date=dt.date(2025, 11, 20),
        options=("donetsk-zone",),
        control=Path("mine.geojson"),
        population=PopulationRequest(Path("people.csv"), dt.date(2025, 1, 1), None),
        with_claims=True,
    )
    assert Request.of(**vars(request)) == request  # normalising a normal request changes nothing


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"plan": 28}, "'plan'"),
        ({"options": 5}, "'options'"),
        ({"with_claims": "yes"}, "'with_claims'"),
        ({"population": "people.csv"}, "'population_date'"),
        ({"population_label": "mine"}, "'population_label'"),
    ],
)
def test_a_wrong_part_of_a_request_names_its_argument(arguments, named):
    with pytest.raises(ArgumentError, match=named):
        Request.of(**arguments)


@pytest.mark.parametrize(
    ("kind", "suffixes"),
    [
        ("timeline", (".csv", ".json", ".html", ".png")),
        ("plan-timeline", (".csv", ".json", ".html", ".png")),
        ("map", (".html", ".png", ".svg", ".pdf")),
        ("animation", (".html",)),
        ("layers", (".gpkg", ".geojson")),
        ("plan-zones", (".gpkg", ".parquet")),
        ("sweep", (".parquet", ".csv")),
        ("map-frames", (".mp4", ".gif", "")),
    ],
)
def test_every_output_is_written_through_one_registry_by_suffix(kind, suffixes):
    assert outputs.suffixes(kind) == suffixes


def test_an_output_of_no_registered_suffix_is_refused_naming_those_there_are(tmp_path):
    with pytest.raises(ArgumentError, match=r"'output' should end in one of \.csv, \.json, \.html, \.png, got 'timeline\.txt'"):
        outputs.write("timeline", None, tmp_path / "timeline.txt")
    assert list(tmp_path.iterdir()) == []
