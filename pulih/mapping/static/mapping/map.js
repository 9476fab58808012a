/* The map page: draws the JSON layers with Leaflet (served by the app).
   Points are SVG circles, so they show even when no tile loads; the legend
   and the list are plain HTML on the page. */
(function () {
  "use strict";
  var COLOURS = { bahaya: "#a32121", waspada: "#d9741c", siaga: "#e0b400", aman: "#2e8b57", none: "#8a8f8d" };

  function text(s) { var d = document.createElement("div"); d.textContent = s; return d.innerHTML; }

  function layersChosen(form) {
    var out = {};
    form.querySelectorAll("input[name=layer]").forEach(function (i) { out[i.value] = i.checked; });
    return out;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.querySelector("[data-map]");
    var status = document.querySelector("[data-map-status]");
    var form = document.querySelector("[data-map-filters]");
    if (!el || typeof window.L === "undefined") { return; }
    var L = window.L;
    var map = L.map(el, { zoomControl: true, attributionControl: true }).setView([-2.5, 118], 4);
    var failed = 0;
    var tiles = L.tileLayer(el.getAttribute("data-tiles"), {
      maxZoom: 18, attribution: "© OpenStreetMap"
    });
    tiles.on("tileerror", function () {
      failed += 1;
      if (failed === 1) { status.textContent = el.getAttribute("data-msg-tiles"); el.classList.add("map--no-tiles"); }
    });
    tiles.addTo(map);

    fetch(el.getAttribute("data-api"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var chosen = layersChosen(form);
        var bounds = [];
        data.villages.forEach(function (v) {
          if (v.lat === null || v.lon === null) { return; }
          var show = (chosen.units && v.unit) || (chosen.bersinar && v.bersinar) || (chosen.ikrn && v.ikrn);
          if (!show) { return; }
          var fill = chosen.ikrn && v.ikrn ? COLOURS[v.ikrn.category] : (v.unit ? "#167a66" : "#8a8f8d");
          var ring = chosen.bersinar && v.bersinar;
          var lines = ["<strong>" + text(v.name) + "</strong>", text(v.label)];
          if (v.unit) { lines.push(text(el.getAttribute("data-msg-unit")) + ": " + text(v.unit.name)); }
          if (v.bersinar) { lines.push(text(el.getAttribute("data-msg-bersinar")) + ": " + text(v.bersinar.status_label)); }
          if (v.ikrn) { lines.push(text(el.getAttribute("data-msg-ikrn")) + " " + v.ikrn.year + ": " + text(v.ikrn.category_label || "—")); }
          L.circleMarker([v.lat, v.lon], {
            radius: 10, color: ring ? "#1f5fa8" : "#ffffff", weight: ring ? 4 : 2, fillColor: fill, fillOpacity: 0.95,
            className: "map-point map-point--village"
          }).bindPopup(lines.join("<br>")).addTo(map);
          bounds.push([v.lat, v.lon]);
        });
        if (data.hotspots && chosen.hotspots) {
          data.hotspots.forEach(function (h) {
            if (h.lat === null || h.lon === null) { return; }
            L.circleMarker([h.lat, h.lon], {
              radius: 6, color: "#ffffff", weight: 2, fillColor: "#6b2fa0", fillOpacity: 0.95,
              className: "map-point map-point--hotspot"
            }).bindPopup("<strong>" + text(h.label) + "</strong><br>" + text(el.getAttribute("data-msg-hotspot")) + ": " + text(h.kind_label)).addTo(map);
            bounds.push([h.lat, h.lon]);
          });
        }
        if (bounds.length === 1) { map.setView(bounds[0], 13, { animate: false }); }
        else if (bounds.length > 1) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14, animate: false }); }
      })
      .catch(function () { /* the list below the map still shows everything */ });
  });
})();
