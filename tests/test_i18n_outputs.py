"""`peacemap build --lang uk` (issue 30, acceptance): all six outputs, written in Ukrainian with no
English label of the catalogue left in them; the headline figures the issue gives ("6 201 км²" and
"682 909", plan28's demilitarised zone on 2025-11-20); and the same figures in the terminal
headline, the fact box and report.md in both languages.

The reference figures are the issue's own (issue 30, "Acceptance": the headline figures in
report.md read "6 201 км²" and "682 909"), written with the no-break space Ukrainian puts between
thousands.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from peacemap.cli.main import cli
from peacemap.layers.i18n.catalogue import catalogue_path
from peacemap.layers.i18n.language import writing_in
from peacemap.layers.i18n.numbers import NBSP
from peacemap.layers.plans.model import load_plan

OUTPUTS = ("map.html", "map.png", "report.md", "report.json", "report.csv", "layers.gpkg")
# Issue 30, Acceptance: plan28's demilitarised zone on 2025-11-20, as report.md writes it in Ukrainian.
DMZ_KM2_UK = f"6{NBSP}201{NBSP}км²"
DMZ_PEOPLE_UK = f"682{NBSP}909"


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """``peacemap build`` in Ukrainian and, for comparison, in English (``--lang en``): the folder and
    the terminal's output of each."""
    runs = {}
    for lang in ("uk", "en"):
        out = tmp_path_factory.mktemp(lang) / "out"
        result = CliRunner().invoke(cli, ["-q", "build", "--lang", lang, "--out", str(out)])
        assert result.exit_code == 0, result.output
        runs[lang] = (out, result.stdout)
    return runs


@pytest.fixture(scope="module")
def catalogue():
    with catalogue_path("uk", "po").open("rb") as stream:
        return read_po(stream, locale="uk", domain="peacemap")


def test_build_in_ukrainian_writes_all_six_outputs(builds):
    out, _ = builds["uk"]
    assert sorted(path.name for path in out.iterdir()) == sorted(OUTPUTS)
    assert all((out / name).stat().st_size > 0 for name in OUTPUTS)


# --- no English label left --------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}|%%")


def english_fragments(catalogue) -> set[str]:
    """The English words of the catalogue's messages that a Ukrainian output must not show: each
    message id cut at its placeholders, the pieces of two words or more and at least ten letters
    (a single word such as "Area" or "Sea" may be part of a name that stays as published)."""
    fragments = set()
    for message in catalogue:
        if not message.id or message.context in ("body", "source", "recognised_by"):
            continue  # the data's own names: kept where the catalogue has no Ukrainian form of one
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            for piece in _PLACEHOLDER.split(text):
                piece = piece.strip(" .,:;()«»\"'-–")
                if " " in piece and sum(ch.isalpha() for ch in piece) >= 10:
                    fragments.add(piece)
    return fragments


def quoted_english(plan_id: str = "plan28") -> list[str]:
    """What a Ukrainian output may quote in English: the plan's provisions, which were published in
    English only (the outputs say so once)."""
    return [provision.text for provision in load_plan(plan_id).provisions]


def leftovers(text: str, fragments: set[str]) -> list[str]:
    for quote in quoted_english():
        text = text.replace(quote, " ")
    text = re.sub(r"https?://\S+", " ", text)
    return sorted(fragment for fragment in fragments if fragment in text)


def page_texts(page: str) -> str:
    """What an HTML map shows: its text, attributes people read, and the strings of its scripts
    (popups, layer names, the fact box's rows), without Leaflet's own script."""
    from peacemap.maps import assets

    page = page.replace(assets.leaflet_js(), " ")
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', " ".join(re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)))
    decoded = [_decoded(string) for string in strings]
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    attributes = re.findall(r'(?:title|aria-label|alt)="([^"]*)"', body)
    return html.unescape(" ".join([re.sub(r"<[^>]+>", " ", body), *attributes, *(re.sub(r"<[^>]+>", " ", s) for s in decoded)]))


