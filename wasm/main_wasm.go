//go:build js && wasm

// Command wasm is the in-browser hashtag recommender. In the page it
// renders the ui package's page with vugu and keeps the history in
// IndexedDB (window.hashtagStore, app.js). The same program runs in the
// page's worker (worker.js), where there is no document: there it loads
// the model and runs its forward pass, and parses imported files, so that
// neither holds the page's main thread. Nothing the person writes leaves
// the browser.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"syscall/js"
	"time"

	"github.com/vugu/vugu"
	"github.com/vugu/vugu/domrender"
	vjs "github.com/vugu/vugu/js"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/ui"
)

// modelURL is the model file, relative to the page.
const modelURL = "model.bin"

func main() {
	if js.Global().Get("document").IsUndefined() {
		workerMain()
		return
	}
	// Let the browser run between the runtime's start, the renderer's
	// set-up and the first render: each is a task of its own (the first
	// calls of functions are compiled as they run).
	time.Sleep(time.Millisecond)
	renderer, err := domrender.New("#app")
	if err != nil {
		panic(err)
	}
	defer renderer.Release()
	ee := renderer.EventEnv()
	buildEnv, err := vugu.NewBuildEnv(ee)
	if err != nil {
		panic(err)
	}
	root := &ui.Root{Env: ee, Active: -1}
	js.Global().Set("hashtagGCStats", js.FuncOf(gcStats))
	time.Sleep(time.Millisecond)
	go start(root, ee)
	for first, ok := true, true; ok; first, ok = false, renderer.EventWait() {
		b := buildEnv.RunBuild(root)
		if first {
			// the first build and render are tasks of their own
			time.Sleep(time.Millisecond)
		}
		if err := renderer.Render(b); err != nil {
			panic(err)
		}
		// by hand: vugu v0.4's renderer calls the Rendered lifecycle
		// callback of the components the root builds, not of the root
		// (domrender's Render walks BuildOut.Components)
		root.Bind()
		root.AfterRender()
	}
}

// gcStats reports the Go heap and its collections (for the browser test):
// the collector stops the page while it marks, so its pauses are tasks.
func gcStats(js.Value, []js.Value) any {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var longest uint64
	for _, p := range ms.PauseNs {
		longest = max(longest, p)
	}
	return fmt.Sprintf("heap %.1f MB, %d collections, longest recorded pause %.0f ms, all pauses %.0f ms",
		float64(ms.HeapAlloc)/1e6, ms.NumGC, float64(longest)/1e6, float64(ms.PauseTotalNs)/1e6)
}

// start opens the store and loads the history, then the model, off the
// render loop.
func start(root *ui.Root, ee vugu.EventEnv) {
	store := openStore()
	var eng js.Value
	if p := js.Global().Get("hashtagEngineReady"); p.Truthy() {
		if v, err := await(p); err == nil && v.Truthy() {
			eng = v
		}
	}
	ee.Lock()
	root.Store = store
	if eng.Truthy() {
		root.Importer = workerImporter{eng}
	} else {
		root.Importer = inlineImporter{}
	}
	ee.UnlockRender()
	if s, ok := store.(*jsStore); ok {
		s.s.Call("listen", js.FuncOf(func(_ js.Value, args []js.Value) any {
			var ch ui.Change
			if err := json.Unmarshal([]byte(args[0].String()), &ch); err == nil {
				go root.Remote(ch)
			}
			return nil
		}))
	}
	root.LoadHistory()

	var rec model.Recommender
	var err error
	if eng.Truthy() {
		rec, err = loadRemote(eng)
		if err != nil {
			js.Global().Get("console").Call("warn", "model in the worker: "+err.Error()+"; loading it in the page")
			rec, err = fetchModel()
		}
	} else {
		rec, err = fetchModel()
	}
	ee.Lock()
	root.SetModel(rec, err)
	ee.UnlockRender()
	js.Global().Set("hashtagModelLoadedAt", js.Global().Get("performance").Call("now"))
}

// fetchModel fetches the model file and reads it.
func fetchModel() (model.Recommender, error) {
	data, err := fetchBytes(modelURL)
	if err != nil {
		return nil, err
	}
	return loadModel(data)
}

