package trainer

import (
	"math"
	"sync"

	"github.com/hashtag-rec/hashtag/internal/num"
	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/sparse"
)

// Example is one training or evaluation example: the model input and the
// gold candidate indices.
type Example struct {
	model.Input
	Gold []int32
	// Open is, for HMemN2NCopy, the training target: every hashtag of the
	// post the model can give, as an index into the union of the
	// candidates and the memory hashtags: a candidate index c < K, or K+j
	// for Input.Tags[j] when that is not a candidate.
	Open []int32
	// Hidden are candidates whose scores the softmax leaves out (training
	// with Options.HideTags only: hideTags).
	Hidden []int32
}

// engine runs the forward and backward passes of a batch. It is generic
// over the float type so that the very code that trains in float32 is
// checked against finite differences in float64.
//
// Layout: the batch has n examples; each non-empty memory post of an
// example (at most Memory of them, truncated to MaxMemoryWords words) is one
// "row" r; rows of example e are rowOff[e]..rowOff[e+1]. Per-row, per-hop
// matrices are R×d; per-example ones n×d.
type engine[F model.Float] struct {
	p       *model.Params[F]
	workers int
	mm      mm[F]

	// Dropout: rate and the per-example keys that seed the masks.
	dropout float64
	keys    []uint64

	n      int
	ex     []Example
	rowOff []int32
	rows   [][]int32 // words of each row
	rowPos []int32   // memory post (0: most recent) of each row
	wOff   []int32   // offset of each row's words in wordP
	R, W   int

	O     []F   // (H+1)×n×d: o_0 .. o_H
	S     [][]F // per hop R×d: s_i (hierarchical)
	M     [][]F // per hop R×d: m_i = tanh(...) (hierarchical)
	Q     []F   // n×d scratch: Wo o_h
	wordP [][]F // per hop W: word attention
	sentP [][]F // per hop R: sentence attention
	key   []F   // R×d: MemN2N keys Σ B w
	val   []F   // R×d: MemN2N values Σ C w
	mask  []F   // n×2d: dropout multipliers
	X     []F   // n×2d: dropped-out [o0 ‖ oH]
	Hd    []F   // n×d
	P     []F   // n×K: scores, then probabilities, then dLoss/dscores
	loss  []float64

	// backward scratch
	dHd, dX, dO, dQ []F
	dS, dZ, da      []F
	dKey, dVal      []F
	wtmp            [][]F // per-worker d-vector scratch
	wtmp2           [][]F

	g  *grads[F]
	cp copyState[F] // HMemN2NCopy's copy path
}

// grads holds the gradients of one batch: dense matrices in full, the
// embeddings as per-worker sparse row sets.
type grads[F model.Float] struct {
	Wo, Ws, Wms, Wf, Bf, Theta   []F
	CopyPos, CopyW, GateW, GateV []F
	A, B, C                      []*sparse.Rows[F] // per worker
}

func newEngine[F model.Float](p *model.Params[F], workers int) *engine[F] {
	if workers < 1 {
		workers = 1
	}
	e := &engine[F]{p: p, workers: workers, mm: mm[F]{workers: workers}}
	d := p.Dim
	g := &grads[F]{Wf: make([]F, len(p.Wf)), Bf: make([]F, len(p.Bf)), Theta: make([]F, len(p.Theta))}
	if p.Variant.Hierarchical() {
		g.Wo, g.Ws, g.Wms = make([]F, len(p.Wo)), make([]F, len(p.Ws)), make([]F, len(p.Wms))
	}
	if p.Variant.Copies() {
		g.CopyPos, g.CopyW = make([]F, len(p.CopyPos)), make([]F, len(p.CopyW))
		g.GateW, g.GateV = make([]F, len(p.GateW)), make([]F, len(p.GateV))
	}
	for w := 0; w < workers; w++ {
		g.A = append(g.A, sparse.New[F](p.V, d))
		g.B = append(g.B, sparse.New[F](p.V, d))
		g.C = append(g.C, sparse.New[F](p.V, d))
		e.wtmp = append(e.wtmp, make([]F, d))
		e.wtmp2 = append(e.wtmp2, make([]F, 2*d))
	}
	e.g = g
	return e
}

