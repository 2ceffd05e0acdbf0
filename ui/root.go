package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/vugu/vugu"
	"github.com/vugu/vugu/js"

	"github.com/hashtag-rec/hashtag/model"
)

// K is how many hashtags the page suggests.
const K = 5

// debounce is a short pause after a keystroke before the forward pass, so
// that the browser handles the keystroke first. Keystrokes that arrive
// meanwhile, or during a pass, cost one pass: the loop takes the latest text.
const debounce = 2 * time.Millisecond

// Store keeps the history across visits. Load may block (it is called once,
// off the event loop); Save must not: it starts the write and returns.
type Store interface {
	Load() ([]Entry, error)
	Save(entries []Entry)
	// Name says where the history is kept ("IndexedDB", "localStorage").
	Name() string
}

// Root is the page. The wasm entry point sets Env, then Store and
// History, and finally the model with SetModel once it has loaded.
type Root struct {
	Env   vugu.EventEnv `vugu:"data"`
	Store Store         `vugu:"data"`

	rec      model.Recommender
	modelErr string

	// Text is the post being written.
	Text string `vugu:"data"`
	// History is the person's posts, most recent first.
	History History `vugu:"data"`

	// Sugs are the suggestions for sugText with the history as it was.
	Sugs    []model.Suggestion `vugu:"data"`
	Why     model.Why          `vugu:"data"`
	whyHist []Entry
	sugText string
	// Active is the suggestion chosen with the arrow keys, or -1.
	Active int `vugu:"data"`

	ImportMsg    string `vugu:"data"`
	ConfirmClear bool   `vugu:"data"`

	seq, doneSeq int     // input generations asked and answered
	running      bool    // a suggestion goroutine is on its way
	inputAt      float64 // performance.now() of the input being answered
	markAt       float64 // input time of suggestions not yet measured
	forwardMs    []float64
	bound        bool
	showing      int // history posts on the page (at least pageSize)
}

// now is the page clock, performance.now() in ms (0 off the browser).
func now() float64 {
	p := js.Global().Get("performance")
	if !p.Truthy() {
		return 0
	}
	return p.Call("now").Float()
}

// SetModel installs the recommender (or the error that kept it from
// loading) and computes suggestions for whatever was typed meanwhile. Call
// it with the event environment locked.
func (c *Root) SetModel(rec model.Recommender, err error) {
	c.rec = rec
	if err != nil {
		c.modelErr = err.Error()
	}
	c.inputAt = now()
	c.schedule()
}

// State is "loading", "ready" or "error", for the page's data-state.
func (c *Root) State() string {
	switch {
	case c.modelErr != "":
		return "error"
	case c.rec == nil:
		return "loading"
	}
	return "ready"
}

// StatusText is the status line in the header.
func (c *Root) StatusText() string {
	switch c.State() {
	case "error":
		return "Model failed to load: " + c.modelErr
	case "loading":
		return "Loading the model…"
	}
	where := "this browser"
	if c.Store != nil {
		where = c.Store.Name()
	}
	return "Model ready · runs on this device · history in " + where
}

// Bind listens to the text box's input and keydown events directly, not
// through vugu: vugu copies every event and re-renders the page after each
// one, and a keystroke must cost one render (when its suggestions are
// ready), not three. The listeners are on the document, so they survive
// any re-creation of the text box. Call it once, from the render loop.
func (c *Root) Bind() {
	if c.bound {
		return
	}
	c.bound = true
	doc := js.Global().Get("document")
	if !doc.Truthy() {
		return
	}
	onInput := js.FuncOf(func(_ js.Value, args []js.Value) interface{} {
		el := args[0].Get("target")
		if el.Get("id").String() != "post" {
			return nil
		}
		c.Env.Lock()
		render := c.Active >= 0
		c.input(el.Get("value").String())
		if render {
			c.Env.UnlockRender()
		} else {
			c.Env.UnlockOnly()
		}
		return nil
	})
	onKey := js.FuncOf(func(_ js.Value, args []js.Value) interface{} {
		ev := args[0]
		el := ev.Get("target")
		if el.Get("id").String() != "post" {
			return nil
		}
		switch ev.Get("key").String() {
		case "ArrowDown", "ArrowUp", "Enter", "Tab", "Escape":
		default:
			return nil // typing: the input listener handles it
		}
		c.Env.Lock()
		if c.key(ev.Get("key").String(), el.Get("value").String(), el.Get("selectionStart").Int(), func() { ev.Call("preventDefault") }) {
			c.Env.UnlockRender()
		} else {
			c.Env.UnlockOnly()
		}
		return nil
	})
	doc.Call("addEventListener", "input", onInput)
	doc.Call("addEventListener", "keydown", onKey)
}

