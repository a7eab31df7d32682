
function peacemapDecode(s) { return peacemapDecodeFrom(s, 0, 0); }
function peacemapDecodeFrom(s, lat0, lon0) {
  var out = [], i = 0, lat = lat0, lon = lon0;
  while (i < s.length) {
    var v = [0, 0];
    for (var k = 0; k < 2; k++) {
      var r = 0, shift = 0, b;
      do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << shift; shift += 5; } while (b >= 32);
      v[k] = (r & 1) ? ~(r >> 1) : (r >> 1);
    }
    lat += v[0]; lon += v[1];
    out.push([lon / 1e5, lat / 1e5]);
  }
  return out;
}
var peacemapShared = [];  // geometries several layers draw (the comparison map): {"r": index}
function peacemapUnpack(features) {
  return {type: "FeatureCollection", features: features.map(function (f) {
    var packed = f.g !== undefined ? f.g : peacemapShared[f.r];
    var g = packed.t === "P"
      ? {type: "MultiPolygon", coordinates: packed.c.map(function (p) { return p.map(peacemapDecode); })}
      : {type: "MultiLineString", coordinates: packed.c.map(peacemapDecode)};
    return {type: "Feature", properties: f.p, geometry: g};
  })};
}
