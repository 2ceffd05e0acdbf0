package ui

import (
	"encoding/json"
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

// sliceBudget is the longest stretch of work the page does on its main
// thread before it lets the browser run (paint, take keystrokes): long jobs
// (an import of 50,000 posts, loading them) are cut into slices.
const sliceBudget = 12 * time.Millisecond

// Store keeps the history across visits, one record per post. Every method
// but Name and Persistent may block until the browser has done the work:
// call them from a goroutine, never from an event handler. A write either
// succeeds as a whole or returns an error, and nothing else is written.
type Store interface {
	// Load reads the saved history, most recent first (the order of
	// Before). Records it cannot read are skipped and counted in the
	// report, the rest kept.
	Load() ([]Entry, LoadReport, error)
	// Add saves the entries (new records, or the same ones again).
	Add(entries []Entry) error
	// Delete removes the posts with these IDs.
	Delete(ids []string) error
	// Clear removes every post.
	Clear() error
	// Get reads the posts with these IDs (another tab added them); missing
	// ones are left out.
	Get(ids []string) ([]Entry, error)
	// Name says where the history is kept ("IndexedDB", "memory only").
	Name() string
	// Persistent reports whether the history outlives the tab.
	Persistent() bool
}

// LoadReport says what loading the saved history found besides the posts.
type LoadReport struct {
	Damaged  int    // records that could not be read (skipped, left in the store)
	Migrated int    // posts moved from the previous format on this load
	Note     string // anything else the person should know, or ""
}

// jsonAdder is a Store that can also save entries given as a JSON array
// of Entry (an import chunk as it came), sparing an encoding.
type jsonAdder interface {
	AddJSON(entries string) error
}

// Change is what another tab did to the saved history, as the store tells
// it. Op is "add" (IDs were added: read them with Get), "delete", "clear",
// or "reload" (many changes: read everything again).
type Change struct {
	Op  string   `json:"op"`
	IDs []string `json:"ids,omitempty"`
}

// Importer reads an import file off the page's main thread (or inline when
// the browser has no workers) and returns its posts ready to store.
type Importer interface {
	// Import reads file (a browser File named name).
	Import(name string, file js.Value) (Prepared, error)
}

// Root is the page. The wasm entry point sets Env, Store and Importer,
// calls LoadHistory, and finally installs the model with SetModel once it
// has loaded.
type Root struct {
	Env      vugu.EventEnv `vugu:"data"`
	Store    Store         `vugu:"data"`
	Importer Importer      `vugu:"data"`

	rec      model.Recommender
	modelErr string

	// Text is the post being written. The text box is not bound to it
	// through the renderer (a long paste would not fit the renderer's
	// buffer): the box reports its value on input, and Go sets the box's
	// value directly when it changes the text (setBox).
	Text string
	// History is the person's posts, most recent first.
	History History

	// Sugs are the suggestions for sugText with the history as it was.
	Sugs    []model.Suggestion
	Why     model.Why
	whyHist []Entry
	sugText string
	// Active is the suggestion chosen with the arrow keys, or -1.
	Active int

	ImportMsg    string // the import's progress or report
	SaveMsg      string // why the post in the box was not saved, or ""
	StoreMsg     string // storage warnings: damaged records, memory only, another tab
	ConfirmClear bool
	loaded       bool // the saved history is in
	publishing   bool // a publish is being saved
	importing    bool // an import is running
	loading      bool // the history is being read
	again        bool // read it again once this read is done
	pending      []pendingChange

	memo         map[string]string // MemoryText of long posts, by ID
	seq, doneSeq int               // input generations asked and answered
	running      bool              // a suggestion goroutine is on its way
	inputAt      float64           // performance.now() of the input being answered
	markAt       float64           // input time of suggestions not yet measured
	forwardMs    []float64
	bound        bool
	showing      int    // history posts on the page (at least pageSize)
	shownSug     string // the sugText last published to window.hashtagSugText
}

// now is the page clock, performance.now() in ms (0 off the browser).
func now() float64 {
	p := js.Global().Get("performance")
	if !p.Truthy() {
		return 0
	}
	return p.Call("now").Float()
}

// slicer cuts a long job into slices of at most sliceBudget: call tick
// between steps, never with the event environment locked.
type slicer struct{ t0 time.Time }

func newSlicer() *slicer { return &slicer{t0: time.Now()} }

func (s *slicer) tick() {
	if time.Since(s.t0) >= sliceBudget {
		time.Sleep(time.Millisecond) // lets the browser run
		s.t0 = time.Now()
	}
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

// LoadHistory reads the saved history and shows it. Call it once, from a
// goroutine.
func (c *Root) LoadHistory() { c.loadLoop(true) }

// loadLoop reads the whole saved history and shows it, again as long as
// another tab asked for a reload meanwhile; changes that arrive during a
// read are applied after it.
func (c *Root) loadLoop(first bool) {
	for {
		c.Env.Lock()
		c.loading, c.again = true, false
		c.Env.UnlockOnly()
		entries, rep, err := c.Store.Load()
		c.Env.Lock()
		if first {
			c.loaded, first = true, false
			c.StoreMsg = storeMessage(c.Store, rep, err)
		}
		if err == nil {
			c.History.Set(entries)
		}
		p := c.pending
		c.pending = nil
		for _, pc := range p {
			c.applyRemote(pc.ch, pc.got)
		}
		again := c.again
		if !again {
			c.loading = false
		}
		c.schedule()
		c.Env.UnlockRender()
		if !again {
			return
		}
	}
}

// storeMessage is what the page says about the storage after a load.
func storeMessage(s Store, rep LoadReport, err error) string {
	var parts []string
	if !s.Persistent() {
		parts = append(parts, "Not saved: your posts are kept in memory only and are lost when this tab closes.")
	}
	if err != nil {
		parts = append(parts, "Could not read your saved history: "+err.Error()+".")
	}
	if rep.Damaged > 0 {
		parts = append(parts, fmt.Sprintf("%d saved %s could not be read and %s skipped; the others are here.", rep.Damaged, plural(rep.Damaged, "post", "posts"), plural(rep.Damaged, "was", "were")))
	}
	if rep.Note != "" {
		parts = append(parts, rep.Note)
	}
	return Clip(strings.Join(parts, " "), 600)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// pendingChange is a remote change that arrived during a load, with the
// entries read for it.
type pendingChange struct {
	ch  Change
	got []Entry
}

// Remote applies a change another tab made to the saved history. Call it
// from a goroutine (it may read the store).
func (c *Root) Remote(ch Change) {
	var got []Entry
	if ch.Op == "add" {
		var err error
		if got, err = c.Store.Get(ch.IDs); err != nil {
			ch.Op = "reload"
		}
	}
	c.Env.Lock()
	if ch.Op == "reload" {
		if c.loading || !c.loaded {
			c.again = true
			c.Env.UnlockOnly()
			return
		}
		c.Env.UnlockOnly()
		c.loadLoop(false)
		return
	}
	defer c.Env.UnlockRender()
	if (c.loading || !c.loaded) && (ch.Op == "add" || ch.Op == "delete" || ch.Op == "clear") {
		c.pending = append(c.pending, pendingChange{ch, got})
		return
	}
	c.applyRemote(ch, got)
}

// applyRemote applies one change to the history shown. Call it locked.
func (c *Root) applyRemote(ch Change, got []Entry) {
	switch ch.Op {
	case "add":
		c.History.Insert(got)
	case "delete":
		c.History.Delete(ch.IDs...)
	case "clear":
		c.History.Clear()
	case "closed":
		c.StoreMsg = "A newer version of this page opened in another tab: reload this one before you publish here."
	case "blocked":
		c.StoreMsg = "Another tab runs an older version of this page: close it so that this one can open your saved history."
	}
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
		return Clip("Model failed to load: "+c.modelErr, 300)
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
		v := el.Get("value").String()
		c.Env.Lock()
		render := c.Active >= 0 || c.SaveMsg != "" || (c.Text == "") != (v == "")
		c.input(v)
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
	c.SaveMsg = ""
	c.schedule()
}

// setBox sets the text and the text box's value.
func (c *Root) setBox(text string) {
	c.Text = text
	if el := js.Global().Get("document").Call("getElementById", "post"); el.Truthy() {
		el.Set("value", text)
	}
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

// memoryTexts returns the model's view of the posts in memory (MemoryText),
// remembering it for long posts. Call it locked.
func (c *Root) memoryTexts(hist []Entry) []string {
	texts := make([]string, len(hist))
	for i, h := range hist {
		if len(h.Text) <= memoryFull {
			texts[i] = h.Text
			continue
		}
		m, ok := c.memo[h.ID]
		if !ok {
			if c.memo == nil || len(c.memo) > 4*MemorySize {
				c.memo = map[string]string{}
			}
			m = MemoryText(h.Text)
			c.memo[h.ID] = m
		}
		texts[i] = m
	}
	return texts
}

// suggestLoop runs the forward pass off the event handler until the
// suggestions match the latest text.
func (c *Root) suggestLoop() {
	for {
		time.Sleep(debounce)
		c.Env.Lock()
		seq, text, rec, at := c.seq, c.Text, c.rec, c.inputAt
		hist := c.History.Entries[:min(MemorySize, len(c.History.Entries))]
		texts := c.memoryTexts(hist)
		c.Env.UnlockOnly()

		var sugs []model.Suggestion
		var why model.Why
		if rec != nil && strings.TrimSpace(text) != "" {
			t0 := now()
			sugs, why = rec.Recommend(text, texts, K)
			forward := now() - t0
			if f, ok := rec.(interface{ LastForwardMs() float64 }); ok {
				forward = f.LastForwardMs()
			}
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
// from that input event to now (ms) to window.hashtagLatencies, and sets
// window.hashtagSugText to the text they answer (for tests: it can be
// megabytes, too long for an attribute the renderer writes).
// The forward passes' own times go to window.hashtagForwardMs.
func (c *Root) AfterRender() {
	w := js.Global()
	if c.sugText != c.shownSug || !w.Get("hashtagSugText").Truthy() && c.sugText != "" {
		w.Set("hashtagSugText", c.sugText)
		c.shownSug = c.sugText
	}
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
			c.insert(Shown(c.Sugs[c.Active]), value, caret)
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
	c.insert(Shown(c.Sugs[i]), c.Text, caret)
}

// insert puts #tag into the text at the caret, and the caret after it.
func (c *Root) insert(tag, value string, caret int) {
	text, pos := InsertTag(value, caret, tag)
	c.setBox(text)
	c.Active = -1
	if el := js.Global().Get("document").Call("getElementById", "post"); el.Truthy() {
		el.Call("setSelectionRange", pos, pos)
		el.Call("focus")
	}
	c.inputAt = now()
	c.schedule()
}

// Publishing reports whether a publish is being saved.
func (c *Root) Publishing() bool { return c.publishing }

// OnPublish saves the post as one new record; once it is saved it joins
// the history and the box is emptied. If the write fails the post stays in
// the box and the page says why.
func (c *Root) OnPublish(vugu.DOMEvent) {
	if c.Blank() || c.publishing {
		return
	}
	if c.Store == nil {
		c.SaveMsg = "Your saved history is still being opened: publish again in a moment."
		return
	}
	raw := c.Text
	e := NewEntry(strings.TrimSpace(raw), time.Now())
	c.publishing = true
	c.SaveMsg = ""
	go func() {
		err := c.Store.Add([]Entry{e})
		c.Env.Lock()
		defer c.Env.UnlockRender()
		c.publishing = false
		if err != nil {
			c.SaveMsg = Clip("Not published: your post could not be saved ("+err.Error()+"). It is still in the box; try again.", 400)
			return
		}
		c.History.Insert([]Entry{e})
		if c.Text == raw {
			c.setBox("")
			c.Active = -1
		}
		c.schedule()
	}()
}

// OnDelete removes one post from the store, then from the page.
func (c *Root) OnDelete(_ vugu.DOMEvent, id string) {
	if c.Store == nil {
		return
	}
	go func() {
		err := c.Store.Delete([]string{id})
		c.Env.Lock()
		defer c.Env.UnlockRender()
		if err != nil {
			c.ImportMsg = Clip("Could not delete the post: "+err.Error(), 400)
			return
		}
		if c.History.Delete(id) > 0 {
			c.schedule()
		}
	}()
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
	if c.Store == nil {
		return
	}
	go func() {
		err := c.Store.Clear()
		c.Env.Lock()
		defer c.Env.UnlockRender()
		if err != nil {
			c.ImportMsg = Clip("Could not clear the history: "+err.Error(), 400)
			return
		}
		c.History.Clear()
		c.ImportMsg = ""
		c.schedule()
	}()
}

// Importing reports whether an import is running.
func (c *Root) Importing() bool { return c.importing }

// OnImportFile imports the chosen file: the Importer reads and parses it
// off the main thread, then the posts are stored and shown in slices.
func (c *Root) OnImportFile(e vugu.DOMEvent) {
	input := e.JSEventTarget()
	files := input.Get("files")
	if !files.Truthy() || files.Length() == 0 || c.importing || c.Importer == nil || c.Store == nil {
		return
	}
	f := files.Index(0)
	name := f.Get("name").String()
	c.ImportMsg = "Reading " + Clip(name, 100) + "…"
	c.importing = true
	go c.runImport(name, f)
	input.Set("value", "")
}

// runImport stores the posts of one import chunk by chunk: each chunk is
// one transaction, and is shown only once it is saved. If a write fails,
// the import stops and says how many posts were not saved.
func (c *Root) runImport(name string, file js.Value) {
	res, err := c.Importer.Import(name, file)
	if err != nil {
		c.Env.Lock()
		c.importing = false
		c.ImportMsg = Clip("Import failed: "+err.Error(), 600)
		c.Env.UnlockRender()
		return
	}
	sl := newSlicer()
	c.Env.Lock()
	snap := c.History.Entries // never changed in place
	c.Env.UnlockOnly()
	seen := make(map[string]bool)
	for i, e := range snap {
		seen[ContentKey(e)] = true
		if i%2048 == 2047 {
			sl.tick()
		}
	}
	// Up to inFlight chunks are being written at once: the browser commits
	// them in order while the page prepares the next.
	const inFlight = 4
	type write struct {
		es   []Entry
		done chan error
	}
	var writing []write
	added, notSaved := 0, 0
	var saveErr error
	// Saved posts join the page's history in batches: each merge copies
	// the whole history, so one per chunk would copy 50,000 posts a hundred
	// times over.
	var saved []Entry
	lastMerge := time.Now()
	merge := func(force bool) {
		if len(saved) == 0 || !force && time.Since(lastMerge) < time.Second {
			return
		}
		sl.tick()
		c.Env.Lock()
		added += c.History.Insert(saved)
		c.ImportMsg = fmt.Sprintf("Importing %s… %d posts saved so far.", Clip(name, 100), added)
		c.Env.UnlockRender()
		saved, lastMerge = nil, time.Now()
	}
	settle := func(w write) {
		if err := <-w.done; err != nil {
			notSaved += len(w.es)
			if saveErr == nil {
				saveErr = err
			}
			return
		}
		saved = append(saved, w.es...)
		merge(false)
	}
	for i := range res.count() {
		sl.tick()
		var es []Entry
		chunk, err := res.chunk(i)
		if err == nil {
			err = json.Unmarshal([]byte(chunk), &es)
		}
		if err != nil {
			if saveErr == nil {
				saveErr = fmt.Errorf("reading the import's posts: %v", err)
			}
			continue
		}
		fresh := es[:0]
		for _, e := range es {
			k := ContentKey(e)
			if !seen[k] {
				seen[k] = true
				fresh = append(fresh, e)
			}
		}
		if len(fresh) == 0 {
			continue
		}
		if saveErr != nil {
			notSaved += len(fresh) // a write failed: stop writing
			continue
		}
		w := write{es: fresh, done: make(chan error, 1)}
		if ja, ok := c.Store.(jsonAdder); ok && len(fresh) == len(es) {
			go func() { w.done <- ja.AddJSON(chunk) }() // as it came: no second encoding
		} else {
			go func() { w.done <- c.Store.Add(w.es) }()
		}
		writing = append(writing, w)
		if len(writing) >= inFlight {
			settle(writing[0])
			writing = writing[1:]
		}
	}
	for _, w := range writing {
		settle(w)
	}
	merge(true)
	rep := res.Report
	rep.Added = added
	rep.Kept -= notSaved
	msg := rep.String()
	if notSaved > 0 || saveErr != nil {
		msg = fmt.Sprintf("Import incomplete: %d %s could not be saved (%v). %s", notSaved, plural(notSaved, "post", "posts"), saveErr, msg)
	}
	c.Env.Lock()
	c.importing = false
	c.ImportMsg = Clip(msg, 600)
	c.schedule()
	c.Env.UnlockRender()
}
