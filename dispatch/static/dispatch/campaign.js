// Cầu Nối outreach: record household visits with poor signal.
// Each visit gets an id on the phone; it waits in localStorage until the server answers,
// and is re-sent when the connection returns. The server stores each id once.
(function () {
  "use strict";
  var app = document.getElementById("c-app");
  if (!app) return;
  var T = JSON.parse(document.getElementById("c-strings").textContent);
  var KEY = "caunoi.visits." + app.dataset.volunteer;
  var pending = document.getElementById("c-pending");
  var box = document.getElementById("c-notice");
  var flushing = false;

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, k) { return values[k]; });
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return (Date.now().toString(36) + Math.random().toString(36).slice(2, 12));
  }
  function queue() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(items) {
    localStorage.setItem(KEY, JSON.stringify(items));
    pending.hidden = !items.length;
    pending.textContent = items.length ? fmt(T.waiting, { n: items.length }) : "";
  }
  function notice(text) {
    box.textContent = text;
    box.hidden = false;
  }
  function drop(id) {
    save(queue().filter(function (v) { return v.client_id !== id; }));
  }

  function send(item) {
    var body = new URLSearchParams();
    Object.keys(item.fields).forEach(function (name) {
      [].concat(item.fields[name]).forEach(function (value) { body.append(name, value); });
    });
    return fetch(item.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) {
        drop(item.client_id);
        notice(answer.ok ? fmt(T.sent, { code: item.code }) : fmt(T.failed, { reason: answer.message }));
      }, function () {
        if (response.status >= 400 && response.status < 500) drop(item.client_id);
        throw new Error("no answer");
      });
    });
  }

  function flush() {
    if (flushing) return;
    var items = queue();
    if (!items.length) return;
    flushing = true;
    var chain = Promise.resolve();
    var stop = false;
    items.forEach(function (item) {
      chain = chain.then(function () {
        if (stop) return;
        return send(item).catch(function () {
          stop = true;  // still offline: keep the rest for later
          notice(T.queued);
        });
      });
    });
    chain.then(function () { flushing = false; save(queue()); });
  }

  document.querySelectorAll("form.c-visit").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.querySelector("input[name=outcome]:checked")) {
        notice(T.pick);
        return;
      }
      form.elements.visited_at.value = new Date().toISOString();
      var fields = {};
      new FormData(form).forEach(function (value, name) {
        if (fields[name] === undefined) fields[name] = value;
        else fields[name] = [].concat(fields[name], value);
      });
      var card = form.closest(".c-household");
      var item = {
        client_id: fields.client_id,
        action: form.action,
        code: card ? card.dataset.code : "",
        fields: fields
      };
      save(queue().concat([item]));
      form.reset();
      form.elements.client_id.value = newId();  // the next visit is a new one
      var details = form.closest("details");
      if (details) details.open = false;
      if (!navigator.onLine) { notice(T.queued); return; }
      flush();
    });
  });

  window.addEventListener("online", flush);
  save(queue());
  flush();
  setInterval(flush, 30000);
})();
