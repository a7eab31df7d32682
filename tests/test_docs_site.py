"""The project's documents say what the code does (issue 29): the README's size and links, the plan
file page against the plan loader, the gallery against its script, CITATION.cff's version.

The site's figures are checked in tests/test_readme_figures.py, its Python examples in
tests/test_api.py, its JSON contracts in tests/test_report_contract.py; `mkdocs build --strict`
(in .ci/run) checks its links and that every page is in the navigation.
"""

from __future__ import annotations

import importlib.util
import re
from importlib.metadata import version
from pathlib import Path

import pytest

from peacemap import __version__
from peacemap.layers.plans import model
from peacemap.layers.plans.statuses import Recognition, Rule, Side, Status, Withdrawal, meaning_of

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")
PLAN_FILES = (DOCS / "reference" / "plan-files.md").read_text(encoding="utf-8")
MAX_README_LINES = 250  # issue 29: a README that fits on a screen, the rest on the site


def _table(text: str, header: str) -> list[list[str]]:
    """The cells of the Markdown table that starts with the line ``header`` (its rows after the rule)."""
    lines = text.split(header + "\n", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]


def test_the_readme_fits_on_a_screen():
    assert len(README.splitlines()) <= MAX_README_LINES


def test_the_readme_keeps_the_two_set_up_commands():
    blocks = re.findall(r"```sh\n(.*?)\n```", README.split("## Set up\n", 1)[1].split("\n## ", 1)[0], flags=re.S)
    assert blocks == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/peacemap build",
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest",
    ]


def test_the_readmes_links_lead_to_files():
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", README)
    local = [link for link in links if "://" not in link]
    assert len(local) > 20  # the links into the site
    assert [link for link in local if not (ROOT / link).is_file()] == []


def test_the_plan_files_page_names_every_field_the_loader_takes():
    fields = model._TOP_LEVEL_KEYS | model._SOURCE_KEYS | model._PROVISION_KEYS | model._RULE_KEYS | model._OPTION_KEYS | model._ZONE_KEYS
    named = set(re.findall(r"`\[{0,2}(\w+)\]{0,2}`", PLAN_FILES))
    assert sorted(fields - named) == []


def test_the_plan_files_page_names_every_rule_and_choice():
    named = set(re.findall(r"`(\w+)`", PLAN_FILES))
    choices = {*Rule, *Recognition, *Side, *Withdrawal, *model._ZONE_CONTROLS}
    assert sorted(choices - named) == []


def test_the_status_table_is_the_statuses_module():
    rows = _table(PLAN_FILES, "| status | side after the plan | recognition as Russian | withdraws | label in every output |")
    documented = [(status.strip("`"), side, recognition, withdraws, label) for status, side, recognition, withdraws, label in rows]
    assert documented == [
        (status, meaning_of(status).side_after, meaning_of(status).recognition, meaning_of(status).withdraws or "", status.label) for status in Status
    ]


def test_the_gallery_shows_what_its_script_makes():
    spec = importlib.util.spec_from_file_location("gallery", DOCS / "gallery.py")
    gallery = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gallery)
    made = {name for name, _ in gallery.PICTURES}
    shown = set(re.findall(r"\]\(gallery/([^)]+\.png)\)", (DOCS / "gallery.md").read_text(encoding="utf-8")))
    assert shown == made
    assert all((DOCS / "gallery" / name).is_file() for name in shown)


@pytest.mark.parametrize("installed", [False, True])
def test_citation_gives_peacemaps_version(installed):
    cited = re.search(r'^version:\s*"?([^"\n]+)"?\s*$', (ROOT / "CITATION.cff").read_text(encoding="utf-8"), flags=re.M)
    assert cited is not None
    assert cited.group(1) == (version("peacemap") if installed else __version__)
