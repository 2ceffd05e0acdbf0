package baselines

import (
	"fmt"
	"io"
	"math"
	"sync"
	"time"
)

// W2VConfig configures skip-gram word2vec with negative sampling (Mikolov et
// al. 2013), as in the original C tool's defaults where not said otherwise.
type W2VConfig struct {
	Dim       int     // vector size
	Window    int     // maximum context distance (the actual one is drawn in 1..Window)
	Negative  int     // negative samples per (word, context) pair
	MinCount  int     // words rarer than this get no vector
	Epochs    int     // passes over the corpus
	Alpha     float64 // starting learning rate, decayed linearly to Alpha*1e-4
	Subsample float64 // frequent-word subsampling threshold t (0: none)
	Seed      uint64
	// Threads > 1 trains Hogwild-style: sentences are dealt to threads in
	// chunks and updates race, so the vectors then depend on scheduling. 1
	// is bit-for-bit deterministic for a seed.
	Threads int
}

// DefaultW2VConfig returns the configuration of the paper's vectors' size (300)
// with the C tool's skip-gram defaults.
func DefaultW2VConfig() W2VConfig {
	return W2VConfig{Dim: 300, Window: 5, Negative: 5, MinCount: 5, Epochs: 5,
		Alpha: 0.025, Subsample: 1e-4, Seed: 1, Threads: 1}
}

// Vectors are learnt word vectors: Vec[w*Dim:(w+1)*Dim] for word id w, all
// zero for words without a vector (Has[w] false).
type Vectors struct {
	Dim int
	Vec []float32
	Has []bool
}

// Of returns the vector of word w, or nil when w has none.
func (v *Vectors) Of(w int32) []float32 {
	if int(w) >= len(v.Has) || !v.Has[w] {
		return nil
	}
	return v.Vec[int(w)*v.Dim : int(w+1)*v.Dim]
}

// Cosine is the cosine similarity of the vectors of two words (0 when
// either has none).
func (v *Vectors) Cosine(a, b int32) float64 {
	x, y := v.Of(a), v.Of(b)
	if x == nil || y == nil {
		return 0
	}
	var xy, xx, yy float64
	for i := range x {
		xy += float64(x[i]) * float64(y[i])
		xx += float64(x[i]) * float64(x[i])
		yy += float64(y[i]) * float64(y[i])
	}
	if xx == 0 || yy == 0 {
		return 0
	}
	return xy / math.Sqrt(xx*yy)
}

// rng is the C tool's linear congruential generator.
type rng uint64

func (r *rng) next() uint64 {
	*r = *r*25214903917 + 11
	return uint64(*r)
}

// TrainWord2Vec learns vectors for word ids 0..nWords-1 from sentences, each
// a list of word ids. It returns an error for a bad configuration.
func TrainWord2Vec(sentences [][]int32, nWords int, cfg W2VConfig, log io.Writer) (*Vectors, error) {
	if cfg.Dim <= 0 || cfg.Window <= 0 || cfg.Negative <= 0 || cfg.Epochs <= 0 || !(cfg.Alpha > 0) {
		return nil, fmt.Errorf("word2vec: bad configuration %+v", cfg)
	}
	threads := max(cfg.Threads, 1)
	count := make([]int64, nWords)
	for _, s := range sentences {
		for _, w := range s {
			count[w]++
		}
	}
	var total int64
	v := &Vectors{Dim: cfg.Dim, Vec: make([]float32, nWords*cfg.Dim), Has: make([]bool, nWords)}
	for w, c := range count {
		if c >= int64(max(cfg.MinCount, 1)) {
			v.Has[w] = true
			total += c
		}
	}
	if total == 0 {
		return v, nil
	}
	// Unigram^0.75 table for negative samples.
	const tableSize = 1 << 22
	table := make([]int32, 0, tableSize)
	var norm float64
	for w, c := range count {
		if v.Has[w] {
			norm += math.Pow(float64(c), 0.75)
		}
	}
	var cum float64
	for w, c := range count {
		if !v.Has[w] {
			continue
		}
		cum += math.Pow(float64(c), 0.75) / norm
		for float64(len(table)) < cum*tableSize && len(table) < tableSize {
			table = append(table, int32(w))
		}
	}
	for len(table) < tableSize {
		table = append(table, table[len(table)-1])
	}
	// Keep probability of each word under subsampling, as in the C tool.
	keep := make([]float64, nWords)
	for w, c := range count {
		keep[w] = 1
		if cfg.Subsample > 0 && v.Has[w] {
			f := float64(c) / (cfg.Subsample * float64(total))
			keep[w] = math.Sqrt(1/f) + 1/f
		}
	}
	r := rng(cfg.Seed)
	for i := range v.Vec {
		v.Vec[i] = (float32(r.next()&0xFFFF)/65536 - 0.5) / float32(cfg.Dim)
	}
	out := make([]float32, nWords*cfg.Dim) // context vectors, zero
	t := &w2vTrainer{cfg: cfg, v: v, out: out, table: table, keep: keep,
		work: float64(total) * float64(cfg.Epochs)}
	start := time.Now()
	for e := 0; e < cfg.Epochs; e++ {
		const chunk = 256
		var wg sync.WaitGroup
		next := 0
		var mu sync.Mutex
		for th := 0; th < threads; th++ {
			wg.Add(1)
			go func(th int) {
				defer wg.Done()
				r := rng(cfg.Seed + uint64(e)*1000003 + uint64(th)*7919)
				buf := make([]float32, cfg.Dim)
				sent := make([]int32, 0, 64)
				for {
					mu.Lock()
					lo := next
					next += chunk
					mu.Unlock()
					if lo >= len(sentences) {
						return
					}
					for _, s := range sentences[lo:min(lo+chunk, len(sentences))] {
						sent = t.sentence(s, sent[:0], &r, buf)
					}
				}
			}(th)
		}
		wg.Wait()
		if log != nil {
			fmt.Fprintf(log, "word2vec: epoch %d/%d done, %.0fs\n", e+1, cfg.Epochs, time.Since(start).Seconds())
		}
	}
	return v, nil
}

