package baselines

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/hashtag-rec/hashtag/internal/num"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// TTMConfig configures the topical translation model.
type TTMConfig struct {
	Topics int     // K
	Iters  int     // Gibbs sweeps over the train examples
	Alpha  float64 // Dirichlet prior of the topic proportions
	Beta   float64 // Dirichlet prior of topic and background word distributions
	Gamma  float64 // Dirichlet prior of the translation distributions P(t|w,z)
	Delta  float64 // Beta prior of the topic/background switch
	Seed   uint64
}

// DefaultTTMConfig returns K = 50 and the usual symmetric priors (α = 50/K).
func DefaultTTMConfig() TTMConfig {
	return TTMConfig{Topics: 50, Iters: 50, Alpha: 1, Beta: 0.01, Gamma: 0.1, Delta: 1, Seed: 1}
}

// TTM is the topical translation model of Ding, Qiu, Zhang and Huang (IJCAI
// 2013), "Learning Topical Translation Model for Microblog Hashtag
// Suggestion", as implemented here:
//
// A post has one topic z ~ θ (a corpus-wide distribution, as for short
// posts in that paper). Each word is a topic word (switch x = 1, drawn from
// φ_z) or a background word (x = 0, from φ_B), x ~ Bernoulli(π). Each
// hashtag t is the translation of one word w of the post chosen uniformly
// (its alignment), t ~ P(t|w, z). Collapsed Gibbs sampling resamples, per
// train example, the post topic, each word's switch and each hashtag's
// alignment.
//
// Simplification, stated: the paper aligns hashtags only to topic words;
// here a hashtag may align to any word of the post, and the switch of a
// word is sampled from the word counts alone. Ranking follows the paper:
//
//	score(t) = Σ_z P(z|d) Σ_{w∈d} P(w|d) P(t|w,z)
//
// with P(z|d) ∝ θ_z Π_w (π φ_z(w) + (1-π) φ_B(w)), P(w|d) ∝ idf(w) over the
// post's words (our choice: the paper leaves P(w|d) as a word-importance
// weight; uniform weights let frequent function words vote), and P(t|w,z) = (n(z,w,t) + γ) / (n(z,w) + Tγ); the γ
// term adds the same amount to every tag and is left out of the ranking.
type TTM struct {
	cfg   TTMConfig
	nw    int
	nk    []float64 // posts per topic
	nkw   []int32   // topic word counts, K × V
	nkSum []float64 // topic words per topic
	nbw   []int32   // background word counts
	nbSum float64
	nx    [2]float64 // background / topic words
	// translation: for pair index (z*V + w), its tags' counts.
	trans  map[int64][2]int32 // pair → CSR range into tTag, tCount
	tTag   []int32
	tCount []float32 // n(z,w,t)/(n(z,w)+Tγ)
	nc     int
	idf    []float32 // log(N/df) over the train examples; 0: unseen
	pool   *floatPool
}

