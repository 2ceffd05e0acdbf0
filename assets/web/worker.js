// The page's worker: it runs the same Go program as the page (app.wasm,
// compiled once by the page and handed over), which sees no document and
// serves requests instead: loading the model and its forward pass, and
// parsing an imported file. Messages: {module} to start, then
// {id, op, args}; answers {id, result} or {id, error}.
"use strict";
importScripts("wasm_exec.js");

const queue = [];
self.onmessage = (ev) => {
  const m = ev.data;
  if (m && m.module) { start(m.module); return; }
  if (self.hashtagServe) self.hashtagServe(m); else queue.push(m);
};

// hashtagWorkerStarted is called by the Go program once hashtagServe is
// set.
self.hashtagWorkerStarted = () => {
  self.postMessage({ started: true });
  for (const m of queue.splice(0)) self.hashtagServe(m);
};

function start(module) {
  const go = new Go();
  WebAssembly.instantiate(module, go.importObject)
    .then((inst) => go.run(inst))
    .catch((e) => self.postMessage({ started: false, error: String(e) }));
}
