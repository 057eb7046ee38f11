/* Cầu Nối campaign map: households by state, clustered (self-hosted Leaflet + markercluster). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("c-map-data").textContent);
  if (typeof L === "undefined") return;
  var map = L.map("c-map").setView(data.center, 12);
  if (data.tiles) {
    L.tileLayer(data.tiles, { maxZoom: 18, attribution: data.attribution }).addTo(map);
  }
  var cluster = L.markerClusterGroup ? L.markerClusterGroup({ maxClusterRadius: 40 }) : L.layerGroup();
  var bounds = [];
  data.points.forEach(function (p) {
    var icon = L.divIcon({ className: "c-marker " + p.state, iconSize: [14, 14] });
    var label = document.createElement("span");  // text, never HTML
    label.textContent = p.code + " · " + (data.labels[p.state] || p.state);
    cluster.addLayer(L.marker([p.lat, p.lng], { icon: icon, keyboard: false }).bindTooltip(label));
    bounds.push([p.lat, p.lng]);
  });
  cluster.addTo(map);
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
})();
