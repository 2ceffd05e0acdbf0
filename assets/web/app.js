// Page glue kept out of Go: the history store (IndexedDB, one record per
// post), keeping tabs in step, the service worker, the worker that runs the
// model and parses imports, and starting the WebAssembly module. No request
// ever leaves this origin (see the Content-Security-Policy in index.html).
"use strict";

// Measurements the page keeps for its tests: keystroke to suggestions on
// screen, and the forward pass alone (ms).
window.hashtagLatencies = [];
window.hashtagForwardMs = [];

// hashtagStore keeps the history in IndexedDB, one record per post keyed by
// its id, so that a post is added or deleted alone in a transaction and two
// tabs never overwrite each other's posts. Every method returns a promise
// that settles once the transaction is committed (or rejects with the
// reason it was not). After each committed change it tells the other tabs
// (BroadcastChannel, else the storage event) what changed. There is no
// second store: if IndexedDB cannot be opened, open() rejects and the page
// keeps the history in memory for the session, and says so.
window.hashtagStore = (function () {
  const DB = "hashtag", VERSION = 2, POSTS = "posts", ORDER = "order";
  const OLD = "kv", OLD_KEY = "history", LS_KEY = "hashtag-history", SYNC_KEY = "hashtag-sync";
  const PAGE = 250; // records per read (a page is decoded in one task of the page)
  const TIME = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)?$/;
  const ID = /^[\x21-\x7e]{1,200}$/;
  let dbp = null;
  let onChange = null;
  const chan = typeof BroadcastChannel === "function" ? new BroadcastChannel("hashtag-history") : null;

  function tell(msg) {
    if (chan) { chan.postMessage(msg); return; }
    try { localStorage.setItem(SYNC_KEY, JSON.stringify({ msg, n: Math.random() })); } catch (e) { /* nothing to tell with */ }
  }
  function heard(msg) { if (onChange) onChange(JSON.stringify(msg)); }
  if (chan) chan.onmessage = (ev) => heard(ev.data);
  else window.addEventListener("storage", (ev) => {
    if (ev.key === SYNC_KEY && ev.newValue) { try { heard(JSON.parse(ev.newValue).msg); } catch (e) { /* not ours */ } }
  });

  // clean returns the record as the page stores it, or null if it is not
  // a post.
  function clean(r, id) {
    if (!r || typeof r !== "object" || typeof r.text !== "string") return null;
    const time = r.time === undefined ? "" : r.time;
    if (typeof time !== "string" || !TIME.test(time)) return null;
    id = id === undefined ? r.id : id;
    if (typeof id !== "string" || !ID.test(id)) return null;
    const from = typeof r.from === "string" ? r.from : "typed";
    return { id, text: r.text, time, from };
  }

  function open() {
    if (dbp) return dbp;
    dbp = new Promise((resolve, reject) => {
      if (typeof indexedDB === "undefined" || !indexedDB) { reject(new Error("this browser has no IndexedDB")); return; }
      let req;
      try { req = indexedDB.open(DB, VERSION); } catch (e) { reject(e); return; }
      req.onupgradeneeded = (ev) => {
        const d = req.result;
        if (ev.oldVersion < 2) d.createObjectStore(POSTS, { keyPath: "id" }).createIndex(ORDER, ["time", "id"]);
      };
      req.onblocked = () => heard({ op: "blocked" });
      req.onsuccess = () => {
        const d = req.result;
        d.onversionchange = () => { d.close(); heard({ op: "closed" }); };
        resolve(d);
      };
      req.onerror = () => reject(req.error || new Error("IndexedDB could not be opened"));
    });
    dbp.catch(() => {});
    return dbp;
  }

  // tx runs fn(store) in one transaction and resolves once it is
  // committed; a thrown error or a failed request aborts all of it.
  function tx(stores, mode, fn) {
    return open().then((d) => new Promise((resolve, reject) => {
      let t, out;
      try {
        t = d.transaction(stores, mode);
        out = fn(t);
      } catch (e) {
        try { if (t) t.abort(); } catch (e2) { /* already done */ }
        reject(e);
        return;
      }
      t.oncomplete = () => resolve(out && "result" in out ? out.result : out);
      t.onabort = () => reject(t.failure || t.error || new Error("the write was cancelled"));
    }));
  }

  // migrate moves a history saved by an earlier version (the whole
  // history as one JSON string, in IndexedDB's "kv" store and/or
  // localStorage) into one record per post, in one transaction that also
  // deletes the old copy: interrupted, nothing is lost and it runs again on
  // the next load. An old copy that cannot be read is kept aside.
  function migrate(d) {
    let raw = null;
    try { raw = localStorage.getItem(LS_KEY); } catch (e) { /* no localStorage */ }
    const hasOld = d.objectStoreNames.contains(OLD);
    if (!hasOld && raw === null) return Promise.resolve({ migrated: 0, damaged: 0, note: "" });
    const res = { migrated: 0, damaged: 0, note: "" };
    return tx(hasOld ? [POSTS, OLD] : [POSTS], "readwrite", (t) => {
      const posts = t.objectStore(POSTS);
      const moved = new Set();
      // The same id in both copies is the same post (localStorage held a
      // newer copy of the whole history); within one copy, a repeated or
      // missing id gets a new one so that no post overwrites another.
      const move = (text, where) => {
        let list = null;
        try { list = JSON.parse(text); } catch (e) { /* damaged */ }
        if (!Array.isArray(list)) { res.note = "The history saved by an earlier version (" + where + ") could not be read; it is kept aside."; return false; }
        const here = new Set();
        list.forEach((r, i) => {
          let id = r && r.id;
          if (typeof id !== "string" || !ID.test(id) || here.has(id)) id = "m" + Date.now().toString(36) + "-" + where + "-" + i;
          here.add(id);
          const c = clean(r, id);
          if (!c) { res.damaged++; return; }
          posts.put(c);
          if (!moved.has(id)) { moved.add(id); res.migrated++; }
        });
        return true;
      };
      if (hasOld) {
        const kv = t.objectStore(OLD);
        const g = kv.get(OLD_KEY);
        g.onsuccess = () => {
          try {
            const v = g.result;
            if (typeof v === "string") {
              if (!move(v, "IndexedDB")) kv.put(v, OLD_KEY + "-unreadable-" + Date.now());
              kv.delete(OLD_KEY);
            }
            if (raw !== null) move(raw, "localStorage");
          } catch (e) {
            t.failure = e; // nothing of the migration is written
            t.abort();
          }
        };
      } else {
        move(raw, "localStorage");
      }
    }).then(() => {
      if (raw !== null) {
        try {
          if (res.note.includes("localStorage")) localStorage.setItem(LS_KEY + "-unreadable", raw);
          localStorage.removeItem(LS_KEY);
        } catch (e) { /* stays; put is idempotent */ }
      }
      return res;
    });
  }

  let migrated = null;
  function ready() {
    if (!migrated) migrated = open().then(migrate);
    return migrated;
  }

  return {
    backend: "IndexedDB",
    // open resolves with a JSON report of the migration, or rejects if
    // IndexedDB cannot be used at all.
    open: () => ready().then((r) => JSON.stringify(r)),
    // loader reads every post in the history's order, oldest first, a
    // page at a time: next() resolves with a JSON object {posts, damaged}
    // or null at the end. Records that are not posts are counted and
    // skipped, never deleted.
    loader() {
      let last = null, first = true;
      return {
        next: () => ready().then(() => {
          if (last === undefined) return null;
          return tx([POSTS], "readonly", (t) => {
            const s = t.objectStore(POSTS);
            const out = { posts: [], damaged: 0 };
            const range = last === null ? null : IDBKeyRange.lowerBound(last, true);
            const r = s.index(ORDER).getAll(range, PAGE);
            r.onsuccess = () => {
              for (const v of r.result) {
                const c = clean(v);
                if (c) out.posts.push(c); else out.damaged++;
              }
              const n = r.result.length;
              last = n === PAGE ? [r.result[n - 1].time, r.result[n - 1].id] : undefined;
            };
            if (first) {
              // records the index leaves out (no valid time or id)
              out.all = s.count();
              out.indexed = s.index(ORDER).count();
              first = false;
            }
            return out;
          }).then((out) => {
            if (out.all) out.damaged += Math.max(0, out.all.result - out.indexed.result);
            return JSON.stringify({ posts: out.posts, damaged: out.damaged });
          });
        }),
      };
    },
    // get resolves with a JSON array of the posts with these ids.
    get: (idsJSON) => tx([POSTS], "readonly", (t) => {
      const s = t.objectStore(POSTS), out = [];
      for (const id of JSON.parse(idsJSON)) {
        const r = s.get(id);
        r.onsuccess = () => { const c = clean(r.result); if (c) out.push(c); };
      }
      return out;
    }).then((out) => JSON.stringify(out)),
    // add stores the posts of a JSON array in one transaction.
    add: (json) => {
      const list = JSON.parse(json);
      return tx([POSTS], "readwrite", (t) => {
        const s = t.objectStore(POSTS);
        for (const r of list) s.put(r);
      }).then(() => tell(list.length <= 1000 ? { op: "add", ids: list.map((r) => r.id) } : { op: "reload" }));
    },
    // remove deletes the posts with the ids of a JSON array.
    remove: (idsJSON) => {
      const ids = JSON.parse(idsJSON);
      return tx([POSTS], "readwrite", (t) => {
        const s = t.objectStore(POSTS);
        for (const id of ids) s.delete(id);
      }).then(() => tell({ op: "delete", ids }));
    },
    clear: () => tx([POSTS], "readwrite", (t) => { t.objectStore(POSTS).clear(); }).then(() => tell({ op: "clear" })),
    // listen sets the function told (with a JSON string) what other tabs
    // changed.
    listen: (fn) => { onChange = fn; },
  };
})();

