"""No template ever sees untrusted text (issue 20, "What to build 1").

branca, under folium, compiles the output of every element as a new Jinja template, so a plan
titled ``T{{7*7}}T`` came out as ``T49T`` in map.html (and a crafted title ran a command). Here
plan titles, sources, provisions, option descriptions and control-file names carry Jinja and HTML
syntax; every HTML output must show them verbatim, evaluate nothing and not crash.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re

import folium
import pytest
from branca.element import Element, MacroElement
from folium.map import CustomPane, FitBounds
from folium.raster_layers import TileLayer
from folium.template import Template

from peacemap.maps.animation import Animation, animation_map, frame_drawing
from peacemap.maps.compare import comparison_map
from peacemap.maps.facts import report_facts
from peacemap.maps.html import HtmlBlock, build_html_map

# folium elements a map may hold besides ours: they render only constants (never plan text)
CONSTANT_ONLY = (folium.Map, CustomPane, FitBounds, TileLayer, folium.FeatureGroup)

# Each case is evaluated by Jinja into something else: an EVALUATED marker, or text without its
# markers; {# and {% endraw %} alone made branca crash with a TemplateSyntaxError.
HOSTILE = {
    "expression": "X{{7*191}}X",
    "statement": "{% if true %}IFTRUE{% endif %}",
    "comment": "before {# hidden #} after",
    "open comment": "a lone {# never closed",
    "raw breakout": "{% endraw %}X{{7*191}}X{% raw %}",
    "markup and quotes": '<script>alert("q\'1")</script> & \\ `tick` </div>',
}
EVALUATED = "X1337X"  # what "X{{7*191}}X" becomes when a template reads it


def _decoded(page: str) -> str:
    """The page's text as the reader gets it: JavaScript ``\\u`` escapes and HTML references
    decoded (strings in scripts are HTML that Leaflet sets with innerHTML)."""
    unescaped_js = re.sub(r'\\(u[0-9a-fA-F]{4}|["\\/])', _js_escape, page)
    return html.unescape(unescaped_js)


def _js_escape(match: re.Match) -> str:
    escape = match.group(1)
    return chr(int(escape[1:], 16)) if escape.startswith("u") else escape


def _fields(text: str) -> dict[str, str]:
    """Each untrusted field of the hostile inputs, tagged so that its place can be told apart."""
    return {name: f"{name.upper()}[{text}]" for name in ("title", "source", "reprint", "provision", "option", "control", "plan id")}


def _hostile_layers(map_layers, text: str):  # MapLayers
    """``map_layers`` with every text from the plan and the control file replaced by ``text``."""
    fields = _fields(text)
    plan = map_layers.layers.plan
    bad_plan = dataclasses.replace(
        plan,
        id=fields["plan id"],
        title=fields["title"],
        source={**plan.source, "name": fields["source"], "reprint": fields["reprint"]},
        provisions=tuple(dataclasses.replace(p, text=fields["provision"], ambiguous=text) for p in plan.provisions),
        options=tuple(dataclasses.replace(o, description=fields["option"], ambiguous=text) for o in plan.options),
        summary=text,
        notes=(text,),
    )
    control = dataclasses.replace(map_layers.layers.control, label=fields["control"], attribution=f"control file {fields['control']}")
    layers = dataclasses.replace(map_layers.layers, plan=bad_plan, control=control)
    return dataclasses.replace(map_layers, layers=layers)


def _assert_shown_verbatim(page: str, text: str, names: tuple[str, ...]) -> None:
    assert EVALUATED not in page
    assert EVALUATED not in _decoded(page)
    decoded = _decoded(page)
    for name in names:
        assert _fields(text)[name] in decoded, name


@pytest.mark.parametrize("case", HOSTILE)
def test_map_html_shows_template_syntax_verbatim(plan28_map_layers, case):
    text = HOSTILE[case]
    page = build_html_map(_hostile_layers(plan28_map_layers, text)).get_root().render()
    # title block, zone popups (provision, title, control), attribution (source), layer control
    _assert_shown_verbatim(page, text, ("title", "source", "provision", "control"))


@pytest.mark.parametrize("case", ["expression", "raw breakout", "open comment"])
def test_comparison_map_shows_template_syntax_verbatim(plan28_map_layers, case):
    text = HOSTILE[case]
    hostile = _hostile_layers(plan28_map_layers, text)
    second = dataclasses.replace(hostile, layers=dataclasses.replace(hostile.layers, plan=dataclasses.replace(hostile.layers.plan, id="second " + text)))
    page = comparison_map([hostile, second]).get_root().render()
    # layer names (title and id) in the layer control, popups, attribution, the title block
    _assert_shown_verbatim(page, text, ("title", "plan id", "source", "provision", "control"))
    assert _decoded(page).count(f"{_fields(text)['title']} ({_fields(text)['plan id']})") == 1  # its layer name


def _animation(map_layers, headline):  # MapLayers, Headline -> folium.Map
    """The animated map of one frame of ``map_layers`` (and a day without a snapshot)."""
    animation = Animation(first=map_layers, every_days=7)
    animation.add(frame_drawing(map_layers, headline, dt.date(2025, 11, 20)))
    animation.add_gap(dt.date(2025, 11, 27))
    return animation_map(animation)


@pytest.mark.parametrize("case", ["expression", "raw breakout", "open comment", "markup and quotes"])
def test_animated_map_shows_template_syntax_verbatim(plan28_map_layers, plan28_report, case):
    text = HOSTILE[case]
    page = _animation(_hostile_layers(plan28_map_layers, text), plan28_report["headline"]).get_root().render()
    # the title block, the attribution (plan source, control)
    _assert_shown_verbatim(page, text, ("title", "source", "control"))


def _facts(map_layers):  # MapLayers -> Facts
    """The fact box of ``map_layers``' report (areas only: population is not under test)."""
    from peacemap.layers.report.figures import build_report

    return report_facts(build_report(map_layers.layers, None))


