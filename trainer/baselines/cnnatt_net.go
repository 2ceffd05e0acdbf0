package baselines

import (
	"math"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/hashtag-rec/hashtag/internal/num"
	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/sparse"
)

// This file holds the network of CNN-Attention (cnnatt.go), generic over
// the float type: training and ranking run in float32, the gradient check
// in float64. Everything here is unexported; see CNNAtt for the model.

// cnnShape is the size of a network.
type cnnShape struct {
	V  int // embedding rows (kept words)
	D  int // word vector size d
	H  int // local attention window h (odd)
	KL int // local channel features
	F  int // global channel filters
	W  int // global convolution width (odd)
	C  int // candidates
}

// K is the size of the concatenated features.
func (s cnnShape) K() int { return s.KL + s.F }

// cnnNet holds the parameters. dense is one slice for every tensor but the
// embeddings, in the order of the views below; the first small() entries
// are the channels' parameters (per-worker gradient buffers), the rest the
// output layer (its gradient comes from one matrix product per batch).
type cnnNet[F model.Float] struct {
	sh    cnnShape
	eta   F    // trigger threshold η
	soft  bool // weigh every word by s(i), no threshold
	E     []F  // V × D embeddings
	dense []F
	M     []F // H × D local attention filter
	bm    []F // 1: its bias
	Wl    []F // KL × D local layer over the folded vector
	bl    []F // KL
	G     []F // F × (W·D) global convolution filters
	bg    []F // F
	Wo    []F // C × K output layer
	bo    []F // C
}

func (s cnnShape) small() int { return s.H*s.D + 1 + s.KL*s.D + s.KL + s.F*s.W*s.D + s.F }

func (s cnnShape) denseLen() int { return s.small() + s.C*s.K() + s.C }

func newCNNNet[F model.Float](sh cnnShape) *cnnNet[F] {
	n := &cnnNet[F]{sh: sh, E: make([]F, sh.V*sh.D), dense: make([]F, sh.denseLen())}
	n.M, n.bm, n.Wl, n.bl, n.G, n.bg, n.Wo, n.bo = cut(sh, n.dense)
	return n
}

// cut returns the views of a dense slice.
func cut[F model.Float](sh cnnShape, d []F) (M, bm, Wl, bl, G, bg, Wo, bo []F) {
	take := func(k int) []F { v := d[:k:k]; d = d[k:]; return v }
	M = take(sh.H * sh.D)
	bm = take(1)
	Wl = take(sh.KL * sh.D)
	bl = take(sh.KL)
	G = take(sh.F * sh.W * sh.D)
	bg = take(sh.F)
	Wo = take(sh.C * sh.K())
	bo = take(sh.C)
	return
}

// cnnCache is the forward state of one example, kept for the backward pass,
// and the backward scratch. Its slices are sized for maxLen words.
type cnnCache[F model.Float] struct {
	ids  []int32 // embedding rows of the words
	a, s []F     // attention logits and scores per position
	sel  []bool  // trigger words
	u    []F     // D: folded vector Σ_sel s(i) x_i
	hl   []F     // KL: local features tanh(Wl u + bl)
	c    []F     // n × F: global feature maps tanh(conv)
	arg  []int32 // F: max-pooling position per filter
	v    []F     // K: concatenated features
	mask []F     // K: dropout multipliers (0 or 1/(1-p))
	dx   []F     // n × D: gradient of the word vectors
	du   []F     // D
	dpl  []F     // KL
	dv   []F     // K
}

func newCNNCache[F model.Float](sh cnnShape, maxLen int) *cnnCache[F] {
	return &cnnCache[F]{
		ids: make([]int32, 0, maxLen), a: make([]F, maxLen), s: make([]F, maxLen), sel: make([]bool, maxLen),
		u: make([]F, sh.D), hl: make([]F, sh.KL), c: make([]F, maxLen*sh.F), arg: make([]int32, sh.F),
		v: make([]F, sh.K()), mask: make([]F, sh.K()), dx: make([]F, maxLen*sh.D), du: make([]F, sh.D),
		dpl: make([]F, sh.KL), dv: make([]F, sh.K()),
	}
}

