/* The station app's service worker (scope {{ start }}): keeps the app's page and files so it
   opens without a signal. The page is asked from the network first (fresh parcels, a fresh
   login), the kept copy answers when there is no connection; the files are kept by version.
   The API is never answered from here: the page keeps its data in IndexedDB. */
"use strict";
const VERSION = {{ version|tojson }};
const CACHE = "station-app-" + VERSION;
const START = {{ start|tojson }};
const SHELL = {{ shell|tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => Promise.all(SHELL.map((url) =>
        fetch(new Request(url, {credentials: "same-origin"}))
          .then((response) => response.ok && !response.redirected ? cache.put(url, response) : null)
          .catch(() => null))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((key) => key.startsWith("station-app-") && key !== CACHE)
        .map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function offlinePage() {
  return new Response("<!doctype html><meta charset=utf-8><title>Offline</title><p>Offline / 无网络",
    {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (url.pathname === START + "csrf") return;  // always the network: a fresh token
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected && url.pathname === START) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(START + url.search, copy));
          }
          return response;
        })
        .catch(() => caches.match(START + url.search, {ignoreVary: true})
          .then((kept) => kept || caches.match(START, {ignoreVary: true}))
          .then((kept) => kept || offlinePage()))
    );
    return;
  }
  event.respondWith(
    caches.match(request, {ignoreVary: true}).then((kept) => kept || fetch(request).then((response) => {
      if (response.ok && (url.pathname.startsWith("/static/") || url.pathname.startsWith("/bootstrap/"))) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    }))
  );
});