// TrainTTM runs collapsed Gibbs sampling on the train examples of d.
func TrainTTM(d *dataset.Dataset, cfg TTMConfig, log io.Writer) (*TTM, error) {
	if cfg.Topics <= 0 || cfg.Iters < 0 || !(cfg.Alpha > 0) || !(cfg.Beta > 0) || !(cfg.Gamma > 0) || !(cfg.Delta > 0) {
		return nil, fmt.Errorf("ttm: bad configuration %+v", cfg)
	}
	K, V, T := cfg.Topics, len(d.Words), len(d.Candidates)
	m := &TTM{cfg: cfg, nw: V, nk: make([]float64, K), nkw: make([]int32, K*V), nkSum: make([]float64, K),
		nbw: make([]int32, V), nc: T, pool: newFloatPool(T + K)}
	ex := d.Examples[dataset.Train]
	// State per example: topic; per word, switch; per tag, aligned word position.
	zOf := make([]int32, len(ex))
	xOff := make([]int32, len(ex)+1)
	aOff := make([]int32, len(ex)+1)
	for i, p := range ex {
		xOff[i+1] = xOff[i] + int32(len(d.Tokens(p)))
		aOff[i+1] = aOff[i] + int32(len(d.GoldOf(p)))
	}
	xs := make([]uint8, xOff[len(ex)])
	as := make([]int32, aOff[len(ex)])
	// Translation counts: nzwt[(w,t)][z] = n(z,w,t), dense over topics
	// behind one map lookup; nzw[w*K+z] = n(z,w), alignments from w under z.
	nzwt := make(map[int64][]int32)
	nzw := make([]int32, V*K)
	r := rng(cfg.Seed)
	wt := func(w, t int32) []int32 {
		k := int64(w)*int64(T) + int64(t)
		c, ok := nzwt[k]
		if !ok {
			c = make([]int32, K)
			nzwt[k] = c
		}
		return c
	}
	uniform := func() float64 { return float64(r.next()>>11&(1<<53-1)) / (1 << 53) }
	// Random initial state.
	for i, p := range ex {
		z := int32(r.next() >> 16 % uint64(K))
		zOf[i] = z
		m.nk[z]++
		toks := d.Tokens(p)
		for j, w := range toks {
			x := uint8(r.next() >> 16 & 1)
			xs[int(xOff[i])+j] = x
			m.addWord(z, w, x, 1)
		}
		for j, t := range d.GoldOf(p) {
			a := int32(-1)
			if len(toks) > 0 {
				a = int32(r.next() >> 16 % uint64(len(toks)))
				wt(toks[a], t)[z]++
				nzw[int(toks[a])*K+int(z)]++
			}
			as[int(aOff[i])+j] = a
		}
	}
	Vb, Tg := float64(V)*cfg.Beta, float64(T)*cfg.Gamma
	lp := make([]float64, K)
	probs := make([]float64, 0, 64)
	var cnts [][]int32
	start := time.Now()
	for it := 0; it < cfg.Iters; it++ {
		for i, p := range ex {
			toks, gold := d.Tokens(p), d.GoldOf(p)
			x := xs[xOff[i]:xOff[i+1]]
			a := as[aOff[i]:aOff[i+1]]
			z := zOf[i]
			// Remove the post's topic-dependent counts.
			m.nk[z]--
			for j, w := range toks {
				if x[j] == 1 {
					m.nkw[int(z)*V+int(w)]--
					m.nkSum[z]--
				}
			}
			cnt := cnts[:0]
			for j, t := range gold {
				if a[j] >= 0 {
					c := wt(toks[a[j]], t)
					c[z]--
					nzw[int(toks[a[j]])*K+int(z)]--
					cnt = append(cnt, c)
				}
			}
			cnts = cnt
			// Sample the topic.
			for k := 0; k < K; k++ {
				l := math.Log(m.nk[k] + cfg.Alpha)
				added := 0.0
				for j, w := range toks {
					if x[j] == 1 {
						// Repeated words: counts grow within the post; ignored (rare in tweets).
						l += math.Log((float64(m.nkw[k*V+int(w)]) + cfg.Beta) / (m.nkSum[k] + added + Vb))
						added++
					}
				}
				q := 0
				for j := range gold {
					if a[j] >= 0 {
						l += math.Log((float64(cnt[q][k]) + cfg.Gamma) / (float64(nzw[int(toks[a[j]])*K+k]) + Tg))
						q++
					}
				}
				lp[k] = l
			}
			z = int32(sampleLog(lp, uniform()))
			zOf[i] = z
			m.nk[z]++
			for j, w := range toks {
				if x[j] == 1 {
					m.nkw[int(z)*V+int(w)]++
					m.nkSum[z]++
				}
			}
			// Resample each word's switch given the topic.
			for j, w := range toks {
				m.addWord(z, w, x[j], -1)
				pt := (m.nx[1] + cfg.Delta) * (float64(m.nkw[int(z)*V+int(w)]) + cfg.Beta) / (m.nkSum[z] + Vb)
				pb := (m.nx[0] + cfg.Delta) * (float64(m.nbw[w]) + cfg.Beta) / (m.nbSum + Vb)
				x[j] = 0
				if uniform()*(pt+pb) < pt {
					x[j] = 1
				}
				m.addWord(z, w, x[j], 1)
			}
			// Resample each hashtag's alignment given the topic.
			for j, t := range gold {
				if a[j] < 0 {
					continue
				}
				probs = probs[:0]
				sum := 0.0
				for _, w := range toks {
					var n int32
					if c, ok := nzwt[int64(w)*int64(T)+int64(t)]; ok {
						n = c[z]
					}
					pr := (float64(n) + cfg.Gamma) / (float64(nzw[int(w)*K+int(z)]) + Tg)
					sum += pr
					probs = append(probs, sum)
				}
				u := uniform() * sum
				a[j] = int32(len(toks) - 1)
				for q, c := range probs {
					if u < c {
						a[j] = int32(q)
						break
					}
				}
				wt(toks[a[j]], t)[z]++
				nzw[int(toks[a[j]])*K+int(z)]++
			}
		}
		if log != nil && (it+1)%10 == 0 {
			fmt.Fprintf(log, "ttm: sweep %d/%d, %.0fs\n", it+1, cfg.Iters, time.Since(start).Seconds())
		}
	}
	m.buildTranslation(nzwt, nzw, K, T, Tg)
	m.setIDF(d, ex)
	return m, nil
}

// addWord adds delta to the counts of word w with switch x under topic z.
func (m *TTM) addWord(z, w int32, x uint8, delta int32) {
	if x == 1 {
		m.nkw[int(z)*m.nw+int(w)] += delta
		m.nkSum[z] += float64(delta)
	} else {
		m.nbw[w] += delta
		m.nbSum += float64(delta)
	}
	m.nx[x] += float64(delta)
}