// row returns the vector of the word at position i, nil outside the post
// (zero padding).
func (n *cnnNet[F]) row(c *cnnCache[F], i int) []F {
	if i < 0 || i >= len(c.ids) {
		return nil
	}
	d := n.sh.D
	r := int(c.ids[i])
	return n.E[r*d : (r+1)*d : (r+1)*d]
}

func sigm[F model.Float](x F) F { return F(1 / (1 + math.Exp(-float64(x)))) }

func tanhF[F model.Float](x F) F { return F(math.Tanh(float64(x))) }

// forward computes c.v from c.ids (no dropout).
func (n *cnnNet[F]) forward(c *cnnCache[F]) {
	sh := n.sh
	D, nw := sh.D, len(c.ids)
	// Local attention channel.
	hr := sh.H / 2
	clear(c.u)
	for i := 0; i < nw; i++ {
		a := n.bm[0]
		for o := 0; o < sh.H; o++ {
			if x := n.row(c, i+o-hr); x != nil {
				a += num.Dot(n.M[o*D:(o+1)*D], x)
			}
		}
		s := sigm(a)
		c.a[i], c.s[i] = a, s
		c.sel[i] = n.soft || s > n.eta
		if c.sel[i] {
			num.Axpy(s, n.row(c, i), c.u)
		}
	}
	for k := 0; k < sh.KL; k++ {
		c.hl[k] = tanhF(num.Dot(n.Wl[k*D:(k+1)*D], c.u) + n.bl[k])
	}
	copy(c.v[:sh.KL], c.hl)
	// Global channel: convolution of width W, tanh, max over positions.
	vg := c.v[sh.KL:]
	wr := sh.W / 2
	WD := sh.W * D
	for j := 0; j < nw; j++ {
		cj := c.c[j*sh.F : (j+1)*sh.F]
		copy(cj, n.bg)
		for o := 0; o < sh.W; o++ {
			x := n.row(c, j+o-wr)
			if x == nil {
				continue
			}
			for f := 0; f < sh.F; f++ {
				cj[f] += num.Dot(n.G[f*WD+o*D:f*WD+(o+1)*D], x)
			}
		}
		for f := range cj {
			cj[f] = tanhF(cj[f])
		}
	}
	for f := 0; f < sh.F; f++ {
		best, arg := F(0), int32(-1)
		for j := 0; j < nw; j++ {
			if v := c.c[j*sh.F+f]; arg < 0 || v > best {
				best, arg = v, int32(j)
			}
		}
		vg[f], c.arg[f] = best, arg // empty post: 0, no position
	}
}

// cnnGrad holds the gradient of the channels' parameters (a prefix of the
// dense layout, or all of it) and the embedding rows the batch touched.
type cnnGrad[F model.Float] struct {
	dense []F
	emb   *sparse.Rows[F]
}

func newCNNGrad[F model.Float](sh cnnShape, n int) *cnnGrad[F] {
	return &cnnGrad[F]{dense: make([]F, n), emb: sparse.New[F](sh.V, sh.D)}
}

// reset empties the gradient.
func (g *cnnGrad[F]) reset() {
	clear(g.dense)
	g.emb.Reset()
}

// addInto adds g into t (dense prefix and embedding rows).
func (g *cnnGrad[F]) addInto(t *cnnGrad[F]) {
	num.Axpy(1, g.dense, t.dense)
	t.emb.Merge(g.emb, num.Axpy[F])
}

