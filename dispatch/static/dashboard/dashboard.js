/* Cầu Nối dashboard: coverage map (Leaflet), trend charts (Chart.js), live board updates. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var charts = JSON.parse(document.getElementById("chart-data").textContent);
  var labels = JSON.parse(document.getElementById("dashboard-labels").textContent);
  var OPEN = ["received", "routed", "accepted", "in_progress", "escalated"];
  var COLOURS = { 2: "#c0392b", 1: "#e67e22", 0: "#1f78b4" };
  // Numbers and dates as the viewer's language writes them (vi: 1.234,5; en: 1,234.5).
  var locale = labels.locale || document.documentElement.lang || "vi";
  var numbers = new Intl.NumberFormat(locale);
  function number(n) { return numbers.format(Number(n) || 0); }

  // --- Map -----------------------------------------------------------------------------
  var map = L.map("map", { zoomSnap: 0.25 }).setView(data.center, 12);
  var mapBox = document.getElementById("map");
  var offlineNote = document.getElementById("map-offline");
  var villageLabels = [];
  // Tiles that cannot load (no network, a blocked or dead tile server): say so and
  // name the villages on their outlines, which come from our own registry.
  function tilesFailed() {
    if (mapBox.classList.contains("tiles-offline")) { return; }
    mapBox.classList.add("tiles-offline");
    if (offlineNote) { offlineNote.hidden = false; }
    villageLabels.forEach(function (pair) {
      pair[0].bindTooltip(pair[1], {
        permanent: true, direction: "center", className: "village-label",
      }).openTooltip();
    });
  }
  if (data.tiles && navigator.onLine !== false) {
    L.tileLayer(data.tiles, { maxZoom: 18, attribution: data.attribution })
      .on("tileerror", tilesFailed)
      .addTo(map);
  }
  function text(value) {  // tooltips as text, never HTML: names are typed by people
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }
  var villages = {};
  var bounds = [];
  data.villages.forEach(function (v) {
    villages[v.id] = v;
    bounds.push([v.lat, v.lng]);
    // The village's area (nearest to its centre, inside the commune): a plain map of
    // the commune that needs no tiles.
    if (v.outline && v.outline.length >= 3) {
      var area = L.polygon(v.outline, {
        className: "village-area", weight: 1, fillOpacity: 0.12, interactive: false,
      }).addTo(map);
      villageLabels.push([area, text(v.name)]);
    }
    L.circleMarker([v.lat, v.lng], {
      radius: 3 + Math.sqrt(v.households || 0) / 4,
      className: "village-marker", weight: 1, fillOpacity: 0.5,
    }).bindTooltip(text(v.name + " · " + number(v.households) + " " + labels.households)).addTo(map);
  });
  if (!data.tiles || navigator.onLine === false) { tilesFailed(); }
  // Team bases: the number is who is on duty now; a `team.duty` push changes it live.
  var teams = {};
  function teamIcon(t) {
    var n = Number(t.on_duty) || 0;
    return L.divIcon({
      className: "team-marker" + (n ? "" : " nobody"),
      html: '<span data-team-id="' + Number(t.id) + '">' + n + "</span>",
      iconSize: [22, 22],
    });
  }
  function teamTip(t) {
    return text(t.name + ": " + t.on_duty + "/" + t.members + " " + labels.on_duty);
  }
  data.teams.forEach(function (t) {
    t.marker = L.marker([t.lat, t.lng], { icon: teamIcon(t), keyboard: false })
      .bindTooltip(teamTip(t))
      .addTo(map);
    teams[t.id] = t;
  });
  function teamDuty(m) {
    var t = teams[m.team_id];
    if (!t) { return; }  // an inactive team, or one added since the page loaded
    t.on_duty = m.on_duty;
    if (typeof m.members === "number") { t.members = m.members; }
    t.marker.setIcon(teamIcon(t));
    t.marker.setTooltipContent(teamTip(t));
  }
  if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20] }); }

  var requests = {};
  function place(r) {
    var v = villages[r.village_id];
    var centre = v ? [v.lat, v.lng] : data.center;
    // Requests sit near their village, never at the home: spread them a little by id.
    var angle = (r.request_id * 2.399) % (2 * Math.PI);
    var step = 0.0012 * (1 + (r.request_id % 5));
    return [centre[0] + step * Math.sin(angle), centre[1] + step * Math.cos(angle)];
  }
  function show(r) {
    var old = requests[r.request_id];
    if (old) { map.removeLayer(old); delete requests[r.request_id]; }
    if (OPEN.indexOf(r.status) < 0) { return; }
    var waiting = r.status === "received" || r.status === "routed" || r.status === "escalated";
    var marker = L.circleMarker(place(r), {
      radius: 6, color: waiting ? "#222" : COLOURS[r.priority] || COLOURS[0],
      weight: waiting ? 3 : 1, fillColor: COLOURS[r.priority] || COLOURS[0], fillOpacity: 0.9,
      className: "request-marker status-" + r.status,
    }).bindTooltip(text(r.code + " · " + ((labels.statuses || {})[r.status] || r.status))).addTo(map);
    marker.getElement && marker.getElement() && marker.getElement().setAttribute("data-code", r.code);
    requests[r.request_id] = marker;
  }
  data.requests.forEach(show);

  // --- Charts --------------------------------------------------------------------------
  function chart(id, rows, type) {
    var el = document.getElementById(id);
    if (!el || typeof Chart === "undefined") { return; }
    new Chart(el, {
      type: type,
      data: {
        labels: rows.map(function (r) { return r.label; }),
        datasets: [
          { label: labels.received, data: rows.map(function (r) { return r.received; }), borderColor: "#1f78b4", backgroundColor: "#1f78b455" },
          { label: labels.processed, data: rows.map(function (r) { return r.processed; }), borderColor: "#33a02c", backgroundColor: "#33a02c55" },
          { label: labels.on_time, data: rows.map(function (r) { return r.on_time; }), borderColor: "#ff7f00", backgroundColor: "#ff7f0055" },
        ],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, locale: locale,
        plugins: {
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? rows[items[0].dataIndex].title : ""; },
            },
          },
        },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }
  chart("chart-day", charts.day, "line");
  chart("chart-week", charts.week, "bar");

  // --- Live updates from the board channel ---------------------------------------------
  var state = document.getElementById("live-state");
  var lastEvent = 0;
  var delay = 1000;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + location.host + "/ws/board/?commune=" + mapBox.getAttribute("data-commune") +
      (lastEvent ? "&event_id=" + lastEvent : "");
    var socket = new WebSocket(url);
    socket.onopen = function () {
      delay = 1000;
      state.textContent = labels.connected;
      state.setAttribute("data-connected", "1");
    };
    socket.onmessage = function (e) {
      var message;
      try { message = JSON.parse(e.data); } catch (err) { return; }
      if (message.event_id) { lastEvent = Math.max(lastEvent, message.event_id); }
      if (message.type === "team.duty") { teamDuty(message); return; }
      if (message.type === "hello") {  // (re)connected: the counts as they are now
        (message.teams || []).forEach(function (t) {
          teamDuty({ team_id: t.id, on_duty: t.on_duty, members: t.members });
        });
        return;
      }
      if (message.request_id && message.status) { show(message); }
    };
    socket.onclose = function (e) {
      state.setAttribute("data-connected", "0");
      if (e.code === 4403) { state.textContent = labels.not_live; return; }  // not allowed: stop
      state.textContent = labels.disconnected;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  // The live channel is the commune office's; others see the figures as loaded.
  if (mapBox.getAttribute("data-live") === "1") { connect(); }
})();