// parallel runs fn over the examples in static contiguous chunks, one per
// worker: worker w gets examples [w*n/W, (w+1)*n/W).
func (e *engine[F]) parallel(fn func(w, lo, hi int)) {
	if e.workers == 1 || e.n < 2 {
		fn(0, 0, e.n)
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < e.workers; w++ {
		lo, hi := w*e.n/e.workers, (w+1)*e.n/e.workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(w, lo, hi)
		}()
	}
	wg.Wait()
}

// setBatch lays out the batch ex. keys[i] seeds example i's dropout mask
// (nil: no dropout).
func (e *engine[F]) setBatch(ex []Example, keys []uint64) {
	p := e.p
	d, H := p.Dim, p.Hops
	e.ex, e.n, e.keys = ex, len(ex), keys
	maxw := p.MaxMemoryWords()
	e.rowOff = growI(e.rowOff, e.n+1)
	e.rows = e.rows[:0]
	e.rowPos = e.rowPos[:0]
	e.wOff = e.wOff[:0]
	W := 0
	for i, x := range ex {
		e.rowOff[i] = int32(len(e.rows))
		mem := x.Memory
		if len(mem) > p.Memory {
			mem = mem[:p.Memory]
		}
		for pos, ws := range mem {
			if len(ws) == 0 {
				continue
			}
			if len(ws) > maxw {
				ws = ws[:maxw]
			}
			e.rows = append(e.rows, ws)
			e.rowPos = append(e.rowPos, int32(pos))
			e.wOff = append(e.wOff, int32(W))
			W += len(ws)
		}
	}
	e.rowOff[e.n] = int32(len(e.rows))
	e.wOff = append(e.wOff, int32(W))
	e.R, e.W = len(e.rows), W
	R, n := e.R, e.n

	e.O = growF(e.O, (H+1)*n*d)
	e.Q = growF(e.Q, n*d)
	for len(e.S) < H {
		e.S, e.M = append(e.S, nil), append(e.M, nil)
		e.wordP, e.sentP = append(e.wordP, nil), append(e.sentP, nil)
	}
	for h := 0; h < H; h++ {
		if p.Variant.Hierarchical() {
			e.S[h], e.M[h] = growF(e.S[h], R*d), growF(e.M[h], R*d)
			e.wordP[h] = growF(e.wordP[h], W)
		}
		e.sentP[h] = growF(e.sentP[h], R)
	}
	if !p.Variant.Hierarchical() {
		e.key, e.val = growF(e.key, R*d), growF(e.val, R*d)
	}
	e.mask = growF(e.mask, n*2*d)
	e.X = growF(e.X, n*2*d)
	e.Hd = growF(e.Hd, n*d)
	e.P = growF(e.P, n*p.K)
	if cap(e.loss) < n {
		e.loss = make([]float64, n)
	}
	e.loss = e.loss[:n]
}

func (e *engine[F]) o(h, i int) []F {
	d := e.p.Dim
	off := (h*e.n + i) * d
	return e.O[off : off+d]
}

