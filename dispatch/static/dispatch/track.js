// Live tracking without <meta refresh>: a small poll of the JSON API. The status line
// (aria-live) changes in place; when the request moves to another step, the page is
// loaded again so the right buttons (cancel, rating, "not done") are shown.
(function () {
  var root = document.getElementById("track");
  if (!root || !window.fetch) return;
  var seconds = Math.max(parseInt(root.dataset.poll, 10) || 30, 10);
  function check() {
    if (document.hidden) return;
    fetch(root.dataset.api, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        if (data.status !== root.dataset.status ||
            String(data.timeline.length) !== root.dataset.events) {
          window.location.reload();
        }
      })
      .catch(function () {});
  }
  window.setInterval(check, seconds * 1000);
  document.addEventListener("visibilitychange", check);
})();
