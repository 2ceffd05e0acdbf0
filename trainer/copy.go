package trainer

import (
	"math"

	"github.com/hashtag-rec/hashtag/internal/num"
	"github.com/hashtag-rec/hashtag/model"
)

// copyState holds the forward and backward buffers of HMemN2NCopy's copy
// path for one batch (model/copy.go has the equations).
type copyState[F model.Float] struct {
	gate   []F     // n: g_i
	tagOff []int32 // n+1: example i's copy distribution is pc[tagOff[i]:tagOff[i+1]]
	pc     []F     // copy distributions
	phi    []F     // n×GateFeatures: the gate's features
	psArg  []int32 // n: the most probable candidate (feature φ4)
	pcArg  []int32 // n: the most probable memory hashtag (feature φ5)
	alpha  []F     // n×Memory: last-hop sentence attention by memory post
	tatt   []F     // per tag ×Memory: last-hop word attention on the tag's "#t" by memory post
	dWordP []F     // W: dL/d(word attention) of the last hop
	dGamma []F     // n: dL/dγ_i
	dAlpha []F     // R: dL/dα of each memory row (last hop)
	// per-example gradients of CopyPos (Memory), CopyW (CopyWeights) and GateV
	// (GateFeatures+1), summed in example order after the parallel part.
	exGrad []F
	dsig   [][]F // per worker: dL/dσ over one example's tags
}

// copyGradLen is the length of one example's row of copyState.exGrad.
func copyGradLen(memory int) int { return memory + model.CopyWeights + model.GateFeatures + 1 }

// tagWordPos returns the position of word w in row r, or -1.
func (e *engine[F]) tagWordPos(r int32, w int32) int {
	if w < 0 {
		return -1
	}
	for k, x := range e.rows[r] {
		if x == w {
			return k
		}
	}
	return -1
}

// copyForward computes the copy path of the batch after forward: the last
// hop's sentence attention by memory post, the copy distributions, the
// memory features and the gates.
func (e *engine[F]) copyForward() {
	p := e.p
	M, H, d := p.Memory, p.Hops, p.Dim
	c := &e.cp
	n := e.n
	c.gate = growF(c.gate, n)
	c.tagOff = growI(c.tagOff, n+1)
	T := 0
	for i, x := range e.ex {
		c.tagOff[i] = int32(T)
		T += len(x.Tags)
	}
	c.tagOff[n] = int32(T)
	c.pc = growF(c.pc, T)
	c.tatt = growF(c.tatt, T*M)
	c.phi = growF(c.phi, n*model.GateFeatures)
	c.psArg = growI(c.psArg, n)
	c.pcArg = growI(c.pcArg, n)
	c.alpha = growF(c.alpha, n*M)
	e.parallel(func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			alpha := c.alpha[i*M : (i+1)*M]
			clear(alpha)
			var a []F
			if H > 0 {
				for r := e.rowOff[i]; r < e.rowOff[i+1]; r++ {
					alpha[e.rowPos[r]] = e.sentP[H-1][r]
				}
				a = alpha
			}
			tags := e.ex[i].Tags
			phi := c.phi[i*model.GateFeatures : (i+1)*model.GateFeatures]
			if len(tags) == 0 {
				clear(phi)
				c.gate[i] = 1
				continue
			}
			pc := c.pc[c.tagOff[i]:c.tagOff[i+1]]
			for j, t := range tags {
				var ta []F
				if H > 0 {
					ta = c.tatt[(int(c.tagOff[i])+j)*M : (int(c.tagOff[i])+j+1)*M]
					clear(ta)
					for r := e.rowOff[i]; r < e.rowOff[i+1]; r++ {
						if t.Posts&(1<<uint(e.rowPos[r])) == 0 {
							continue
						}
						if k := e.tagWordPos(r, t.Word); k >= 0 {
							ta[e.rowPos[r]] = e.wordP[H-1][int(e.wOff[r])+k]
						}
					}
				}
				pc[j] = model.CopyLogit(p, t, a, ta)
			}
			softmaxF(pc)
			model.CopyFeatures(tags, M, phi)
			var a3, a4 int
			phi[3], a3 = model.MaxProb(e.P[i*p.K : (i+1)*p.K])
			phi[4], a4 = model.ArgMax(pc)
			c.psArg[i], c.pcArg[i] = int32(a3), int32(a4)
			c.gate[i] = model.Sigmoid(model.GateLogit(p, e.X[i*2*d:(i+1)*2*d], phi))
		}
	})
}

// copyProb returns the mixture's probability of union index u for example
// i, given its softmax probabilities ps over the candidates: a candidate
// c < K has g·ps(c) + (1−g)·pc(t) for its memory hashtag t (if any); K+j
// has (1−g)·pc(j).
func (e *engine[F]) copyProb(i int, ps []F, u int32) F {
	c := &e.cp
	K := int32(e.p.K)
	g := c.gate[i]
	pc := c.pc[c.tagOff[i]:c.tagOff[i+1]]
	if u >= K {
		return (1 - g) * pc[u-K]
	}
	v := g * ps[u]
	for j, t := range e.ex[i].Tags {
		if t.Cand == u {
			v += (1 - g) * pc[j]
		}
	}
	return v
}