// backward adds the gradient of the example into g, given c.dv, the
// gradient of the loss with respect to the features after dropout.
func (n *cnnNet[F]) backward(c *cnnCache[F], g *cnnGrad[F]) {
	sh := n.sh
	D, nw := sh.D, len(c.ids)
	gM, gbm, gWl, gbl, gG, gbg := cutSmall(sh, g.dense)
	dx := c.dx[:nw*D]
	clear(dx)
	dxAt := func(i int) []F {
		if i < 0 || i >= nw {
			return nil
		}
		return dx[i*D : (i+1)*D]
	}
	dv := c.dv
	for k := range dv {
		dv[k] *= c.mask[k]
	}
	// Global channel.
	wr := sh.W / 2
	WD := sh.W * D
	for f := 0; f < sh.F; f++ {
		j := int(c.arg[f])
		if j < 0 {
			continue
		}
		cv := c.c[j*sh.F+f]
		dp := dv[sh.KL+f] * (1 - cv*cv)
		if dp == 0 {
			continue
		}
		gbg[f] += dp
		for o := 0; o < sh.W; o++ {
			x := n.row(c, j+o-wr)
			if x == nil {
				continue
			}
			num.Axpy(dp, x, gG[f*WD+o*D:f*WD+(o+1)*D])
			num.Axpy(dp, n.G[f*WD+o*D:f*WD+(o+1)*D], dxAt(j+o-wr))
		}
	}
	// Local channel.
	clear(c.du)
	for k := 0; k < sh.KL; k++ {
		h := c.hl[k]
		dp := dv[k] * (1 - h*h)
		c.dpl[k] = dp
		gbl[k] += dp
		num.Axpy(dp, c.u, gWl[k*D:(k+1)*D])
		num.Axpy(dp, n.Wl[k*D:(k+1)*D], c.du)
	}
	hr := sh.H / 2
	for i := 0; i < nw; i++ {
		if !c.sel[i] {
			continue
		}
		x, s := n.row(c, i), c.s[i]
		ds := num.Dot(c.du, x)
		num.Axpy(s, c.du, dxAt(i))
		da := ds * s * (1 - s)
		if da == 0 {
			continue
		}
		gbm[0] += da
		for o := 0; o < sh.H; o++ {
			if xo := n.row(c, i+o-hr); xo != nil {
				num.Axpy(da, xo, gM[o*D:(o+1)*D])
				num.Axpy(da, n.M[o*D:(o+1)*D], dxAt(i+o-hr))
			}
		}
	}
	for i := 0; i < nw; i++ {
		num.Axpy(1, dx[i*D:(i+1)*D], g.emb.Row(c.ids[i]))
	}
}

// cutSmall returns the views of the channels' parameters in a slice of at
// least small() entries.
func cutSmall[F model.Float](sh cnnShape, d []F) (M, bm, Wl, bl, G, bg []F) {
	take := func(k int) []F { v := d[:k:k]; d = d[k:]; return v }
	return take(sh.H * sh.D), take(1), take(sh.KL * sh.D), take(sh.KL), take(sh.F * sh.W * sh.D), take(sh.F)
}

// gemm computes C = alpha op(A) op(B) + beta C for row-major matrices,
// op(A) m×k and op(B) k×n, through gonum's BLAS of the float type.
func gemm[F model.Float](tA, tB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
	tr := func(t bool) blas.Transpose {
		if t {
			return blas.Trans
		}
		return blas.NoTrans
	}
	ar, ac := m, k
	if tA {
		ar, ac = k, m
	}
	br, bc := k, n
	if tB {
		br, bc = n, k
	}
	switch a := any(a).(type) {
	case []float32:
		blas32.Gemm(tr(tA), tr(tB), float32(alpha),
			blas32.General{Rows: ar, Cols: ac, Stride: lda, Data: a},
			blas32.General{Rows: br, Cols: bc, Stride: ldb, Data: any(b).([]float32)},
			float32(beta), blas32.General{Rows: m, Cols: n, Stride: ldc, Data: any(c).([]float32)})
	case []float64:
		blas64.Gemm(tr(tA), tr(tB), float64(alpha),
			blas64.General{Rows: ar, Cols: ac, Stride: lda, Data: a},
			blas64.General{Rows: br, Cols: bc, Stride: ldb, Data: any(b).([]float64)},
			float64(beta), blas64.General{Rows: m, Cols: n, Stride: ldc, Data: any(c).([]float64)})
	}
}

