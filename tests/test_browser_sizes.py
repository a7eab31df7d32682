"""The plan28 HTML map embedded at three sizes, in headless Chromium with the network off
(issue 18, "Embeds that work at every size"): a desktop page (1400 x 900), an iframe in a page
(700 x 640) and a phone (390 x 640).

At each size the first view shows all the land the plan changes; neither the legend nor the
attribution (nor the button standing for it) covers the centre of the demilitarised zone; no
two visible names overlap. Below 760 px the legend starts folded and the attribution is a button.

Every check runs on the map in English and in Ukrainian (issue 30: the Ukrainian labels are
longer, and the layout must hold all the same).
"""

from __future__ import annotations

import pytest
import shapely

from peacemap.layers.i18n.catalogue import gettext
from peacemap.layers.i18n.language import writing_in
from peacemap.maps.embed import NARROW_PX
from peacemap.maps.html import build_html_map, save_html

SIZES = ((1400, 900), (700, 640), (390, 640))

_PROBE_JS = """
([mapName, dmz, bounds]) => {
  const map = window[mapName];
  const frame = map.getContainer().getBoundingClientRect();
  const box = (selector) => {
    const e = document.querySelector(selector);
    if (!e) { return null; }
    const r = e.getBoundingClientRect();
    const shown = getComputedStyle(e).display !== "none" && r.width > 0 && r.height > 0;
    return shown ? {left: r.left, top: r.top, right: r.right, bottom: r.bottom} : null;
  };
  const point = (lat, lon) => { const p = map.latLngToContainerPoint([lat, lon]); return {x: p.x + frame.left, y: p.y + frame.top}; };
  const rect = (e) => { const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const names = Array.from(document.querySelectorAll(".peacemap-label span"))
    .filter(e => getComputedStyle(e).visibility !== "hidden")
    .map(e => Object.assign({text: e.textContent, dot: e.dataset.dot || null}, rect(e)));
  const dots = Array.from(document.querySelectorAll("path.peacemap-place-dot"))
    .filter(e => getComputedStyle(e).visibility !== "hidden")
    .map(e => Object.assign({id: Array.from(e.classList).find(c => c.includes("-") && c !== "peacemap-place-dot")}, rect(e)));
  return {
    frame: {left: frame.left, top: frame.top, right: frame.right, bottom: frame.bottom},
    legend: box(".peacemap-legend"), legendOpen: document.querySelector(".peacemap-legend").open,
    attribution: box(".leaflet-control-attribution"), button: box(".peacemap-sources-button"), title: box(".peacemap-title"),
    facts: box(".peacemap-facts"), factsOpen: document.querySelector(".peacemap-facts").open,
    dmz: point(dmz[1], dmz[0]), southWest: point(bounds[0][0], bounds[0][1]), northEast: point(bounds[1][0], bounds[1][1]),
    names: names, dots: dots, zoom: map.getZoom(),
  };
}
"""


_OPEN_DMZ_POPUP_JS = """
([mapName]) => {
  const map = window[mapName];
  const zone = Object.values(map._layers).find(l => l.getPopup && l.getPopup() && String(l.options.className).includes("peacemap-status-dmz"));
  zone.openPopup();
}
"""

_POPUP_JS = """
() => {
  const rect = (e) => { const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const shown = (s) => { const e = document.querySelector(s); if (!e) { return null; } const r = e.getBoundingClientRect();
    return getComputedStyle(e).display !== "none" && r.width > 0 && r.height > 0 ? rect(e) : null; };
  const popup = document.querySelector(".leaflet-popup-content-wrapper");
  return {popup: rect(popup), readingsOpen: document.querySelector(".leaflet-popup .peacemap-readings").open,
          text: popup.textContent, frame: rect(document.querySelector(".folium-map")),
          boxes: {title: shown(".peacemap-title"), facts: shown(".peacemap-facts"), legend: shown(".peacemap-legend"),
                  attribution: shown(".leaflet-control-attribution"), sources: shown(".peacemap-sources-button")}};
}
"""


@pytest.fixture(scope="module")
def dmz_centre(plan28_map_layers) -> tuple[float, float]:
    zones = plan28_map_layers.zones
    dmz = shapely.union_all(zones.loc[zones["status"] == "dmz", "geometry"].values)
    centre = dmz.centroid
    assert dmz.contains(centre)
    return (centre.x, centre.y)


@pytest.fixture(scope="module", params=["en", "uk"])
def views(request, plan28_map_layers, plan28_report, dmz_centre, tmp_path_factory, chromium):
    """What the page shows at each size, right after it opens (and at the narrowest, after
    pressing the Sources button), in English and in Ukrainian (``views["lang"]``)."""
    from peacemap.layers.population.model import zone_population
    from peacemap.layers.report.figures import build_report
    from peacemap.maps.facts import report_facts
    from peacemap.maps.html import focus_bounds

    lang = request.param
    folder = tmp_path_factory.mktemp(f"sizes-{lang}")
    with writing_in(lang):
        report = plan28_report if lang == "en" else build_report(plan28_map_layers.layers, zone_population)
        fmap = build_html_map(plan28_map_layers, facts=report_facts(report))
    html_path = save_html(fmap, folder / "plan28.html")
    arguments = [fmap.get_name(), list(dmz_centre), focus_bounds(plan28_map_layers.zones)]

    def probe(page, report):  # playwright Page
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.reload()
            page.wait_for_selector(".leaflet-peacemap-zones-pane path", state="attached")
            page.wait_for_timeout(400)
            report[(width, height)] = page.evaluate(_PROBE_JS, arguments)
            page.evaluate(_OPEN_DMZ_POPUP_JS, arguments)
            page.wait_for_timeout(300)
            page.click(".leaflet-popup .peacemap-readings summary")  # the readings, unfolded
            page.wait_for_timeout(300)
            report[("popup", width, height)] = page.evaluate(_POPUP_JS)
        page.click(".peacemap-sources-button")
        page.wait_for_timeout(100)
        report["sources_opened"] = page.evaluate(_PROBE_JS, arguments)

    return {**chromium(html_path, folder / "profile", probe), "lang": lang}