// forward runs the forward pass of the batch set by setBatch, leaving the
// candidate scores (logits) in P.
func (e *engine[F]) forward() {
	p := e.p
	d, H := p.Dim, p.Hops
	hier := p.Variant.Hierarchical()
	e.parallel(func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			o := e.o(0, i)
			clear(o)
			for _, t := range e.ex[i].Words {
				axpyF(1, p.A[int(t)*d:int(t+1)*d], o)
			}
			if !hier {
				for r := e.rowOff[i]; r < e.rowOff[i+1]; r++ {
					k, v := e.key[int(r)*d:int(r+1)*d], e.val[int(r)*d:int(r+1)*d]
					clear(k)
					clear(v)
					for _, t := range e.rows[r] {
						axpyF(1, p.B[int(t)*d:int(t+1)*d], k)
						axpyF(1, p.C[int(t)*d:int(t+1)*d], v)
					}
				}
			}
		}
	})
	for h := 0; h < H; h++ {
		if hier {
			e.parallel(func(w, lo, hi int) { e.wordAttention(h, lo, hi) })
			e.mm.gemm(false, true, e.R, d, d, e.S[h], p.Ws, e.M[h], 0)
			e.mm.gemm(false, true, e.n, d, d, e.O[h*e.n*d:(h+1)*e.n*d], p.Wo, e.Q, 0)
		}
		e.parallel(func(w, lo, hi int) { e.sentenceAttention(h, lo, hi) })
	}
	// Output layer.
	e.parallel(func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			x, m := e.X[i*2*d:(i+1)*2*d], e.mask[i*2*d:(i+1)*2*d]
			copy(x[:d], e.o(0, i))
			copy(x[d:], e.o(H, i))
			if e.keys == nil || e.dropout == 0 {
				for j := range m {
					m[j] = 1
				}
				continue
			}
			fillMask(m, e.dropout, e.keys[i])
			for j := range x {
				x[j] *= m[j]
			}
		}
	})
	e.mm.gemm(false, true, e.n, d, 2*d, e.X, p.Wf, e.Hd, 0)
	for i := 0; i < e.n; i++ {
		axpyF(1, p.Bf, e.Hd[i*d:(i+1)*d])
	}
	e.mm.gemm(false, true, e.n, p.K, d, e.Hd, p.Theta, e.P, 0)
	for i, x := range e.ex {
		for _, c := range x.Hidden {
			e.P[i*p.K+int(c)] = hiddenScore
		}
	}
	if p.Variant.Copies() {
		e.copyForward()
	}
}

// wordAttention computes, for hop h, the word-level attention and s_i of
// the rows of examples lo..hi.
func (e *engine[F]) wordAttention(h, lo, hi int) {
	p := e.p
	d := p.Dim
	for i := lo; i < hi; i++ {
		o := e.o(h, i)
		for r := e.rowOff[i]; r < e.rowOff[i+1]; r++ {
			ws := e.rows[r]
			pr := e.wordP[h][e.wOff[r]:e.wOff[r+1]]
			for j, t := range ws {
				pr[j] = dotF(o, p.B[int(t)*d:int(t+1)*d])
			}
			softmaxF(pr)
			s := e.S[h][int(r)*d : int(r+1)*d]
			clear(s)
			for j, t := range ws {
				axpyF(pr[j], p.C[int(t)*d:int(t+1)*d], s)
			}
		}
	}
}

// sentenceAttention computes, for hop h, the sentence-level attention and
// o_{h+1} of examples lo..hi (M[h] holds Ws s_i, Q holds Wo o_h).
func (e *engine[F]) sentenceAttention(h, lo, hi int) {
	p := e.p
	d := p.Dim
	hier := p.Variant.Hierarchical()
	for i := lo; i < hi; i++ {
		r0, r1 := e.rowOff[i], e.rowOff[i+1]
		o, next := e.o(h, i), e.o(h+1, i)
		copy(next, o)
		if r0 == r1 {
			continue
		}
		sp := e.sentP[h][r0:r1]
		for r := r0; r < r1; r++ {
			if hier {
				m := e.M[h][int(r)*d : int(r+1)*d]
				q := e.Q[i*d : (i+1)*d]
				if m32, ok := any(m).([]float32); ok {
					axpy32(1, any(q).([]float32), m32)
					tanh32(m32)
				} else {
					for k := range m {
						m[k] = F(math.Tanh(float64(m[k] + q[k])))
					}
				}
				sp[r-r0] = dotF(p.Wms, m)
			} else {
				sp[r-r0] = dotF(o, e.key[int(r)*d:int(r+1)*d])
			}
		}
		softmaxF(sp)
		for r := r0; r < r1; r++ {
			if hier {
				axpyF(sp[r-r0], e.S[h][int(r)*d:int(r+1)*d], next)
			} else {
				axpyF(sp[r-r0], e.val[int(r)*d:int(r+1)*d], next)
			}
		}
	}
}

