package ui

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/model/text"

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
		{"great,#go", 9, "great,#goal ", 12},              // a marker after punctuation starts a hashtag
		{"❤️#go", 5, "❤️#goal ", 8},                       // ... and after an emoji
		{"a#go", 4, "a#go #goal ", 11},                    // glued to a word it does not
		{"see x.org/#go", 13, "see x.org/#go #goal ", 20}, // nor in a URL
		{"great #", 7, "great #goal ", 12},                // a lone marker is replaced
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
	a := NewEntry("first", now)
	b := NewEntry("second", now.Add(time.Millisecond)) // same second: the later ID first
	if h.Insert([]Entry{a}) != 1 || h.Insert([]Entry{b}) != 1 {
		t.Fatal("Insert of new posts did not add them")
	}
	if got := strings.Join(h.Recent(5), ","); got != "second,first" {
		t.Fatalf("Recent = %q", got)
	}
	snap := h.Entries
	imported := []Entry{
		{Text: "old", Time: "2020-01-01 00:00:00"},
		{Text: "future", Time: "2030-01-01 00:00:00"},
		{Text: "undated"},
	}
	for i := range imported {
		imported[i].ID = ImportID(imported[i])
	}
	if added := h.Insert(imported); added != 3 {
		t.Errorf("Insert added %d, want 3", added)
	}
	if added := h.Insert(imported[:2]); added != 0 {
		t.Errorf("Insert of the same records again added %d, want 0", added)
	}
	if got := strings.Join(h.Recent(10), ","); got != "future,second,first,old,undated" {
		t.Errorf("after Insert: %q", got)
	}
	if got := strings.Join((&History{Entries: snap}).Recent(5), ","); got != "second,first" {
		t.Errorf("a slice taken before Insert changed: %q", got)
	}
	if h.Delete(a.ID) != 1 || h.Delete(a.ID) != 0 {
		t.Errorf("Delete of %s: want 1 then 0", a.ID)
	}
	if h.Has(a.ID) || !h.Has(b.ID) {
		t.Errorf("Has after Delete")
	}
	// Set sorts what the store gave in another order.
	var h2 History
	h2.Set([]Entry{imported[2], imported[0], b, imported[1]})
	if got := strings.Join(h2.Recent(10), ","); got != "future,second,old,undated" {
		t.Errorf("Set: %q", got)
	}
	h.Clear()
	if len(h.Entries) != 0 {
		t.Errorf("Clear left %d", len(h.Entries))
	}
}

func TestIDs(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	prev := ""
	for i := range 1000 {
		id := TypedID(now.Add(time.Duration(i) * time.Millisecond))
		if seen[id] || id <= prev && i%1000 != 0 && id[:10] != prev[:10] {
			t.Fatalf("TypedID %d: %s after %s", i, id, prev)
		}
		if id[:10] < prev[:min(10, len(prev))] {
			t.Fatalf("TypedID %s sorts before the earlier %s", id, prev)
		}
		seen[id], prev = true, id
	}
	// Two tabs in the same millisecond still differ.
	if first, second := TypedID(now), TypedID(now); first == second {
		t.Error("two IDs of the same millisecond are equal")
	}
	e := Entry{Text: "hello", Time: "2025-01-02 03:04:05"}
	if first, again := ImportID(e), ImportID(e); first != again || first == ImportID(Entry{Text: "hello!", Time: e.Time}) {
		t.Error("ImportID is not a function of time and text")
	}
}

