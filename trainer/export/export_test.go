package export

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/model/conformance"
	"github.com/hashtag-rec/hashtag/trainer"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

// sample trains a small model on the bundled HowYouTag sample.
func sample(t *testing.T) (*dataset.Dataset, dataset.Source, *model.Model) {
	t.Helper()
	src := dataset.Source{Paths: []string{"../../assets/sample/howyoutag"}, Split: dataset.SplitGiven}
	d, err := dataset.Prepare(src)
	if err != nil {
		t.Fatal(err)
	}
	opt := trainer.DefaultOptions(model.HMemN2NTags)
	opt.Config.Dim, opt.Epochs, opt.Out = 24, 3, t.TempDir()
	res, err := trainer.Train(d, opt)
	if err != nil {
		t.Fatal(err)
	}
	return d, src, res.Model
}

func TestPruneQuantiseEvaluate(t *testing.T) {
	d, src, m := sample(t)
	counts := WordCounts(m, d)
	full := f1(t, d, m)
	if full < 0.05 {
		t.Fatalf("trained sample model F1@1 %.3f: not learning", full)
	}
	keep := (len(m.Words) - tagWords(m)) / 2 // half the text words
	for _, s := range []Step{
		{Name: "int8", Opts: model.CompactOptions{Embeddings: model.QuantInt8, Output: model.QuantInt8, Dense: model.QuantInt8}},
		{Name: "int4 half", Vocab: Vocab{Text: keep, Memory: keep}, Opts: model.CompactOptions{Embeddings: model.QuantInt4, Output: model.QuantInt8, Dense: model.QuantInt8}},
	} {
		b, q, err := Apply(m, counts, s)
		if err != nil {
			t.Fatal(err)
		}
		if s.Vocab.Text > 0 && len(q.Words) > keep+tagWords(m) {
			t.Fatalf("%s: %d words, want at most %d text words and the tags", s.Name, len(q.Words), keep)
		}
		got := f1(t, d, q)
		t.Logf("%s: %d bytes, F1@1 %.3f (float32 %.3f)", s.Name, len(b), got, full)
		if s.Vocab.Text == 0 && got < full-0.01 {
			t.Errorf("%s: F1@1 %.3f, more than 0.01 under float32's %.3f", s.Name, got, full)
		}
	}
	// The most used text word keeps its A row, the least used loses it and
	// its B, C rows too; memory words "#tag" never keep an A row.
	p, _ := Prune(m, counts, Vocab{Text: keep, Memory: keep / 2, TagMin: 1})
	most, least := -1, -1
	for i, w := range m.Words {
		if strings.HasPrefix(w, "#") {
			continue
		}
		if most < 0 || counts[i] > counts[most] {
			most = i
		}
		if least < 0 || counts[i] < counts[least] {
			least = i
		}
	}
	d0 := m.Dim
	if id, ok := p.WordID(m.Words[most]); !ok || isZero(p.A[int(id)*d0:int(id+1)*d0]) || isZero(p.B[int(id)*d0:int(id+1)*d0]) {
		t.Errorf("pruning dropped rows of the most used word %q", m.Words[most])
	}
	if _, ok := p.WordID(m.Words[least]); ok && counts[least] < counts[most] {
		t.Errorf("pruning to half kept the least used word %q", m.Words[least])
	}
	for i, w := range p.Words {
		if strings.HasPrefix(w, "#") && !isZero(p.A[i*d0:(i+1)*d0]) {
			t.Fatalf("memory word %q kept an A row", w)
		}
	}

	// The fixture's native compact rankings are what NewCompact gives.
	b, q, err := Apply(m, counts, Step{Opts: model.CompactOptions{Embeddings: model.QuantInt4, Output: model.QuantInt8, Dense: model.QuantInt8}})
	if err != nil {
		t.Fatal(err)
	}
	fx, err := MakeFixture(d, src, m, b, 50)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fx.json.gz")
	if err := conformance.Write(path, fx); err != nil {
		t.Fatal(err)
	}
	fx2, err := conformance.Read(path)
	if err != nil || len(fx2.Cases) != 50 {
		t.Fatalf("fixture round trip: %v, %d cases", err, len(fx2.Cases))
	}
	c := q
	for i, cs := range fx2.Cases {
		if cs.Post == "" && len(cs.History) == 0 {
			t.Fatalf("case %d has no text at all: raw texts not found", i)
		}
		got := conformance.Tags(c.Recommend(cs.Post, cs.History, 5))
		for j := range got {
			if got[j] != cs.Compact[j] {
				t.Fatalf("case %d: %v, fixture %v", i, got, cs.Compact)
			}
		}
	}
}

func tagWords(m *model.Model) int {
	n := 0
	for _, w := range m.Words {
		if strings.HasPrefix(w, "#") {
			n++
		}
	}
	return n
}

func isZero(x []float32) bool {
	for _, v := range x {
		if v != 0 {
			return false
		}
	}
	return true
}

func f1(t *testing.T, d *dataset.Dataset, m *model.Model) float64 {
	t.Helper()
	r, err := trainer.NewRanker(m, d)
	if err != nil {
		t.Fatal(err)
	}
	tb := eval.Evaluate(d, dataset.Test, r)
	return tb.F1[0]
}
