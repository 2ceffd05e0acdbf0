// Page glue kept out of Go: storage (IndexedDB, else localStorage), the
// service worker, and starting the WebAssembly module. No request ever
// leaves this origin (see the Content-Security-Policy in index.html).
"use strict";

// Measurements the page keeps for its tests: keystroke to suggestions on
// screen, and the forward pass alone (ms).
window.hashtagLatencies = [];
window.hashtagForwardMs = [];

window.hashtagStore = (function () {
  const KEY = "history";
  function lsStore() {
    try {
      localStorage.setItem("hashtag-probe", "1");
      localStorage.removeItem("hashtag-probe");
    } catch (e) {
      return null;
    }
    return {
      backend: "localStorage",
      load: () => Promise.resolve(localStorage.getItem("hashtag-" + KEY)),
      save: (json) => { localStorage.setItem("hashtag-" + KEY, json); return Promise.resolve(); },
    };
  }
  if (!("indexedDB" in window)) return lsStore();
  let dbp = null;
  function db() {
    if (!dbp) {
      dbp = new Promise((resolve, reject) => {
        const req = indexedDB.open("hashtag", 1);
        req.onupgradeneeded = () => req.result.createObjectStore("kv");
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return dbp;
  }
  function tx(mode, fn) {
    return db().then((d) => new Promise((resolve, reject) => {
      const t = d.transaction("kv", mode);
      const r = fn(t.objectStore("kv"));
      t.oncomplete = () => resolve(r && r.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    }));
  }
  const idb = {
    backend: "IndexedDB",
    load: () => tx("readonly", (s) => s.get(KEY)).then((v) => v === undefined ? null : v),
    save: (json) => tx("readwrite", (s) => s.put(json, KEY)),
  };
  const ls = lsStore();
  // Fall back to localStorage if IndexedDB cannot be opened (some private modes).
  return {
    get backend() { return idb.failed ? (ls ? ls.backend : "memory only") : idb.backend; },
    load: () => idb.load().catch((e) => { idb.failed = true; return ls ? ls.load() : null; }),
    save: (json) => (idb.failed ? (ls ? ls.save(json) : Promise.resolve()) : idb.save(json))
      .catch((e) => { console.error("saving history:", e); if (ls) { idb.failed = true; return ls.save(json); } }),
  };
})();

// waitForWorker registers the service worker and, on a first visit, waits
// (briefly) until it controls the page, so that the app and the model are
// fetched once, by its install step, and later loads need no network.
function waitForWorker() {
  if (!("serviceWorker" in navigator) || location.protocol === "file:") return Promise.resolve();
  const reg = navigator.serviceWorker.register("sw.js").catch((e) => console.warn("service worker:", e));
  if (navigator.serviceWorker.controller) return Promise.resolve();
  const controlled = new Promise((resolve) =>
    navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
  const timeout = new Promise((resolve) => setTimeout(resolve, 8000));
  return reg.then(() => Promise.race([controlled, timeout]));
}

(function start() {
  const go = new Go();
  waitForWorker()
    .then(() => WebAssembly.instantiateStreaming(fetch("app.wasm"), go.importObject))
    .then((r) => go.run(r.instance))
    .catch((e) => {
      const el = document.getElementById("app");
      el.textContent = "";
      const p = document.createElement("p");
      p.className = "fatal";
      p.textContent = "The app could not start: " + e;
      el.appendChild(p);
    });
})();
