package baselines

import (
	"fmt"
	"io"
	"math"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/hashtag-rec/hashtag/internal/num"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// SVMConfig configures the one-vs-rest linear SVMs.
type SVMConfig struct {
	// History appends the mean vector of the history posts' words to the
	// post's own mean vector (SVM+H): the features are concatenated, not
	// summed, so the two can get different weights.
	History bool
	Lambda  float64 // regularisation λ
	// LR, if positive, replaces Pegasos's step 1/(λt) by Bottou's
	// LR/(1 + LR·λ·t), which takes far fewer steps to reach a useful
	// ranking; the projection step is kept.
	LR     float64
	Epochs int
	Batch  int // examples per Pegasos step
	// MaxTrain, if positive, trains on that many train examples (every
	// n-th), as the benchmark's reference SVM trained on 30 k.
	MaxTrain int
	Seed     uint64
}

// DefaultSVMConfig returns what docs/RESULTS.md uses.
func DefaultSVMConfig() SVMConfig {
	return SVMConfig{Lambda: 1e-4, Epochs: 3, Batch: 32, MaxTrain: 50000, Seed: 1}
}

// SVM is a set of one-vs-rest linear SVMs, one per candidate, over
// averaged word vectors. The features of a post are the mean of its words'
// vectors, L2-normalised (and, with History, the same over the words of its
// history posts), each standardised to mean 0 and variance 1 over the train
// examples, and a constant 1 for the bias.
type SVM struct {
	cfg  SVMConfig
	vec  *Vectors
	dim  int       // feature size
	w    []float64 // candidates × dim, row-major
	mu   []float64 // per-feature mean over the train examples
	isd  []float64 // per-feature 1/standard deviation
	pool *floatPool
}

// features writes the features of post p into x (length dim).
func (m *SVM) features(d *dataset.Dataset, p int32, x []float64) {
	clear(x)
	vd := m.vec.Dim
	meanAdd(x[:vd], m.vec, d.Tokens(p))
	normalize(x[:vd])
	if m.cfg.History {
		for _, h := range d.History(p) {
			meanAdd(x[vd:2*vd], m.vec, d.Tokens(h))
		}
		normalize(x[vd : 2*vd])
	}
	if m.mu != nil {
		for i := range m.mu {
			x[i] = (x[i] - m.mu[i]) * m.isd[i]
		}
	}
	x[len(x)-1] = 1
}

// standardize sets the per-feature mean and scale from the train examples,
// so that every feature has mean 0 and variance 1 there.
func (m *SVM) standardize(d *dataset.Dataset, ex []int32) {
	n := m.dim - 1
	sum, sq := make([]float64, n), make([]float64, n)
	x := make([]float64, m.dim)
	for _, p := range ex {
		m.features(d, p, x)
		for i := 0; i < n; i++ {
			sum[i] += x[i]
			sq[i] += x[i] * x[i]
		}
	}
	m.mu, m.isd = make([]float64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		mean := sum[i] / float64(len(ex))
		v := sq[i]/float64(len(ex)) - mean*mean
		m.mu[i] = mean
		if v > 1e-12 {
			m.isd[i] = 1 / math.Sqrt(v)
		}
	}
}

// meanAdd adds the vectors of words to x and returns how many had one.
func meanAdd(x []float64, v *Vectors, words []int32) int {
	n := 0
	for _, w := range words {
		if u := v.Of(w); u != nil {
			for i, f := range u {
				x[i] += float64(f)
			}
			n++
		}
	}
	return n
}

// normalize scales x to unit length (the mean's direction; leaves 0 alone).
func normalize(x []float64) {
	var s float64
	for _, f := range x {
		s += f * f
	}
	if s == 0 {
		return
	}
	s = 1 / math.Sqrt(s)
	for i := range x {
		x[i] *= s
	}
}

// TrainSVM trains one linear SVM per candidate by mini-batch Pegasos
// (Shalev-Shwartz et al. 2007) on the train examples of d: each step takes
// Batch examples in a seeded random order, every (example, candidate) pair
// with margin below 1 contributes its hinge sub-gradient, the step size is
// 1/(λt), and each candidate's weights are projected onto the ball of
// radius 1/√λ. It returns an error for a bad configuration.
func TrainSVM(d *dataset.Dataset, vec *Vectors, cfg SVMConfig, log io.Writer) (*SVM, error) {
	if !(cfg.Lambda > 0) || cfg.Epochs <= 0 || cfg.Batch <= 0 {
		return nil, fmt.Errorf("svm: bad configuration %+v", cfg)
	}
	nc := len(d.Candidates)
	dim := vec.Dim + 1
	if cfg.History {
		dim += vec.Dim
	}
	m := &SVM{cfg: cfg, vec: vec, dim: dim, w: make([]float64, nc*dim), pool: newFloatPool(dim + nc)}
	ex := append([]int32(nil), d.Examples[dataset.Train]...)
	if n := len(ex); cfg.MaxTrain > 0 && n > cfg.MaxTrain {
		for i := 0; i < cfg.MaxTrain; i++ {
			ex[i] = ex[i*n/cfg.MaxTrain]
		}
		ex = ex[:cfg.MaxTrain]
	}
	m.standardize(d, ex)
	r := rng(cfg.Seed)
	B := cfg.Batch
	x := make([]float64, B*dim)
	s := make([]float64, B*nc)
	W := blas64.General{Rows: nc, Cols: dim, Stride: dim, Data: m.w}
	radius := 1 / math.Sqrt(cfg.Lambda)
	t := 0
	start := time.Now()
	for e := 0; e < cfg.Epochs; e++ {
		for i := len(ex) - 1; i > 0; i-- { // Fisher–Yates
			j := int(r.next() >> 16 % uint64(i+1))
			ex[i], ex[j] = ex[j], ex[i]
		}
		for lo := 0; lo < len(ex); lo += B {
			batch := ex[lo:min(lo+B, len(ex))]
			nb := len(batch)
			for i, p := range batch {
				m.features(d, p, x[i*dim:(i+1)*dim])
			}
			X := blas64.General{Rows: nb, Cols: dim, Stride: dim, Data: x[:nb*dim]}
			S := blas64.General{Rows: nb, Cols: nc, Stride: nc, Data: s[:nb*nc]}
			blas64.Gemm(blas.NoTrans, blas.Trans, 1, X, W, 0, S)
			// S becomes the hinge sub-gradient coefficients y·[y·s < 1].
			for i, p := range batch {
				row := s[i*nc : (i+1)*nc]
				for c, v := range row {
					if v > -1 {
						row[c] = -1
					} else {
						row[c] = 0
					}
				}
				for _, c := range d.GoldOf(p) {
					if s2 := rowScore(m.w[int(c)*dim:(int(c)+1)*dim], x[i*dim:(i+1)*dim]); s2 < 1 {
						row[c] = 1
					} else {
						row[c] = 0
					}
				}
			}
			t++
			eta := 1 / (cfg.Lambda * float64(t))
			if cfg.LR > 0 {
				eta = cfg.LR / (1 + cfg.LR*cfg.Lambda*float64(t))
			}
			// W ← (1-ηλ) W + (η/nb) Sᵀ X
			blas64.Gemm(blas.Trans, blas.NoTrans, eta/float64(nb), S, X, 1-eta*cfg.Lambda, W)
			for c := 0; c < nc; c++ {
				row := m.w[c*dim : (c+1)*dim]
				var n2 float64
				for _, f := range row {
					n2 += f * f
				}
				if n2 > radius*radius {
					f := radius / math.Sqrt(n2)
					for i := range row {
						row[i] *= f
					}
				}
			}
		}
		if log != nil {
			fmt.Fprintf(log, "svm: epoch %d/%d done, %.0fs\n", e+1, cfg.Epochs, time.Since(start).Seconds())
		}
	}
	return m, nil
}

func rowScore(w, x []float64) float64 {
	var s float64
	for i, f := range x {
		s += w[i] * f
	}
	return s
}

// Rank implements eval.Ranker.
func (m *SVM) Rank(d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	sp := m.pool.get()
	x, scores := (*sp)[:m.dim], (*sp)[m.dim:]
	m.features(d, p, x)
	nc := len(scores)
	blas64.Gemv(blas.NoTrans, 1, blas64.General{Rows: nc, Cols: m.dim, Stride: m.dim, Data: m.w},
		blas64.Vector{N: m.dim, Inc: 1, Data: x}, 0, blas64.Vector{N: nc, Inc: 1, Data: scores})
	dst = num.TopK(scores, k, dst)
	m.pool.put(sp)
	return dst
}

// TrainSentences returns the word ids of every train-split post of d (not
// only the examples), the corpus the baselines' word2vec learns from.
func TrainSentences(d *dataset.Dataset) [][]int32 {
	var s [][]int32
	for p := int32(0); p < int32(d.Posts()); p++ {
		if d.PostSplit[p] == dataset.Train {
			if t := d.Tokens(p); len(t) > 0 {
				s = append(s, t)
			}
		}
	}
	return s
}