// startEngine starts the worker (worker.js). The worker compiles app.wasm
// (so that no part of the compile lands on the page's main thread) and
// hands the compiled module to the page, then runs the same module itself
// to load the model, run its forward pass and parse imports, so that none
// of these holds the page. It returns {module, engine}: module resolves
// with the compiled module; engine resolves with an object whose call(op,
// args) resolves with the worker's answer, or with null if the worker could
// not start (the page then does the work itself). It returns null when the
// browser has no workers.
function startEngine() {
  if (typeof Worker !== "function") return null;
  let w;
  try { w = new Worker("worker.js"); } catch (e) { return null; }
  const pending = new Map();
  let next = 1, gotModule, gotEngine;
  const module = new Promise((resolve, reject) => { gotModule = { resolve, reject }; });
  const engine = new Promise((resolve) => { gotEngine = resolve; });
  const fail = (why) => {
    for (const p of pending.values()) p.reject(new Error(why));
    pending.clear();
    gotModule.reject(new Error(why));
    gotEngine(null);
  };
  w.onerror = (ev) => { ev.preventDefault(); fail("the worker stopped: " + (ev.message || "error")); };
  w.onmessage = (ev) => {
    const m = ev.data;
    if (m.compiled !== undefined) {
      if (m.compiled) gotModule.resolve(m.compiled); else gotModule.reject(new Error(m.error));
      return;
    }
    if (m.started !== undefined) {
      if (!m.started) { console.warn("worker:", m.error); w.terminate(); fail(m.error); return; }
      gotEngine({
        call(op, args) {
          return new Promise((res, rej) => {
            const id = next++;
            pending.set(id, { resolve: res, reject: rej });
            w.postMessage({ id, op, args });
          });
        },
      });
      return;
    }
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(m.error)); else p.resolve(m.result);
  };
  w.postMessage({ compile: true });
  return { module, engine };
}

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

