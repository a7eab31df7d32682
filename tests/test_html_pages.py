"""Every HTML page peacemap writes, at every size (issue 26, "Every HTML page at every size"), and
the dates every output names.

The pages: `build`'s map, `map`, `compare --format html`, `control compare -o x.html`, the animated
map, `timeline` and `timeline --plan`, each opened in headless Chromium (network off) at 1400 x 900,
700 x 640 and 390 x 640:

* the title, legend and attribution boxes (or the "Sources" button standing for it) cover neither
  the centre of the demilitarised zone nor each other, nor the zoom and layer controls;
* no two visible names overlap;
* no page is wider than the window (a side panel or a table clipped);
* at 390 px every plan button of the comparison page is in view and on top.

And no output of `build`, `compare --format html` or the animated map says "today" where a date
belongs (issue 25 item 6): a map of 2025-11-20 says "on 20 Nov 2025".

Every page is checked in English and in Ukrainian (``--lang uk``, issue 30): its longer labels
must keep the same layout.
"""

from __future__ import annotations

import re

import pytest
import shapely

from peacemap.cli.main import cli
from peacemap.layers.i18n.catalogue import gettext
from peacemap.layers.i18n.language import writing_in

SIZES = ((1400, 900), (700, 640), (390, 640))
DATE = "2025-11-20"
MAPS = ("build-map", "map", "compare", "control", "animation")
CHARTS = ("timeline", "plan-timeline")

_PROBE_JS = """
([dmz]) => {
  const rect = (e) => { const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const shown = (e) => { if (!e) { return false; } const s = getComputedStyle(e), r = e.getBoundingClientRect();
    return s.display !== "none" && s.visibility !== "hidden" && r.width > 0 && r.height > 0; };
  const box = (selector) => { const e = document.querySelector(selector); return shown(e) ? rect(e) : null; };
  const map = window.L ? Object.values(window).find(v => v instanceof L.Map) : null;
  let centre = null;
  if (map) {
    const frame = map.getContainer().getBoundingClientRect(), p = map.latLngToContainerPoint([dmz[1], dmz[0]]);
    centre = {x: p.x + frame.left, y: p.y + frame.top};
  }
  const names = Array.from(document.querySelectorAll(".peacemap-label span")).filter(shown)
    .map(e => Object.assign({text: e.textContent}, rect(e)));
  const buttons = Array.from(document.querySelectorAll(".peacemap-plan-button")).map(e => {
    const r = rect(e), top = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    return Object.assign({text: e.textContent, onTop: top === e || e.contains(top)}, r);
  });
  return {
    width: document.documentElement.clientWidth, scrollWidth: document.documentElement.scrollWidth,
    boxes: {title: box(".peacemap-title"), legend: box(".peacemap-legend"), facts: box(".peacemap-facts"),
            attribution: box(".leaflet-control-attribution") || box(".peacemap-attribution"), sources: box(".peacemap-sources-button")},
    controls: {zoom: box(".leaflet-control-zoom"), layers: box(".leaflet-control-layers")},
    legendOpen: !!(document.querySelector(".peacemap-legend") || {}).open,
    factsOpen: !!(document.querySelector(".peacemap-facts") || {}).open,
    factsInPanel: !!document.querySelector(".peacemap-facts-panel"),
    factsText: (Array.from(document.querySelectorAll(".peacemap-facts-plan")).find(shown) || document.querySelector(".peacemap-facts")
                || {textContent: ""}).textContent,
    centre: centre, names: names, buttons: buttons,
  };
}
"""


