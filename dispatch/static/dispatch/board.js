// Cầu Nối live board: every open request of the commune, updated over /ws/board/.
(function () {
  "use strict";
  var app = document.getElementById("b-app");
  if (!app) return;
  var T = JSON.parse(document.getElementById("b-strings").textContent);
  // Status, category and priority names in the viewer's language (from the page).
  var LABELS = JSON.parse(document.getElementById("b-labels").textContent);
  var FILTERS_KEY = "caunoi.board.filters." + app.dataset.commune;
  var WAITING = ["received", "routed", "escalated"];
  var OPEN = ["received", "routed", "accepted", "in_progress", "escalated"];
  var rows = {};   // request_id → row data
  var state = { labels: { category: {}, status: {}, priority: {} }, teams: [], villages: [], volunteers: [] };
  var canMove = false;
  var tab = "all";  // "all" or "triage": requests the system could not place
  var lastEventId = 0;
  var retries = 0;
  var socket = null;
  var el = function (id) { return document.getElementById(id); };
  var fmt = function (t, v) { return t.replace(/%\((\w+)\)s/g, function (_, k) { return v[k]; }); };

  function setConn(s) { var c = el("b-conn"); c.dataset.state = s; c.textContent = T[s]; }

  function connect() {
    setConn("connecting");
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + location.host + "/ws/board/?commune=" + app.dataset.commune;
    if (lastEventId) url += "&event_id=" + lastEventId;
    socket = new WebSocket(url);
    socket.onopen = function () { retries = 0; setConn("online"); };
    socket.onmessage = function (e) { handle(JSON.parse(e.data)); };
    socket.onclose = function () {
      setConn("offline");
      setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, retries++)) * (0.5 + Math.random()));
    };
  }

  function notice(text) {
    var box = el("b-notice");
    box.textContent = text;
    box.hidden = false;
    setTimeout(function () { box.hidden = true; }, 6000);
  }

  function handle(m) {
    if (m.event_id && m.event_id > lastEventId) lastEventId = m.event_id;
    if (m.type === "hello") {
      state = m;
      state.labels = LABELS;
      canMove = m.can_reassign;
      rows = {};
      m.requests.forEach(function (r) { rows[r.request_id] = r; });
      fillFilters();
    } else if (m.type === "offer.opened" || m.type === "offer.closed" || m.type === "request.changed") {
      var isNew = !rows[m.request_id];
      update(m);
      var r = rows[m.request_id];
      if (isNew && r && r.priority >= 2 && !r.volunteer_id) ring();
    } else if (m.type === "sms.failed") {
      if (rows[m.request_id]) rows[m.request_id].sms_failed = (rows[m.request_id].sms_failed || 0) + 1;
      notice(fmt(T.sms_failed, { code: m.code }));
    } else if (m.type === "board.notice" || m.type === "notice") {
      notice(m.text);
    } else if (m.type === "result") {
      notice(fmt(T.done, { code: (rows[m.request_id] || {}).code || "" }));
    } else if (m.type === "error") {
      notice(m.message);
    }
    render();
  }

  function update(m) {
    if (OPEN.indexOf(m.status) < 0) { delete rows[m.request_id]; return; }
    var row = rows[m.request_id] || {};
    ["request_id", "code", "status", "category", "priority", "village", "village_id",
     "team_id", "team", "volunteer_id", "needs_triage", "candidates", "created_at", "due_at"].forEach(function (k) {
      row[k] = m[k];
    });
    if (m.status === "escalated") row.escalated = true;
    if (m.type === "offer.opened" && m.offer_state === "open") {
      row.offer_id = m.offer_id;
      row.expires_at = m.expires_at;
    } else if (m.type === "offer.closed" && row.offer_id === m.offer_id) {
      row.offer_id = null;
      row.expires_at = null;
    }
    if (m.status === "accepted" || m.status === "in_progress") row.expires_at = null;
    rows[m.request_id] = row;
  }

  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    select.appendChild(o);
    return o;
  }

  function fillFilters() {
    var f = el("b-filters").elements;
    [["team", state.teams], ["village", state.villages]].forEach(function (pair) {
      var select = f[pair[0]];
      while (select.options.length > 1) select.remove(1);
      pair[1].forEach(function (x) { option(select, x.id, x.name); });
    });
    var cat = f.category;
    while (cat.options.length > 1) cat.remove(1);
    Object.keys(state.labels.category).forEach(function (k) { option(cat, k, state.labels.category[k]); });
    restoreFilters();
  }

  // Filters and the tab are remembered on this device, per commune.
  function saveFilters() {
    var f = el("b-filters").elements;
    try {
      localStorage.setItem(FILTERS_KEY, JSON.stringify({
        team: f.team.value, village: f.village.value, category: f.category.value, tab: tab
      }));
    } catch (e) { /* private mode: filters simply are not remembered */ }
  }

  function restoreFilters() {
    var saved = {};
    try { saved = JSON.parse(localStorage.getItem(FILTERS_KEY) || "{}"); } catch (e) { saved = {}; }
    var f = el("b-filters").elements;
    ["team", "village", "category"].forEach(function (k) { if (saved[k]) f[k].value = saved[k]; });
    if (saved.tab === "triage") selectTab(el("b-tab-triage"));
  }

  // A short beep when an urgent request arrives with nobody on it (opt-in: browsers
  // allow sound only after the user has touched the page).
  var audio = null;
  function ring() {
    if (!el("b-sound").checked) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.2;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.4);
    } catch (e) { /* no audio on this device */ }
  }

  function glance(all) {
    var counts = {};
    all.forEach(function (r) { counts[r.status] = (counts[r.status] || 0) + 1; });
    var list = el("b-states");
    list.textContent = "";
    OPEN.forEach(function (s) {
      var li = document.createElement("li");
      li.dataset.status = s;
      li.textContent = (state.labels.status[s] || s) + ": " + (counts[s] || 0);
      list.appendChild(li);
    });
    var waiting = all.filter(function (r) { return WAITING.indexOf(r.status) >= 0 && !r.volunteer_id; });
    waiting.sort(function (a, b) { return Date.parse(a.created_at) - Date.parse(b.created_at); });
    var oldest = el("b-oldest");
    oldest.textContent = waiting.length
      ? fmt(T.oldest, { code: waiting[0].code, min: minutes(waiting[0].created_at) })
      : T.none_waiting;
    oldest.dataset.late = String(!!waiting.length && minutes(waiting[0].created_at) >= 15);
  }

  function volunteerName(id) {
    for (var i = 0; i < state.volunteers.length; i++) if (state.volunteers[i].id === id) return state.volunteers[i].name;
    return "";
  }

  function minutes(iso) { return Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000)); }

  function countdown(iso) {
    if (!iso) return "";
    var s = Math.round((Date.parse(iso) - Date.now()) / 1000);
    if (s <= 0) return T.expired;
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }

  function targets(select) {
    option(select, "", T.pick);
    var g1 = document.createElement("optgroup");
    g1.label = T.teams;
    state.teams.forEach(function (t) { option(g1, "team:" + t.id, t.name); });
    var g2 = document.createElement("optgroup");
    g2.label = T.volunteers;
    state.volunteers.forEach(function (v) { option(g2, "volunteer:" + v.id, v.name); });
    select.appendChild(g1);
    select.appendChild(g2);
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function render() {
    var f = el("b-filters").elements;
    var body = el("b-rows");
    // Keep what the secretary was choosing: rows are rebuilt on every live update.
    var chosen = {};
    body.querySelectorAll("tr.b-row").forEach(function (tr) {
      var s = tr.querySelector(".b-target");
      if (s && s.value) chosen[tr.dataset.request] = s.value;
    });
    body.textContent = "";
    var focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("tr.b-row") : null;
    var focusedId = focused === document.activeElement ? focused.dataset.request : null;
    var all = Object.keys(rows).map(function (k) { return rows[k]; });
    glance(all);
    el("b-triage-count").textContent = all.filter(function (r) { return r.needs_triage; }).length;
    var list = all.filter(function (r) {
      if (tab === "triage" && !r.needs_triage) return false;
      return (!f.team.value || String(r.team_id) === f.team.value) &&
        (!f.village.value || String(r.village_id) === f.village.value) &&
        (!f.category.value || r.category === f.category.value);
    }).sort(function (a, b) {
      return (b.priority - a.priority) || (Date.parse(a.created_at) - Date.parse(b.created_at));
    });
    list.forEach(function (r) {
      var tr = document.getElementById("t-row").content.firstElementChild.cloneNode(true);
      tr.dataset.request = r.request_id;
      tr.dataset.priority = r.priority;
      tr.dataset.escalated = String(r.status === "escalated" || !!r.escalated);
      var code = tr.querySelector(".b-code");
      code.textContent = r.code;
      code.href = "/requests/" + r.code + "/";
      tr.querySelector(".b-status").textContent = state.labels.status[r.status] || r.status;
      var badge = tr.querySelector(".b-priority");
      badge.textContent = state.labels.priority[String(r.priority)] || "";
      badge.dataset.priority = r.priority;
      var failed = tr.querySelector(".b-sms-failed");
      failed.hidden = !r.sms_failed;
      failed.textContent = r.sms_failed ? fmt(T.sms_failed_badge, { n: r.sms_failed }) : "";
      tr.querySelector(".b-category").textContent = state.labels.category[r.category] || r.category;
      tr.querySelector(".b-village").textContent = r.village || T.unknown_village;
      var who = volunteerName(r.volunteer_id);
      tr.querySelector(".b-team").textContent = (r.team || "") + (who ? " · " + who : "");
      tr.querySelector(".b-age").textContent = fmt(T.minutes, { min: minutes(r.created_at) });
      var exp = tr.querySelector(".b-expiry");
      exp.dataset.iso = r.expires_at || "";
      exp.textContent = countdown(r.expires_at);
      var move = tr.querySelector(".b-move");
      if (r.needs_triage) placeControls(tr, r);
      if (canMove) {
        var select = tr.querySelector(".b-target");
        targets(select);
        if (chosen[r.request_id]) select.value = chosen[r.request_id];
        tr.querySelector(".b-reassign").onclick = function () {
          var parts = select.value.split(":");
          if (parts.length !== 2) return;
          var msg = { action: "reassign", request_id: r.request_id };
          msg[parts[0] + "_id"] = Number(parts[1]);
          send(msg);
        };
        tr.querySelector(".b-escalate").onclick = function () {
          var reason = window.prompt(T.escalate_reason, "");
          if (reason !== null) send({ action: "escalate", request_id: r.request_id, reason: reason });
        };
      } else {
        [".b-target", ".b-reassign", ".b-escalate"].forEach(function (s) {
          var n = move.querySelector(s);
          if (n) n.remove();
        });
      }
      tr.tabIndex = 0;
      body.appendChild(tr);
      if (focusedId === String(r.request_id)) tr.focus();
    });
    el("b-count").textContent = list.length;
  }

  // Triage: one click on a candidate village (or any village of the commune) places
  // the request; the server routes it to that village's team at once.
  function placeControls(tr, r) {
    var box = tr.querySelector(".b-place");
    box.hidden = false;
    var holder = box.querySelector(".b-candidates");
    (r.candidates || []).forEach(function (c) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "b-candidate";
      b.textContent = c.name;
      b.onclick = function () { send({ action: "place", request_id: r.request_id, village_id: c.village_id }); };
      holder.appendChild(b);
    });
    var pick = box.querySelector(".b-village-pick");
    option(pick, "", T.pick_village);
    state.villages.forEach(function (v) { option(pick, v.id, v.name); });
    box.querySelector(".b-place-other").onclick = function () {
      if (pick.value) send({ action: "place", request_id: r.request_id, village_id: Number(pick.value) });
    };
  }

  function selectTab(b) {
    tab = b.dataset.tab;
    document.querySelectorAll(".b-tabs [role=tab]").forEach(function (o) {
      o.setAttribute("aria-selected", o === b ? "true" : "false");
    });
    el("b-panel").setAttribute("aria-labelledby", b.id);
  }

  document.querySelectorAll(".b-tabs [role=tab]").forEach(function (b) {
    b.onclick = function () { selectTab(b); saveFilters(); render(); };
  });
  el("b-filters").onchange = function () { saveFilters(); render(); };

  // Rows are keyboard-navigable: arrows move between them, Enter opens the request.
  el("b-rows").addEventListener("keydown", function (e) {
    var tr = e.target;
    if (!tr.classList || !tr.classList.contains("b-row")) return;
    if (e.key === "ArrowDown" && tr.nextElementSibling) { tr.nextElementSibling.focus(); e.preventDefault(); }
    else if (e.key === "ArrowUp" && tr.previousElementSibling) { tr.previousElementSibling.focus(); e.preventDefault(); }
    else if (e.key === "Enter") { location.href = tr.querySelector(".b-code").href; }
  });
  setInterval(function () {
    document.querySelectorAll(".b-expiry").forEach(function (n) {
      n.textContent = countdown(n.dataset.iso);
      n.classList.toggle("b-late", n.textContent === T.expired);
    });
  }, 1000);
  connect();
})();
