package baselines

import (
	"math"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/hashtag-rec/hashtag/internal/num"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

// gradCheckNet is a small float64 network with every parameter drawn in
// ±0.5 (so that no gradient is trivially zero) and a batch of examples,
// among them an empty post and a one-word post.
func gradCheckNet(soft bool) (*cnnNet[float64], []cnnExample) {
	sh := cnnShape{V: 12, D: 4, H: 3, KL: 3, F: 3, W: 3, C: 5}
	net := newCNNNet[float64](sh)
	net.soft = soft
	r := num.SplitMix64(11)
	for _, p := range [][]float64{net.E, net.dense} {
		for i := range p {
			p[i] = r.Float64() - 0.5
		}
	}
	exs := []cnnExample{
		{ids: []int32{0, 3, 5, 3, 7, 11}, gold: []int32{1}},
		{ids: []int32{2}, gold: []int32{0, 4}},
		{ids: nil, gold: []int32{2}},
		{ids: []int32{9, 1, 4, 6, 8}, gold: []int32{3}},
		{ids: []int32{10, 10, 2}, gold: []int32{1, 2, 3}},
	}
	// η in the middle of the widest gap between attention scores near 0.5,
	// so that no finite-difference step moves a word across the threshold.
	var s []float64
	c := newCNNCache[float64](sh, 8)
	for _, e := range exs {
		c.ids = append(c.ids[:0], e.ids...)
		net.forward(c)
		s = append(s, c.s[:len(e.ids)]...)
	}
	sort.Float64s(s)
	best, gap := 0.5, 0.0
	for i := 1; i < len(s); i++ {
		if g := s[i] - s[i-1]; g > gap && s[i-1] > 0.2 && s[i] < 0.8 {
			best, gap = (s[i]+s[i-1])/2, g
		}
	}
	net.eta = best
	return net, exs
}

// TestCNNAttGradient checks the backward pass against central finite
// differences of the batch loss for every parameter tensor (embeddings,
// attention filter and bias, local layer, global filters, output layer),
// with dropout on (fixed masks: they depend on the key only), two workers,
// hard threshold and soft attention.
func TestCNNAttGradient(t *testing.T) {
	for _, soft := range []bool{false, true} {
		net, exs := gradCheckNet(soft)
		sh := net.sh
		tr := newCNNTrainer(net, len(exs), 8, 2, 0.3)
		const key = 42
		tr.grad(exs, key)
		gE := make([]float64, len(net.E))
		for i, r := range tr.tot.emb.IDs {
			copy(gE[int(r)*sh.D:int(r+1)*sh.D], tr.tot.emb.Data[i*sh.D:(i+1)*sh.D])
		}
		gD := slices.Clone(tr.tot.dense)
		names := []string{"M", "b_M", "W_L", "b_L", "G", "b_G", "W_O", "b_O"}
		sizes := []int{sh.H * sh.D, 1, sh.KL * sh.D, sh.KL, sh.F * sh.W * sh.D, sh.F, sh.C * sh.K(), sh.C}
		check := func(name string, p []float64, i int, ana float64) {
			const h = 1e-6
			old := p[i]
			p[i] = old + h
			lp := tr.grad(exs, key)
			p[i] = old - h
			lm := tr.grad(exs, key)
			p[i] = old
			num := (lp - lm) / (2 * h)
			if math.Abs(num-ana) > 1e-7+1e-5*math.Max(math.Abs(num), math.Abs(ana)) {
				t.Errorf("soft %v: %s[%d]: analytic %.9g, numeric %.9g", soft, name, i, ana, num)
			}
		}
		nonzero := map[string]int{}
		for i := range net.E {
			check("E", net.E, i, gE[i])
			if gE[i] != 0 {
				nonzero["E"]++
			}
		}
		off := 0
		for k, name := range names {
			for i := off; i < off+sizes[k]; i++ {
				check(name, net.dense, i, gD[i])
				if gD[i] != 0 {
					nonzero[name]++
				}
			}
			off += sizes[k]
		}
		for _, name := range append(names, "E") {
			if nonzero[name] == 0 {
				t.Errorf("soft %v: gradient of %s is all zero: the check proves nothing", soft, name)
			}
		}
	}
}

func howyoutagSample(t testing.TB) *dataset.Dataset {
	t.Helper()
	d, err := dataset.Prepare(dataset.Source{Paths: []string{"../../assets/sample/howyoutag"}, Split: dataset.SplitGiven})
	if err != nil {
		t.Skip("no sample corpus:", err)
	}
	return d
}

var sampleOnce struct {
	sync.Once
	d *dataset.Dataset
}

func sample(t testing.TB) *dataset.Dataset {
	sampleOnce.Do(func() { sampleOnce.d = howyoutagSample(t) })
	if sampleOnce.d == nil {
		t.Skip("no sample corpus")
	}
	return sampleOnce.d
}

func smallCNNConfig() CNNAttConfig {
	c := DefaultCNNAttConfig()
	c.Dim, c.LocalDim, c.Filters = 32, 32, 32
	c.Epochs, c.Patience, c.TunePosts = 3, 0, 1000
	c.MaxTrain = 6000
	c.LR = 3e-3
	c.Threads = 2
	return c
}

// TestCNNAttLearns trains a small model on the HowYouTag sample and checks
// that it beats the popularity ranking on valid F1@1, and that Rank returns
// at most k distinct candidates.
func TestCNNAttLearns(t *testing.T) {
	d := sample(t)
	m, err := TrainCNNAtt(d, smallCNNConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	posts := TuneSet(d, 1000)
	got := eval.EvaluatePosts(d, posts, m).F1[0]
	pop := eval.EvaluatePosts(d, posts, eval.Popular{}).F1[0]
	t.Logf("valid F1@1: cnn-attention %.4f, popular %.4f", got, pop)
	if got <= pop*1.5 {
		t.Errorf("cnn-attention F1@1 %.4f does not beat popular %.4f by half", got, pop)
	}
	for _, p := range posts[:200] {
		for _, k := range []int{1, 3, 5} {
			r := m.Rank(d, p, k, nil)
			if len(r) > k || len(r) == 0 {
				t.Fatalf("Rank(k=%d) returned %d candidates", k, len(r))
			}
			seen := map[int32]bool{}
			for _, c := range r {
				if seen[c] || c < 0 || int(c) >= len(d.Candidates) {
					t.Fatalf("Rank(k=%d) = %v: repeat or out of range", k, r)
				}
				seen[c] = true
			}
		}
	}
}

// TestCNNAttDeterministic trains twice with one seed and worker count and
// expects bit-identical parameters and scores.
func TestCNNAttDeterministic(t *testing.T) {
	d := sample(t)
	cfg := smallCNNConfig()
	cfg.Epochs, cfg.MaxTrain, cfg.TunePosts = 1, 2000, 300
	a, err := TrainCNNAtt(d, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := TrainCNNAtt(d, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.net.E, b.net.E) || !slices.Equal(a.net.dense, b.net.dense) {
		t.Fatal("two runs with one seed differ in their parameters")
	}
	posts := TuneSet(d, 500)
	if ta, tb := eval.EvaluatePosts(d, posts, a), eval.EvaluatePosts(d, posts, b); ta.F1 != tb.F1 || ta.P != tb.P {
		t.Fatalf("two runs with one seed differ: %v vs %v", ta.F1, tb.F1)
	}
}

func TestCNNAttBadConfig(t *testing.T) {
	d := tinyDataset(t, 30)
	for _, f := range []func(*CNNAttConfig){
		func(c *CNNAttConfig) { c.Window = 4 },
		func(c *CNNAttConfig) { c.ConvWidth = 0 },
		func(c *CNNAttConfig) { c.Threshold = 1 },
		func(c *CNNAttConfig) { c.Dropout = -0.1 },
		func(c *CNNAttConfig) { c.LR = 0 },
		func(c *CNNAttConfig) { c.Dim = 0 },
		func(c *CNNAttConfig) { c.Batch = 0 },
		func(c *CNNAttConfig) { c.Threads = -1 },
	} {
		c := DefaultCNNAttConfig()
		f(&c)
		if _, err := TrainCNNAtt(d, c, nil); err == nil {
			t.Errorf("bad configuration %+v accepted", c)
		}
	}
}
