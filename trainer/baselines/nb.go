package baselines

import (
	"fmt"
	"math"
	"slices"

	"github.com/hashtag-rec/hashtag/internal/num"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// NBConfig configures multinomial Naive Bayes.
type NBConfig struct {
	// Alpha is the Lidstone smoothing constant (1: Laplace).
	Alpha float64
	// History adds the words of the post's history posts as a second bag
	// of features with its own class-conditional word distribution
	// (NB+H). A history word is a different feature from the same word in
	// the post itself.
	History bool
	// HistWeight multiplies the log-likelihood of the history bag when
	// scoring (1: plain Naive Bayes over both bags). Training does not
	// depend on it, so it can be changed after training (SetHistWeight).
	HistWeight float64
}

// DefaultNBConfig returns Laplace smoothing without history.
func DefaultNBConfig() NBConfig { return NBConfig{Alpha: 1, HistWeight: 1} }

// NB is a trained multinomial Naive Bayes ranker. Score of candidate c for
// a post with words w (and history words h):
//
//	log P(c) + Σ_w log P(w|c) + λ Σ_h log P_H(h|c)
//
// with P(w|c) = (n(w,c) + α) / (n(c) + α V) where n(w,c) counts word w in
// the train examples of c and V is the vocabulary of the bag. Words never
// seen in a train example are ignored.
type NB struct {
	cfg   NBConfig
	prior []float64 // log P(c)
	post  nbBag
	hist  nbBag
	pool  *floatPool
}

// nbBag is the sparse class-conditional distribution of one bag of words:
// log P(w|c) = miss[c] + delta of (w,c) when n(w,c) > 0, else miss[c].
type nbBag struct {
	off   []int32   // per word id: CSR offsets into cand, delta
	cand  []int32   // candidate indices
	delta []float32 // log(n(w,c)+α) - log α
	miss  []float64 // log α - log(n(c) + α V)
}

// TrainNB counts words per candidate over the train examples of d.
// It returns an error for a bad configuration.
func TrainNB(d *dataset.Dataset, cfg NBConfig) (*NB, error) {
	if !(cfg.Alpha > 0) {
		return nil, fmt.Errorf("naive bayes: smoothing alpha must be > 0, got %v", cfg.Alpha)
	}
	if cfg.HistWeight < 0 {
		return nil, fmt.Errorf("naive bayes: history weight must be >= 0, got %v", cfg.HistWeight)
	}
	nc := len(d.Candidates)
	m := &NB{cfg: cfg, prior: make([]float64, nc), pool: newFloatPool(nc)}
	var total float64
	for _, p := range d.Examples[dataset.Train] {
		for _, c := range d.GoldOf(p) {
			m.prior[c]++
			total++
		}
	}
	for c := range m.prior {
		// Every candidate has >= 10 train posts, so no zero; guard anyway.
		m.prior[c] = math.Log((m.prior[c] + cfg.Alpha) / (total + cfg.Alpha*float64(nc)))
	}
	m.post = buildBag(d, nc, len(d.Words), cfg.Alpha, func(p int32, f func(int32)) {
		for _, w := range d.Tokens(p) {
			f(w)
		}
	})
	if cfg.History {
		m.hist = buildBag(d, nc, len(d.Words), cfg.Alpha, func(p int32, f func(int32)) {
			forHistoryWords(d, p, f)
		})
	}
	return m, nil
}

func forHistoryWords(d *dataset.Dataset, p int32, f func(int32)) {
	for _, h := range d.History(p) {
		for _, w := range d.Tokens(h) {
			f(w)
		}
	}
}

// buildBag counts (word, candidate) pairs by sorting packed keys.
func buildBag(d *dataset.Dataset, nc, nw int, alpha float64, words func(p int32, f func(int32))) nbBag {
	var keys []uint64
	tot := make([]float64, nc)
	for _, p := range d.Examples[dataset.Train] {
		gold := d.GoldOf(p)
		words(p, func(w int32) {
			for _, c := range gold {
				keys = append(keys, uint64(w)<<32|uint64(c))
				tot[c]++
			}
		})
	}
	slices.Sort(keys)
	b := nbBag{off: make([]int32, nw+1), miss: make([]float64, nc)}
	seen := make([]bool, nw)
	la := math.Log(alpha)
	for i := 0; i < len(keys); {
		j := i
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		w, c := int32(keys[i]>>32), int32(uint32(keys[i]))
		seen[w] = true
		b.off[w+1]++
		b.cand = append(b.cand, c)
		b.delta = append(b.delta, float32(math.Log(float64(j-i)+alpha)-la))
		i = j
	}
	vocab := 0
	for w := 0; w < nw; w++ {
		if seen[w] {
			vocab++
		}
		b.off[w+1] += b.off[w]
	}
	for c := range b.miss {
		b.miss[c] = la - math.Log(tot[c]+alpha*float64(vocab))
	}
	return b
}

// add adds the bag's log-likelihood of the words, times weight, to scores.
func (b *nbBag) add(scores []float64, weight float64, forWords func(f func(int32))) {
	known := 0
	forWords(func(w int32) {
		lo, hi := b.off[w], b.off[w+1]
		if lo == hi {
			return
		}
		known++
		for i := lo; i < hi; i++ {
			scores[b.cand[i]] += weight * float64(b.delta[i])
		}
	})
	if known > 0 {
		f := weight * float64(known)
		for c, m := range b.miss {
			scores[c] += f * m
		}
	}
}

// SetHistWeight changes λ, the weight of the history bag. It is not safe to
// call while Rank runs.
func (m *NB) SetHistWeight(w float64) { m.cfg.HistWeight = w }

// Config returns the configuration.
func (m *NB) Config() NBConfig { return m.cfg }

// Rank implements eval.Ranker.
func (m *NB) Rank(d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	sp := m.pool.get()
	scores := *sp
	copy(scores, m.prior)
	m.post.add(scores, 1, func(f func(int32)) {
		for _, w := range d.Tokens(p) {
			f(w)
		}
	})
	if m.cfg.History && m.cfg.HistWeight > 0 {
		m.hist.add(scores, m.cfg.HistWeight, func(f func(int32)) { forHistoryWords(d, p, f) })
	}
	dst = num.TopK(scores, k, dst)
	m.pool.put(sp)
	return dst
}
