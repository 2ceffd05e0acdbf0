// Package e2e drives the built site in Debian's headless Chromium with
// chromedp: typing, keyboard insertion, publishing, reload, import, markup
// safety, offline use, the network record and keystroke latency.
package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hashtag-rec/hashtag/ui/site"
)

const chromium = "/usr/bin/chromium"

// root is the module root, from this package's folder.
const root = "../.."

// A post about a topic the sample model knows, typed in every step.
const testPost = "What a great goal in the last minute of the football match tonight"

// requestLog records every request the page makes (network events) and
// every request the server answers, with the phase the test was in.
type requestLog struct {
	mu      sync.Mutex
	phase   string // "load" while a page loads, "idle" once its model is in
	page    []request
	served  []request
	errors  []string // exceptions thrown in the page
	console []string // console messages
}

type request struct {
	URL, Phase string
}

func (l *requestLog) setPhase(p string) {
	l.mu.Lock()
	l.phase = p
	l.mu.Unlock()
}

func (l *requestLog) onEvent(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		l.page = append(l.page, request{e.Request.URL, l.phase})
	case *runtime.EventExceptionThrown:
		l.errors = append(l.errors, (&chromedp.ExceptionError{ExceptionDetails: e.ExceptionDetails}).Error())
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range e.Args {
			if a.Value != nil {
				parts = append(parts, string(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		l.console = append(l.console, string(e.Type)+": "+strings.Join(parts, " "))
	}
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.served = append(l.served, request{r.URL.Path, l.phase})
		l.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// testModel returns the model file the site is built with: the committed
// assets/model.bin (or $HASHTAG_E2E_MODEL), never a stand-in.
func testModel(t *testing.T) string {
	real := filepath.Join(root, "assets", "model.bin")
	if p := os.Getenv("HASHTAG_E2E_MODEL"); p != "" {
		real = p
	}
	if _, err := os.Stat(real); err != nil {
		t.Fatalf("%v: the browser test needs the real model (make browser-model, or make assets/model.bin to build one from the bundled sample)", err)
	}
	abs, err := filepath.Abs(real)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// artifactDir is where screenshots go: $TEST_ARTIFACTS, else the
// git-ignored .cache/screens.
func artifactDir(t *testing.T) string {
	d := os.Getenv("TEST_ARTIFACTS")
	if d == "" {
		d = filepath.Join(root, ".cache", "screens")
	}
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

type page struct {
	t   *testing.T
	ctx context.Context
	log *requestLog
}

// run runs actions with a step timeout.
func (p *page) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

func eval[T any](p *page, js string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func (p *page) poll(what, js string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(5*time.Millisecond))); err != nil {
		p.log.mu.Lock()
		for _, c := range p.log.console {
			p.t.Logf("console %s", c)
		}
		for _, e := range p.log.errors {
			p.t.Logf("exception %s", e)
		}
		p.log.mu.Unlock()
		p.t.Fatalf("waiting for %s: %v", what, err)
	}
}

// waitReady waits until the model is in and then marks the page idle: from
// then on no request at all is allowed.
func (p *page) waitReady() {
	p.t.Helper()
	p.poll("the model to load", `window.hashtagModelLoadedAt > 0 && !!document.querySelector('.app[data-state="ready"]')`)
	p.log.setPhase("idle")
}

// load navigates (or reloads) and waits for the model.
func (p *page) load(action chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	p.log.setPhase("load")
	p.run("load", action)
	p.waitReady()
}

// setText empties the text box the way a person would not, then types s.
func (p *page) setText(s string) {
	p.t.Helper()
	eval[bool](p, `(() => { const e = document.querySelector('#post'); e.value = ''; e.dispatchEvent(new Event('input', {bubbles: true})); e.focus(); return true })()`)
	p.run("type", chromedp.SendKeys(chromedp.CSS("#post"), s))
}

// suggestions waits for the suggestions of the text in the box and returns
// them as "#tag pct" strings.
func (p *page) suggestions() []string {
	p.t.Helper()
	p.poll("suggestions for the text", `(() => { const u = document.querySelector('#suggestions'); return !!u && window.hashtagSugText === document.querySelector('#post').value && u.querySelectorAll('[role=option]').length > 0 })()`)
	return eval[[]string](p, `[...document.querySelectorAll('#suggestions [role=option]')].map(e => e.querySelector('.tag').textContent + ' ' + e.querySelector('.pct').textContent)`)
}

func (p *page) historyCount() int {
	return eval[int](p, `document.querySelectorAll('#history > li').length`)
}

func (p *page) screenshot(name string, full bool) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	var png []byte
	var err error
	if full {
		png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	} else {
		png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(artifactDir(p.t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", path)
	if name == "desktop.png" && os.Getenv("HASHTAG_UPDATE_SCREENSHOT") != "" {
		if err := os.WriteFile(filepath.Join(root, "docs", "screenshot.png"), png, 0o644); err != nil {
			p.t.Fatal(err)
		}
		p.t.Logf("refreshed docs/screenshot.png")
	}
}

const tweetsJS = `window.YTD.tweets.part0 = [
  {"tweet": {"id_str": "101", "created_at": "Sat Nov 01 18:02:11 +0000 2025", "full_text": "Season ticket renewed. Come on you reds! #football #matchday", "lang": "en", "retweeted": false,
    "entities": {"hashtags": [{"text": "football"}, {"text": "matchday"}]}}},
  {"tweet": {"id_str": "102", "created_at": "Mon Nov 03 07:45:00 +0000 2025", "full_text": "First coffee of the week, then code review #coffee #monday", "lang": "en", "retweeted": false,
    "entities": {"hashtags": [{"text": "coffee"}, {"text": "monday"}]}}},
  {"tweet": {"id_str": "103", "created_at": "Fri Nov 07 21:30:00 +0000 2025", "full_text": "New album out on Friday &amp; the tour starts next week #newmusic", "lang": "en", "retweeted": false,
    "entities": {"hashtags": [{"text": "newmusic"}]}}},
  {"tweet": {"id_str": "104", "created_at": "Sat Nov 08 10:00:00 +0000 2025", "full_text": "RT @club: Kick-off moved to 8pm #football", "lang": "en", "retweeted": false,
    "entities": {"hashtags": [{"text": "football"}]}}},
  {"tweet": {"id_str": "105", "created_at": "Sun Nov 09 12:00:00 +0000 2025", "full_text": "Qué partido tan bueno #futbol", "lang": "es", "retweeted": false,
    "entities": {"hashtags": [{"text": "futbol"}]}}}
]
`

// pressKey presses a key the way a keyboard does: one keyDown carrying the
// text, so that preventDefault on keydown cancels the text as it does for a
// person (chromedp.KeyEvent sends a separate char event, which it does not).
func pressKey(key string, code int64, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: key, Code: key, WindowsVirtualKeyCode: code, NativeVirtualKeyCode: code, Text: text, UnmodifiedText: text}
		if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, down); err != nil {
			return err
		}
		up := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp, Key: key, Code: key, WindowsVirtualKeyCode: code, NativeVirtualKeyCode: code}
		_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, up)
		return err
	})
}

const outboxJSON = `{
  "@context": "https://www.w3.org/ns/activitystreams",
  "id": "https://social.example/users/ana/outbox",
  "type": "OrderedCollection",
  "totalItems": 5,
  "orderedItems": [
    {"id": "https://social.example/users/ana/statuses/1/activity", "type": "Create", "actor": "https://social.example/users/ana",
     "published": "2025-11-10T08:00:00Z",
     "object": {"id": "https://social.example/users/ana/statuses/1", "type": "Note", "published": "2025-11-10T08:00:00Z",
       "content": "<p>Morning run by the river <a href=\"https://social.example/tags/running\" class=\"mention hashtag\" rel=\"tag\">#<span>running</span></a></p>",
       "contentMap": {"en": "<p>Morning run by the river <a href=\"https://social.example/tags/running\" class=\"mention hashtag\" rel=\"tag\">#<span>running</span></a></p>"}}},
    {"id": "https://social.example/users/ana/statuses/2/activity", "type": "Announce", "actor": "https://social.example/users/ana",
     "published": "2025-11-11T09:00:00Z", "object": "https://other.example/users/bo/statuses/9"},
    {"id": "https://social.example/users/ana/statuses/3/activity", "type": "Create", "actor": "https://social.example/users/ana",
     "published": "2025-11-12T09:00:00Z",
     "object": {"id": "https://social.example/users/ana/statuses/3", "type": "Note", "published": "2025-11-12T09:00:00Z",
       "content": "<p>Guten Morgen zusammen</p>", "contentMap": {"de": "<p>Guten Morgen zusammen</p>"}}},
    {"id": "https://social.example/users/ana#likes/4", "type": "Like", "actor": "https://social.example/users/ana",
     "object": "https://other.example/users/bo/statuses/10"},
    {"id": "https://social.example/users/ana/statuses/5/activity", "type": "Create", "actor": "https://social.example/users/ana",
     "published": "2025-11-13T10:00:00Z",
     "object": {"id": "https://social.example/users/ana/statuses/5", "type": "Note", "published": "2025-11-13T10:00:00Z",
       "content": "<p>Release day: v2 is out &amp; it is fast <a href=\"https://social.example/tags/golang\" class=\"mention hashtag\" rel=\"tag\">#<span>golang</span></a></p>",
       "contentMap": {"en": "<p>Release day: v2 is out &amp; it is fast <a href=\"https://social.example/tags/golang\" class=\"mention hashtag\" rel=\"tag\">#<span>golang</span></a></p>"}}}
  ]
}
`

func percentile(xs []float64, q float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(q * float64(len(s)-1))
	return s[i]
}

// needBrowser skips (or, on CI, fails) when Chromium is missing or the
// run is -short.
func needBrowser(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing (CI is set, so this fails instead of skipping): run scripts/install-chromium.sh", chromium)
		}
		t.Skipf("%s is missing: run scripts/install-chromium.sh to run the browser tests", chromium)
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
}

