package trainer

import (
	"bytes"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/internal/num"
	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

func TestTopK(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for n := 0; n < 40; n++ {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(r.IntN(6)) // many ties
		}
		order := make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortStableFunc(order, func(a, b int32) int {
			switch {
			case s[a] > s[b]:
				return -1
			case s[a] < s[b]:
				return 1
			}
			return 0
		})
		for k := 0; k <= 6; k++ {
			got := num.TopK(s, k, []int32{-7})
			want := append([]int32{-7}, order[:min(k, n)]...)
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d k=%d: %v, want %v (scores %v)", n, k, got, want, s)
			}
		}
	}
}

// TestRanker checks that the Ranker (model.Hidden plus the scoring loop)
// agrees with the trainer's batched P@1 on a trained synthetic model.
func TestRanker(t *testing.T) {
	d, _ := synthDataset(t, 4)
	res, err := Train(d, quickOptions(model.HMemN2NTags, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRanker(res.Model, d)
	if err != nil {
		t.Fatal(err)
	}
	ids := d.Examples[dataset.Valid]
	hits := 0
	for _, p := range ids {
		top := r.Rank(d, p, 1, nil)
		if slices.Contains(d.GoldOf(p), top[0]) {
			hits++
		}
	}
	x, _ := Encode(d, res.Model)
	want := precisionAt1(newEngine(&res.Model.Params, 2), x, ids, 7)
	if got := float64(hits) / float64(len(ids)); got != want || got < 0.4 {
		t.Errorf("ranker P@1 %.4f, trainer %.4f", got, want)
	}
	// Recommend gives the same best hashtag from the raw texts.
	sug, why := res.Model.Recommend("election ballot voters senate", []string{"senate vote #politics", "great match #sports"}, 3)
	if len(sug) != 3 || len(why.Posts) != 2 || len(why.Words) != 2 {
		t.Fatalf("Recommend: %v %+v", sug, why)
	}
	t.Logf("Recommend: %v %+v", sug, why)
}

// rareTagPosts is synthPosts where each author also writes, in one post
// of five, a hashtag of their own: under the protocol's threshold of
// candidates, but in several train posts.
func rareTagPosts(seed uint64) []post.Post {
	ps := synthPosts(seed, 40, 30)
	for i := range ps {
		if i%5 == 0 {
			ps[i].Text += " #own" + ps[i].Author
			ps[i].Tags = dataset.Hashtags(ps[i].Text)
		}
	}
	return ps
}

// rareTagDataset is the dataset of rareTagPosts(5).
func rareTagDataset(t *testing.T) *dataset.Dataset {
	t.Helper()
	b, err := dataset.NewBuilder("rare", "random")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rareTagPosts(5) {
		if err := b.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	return b.Build()
}

// TestTagPosts checks the copy variant whose softmax ranks hashtags beyond
// the candidates (Options.TagPosts) and the open choice of the best epoch
// (Options.SelectOpen): the model's hashtags are the candidates then the
// others by train posts; closed rankings hold candidates only; the open P@1
// that picks the epoch is the one the open evaluation's ranker gives; a
// model hashtag the dataset lacks is never ranked.
func TestTagPosts(t *testing.T) {
	d := rareTagDataset(t)
	if got := OutputTags(d, 0); !slices.Equal(got, d.Candidates) {
		t.Fatalf("OutputTags(d, 0) = %v, want the candidates %v", got, d.Candidates)
	}
	tags := OutputTags(d, 2)
	kc := len(d.Candidates)
	if !slices.Equal(tags[:kc], d.Candidates) || len(tags) <= kc {
		t.Fatalf("OutputTags(d, 2): %d tags, %d candidates: want the candidates first, then more", len(tags), kc)
	}
	n := d.TrainTagPosts()
	candOf := d.CandidateIndex()
	for i, tg := range tags[kc:] {
		if candOf[tg] >= 0 || n[tg] < 2 || i > 0 && n[tg] > n[tags[kc+i-1]] {
			t.Fatalf("extra hashtag %q (%d train posts) is a candidate, too rare or out of order", d.Tags[tg], n[tg])
		}
	}

	o := quickOptions(model.HMemN2NCopy, t.TempDir())
	o.TagPosts, o.SelectOpen = 2, true
	res, err := Train(d, o)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Model
	if !slices.Equal(m.Tags, TagNames(d, tags)) || len(m.Display) != len(tags) {
		t.Fatalf("model hashtags %v, want %v", m.Tags, TagNames(d, tags))
	}
	r, err := NewRanker(m, d)
	if err != nil {
		t.Fatal(err)
	}
	open := d.OpenExamples(dataset.Valid)
	hits, extra := 0, 0
	for _, p := range open {
		for _, c := range r.Rank(d, p, 5, nil) {
			if c < 0 || int(c) >= kc {
				t.Fatalf("closed ranking of post %d holds %d, not a candidate index", p, c)
			}
		}
		top := r.RankOpen(d, p, 1, nil)
		if slices.Contains(d.PostTags(p), top[0]) {
			hits++
		}
		if candOf[top[0]] < 0 {
			extra++
		}
	}
	x, err := Encode(d, m)
	if err != nil {
		t.Fatal(err)
	}
	want := openPrecisionAt1(newEngine(&m.Params, 2), x, open, 7)
	got := float64(hits) / float64(len(open))
	best := res.Epochs[res.BestEpoch-1].ValidP1
	t.Logf("open P@1 %.3f (%d of %d top-1s not candidates), trainer %.3f, best epoch's %.3f", got, extra, len(open), want, best)
	if got != want || got != best {
		t.Errorf("ranker's open P@1 %.4f, trainer's %.4f, best epoch's %.4f: want all equal", got, want, best)
	}
	if extra == 0 {
		t.Error("no top-1 is a hashtag beyond the candidates")
	}

	// A model hashtag the dataset lacks is skipped, and k are still given.
	m2 := *m
	m2.Tags = slices.Clone(m.Tags)
	m2.Tags[len(m2.Tags)-1] = "nosuchhashtag"
	r2, err := NewRanker(&m2, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range open[:20] {
		got := r2.RankOpen(d, p, 5, nil)
		if len(got) != 5 || slices.Contains(got, -1) {
			t.Fatalf("post %d: RankOpen with an absent hashtag gave %v", p, got)
		}
	}

	// The paper's variants rank the candidates only.
	o = quickOptions(model.HMemN2N, t.TempDir())
	o.TagPosts = 2
	if _, err := Train(d, o); err == nil {
		t.Error("hmemn2n with TagPosts 2: no error")
	}
}

// TestDropWords checks word dropout: the encoded words are left as they
// are, the same key drops the same words, and about the given share goes.
func TestDropWords(t *testing.T) {
	words := make([]int32, 10000)
	for i := range words {
		words[i] = int32(i)
	}
	orig := slices.Clone(words)
	var ex Example
	var buf, buf2 []int32
	ex.Words = words
	dropWords(&ex, &buf, 0.3, 42)
	kept := slices.Clone(ex.Words)
	if !slices.Equal(words, orig) {
		t.Fatal("dropWords changed the encoded words")
	}
	if share := 1 - float64(len(kept))/float64(len(words)); share < 0.28 || share > 0.32 {
		t.Errorf("dropped %.3f of the words, want about 0.3", share)
	}
	if !slices.IsSorted(kept) {
		t.Error("the words kept are out of order")
	}
	ex.Words = words
	dropWords(&ex, &buf2, 0.3, 42)
	if !slices.Equal(ex.Words, kept) {
		t.Error("the same key dropped other words")
	}
	ex.Words = words
	dropWords(&ex, &buf2, 0.3, 43)
	if slices.Equal(ex.Words, kept) {
		t.Error("another key dropped the same words")
	}
}

// TestCalibrate checks the calibration of the copy variant's mixture:
// model.bin is the best epoch's model (best-epoch.bin) with the gate's
// bias and the copy prior κ shifted by the offsets reported and nothing
// else changed; the offsets are those the ranker's open validation P@1
// picks, the gate's first over GateOffsets, then κ's over KappaOffsets,
// and that P@1 is the one reported; a resumed run calibrates the best
// epoch's model again rather than model.bin; and the paper's variants
// refuse it.
func TestCalibrate(t *testing.T) {
	d := rareTagDataset(t)
	o := quickOptions(model.HMemN2NCopy, t.TempDir())
	o.SelectOpen, o.Calibrate, o.Epochs, o.Seed = true, true, 2, 3
	res, err := Train(d, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.GateOffset == 0 && res.KappaOffset == 0 {
		t.Error("the calibration kept the model as it was: this fixture should move it")
	}
	bias := model.GateFeatures
	// openP1 is the ranker's open validation P@1 of the best epoch's model
	// with the gate's bias and κ shifted.
	openP1 := func(gate, kappa float64) float64 {
		m, err := model.ReadFile(filepath.Join(o.Out, BestEpochFile))
		if err != nil {
			t.Fatal(err)
		}
		m.Params.GateV[bias] += float32(gate)
		m.Params.CopyW[1] += float32(kappa)
		r, err := NewRanker(m, d)
		if err != nil {
			t.Fatal(err)
		}
		return eval.EvaluateOpen(d, dataset.Valid, r).P[0]
	}
	argmax := func(offsets []float64, p func(float64) float64) (float64, float64) {
		best, bestP := 0.0, -1.0
		for _, off := range offsets {
			if v := p(off); v > bestP+1e-12 {
				best, bestP = off, v
			}
		}
		return best, bestP
	}
	check := func(res *Result) {
		t.Helper()
		raw, err := model.ReadFile(filepath.Join(o.Out, BestEpochFile))
		if err != nil {
			t.Fatal(err)
		}
		cal, err := model.ReadFile(filepath.Join(o.Out, BestModelFile))
		if err != nil {
			t.Fatal(err)
		}
		gotGate := float64(cal.Params.GateV[bias] - raw.Params.GateV[bias])
		gotKappa := float64(cal.Params.CopyW[1] - raw.Params.CopyW[1])
		if math.Abs(gotGate-res.GateOffset) > 1e-6 || math.Abs(gotKappa-res.KappaOffset) > 1e-6 {
			t.Errorf("model.bin shifts the gate's bias by %+g and κ by %+g, want the offsets %+g, %+g", gotGate, gotKappa, res.GateOffset, res.KappaOffset)
		}
		cal.Params.GateV[bias], cal.Params.CopyW[1] = raw.Params.GateV[bias], raw.Params.CopyW[1]
		a, _ := raw.MarshalBinary()
		c, _ := cal.MarshalBinary()
		if !bytes.Equal(a, c) {
			t.Error("model.bin differs from best-epoch.bin in more than the gate's bias and κ")
		}
		gate, _ := argmax(GateOffsets, func(off float64) float64 { return openP1(off, 0) })
		kappa, p := argmax(KappaOffsets, func(off float64) float64 { return openP1(gate, off) })
		if gate != res.GateOffset || kappa != res.KappaOffset || math.Abs(p-res.CalibratedP1) > 1e-12 {
			t.Errorf("calibration chose %+g, %+g (P@1 %.4f), the ranker's best is %+g, %+g (%.4f)", res.GateOffset, res.KappaOffset, res.CalibratedP1, gate, kappa, p)
		}
		if res.CalibratedP1 < res.Epochs[res.BestEpoch-1].ValidP1 {
			t.Errorf("calibrated P@1 %.4f below the uncalibrated %.4f (offsets 0 are tried)", res.CalibratedP1, res.Epochs[res.BestEpoch-1].ValidP1)
		}
		t.Logf("offsets %+g, %+g: open validation P@1 %.4f, uncalibrated %.4f", res.GateOffset, res.KappaOffset, res.CalibratedP1, res.Epochs[res.BestEpoch-1].ValidP1)
	}
	check(res)
	// Resumed with nothing left to train: calibrated again from the best
	// epoch's model, the same offset, not twice.
	o.Resume = true
	again, err := Train(d, o)
	if err != nil {
		t.Fatal(err)
	}
	if again.GateOffset != res.GateOffset || again.KappaOffset != res.KappaOffset {
		t.Errorf("resumed run chose %+g, %+g, the first %+g, %+g", again.GateOffset, again.KappaOffset, res.GateOffset, res.KappaOffset)
	}
	check(again)
	// Resumed for one more epoch: its best model is calibrated.
	o.Epochs = 3
	res, err = Train(d, o)
	if err != nil {
		t.Fatal(err)
	}
	check(res)

	o = quickOptions(model.HMemN2N, t.TempDir())
	o.Calibrate = true
	if _, err := Train(d, o); err == nil || !strings.Contains(err.Error(), "--calibrate is for --method hmemn2n-copy") {
		t.Errorf("hmemn2n with Calibrate: %v", err)
	}
}
