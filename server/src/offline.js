// Terrain's service worker: keeps the app shell (script, wasm, stylesheet, icon) and every page
// opened online, so that Terrain opens — reload included — with no network. Documents
// themselves live in IndexedDB, written by the page.
// Generated per build: the cache name and the shell list below are filled in by the server.
const VERSION = "__VERSION__";
const SHELL = __SHELL__;
const PAGES = "terrain-pages";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION && k !== PAGES).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  // Sent on sign-out: pages cached for one account must not show to the next.
  if (event.data === "forget-pages") event.waitUntil(caches.delete(PAGES));
  // Sent by the page after each navigation, including those the router does without loading
  // a page (which this worker never sees): keep a copy of that page for offline reloads.
  if (event.data && typeof event.data.keep === "string") {
    const url = new URL(event.data.keep, self.location.origin);
    if (url.origin !== self.location.origin) return;
    event.waitUntil(
      fetch(url.pathname + url.search, { credentials: "same-origin" })
        .then((response) => {
          if (response.ok && response.headers.get("content-type")?.includes("text/html")) {
            return caches.open(PAGES).then((cache) => cache.put(url.pathname + url.search, response));
          }
        })
        .catch(() => {}),
    );
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === "/sync" || url.pathname.startsWith("/api/") || url.pathname.startsWith("/fn/")) return;

  if (url.pathname.startsWith("/pkg/")) {
    // Content-hashed: a cached copy is always right.
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(VERSION).then((cache) => cache.put(request, copy));
        }
        return response;
      })),
    );
    return;
  }

  if (request.mode === "navigate") {
    // Network first, so pages are fresh online; the last copy of this very page offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && response.headers.get("content-type")?.includes("text/html")) {
            const copy = response.clone();
            caches.open(PAGES).then((cache) => cache.put(url.pathname + url.search, copy));
          }
          return response;
        })
        .catch(() =>
          caches.open(PAGES)
            .then((cache) => cache.match(url.pathname + url.search))
            .then((hit) => hit || caches.match("/offline")),
        ),
    );
    return;
  }

  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