var (
	siteOnce sync.Once
	siteDir  string
	siteErr  error
	siteRep  site.Report
	siteTook time.Duration
)

// builtSite builds the site once for every test of the package, as
// "hashtag site" builds it.
func builtSite(t *testing.T) string {
	t.Helper()
	siteOnce.Do(func() {
		start := time.Now()
		siteDir, siteErr = os.MkdirTemp("", "hashtag-e2e-site-")
		if siteErr != nil {
			return
		}
		siteRep, siteErr = site.Build(site.Options{Out: siteDir, Root: root, Model: testModel(t)})
		siteTook = time.Since(start)
	})
	if siteErr != nil {
		t.Fatal(siteErr)
	}
	return siteDir
}

// serve serves the site on a new loopback port (a new origin, so a new
// storage) and returns its address.
func serve(t *testing.T, dir string, log *requestLog) (base string, srv *http.Server) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv = &http.Server{Handler: log.wrap(site.Handler(dir))}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/", srv
}

// newBrowser starts headless Chromium with a fresh profile and returns
// its first tab, listening to log. Scripts are added to every document
// before the page's own (e.g. the long-task observer).
func newBrowser(t *testing.T, log *requestLog, scripts ...string) *page {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	// The first call starts the browser: no timeout on it.
	if err := chromedp.Listen(ctx, log.onEvent); err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, ctx: ctx, log: log}
	p.addScripts(scripts...)
	return p
}

