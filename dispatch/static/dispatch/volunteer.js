// Cầu Nối volunteer app: live offers and my assignments over one WebSocket.
// Plain JS, no framework: a cheap Android phone on slow 3G must load it at once.
(function () {
  "use strict";
  var app = document.getElementById("v-app");
  if (!app) return;
  var T = JSON.parse(document.getElementById("v-strings").textContent);
  var me = Number(app.dataset.volunteer);
  var myTeam = Number(app.dataset.team);
  var CURSOR_KEY = "caunoi.v.event_id." + me;
  // Taps not yet answered by the server, kept across reloads and lost connections.
  var QUEUE_KEY = "caunoi.v.queue." + me;
  var leader = app.dataset.leader === "1";
  var offers = {};       // offer_id → offer card
  var chosenOutcome = {}; // request_id → outcome picked but not yet sent (kept across renders)
  var mine = {};         // request_id → assignment card
  var labels = { category: {}, status: {}, outcome: {}, priority: {}, needs: {}, guides: {} };
  var socket = null;
  var retries = 0;
  var pingTimer = null;
  var retryTimer = null;
  var lastEventId = Number(localStorage.getItem(CURSOR_KEY) || 0);
  var el = function (id) { return document.getElementById(id); };

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, k) { return values[k]; });
  }

  // --- Connection with backoff --------------------------------------------------------
  function setConn(state) {
    var conn = el("v-conn");
    conn.dataset.state = state;
    conn.textContent = T[state];
  }

  function connect() {
    setConn("connecting");
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + location.host + "/ws/volunteer/";
    if (lastEventId) url += "?event_id=" + lastEventId;
    socket = new WebSocket(url);
    socket.onopen = function () {
      retries = 0;
      setConn("online");
      flush();
      clearInterval(pingTimer);
      pingTimer = setInterval(function () { send({ action: "ping" }); }, 25000);
    };
    socket.onmessage = function (e) { handle(JSON.parse(e.data)); };
    socket.onclose = function (e) {
      clearInterval(pingTimer);
      setConn("offline");
      if (e.code === 4403) { location.href = "/v/login/"; return; }
      // 1 s, 2 s, 4 s … up to 30 s, with jitter so a village's phones don't sync up.
      var wait = Math.min(30000, 1000 * Math.pow(2, retries++)) * (0.5 + Math.random());
      clearTimeout(retryTimer);
      retryTimer = setTimeout(connect, wait);
    };
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  // --- Offline queue: every tap gets an id, waits here until answered ----------------
  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }

  function saveQueue(items) {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
    showPending();
  }

  function newId() {
    return "a" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  }

  // Sent now if connected, else when the connection comes back; the server runs each id once.
  function act(message) {
    message.action_id = newId();
    saveQueue(queue().concat([message]));
    if (!send(message)) notice(T.queued_one);
    render();
    return true;
  }

  function answered(actionId) {
    if (!actionId) return;
    saveQueue(queue().filter(function (m) { return m.action_id !== actionId; }));
  }

  function flush() {
    queue().forEach(function (m) { send(m); });
  }

  function isPending(action, key, value) {
    return queue().some(function (m) { return m.action === action && m[key] === value; });
  }

  function showPending() {
    var n = queue().length;
    var box = el("v-pending");
    box.hidden = n === 0;
    box.textContent = n ? fmt(T.queued, { n: n }) : "";
  }

  // --- Messages -----------------------------------------------------------------------
  function handle(m) {
    if (m.event_id && m.event_id > lastEventId) {
      lastEventId = m.event_id;
      localStorage.setItem(CURSOR_KEY, String(lastEventId));
    }
    switch (m.type) {
      case "hello": return hello(m);
      case "offer.opened": return opened(m);
      case "offer.closed": return closed(m);
      case "offer.withdrawn": return dropOffer(m.offer_id);
      case "offer.declined": return dropOffer(m.offer_id);
      case "request.changed": return changed(m);
      case "assignment": mine[m.assignment.request_id] = m.assignment; return render();
      case "duty": el("v-duty").checked = m.on_duty; return;
      case "result": answered(m.action_id); return result(m);
      case "error": answered(m.action_id); return failed(m);
      case "volunteer.notice": return newNotice(m);
    }
  }

  // A notice from the office or the team leader: on top of the list, and said aloud.
  function newNotice(m) {
    var li = document.createElement("li");
    li.className = "v-card";
    var at = document.createElement("time");
    at.dateTime = m.at;
    at.textContent = new Date(m.at).toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
    var body = document.createElement("span");
    body.className = "v-notice-text";
    body.textContent = m.text;
    li.appendChild(at);
    li.appendChild(document.createTextNode(" · " + (m.author || "") + ": "));
    li.appendChild(body);
    var list = el("v-notices");
    list.insertBefore(li, list.firstChild);
    el("v-no-notices").hidden = true;
    notice(m.text);
  }

  function hello(m) {
    labels = m.labels || labels;
    if (!lastEventId || m.event_id > lastEventId) {
      lastEventId = m.event_id;
      localStorage.setItem(CURSOR_KEY, String(lastEventId));
    }
    var before = Object.keys(offers);
    offers = {};
    m.offers.forEach(function (o) { offers[o.offer_id] = o; });
    mine = {};
    m.assignments.forEach(function (a) { mine[a.request_id] = a; });
    el("v-duty").checked = m.volunteer.on_duty;
    var fresh = m.offers.filter(function (o) { return before.indexOf(String(o.offer_id)) < 0; });
    if (before.length && fresh.length) alertNew(fresh[0]);
    render();
  }

  function opened(m) {
    if (m.offer_team_id !== myTeam || m.offer_state !== "open") return;
    var isNew = !offers[m.offer_id];
    offers[m.offer_id] = m;
    render();
    if (isNew) alertNew(m);
  }

  function closed(m) {
    var had = offers[m.offer_id];
    dropOffer(m.offer_id);
    if (had && m.offer_state === "accepted" && m.answered_by_id !== me) {
      notice(fmt(T.taken, { code: m.code }));
    }
  }

  function changed(m) {
    Object.keys(offers).forEach(function (id) {
      var o = offers[id];
      var waiting = m.status === "routed" || m.status === "escalated";
      if (o.request_id === m.request_id && (!waiting || m.team_id !== myTeam)) {
        dropOffer(o.offer_id);
        notice(fmt(T.gone, { code: m.code }));
      }
    });
    var a = mine[m.request_id];
    if (a) {
      if (m.status === "accepted" || m.status === "in_progress") a.status = m.status;
      else delete mine[m.request_id];
      render();
    }
  }

  function result(m) {
    if (m.action === "accept") {
      dropOffer(m.assignment && findOfferOf(m.assignment.request_id));
      mine[m.assignment.request_id] = m.assignment;
      notice(fmt(T.accepted, { code: m.assignment.code }));
    } else if (m.action === "start") {
      mine[m.assignment.request_id] = m.assignment;
    } else if (m.action === "decline") {
      dropOffer(m.offer_id);
    } else if (m.action === "visit") {
      mine[m.assignment.request_id] = m.assignment;
      notice(T.visit_booked);
    } else if (m.action === "resolve") {
      var done = mine[m.request_id];
      delete mine[m.request_id];
      notice(fmt(T.resolved, { code: done ? done.code : "" }));
    } else if (m.action === "guide") {
      mine[m.assignment.request_id] = m.assignment;
      notice(fmt(T.guide_sent, { title: m.guide }));
    } else if (m.action === "duty") {
      el("v-duty").checked = m.on_duty;
      notice(m.on_duty ? T.on_duty : T.off_duty);
    }
    render();
  }

  function failed(m) {
    notice(m.message);
    if (m.code === "already_taken" || m.code === "offer_expired" || m.code === "not_your_team") {
      if (m.ref) dropOffer(m.ref);
    }
    render();
  }

  function findOfferOf(requestId) {
    for (var id in offers) if (offers[id].request_id === requestId) return id;
    return null;
  }

  function dropOffer(id) {
    if (id && offers[id]) { delete offers[id]; render(); }
  }

  // --- Alerts: sound, vibration, notification ---------------------------------------
  var audio = null;
  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.35].forEach(function (at) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = 880;
        gain.gain.value = 0.2;
        osc.connect(gain).connect(audio.destination);
        osc.start(audio.currentTime + at);
        osc.stop(audio.currentTime + at + 0.25);
      });
    } catch (e) { /* no sound on this phone */ }
  }

  function alertNew(o) {
    beep();
    if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
    var text = fmt(T.new_offer, {
      category: labels.category[o.category] || o.category,
      village: o.village || T.unknown_village,
    });
    notice(text);
    if (window.Notification && Notification.permission === "granted" && document.hidden) {
      var options = { body: text, tag: "offer-" + o.offer_id, vibrate: [300, 150, 300] };
      // Android Chrome only shows notifications through the service worker.
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.ready.then(function (reg) {
          reg.showNotification("Cầu Nối", options);
        });
      } else {
        try { new Notification("Cầu Nối", options); } catch (e) { /* not allowed here */ }
      }
    }
  }

  var noticeTimer = null;
  function notice(text) {
    var box = el("v-notice");
    box.textContent = text;
    box.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  // --- Rendering ----------------------------------------------------------------------
  function clone(id) {
    return document.getElementById(id).content.firstElementChild.cloneNode(true);
  }

  function set(root, sel, text) {
    var node = root.querySelector(sel);
    node.textContent = text == null ? "" : text;
    return node;
  }

  function badge(root, priority) {
    var b = set(root, ".v-badge", labels.priority[String(priority)] || "");
    b.dataset.priority = priority;
  }

  function needs(root, list) {
    var ul = root.querySelector(".v-needs");
    (list || []).forEach(function (n) {
      // Live pushes carry keys; the snapshot and assignment cards carry words and icons.
      if (typeof n === "string") n = { key: n, label: (labels.needs && labels.needs[n] || {}).label || n, icon: (labels.needs && labels.needs[n] || {}).icon || "" };
      var li = document.createElement("li");
      var icon = document.createElement("span");
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = n.icon + " ";
      li.appendChild(icon);
      li.appendChild(document.createTextNode(n.label));
      li.dataset.need = n.key;
      ul.appendChild(li);
    });
    ul.hidden = !(list && list.length);
  }

  function line(root, sel, template, value) {
    var node = set(root, sel, value ? fmt(template, { text: value }) : "");
    node.hidden = !value;
  }

  function localTime(iso) {
    var d = new Date(iso);
    var two = function (x) { return (x < 10 ? "0" : "") + x; };
    return two(d.getHours()) + ":" + two(d.getMinutes()) + " " + two(d.getDate()) + "/" + two(d.getMonth() + 1);
  }

  function minutesAgo(iso) {
    return Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
  }

  function timeLeft(iso) {
    var s = Math.round((Date.parse(iso) - Date.now()) / 1000);
    if (s <= 0) return T.expired;
    var mm = Math.floor(s / 60), ss = s % 60;
    return fmt(T.left, { time: mm + ":" + (ss < 10 ? "0" : "") + ss });
  }

  function sortCards(list, key) {
    return list.sort(function (a, b) {
      return (b.priority - a.priority) || (Date.parse(a[key]) - Date.parse(b[key]));
    });
  }

  function render() {
    var list = el("v-offers");
    list.textContent = "";
    var items = sortCards(Object.keys(offers).map(function (k) { return offers[k]; }), "created_at");
    items.forEach(function (o) {
      var li = clone("t-offer");
      li.dataset.offer = o.offer_id;
      badge(li, o.priority);
      set(li, ".v-cat", labels.category[o.category] || o.category);
      set(li, ".v-code", o.code);
      set(li, ".v-village", o.village || T.unknown_village);
      set(li, ".v-lang", o.language_name ? "· " + o.language_name : "");
      set(li, ".v-dist", o.distance_km == null ? "" : fmt(T.km, { km: o.distance_km.toFixed(1) }));
      set(li, ".v-age", fmt(T.ago, { min: minutesAgo(o.created_at) })).dataset.iso = o.created_at;
      set(li, ".v-left", timeLeft(o.expires_at)).dataset.iso = o.expires_at;
      needs(li, o.needs);
      line(li, ".v-when", T.preferred, o.preferred_time);
      var accept = li.querySelector(".v-accept");
      if (isPending("accept", "offer_id", o.offer_id)) {
        accept.textContent = T.pending;
        accept.disabled = true;
        li.dataset.pending = "accept";
      }
      accept.onclick = function () {
        act({ action: "accept", offer_id: o.offer_id, ref: o.offer_id });
      };
      li.querySelector(".v-decline").onclick = function () {
        act({ action: "decline", offer_id: o.offer_id, ref: o.offer_id,
              reason: li.querySelector(".v-reason").value });
      };
      var forTeam = li.querySelector(".v-decline-team");
      forTeam.hidden = !leader;
      forTeam.onclick = function () {
        var reason = li.querySelector(".v-reason").value;
        if (!reason) { notice(T.team_reason); li.querySelector(".v-reason").focus(); return; }
        act({ action: "decline", offer_id: o.offer_id, ref: o.offer_id, reason: reason, for_team: true });
      };
      list.appendChild(li);
    });
    el("v-offer-count").textContent = items.length;
    el("v-no-offers").hidden = items.length > 0;
    renderMine();
  }

  function renderMine() {
    var list = el("v-mine");
    list.textContent = "";
    var items = sortCards(Object.keys(mine).map(function (k) { return mine[k]; }), "accepted_at");
    items.forEach(function (a) {
      var li = clone("t-mine");
      li.dataset.request = a.request_id;
      badge(li, a.priority);
      set(li, ".v-cat", labels.category[a.category] || a.category);
      set(li, ".v-code", a.code);
      set(li, ".v-status", labels.status[a.status] || a.status);
      set(li, ".v-name", a.contact_via ? (a.resident_name ? a.resident_name + " · " : "") + a.contact_via : a.resident_name);
      var tel = set(li, ".v-tel", a.resident_phone ? fmt(T.call, { phone: a.resident_phone_display || a.resident_phone }) : "");
      if (a.resident_phone) tel.href = "tel:" + a.resident_phone;
      tel.hidden = !a.resident_phone;
      set(li, ".v-village", a.village || T.unknown_village);
      set(li, ".v-lang", a.language_name ? "· " + a.language_name : "");
      set(li, ".v-place", a.location_text);
      needs(li, a.needs);
      line(li, ".v-landmark", T.landmark, a.landmark);
      line(li, ".v-when", T.preferred, a.preferred_time);
      line(li, ".v-visit", T.visit, a.visit_at ? localTime(a.visit_at) : "");
      if (a.geo_uri) {
        li.querySelector(".v-geo").href = a.geo_uri;
        li.querySelector(".v-osm").href = a.map_url;
      } else {
        li.querySelector(".v-links").hidden = true;
      }
      set(li, ".v-desc", a.description);
      var scam = li.querySelector(".v-scam");
      scam.href = scam.dataset.href.replace("__CODE__", encodeURIComponent(a.code));
      var notes = li.querySelector(".v-notes");
      (a.notes || []).forEach(function (n) {
        var item = document.createElement("li");
        item.textContent = (n.by ? n.by + ": " : "") + n.text;
        notes.appendChild(item);
      });
      li.querySelector(".v-note-form").onsubmit = function (e) {
        e.preventDefault();
        var input = e.target.elements.text;
        if (input.value.trim() && act({ action: "note", request_id: a.request_id, text: input.value })) {
          input.value = "";
        }
      };
      guideForm(li, a);
      var visitForm = li.querySelector(".v-visit-form");
      visitForm.hidden = a.volunteer_id !== me;
      visitForm.onsubmit = function (e) {
        e.preventDefault();
        var at = e.target.elements.at.value;
        if (!at) { notice(T.visit_pick); e.target.elements.at.focus(); return; }
        act({ action: "visit", request_id: a.request_id, at: at });
      };
      // One step at a time: "Bắt đầu" first, then the outcome and "Báo đã xong".
      var mineToDo = a.volunteer_id === me;
      var start = li.querySelector(".v-start");
      start.hidden = !mineToDo || a.status !== "accepted";
      if (isPending("start", "request_id", a.request_id)) {
        start.textContent = T.pending;
        start.disabled = true;
      }
      start.onclick = function () { act({ action: "start", request_id: a.request_id }); };
      var doneForm = li.querySelector(".v-done-form");
      doneForm.hidden = !mineToDo || a.status !== "in_progress";
      var box = doneForm.querySelector(".v-outcomes");
      Object.keys(labels.outcome).forEach(function (k) {
        var label = document.createElement("label");
        label.className = "v-choice";
        var radio = document.createElement("input");
        radio.type = "radio";
        radio.name = "outcome-" + a.request_id;
        radio.value = k;
        radio.checked = chosenOutcome[a.request_id] === k;
        radio.onchange = function () { chosenOutcome[a.request_id] = k; };
        label.appendChild(radio);
        label.appendChild(document.createTextNode(" " + labels.outcome[k]));
        box.appendChild(label);
      });
      if (isPending("resolve", "request_id", a.request_id)) {
        doneForm.querySelector(".v-resolve").textContent = T.pending;
        doneForm.querySelector(".v-resolve").disabled = true;
      }
      doneForm.onsubmit = function (e) {
        e.preventDefault();
        var chosen = doneForm.querySelector("input[type=radio]:checked");
        var error = doneForm.querySelector(".v-error");
        error.hidden = !!chosen;
        if (!chosen) { doneForm.querySelector("input[type=radio]").focus(); return; }
        act({ action: "resolve", request_id: a.request_id, outcome: chosen.value });
      };
      list.appendChild(li);
    });
    el("v-no-mine").hidden = items.length > 0;
  }


  // One tap: the guide for the request's category is already chosen; the others follow.
  function guideForm(li, a) {
    var form = li.querySelector(".v-guide-form");
    var guides = labels.guides || {};
    var order = (a.guides_suggested || []).concat(Object.keys(guides).filter(function (slug) {
      return (a.guides_suggested || []).indexOf(slug) < 0;
    }));
    form.hidden = !a.resident_phone || order.length === 0;
    var select = form.querySelector(".v-guide");
    order.forEach(function (slug) {
      if (!guides[slug]) return;
      var option = document.createElement("option");
      option.value = slug;
      option.textContent = guides[slug];
      select.appendChild(option);
    });
    var sent = (a.guides_sent || []).map(function (slug) { return guides[slug] || slug; });
    set(li, ".v-guides-sent", sent.length ? fmt(T.guides_sent, { titles: sent.join(", ") }) : "");
    var button = form.querySelector(".v-send-guide");
    if (isPending("guide", "request_id", a.request_id)) {
      button.textContent = T.pending;
      button.disabled = true;
    }
    form.onsubmit = function (e) {
      e.preventDefault();
      act({ action: "guide", request_id: a.request_id, guide: select.value });
    };
  }

  function tick() {
    document.querySelectorAll(".v-offer .v-left").forEach(function (n) {
      n.textContent = timeLeft(n.dataset.iso);
    });
    document.querySelectorAll(".v-offer .v-age").forEach(function (n) {
      n.textContent = fmt(T.ago, { min: minutesAgo(n.dataset.iso) });
    });
  }

  // --- Wiring -------------------------------------------------------------------------
  el("v-duty").onchange = function (e) {
    askNotifications();
    if (!send({ action: "duty", on_duty: e.target.checked })) {
      e.target.checked = !e.target.checked;
      notice(T.offline);
    }
  };

  function askNotifications() {
    if (window.Notification && Notification.permission === "default") {
      Notification.requestPermission();
    }
    // A tap unlocks sound on phones that block audio until the user touches the page.
    if (!audio && (window.AudioContext || window.webkitAudioContext)) {
      audio = new (window.AudioContext || window.webkitAudioContext)();
    }
    el("v-notify").hidden = true;
  }

  var notify = el("v-notify");
  if (window.Notification && Notification.permission === "default") notify.hidden = false;
  notify.onclick = askNotifications;

  // Back in coverage: reconnect now (and send what was queued) instead of after the backoff.
  window.addEventListener("online", function () {
    if (!socket || socket.readyState === WebSocket.CLOSED) {
      retries = 0;
      clearTimeout(retryTimer);
      connect();
    }
  });
  window.addEventListener("offline", function () {
    if (socket && socket.readyState === WebSocket.OPEN) socket.close();
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/v/sw.js", { scope: "/v/" }).catch(function () {});
  }
  setInterval(tick, 1000);
  showPending();
  render();
  connect();
})();