// lossAndGrad turns the scores in P into probabilities and then into
// dLoss/dscores, and returns the mean loss over the batch. The loss of an
// example is the cross-entropy against the uniform distribution on its gold
// set: -(1/|G|) Σ_{g∈G} log softmax(scores)_g.
func (e *engine[F]) lossAndGrad(grad bool) float64 {
	if e.p.Variant.Copies() {
		return e.copyLossAndGrad(grad)
	}
	K := e.p.K
	scale := F(1) / F(e.n)
	e.parallel(func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			row := e.P[i*K : (i+1)*K]
			softmaxF(row)
			gold := e.ex[i].Gold
			var l float64
			for _, g := range gold {
				l -= math.Log(math.Max(float64(row[g]), 1e-300))
			}
			if len(gold) > 0 {
				l /= float64(len(gold))
			}
			e.loss[i] = l
			if !grad {
				continue
			}
			for k := range row {
				row[k] *= scale
			}
			if len(gold) > 0 {
				y := scale / F(len(gold))
				for _, g := range gold {
					row[g] -= y
				}
			}
		}
	})
	var sum float64
	for _, l := range e.loss {
		sum += l
	}
	return sum / float64(e.n)
}

// backward computes the gradients of the mean loss into e.g, after forward
// and lossAndGrad(true).
func (e *engine[F]) backward() {
	p, g := e.p, e.g
	d, H, n, R := p.Dim, p.Hops, e.n, e.R
	hier := p.Variant.Hierarchical()
	for w := range g.A {
		g.A[w].Reset()
		g.B[w].Reset()
		g.C[w].Reset()
	}
	// Output layer.
	e.dHd = growF(e.dHd, n*d)
	e.dX = growF(e.dX, n*2*d)
	e.mm.gemm(true, false, p.K, d, n, e.P, e.Hd, g.Theta, 0)
	e.mm.gemm(false, false, n, d, p.K, e.P, p.Theta, e.dHd, 0)
	clear(g.Bf)
	for i := 0; i < n; i++ {
		axpyF(1, e.dHd[i*d:(i+1)*d], g.Bf)
	}
	e.mm.gemm(true, false, d, 2*d, n, e.dHd, e.X, g.Wf, 0)
	e.mm.gemm(false, false, n, 2*d, d, e.dHd, p.Wf, e.dX, 0)
	if p.Variant.Copies() {
		e.copyGrads()
		for i := 0; i < n; i++ {
			if dg := e.cp.dGamma[i]; dg != 0 {
				axpyF(dg, p.GateW, e.dX[i*2*d:(i+1)*2*d])
			}
		}
	}
	e.dO = growF(e.dO, n*d)
	for i := 0; i < n; i++ {
		dx, m := e.dX[i*2*d:(i+1)*2*d], e.mask[i*2*d:(i+1)*2*d]
		for j := range dx {
			dx[j] *= m[j]
		}
		copy(e.dO[i*d:(i+1)*d], dx[d:])
	}
	// Hops, last first. e.dO holds dL/do_{h+1} and becomes dL/do_h.
	if hier {
		clear(g.Wo)
		clear(g.Ws)
		clear(g.Wms)
		e.dS, e.dZ = growF(e.dS, R*d), growF(e.dZ, R*d)
		e.da = growF(e.da, R)
		e.dQ = growF(e.dQ, n*d)
	} else {
		e.dKey, e.dVal = growF(e.dKey, R*d), growF(e.dVal, R*d)
		clear(e.dKey)
		clear(e.dVal)
	}
	for h := H - 1; h >= 0; h-- {
		if !hier {
			e.parallel(func(w, lo, hi int) { e.memn2nHopBack(w, h, lo, hi) })
			continue
		}
		e.parallel(func(w, lo, hi int) { e.sentenceBack(w, h, lo, hi) })
		for r := 0; r < R; r++ {
			axpyF(e.da[r], e.M[h][r*d:(r+1)*d], g.Wms)
		}
		e.mm.gemm(true, false, d, d, R, e.dZ, e.S[h], g.Ws, 1)
		e.mm.gemm(false, false, R, d, d, e.dZ, p.Ws, e.dS, 1)
		oh := e.O[h*n*d : (h+1)*n*d]
		e.mm.gemm(true, false, d, d, n, e.dQ, oh, g.Wo, 1)
		e.mm.gemm(false, false, n, d, d, e.dQ, p.Wo, e.dO, 1)
		e.parallel(func(w, lo, hi int) { e.wordBack(w, h, lo, hi) })
	}
	e.parallel(func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			if !hier {
				for r := e.rowOff[i]; r < e.rowOff[i+1]; r++ {
					dk, dv := e.dKey[int(r)*d:int(r+1)*d], e.dVal[int(r)*d:int(r+1)*d]
					for _, t := range e.rows[r] {
						axpyF(1, dk, g.B[w].Row(t))
						axpyF(1, dv, g.C[w].Row(t))
					}
				}
			}
			do := e.dO[i*d : (i+1)*d]
			axpyF(1, e.dX[i*2*d:i*2*d+d], do)
			for _, t := range e.ex[i].Words {
				axpyF(1, do, g.A[w].Row(t))
			}
		}
	})
}

