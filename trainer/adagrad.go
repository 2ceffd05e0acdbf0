package trainer

import (
	"math"
	"sync"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/sparse"
)

// adagradEps is added to sqrt(G) in the Adagrad denominator (PyTorch's
// default).
const adagradEps = 1e-10

// copyLRScale multiplies the learning rate of the copy path's scalars.
const copyLRScale = 10

// adagrad holds the Adagrad accumulators (sums of squared gradients), one
// per parameter element, in the layout of Params.Tensors.
type adagrad struct {
	lr, l2 float32
	acc    *model.Params[float32] // same shapes as the parameters
}

func newAdagrad(p *model.Params[float32], lr, l2 float64) *adagrad {
	return &adagrad{lr: float32(lr), l2: float32(l2), acc: model.NewParams[float32](p.Config, p.V, p.K)}
}

// step applies one Adagrad update from the batch gradients in e.g (after
// mergeSparse). Embedding rows no example used are not touched. L2 (weight
// decay l2·w added to the gradient) applies to Wo, Ws, Wms, Wf and Theta.
func (o *adagrad) step(e *engine[float32]) {
	p, g := e.p, e.g
	type job struct {
		w, acc, g []float32
		l2        float32
		scale     float32 // of the learning rate
	}
	jobs := []job{
		{p.Wf, o.acc.Wf, g.Wf, o.l2, 1},
		{p.Bf, o.acc.Bf, g.Bf, 0, 1},
		{p.Theta, o.acc.Theta, g.Theta, o.l2, 1},
	}
	if p.Variant.Hierarchical() {
		jobs = append(jobs, job{p.Wo, o.acc.Wo, g.Wo, o.l2, 1}, job{p.Ws, o.acc.Ws, g.Ws, o.l2, 1}, job{p.Wms, o.acc.Wms, g.Wms, o.l2, 1})
	}
	if p.Variant.Copies() {
		// The copy path's few scalars (a weight per memory position, λ, κ,
		// the gate's feature weights and bias) take larger steps: each sums
		// the gradient of a whole batch, where an embedding row sees a few
		// examples.
		jobs = append(jobs, job{p.CopyPos, o.acc.CopyPos, g.CopyPos, 0, copyLRScale}, job{p.CopyW, o.acc.CopyW, g.CopyW, 0, copyLRScale},
			job{p.GateW, o.acc.GateW, g.GateW, o.l2, 1}, job{p.GateV, o.acc.GateV, g.GateV, 0, copyLRScale})
	}
	d := p.Dim
	emb := []struct {
		w, acc []float32
		s      *sparse.Rows[float32]
	}{{p.A, o.acc.A, g.A[0]}, {p.B, o.acc.B, g.B[0]}, {p.C, o.acc.C, g.C[0]}}
	W := e.workers
	var wg sync.WaitGroup
	for w := 0; w < W; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for _, j := range jobs {
				lo, hi := w*len(j.w)/W, (w+1)*len(j.w)/W
				adagradUpdate(j.w[lo:hi], j.acc[lo:hi], j.g[lo:hi], o.lr*j.scale, j.l2)
			}
			for _, m := range emb {
				n := len(m.s.IDs)
				for k := w * n / W; k < (w+1)*n/W; k++ {
					r := int(m.s.IDs[k])
					adagradUpdate(m.w[r*d:(r+1)*d], m.acc[r*d:(r+1)*d], m.s.Data[k*d:(k+1)*d], o.lr, 0)
				}
			}
		}(w)
	}
	wg.Wait()
}

// adagradGeneric is the plain-Go Adagrad update.
func adagradGeneric(w, acc, g []float32, lr, l2 float32) {
	acc = acc[:len(w)]
	g = g[:len(w)]
	for i := range w {
		gi := g[i] + l2*w[i]
		a := acc[i] + gi*gi
		acc[i] = a
		w[i] -= lr * gi / (float32(math.Sqrt(float64(a))) + adagradEps)
	}
}
