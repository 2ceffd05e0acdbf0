//go:build !amd64 || !gc || purego

package trainer

import (
	"math"

	"github.com/hashtag-rec/hashtag/internal/num"
)

// expSub32 sets x[i] = exp(x[i]-mx) and returns their sum (num.ExpSub: no
// vector kernel in this build).
func expSub32(x []float32, mx float32) float64 { return num.ExpSub(x, mx) }

func tanh32(x []float32) {
	for i, v := range x {
		x[i] = float32(math.Tanh(float64(v)))
	}
}