type w2vTrainer struct {
	cfg   W2VConfig
	v     *Vectors
	out   []float32
	table []int32
	keep  []float64
	work  float64 // total words to process, for the learning-rate schedule
	mu    sync.Mutex
	done  float64
}

// sentence trains on one sentence; sent is scratch for the kept words.
func (t *w2vTrainer) sentence(s, sent []int32, r *rng, buf []float32) []int32 {
	for _, w := range s {
		if !t.v.Has[w] {
			continue
		}
		if t.keep[w] < 1 && t.keep[w] < float64(r.next()&0xFFFF)/65536 {
			continue
		}
		sent = append(sent, w)
	}
	t.mu.Lock()
	t.done += float64(len(s))
	progress := t.done / t.work
	t.mu.Unlock()
	alpha := float32(t.cfg.Alpha * max(1-progress, 1e-4))
	dim := t.cfg.Dim
	for i, w := range sent {
		b := int(r.next() % uint64(t.cfg.Window))
		for j := i - t.cfg.Window + b; j <= i+t.cfg.Window-b; j++ {
			if j < 0 || j >= len(sent) || j == i {
				continue
			}
			// As in the C tool: the context word's input vector predicts w.
			in := t.v.Vec[int(sent[j])*dim : int(sent[j]+1)*dim]
			clear(buf)
			for d := 0; d <= t.cfg.Negative; d++ {
				target, label := w, float32(1)
				if d > 0 {
					target = t.table[(r.next()>>16)%uint64(len(t.table))]
					if target == w {
						continue
					}
					label = 0
				}
				o := t.out[int(target)*dim : int(target+1)*dim]
				g := (label - sigmoid32(dot32(in, o))) * alpha
				sgnsUpdate(in, o, buf, g)
			}
			for k := range in {
				in[k] += buf[k]
			}
		}
	}
	return sent
}

func sigmoid32(x float32) float32 {
	if x > 6 {
		return 1
	}
	if x < -6 {
		return 0
	}
	return float32(1 / (1 + math.Exp(-float64(x))))
}

// dot32 is the dot product of two equal-length vectors. It sums its four
// partial sums left to right (s0+s1+s2+s3), not as num.Dot's
// (s0+s1)+(s2+s3): the word2vec vectors, the pretrained embeddings and the
// reported numbers depend on this order, so it is kept.
func dot32(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return s0 + s1 + s2 + s3
}

// sgnsUpdate accumulates g·o into buf and adds g·in to o.
func sgnsUpdate(in, o, buf []float32, g float32) {
	o = o[:len(in)]
	buf = buf[:len(in)]
	for k, f := range in {
		buf[k] += g * o[k]
		o[k] += g * f
	}
}