// sentenceBack: for hop h, from du = dL/do_{h+1} (in dO) computes dS = p_i
// du, the sentence softmax and tanh backward into dZ, da (for Wms), and dQ
// = Σ_i dZ_i.
func (e *engine[F]) sentenceBack(w, h, lo, hi int) {
	p := e.p
	d := p.Dim
	for i := lo; i < hi; i++ {
		r0, r1 := e.rowOff[i], e.rowOff[i+1]
		dq := e.dQ[i*d : (i+1)*d]
		clear(dq)
		if r0 == r1 {
			continue
		}
		du := e.dO[i*d : (i+1)*d]
		sp := e.sentP[h][r0:r1]
		da := e.da[r0:r1]
		var dot F
		copies := p.Variant.Copies() && h == p.Hops-1
		for r := r0; r < r1; r++ {
			s := e.S[h][int(r)*d : int(r+1)*d]
			dp := dotF(du, s)
			if copies {
				dp += e.cp.dAlpha[r] // the copy path reads the last hop's attention
			}
			da[r-r0] = dp
			dot += sp[r-r0] * dp
			ds := e.dS[int(r)*d : int(r+1)*d]
			for k := range ds {
				ds[k] = sp[r-r0] * du[k]
			}
		}
		for r := r0; r < r1; r++ {
			a := sp[r-r0] * (da[r-r0] - dot)
			da[r-r0] = a
			m := e.M[h][int(r)*d : int(r+1)*d]
			dz := e.dZ[int(r)*d : int(r+1)*d]
			for k := range dz {
				dz[k] = a * p.Wms[k] * (1 - m[k]*m[k])
			}
			axpyF(1, dz, dq)
		}
	}
}