def _decoded(literal: str) -> str:
    """A JavaScript string literal's text (JSON escapes); as it is where it is no JSON string."""
    try:
        return json.loads(f'"{literal}"')
    except ValueError:
        return literal


def json_labels(document) -> list[str]:
    """Every string of report.json but the ids and the data that stay as given (ids, codes, sha256,
    URLs, the statements' own fields, the plan's English provisions)."""
    kept = {
        "plan",
        "id",
        "code",
        "region",
        "status",
        "side_after",
        "recognition",
        "control",
        "kind",
        "sha256",
        "url",
        "file",
        "land",
        "area_id",
        "area_as_worded",
        "body",
        "person",
        "qualifier",
        "check",
        "statement_id",
        "date",
        "statement_date",
        "as_of",
        "requested",
        "snapshot",
        "counted_on",
        "on_or_before",
        "source",
        "provision",
        "option",
        "provisions",
        "withdraws",
        "options",
        "population_excludes",
        "regions",
        "layer",
        "where",
        "peacemap_version",
        "same_id_as_shipped",
        "recognised_by",
        "hromada",
        "name_en",
        "hromada_en",
    }
    found = []

    def walk(value, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key not in kept:
            found.append(value)

    walk(document)
    return found


def test_no_english_label_of_the_catalogue_in_the_text_outputs(builds, catalogue):
    out, stdout = builds["uk"]
    fragments = english_fragments(catalogue)
    assert len(fragments) > 300  # the catalogue's labels are there to look for
    texts = {
        "terminal": stdout,
        "report.md": (out / "report.md").read_text(encoding="utf-8"),
        "report.csv": (out / "report.csv").read_text(encoding="utf-8"),
        "report.json": "\n".join(json_labels(json.loads((out / "report.json").read_text(encoding="utf-8")))),
        "map.html": page_texts((out / "map.html").read_text(encoding="utf-8")),
    }
    assert {name: leftovers(text, fragments) for name, text in texts.items()} == {name: [] for name in texts}


def test_the_json_keeps_english_keys_and_ids(builds):
    english = json.loads((builds["en"][0] / "report.json").read_text(encoding="utf-8"))
    ukrainian = json.loads((builds["uk"][0] / "report.json").read_text(encoding="utf-8"))

    def shape(value):  # keys and ids, not labels
        if isinstance(value, dict):
            return {key: shape(v) for key, v in value.items()}
        return [shape(v) for v in value] if isinstance(value, list) else None

    assert shape(ukrainian) == {**shape(english), "plan_text_note": None}
    assert [r["code"] for r in ukrainian["regions"]] == [r["code"] for r in english["regions"]]
    assert ukrainian["regions"][0]["name"] == "Донецька область"
    assert english["regions"][0]["name"] == "Donetsk"
    assert ukrainian["plan_title"] == "Мирний план США з 28 пунктів"


def test_the_geopackage_styles_and_names_are_ukrainian(builds, catalogue):
    with sqlite3.connect(builds["uk"][0] / "layers.gpkg") as database:
        styles = " ".join(qml + sld for qml, sld in database.execute("SELECT styleQML, styleSLD FROM layer_styles"))
        names = {name for (name,) in database.execute("SELECT region_name FROM regions")}
    assert leftovers(html.unescape(styles), english_fragments(catalogue)) == []
    assert "Демілітаризована зона, Україна виводить війська: визнано російською (де-юре)" in html.unescape(styles)
    assert {"Донецька область", "Автономна Республіка Крим", "м. Севастополь", "м. Київ"} <= names


def test_the_static_map_writes_only_ukrainian_labels(plan28_map_layers, plan28_report, catalogue):
    """map.png's texts (the figure ``peacemap build`` saves), read from the figure itself."""
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import build_report
    from peacemap.maps.facts import report_facts
    from peacemap.maps.static import static_map

    with writing_in("uk"):
        report = build_report(plan28_map_layers.layers, zone_population)
        figure = static_map(plan28_map_layers, facts=report_facts(report))
    texts = [text.get_text() for text in figure.findobj(lambda artist: hasattr(artist, "get_text"))]
    joined = " ".join(re.sub(r"[ \n]+", " ", text) for text in texts)  # legend entries are wrapped: one line each
    assert leftovers(joined, english_fragments(catalogue)) == []
    assert f"Під контролем України станом на 20 листопада 2025{NBSP}р., за планом — російський бік" in joined
    # Names from the sources (table 5's spelling, its apostrophe kept) and Ukrainian's short region names.
    assert {"Слов'янськ", "Донецька обл.", "АР Крим", "м. Севастополь", "Чорне море"} <= {text.strip() for text in texts}


# --- the figures --------------------------------------------------------------------------------------


def test_the_headline_figures_read_as_the_issue_writes_them(builds):
    report = (builds["uk"][0] / "report.md").read_text(encoding="utf-8")
    row = next(line for line in report.splitlines() if line.startswith("| у тому числі демілітаризована зона |"))
    assert f"| {DMZ_KM2_UK} | {DMZ_PEOPLE_UK} (" in row


_FIGURE = {"en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"), "uk": re.compile(rf"\d{{1,3}}(?:{NBSP}\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?")}


