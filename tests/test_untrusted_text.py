"""Untrusted text stays text: a plan and a control file carrying markup end up in the map and the
report only as visible, escaped text (issue: hard edges and escaping)."""

import datetime
import html.parser
import json
import re

import pytest

from peacemap.cli.main import cli
from peacemap.layers.sources import registry

MARKER = "pwned4242"
HOSTILE = f"<script>alert('{MARKER}')</script><img src=x onerror=alert('{MARKER}')> X{{{{7*191}}}}X"
EVALUATED = "X1337X"  # what the Jinja expression in HOSTILE becomes if a template reads it (issue 20)


class _Elements(html.parser.HTMLParser):
    """Collect every start tag with its attributes, and the text of each script element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def _js_unescaped(text: str) -> str:
    """What a JavaScript string literal in the page holds once the browser has read it."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text).replace("\\/", "/")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("hostile")
    from importlib import resources

    plan28 = resources.files("peacemap.layers.plans").joinpath("builtin", "plan28.toml").read_text(encoding="utf-8")
    hostile_plan = (
        plan28.replace('title = "US 28-point peace plan"', f"title = {json.dumps('Plan ' + HOSTILE)}")
        .replace('text = "Crimea, Luhansk', f"text = {json.dumps(HOSTILE)[:-1]} Crimea, Luhansk")
        .replace('name = "Full text published', f"name = {json.dumps(HOSTILE)[:-1]} Full text published")
        .replace('recognised_by = "internationally"', f"recognised_by = {json.dumps(HOSTILE)}")
    )
    # Title, a provision, the source, who recognises (in the rules and option 21d-de-facto): two markers each.
    assert hostile_plan.count(MARKER) == 10
    plan_path = folder / "hostile.toml"
    plan_path.write_text(hostile_plan, encoding="utf-8")
    # The real DeepState polygon of 2025-11-20, with a hostile property and a hostile file name.
    snapshot = registry.fetch(registry.deepstate_source(datetime.date(2025, 11, 20)))
    document = json.loads(snapshot.read_text())
    for feature in document["features"]:
        feature["properties"] = {"name": HOSTILE, "source": HOSTILE}
    control_path = folder / f"map <img src=x onerror=alert('{MARKER}')>.geojson"
    control_path.write_text(json.dumps(document))
    out_dir = folder / "out"
    result = CliRunner().invoke(cli, ["-q", "build", "--plan", str(plan_path), "--control", str(control_path), "--date", "2025-11-20", "--out", str(out_dir)])
    assert result.exit_code == 0, result.output
    return out_dir


def test_map_html_has_no_executable_copy(hostile_build):
    page = (hostile_build / "map.html").read_text(encoding="utf-8")
    assert MARKER in page  # the text is there ...
    parser = _Elements()
    parser.feed(page)
    # ... but never as an element or an event handler:
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not (tag == "img" and attrs.get("src") == "x")
    for script in parser.scripts:
        assert f"alert('{MARKER}')" not in script.strip()[:40]  # no script element of ours injected
        # Strings that Leaflet puts into popups with innerHTML must hold escaped markup only.
        decoded = _js_unescaped(script)
        for found in re.finditer(MARKER, decoded):
            before = decoded[max(0, found.start() - 40) : found.start()]
            assert "<script" not in before.lower(), before
            assert "<img" not in before.lower(), before


def test_report_markdown_shows_the_markup_as_text(hostile_build):
    text = (hostile_build / "report.md").read_text(encoding="utf-8")
    assert MARKER in text
    # Markdown's own escapes (issue 17: not HTML entities, which show literally in the source):
    # every "<" is backslash-escaped (an odd number of backslashes before it), so no tag starts.
    for found in re.finditer("<", text):
        backslashes = len(text[: found.start()]) - len(text[: found.start()].rstrip("\\"))
        assert backslashes % 2 == 1, text[max(0, found.start() - 40) : found.start() + 10]
    assert "\\<script>" in text
    assert "&lt;" not in text


def test_every_output_names_the_control_file(hostile_build):
    for name in ("report.md", "report.json", "report.csv", "map.html"):
        assert "control file map" in (hostile_build / name).read_text(encoding="utf-8")


def test_map_html_evaluates_no_template_syntax(hostile_build):
    """Issue 20: branca re-read the map's text as a Jinja template ("T{{7*7}}T" became "T49T")."""
    page = (hostile_build / "map.html").read_text(encoding="utf-8")
    assert EVALUATED not in page
    assert EVALUATED not in _js_unescaped(page)
    assert f"<b>Plan {HOSTILE}</b>" in html.unescape(page)  # the title block shows it verbatim


@pytest.mark.parametrize("plan_id", ["my`plan", "``plan``", "`", "a``b`c"])
def test_a_plan_id_with_backticks_stays_one_code_span(plan28_layers, plan_id):
    # Issue 24, item 8: a backtick in a plan's id ended the Markdown code span that shows it.
    import dataclasses

    from markdown_it import MarkdownIt

    from peacemap.layers.report.figures import build_report
    from peacemap.layers.report.render import report_markdown

    layers = dataclasses.replace(plan28_layers, plan=dataclasses.replace(plan28_layers.plan, id=plan_id))
    page = MarkdownIt("commonmark").render(report_markdown(build_report(layers, None)))
    assert f"<em>Plan <code>{html.escape(plan_id, quote=False)}</code>" in page