// input records the text and asks for suggestions without computing them
// here.
func (c *Root) input(text string) {
	c.inputAt = now()
	c.Text = text
	c.Active = -1
	c.schedule()
}

// schedule starts the suggestion goroutine unless one is on its way; it
// picks up the latest text when it runs.
func (c *Root) schedule() {
	c.seq++
	if c.running || c.Env == nil {
		return
	}
	c.running = true
	go c.suggestLoop()
}

// suggestLoop runs the forward pass off the event handler until the
// suggestions match the latest text.
func (c *Root) suggestLoop() {
	for {
		time.Sleep(debounce)
		c.Env.Lock()
		seq, text, rec, at := c.seq, c.Text, c.rec, c.inputAt
		hist := append([]Entry(nil), c.History.Entries[:min(MemorySize, len(c.History.Entries))]...)
		c.Env.UnlockOnly()

		var sugs []model.Suggestion
		var why model.Why
		if rec != nil && strings.TrimSpace(text) != "" {
			texts := make([]string, len(hist))
			for i, h := range hist {
				texts[i] = h.Text
			}
			t0 := now()
			sugs, why = rec.Recommend(text, texts, K)
			forward := now() - t0
			c.Env.Lock()
			c.forwardMs = append(c.forwardMs, forward)
			c.Env.UnlockOnly()
		}

		c.Env.Lock()
		c.Sugs, c.Why, c.whyHist, c.sugText, c.doneSeq = sugs, why, hist, text, seq
		if c.Active >= len(sugs) {
			c.Active = -1
		}
		done := c.seq == seq
		if done {
			c.running = false
			if rec != nil {
				c.markAt = at
			}
		}
		c.Env.UnlockRender()
		if done {
			return
		}
	}
}

// AfterRender is called by the render loop after each render: when the
// suggestions for the latest input are on the page, it appends the time
// from that input event to now (ms) to window.hashtagLatencies.
// The forward passes' own times go to window.hashtagForwardMs.
func (c *Root) AfterRender() {
	w := js.Global()
	if f := w.Get("hashtagForwardMs"); len(c.forwardMs) > 0 && f.Truthy() {
		for _, ms := range c.forwardMs {
			f.Call("push", ms)
		}
		c.forwardMs = c.forwardMs[:0]
	}
	if c.markAt <= 0 {
		return
	}
	d := now() - c.markAt
	c.markAt = 0
	if l := w.Get("hashtagLatencies"); l.Truthy() {
		l.Call("push", d)
	}
}

// key moves through the suggestions with the arrow keys and inserts the
// chosen one with Enter or Tab; it calls prevent when it takes the key,
// and reports whether the page changed. Other keys type as usual.
func (c *Root) key(key, value string, caret int, prevent func()) bool {
	n := len(c.Sugs)
	switch key {
	case "ArrowDown":
		if n > 0 && (c.Active >= 0 || !strings.Contains(value[byteOffset(value, caret):], "\n")) {
			prevent()
			c.Active = (c.Active + 1) % n
			return true
		}
	case "ArrowUp":
		if c.Active >= 0 {
			prevent()
			c.Active--
			return true
		}
	case "Enter", "Tab":
		if c.Active >= 0 && c.Active < n {
			prevent()
			c.insert(c.Sugs[c.Active].Tag, value, caret)
			return true
		}
	case "Escape":
		if c.Active >= 0 {
			c.Active = -1
			return true
		}
	}
	return false
}

