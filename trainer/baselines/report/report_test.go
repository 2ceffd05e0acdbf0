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
