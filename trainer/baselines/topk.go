package baselines

import "sync"

// topK appends to dst the indices of the k largest scores, best first; ties
// go to the lower index (the more popular candidate, as the dataset orders
// candidates by train frequency).
func topK(scores []float64, k int, dst []int32) []int32 {
	start := len(dst)
	for c, s := range scores {
		n := len(dst) - start
		if n == k && !(s > scores[dst[len(dst)-1]]) {
			continue
		}
		if n < k {
			dst = append(dst, int32(c))
		} else {
			dst[len(dst)-1] = int32(c)
		}
		// Bubble the new entry up while it beats its predecessor.
		for i := len(dst) - 1; i > start && scores[dst[i]] > scores[dst[i-1]]; i-- {
			dst[i], dst[i-1] = dst[i-1], dst[i]
		}
	}
	return dst
}

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