def _built(build: str, layers, headline):  # MapLayers, Headline -> folium.Map
    if build == "map":
        return build_html_map(layers, facts=_facts(layers))
    if build == "comparison":
        return comparison_map([layers], facts=[_facts(layers)])
    return _animation(layers, headline)


def _fact_box(page: str) -> str:
    """The fact box of a page as its reader gets it (decoded), from its opening tag to its end."""
    decoded = _decoded(page)
    start = decoded.index('<details class="peacemap-facts')
    return decoded[start : decoded.index("</details>", decoded.index("peacemap-citation", start))]


@pytest.mark.parametrize("build", ["map", "comparison", "animation"])
@pytest.mark.parametrize("case", ["expression", "raw breakout", "markup and quotes"])
def test_fact_box_and_readings_show_untrusted_text_verbatim(plan28_map_layers, plan28_report, build, case):
    """The fact box names the plan (its id, title and source in the citation) and the popups give
    the readings (the plan file's ``ambiguous`` notes) in full: all shown as written, nothing
    evaluated, no markup of theirs in the page."""
    text = HOSTILE[case]
    page = _built(build, _hostile_layers(plan28_map_layers, text), plan28_report["headline"]).get_root().render()
    box = _fact_box(page)
    fields = _fields(text)
    for name in ("plan id", "title", "source"):
        assert fields[name] in box, name
    assert f"Read as: {text}" in _decoded(page)  # a reading, in full, in the popups
    assert EVALUATED not in _decoded(page)
    assert "<script>alert" not in page


@pytest.mark.parametrize("build", ["map", "comparison", "animation"])
def test_escaping_alone_keeps_every_jinja_marker_out(plan28_map_layers, plan28_report, build):
    """First guard: the page written for hostile text holds no Jinja marker at all, so even a
    template pass over it would find nothing to evaluate."""
    layers = _hostile_layers(plan28_map_layers, " ".join(HOSTILE.values()))
    page = _built(build, layers, plan28_report["headline"]).get_root().render()
    for marker in ("{{", "{%", "{#"):
        assert marker not in page


