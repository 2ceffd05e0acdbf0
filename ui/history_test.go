package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/hashtag-rec/hashtag/model/post"
)

func TestInsertTag(t *testing.T) {
	for _, c := range []struct {
		text  string
		caret int
		want  string
		pos   int
	}{
		{"", 0, "#goal ", 6},
		{"great match", 11, "great match #goal ", 18},
		{"great match ", 12, "great match #goal ", 18},
		{"great match", 0, "#goal great match", 6},
		{"great match", 5, "great #goal match", 12},
		{"great #go", 9, "great #goal ", 12},            // a hashtag being typed is completed
		{"great #go match", 9, "great #goal match", 12}, // ... before a space
		{"é 😀 x", 4, "é 😀 #goal x", 11},                 // UTF-16 offsets: 😀 is two units
		{"abc", 99, "abc #goal ", 10},
	} {
		got, pos := InsertTag(c.text, c.caret, "goal")
		if got != c.want || pos != c.pos {
			t.Errorf("InsertTag(%q, %d) = %q, %d; want %q, %d", c.text, c.caret, got, pos, c.want, c.pos)
		}
	}
}

func TestHistory(t *testing.T) {
	var h History
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	a := h.Publish("first", now)
	h.Publish("second", now.Add(time.Minute))
	if got := strings.Join(h.Recent(5), ","); got != "second,first" {
		t.Fatalf("Recent = %q", got)
	}
	added := h.Merge([]Entry{
		{Text: "old", Time: "2020-01-01 00:00:00"},
		{Text: "first", Time: a.Time}, // already there
		{Text: "future", Time: "2030-01-01 00:00:00"},
	}, now)
	if added != 2 {
		t.Errorf("Merge added %d, want 2", added)
	}
	if got := strings.Join(h.Recent(10), ","); got != "future,second,first,old" {
		t.Errorf("after Merge: %q", got)
	}
	if !h.Delete(a.ID) || h.Delete(a.ID) {
		t.Errorf("Delete of %s: want true once", a.ID)
	}
	ids := map[string]bool{}
	for _, e := range h.Entries {
		if ids[e.ID] {
			t.Errorf("duplicate id %s", e.ID)
		}
		ids[e.ID] = true
	}
	if got := len(h.Recent(MemorySize)); got != 3 {
		t.Errorf("Recent(%d) has %d", MemorySize, got)
	}
	h.Clear()
	if len(h.Entries) != 0 {
		t.Errorf("Clear left %d", len(h.Entries))
	}
}

func TestPlainText(t *testing.T) {
	for _, c := range []struct {
		f        post.Format
		in, want string
	}{
		{post.FormatTweetsJS, "fish &amp; chips ", "fish & chips"},
		{post.FormatTweetsJS, "&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"},
		{post.FormatMastodon, "a &amp; b <i>", "a &amp; b <i>"}, // already plain text
	} {
		if got := plainText(c.f, c.in); got != c.want {
			t.Errorf("plainText(%s, %q) = %q, want %q", c.f, c.in, got, c.want)
		}
	}
}

func TestParseImportRefusesOtherFiles(t *testing.T) {
	if _, _, err := ParseImport("notes.txt", []byte("hello\tworld\n")); err == nil {
		t.Error("a TSV file was accepted as an archive")
	}
}

func TestShownHistoryIsPaged(t *testing.T) {
	var c Root
	for i := range 30 {
		c.History.Entries = append(c.History.Entries, Entry{ID: string(rune('a' + i))})
	}
	if len(c.Shown()) != pageSize || c.Hidden() != 30-pageSize {
		t.Fatalf("shown %d, hidden %d", len(c.Shown()), c.Hidden())
	}
	c.OnMore(nil)
	if len(c.Shown()) != 30 || c.Hidden() != 0 {
		t.Errorf("after OnMore: shown %d, hidden %d", len(c.Shown()), c.Hidden())
	}
}
