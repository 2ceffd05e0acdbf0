//go:build !amd64 || !gc || purego

package trainer

import "math"

func expSub32(x []float32, mx float32) float64 {
	var sum float64
	for i, v := range x {
		e := math.Exp(float64(v - mx))
		x[i] = float32(e)
		sum += e
	}
	return sum
}

func tanh32(x []float32) {
	for i, v := range x {
		x[i] = float32(math.Tanh(float64(v)))
	}
}
