
var PEACEMAP_PLACEMENTS = {
  // Right, left, the four diagonals, above, below: each clear of the dot (3.5 px radius, 1.5 px
  // white edge) by a pixel or two, so that a name never touches its own dot.
  place: ["translate(8px,-50%)", "translate(calc(-100% - 8px),-50%)", "translate(7px,calc(-100% - 7px))", "translate(7px,7px)",
          "translate(calc(-100% - 7px),calc(-100% - 7px))", "translate(calc(-100% - 7px),7px)", "translate(-50%,calc(-100% - 8px))",
          "translate(-50%,8px)"],
  region: ["translate(-50%,-50%)", "translate(-50%,calc(-50% - 14px))", "translate(-50%,calc(-50% + 14px))",
           "translate(calc(-50% - 36px),-50%)", "translate(calc(-50% + 36px),-50%)", "translate(-50%,calc(-50% - 28px))",
           "translate(-50%,calc(-50% + 28px))"],
  country: ["translate(-50%,-50%)"],
  sea: ["translate(-50%,-50%)"]
};
var PEACEMAP_BOXES = [".peacemap-title", ".peacemap-legend", ".peacemap-facts:not(.peacemap-facts-panel)", ".leaflet-control-attribution",
                      ".leaflet-control-layers", ".leaflet-control-zoom", ".leaflet-control-scale", ".peacemap-sources-button"];
