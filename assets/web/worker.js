// The page's worker. It compiles app.wasm (compileStreaming, else from the
// bytes) and hands the compiled module to the page, then runs the same Go
// program, which sees no document and serves requests instead: loading the
// model and its forward pass, and parsing an imported file. Messages in:
// {compile: true} to start, then {id, op, args}; out: {compiled}, then
// {started}, then answers {id, result} or {id, error}.
"use strict";
importScripts("wasm_exec.js");

const queue = [];
self.onmessage = (ev) => {
  const m = ev.data;
  if (m && m.compile) { compile(); return; }
  if (self.hashtagServe) self.hashtagServe(m); else queue.push(m);
};

// hashtagWorkerStarted is called by the Go program once hashtagServe is
// set.
self.hashtagWorkerStarted = () => {
  self.postMessage({ started: true });
  for (const m of queue.splice(0)) self.hashtagServe(m);
};

function compileApp() {
  const url = "app.wasm";
  const whole = () => fetch(url).then((r) => {
    if (!r.ok) throw new Error(url + ": HTTP " + r.status);
    return r.arrayBuffer();
  }).then((b) => WebAssembly.compile(b));
  if (typeof WebAssembly.compileStreaming !== "function") return whole();
  // a server that does not send application/wasm: compile from the bytes
  return WebAssembly.compileStreaming(fetch(url)).catch(whole);
}

function compile() {
  compileApp()
    .then((module) => {
      self.postMessage({ compiled: module });
      const go = new Go();
      return WebAssembly.instantiate(module, go.importObject).then((inst) => go.run(inst));
    })
    .catch((e) => {
      self.postMessage({ compiled: null, error: String(e) });
      self.postMessage({ started: false, error: String(e) });
    });
}
