package trainer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/sparse"
)

// Gradient check tolerances (float64). The central difference with step
// gradStep has truncation error O(step²·f”') ≈ 1e-10 and rounding error
// O(eps_mach/step) ≈ 1e-10 on losses of order 1, so analytic and numeric
// gradients must agree to gradAbsTol + gradRelTol·|g|.
const (
	gradStep   = 1e-5
	gradAbsTol = 1e-8
	gradRelTol = 1e-6
)

// randomBatch returns examples that cover the corner cases: empty text,
// empty memory, empty and over-long memory posts, more posts than Memory,
// repeated words, several gold tags.
func randomBatch(r *rand.Rand, c model.Config, v, k int) []Example {
	ids := func(n int) []int32 {
		s := make([]int32, n)
		for i := range s {
			s[i] = int32(r.IntN(v))
		}
		return s
	}
	maxw := c.MaxMemoryWords()
	ex := []Example{
		{Input: model.Input{Words: ids(3), Memory: nil}, Gold: []int32{0}},
		{Input: model.Input{Words: nil, Memory: [][]int32{ids(2), ids(3)}}, Gold: []int32{1, 2}},
		{Input: model.Input{Words: nil, Memory: nil}, Gold: []int32{int32(k - 1)}},
		{Input: model.Input{Words: []int32{1, 1, 2}, Memory: [][]int32{{}, ids(maxw + 3), ids(1)}}, Gold: []int32{2}},
		{Input: model.Input{Words: ids(5), Memory: [][]int32{ids(2), ids(2), ids(4), ids(3), ids(2)}}, Gold: []int32{3, 0, 1}},
	}
	return ex
}

func smallConfig(v model.Variant, hops int) model.Config {
	return model.Config{Variant: v, Dim: 6, Hops: hops, Memory: 3, MaxWords: 4}
}

func TestGradients(t *testing.T) {
	for _, v := range model.Variants() {
		for _, hops := range []int{0, 1, 2} {
			for _, dropout := range []float64{0, 0.3} {
				for _, workers := range []int{1, 2} {
					name := fmt.Sprintf("%s/hops%d/dropout%g/workers%d", v, hops, dropout, workers)
					t.Run(name, func(t *testing.T) { checkGradients(t, smallConfig(v, hops), dropout, workers) })
				}
			}
		}
	}
}

func checkGradients(t *testing.T, c model.Config, dropout float64, workers int) {
	const V, K = 13, 7
	r := rand.New(rand.NewPCG(1, 2))
	p := model.NewParams[float64](c, V, K)
	p.Init(3)
	for i := range p.Bf {
		p.Bf[i] = 0.1 * r.NormFloat64()
	}
	// Larger embeddings so that attention is far from uniform.
	for _, x := range [][]float64{p.A, p.B, p.C} {
		for i := range x {
			x[i] *= 4
		}
	}
	ex := randomBatch(r, c, V, K)
	if c.Variant.Copies() {
		addCopyTargets(r, ex, c, K)
		for i := 1; i < len(ex); i += 3 {
			// as training with --hide-tags: every candidate of the memory
			// hidden (a gold one among them), its score masked
			hideTags(&ex[i], K, 0.9999, uint64(i))
			if len(ex[i].Hidden) == 0 {
				t.Fatal("no hashtag hidden")
			}
		}
		for i := range p.CopyPos {
			p.CopyPos[i] = r.NormFloat64()
		}
		for _, x := range [][]float64{p.CopyW, p.GateW, p.GateV} {
			for i := range x {
				x[i] = 0.5 * r.NormFloat64()
			}
		}
	}
	keys := []uint64{11, 12, 13, 14, 15}
	e := newEngine(p, workers)
	e.dropout = dropout
	loss := func() float64 {
		e.setBatch(ex, keys)
		e.forward()
		return e.lossAndGrad(false)
	}
	e.setBatch(ex, keys)
	e.forward()
	e.lossAndGrad(true)
	e.backward()
	e.mergeSparse()
	analytic := map[string][]float64{
		"Wo": e.g.Wo, "Ws": e.g.Ws, "Wms": e.g.Wms, "Wf": e.g.Wf, "Bf": e.g.Bf, "Theta": e.g.Theta,
		"CopyPos": e.g.CopyPos, "CopyW": e.g.CopyW, "GateW": e.g.GateW, "GateV": e.g.GateV,
	}
	for name, s := range map[string]*sparse.Rows[float64]{"A": e.g.A[0], "B": e.g.B[0], "C": e.g.C[0]} {
		dense := make([]float64, V*c.Dim)
		for k, row := range s.IDs {
			copy(dense[int(row)*c.Dim:], s.Data[k*c.Dim:(k+1)*c.Dim])
		}
		analytic[name] = dense
	}
	checked, bad := 0, 0
	for _, ts := range p.Tensors() {
		g := analytic[ts.Name]
		if len(g) != len(ts.Data) {
			t.Fatalf("%s: gradient has %d elements, parameter %d", ts.Name, len(g), len(ts.Data))
		}
		var maxErr float64
		for i := range ts.Data {
			old := ts.Data[i]
			ts.Data[i] = old + gradStep
			lp := loss()
			ts.Data[i] = old - gradStep
			lm := loss()
			ts.Data[i] = old
			num := (lp - lm) / (2 * gradStep)
			err := math.Abs(num - g[i])
			maxErr = math.Max(maxErr, err)
			checked++
			if err > gradAbsTol+gradRelTol*math.Abs(num) {
				bad++
				if bad <= 5 {
					t.Errorf("%s[%d]: analytic %.10g, numeric %.10g", ts.Name, i, g[i], num)
				}
			}
		}
		t.Logf("%s: %d elements, max |analytic-numeric| = %.3g", ts.Name, len(ts.Data), maxErr)
	}
	if checked == 0 {
		t.Fatal("no parameter checked")
	}
}