// unionIndex is the index of memory hashtag j of tags in the union of the
// candidates (K of them) and the memory hashtags.
func unionIndex(tags []model.CopyTag, j, k int) int32 {
	if tags[j].Cand >= 0 {
		return tags[j].Cand
	}
	return int32(k + j)
}

// copyLossAndGrad is lossAndGrad for HMemN2NCopy: the loss of an example is
// -(1/|G|) Σ_{u∈G} log p(u) over its Open targets G, p the mixture
// g·softmax + (1−g)·copy. With grad it leaves dL/dscores in P, dL/dγ in
// dGamma, dL/dα (last hop) in dAlpha and the small tensors' per-example
// gradients in exGrad.
func (e *engine[F]) copyLossAndGrad(grad bool) float64 {
	p := e.p
	K, M := p.K, p.Memory
	c := &e.cp
	n := e.n
	scale := F(1) / F(n)
	GL := copyGradLen(M)
	if grad {
		c.dGamma = growF(c.dGamma, n)
		c.dAlpha = growF(c.dAlpha, e.R)
		c.dWordP = growF(c.dWordP, e.W)
		c.exGrad = growF(c.exGrad, n*GL)
		for len(c.dsig) < e.workers {
			c.dsig = append(c.dsig, nil)
		}
	}
	e.parallel(func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			row := e.P[i*K : (i+1)*K]
			softmaxF(row)
			tags := e.ex[i].Tags
			gold := e.ex[i].Open
			var l float64
			for _, u := range gold {
				l -= math.Log(math.Max(float64(e.copyProb(i, row, u)), 1e-300))
			}
			if len(gold) > 0 {
				l /= float64(len(gold))
			}
			e.loss[i] = l
			if !grad {
				continue
			}
			g := c.gate[i]
			pc := c.pc[c.tagOff[i]:c.tagOff[i+1]]
			eg := c.exGrad[i*GL : (i+1)*GL]
			clear(eg)
			c.dGamma[i] = 0
			for r := e.rowOff[i]; r < e.rowOff[i+1]; r++ {
				c.dAlpha[r] = 0
				clear(c.dWordP[e.wOff[r]:e.wOff[r+1]])
			}
			if len(gold) == 0 {
				clear(row)
				continue
			}
			// dp(u) = dL/dp(u) = -scale/(|G| p(u)) for u in G.
			dpOf := func(u int32) F {
				return -scale / (F(len(gold)) * F(math.Max(float64(e.copyProb(i, row, u)), 1e-300)))
			}
			// Gate and softmax: dg = Σ_u dp(u)(ps(u) − pc(u)); dps(c) = g dp(c).
			var dg, sdot F
			for _, u := range gold {
				dp := dpOf(u)
				if u < int32(K) {
					dg += dp * row[u]
					sdot += row[u] * g * dp
				}
				for j, t := range tags {
					if unionIndex(tags, j, K) == u {
						dg -= dp * pc[j]
						_ = t
					}
				}
			}
			var dgamma F
			if len(tags) > 0 {
				dgamma = dg * g * (1 - g)
			}
			// Copy distribution: dpc(j) = (1−g) dp(u_j); dσ = pc ⊙ (dpc − pc·dpc),
			// plus the gate's feature φ5 = max pc: dγ·v5·pc_a (δ_aj − pc_j).
			if len(tags) > 0 {
				ds := c.dsig[w]
				if cap(ds) < len(tags) {
					ds = make([]F, len(tags))
				}
				ds = ds[:len(tags)]
				c.dsig[w] = ds
				var cdot F
				for j := range tags {
					ds[j] = 0
					u := unionIndex(tags, j, K)
					for _, v := range gold {
						if v == u {
							ds[j] = (1 - g) * dpOf(u)
							break
						}
					}
					cdot += pc[j] * ds[j]
				}
				alpha := c.alpha[i*M : (i+1)*M]
				lambda, nu := p.CopyW[0], p.CopyW[2]
				a := int(c.pcArg[i])
				gv5 := dgamma * p.GateV[4] * pc[a]
				for j, t := range tags {
					dsj := pc[j]*(ds[j]-cdot) - gv5*pc[j]
					if j == a {
						dsj += gv5
					}
					for pos := 0; pos < M; pos++ {
						if t.Posts&(1<<uint(pos)) == 0 {
							continue
						}
						eg[pos] += dsj
						if p.Hops > 0 {
							ta := c.tatt[(int(c.tagOff[i])+j)*M : (int(c.tagOff[i])+j+1)*M]
							eg[M] += dsj * alpha[pos]
							eg[M+2] += dsj * ta[pos]
						}
					}
					if t.Cand >= 0 {
						eg[M+1] += dsj
					}
					if p.Hops > 0 {
						for r := e.rowOff[i]; r < e.rowOff[i+1]; r++ {
							if t.Posts&(1<<uint(e.rowPos[r])) != 0 {
								c.dAlpha[r] += lambda * dsj
								if k := e.tagWordPos(r, t.Word); k >= 0 {
									c.dWordP[int(e.wOff[r])+k] += nu * dsj
								}
							}
						}
					}
				}
				c.dGamma[i] = dgamma
				phi := c.phi[i*model.GateFeatures : (i+1)*model.GateFeatures]
				gv := eg[M+model.CopyWeights:]
				for f := 0; f < model.GateFeatures; f++ {
					gv[f] = dgamma * phi[f]
				}
				gv[model.GateFeatures] = dgamma
			}
			// Scores: dz = ps ⊙ (dps − ps·dps), dps(c) = g dp(c) on gold candidates.
			var gp [64]F
			gv := gp[:0]
			for _, u := range gold {
				if u < int32(K) {
					gv = append(gv, row[u]*g*dpOf(u))
				}
			}
			// The gate's feature φ4 = max ps adds dγ·v4·ps_m (δ_mk − ps_k).
			gv4 := dgamma * p.GateV[3] * row[c.psArg[i]]
			for k := range row {
				row[k] *= -sdot - gv4
			}
			if len(tags) > 0 {
				row[c.psArg[i]] += gv4
			}
			m := 0
			for _, u := range gold {
				if u < int32(K) {
					row[u] += gv[m]
					m++
				}
			}
		}
	})
	var sum float64
	for _, l := range e.loss {
		sum += l
	}
	return sum / float64(n)
}

