package baselines

import "sync"

// floatPool hands out zeroed-on-request float64 slices of one length.
type floatPool struct {
	n int
	p sync.Pool
}

func newFloatPool(n int) *floatPool {
	fp := &floatPool{n: n}
	fp.p.New = func() any { s := make([]float64, n); return &s }
	return fp
}

func (fp *floatPool) get() *[]float64  { return fp.p.Get().(*[]float64) }
func (fp *floatPool) put(s *[]float64) { fp.p.Put(s) }