def figures(text: str, lang: str) -> list[float]:
    """Every figure of ``text`` as a number, read as ``lang`` writes figures."""
    found = _FIGURE[lang].findall(re.sub(r"https?://\S+|UA-\d\d|\d{4}-\d{2}-\d{2}|\d{1,2} \w+ \d{4}", " ", text))
    if lang == "uk":
        return [float(f.replace(NBSP, "").replace(",", ".")) for f in found]
    return [float(f.replace(",", "")) for f in found]


def headline_table(report_md: str) -> list[str]:
    """The rows of report.md's headline table (figure columns only)."""
    lines = report_md.split("\n## ", 2)[1].splitlines()
    return ["|".join(line.split("|")[2:4]) for line in lines if line.startswith("| ") and "---" not in line][1:]


def test_terminal_fact_box_and_report_give_the_same_figures_in_both_languages(builds, plan28_layers):
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import build_report
    from peacemap.maps.facts import report_facts

    outputs = {}
    for lang in ("en", "uk"):
        out, stdout = builds[lang]
        headline = [line.split(":", 1)[1] for line in stdout.splitlines() if "км²" in line or "km²" in line]
        with writing_in(lang):
            facts = report_facts(build_report(plan28_layers, zone_population))
        outputs[lang] = {
            "terminal": [figures(line, lang) for line in headline],
            "fact box": [figures(row.value, lang) for row in facts.rows],
            "report.md": [figures(row, lang) for row in headline_table((out / "report.md").read_text(encoding="utf-8"))],
        }
    assert outputs["uk"] == outputs["en"]
    # and the three agree with each other: the fact box's rows are rows of the headline
    assert all(row in outputs["uk"]["report.md"] for row in outputs["uk"]["fact box"])
    assert [6201.0, 682909.0, 675369.0, 725024.0] in outputs["uk"]["report.md"]


def test_the_api_writes_its_report_in_the_language_asked_for():
    """``lang=`` (issue 30): the report's labels and every rendering of it in that language, whatever
    language is being written around the call."""
    from peacemap import api

    with writing_in("en"):
        report = api.report("plan28", "2025-11-20", lang="uk")
    assert report.lang == "uk"
    assert report.to_dict()["plan_title"] == "Мирний план США з 28 пунктів"
    assert report.to_markdown().startswith("# Мирний план США з 28 пунктів: що план змінює на мапі")
    assert "Демілітаризована зона, Україна виводить війська: визнано російською (де-юре)" in report.to_csv()
    assert report.to_frame()["region_name"].iloc[0] == "Донецька область"
