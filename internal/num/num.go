// Package num holds the small numerical kernels the model (which the
// browser runs) and the trainer share: dot product, axpy, softmax, top-k
// selection and the SplitMix64 generator, each written once.
//
// The results are bit-for-bit those the model and the trainer computed
// before they shared these functions: the summation orders are part of
// the contract (the WebAssembly conformance test and the trainer's
// byte-identical resume tests check them).
package num

import "math"

// Float is the element type of the kernels: float32 for the browser and
// the trainer, float64 for the trainer's gradient checks.
type Float interface{ float32 | float64 }

// Dot returns a·b over len(a) elements, with four partial sums combined as
// (s0+s1)+(s2+s3). It panics if b is shorter than a.
func Dot[F Float](a, b []F) F {
	b = b[:len(a)]
	var s0, s1, s2, s3 F
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// Axpy sets y += alpha x over len(x) elements; it panics if y is shorter
// than x.
func Axpy[F Float](alpha F, x, y []F) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		y[i] += alpha * x[i]
		y[i+1] += alpha * x[i+1]
		y[i+2] += alpha * x[i+2]
		y[i+3] += alpha * x[i+3]
	}
	for ; i < len(x); i++ {
		y[i] += alpha * x[i]
	}
}

// ExpSub sets x[i] = exp(x[i]-mx), computed in float64, and returns the
// float64 sum of the exponentials in index order.
func ExpSub[F Float](x []F, mx F) float64 {
	var sum float64
	for i, v := range x {
		e := math.Exp(float64(v - mx))
		x[i] = F(e)
		sum += e
	}
	return sum
}

// Softmax replaces x by softmax(x) in place: the exponentials of x minus
// its maximum, summed in float64, each times the rounded inverse of the
// sum. Entries of -Inf get 0; if all are -Inf (or x is empty) every entry
// becomes 0.
func Softmax[F Float](x []F) { SoftmaxFunc(x, ExpSub[F]) }

// SoftmaxFunc is Softmax with expSub setting x[i] = exp(x[i]-mx) and
// returning the sum, for a faster kernel of the same contract than ExpSub.
func SoftmaxFunc[F Float](x []F, expSub func(x []F, mx F) float64) {
	mx := F(math.Inf(-1))
	for _, v := range x {
		if v > mx {
			mx = v
		}
	}
	if math.IsInf(float64(mx), -1) {
		clear(x)
		return
	}
	inv := F(1 / expSub(x, mx))
	for i := range x {
		x[i] *= inv
	}
}

// TopK appends to dst the indices of the k largest scores, largest first
// (ties: lower index first), by partial selection: one pass that keeps the
// best k in order, O(n·k) worst case and O(n) for the usual k ≤ 5. It
// allocates nothing when dst has room for k.
func TopK[F Float](scores []F, k int, dst []int32) []int32 {
	k = min(k, len(scores))
	if k <= 0 {
		return dst
	}
	start := len(dst)
	for i, v := range scores {
		n := len(dst) - start
		if n == k && v <= scores[dst[len(dst)-1]] {
			continue
		}
		if n < k {
			dst = append(dst, int32(i))
		}
		// Insert i at its place, shifting worse entries down by one.
		j := len(dst) - 1
		for j > start && scores[dst[j-1]] < v {
			dst[j] = dst[j-1]
			j--
		}
		dst[j] = int32(i)
	}
	return dst
}

// SplitMix64 is the SplitMix64 generator (Steele, Lea and Flood 2014): the
// state advances by the golden gamma and each output is the state mixed by
// the MurmurHash3-style finaliser of Stafford's variant 13.
type SplitMix64 uint64

// Next advances s and returns its next output.
func (s *SplitMix64) Next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Float64 returns a uniform number in [0, 1) from the top 53 bits of Next.
func (s *SplitMix64) Float64() float64 { return float64(s.Next()>>11) / (1 << 53) }

// Mix returns the first output of a SplitMix64 generator seeded with x: a
// bijective hash of x, used to derive independent keys from counters.
func Mix(x uint64) uint64 {
	s := SplitMix64(x)
	return s.Next()
}
