//go:build amd64 && gc && !purego

package trainer

import "math"

//go:noescape
func expSubAVX(x *float32, n int, mx float32) float32

//go:noescape
func tanhAVX(x *float32, n int)

// expSub32 sets x[i] = exp(x[i]-mx) and returns their sum. The AVX2 path
// is a Cephes-style polynomial (relative error about 2e-7); arguments below
// -87 give about 1.6e-38 instead of a denormal or 0.
func expSub32(x []float32, mx float32) float64 {
	n := len(x) &^ 7
	var sum float64
	if hasFMA && n > 0 {
		sum = float64(expSubAVX(&x[0], n, mx))
	} else {
		n = 0
	}
	for i := n; i < len(x); i++ {
		e := math.Exp(float64(x[i] - mx))
		x[i] = float32(e)
		sum += e
	}
	return sum
}

// tanh32 sets x[i] = tanh(x[i]) (AVX2 path: absolute error about 2e-7).
func tanh32(x []float32) {
	n := len(x) &^ 7
	if hasFMA && n > 0 {
		tanhAVX(&x[0], n)
	} else {
		n = 0
	}
	for i := n; i < len(x); i++ {
		x[i] = float32(math.Tanh(float64(x[i])))
	}
}
