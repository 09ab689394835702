// marsad: optional map zoom. The pages work without it (zoom links); with it, a click on the
// map zooms in there and the mouse wheel zooms in or out, by loading the page with a new bbox.
"use strict";
(function () {
  function bboxOf(svg) {
    var b = (svg.getAttribute("data-bbox") || "").split(",").map(Number);
    return b.length === 4 && b.every(isFinite) ? b : null;
  }
  function go(svg, b) {
    var base = svg.getAttribute("data-href") || "/";
    var sep = base.indexOf("?") >= 0 ? (/[?&]$/.test(base) ? "" : "&") : "?";
    var clamp = function (v, lo, hi) { return Math.max(lo, Math.min(hi, v)); };
    var p = [clamp(b[0], -180, 180), clamp(b[1], -85, 85), clamp(b[2], -180, 180), clamp(b[3], -85, 85)];
    if (p[0] >= p[2] || p[1] >= p[3]) { return; }
    window.location.href = base + sep + "bbox=" + p.map(function (v) { return v.toFixed(2); }).join(",");
  }
  function at(svg, ev) {
    var b = bboxOf(svg), r = svg.getBoundingClientRect();
    if (!b || r.width === 0 || r.height === 0) { return null; }
    var fx = (ev.clientX - r.left) / r.width, fy = (ev.clientY - r.top) / r.height;
    return { b: b, lon: b[0] + fx * (b[2] - b[0]), lat: b[3] - fy * (b[3] - b[1]) };
  }
  function zoom(svg, ev, factor) {
    var p = at(svg, ev);
    if (!p) { return; }
    var w = (p.b[2] - p.b[0]) / factor / 2, h = (p.b[3] - p.b[1]) / factor / 2;
    go(svg, [p.lon - w, p.lat - h, p.lon + w, p.lat + h]);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var maps = document.querySelectorAll("svg.map[data-bbox]");
    Array.prototype.forEach.call(maps, function (svg) {
      svg.addEventListener("click", function (ev) {
        if (ev.target.closest && ev.target.closest("a")) { return; }
        zoom(svg, ev, 2);
      });
      var pending = null;
      svg.addEventListener("wheel", function (ev) {
        ev.preventDefault();
        if (pending) { return; }
        var e = { clientX: ev.clientX, clientY: ev.clientY };
        var f = ev.deltaY < 0 ? 2 : 0.5;
        pending = setTimeout(function () { zoom(svg, e, f); }, 120);
      }, { passive: false });
    });
  });
})();