@pytest.mark.parametrize("build", ["map", "comparison", "animation"])
def test_only_verbatim_elements_carry_text(plan28_map_layers, plan28_report, build):
    """Second guard: every element of the map is ours (rendered verbatim) or a folium element
    that renders constants only; a folium element taking plan text would fail here."""
    from peacemap.maps.html import Verbatim, VerbatimMacroElement

    fmap = _built(build, plan28_map_layers, plan28_report["headline"])
    elements, pending = [], [fmap]
    while pending:
        element = pending.pop()
        elements.append(element)
        pending.extend(element._children.values())
    header = fmap.get_root().header._children.values()
    for element in [*elements, *header]:
        allowed = isinstance(element, (VerbatimMacroElement, Verbatim, *CONSTANT_ONLY)) or type(element) is Element
        assert allowed, type(element)


class _BrancaBlock(MacroElement):
    """HtmlBlock as branca alone would render it."""

    _template = Template("{% macro html(this, kwargs) %}{{ this.markup }}{% endmacro %}")

    def __init__(self, markup: str):
        super().__init__()
        self.markup = markup


def test_verbatim_elements_never_read_their_output_as_a_template():
    fmap = folium.Map(tiles=None)
    HtmlBlock("<p>X{{7*191}}X {% endraw %} {# </p>").add_to(fmap)
    assert "<p>X{{7*191}}X {% endraw %} {# </p>" in fmap.get_root().render()
    plain = folium.Map(tiles=None)
    _BrancaBlock("<p>X{{7*191}}X</p>").add_to(plain)
    assert EVALUATED in plain.get_root().render()  # what branca does with the same text


def _no_population(zones):  # zones GeoDataFrame -> DataFrame
    import pandas as pd

    return pd.DataFrame(float("nan"), index=zones.index, columns=["population_2022", "population_2022_low", "population_2022_high"])


