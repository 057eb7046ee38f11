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
  var state = { labels: { category: {}, status: {}, priority: {} }, teams: [], villages: [] };
  var canMove = false;     // secretaries: assign, cancel, merge, close, reopen, escalate
  var canCorrect = false;  // every office viewer: edit and note
  var drawerId = null;     // the request the action drawer is open for
  var nextRef = 1;
  var pending = {};        // ref → action sent from the drawer
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
      canCorrect = m.can_correct;
      el("b-reopen-box").hidden = !canMove;
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
      answered(m);
    } else if (m.type === "error") {
      failed(m);
    }
    render();
  }

  function update(m) {
    if (OPEN.indexOf(m.status) < 0) { delete rows[m.request_id]; return; }
    var row = rows[m.request_id] || {};
    ["request_id", "code", "status", "category", "priority", "village", "village_id",
     "team_id", "team", "volunteer_id", "volunteer", "needs_triage", "candidates", "callback_failed",
     "created_at", "due_at"].forEach(function (k) {
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

  function minutes(iso) { return Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000)); }

  function countdown(iso) {
    if (!iso) return "";
    var s = Math.round((Date.parse(iso) - Date.now()) / 1000);
    if (s <= 0) return T.expired;
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  function render() {
    var f = el("b-filters").elements;
    var body = el("b-rows");
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
      tr.querySelector(".b-callback-failed").hidden = !r.callback_failed;
      tr.querySelector(".b-team").textContent = (r.team || "") + (r.volunteer ? " · " + r.volunteer : "");
      tr.querySelector(".b-age").textContent = fmt(T.minutes, { min: minutes(r.created_at) });
      var exp = tr.querySelector(".b-expiry");
      exp.dataset.iso = r.expires_at || "";
      exp.textContent = countdown(r.expires_at);
      var move = tr.querySelector(".b-move");
      if (r.needs_triage) placeControls(tr, r);
      var open = move.querySelector(".b-open");
      if (canCorrect) {
        open.setAttribute("aria-label", fmt(T.open_drawer, { code: r.code }));
        open.onclick = function () { openDrawer(r.request_id); };
      } else {
        open.remove();
      }
      tr.tabIndex = 0;
      body.appendChild(tr);
      if (focusedId === String(r.request_id)) tr.focus();
    });
    el("b-count").textContent = list.length;
    // The request in the drawer was closed elsewhere (another board, the resident).
    if (drawerId && !rows[drawerId] && el("b-drawer").open) closeDrawer();
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

  // --- The action drawer: one request's actions, each one socket action → one service.

  function drawerError(text) {
    var box = el("b-drawer-error");
    box.textContent = text || "";
    box.hidden = !text;
    if (text) box.focus();
  }

  function drawerStatus(text) { el("b-drawer-status").textContent = text || ""; }

  function openDrawer(id) {
    var r = rows[id];
    if (!r) return;
    drawerId = id;
    el("b-drawer-code").textContent = r.code;
    el("b-drawer-link").href = "/requests/" + r.code + "/";
    drawerError("");
    drawerStatus("");
    el("b-edit-category").value = r.category;
    el("b-edit-priority").value = String(r.priority);
    var village = el("b-edit-village");
    village.textContent = "";
    option(village, "", T.same_village);
    state.villages.forEach(function (v) { option(village, v.id, v.name); });
    village.value = r.village_id ? String(r.village_id) : "";
    var team = el("b-assign-team");
    team.textContent = "";
    option(team, "", T.no_team);
    state.teams.forEach(function (t) { option(team, t.id, t.name + " (" + t.on_duty + "/" + t.members + ")"); });
    el("b-picks").textContent = "";
    el("b-picker-q").value = "";
    ["b-note", "b-cancel", "b-merge", "b-resolve", "b-escalate"].forEach(function (f) { el(f).reset(); });
    document.querySelectorAll("#b-drawer .b-manage").forEach(function (f) { f.hidden = !canMove; });
    var dialog = el("b-drawer");
    if (!dialog.open) dialog.showModal();
    if (canMove) search();
    el("b-edit-category").focus();
  }

  function closeDrawer() {
    var dialog = el("b-drawer");
    if (dialog.open) dialog.close();
    var back = drawerId && document.querySelector('tr.b-row[data-request="' + drawerId + '"] .b-open');
    drawerId = null;
    if (back) back.focus();
  }

  function act(action, fields) {
    var ref = nextRef++;
    var message = { action: action, ref: ref };
    Object.keys(fields).forEach(function (k) { message[k] = fields[k]; });
    pending[ref] = action;
    drawerError("");
    if (!send(message)) { delete pending[ref]; drawerError(T.offline_action); }
  }

  function search() {
    if (!drawerId) return;
    el("b-picks").textContent = T.searching;
    act("picks", { request_id: drawerId, q: el("b-picker-q").value });
  }

  function showPicks(picks) {
    var holder = el("b-picks");
    holder.textContent = "";
    if (!picks.length) { holder.textContent = T.no_picks; return; }
    picks.forEach(function (p) {
      var label = document.createElement("label");
      label.className = "b-pick";
      label.dataset.free = String(p.free);
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "volunteer_id";
      input.value = p.volunteer_id;
      label.appendChild(input);
      var parts = [p.name, p.team, p.on_duty ? T.on_duty : T.off_duty];
      if (p.distance_km !== null) parts.push(fmt(T.km, { km: p.distance_km }));
      parts.push(fmt(T.load, { load: p.load, capacity: p.capacity }));
      label.appendChild(document.createTextNode(" " + parts.join(" · ")));
      holder.appendChild(label);
    });
  }

  function answered(m) {
    var action = pending[m.ref];
    delete pending[m.ref];
    var code = m.code || (rows[m.request_id] || {}).code || "";
    if (action === "picks") {
      if (m.request_id === drawerId) showPicks(m.picks);
      return;
    }
    var text = fmt(T["done_" + action] || T.done, { code: code, merged: m.merged || "" });
    if (!action) { notice(fmt(T.done, { code: code })); return; }
    notice(text);
    if (action === "reopen") { el("b-reopen").reset(); return; }
    drawerStatus(text);
    if (action === "note") el("b-note").reset();
    if (m.status && OPEN.indexOf(m.status) < 0) closeDrawer();
  }

  function failed(m) {
    var action = pending[m.ref];
    delete pending[m.ref];
    if (action && action !== "reopen" && el("b-drawer").open) {
      if (action === "picks") el("b-picks").textContent = "";
      drawerError(m.message);
    } else {
      notice(m.message);
    }
  }

  function formFields(form) {
    var out = {};
    new FormData(form).forEach(function (value, key) { out[key] = value; });
    return out;
  }

  document.querySelectorAll("#b-drawer form[data-action]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!drawerId) return;
      var action = form.dataset.action;
      var f = formFields(form);
      var msg = { request_id: drawerId };
      if (action === "edit") {
        msg.category = f.category;
        msg.priority = Number(f.priority);
        if (f.village_id) msg.village_id = Number(f.village_id);
      } else if (action === "assign") {
        if (f.volunteer_id) msg.volunteer_id = Number(f.volunteer_id);
        else if (f.team_id) msg.team_id = Number(f.team_id);
      } else {
        Object.keys(f).forEach(function (k) { msg[k] = f[k]; });
      }
      act(action, msg);
    });
  });
  el("b-picker-search").onclick = search;
  el("b-picker-q").addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); search(); }
  });
  el("b-drawer-close").onclick = closeDrawer;
  el("b-drawer").addEventListener("close", function () { drawerId = null; });
  el("b-reopen").addEventListener("submit", function (e) {
    e.preventDefault();
    var f = formFields(e.target);
    var ref = nextRef++;
    pending[ref] = "reopen";
    if (!send({ action: "reopen", ref: ref, code: f.code, reason: f.reason })) notice(T.offline_action);
  });

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
