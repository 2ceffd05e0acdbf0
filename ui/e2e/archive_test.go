package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/model/post/posttest"
)

// cliCounts is what the CLI's reader (post.ReadBytes, which "hashtag
// prepare" runs through post.ReadFile) finds in f: posts kept, posts
// skipped, and the files read inside the archive.
func cliCounts(t *testing.T, f posttest.Fixture) (kept, skipped int, parts []string) {
	t.Helper()
	st, _, err := post.ReadBytes(f.Name, f.Data, "", post.Options{}, func(post.Post) error { return nil })
	if err != nil {
		t.Fatalf("CLI reader on %s: %v", f.Name, err)
	}
	for _, p := range st.Parts {
		parts = append(parts, p.Name)
	}
	return st.Kept, st.Records - st.Kept + st.Ignored + st.Bad, parts
}

// archiveImport chooses path in the import button and returns the report
// the page shows when the import is done.
func archiveImport(p *page, path string) string {
	p.t.Helper()
	p.run("choose "+filepath.Base(path), chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{path}))
	p.poll("the report of "+filepath.Base(path), `(() => { const m = document.querySelector('#import-msg'); return !!m && /^(Imported|Import failed|Import incomplete)/.test(m.textContent) })()`)
	return eval[string](p, `document.querySelector('#import-msg').textContent`)
}

// historyTitleCount is the number of posts the history's heading names.
func historyTitleCount(p *page) int {
	p.t.Helper()
	var n int
	title := eval[string](p, `document.querySelector('#hist-h').textContent`)
	if _, err := fmt.Sscanf(title, "Your posts (%d)", &n); err != nil {
		p.t.Fatalf("history heading %q: %v", title, err)
	}
	return n
}

// TestArchiveImport imports the .zip an X account and a Mastodon account
// hand out (made here with the structure of real ones: media, likes,
// followers and deleted tweets beside the posts; the outbox with
// Mastodon 4's duplicate "orderedItems" key) and the .car of a Bluesky
// export (a binary CAR file) through the page's import button, and checks the page reports the counts the CLI's reader finds;
// then a likes.json and an empty outbox, which are refused with the reason.
func TestArchiveImport(t *testing.T) {
	needBrowser(t)
	dir := builtSite(t)
	log := &requestLog{phase: "load"}
	base, _ := serve(t, dir, log)
	p := newBrowser(t, log)
	p.load(chromedp.Navigate(base))

	files := t.TempDir()
	total := 0
	for _, f := range []posttest.Fixture{posttest.XArchiveZip(), posttest.MastodonZip(), posttest.BlueskyCAR()} {
		path := filepath.Join(files, f.Name)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		kept, skipped, parts := cliCounts(t, f)
		if kept != f.Kept {
			t.Fatalf("%s: the CLI reader keeps %d posts, the fixture says %d", f.Name, kept, f.Kept)
		}
		msg := archiveImport(p, path)
		t.Logf("%s: %s", f.Name, msg)
		want := fmt.Sprintf("Imported %d posts from %s, skipped %d", kept, strings.Join(parts, ", "), skipped)
		if len(parts) == 0 { // one file, not an archive
			want = fmt.Sprintf("Imported %d posts, skipped %d", kept, skipped)
		}
		if !strings.HasPrefix(msg, want) {
			t.Errorf("%s: the page says %q, want %q (the CLI's counts)", f.Name, msg, want)
		}
		total += kept
		if n := historyTitleCount(p); n != total {
			t.Errorf("after %s the history holds %d posts, want %d", f.Name, n, total)
		}
	}
	// Posts in any language are in the history, as in the CLI.
	for _, text := range []string{"新しい #プロジェクト を始めました", "No language here #NoLang", "Guten Morgen #Kaffee",
		"Guten Morgen #Kaffee #Morgen", "Trying the new custom feeds #BuildInPublic #golang"} {
		if !eval[bool](p, fmt.Sprintf(`[...document.querySelectorAll('#history > li .text')].some(e => e.textContent === %q)`, text)) {
			t.Errorf("%q is not in the history list", text)
		}
	}

	// Nothing to import: a one-line reason, the history unchanged.
	for _, f := range []posttest.Fixture{posttest.LikesJSON(), posttest.EmptyOutbox()} {
		path := filepath.Join(t.TempDir(), f.Name)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		msg := archiveImport(p, path)
		t.Logf("%s: %s", f.Name, msg)
		// (The worker that reads the file passes the error on as a JS Error,
		// whose text the page shows after "Import failed: ".)
		if !strings.HasPrefix(msg, "Import failed: ") || !strings.Contains(msg, f.Name+": no posts kept: ") || !strings.Contains(msg, f.Reason) {
			t.Errorf("%s: the page says %q, want the reason %q", f.Name, msg, f.Reason)
		}
		if n := historyTitleCount(p); n != total {
			t.Errorf("after %s the history holds %d posts, want %d", f.Name, n, total)
		}
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, e := range log.errors {
		t.Errorf("exception in the page: %s", e)
	}
}