@pytest.fixture(scope="module", params=["en", "uk"])
def outputs(request, tmp_path_factory):
    """Every HTML output (and the rest of `build`'s) for the 28-point plan on 2025-11-20, in English
    and in Ukrainian (``lang``)."""
    from click.testing import CliRunner

    runner = CliRunner()
    lang = request.param
    folder = tmp_path_factory.mktemp(f"pages-{lang}")
    commands = {
        "build": ["build", "--out", str(folder / "build")],
        "map": ["map", "--plan", "plan28", "--date", DATE, "-o", str(folder / "map.html")],
        "compare": [
            "compare",
            "plan28",
            "plan20",
            "eu-counter",
            "russia-max",
            "freeze",
            "--date",
            DATE,
            "--format",
            "html",
            "-o",
            str(folder / "compare.html"),
        ],
        "control": ["control", "compare", f"deepstate:{DATE}", "deepstate:2025-07-24", "--plan", "plan28", "-o", str(folder / "control.html")],
        "animation": ["map", "--plan", "plan28", "--from", "2025-11-13", "--to", DATE, "--every", "7d", "-o", str(folder / "animation.html")],
        "timeline": ["timeline", "--from", "2025-09-20", "--to", DATE, "--region", "UA-14", "--region", "UA-65", "-o", str(folder / "timeline.html")],
        "plan-timeline": ["timeline", "--plan", "plan28", "--from", "2025-11-11", "--to", DATE, "-o", str(folder / "plan-timeline.html")],
    }
    for name, command in commands.items():
        result = runner.invoke(cli, ["-q", *command, "--lang", lang])
        assert result.exit_code == 0, (name, result.output)
    pages = {name: folder / f"{name}.html" for name in commands if name != "build"}
    pages["build-map"] = folder / "build" / "map.html"
    return {"folder": folder, "pages": pages, "lang": lang}


@pytest.fixture(scope="module")
def dmz_centre(plan28_map_layers) -> tuple[float, float]:
    zones = plan28_map_layers.zones
    dmz = shapely.union_all(zones.loc[zones["status"] == "dmz", "geometry"].values)
    return (dmz.centroid.x, dmz.centroid.y)


@pytest.fixture(scope="module")
def views(outputs, dmz_centre, tmp_path_factory, chromium):
    """What each page shows at each size, right after it opens: {(page, size): probe}."""
    seen: dict = {}
    for name, path in outputs["pages"].items():

        def probe(page, report, name=name):  # playwright Page
            for width, height in SIZES:
                page.set_viewport_size({"width": width, "height": height})
                page.reload()
                page.wait_for_timeout(600)
                report[(width, height)] = page.evaluate(_PROBE_JS, [list(dmz_centre)])

        if name in CHARTS:
            report = _chart_report(chromium, path, tmp_path_factory.mktemp(f"profile-{name}"), probe)
        else:
            report = chromium(path, tmp_path_factory.mktemp(f"profile-{name}"), probe)
        assert report["page_errors"] == [], name
        assert report["console_errors"] == [], name
        assert report["network_requests"] == [], name
        seen.update({(name, size): report[size] for size in SIZES})
    return {**seen, "lang": outputs["lang"]}


def _chart_report(chromium, path, profile, probe):
    """The chromium fixture waits for a map's zones; a chart page has none: give it one to find."""
    text = path.read_text(encoding="utf-8")
    marked = path.with_name(path.stem + "-marked.html")
    marked.write_text(text.replace("</body>", '<div class="leaflet-peacemap-zones-pane"><svg><path d=""/></svg></div></body>'), encoding="utf-8")
    return chromium(marked, profile, probe)


def _covers(box: dict | None, point: dict | None) -> bool:
    return box is not None and point is not None and box["left"] <= point["x"] <= box["right"] and box["top"] <= point["y"] <= box["bottom"]


def _overlap(a: dict | None, b: dict | None) -> bool:
    return a is not None and b is not None and a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