// softmaxXent turns the scores o into the gradient of the cross-entropy
// against the uniform distribution over gold, scaled by scale, and returns
// the loss.
func softmaxXent[F model.Float](o []F, gold []int32, scale F) float64 {
	mx := o[0]
	for _, v := range o {
		mx = max(mx, v)
	}
	var z float64
	for i, v := range o {
		e := math.Exp(float64(v - mx))
		o[i] = F(e)
		z += e
	}
	inv := 1 / z
	var loss float64
	t := 1 / float64(len(gold))
	for _, g := range gold {
		loss -= t * math.Log(math.Max(float64(o[g])*inv, 1e-30))
	}
	for i := range o {
		o[i] = F(float64(o[i])*inv) * scale
	}
	for _, g := range gold {
		o[g] -= F(t) * scale
	}
	return loss
}

// cnnExample is one training example: embedding rows and gold candidates.
type cnnExample struct{ ids, gold []int32 }

// cnnTrainer computes mini-batch gradients with a fixed number of workers:
// example b of a batch of nb goes to worker b·workers/nb (contiguous
// chunks), each worker adds into its own gradient buffer, and the buffers
// are summed in worker order, so a gradient depends on the worker count but
// not on scheduling.
type cnnTrainer[F model.Float] struct {
	net     *cnnNet[F]
	workers int
	dropout float64
	caches  []*cnnCache[F]
	vb, ob  []F // batch × K features after dropout, batch × C scores
	dvb     []F // batch × K
	loss    []float64
	wg      []*cnnGrad[F] // per worker, channels only
	tot     *cnnGrad[F]   // all dense parameters
}

func newCNNTrainer[F model.Float](net *cnnNet[F], batch, maxLen, workers int, dropout float64) *cnnTrainer[F] {
	sh := net.sh
	t := &cnnTrainer[F]{net: net, workers: workers, dropout: dropout,
		vb: make([]F, batch*sh.K()), ob: make([]F, batch*sh.C), dvb: make([]F, batch*sh.K()),
		loss: make([]float64, batch), tot: newCNNGrad[F](sh, sh.denseLen())}
	for range batch {
		t.caches = append(t.caches, newCNNCache[F](sh, maxLen))
	}
	for range workers {
		t.wg = append(t.wg, newCNNGrad[F](sh, sh.small()))
	}
	return t
}

// parallel runs f(w, lo, hi) on the workers' chunks of [0, n).
func parallel(workers, n int, f func(w, lo, hi int)) {
	if workers <= 1 || n <= 1 {
		for w := 0; w < max(workers, 1); w++ {
			f(w, w*n/max(workers, 1), (w+1)*n/max(workers, 1))
		}
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(w, w*n/workers, (w+1)*n/workers)
		}()
	}
	wg.Wait()
}