// compileApp compiles app.wasm while it downloads (compileStreaming, off
// the main thread); a server that does not send application/wasm gets the
// bytes compiled once they are all in.
function compileApp() {
  const url = "app.wasm";
  const whole = () => fetch(url).then((r) => {
    if (!r.ok) throw new Error(url + ": HTTP " + r.status);
    return r.arrayBuffer();
  }).then((b) => WebAssembly.compile(b));
  if (typeof WebAssembly.compileStreaming !== "function") return whole();
  return WebAssembly.compileStreaming(fetch(url)).catch((e) => {
    console.warn("streaming compile failed, compiling from the bytes:", e);
    return whole();
  });
}

(function start() {
  waitForWorker()
    .then(() => {
      performance.mark("hashtag-sw");
      const eng = startEngine();
      // The page starts as soon as it has the module; it waits for the
      // worker only to load the model.
      window.hashtagEngineReady = eng ? eng.engine : Promise.resolve(null);
      if (!eng) return compileApp();
      // The page instantiates the module once the worker has run it: the
      // browser compiles a WebAssembly function when it is first called,
      // on the thread that calls it, and the two share the compiled code,
      // so the Go runtime is compiled by the worker and not in a long task
      // of the page.
      const warm = Promise.race([eng.engine, new Promise((r) => setTimeout(r, 4000))]);
      return eng.module.then((m) => warm.then(() => m), (e) => {
        console.warn("compiling in the worker failed, compiling in the page:", e);
        return compileApp();
      });
    })
    .then((module) => {
      performance.mark("hashtag-compiled");
      const go = new Go();
      return WebAssembly.instantiate(module, go.importObject).then((inst) => {
        performance.mark("hashtag-instantiated");
        return go.run(inst);
      });
    })
    .catch((e) => {
      const el = document.getElementById("app");
      el.textContent = "";
      const p = document.createElement("p");
      p.className = "fatal";
      p.textContent = "The app could not start: " + e;
      el.appendChild(p);
    });
})();