def _covers(box: dict | None, point: dict) -> bool:
    return box is not None and box["left"] <= point["x"] <= box["right"] and box["top"] <= point["y"] <= box["bottom"]


def _gap(a: dict, b: dict) -> float:
    dx = max(0.0, a["left"] - b["right"], b["left"] - a["right"])
    dy = max(0.0, a["top"] - b["bottom"], b["top"] - a["bottom"])
    return (dx * dx + dy * dy) ** 0.5


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("size", SIZES)
def test_boxes_leave_the_dmz_centre_clear(views, size):
    view = views[size]
    assert not _covers(view["legend"], view["dmz"])
    assert not _covers(view["attribution"], view["dmz"])
    assert not _covers(view["button"], view["dmz"])
    assert not _covers(view["title"], view["dmz"])
    assert not _covers(view["facts"], view["dmz"])


@pytest.mark.parametrize("size", SIZES)
def test_the_fact_box_covers_no_other_box(views, size):
    view = views[size]
    assert view["facts"] is not None
    assert view["factsOpen"] is (size[0] >= NARROW_PX)
    for name in ("legend", "title", "attribution", "button"):
        assert view[name] is None or not _overlap(view["facts"], view[name]), name


@pytest.mark.parametrize("size", SIZES)
def test_first_view_shows_all_the_changed_land(views, size):
    view, frame = views[size], views[size]["frame"]
    for corner in ("southWest", "northEast"):
        point = view[corner]
        assert frame["left"] <= point["x"] <= frame["right"], corner
        assert frame["top"] <= point["y"] <= frame["bottom"], corner


@pytest.mark.parametrize("size", SIZES)
def test_no_two_visible_names_overlap(views, size):
    names = views[size]["names"]
    assert len(names) >= 8  # the names are there, not all hidden
    clashes = [(a["text"], b["text"]) for i, a in enumerate(names) for b in names[i + 1 :] if _overlap(a, b)]
    assert clashes == []


@pytest.mark.parametrize("size", SIZES)
def test_legend_and_attribution_fold_on_narrow_pages(views, size):
    view, narrow = views[size], size[0] < NARROW_PX
    assert view["legendOpen"] is not narrow
    assert (view["attribution"] is None) is narrow  # collapsed ...
    assert (view["button"] is not None) is narrow  # ... to a button


def test_the_sources_button_opens_the_attribution(views):
    opened = views["sources_opened"]
    assert opened["attribution"] is not None
    assert opened["attribution"]["right"] <= opened["frame"]["right"]
    assert not _overlap(opened["attribution"], opened["facts"])


def test_no_error_and_no_network(views):
    assert views["page_errors"] == []
    assert views["console_errors"] == []
    assert views["network_requests"] == []


# The four largest towns of the demilitarised zone (official table of 1 January 2022), in English and
# as the table writes them in Ukrainian.
DMZ_TOWNS = {"en": ("Kramatorsk", "Sloviansk", "Kostiantynivka", "Druzhkivka"), "uk": ("Краматорськ", "Слов'янськ", "Костянтинівка", "Дружківка")}
BESIDE_PX = 8  # a name at most this far from its dot's box counts as beside it


def test_the_dmz_towns_are_named_beside_their_own_dots(views):
    view = views[(1400, 900)]
    dots = {dot["id"]: dot for dot in view["dots"]}
    for town in DMZ_TOWNS[views["lang"]]:
        name = next((n for n in view["names"] if n["text"] == town), None)
        assert name is not None, f"{town} is not named"
        own = dots[name["dot"]]
        nearest = min(view["dots"], key=lambda dot: _gap(name, dot))
        assert nearest is own, town
        assert _gap(name, own) <= BESIDE_PX, town
        assert all(_gap(name, dot) > _gap(name, own) for dot in view["dots"] if dot is not own), town


@pytest.mark.parametrize("size", SIZES)
def test_every_named_place_sits_beside_its_own_dot_and_no_dot_is_unnamed(views, size):
    view = views[size]
    named = {name["dot"]: name for name in view["names"] if name["dot"]}
    assert {dot["id"] for dot in view["dots"]} == set(named)
    for dot in view["dots"]:
        name = named[dot["id"]]
        assert min(view["dots"], key=lambda other: _gap(name, other)) is dot, name["text"]


@pytest.mark.parametrize("size", SIZES)
def test_a_popup_with_its_readings_opens_in_view_and_clear_of_the_boxes(views, size):
    """A zone's popup gives the plan's readings in full (issue 25); unfolded, it stays inside the
    map and out from under the title, fact box, legend and attribution (they sit above the popups)."""
    view = views[("popup", *size)]
    with writing_in(views["lang"]):
        read_as = gettext("Read as:")
    assert view["readingsOpen"]
    assert "21c" in view["text"]
    assert "21d" in view["text"]
    assert read_as in view["text"]
    popup, frame = view["popup"], view["frame"]
    assert frame["left"] <= popup["left"]
    assert popup["right"] <= frame["right"]
    assert frame["top"] <= popup["top"]
    assert popup["bottom"] <= frame["bottom"]
    for name, box in view["boxes"].items():
        assert box is None or not _overlap(popup, box), name