// copyGrads sums the copy path's gradients of the batch, in example order,
// into e.g (after copyLossAndGrad(true)).
func (e *engine[F]) copyGrads() {
	p, g, c := e.p, e.g, &e.cp
	M, d := p.Memory, p.Dim
	GL := copyGradLen(M)
	clear(g.CopyPos)
	clear(g.CopyW)
	clear(g.GateW)
	clear(g.GateV)
	for i := 0; i < e.n; i++ {
		eg := c.exGrad[i*GL : (i+1)*GL]
		axpyF(1, eg[:M], g.CopyPos)
		axpyF(1, eg[M:M+model.CopyWeights], g.CopyW)
		axpyF(1, eg[M+model.CopyWeights:], g.GateV)
		if c.dGamma[i] != 0 {
			axpyF(c.dGamma[i], e.X[i*2*d:(i+1)*2*d], g.GateW)
		}
	}
}

// mixCandidates replaces the scores in P, after forward, by the mixture's
// probabilities of the candidates (model.MixCandidates), example by example.
func (e *engine[F]) mixCandidates() {
	K := e.p.K
	c := &e.cp
	e.parallel(func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			row := e.P[i*K : (i+1)*K]
			softmaxF(row)
			model.MixCandidates(row, c.gate[i], e.ex[i].Tags, c.pc[c.tagOff[i]:c.tagOff[i+1]])
		}
	})
}

// hiddenScore is the score of a hidden candidate: its softmax probability
// is exactly 0 (exp underflows) and so is its gradient.
const hiddenScore = -1e30

// hideTags hides, with probability q each (drawn from key), the memory
// hashtags of example ex that are candidates (k of them): each becomes, for
// this example, a hashtag the model does not know. Its candidate's score
// is left out of the softmax (ex.Hidden), the copy path sees it as no
// candidate (Cand −1), and a target on it moves to its copy index K+j.
// Every candidate of the memory may be hidden, gold or not, so that a
// hashtag the model does not know says nothing by itself about the gold.
//
// The softmax is trained on posts whose hashtags it mostly knows, while a
// person's own hashtags are mostly unknown to it: hiding lets the gate
// and the copy path learn what to do then (beyond the paper).
func hideTags(ex *Example, k int, q float64, key uint64) {
	for j := range ex.Tags {
		c := ex.Tags[j].Cand
		if c < 0 {
			continue
		}
		s := num.SplitMix64(key ^ num.Mix(0x9e3779b97f4a7c15+uint64(j)))
		if s.Float64() >= q {
			continue
		}
		ex.Tags[j].Cand = -1
		ex.Hidden = append(ex.Hidden, c)
		for g, u := range ex.Open {
			if u == c {
				ex.Open[g] = int32(k + j)
			}
		}
	}
}

// dropWords leaves out each word of example ex's post with probability q
// (drawn from key), writing the words kept to *buf, which ex.Words then
// aliases (ex.Words itself aliases the encoded data and is not modified).
// Word dropout regularises the text → hashtag mapping, whose overfitting
// ends the training of the copy variant on the time split after one epoch
// (beyond the paper).
func dropWords(ex *Example, buf *[]int32, q float64, key uint64) {
	s := num.SplitMix64(key ^ 0xd1b54a32d192ed03)
	out := (*buf)[:0]
	for _, w := range ex.Words {
		if s.Float64() >= q {
			out = append(out, w)
		}
	}
	*buf = out
	ex.Words = out
}
