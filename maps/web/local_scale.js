(function (map) {
    var units = __UNITS__;
    var Scale = L.Control.Scale.extend({
        _updateMetric: function (maxMeters) {
            var meters = this._getRoundNum(maxMeters);
            var label = meters < 1000 ? meters + units.m : (meters / 1000) + units.km;
            this._updateScale(this._mScale, label, meters / maxMeters);
        }
    });
    new Scale({imperial: false}).addTo(map);
    if (map.zoomControl) {
        map.zoomControl._zoomInButton.title = units.zoomIn;
        map.zoomControl._zoomOutButton.title = units.zoomOut;
    }
})
