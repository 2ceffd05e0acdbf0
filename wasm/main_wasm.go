//go:build js && wasm

// Command wasm is the in-browser hashtag recommender: it renders the ui
// package's page with vugu, keeps the history in the browser's storage, and
// loads the model file from the site. Nothing the person writes leaves the
// page.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/vugu/vugu"
	"github.com/vugu/vugu/domrender"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/ui"
)

// modelURL is the model file, relative to the page.
const modelURL = "model.bin"

func main() {
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
	root := &ui.Root{Env: ee, Active: -1, Store: jsStore{}}
	go start(root, ee)
	for ok := true; ok; ok = renderer.EventWait() {
		if err := renderer.Render(buildEnv.RunBuild(root)); err != nil {
			panic(err)
		}
		root.Bind()
		root.AfterRender()
	}
}

// start loads the history, then the model, off the render loop.
func start(root *ui.Root, ee vugu.EventEnv) {
	entries, err := root.Store.Load()
	ee.Lock()
	root.History.Set(entries)
	if err != nil {
		root.ImportMsg = "Could not read your saved history: " + err.Error()
	}
	ee.UnlockRender()

	rec, err := fetchModel()
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
	u8 := js.Global().Get("Uint8Array").New(buf)
	b := make([]byte, u8.Length())
	js.CopyBytesToGo(b, u8)
	return b, nil
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

// jsStore keeps the history through window.hashtagStore (app.js): IndexedDB,
// or localStorage where IndexedDB is unavailable.
type jsStore struct{}

func (jsStore) Name() string {
	s := js.Global().Get("hashtagStore")
	if !s.Truthy() {
		return "memory only"
	}
	return s.Get("backend").String()
}

func (jsStore) Load() ([]ui.Entry, error) {
	s := js.Global().Get("hashtagStore")
	if !s.Truthy() {
		return nil, errors.New("no storage in this browser")
	}
	v, err := await(s.Call("load"))
	if err != nil {
		return nil, err
	}
	if v.Type() != js.TypeString || v.String() == "" {
		return nil, nil
	}
	var entries []ui.Entry
	if err := json.Unmarshal([]byte(v.String()), &entries); err != nil {
		return nil, fmt.Errorf("saved history is damaged: %w", err)
	}
	return entries, nil
}

func (jsStore) Save(entries []ui.Entry) {
	s := js.Global().Get("hashtagStore")
	if !s.Truthy() {
		return
	}
	if entries == nil {
		entries = []ui.Entry{}
	}
	b, err := json.Marshal(entries)
	if err != nil {
		return
	}
	s.Call("save", string(b))
}
