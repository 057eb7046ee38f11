// Cầu Nối volunteer app: keeps the page shell for a phone on a weak connection.
// Live data never comes from here: it arrives over the WebSocket.
const CACHE = "caunoi-v-shell-1";
const SHELL = {{ shell|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) =>
      Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))
    )
  );
  self.clients.claim();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // The page first from the network (fresh session), the cached shell when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && url.pathname === SHELL[0]) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(SHELL[0], copy));
          }
          return response;
        })
        .catch(() => caches.match(SHELL[0]))
    );
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

// Tapping an offer notification brings the app to the front.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).pathname === SHELL[0]);
      return open ? open.focus() : self.clients.openWindow(SHELL[0]);
    })
  );
});