PAGES = (*MAPS, *CHARTS)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", MAPS)
def test_boxes_leave_the_dmz_centre_clear(views, page, size):
    view = views[(page, size)]
    assert view["centre"] is not None
    for name, box in view["boxes"].items():
        assert not _covers(box, view["centre"]), name


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", PAGES)
def test_boxes_cover_neither_each_other_nor_the_controls(views, page, size):
    view = views[(page, size)]
    boxes = {name: box for name, box in view["boxes"].items() if box is not None}
    assert "title" in boxes
    assert "legend" in boxes
    assert "attribution" in boxes or "sources" in boxes
    names = sorted(boxes)
    assert [(a, b) for i, a in enumerate(names) for b in names[i + 1 :] if _overlap(boxes[a], boxes[b])] == []
    for control, box in view["controls"].items():
        assert not any(_overlap(box, other) for other in boxes.values()), control


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", PAGES)
def test_no_two_names_overlap_and_nothing_is_clipped(views, page, size):
    view = views[(page, size)]
    names = view["names"]
    assert [(a["text"], b["text"]) for i, a in enumerate(names) for b in names[i + 1 :] if _overlap(a, b)] == []
    assert view["scrollWidth"] <= view["width"]  # no side panel or table runs off the page


@pytest.mark.parametrize("page", PAGES)
def test_narrow_pages_fold_the_legend(views, page):
    assert views[(page, (1400, 900))]["legendOpen"]
    assert not views[(page, (390, 640))]["legendOpen"]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", MAPS)
def test_every_map_has_a_fact_box_open_on_wide_pages_and_folded_below_760_px(views, page, size):
    view = views[(page, size)]
    assert view["boxes"]["facts"] is not None
    if view["factsInPanel"]:  # the control comparison: in its side panel, beside or below the map, always open
        assert view["factsOpen"]
    else:
        assert view["factsOpen"] is (size[0] >= 760)
    if view["factsOpen"]:
        with writing_in(views["lang"]):
            cite, day, readings = gettext("Cite as:"), gettext("people on 1 January 2022"), gettext("provisions %(provisions)s and %(last)s")
        day = day.removeprefix("people on ").removeprefix("населення на ")
        assert f"{cite} peacemap" in view["factsText"]
        assert day in view["factsText"]
        assert readings % {"provisions": "21c", "last": "21d"} in view["factsText"]


def test_the_maps_keep_their_size_budget(outputs):
    # issue 5: a self-contained map is at most 1.0 MB; the comparison of the five plans too (bench/build.py)
    for name in ("build-map", "map", "compare"):
        assert outputs["pages"][name].stat().st_size <= 1_000_000, name


def test_the_comparison_plan_buttons_are_in_view_at_390_px(views):
    view = views[("compare", (390, 640))]
    assert [button["text"] for button in view["buttons"]] == ["plan28", "plan20", "eu-counter", "russia-max", "freeze"]
    for button in view["buttons"]:
        assert button["left"] >= 0, button["text"]
        assert button["right"] <= 390, button["text"]
        assert button["top"] >= 0, button["text"]
        assert button["bottom"] <= 640, button["text"]
        assert button["onTop"], button["text"]


# "today" where a date belongs: "Held by Ukraine today", "people today", "as of today". The one use
# that is no date, "not today's population" (the reports' population note), is allowed.
_TODAY = re.compile(r"\btoday\b(?!'s population)", re.IGNORECASE)


def test_no_output_says_today_where_a_date_belongs(outputs):
    folder = outputs["folder"]
    files = [*sorted((folder / "build").iterdir()), folder / "compare.html", folder / "animation.html"]
    assert {path.name for path in files} >= {"map.html", "map.png", "report.md", "report.json", "report.csv", "layers.gpkg"}
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        found = [text[max(0, m.start() - 60) : m.end() + 20] for m in _TODAY.finditer(text)]
        assert found == [], path.name
    map_page = (folder / "build" / "map.html").read_text(encoding="utf-8")
    animation = (folder / "animation.html").read_text(encoding="utf-8")
    if outputs["lang"] == "en":
        assert "Held by Ukraine on 20 Nov 2025" in map_page
        assert "on the frame\\u0027s date" in animation
    else:
        assert "Під контролем України станом на 20 листопада 2025" in map_page
        assert "на дату кадру" in animation