// newTab opens another tab of p's browser.
func (p *page) newTab(scripts ...string) *page {
	p.t.Helper()
	ctx, cancel := chromedp.NewContext(p.ctx)
	p.t.Cleanup(cancel)
	if err := chromedp.Listen(ctx, p.log.onEvent); err != nil {
		p.t.Fatal(err)
	}
	q := &page{t: p.t, ctx: ctx, log: p.log}
	q.addScripts(scripts...)
	return q
}

func (p *page) addScripts(scripts ...string) {
	p.t.Helper()
	for _, s := range scripts {
		if _, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: s}); err != nil {
			p.t.Fatalf("add script: %v", err)
		}
	}
}

func TestBrowser(t *testing.T) {
	needBrowser(t)
	start := time.Now()
	dir := builtSite(t)
	raw, gz := siteRep.Size(site.WasmFile)
	mraw, mgz := siteRep.Size(site.ModelFile)
	t.Logf("site built in %v: app.wasm %.2f MB (gzip -9 %.2f MB), model.bin %.2f MB (gzip %.2f MB)",
		siteTook.Round(time.Millisecond), float64(raw)/1e6, float64(gz)/1e6, float64(mraw)/1e6, float64(mgz)/1e6)

	log := &requestLog{phase: "load"}
	base, srv := serve(t, dir, log)
	p := newBrowser(t, log)
	ctx := p.ctx

	// First visit: no history, text-only suggestions, and the page says so.
	p.load(chromedp.Navigate(base))
	if !eval[bool](p, `!!document.querySelector('.note') && document.querySelector('.note').textContent.includes('No history yet')`) {
		t.Errorf("first visit: the page does not say that suggestions come from the text alone")
	}
	p.setText(testPost)
	before := p.suggestions()
	t.Logf("no history: %v", before)

	// Keyboard: ArrowDown chooses the first suggestion, Enter inserts it.
	p.run("arrow down", chromedp.KeyEvent(kb.ArrowDown))
	p.poll("the first suggestion to be chosen", `document.querySelector('#sug-0').getAttribute('aria-selected') === 'true' && document.querySelector('#post').getAttribute('aria-activedescendant') === 'sug-0'`)
	first := strings.Fields(before[0])[0]
	p.run("enter", pressKey("Enter", 13, "\r"))
	got := eval[string](p, `document.querySelector('#post').value`)
	if want := testPost + " " + first + " "; got != want {
		t.Errorf("after ArrowDown+Enter the text is %q, want %q", got, want)
	}
	// ArrowDown twice and Tab insert the second one at the cursor.
	second := strings.Fields(p.suggestions()[1])[0]
	p.run("arrow down twice, tab", chromedp.KeyEvent(kb.ArrowDown+kb.ArrowDown), pressKey("Tab", 9, "\t"))
	got = eval[string](p, `document.querySelector('#post').value`)
	if want := testPost + " " + first + " " + second + " "; got != want {
		t.Errorf("after ArrowDown×2+Tab the text is %q, want %q", got, want)
	}
	if focused := eval[string](p, `document.activeElement.id`); focused != "post" {
		t.Errorf("after Tab the focus is on %q, want the text box", focused)
	}
	// A click inserts at the cursor too: put it at the start.
	eval[bool](p, `(() => { const e = document.querySelector('#post'); e.setSelectionRange(0, 0); return true })()`)
	third := strings.Fields(p.suggestions()[2])[0]
	p.run("click", chromedp.Click(chromedp.CSS("#sug-2")))
	got = eval[string](p, `document.querySelector('#post').value`)
	if want := third + " " + testPost + " " + first + " " + second + " "; got != want {
		t.Errorf("after a click with the cursor at the start the text is %q, want %q", got, want)
	}

	// Publish: the post joins the history and changes the suggestions.
	p.setText(testPost + " #football")
	p.run("publish", chromedp.Click(chromedp.CSS("#publish")))
	p.poll("the published post", `document.querySelectorAll('#history > li').length === 1 && document.querySelector('#post').value === ''`)
	p.setText(testPost)
	after := p.suggestions()
	t.Logf("with the post in history: %v", after)
	if slices.Equal(before, after) {
		t.Errorf("suggestions did not change with the history: %v", after)
	}
	if n := eval[int](p, `document.querySelectorAll('.whyrow').length`); n != 1 {
		t.Errorf("why: %d past posts shown, want 1", n)
	}

	// Reload: the history is still there and gives the same suggestions.
	p.load(chromedp.Reload())
	if n := p.historyCount(); n != 1 {
		t.Fatalf("after reload the history has %d posts, want 1", n)
	}
	p.setText(testPost)
	if again := p.suggestions(); !slices.Equal(again, after) {
		t.Errorf("after reload the suggestions are %v, want %v", again, after)
	}

	// Import a small tweets.js: originals in any language (post.Post.Kept),
	// sorted by time.
	tj := filepath.Join(t.TempDir(), "tweets.js")
	if err := os.WriteFile(tj, []byte(tweetsJS), 0o644); err != nil {
		t.Fatal(err)
	}
	p.run("choose tweets.js", chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{tj}))
	p.poll("the import report", `!!document.querySelector('#import-msg') && !document.querySelector('#import-msg').textContent.startsWith('Reading')`)
	msg := eval[string](p, `document.querySelector('#import-msg').textContent`)
	t.Logf("import: %s", msg)
	if !strings.HasPrefix(msg, "Imported 4 posts, skipped 1") {
		t.Errorf("import report %q, want 4 imported and 1 skipped", msg)
	}
	if n := p.historyCount(); n != 5 {
		t.Errorf("after import the history has %d posts, want 5", n)
	}

	// Markup in a post is shown as text and stays inert.
	evil := `<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> #tag`
	p.setText(evil)
	p.run("publish markup", chromedp.Click(chromedp.CSS("#publish")))
	p.poll("the markup post", `document.querySelectorAll('#history > li').length === 6`)
	if got := eval[string](p, `document.querySelector('#history > li .text').textContent`); got != evil {
		t.Errorf("markup post shown as %q, want the literal text", got)
	}
	if bad := eval[bool](p, `window.pwned !== undefined || document.querySelectorAll('.app script, .app img').length > 0`); bad {
		t.Errorf("markup in a post became live")
	}
	p.run("delete it", chromedp.Click(chromedp.CSS("#history > li .del")))
	p.poll("the deletion", `document.querySelectorAll('#history > li').length === 5`)

	// Import a small Mastodon outbox.json: Notes in any language, no boosts.
	ob := filepath.Join(t.TempDir(), "outbox.json")
	if err := os.WriteFile(ob, []byte(outboxJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	p.run("choose outbox.json", chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{ob}))
	p.poll("the second import report", `document.querySelector('#import-msg').textContent.includes('skipped 2')`)
	msg = eval[string](p, `document.querySelector('#import-msg').textContent`)
	t.Logf("import: %s", msg)
	if !strings.HasPrefix(msg, "Imported 3 posts, skipped 2") {
		t.Errorf("import report %q, want 3 imported and 2 skipped", msg)
	}
	// The typed post is the newest; then the imports, newest first.
	if got := eval[string](p, `document.querySelectorAll('#history > li .text')[1].textContent`); got != "Release day: v2 is out & it is fast #golang" {
		t.Errorf("second post after the Mastodon import: %q, want the newest imported one", got)
	}

	// Keystroke-to-suggestions latency, measured in the page.
	p.setText("")
	n0 := eval[int](p, `window.hashtagLatencies.length`)
	typed := "great goal in the match tonight"
	for i, r := range typed {
		p.run("key", chromedp.KeyEvent(string(r)))
		p.poll("suggestions after a keystroke", fmt.Sprintf(`window.hashtagLatencies.length > %d`, n0+i))
	}
	lat := eval[[]float64](p, fmt.Sprintf(`window.hashtagLatencies.slice(%d)`, n0))
	fwd := eval[[]float64](p, `window.hashtagForwardMs.slice(-30)`)
	t.Logf("forward pass alone (last %d): median %.1f ms, p95 %.1f ms", len(fwd), percentile(fwd, 0.5), percentile(fwd, 0.95))
	t.Logf("keystroke to suggestions rendered (%d keystrokes, history of %d): median %.1f ms, p95 %.1f ms, max %.1f ms",
		len(lat), p.historyCount(), percentile(lat, 0.5), percentile(lat, 0.95), percentile(lat, 1))

	// Screenshots: desktop, then phone width.
	p.setText("Trying the new camera app on my iPhone tonight, great for photography ")
	p.suggestions()
	p.screenshot("desktop.png", true)
	p.run("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	p.screenshot("phone.png", true)
	p.run("desktop", chromedp.EmulateViewport(1280, 1000))

	// Offline: the server is gone and the network is off; a reload still
	// gives the app, the model and the history.
	srv.Close()
	offline := true
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &offline,
		MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		t.Fatalf("emulate offline: %v", err)
	}
	p.load(chromedp.Reload())
	if n := p.historyCount(); n != 8 {
		t.Errorf("offline: history has %d posts, want 8", n)
	}
	p.setText(testPost)
	t.Logf("offline: %v", p.suggestions())

	// Clear all, after a confirmation; the page says suggestions are
	// text-only again.
	p.run("clear all", chromedp.Click(chromedp.CSS("#clear")))
	p.run("confirm", chromedp.Click(chromedp.CSS("#clear-yes")))
	p.poll("the empty history", `document.querySelectorAll('#history > li').length === 0 && !!document.querySelector('.note')`)

	// The network record: nothing but 127.0.0.1, and nothing once a model
	// was in.
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, r := range log.page {
		u, err := url.Parse(r.URL)
		if err != nil || (u.Scheme != "data" && u.Scheme != "blob" && u.Hostname() != "127.0.0.1") {
			t.Errorf("request left 127.0.0.1: %s", r.URL)
		}
		if r.Phase == "idle" {
			t.Errorf("request after the model loaded: %s", r.URL)
		}
	}
	for _, r := range log.served {
		// The browser itself revalidates sw.js after a navigation to
		// find app updates (a conditional GET with no user data, not
		// made by the page): the one request allowed once a page is in.
		if r.Phase == "idle" && r.URL != "/sw.js" {
			t.Errorf("server answered a request after the model loaded: %s", r.URL)
		}
	}
	for _, e := range log.errors {
		t.Errorf("exception in the page: %s", e)
	}
	t.Logf("requests: %d seen by the page, %d answered by the server, all during page loads", len(log.page), len(log.served))
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}