// OnPick inserts the clicked suggestion at the cursor. It handles
// mousedown, not click, so that the text box keeps the focus.
func (c *Root) OnPick(e vugu.DOMEvent, i int) {
	e.PreventDefault()
	if i < 0 || i >= len(c.Sugs) {
		return
	}
	el := js.Global().Get("document").Call("getElementById", "post")
	caret := utf16Len(c.Text)
	if el.Truthy() {
		caret = el.Get("selectionStart").Int()
	}
	c.insert(c.Sugs[i].Tag, c.Text, caret)
}

// insert puts #tag into the text at the caret, and the caret after it.
func (c *Root) insert(tag, value string, caret int) {
	text, pos := InsertTag(value, caret, tag)
	c.Text = text
	c.Active = -1
	if el := js.Global().Get("document").Call("getElementById", "post"); el.Truthy() {
		el.Set("value", text)
		el.Call("setSelectionRange", pos, pos)
		el.Call("focus")
	}
	c.inputAt = now()
	c.schedule()
}

// OnPublish adds the post to the history and empties the box.
func (c *Root) OnPublish(vugu.DOMEvent) {
	if c.Blank() {
		return
	}
	c.History.Publish(strings.TrimSpace(c.Text), time.Now())
	c.Text = ""
	c.Active = -1
	c.save()
	c.schedule()
}

// OnDelete removes one post from the history.
func (c *Root) OnDelete(_ vugu.DOMEvent, id string) {
	if c.History.Delete(id) {
		c.save()
		c.schedule()
	}
}

// OnMore shows more of the history.
func (c *Root) OnMore(vugu.DOMEvent) { c.showing = len(c.Shown()) + pageSize }

// OnAskClear asks to confirm clearing the history.
func (c *Root) OnAskClear(vugu.DOMEvent) { c.ConfirmClear = true }

// OnCancelClear keeps the history.
func (c *Root) OnCancelClear(vugu.DOMEvent) { c.ConfirmClear = false }

// OnClear removes every post.
func (c *Root) OnClear(vugu.DOMEvent) {
	c.ConfirmClear = false
	c.History.Clear()
	c.ImportMsg = ""
	c.save()
	c.schedule()
}

func (c *Root) save() {
	if c.Store != nil {
		c.Store.Save(c.History.Entries)
	}
}

// OnImportFile reads the chosen file in the page and imports it; the
// reading and parsing happen off the event handler.
func (c *Root) OnImportFile(e vugu.DOMEvent) {
	input := e.JSEventTarget()
	files := input.Get("files")
	if !files.Truthy() || files.Length() == 0 {
		return
	}
	f := files.Index(0)
	name := f.Get("name").String()
	c.ImportMsg = "Reading " + name + "…"
	var then, fail js.Func
	release := func() { then.Release(); fail.Release() }
	then = js.FuncOf(func(_ js.Value, args []js.Value) interface{} {
		u8 := js.Global().Get("Uint8Array").New(args[0])
		data := make([]byte, u8.Length())
		js.CopyBytesToGo(data, u8)
		release()
		go c.finishImport(name, data)
		return nil
	})
	fail = js.FuncOf(func(_ js.Value, args []js.Value) interface{} {
		msg := "cannot read the file"
		if len(args) > 0 {
			msg = args[0].Call("toString").String()
		}
		release()
		go c.finishImport(name, nil, msg)
		return nil
	})
	f.Call("arrayBuffer").Call("then", then, fail)
	input.Set("value", "")
}

func (c *Root) finishImport(name string, data []byte, failure ...string) {
	var entries []Entry
	var rep ImportReport
	var err error
	if len(failure) > 0 {
		err = fmt.Errorf("%s: %s", name, failure[0])
	} else {
		entries, rep, err = ParseImport(name, data)
	}
	c.Env.Lock()
	defer c.Env.UnlockRender()
	if err != nil {
		c.ImportMsg = "Import failed: " + err.Error()
		return
	}
	rep.Added = c.History.Merge(entries, time.Now())
	c.ImportMsg = rep.String()
	c.save()
	c.schedule()
}
