
function peacemapShape(encoded, before) {
  if (encoded === 0) { return before; }
  var points = [];
  var parts = encoded.map(function (part) {
    return part.map(function (ops) {
      var ring = [], lat = 0, lon = 0;
      ops.forEach(function (op) {
        if (typeof op === "string") {
          peacemapDecodeFrom(op, lat, lon).forEach(function (p) { ring.push([p[1], p[0]]); });
        } else {
          for (var k = 0; k < op[1]; k++) { ring.push(before.points[op[0] + k]); }
        }
        if (ring.length) { lat = Math.round(ring[ring.length - 1][0] * 1e5); lon = Math.round(ring[ring.length - 1][1] * 1e5); }
      });
      for (var k = 0; k < ring.length; k++) { points.push(ring[k]); }
      return ring;
    });
  });
  return {parts: parts, points: points};
}
function peacemapAnimation(map, data, attribution) {
  var frames = data.frames, decoded = [], lastDecoded = -1, previous = {z: {}, l: {}};
  var player = document.querySelector(".peacemap-player");
  var slider = player.querySelector(".peacemap-slider"), button = player.querySelector(".peacemap-play");
  // The readout: the fact box's rows, or (a map without one) the title box's own.
  var dateBox = player.querySelector(".peacemap-date"), readout = document.querySelector(".peacemap-readout");
  var drawn = {z: {}, l: {}}, timer = null, current = -1;
  map.attributionControl.addAttribution(attribution);
  var figures = {};  // each zone's figures as of the last frame decoded
  function decodeTo(index) {
    for (var i = lastDecoded + 1; i <= index; i++) {
      var frame = frames[i];
      if (frame.gap) { decoded.push(null); continue; }
      var shapes = {z: {}, l: {}};
      ["z", "l"].forEach(function (kind) {
        Object.keys(frame[kind]).forEach(function (key) { shapes[kind][key] = peacemapShape(frame[kind][key], previous[kind][key]); });
      });
      figures = Object.assign({}, figures, frame.f || {});
      shapes.f = figures;
      decoded.push(shapes);
      previous = shapes;
    }
    lastDecoded = Math.max(lastDecoded, index);
    return decoded[index];
  }
  function layersOf(kind, key) {
    var info = kind === "z" ? data.zones[key] : data.lines[key];
    var pane = kind === "z" ? data.panes.zones : data.panes.lines;
    var make = function (style) {
      var options = Object.assign({pane: pane}, style);
      return kind === "z" ? L.polygon([], options) : L.polyline([], options);
    };
    var main = make(info.style);
    main.bindTooltip(info.tooltip, {sticky: true});
    if (kind === "z") { main.bindPopup("", {maxWidth: 380}); }
    var group = [];
    if (info.casing) { group.push(make(info.casing)); }
    group.push(main);
    if (info.overlay) { group.push(make(info.overlay)); }
    return {layers: group, main: main, shape: null};
  }
  function place(kind, shapes) {
    Object.keys(drawn[kind]).forEach(function (key) {
      if (!shapes || !shapes[kind][key]) { drawn[kind][key].layers.forEach(function (layer) { layer.remove(); }); delete drawn[kind][key]; }
    });
    if (!shapes) { return; }
    Object.keys(shapes[kind]).forEach(function (key) {
      var entry = drawn[kind][key] || (drawn[kind][key] = layersOf(kind, key));
      if (kind === "z") { entry.main.setPopupContent(popup(key, shapes.f[key])); }
      var shape = shapes[kind][key];
      if (entry.shape === shape) { return; }
      var latlngs = kind === "z" ? shape.parts : shape.parts.map(function (part) { return part[0]; });
      entry.layers.forEach(function (layer) { layer.setLatLngs(latlngs); if (!map.hasLayer(layer)) { layer.addTo(map); } });
      entry.shape = shape;
    });
  }
  function number(value) { return Math.round(value).toLocaleString("en"); }
  function popup(key, figures) {
    var info = data.zones[key], lines = [info.popup];
    if (figures) {
      lines.push("Area: " + number(figures[0]) + " km²");
      lines.push("Population (1 January 2022): " + (figures[1] === null ? data.noFigure
        : number(figures[1]) + (figures[2] === null ? "" : " (range " + number(figures[2]) + "–" + number(figures[3]) + ")")));
    }
    lines.push(data.popupFoot);
    return lines.join("<br>");
  }
  function readoutRows(frame) {
    if (frame.gap) { return [[data.gap[0], 0, data.gap[1]]]; }
    var values = {};
    frame.r.forEach(function (row) { values[row[0]] = row[1]; });
    return Object.keys(data.labels).filter(function (key) { return key in values || data.always.indexOf(key) >= 0; })
      .map(function (key) { return [data.labels[key][0], data.labels[key][1], key in values ? values[key] : data.noLand]; });
  }
  function showReadout(frame) {
    readout.textContent = "";
    readoutRows(frame).forEach(function (row) {
      var line = document.createElement("div"), label = document.createElement("span"), value = document.createElement("span");
      line.className = "peacemap-fact peacemap-fact-depth-" + row[1];
      label.className = "peacemap-fact-label";
      label.textContent = row[0];
      value.className = "peacemap-fact-value";
      value.textContent = row[2];
      line.appendChild(label);
      line.appendChild(document.createTextNode(" "));
      line.appendChild(value);
      readout.appendChild(line);
    });
    readout.classList.toggle("peacemap-readout-gap", !!frame.gap);
  }
  function show(index) {
    index = Math.max(0, Math.min(frames.length - 1, index));
    if (index === current) { return; }
    current = index;
    var frame = frames[index], shapes = decodeTo(index);
    place("z", shapes);
    place("l", shapes);
    slider.value = String(index);
    dateBox.textContent = frame.d + (frame.gap ? " (no snapshot)" : "");
    showReadout(frame);
    player.dataset.frame = String(index);
  }
  function stop() { if (timer !== null) { clearInterval(timer); timer = null; } button.innerHTML = "&#9654;"; button.setAttribute("aria-label", "Play"); }
  function play() {
    if (current >= frames.length - 1) { show(0); }
    button.innerHTML = "&#10074;&#10074;"; button.setAttribute("aria-label", "Pause");
    timer = setInterval(function () { if (current >= frames.length - 1) { stop(); } else { show(current + 1); } }, data.interval);
  }
  L.DomEvent.disableClickPropagation(player);
  L.DomEvent.disableScrollPropagation(player);
  slider.addEventListener("input", function () { stop(); show(Number(slider.value)); });
  button.addEventListener("click", function () { if (timer === null) { play(); } else { stop(); } });
  document.addEventListener("keydown", function (event) {
    var target = event.target, tag = target && target.tagName;
    // The slider steps by itself; a focused map pans with the arrow keys (Leaflet's keyboard).
    var onMap = map.getContainer().contains(target) && !player.contains(target);  // the player sits in the map's frame
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || onMap) { return; }
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      stop(); show(current + (event.key === "ArrowRight" ? 1 : -1)); event.preventDefault();
    } else if (event.key === " " && tag !== "BUTTON") {
      (timer === null ? play : stop)(); event.preventDefault();
    } else if (event.key === "Home" || event.key === "End") {
      stop(); show(event.key === "Home" ? 0 : frames.length - 1); event.preventDefault();
    }
  });
  show(0);
}