function peacemapShown(element) {
  if (!element) { return false; }
  var style = getComputedStyle(element);
  var rect = element.getBoundingClientRect();
  return style.display !== "none" && style.visibility !== "hidden" && rect.width > 0 && rect.height > 0;
}
function peacemapRect(element, pad) {
  var r = element.getBoundingClientRect();
  return {left: r.left - pad, top: r.top - pad, right: r.right + pad, bottom: r.bottom + pad};
}
function peacemapOverlap(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}
function peacemapDistance(a, b) {
  var dx = Math.max(0, a.left - b.right, b.left - a.right), dy = Math.max(0, a.top - b.bottom, b.top - a.bottom);
  return Math.sqrt(dx * dx + dy * dy);
}
// A name beside its dot: within PEACEMAP_BESIDE_PX of it, and every other dot at least
// PEACEMAP_CLEAR_PX further away, so that a reader cannot take it for another dot's name.
var PEACEMAP_BESIDE_PX = 6, PEACEMAP_CLEAR_PX = 3;
function peacemapBesideOwnDot(r, own, dots) {
  var near = peacemapDistance(r, own.rect);
  return near <= PEACEMAP_BESIDE_PX && dots.every(function (dot) {
    return dot === own || peacemapDistance(r, dot.rect) >= near + PEACEMAP_CLEAR_PX;
  });
}
function peacemapLabels(map) {
  var container = map.getContainer();
  var frame = container.getBoundingClientRect();
  var taken = [], dots = [], dotById = {};
  PEACEMAP_BOXES.forEach(function (selector) {
    document.querySelectorAll(selector).forEach(function (box) { if (peacemapShown(box)) { taken.push(peacemapRect(box, 2)); } });
  });
  container.querySelectorAll("path.peacemap-place-dot").forEach(function (element) {
    element.style.visibility = "";
    var dot = {element: element, rect: peacemapRect(element, 0)};
    dots.push(dot);
    Array.prototype.forEach.call(element.classList, function (name) { dotById[name] = dot; });
    taken.push(peacemapRect(element, 1));
  });
  var names = Array.prototype.slice.call(container.querySelectorAll(".peacemap-label span"));
  names.sort(function (a, b) { return Number(a.dataset.priority) - Number(b.dataset.priority); });
  names.forEach(function (name) {
    var placements = PEACEMAP_PLACEMENTS[name.dataset.kind] || PEACEMAP_PLACEMENTS.region;
    var own = name.dataset.dot ? dotById[name.dataset.dot] : null;
    var free = null;
    for (var i = 0; i < placements.length && free === null; i++) {
      name.style.transform = placements[i];
      var r = peacemapRect(name, 1);
      var inside = r.left >= frame.left && r.right <= frame.right && r.top >= frame.top && r.bottom <= frame.bottom;
      if (inside && !taken.some(function (t) { return peacemapOverlap(t, r); }) && (!own || peacemapBesideOwnDot(r, own, dots))) { free = r; }
    }
    name.style.visibility = free === null ? "hidden" : "visible";
    if (free !== null) { taken.push(free); }
    if (own && free === null) { own.element.style.visibility = "hidden"; }  // no dot without its name
  });
}
// The fact box (top right) goes below the layer control, and below the title where the two would
// meet (a narrow page); it stops short of the boxes beneath it, scrolling inside when taller.
function peacemapPlaceFacts(map) {
  var facts = document.querySelector(".peacemap-facts:not(.peacemap-facts-panel)");
  if (!facts) { return; }
  var frame = map.getContainer().getBoundingClientRect();
  facts.style.maxHeight = "";
  var top = 10;
  var layers = document.querySelector(".leaflet-control-layers");
  if (peacemapShown(layers)) { top = Math.max(top, layers.getBoundingClientRect().bottom - frame.top + 8); }
  var box = facts.getBoundingClientRect(), left = frame.right - 10 - box.width;
  var title = document.querySelector(".peacemap-title");
  if (peacemapShown(title)) {
    var t = title.getBoundingClientRect();
    if (t.right + 6 > left) { top = Math.max(top, t.bottom - frame.top + 8); }
  }
  facts.style.top = top + "px";
  var bottom = frame.height - 10;
  [".leaflet-control-attribution", ".peacemap-sources-button", ".leaflet-control-scale", ".peacemap-legend"].forEach(function (selector) {
    var other = document.querySelector(selector);
    if (!peacemapShown(other)) { return; }
    var r = other.getBoundingClientRect();
    if (r.right > left && r.top - frame.top > top) { bottom = Math.min(bottom, r.top - frame.top - 8); }
  });
  facts.style.maxHeight = Math.max(40, bottom - top) + "px";
}
// Padding that keeps the view clear of the boxes: the title, the layer control and the scale's
// and attribution's row always; the legend (bottom left) either below the view or beside it, and
// the fact box (top right) either above the view or beside it.
function peacemapPadding(map, besideLegend, besideFacts) {
  var frame = map.getContainer().getBoundingClientRect();
  var top = 10, bottom = 10, left = 10, right = 10;
  var facts = document.querySelector(".peacemap-facts:not(.peacemap-facts-panel)");
  if (peacemapShown(facts)) {
    var box = facts.getBoundingClientRect();
    if (besideFacts) { right = Math.max(right, frame.right - box.left + 10); } else { top = Math.max(top, box.bottom - frame.top + 10); }
  }
  var title = document.querySelector(".peacemap-title");
  if (peacemapShown(title)) { top = Math.max(top, title.getBoundingClientRect().bottom - frame.top + 10); }
  var layers = document.querySelector(".leaflet-control-layers");
  if (peacemapShown(layers)) { top = Math.max(top, layers.getBoundingClientRect().bottom - frame.top + 10); }
  [".leaflet-control-attribution", ".peacemap-sources-button", ".leaflet-control-scale", ".peacemap-legend"].forEach(function (selector) {
    var box = document.querySelector(selector);
    if (!peacemapShown(box)) { return; }
    var r = box.getBoundingClientRect();
    if (besideLegend && selector !== ".leaflet-control-attribution" && selector !== ".peacemap-sources-button") {
      left = Math.max(left, r.right - frame.left + 10);
    } else {
      bottom = Math.max(bottom, frame.bottom - r.top + 10);
    }
  });
  return {topLeft: L.point(left, top), bottomRight: L.point(right, bottom), width: frame.width - left - right,
          height: frame.height - top - bottom};
}
// The view that shows the bounds largest, of the four ways round the legend and the fact box
// (a way that leaves no room is not taken; with none left, the whole frame).
function peacemapFit(map, bounds) {
  var best = null, bestZoom = -Infinity;
  [[false, false], [true, false], [false, true], [true, true]].forEach(function (way) {
    var padding = peacemapPadding(map, way[0], way[1]);
    if (padding.width < 60 || padding.height < 60) { return; }
    var zoom = map.getBoundsZoom(bounds, false, padding.topLeft.add(padding.bottomRight));
    if (isFinite(zoom) && zoom > bestZoom) { best = padding; bestZoom = zoom; }
  });
  if (best === null) { map.fitBounds(bounds, {animate: false}); return; }
  map.fitBounds(bounds, {paddingTopLeft: best.topLeft, paddingBottomRight: best.bottomRight, animate: false});
}
var PeacemapSources = L.Control.extend({
  options: {position: "bottomright"},
  onAdd: function (map) {
    var container = map.getContainer();
    var button = L.DomUtil.create("button", "peacemap-sources-button");
    button.type = "button";
    button.textContent = __SOURCES__;
    button.setAttribute("aria-expanded", "false");
    L.DomEvent.disableClickPropagation(button);
    L.DomEvent.on(button, "click", function () {
      var open = !L.DomUtil.hasClass(container, "peacemap-sources-open");
      (open ? L.DomUtil.addClass : L.DomUtil.removeClass)(container, "peacemap-sources-open");
      button.textContent = open ? __HIDE_SOURCES__ : __SOURCES__;
      button.setAttribute("aria-expanded", open ? "true" : "false");
      peacemapPlaceFacts(map);
      peacemapLabels(map);
    });
    return button;
  }
});
// The page's boxes (title, legend, fact box) sit in the map's own frame, so that they stay over
// the map when a side panel or the page around it moves it; clicks and scrolls on them stay theirs.
function peacemapAdopt(map) {
  var container = map.getContainer();
  [".peacemap-title", ".peacemap-legend", ".peacemap-facts:not(.peacemap-facts-panel)"].forEach(function (selector) {
    document.querySelectorAll(selector).forEach(function (box) {
      if (!container.contains(box)) { container.appendChild(box); }
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
    });
  });
}
// A popup opens clear of the title, the fact box, the legend and the attribution (the boxes sit above the
// map's panes, so they would cover it), no larger than the room between them: it scrolls instead,
// also when a part of it unfolds (the readings).
function peacemapPopupRoom(map, popup) {
  var frame = map.getContainer().getBoundingClientRect();
  var top = 10, right = 10, bottom = 10;
  var title = document.querySelector(".peacemap-title");
  if (peacemapShown(title)) { top = Math.max(top, title.getBoundingClientRect().bottom - frame.top + 10); }
  var facts = document.querySelector(".peacemap-facts:not(.peacemap-facts-panel)");
  if (peacemapShown(facts)) {
    var box = facts.getBoundingClientRect();
    // Beside an open fact box where that leaves a popup room enough, else below it.
    if (facts.open && frame.right - box.left + 230 <= frame.width) { right = frame.right - box.left + 10; }
    else { top = Math.max(top, box.bottom - frame.top + 10); }
  }
  [".leaflet-control-attribution", ".peacemap-sources-button"].forEach(function (selector) {
    var other = document.querySelector(selector);
    if (peacemapShown(other)) { bottom = Math.max(bottom, frame.bottom - other.getBoundingClientRect().top + 10); }
  });
  var left = 10, legend = document.querySelector(".peacemap-legend");
  if (peacemapShown(legend)) {  // beside an open legend where there is room, else above it
    var edge = legend.getBoundingClientRect();
    if (legend.open && edge.right - frame.left + 10 + right + 230 <= frame.width) { left = edge.right - frame.left + 10; }
    else { bottom = Math.max(bottom, frame.bottom - edge.top + 10); }
  }
  popup.options.autoPanPaddingTopLeft = L.point(left, top);
  popup.options.autoPanPaddingBottomRight = L.point(right, bottom);
  popup.options.maxWidth = Math.max(160, Math.min(380, frame.width - left - right - 40));
  popup.options.maxHeight = Math.max(120, frame.height - top - bottom - 40);
}
function peacemapEmbed(map, options) {
  var container = map.getContainer();
  peacemapAdopt(map);
  if (container.clientWidth < options.narrowPx) {
    L.DomUtil.addClass(container, "peacemap-narrow");
    document.querySelectorAll(".peacemap-legend, .peacemap-facts:not(.peacemap-facts-panel)").forEach(function (box) { box.removeAttribute("open"); });
  }
  new PeacemapSources().addTo(map);
  peacemapPlaceFacts(map);
  peacemapFit(map, L.latLngBounds(options.bounds));
  var relayout = function () { peacemapPlaceFacts(map); peacemapLabels(map); };
  map.on("popupopen", function (event) {
    var popup = event.popup;
    peacemapPopupRoom(map, popup);
    popup.update();  // lays the popup out again with that room, and pans it into view
    popup.getElement().querySelectorAll("details").forEach(function (box) {
      // Grown or shrunk by a fold: laid out and panned again, its content left as it is.
      box.addEventListener("toggle", function () { popup._updateLayout(); popup._updatePosition(); popup._adjustPan(); });
    });
  });
  map.on("zoomend moveend resize overlayadd overlayremove baselayerchange", relayout);
  document.querySelectorAll(".peacemap-legend, .peacemap-facts:not(.peacemap-facts-panel)").forEach(function (box) {
    box.addEventListener("toggle", relayout);
  });
  relayout();
}