@pytest.fixture(scope="module")
def hostile_cli_map(tmp_path_factory):
    """``peacemap map`` run on a hostile plan file and a hostile control file name."""
    from importlib import resources

    from click.testing import CliRunner

    from peacemap.cli.main import cli
    from peacemap.layers.sources import registry

    folder = tmp_path_factory.mktemp("template injection")
    title = "T{{7*7}}T " + HOSTILE["raw breakout"] + " {% if true %}IFTRUE{% endif %} {# <b>\"quoted'</b>"
    plan = resources.files("peacemap.layers.plans").joinpath("builtin", "plan28.toml").read_text(encoding="utf-8")
    plan = (
        plan.replace('title = "US 28-point peace plan"', f"title = {json.dumps(title)}")
        .replace('name = "Full text published', 'name = "SOURCE {{7*191}} {% endraw %} Full text published')
        .replace('text = "Crimea, Luhansk', 'text = "PROVISION X{{7*191}}X {#  Crimea, Luhansk')
    )
    plan_path = folder / "evil.toml"
    plan_path.write_text(plan, encoding="utf-8")
    snapshot = registry.fetch(registry.deepstate_source(dt.date(2025, 11, 20)))
    document = json.loads(snapshot.read_text())
    for feature in document["features"]:
        feature["properties"] = {"name": "X{{7*191}}X", "source": "{% endraw %}"}
    control_path = folder / "map X{{7*191}}X {% raw %}.geojson"
    control_path.write_text(json.dumps(document))
    out = folder / "map.html"
    with pytest.MonkeyPatch.context() as patch:
        # Population is not under test: skip building its model (about 6 s); popups then omit it.
        patch.setattr("peacemap.layers.population.model.zone_population", _no_population)
        result = CliRunner().invoke(cli, ["-q", "map", "--plan", str(plan_path), "--control", str(control_path), "--date", "2025-11-20", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return {"title": title, "control_name": control_path.name, "path": out, "page": out.read_text(encoding="utf-8")}


def test_cli_map_of_a_hostile_plan_file_shows_its_text(hostile_cli_map):
    page = hostile_cli_map["page"]
    assert "T49T" not in page
    assert EVALUATED not in page
    decoded = _decoded(page)
    assert "T49T" not in decoded
    assert EVALUATED not in decoded
    for text in (
        hostile_cli_map["title"],
        hostile_cli_map["control_name"],
        "SOURCE {{7*191}} {% endraw %} Full text published",
        "PROVISION X{{7*191}}X {#  Crimea, Luhansk",
    ):
        assert text in decoded, text


def test_browser_shows_the_hostile_title_exactly(hostile_cli_map, chromium, tmp_path):
    def probe(page, report):  # playwright Page
        report["title"] = page.eval_on_selector(".peacemap-title b", "e => e.textContent")
        report["subtitle"] = page.eval_on_selector(".peacemap-title .peacemap-subtitle", "e => e.textContent")
        report["attribution"] = page.eval_on_selector(".leaflet-control-attribution", "e => e.textContent")

    report = chromium(hostile_cli_map["path"], tmp_path / "profile", probe)
    assert report["title"] == hostile_cli_map["title"]
    assert hostile_cli_map["control_name"] in report["subtitle"]
    assert "SOURCE {{7*191}} {% endraw %} Full text published" in report["attribution"]
    assert report["page_errors"] == []
    assert report["console_errors"] == []


def test_static_map_shows_dollar_signs_verbatim(plan28_map_layers):
    """matplotlib reads "$...$" as mathtext: "$\\undefined$" in a title crashed the PNG/SVG map
    with a traceback, and "$5 to $10" came out as italic maths."""
    import io

    import matplotlib

    from peacemap.maps.static import static_map

    text = "$5 to $10, $\\undefined$ {{7*191}} <b>"
    layers = _hostile_layers(plan28_map_layers, text)
    fig = static_map(layers, figsize_in=(9.0, 7.0), facts=_facts(layers))  # room for its fact box of long hostile texts
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text as <text> elements, not glyph paths
        fig.savefig(buffer, format="svg", dpi=50)
    svg = html.unescape(buffer.getvalue())
    for name in ("title", "control", "source"):
        assert _fields(text)[name] in svg, name
    # The fact box: its lines (wrapped at spaces) read back as one text give the plan's fields.
    lines = " ".join(t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == "facts")
    assert all(line.get_text() in svg for ax in fig.axes for line in ax.texts if line.get_gid() == "facts")
    for name in ("plan id", "title", "source", "control"):
        assert _fields(text)[name] in lines, name


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_written_as_text(tmp_path):
    """CSV injection: a plan id and a plan's words starting with = + - @ reach report.csv as text."""
    import csv
    from importlib import resources

    from click.testing import CliRunner

    from peacemap.cli.main import cli

    plan = resources.files("peacemap.layers.plans").joinpath("builtin", "plan28.toml").read_text(encoding="utf-8")
    formula = "=1+2*HYPERLINK(A1)"
    plan = plan.replace('id = "plan28"', f"id = {json.dumps(formula)}", 1)
    plan = plan.replace('recognised_by = "', 'recognised_by = "@SUM(1) ', 1)
    assert formula in plan
    assert "@SUM(1)" in plan
    plan_path = tmp_path / "formula.toml"
    plan_path.write_text(plan, encoding="utf-8")
    out = tmp_path / "report.csv"
    result = CliRunner().invoke(cli, ["-q", "report", "--plan", str(plan_path), "--date", "2025-11-20", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {row["plan"] for row in rows} == {"'" + formula}
    assert any(row["recognised_by"].startswith("'@SUM(1) ") for row in rows)
    cells = [value for row in rows for value in row.values()]
    assert not any(value.startswith(("=", "+", "@")) for value in cells)
    assert float(rows[0]["area_km2"]) > 0  # numbers stay numbers


def test_spreadsheet_safe_leaves_numbers_and_plain_text_alone():
    from peacemap.layers.report.records import records_to_csv

    text = records_to_csv([{"a": "-1 km", "b": -1.5, "c": "plan28", "d": "+x", "e": None}])
    assert text.splitlines() == ["a,b,c,d,e", "'-1 km,-1.5,plan28,'+x,"]