func TestPrepareImport(t *testing.T) {
	var b strings.Builder
	b.WriteString("window.YTD.tweets.part0 = [\n")
	n := 1234
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"tweet": {"id_str": "%d", "created_at": "Sat Nov 01 18:%02d:%02d +0000 2025", "full_text": "post number %d #tag%d", "lang": "en"}}`, i, i/60%60, i%60, i, i%7)
	}
	// the same tweet twice is stored once
	b.WriteString(`,{"tweet": {"id_str": "x", "created_at": "Sat Nov 01 18:00:00 +0000 2025", "full_text": "post number 0 #tag0", "lang": "en"}}`)
	b.WriteString("\n]\n")
	p, err := PrepareImport("tweets.js", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if want := (n + importChunk - 1) / importChunk; len(p.Chunks) != want {
		t.Fatalf("%d chunks, want %d", len(p.Chunks), want)
	}
	var all []Entry
	for _, c := range p.Chunks {
		var es []Entry
		if err := json.Unmarshal([]byte(c), &es); err != nil {
			t.Fatal(err)
		}
		all = append(all, es...)
	}
	if len(all) != n || p.Report.Kept != n {
		t.Fatalf("%d posts (report kept %d), want %d", len(all), p.Report.Kept, n)
	}
	for i, e := range all {
		if e.ID != ImportID(e) {
			t.Fatalf("post %d has ID %q, want its ImportID", i, e.ID)
		}
		if i > 0 && !Before(all[i-1], e) {
			t.Fatalf("posts %d and %d out of order: %v %v", i-1, i, all[i-1], e)
		}
	}
	var h History
	for _, c := range p.Chunks {
		var es []Entry
		json.Unmarshal([]byte(c), &es)
		h.Insert(es)
	}
	if len(h.Entries) != n {
		t.Errorf("history has %d after inserting the chunks, want %d", len(h.Entries), n)
	}
}

// bigTexts are one megabyte of text in three scripts and a post with
// 20,000 distinct hashtags.
func bigTexts() map[string]string {
	var tags strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&tags, "#t%d ", i)
	}
	return map[string]string{
		"ascii":     strings.Repeat("the quick brown fox jumps over the lazy dog #fox ", 1<<20/50),
		"cjk":       strings.Repeat("今天的足球比赛非常精彩我们赢了", 1<<20/45),
		"combining": strings.Repeat("e\u0301\u0302\u0303\u0304a\u0308 ", 1<<20/14),
		"hashtags":  "match tonight " + tags.String(),
	}
}

func TestClip(t *testing.T) {
	for name, s := range bigTexts() {
		c := ShownText(Entry{Text: s})
		if utf8.RuneCountInString(c) > shownRunes+1 || !strings.HasSuffix(c, "…") || !utf8.ValidString(c) {
			t.Errorf("%s: shown text of %d runes, ends %q", name, utf8.RuneCountInString(c), c[max(0, len(c)-8):])
		}
		if len(c) > 4*shownRunes+3 {
			t.Errorf("%s: shown text is %d bytes", name, len(c))
		}
	}
	if got := Clip("short", 10); got != "short" {
		t.Errorf("Clip of a short text: %q", got)
	}
	if got := Clip("ééé", 2); got != "éé…" {
		t.Errorf("Clip(ééé, 2) = %q", got)
	}
}

// TestMemoryText checks that the model reads a long history post exactly
// as it reads its short stand-in: the same words and the same first
// hashtags, on real posts of the bundled sample (made long by repeating
// them) and on megabyte texts.
func TestMemoryText(t *testing.T) {
	texts := bigTexts()
	f, err := os.Open("../assets/sample/howyoutag/test.tsv.gz")
	if err != nil {
		t.Fatalf("the bundled sample: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	for i := 0; sc.Scan() && i < 300; i++ {
		post, _, _ := strings.Cut(sc.Text(), "\t")
		texts[fmt.Sprintf("sample %d", i)] = strings.Repeat(post+" ", memoryFull/max(1, len(post))+2)
	}
	for name, s := range texts {
		m := MemoryText(s)
		if len(s) > memoryFull && len(m) > 64*1024 {
			t.Errorf("%s: memory text of %d bytes", name, len(m))
		}
		a := text.Tokens(s, text.MaxWords)
		for i, w := range a {
			a[i] = shortWord(w) // a word longer than any in a vocabulary is cut
		}
		if b := text.Tokens(m, text.MaxWords); !slices.Equal(a, b) {
			t.Errorf("%s: words differ: %d and %d from the memory text", name, len(a), len(b))
		}
		ta, tb := text.DistinctHashtags(s), text.DistinctHashtags(m)
		for i := range tb {
			tb[i].Start, tb[i].End = 0, 0
		}
		for i := range ta {
			ta[i].Start, ta[i].End = 0, 0
		}
		if !slices.Equal(ta[:min(len(ta), memoryTags)], tb) {
			t.Errorf("%s: hashtags differ: %d and %d from the memory text", name, len(ta), len(tb))
		}
	}
	if s := "short post #tag"; MemoryText(s) != s {
		t.Error("a short post is not given as it is")
	}
}

// TestMemoryTextEncodes checks with the shipped model that a long post and
// its memory text give the model the same input.
func TestMemoryTextEncodes(t *testing.T) {
	f, err := os.Open("../assets/model.bin")
	if err != nil {
		t.Skipf("no model: %v", err)
	}
	defer f.Close()
	m, err := model.ReadCompact(f)
	if err != nil {
		t.Fatal(err)
	}
	post := "great goal in the match tonight"
	for name, s := range bigTexts() {
		a := m.Encode(post, []string{s, "second post #football"})
		b := m.Encode(post, []string{MemoryText(s), "second post #football"})
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the model's input differs for the memory text", name)
		}
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