// grad sets t.tot to the gradient of the mean loss over exs and returns
// that mean loss. key seeds the dropout masks (example b's mask depends on
// key and b only).
func (t *cnnTrainer[F]) grad(exs []cnnExample, key uint64) float64 {
	net, sh := t.net, t.net.sh
	nb, K, C := len(exs), sh.K(), sh.C
	keep := F(1)
	if t.dropout > 0 {
		keep = F(1 / (1 - t.dropout))
	}
	parallel(t.workers, nb, func(_, lo, hi int) {
		for b := lo; b < hi; b++ {
			c := t.caches[b]
			c.ids = append(c.ids[:0], exs[b].ids...)
			net.forward(c)
			r := num.SplitMix64(key ^ uint64(b+1)*0xd1b54a32d192ed03)
			vb := t.vb[b*K : (b+1)*K]
			for k := range c.mask {
				c.mask[k] = keep
				if t.dropout > 0 && r.Float64() < t.dropout {
					c.mask[k] = 0
				}
				vb[k] = c.v[k] * c.mask[k]
			}
		}
	})
	vb, ob, dvb := t.vb[:nb*K], t.ob[:nb*C], t.dvb[:nb*K]
	gemm(false, true, nb, C, K, 1, vb, K, net.Wo, K, 0, ob, C)
	scale := 1 / F(nb)
	parallel(t.workers, nb, func(_, lo, hi int) {
		for b := lo; b < hi; b++ {
			o := ob[b*C : (b+1)*C]
			num.Axpy(1, net.bo, o)
			t.loss[b] = softmaxXent(o, exs[b].gold, scale)
		}
	})
	t.tot.reset()
	gemm(false, false, nb, K, C, 1, ob, C, net.Wo, K, 0, dvb, K)
	_, _, _, _, _, _, gWo, gbo := cut(sh, t.tot.dense)
	gemm(true, false, C, K, nb, 1, ob, C, vb, K, 0, gWo, K)
	for b := 0; b < nb; b++ {
		num.Axpy(1, ob[b*C:(b+1)*C], gbo)
	}
	parallel(t.workers, nb, func(w, lo, hi int) {
		g := t.wg[w]
		g.reset()
		for b := lo; b < hi; b++ {
			c := t.caches[b]
			copy(c.dv, dvb[b*K:(b+1)*K])
			net.backward(c, g)
		}
	})
	for _, g := range t.wg {
		g.addInto(t.tot)
	}
	var loss float64
	for _, l := range t.loss[:nb] {
		loss += l
	}
	return loss / float64(nb)
}

// cnnAdam is Adam (Kingma & Ba 2015) over the dense parameters and,
// lazily, over the embedding rows a batch touched: an untouched row keeps
// its moments and value (as TensorFlow's LazyAdam).
type cnnAdam[F model.Float] struct {
	lr, b1, b2, eps float64
	t               int
	m, v            []F // dense
	mE, vE          []F // embeddings
}

func newCNNAdam[F model.Float](sh cnnShape, lr float64) *cnnAdam[F] {
	return &cnnAdam[F]{lr: lr, b1: 0.9, b2: 0.999, eps: 1e-8,
		m: make([]F, sh.denseLen()), v: make([]F, sh.denseLen()),
		mE: make([]F, sh.V*sh.D), vE: make([]F, sh.V*sh.D)}
}

// update applies the gradient g to net.
func (a *cnnAdam[F]) update(net *cnnNet[F], g *cnnGrad[F], workers int) {
	a.t++
	lrT := F(a.lr * math.Sqrt(1-math.Pow(a.b2, float64(a.t))) / (1 - math.Pow(a.b1, float64(a.t))))
	b1, b2, eps := F(a.b1), F(a.b2), F(a.eps)
	step := func(p, m, v, g []F) {
		for i, gi := range g {
			m[i] = b1*m[i] + (1-b1)*gi
			v[i] = b2*v[i] + (1-b2)*gi*gi
			p[i] -= lrT * m[i] / (F(math.Sqrt(float64(v[i]))) + eps)
		}
	}
	n := len(net.dense)
	parallel(workers, n, func(_, lo, hi int) {
		step(net.dense[lo:hi], a.m[lo:hi], a.v[lo:hi], g.dense[lo:hi])
	})
	D := net.sh.D
	for i, r := range g.emb.IDs {
		lo, hi := int(r)*D, int(r+1)*D
		step(net.E[lo:hi], a.mE[lo:hi], a.vE[lo:hi], g.emb.Data[i*D:(i+1)*D])
	}
}
