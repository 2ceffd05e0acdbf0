// Service worker: caches the app and the model on the first visit so that
// the page works offline and makes no request after it has loaded.
// "hashtag site" fills in VERSION (a hash of the site's files) and ASSETS.
"use strict";
const VERSION = "hashtag-%%VERSION%%";
const ASSETS = %%ASSETS%%;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(VERSION)
      .then((c) => c.addAll(ASSETS.map((a) => new Request(a, { cache: "reload" }))))
      .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("hashtag-") && k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(VERSION).then((c) =>
      c.match(req, { ignoreSearch: true })
        .then((hit) => hit || (req.mode === "navigate" ? c.match("./") : undefined))
        .then((hit) => hit || fetch(req))));
});