// addCopyTargets gives the examples of randomBatch memory hashtags and open
// targets for HMemN2NCopy, covering: no memory hashtag (gate 1), a hashtag
// in several memory posts, candidates and non-candidates in memory, a gold
// candidate that is also in memory, a gold non-candidate, a hashtag of an
// empty memory post (no attention row) and one beyond the memory size.
func addCopyTargets(r *rand.Rand, ex []Example, c model.Config, k int) {
	for i := range ex {
		x := &ex[i]
		x.Open = append([]int32(nil), x.Gold...)
		n := min(len(x.Memory), c.Memory)
		if n == 0 {
			continue
		}
		full := uint32(1)<<uint(n) - 1
		// A memory word of post 0 and one of the last post stand for the
		// tags' "#t" words, so that their word attention feeds the copy path.
		w0, wl := int32(-1), int32(-1)
		if len(x.Memory[0]) > 0 {
			w0 = x.Memory[0][0]
		}
		if m := x.Memory[n-1]; len(m) > 0 {
			wl = m[len(m)/2]
		}
		x.Tags = []model.CopyTag{
			{ID: 100, Cand: -1, Posts: 1, Word: w0},
			{ID: 101, Cand: x.Gold[0], Posts: full, Word: wl},
			{ID: 102, Cand: int32(r.IntN(k)), Posts: uint32(1 + r.IntN(int(full))), Word: -1},
			{ID: 103, Cand: -1, Posts: uint32(1+r.IntN(int(full))) | 1<<uint(c.Memory), Word: int32(r.IntN(13))},
		}
		x.Open = append(x.Open, int32(k+0))
		if i%2 == 0 {
			x.Open = append(x.Open, int32(k+3))
		}
	}
}

// TestHideTags checks the hiding of memory candidates: none at q = 0, about
// q of them otherwise, gold or not, each hidden one masked in the softmax
// and its target moved to its copy index, the same for the same key.
func TestHideTags(t *testing.T) {
	const k = 10
	mk := func() Example {
		return Example{
			Input: model.Input{Tags: []model.CopyTag{{Cand: 3}, {Cand: -1}, {Cand: 7}, {Cand: 1}}},
			Open:  []int32{3, k + 1, 5},
		}
	}
	x := mk()
	hideTags(&x, k, 0, 1)
	if len(x.Hidden) != 0 || x.Tags[0].Cand != 3 {
		t.Fatalf("q = 0 hid %v", x.Hidden)
	}
	hidden, gold := 0, 0
	for key := uint64(0); key < 1000; key++ {
		x := mk()
		hideTags(&x, k, 0.3, key)
		y := mk()
		hideTags(&y, k, 0.3, key)
		if fmt.Sprint(x) != fmt.Sprint(y) {
			t.Fatalf("key %d: %v, then %v", key, x, y)
		}
		for _, c := range x.Hidden {
			for j, tag := range mk().Tags {
				if tag.Cand == c && x.Tags[j].Cand != -1 {
					t.Fatalf("key %d: candidate %d hidden but the copy path still knows it: %+v", key, c, x.Tags)
				}
			}
		}
		hidden += len(x.Hidden)
		if x.Tags[0].Cand == -1 {
			gold++
			if x.Open[0] != k+0 {
				t.Fatalf("key %d: hidden gold candidate 3 has target %d, want %d", key, x.Open[0], k)
			}
		} else if x.Open[0] != 3 {
			t.Fatalf("key %d: target %d changed", key, x.Open[0])
		}
		if x.Open[1] != k+1 || x.Open[2] != 5 {
			t.Fatalf("key %d: other targets changed: %v", key, x.Open)
		}
	}
	// 3 candidates of 1000 examples at q = 0.3: 900 expected (σ ≈ 25)
	if hidden < 800 || hidden > 1000 || gold < 230 || gold > 370 {
		t.Errorf("hid %d of 3000 candidates (%d of 1000 gold); want about 900 (300)", hidden, gold)
	}
}
