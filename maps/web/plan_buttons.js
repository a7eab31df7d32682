
function peacemapPlanButtons(map, groups) {
  var buttons = Array.prototype.slice.call(document.querySelectorAll(".peacemap-plan-button"));
  // The pressed button, and the fact box's section of the plan shown.
  function pressed(group) {
    buttons.forEach(function (button) { button.setAttribute("aria-pressed", groups[Number(button.dataset.plan)] === group ? "true" : "false"); });
    var shown = groups.indexOf(group);
    if (shown < 0) { return; }
    document.querySelectorAll(".peacemap-facts-plan").forEach(function (section) { section.hidden = Number(section.dataset.plan) !== shown; });
    if (typeof peacemapPlaceFacts === "function") { peacemapPlaceFacts(map); }
  }
  buttons.forEach(function (button) {
    L.DomEvent.disableClickPropagation(button);
    button.addEventListener("click", function () {
      var chosen = groups[Number(button.dataset.plan)];
      if (map.hasLayer(chosen)) { return; }
      groups.forEach(function (group) { if (group !== chosen && map.hasLayer(group)) { map.removeLayer(group); } });
      map.addLayer(chosen);
      map.fire("baselayerchange", {layer: chosen, name: button.title});
      pressed(chosen);
    });
  });
  map.on("baselayerchange", function (event) { pressed(event.layer); });
}
