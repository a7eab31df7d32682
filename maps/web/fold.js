(function () {
  if (document.documentElement.clientWidth >= __NARROW_PX__) { return; }
  document.querySelectorAll(".peacemap-legend, .peacemap-attribution").forEach(function (box) { box.removeAttribute("open"); });
})();
