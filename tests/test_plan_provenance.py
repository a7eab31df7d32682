"""Issue 24, item 5: every output names a plan's origin, shipped (with peacemap's version) or a
user's plan file (its name and full sha256); a user's file with a shipped plan's id cannot pass
for the shipped plan in any output."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
from importlib import resources

import pyogrio
import pytest

from peacemap import __version__
from peacemap.cli.main import cli
from peacemap.layers.plans.model import load_plan


@pytest.fixture(scope="module")
def user_plan28(tmp_path_factory):
    """The shipped plan28's own text saved as a user's file: the same id, title and figures."""
    path = tmp_path_factory.mktemp("plans") / "my-plan.toml"
    path.write_bytes(resources.files("peacemap.layers.plans").joinpath("builtin", "plan28.toml").read_bytes())
    return path


@pytest.fixture(scope="module")
def user_build(user_plan28, tmp_path_factory):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("build")
    result = CliRunner().invoke(cli, ["-q", "build", "--plan", str(user_plan28), "--date", "2025-11-20", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return out, result.stdout


def _user_mark(path) -> str:
    return f"user plan file my-plan.toml (sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}), not the shipped plan28 of the same id"


def test_a_user_file_with_a_shipped_id_is_marked_in_every_output(user_plan28, user_build):
    out, headline = user_build
    mark = _user_mark(user_plan28)
    report = json.loads((out / "report.json").read_text())
    assert report["plan"] == "plan28"
    assert report["plan_origin"]["text"] == mark
    assert report["plan_origin"]["kind"] == "user_file"
    assert report["plan_origin"]["same_id_as_shipped"] is True
    assert report["plan_origin"]["sha256"] == hashlib.sha256(user_plan28.read_bytes()).hexdigest()
    markdown = (out / "report.md").read_text()
    assert mark in markdown.splitlines()[2]  # the line under the title, not only the sources
    rows = list(csv.DictReader(io.StringIO((out / "report.csv").read_text())))
    assert rows
    assert all(row["plan_origin"] == mark for row in rows)
    page = (out / "map.html").read_text()
    assert f"Plan: {html.escape(mark)}</span>" in page  # the map's title
    assert pyogrio.read_info(out / "layers.gpkg", layer="zones")["layer_metadata"]["plan_origin"] == mark
    assert mark in headline.splitlines()[0]


def test_a_shipped_plan_names_peacemaps_version():
    plan = load_plan("plan28")
    assert plan.origin_text() == f"shipped with peacemap {__version__}"
    assert plan.source_line().endswith(f"; shipped with peacemap {__version__}")


def test_a_user_file_of_its_own_id_is_named_without_the_mark(tmp_path):
    text = resources.files("peacemap.layers.plans").joinpath("builtin", "plan28.toml").read_text(encoding="utf-8")
    path = tmp_path / "ours.toml"
    path.write_text(text.replace('id = "plan28"', 'id = "ours"'), encoding="utf-8")
    origin = load_plan(path).origin_text()
    assert origin == f"user plan file ours.toml (sha256 {hashlib.sha256(path.read_bytes()).hexdigest()})"