// fetchBytes gets url with the browser's fetch (net/http would triple the
// .wasm size).
func fetchBytes(url string) ([]byte, error) {
	resp, err := await(js.Global().Call("fetch", url))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	if !resp.Get("ok").Bool() {
		return nil, fmt.Errorf("fetch %s: HTTP %d", url, resp.Get("status").Int())
	}
	buf, err := await(resp.Call("arrayBuffer"))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	return bytesOf(buf), nil
}

// bytesOf copies an ArrayBuffer into Go.
func bytesOf(buf js.Value) []byte {
	u8 := js.Global().Get("Uint8Array").New(buf)
	b := make([]byte, u8.Length())
	js.CopyBytesToGo(b, u8)
	return b
}

// await waits for a promise. Call it from a goroutine, never from an event
// handler or a js.FuncOf callback.
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, a []js.Value) any {
		var v js.Value
		if len(a) > 0 {
			v = a[0]
		}
		ch <- result{v: v}
		return nil
	})
	catch := js.FuncOf(func(_ js.Value, a []js.Value) any {
		msg := "rejected"
		if len(a) > 0 {
			msg = a[0].Call("toString").String()
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}

// openStore opens the IndexedDB store (migrating an older saved history),
// or, when the browser cannot give one, a store in memory that the page
// labels as such.
func openStore() ui.Store {
	s := js.Global().Get("hashtagStore")
	if !s.Truthy() {
		return &memStore{reason: "no storage code in this page"}
	}
	v, err := await(s.Call("open"))
	if err != nil {
		return &memStore{reason: err.Error()}
	}
	st := &jsStore{s: s}
	json.Unmarshal([]byte(v.String()), &st.migration)
	return st
}

// jsStore keeps the history in IndexedDB through window.hashtagStore
// (app.js): one record per post, every write one transaction.
type jsStore struct {
	s         js.Value
	migration struct {
		Migrated int    `json:"migrated"`
		Damaged  int    `json:"damaged"`
		Note     string `json:"note"`
	}
	reported bool
}

func (*jsStore) Name() string     { return "IndexedDB" }
func (*jsStore) Persistent() bool { return true }

// Load reads the posts a page at a time (each page is one short
// transaction, and the page runs between them).
func (st *jsStore) Load() ([]ui.Entry, ui.LoadReport, error) {
	var rep ui.LoadReport
	if !st.reported {
		st.reported = true
		rep.Migrated, rep.Damaged, rep.Note = st.migration.Migrated, st.migration.Damaged, st.migration.Note
	}
	ld := st.s.Call("loader")
	var all []ui.Entry
	for {
		v, err := await(ld.Call("next"))
		if err != nil {
			return nil, rep, err
		}
		if v.IsNull() || v.IsUndefined() {
			break
		}
		var page struct {
			Posts   []ui.Entry `json:"posts"`
			Damaged int        `json:"damaged"`
		}
		if err := json.Unmarshal([]byte(v.String()), &page); err != nil {
			return nil, rep, fmt.Errorf("reading the saved history: %w", err)
		}
		rep.Damaged += page.Damaged
		all = append(all, page.Posts...)
	}
	slices.Reverse(all) // the index is oldest first
	return all, rep, nil
}

func (st *jsStore) Add(entries []ui.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	b, err := json.Marshal(entries)
	if err != nil {
		return err
	}
	_, err = await(st.s.Call("add", string(b)))
	return err
}

// AddJSON saves the entries of a JSON array of ui.Entry.
func (st *jsStore) AddJSON(entries string) error {
	_, err := await(st.s.Call("add", entries))
	return err
}

func (st *jsStore) Delete(ids []string) error {
	b, _ := json.Marshal(ids)
	_, err := await(st.s.Call("remove", string(b)))
	return err
}

func (st *jsStore) Clear() error {
	_, err := await(st.s.Call("clear"))
	return err
}

func (st *jsStore) Get(ids []string) ([]ui.Entry, error) {
	b, _ := json.Marshal(ids)
	v, err := await(st.s.Call("get", string(b)))
	if err != nil {
		return nil, err
	}
	var out []ui.Entry
	if err := json.Unmarshal([]byte(v.String()), &out); err != nil {
		return nil, err
	}
	return out, nil
}

// memStore keeps the history in memory for the session, when IndexedDB
// is unavailable: the page says so, and there is no second store to
// disagree with.
type memStore struct {
	reason string
	posts  map[string]ui.Entry
}

func (*memStore) Name() string     { return "memory only" }
func (*memStore) Persistent() bool { return false }

func (m *memStore) Load() ([]ui.Entry, ui.LoadReport, error) {
	rep := ui.LoadReport{Note: "This browser's storage cannot be used: " + m.reason + "."}
	var h ui.History
	for _, e := range m.posts {
		h.Insert([]ui.Entry{e})
	}
	return h.Entries, rep, nil
}

func (m *memStore) Add(entries []ui.Entry) error {
	if m.posts == nil {
		m.posts = map[string]ui.Entry{}
	}
	for _, e := range entries {
		m.posts[e.ID] = e
	}
	return nil
}

func (m *memStore) Delete(ids []string) error {
	for _, id := range ids {
		delete(m.posts, id)
	}
	return nil
}

func (m *memStore) Clear() error { m.posts = nil; return nil }

func (m *memStore) Get(ids []string) ([]ui.Entry, error) {
	var out []ui.Entry
	for _, id := range ids {
		if e, ok := m.posts[id]; ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// remoteModel is the model in the worker: each Recommend is one message
// there and back. It implements model.Recommender.
type remoteModel struct {
	eng    js.Value
	lastMs float64
}

// recommendation is the worker's answer to "recommend".
type recommendation struct {
	Sugs []model.Suggestion `json:"sugs"`
	Why  model.Why          `json:"why"`
	Ms   float64            `json:"ms"` // the forward pass, timed in the worker
}

// loadRemote asks the worker to fetch and load the model.
func loadRemote(eng js.Value) (model.Recommender, error) {
	if _, err := await(eng.Call("call", "load", js.Null())); err != nil {
		return nil, err
	}
	return &remoteModel{eng: eng}, nil
}

func (r *remoteModel) Recommend(post string, history []string, k int) ([]model.Suggestion, model.Why) {
	hist := make([]any, len(history))
	for i, h := range history {
		hist[i] = h
	}
	v, err := await(r.eng.Call("call", "recommend", map[string]any{"text": post, "hist": hist, "k": k}))
	if err != nil {
		js.Global().Get("console").Call("error", "suggestions: "+err.Error())
		return nil, model.Why{}
	}
	var res recommendation
	if err := json.Unmarshal([]byte(v.String()), &res); err != nil {
		js.Global().Get("console").Call("error", "suggestions: "+err.Error())
		return nil, model.Why{}
	}
	r.lastMs = res.Ms
	return res.Sugs, res.Why
}

// LastForwardMs is the worker's time for the last forward pass.
func (r *remoteModel) LastForwardMs() float64 { return r.lastMs }

// workerImporter parses imports in the worker.
type workerImporter struct{ eng js.Value }

func (w workerImporter) Import(name string, file vjs.Value) (ui.Prepared, error) {
	v, err := await(w.eng.Call("call", "import", map[string]any{"file": js.Value(file)}))
	if err != nil {
		return ui.Prepared{}, err
	}
	var p ui.Prepared
	if err := json.Unmarshal([]byte(v.Get("report").String()), &p.Report); err != nil {
		return ui.Prepared{}, err
	}
	// The chunks stay in the worker until asked for, one at a time: one
	// message of the whole import would be one long task to receive.
	p.NumLazy = v.Get("chunks").Int()
	p.Lazy = func(i int) (string, error) {
		c, err := await(w.eng.Call("call", "chunk", map[string]any{"i": i}))
		if err != nil {
			return "", err
		}
		return c.String(), nil
	}
	return p, nil
}

// inlineImporter parses imports in the page (no worker).
type inlineImporter struct{}

func (inlineImporter) Import(name string, file vjs.Value) (ui.Prepared, error) {
	buf, err := await(js.Value(file).Call("arrayBuffer"))
	if err != nil {
		return ui.Prepared{}, fmt.Errorf("%s: %w", name, err)
	}
	return ui.PrepareImport(name, bytesOf(buf))
}

// workerMain serves the page from the worker: "load" (fetch and read the
// model), "recommend" ({text, hist, k}: a JSON recommendation) and
// "import" ({file}: {report, chunks} as ui.PrepareImport gives them).
func workerMain() {
	w := &worker{loaded: make(chan struct{})}
	js.Global().Set("hashtagServe", js.FuncOf(func(_ js.Value, args []js.Value) any {
		go w.handle(args[0])
		return nil
	}))
	warmUI()
	js.Global().Call("hashtagWorkerStarted")
	select {}
}

type worker struct {
	loading bool
	loaded  chan struct{}
	rec     model.Recommender
	err     error
	chunks  []string // the last import's, until the page has read them
}

func (w *worker) handle(m js.Value) {
	id := m.Get("id").Int()
	args := m.Get("args")
	result, err := w.do(m.Get("op").String(), args)
	msg := map[string]any{"id": id}
	if err != nil {
		msg["error"] = err.Error()
	} else {
		msg["result"] = result
	}
	js.Global().Call("postMessage", msg)
}

func (w *worker) do(op string, args js.Value) (any, error) {
	switch op {
	case "load":
		if !w.loading {
			w.loading = true
			w.rec, w.err = fetchModel()
			close(w.loaded)
		}
		<-w.loaded
		return nil, w.err
	case "recommend":
		select {
		case <-w.loaded:
		default:
			return nil, errors.New("the model is not loaded")
		}
		if w.err != nil {
			return nil, w.err
		}
		hv := args.Get("hist")
		hist := make([]string, hv.Length())
		for i := range hist {
			hist[i] = hv.Index(i).String()
		}
		perf := js.Global().Get("performance")
		t0 := perf.Call("now").Float()
		sugs, why := w.rec.Recommend(args.Get("text").String(), hist, args.Get("k").Int())
		b, err := json.Marshal(recommendation{Sugs: sugs, Why: why, Ms: perf.Call("now").Float() - t0})
		if err != nil {
			return nil, err
		}
		return string(b), nil
	case "import":
		file := args.Get("file")
		name := file.Get("name").String()
		buf, err := await(file.Call("arrayBuffer"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		p, err := ui.PrepareImport(name, bytesOf(buf))
		if err != nil {
			return nil, err
		}
		rep, err := json.Marshal(p.Report)
		if err != nil {
			return nil, err
		}
		w.chunks = p.Chunks
		return map[string]any{"report": string(rep), "chunks": len(p.Chunks)}, nil
	case "chunk":
		i := args.Get("i").Int()
		if i < 0 || i >= len(w.chunks) {
			return nil, fmt.Errorf("no import chunk %d (of %d)", i, len(w.chunks))
		}
		c := w.chunks[i]
		if i == len(w.chunks)-1 {
			w.chunks = nil
		}
		return c, nil
	}
	return nil, fmt.Errorf("unknown request %q", op)
}

// noEnv is an EventEnv for a build with nobody to render it.
type noEnv struct{}

func (noEnv) Lock()         {}
func (noEnv) UnlockOnly()   {}
func (noEnv) UnlockRender() {}
func (noEnv) RLock()        {}
func (noEnv) RUnlock()      {}

// warmUI builds the page's component tree once in the worker, where it is
// not shown: the browser compiles a WebAssembly function on its first call,
// on the calling thread, and the worker and the page share the compiled
// code, so the page's first render does not compile the page's code. The
// second build takes the path of every later one (child components from
// vugu's cache). A panic here is dropped: the page builds the same tree and
// reports it there.
func warmUI() {
	defer func() { recover() }()
	env, err := vugu.NewBuildEnv(noEnv{})
	if err != nil {
		return
	}
	root := &ui.Root{Env: noEnv{}, Active: -1}
	env.RunBuild(root)
	env.RunBuild(root)
}