// sampleLog draws an index with probability ∝ exp(lp[i]); u is uniform in [0,1).
func sampleLog(lp []float64, u float64) int {
	mx := slices.Max(lp)
	var sum float64
	for i, l := range lp {
		lp[i] = math.Exp(l - mx)
		sum += lp[i]
	}
	u *= sum
	for i, p := range lp {
		if u < p {
			return i
		}
		u -= p
	}
	return len(lp) - 1
}

// buildTranslation turns the counts into sparse P(t|w,z) rows (without γ).
func (m *TTM) buildTranslation(nzwt map[int64][]int32, nzw []int32, K, T int, Tg float64) {
	type entry struct {
		pair int64 // z*V + w
		t    int32
		n    int32
	}
	var es []entry
	for k, c := range nzwt {
		w, t := k/int64(T), int32(k%int64(T))
		for z, n := range c {
			if n > 0 {
				es = append(es, entry{int64(z)*int64(m.nw) + w, t, n})
			}
		}
	}
	slices.SortFunc(es, func(a, b entry) int {
		if a.pair != b.pair {
			return cmp.Compare(a.pair, b.pair)
		}
		return cmp.Compare(a.t, b.t)
	})
	m.trans = make(map[int64][2]int32)
	for i := 0; i < len(es); {
		pair := es[i].pair
		z, w := pair/int64(m.nw), pair%int64(m.nw)
		den := float64(nzw[int(w)*K+int(z)]) + Tg
		lo := int32(len(m.tTag))
		for ; i < len(es) && es[i].pair == pair; i++ {
			m.tTag = append(m.tTag, es[i].t)
			m.tCount = append(m.tCount, float32(float64(es[i].n)/den))
		}
		m.trans[pair] = [2]int32{lo, int32(len(m.tTag))}
	}
}

// TopicOf writes P(z|words) for the words of a post into dst (length K);
// words absent from every train example are ignored.
func (m *TTM) TopicOf(words []int32, dst []float64) {
	K, V := m.cfg.Topics, m.nw
	Vb := float64(V) * m.cfg.Beta
	pi := (m.nx[1] + m.cfg.Delta) / (m.nx[0] + m.nx[1] + 2*m.cfg.Delta)
	for k := 0; k < K; k++ {
		l := math.Log(m.nk[k] + m.cfg.Alpha)
		for _, w := range words {
			if m.idf[w] == 0 {
				continue
			}
			pt := (float64(m.nkw[k*V+int(w)]) + m.cfg.Beta) / (m.nkSum[k] + Vb)
			pb := (float64(m.nbw[w]) + m.cfg.Beta) / (m.nbSum + Vb)
			l += math.Log(pi*pt + (1-pi)*pb)
		}
		dst[k] = l
	}
	mx := slices.Max(dst[:K])
	var s float64
	for k := 0; k < K; k++ {
		dst[k] = math.Exp(dst[k] - mx)
		s += dst[k]
	}
	for k := 0; k < K; k++ {
		dst[k] /= s
	}
}

// Rank implements eval.Ranker.
func (m *TTM) Rank(d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	sp := m.pool.get()
	scores, pz := (*sp)[:m.nc], (*sp)[m.nc:]
	clear(scores)
	toks := d.Tokens(p)
	m.TopicOf(toks, pz)
	var idfSum float64
	for _, w := range toks {
		idfSum += float64(m.idf[w])
	}
	if idfSum > 0 {
		for z, q := range pz {
			if q < 1e-4 {
				continue
			}
			for _, w := range toks {
				r, ok := m.trans[int64(z)*int64(m.nw)+int64(w)]
				if !ok {
					continue
				}
				f := q * float64(m.idf[w]) / idfSum
				for i := r[0]; i < r[1]; i++ {
					scores[m.tTag[i]] += f * float64(m.tCount[i])
				}
			}
		}
	}
	dst = num.TopK(scores, k, dst)
	m.pool.put(sp)
	return dst
}

// Translation returns P(t|w,z) without its smoothing term, for tests and
// inspection.
func (m *TTM) Translation(z int, w int32, t int32) float64 {
	r, ok := m.trans[int64(z)*int64(m.nw)+int64(w)]
	if !ok {
		return 0
	}
	for i := r[0]; i < r[1]; i++ {
		if m.tTag[i] == t {
			return float64(m.tCount[i])
		}
	}
	return 0
}

// setIDF computes log(N/df) of every word over the posts ex (N = len(ex)),
// at least 1e-3 for a seen word so that seen and unseen words differ.
func (m *TTM) setIDF(d *dataset.Dataset, ex []int32) {
	df := make([]int32, m.nw)
	last := make([]int32, m.nw)
	for i := range last {
		last[i] = -1
	}
	for i, p := range ex {
		for _, w := range d.Tokens(p) {
			if last[w] != int32(i) {
				last[w] = int32(i)
				df[w]++
			}
		}
	}
	m.idf = make([]float32, m.nw)
	for w, n := range df {
		if n > 0 {
			m.idf[w] = float32(max(math.Log(float64(len(ex))/float64(n)), 1e-3))
		}
	}
}
