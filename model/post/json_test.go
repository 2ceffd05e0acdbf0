package post

import (
	"strings"
	"testing"
)

func TestLineReader(t *testing.T) {
	content := "ab\ncd\n\nefg"
	lr := newLineReader(strings.NewReader(content))
	buf := make([]byte, 3) // small reads: newlines arrive bit by bit
	for {
		if _, err := lr.Read(buf); err != nil {
			break
		}
	}
	for _, c := range []struct {
		off       int64
		line, col int
	}{
		{0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {5, 2, 3}, {6, 3, 1}, {7, 4, 1}, {9, 4, 3}, {10, 4, 4},
	} {
		line, col := lr.at(c.off)
		if line != c.line || col != c.col {
			t.Errorf("at(%d) = %d:%d, want %d:%d", c.off, line, col, c.line, c.col)
		}
	}
	if line, _ := lr.at(2); line != 4 {
		t.Errorf("at an earlier offset gave line %d, want the last one asked (4)", line)
	}
}

// TestJSONMemoryBounded checks that the JSON readers forget the newlines
// they have passed, so that their memory does not grow with the file: the
// files here have 20,000 lines or more (80,000 for most), and a reader
// that kept them all would hold at least 20,000.
func TestJSONMemoryBounded(t *testing.T) {
	const n = 20000
	status := "{\n \"created_at\": \"Sat Oct 13 12:00:00 +0000 2018\",\n \"text\": \"x\",\n \"user\": {\"screen_name\": \"a\"}\n}"
	note := "{\"type\": \"Create\", \"actor\": \"https://h/users/a\",\n \"object\": {\"type\": \"Note\", \"published\": \"2022-11-12T00:00:00Z\", \"content\": \"x\"}}"
	cases := []struct {
		name    string
		content string
		read    func(*jsonReader) error
	}{
		{"twitter array", "[" + strings.TrimSuffix(strings.Repeat(status+",\n", n), ",\n") + "]", readTwitterFrom},
		{"twitter lines", strings.Repeat(strings.ReplaceAll(status, "\n", "")+"\n", n), readTwitterFrom},
		{"twitter concatenated", strings.Repeat(status+"\n", n), readTwitterFrom},
		{"mastodon", `{"@context": [` + strings.Repeat("\"x\",\n", 2*n) + `"y"], "orderedItems": [` +
			strings.TrimSuffix(strings.Repeat(note+",\n", n), ",\n") + "]}", readMastodonFrom},
	}
	for _, c := range cases {
		s := newSink(c.name, Options{}, func(Post) error { return nil })
		j := newJSONReader(strings.NewReader(c.content), s)
		err := c.read(j)
		if err != nil || s.stats.Records != n {
			t.Fatalf("%s: err %v, stats %+v", c.name, err, s.stats)
		}
		if j.lr.held >= 15000 {
			t.Errorf("%s: %d newline offsets held at once", c.name, j.lr.held)
		}
	}
}
