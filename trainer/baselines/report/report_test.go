package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/trainer/eval"
)

func TestMarkdownAndCurves(t *testing.T) {
	var a eval.Table
	a.Add([]int32{1, 2, 3, 4, 5}, []int32{1})
	a.Add([]int32{9, 2, 3, 4, 5}, []int32{2, 7})
	a.Finish()
	rows := []Row{{Method: "m", Table: a, TrainSec: 3}, {Method: "x", Skipped: "no model"}}
	var b bytes.Buffer
	Markdown(&b, rows)
	// P@1 = 1/2, R@1 = (1 + 0)/2, F1@1 = 0.5; F1@5 from P@5 = 0.2, R@5 = 0.75.
	want := "| m | 0.500 | 0.500 | 0.500 | 0.316 | 3 |"
	if !strings.Contains(b.String(), want) || !strings.Contains(b.String(), "not run: no model") {
		t.Fatalf("Markdown:\n%s\nwant a row %q and the skipped row", b.String(), want)
	}
	base := filepath.Join(t.TempDir(), "fig")
	if err := Curves(rows, "test", base); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".png", ".svg"} {
		if fi, err := os.Stat(base + ext); err != nil || fi.Size() < 1000 {
			t.Fatalf("%s: %v", ext, err)
		}
	}
}

// TestOpenTables: the open table lists every row scored open with what it
// ranks; a row of the open evaluation only stays out of the closed tables.
func TestOpenTables(t *testing.T) {
	var closedT, openT eval.Table
	closedT.Add([]int32{1, 2, 3, 4, 5}, []int32{1})
	closedT.Finish()
	openT.Add([]int32{7, 8, 9, 10, 11}, []int32{8, 20})
	openT.Finish()
	rows := []Row{
		{Method: "nb", Table: closedT, Open: &openT},
		{Method: "peer-open", Outside: true, Open: &openT, OpenAny: true, OpenOnly: true},
		{Method: "closed-only", Table: closedT},
	}
	var b bytes.Buffer
	OpenMarkdown(&b, rows)
	// Open: P@1 0, R@1 0; P@5 1/5, R@5 1/2, F1@5 = 2·0.2·0.5/0.7 = 0.286.
	for _, want := range []string{
		"| nb | candidates only | 0.000 | 0.000 | 0.000 | 0.286 |",
		"| peer-open (outside the paper's setup) | any hashtag | 0.000 | 0.000 | 0.000 | 0.286 |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("OpenMarkdown:\n%s\nwant a row %q", b.String(), want)
		}
	}
	if strings.Contains(b.String(), "closed-only") {
		t.Errorf("a row not scored open is in the open table:\n%s", b.String())
	}
	b.Reset()
	Markdown(&b, rows)
	MarkdownK(&b, rows)
	if strings.Contains(b.String(), "peer-open") || !strings.Contains(b.String(), "| closed-only |") {
		t.Errorf("closed tables:\n%s\nwant closed-only and not the open peer", b.String())
	}
	b.Reset()
	OpenMarkdownK(&b, rows)
	if !strings.Contains(b.String(), "| peer-open | 0.000 | 0.500 |") || strings.Contains(b.String(), "closed-only") {
		t.Errorf("OpenMarkdownK:\n%s", b.String())
	}
}