// wordBack: for hop h, from dS back through s_i = Σ p_ij C w_ij and the word
// softmax into dC, dB and dO (dL/do_h).
func (e *engine[F]) wordBack(w, h, lo, hi int) {
	p, g := e.p, e.g
	d := p.Dim
	copies := p.Variant.Copies() && h == p.Hops-1
	for i := lo; i < hi; i++ {
		o := e.o(h, i)
		do := e.dO[i*d : (i+1)*d]
		for r := e.rowOff[i]; r < e.rowOff[i+1]; r++ {
			ws := e.rows[r]
			pr := e.wordP[h][e.wOff[r]:e.wOff[r+1]]
			ds := e.dS[int(r)*d : int(r+1)*d]
			dp := e.scratch(w, len(ws))
			var dot F
			for j, t := range ws {
				dp[j] = dotF(ds, p.C[int(t)*d:int(t+1)*d])
				if copies {
					dp[j] += e.cp.dWordP[int(e.wOff[r])+j] // the copy path reads the last hop's word attention
				}
				dot += pr[j] * dp[j]
				axpyF(pr[j], ds, g.C[w].Row(t))
			}
			for j, t := range ws {
				de := pr[j] * (dp[j] - dot)
				axpyF(de, p.B[int(t)*d:int(t+1)*d], do)
				axpyF(de, o, g.B[w].Row(t))
			}
		}
	}
}

// memn2nHopBack: MemN2N hop h backward, from du = dL/do_{h+1} in dO (which
// becomes dL/do_h) into dKey, dVal.
func (e *engine[F]) memn2nHopBack(w, h, lo, hi int) {
	d := e.p.Dim
	for i := lo; i < hi; i++ {
		r0, r1 := e.rowOff[i], e.rowOff[i+1]
		if r0 == r1 {
			continue
		}
		do := e.dO[i*d : (i+1)*d]
		du := e.wtmp[w]
		copy(du, do)
		o := e.o(h, i)
		sp := e.sentP[h][r0:r1]
		dp := e.scratch(w, int(r1-r0))
		var dot F
		for r := r0; r < r1; r++ {
			dp[r-r0] = dotF(du, e.val[int(r)*d:int(r+1)*d])
			dot += sp[r-r0] * dp[r-r0]
			axpyF(sp[r-r0], du, e.dVal[int(r)*d:int(r+1)*d])
		}
		for r := r0; r < r1; r++ {
			a := sp[r-r0] * (dp[r-r0] - dot)
			axpyF(a, e.key[int(r)*d:int(r+1)*d], do)
			axpyF(a, o, e.dKey[int(r)*d:int(r+1)*d])
		}
	}
}

// scratch returns worker w's scratch vector of length n.
func (e *engine[F]) scratch(w, n int) []F {
	if cap(e.wtmp2[w]) < n {
		e.wtmp2[w] = make([]F, n)
	}
	return e.wtmp2[w][:n]
}

// mergeSparse sums the per-worker embedding gradients into worker 0's, in
// worker order (B on one goroutine, C then A on another).
func (e *engine[F]) mergeSparse() {
	g := e.g
	if len(g.A) == 1 {
		return
	}
	merge := func(s []*sparse.Rows[F]) {
		for w := 1; w < len(s); w++ {
			s[0].Merge(s[w], axpyF[F])
		}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		merge(g.B)
	}()
	merge(g.C)
	merge(g.A)
	wg.Wait()
}

// softmaxF replaces x by softmax(x) (num.Softmax), with the fast
// exponential kernel for float32.
func softmaxF[F model.Float](x []F) {
	if x32, ok := any(x).([]float32); ok {
		num.SoftmaxFunc(x32, expSub32)
		return
	}
	num.Softmax(x)
}

// fillMask fills m with inverted-dropout multipliers: 0 with probability
// rate, else 1/(1-rate), from a generator seeded by key alone.
func fillMask[F model.Float](m []F, rate float64, key uint64) {
	keep := F(1 / (1 - rate))
	s := num.SplitMix64(key)
	for j := range m {
		if s.Float64() < rate {
			m[j] = 0
		} else {
			m[j] = keep
		}
	}
}
