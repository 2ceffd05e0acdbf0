package trainer

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hashtag-rec/hashtag/internal/num"
)

// kernelTol bounds the relative difference between the fast float32
// kernels and plain or float64 reference loops (other summation order,
// float32 rounding).
const kernelTol = 1e-5

// TestGemmNT32 compares the float32 product kernel with a naive float64
// loop over many shapes, including 0, odd sizes, and k not a multiple of 8
// or longer than one k chunk, with beta 0, 1 and 0.5 and 1 or 2 workers.
func TestGemmNT32(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	sizes := []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 31, 65}
	for _, m := range sizes {
		for _, n := range sizes {
			for _, k := range []int{0, 1, 4, 7, 8, 9, 12, 33, 300, 515, 1100} {
				if m*n*k > 200000 {
					continue
				}
				for _, beta := range []float32{0, 1, 0.5} {
					for _, w := range []int{1, 2} {
						checkGemm(t, r, w, m, n, k, beta)
					}
				}
			}
		}
	}
	checkGemm(t, r, 2, 128, 301, 300, 1) // big enough to run in parallel
	checkGemm(t, r, 2, 301, 128, 300, 0)
}

func checkGemm(t *testing.T, r *rand.Rand, workers, m, n, k int, beta float32) {
	t.Helper()
	rnd := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(r.NormFloat64())
		}
		return s
	}
	a, b, c := rnd(m*k), rnd(n*k), rnd(m*n)
	want := make([]float64, m*n)
	scale := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			v, s := float64(beta)*float64(c[i*n+j]), math.Abs(float64(beta)*float64(c[i*n+j]))
			for t := 0; t < k; t++ {
				p := float64(a[i*k+t]) * float64(b[j*k+t])
				v += p
				s += math.Abs(p)
			}
			want[i*n+j], scale[i*n+j] = v, s
		}
	}
	gemmNT(workers, m, n, k, a, b, c, beta)
	for i := range want {
		if math.Abs(float64(c[i])-want[i]) > kernelTol*(1+scale[i]) {
			t.Fatalf("m=%d n=%d k=%d beta=%v workers=%d: C[%d] = %v, want %v", m, n, k, beta, workers, i, c[i], want[i])
		}
	}
}

// TestVectorKernels compares dot32, axpy32 and adagradUpdate with plain
// loops over lengths 0..40 and 300.
func TestVectorKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for n := 0; n <= 301; n++ {
		if n > 40 && n < 300 {
			continue
		}
		a, b := make([]float32, n), make([]float32, n)
		for i := range a {
			a[i], b[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
		}
		if got, want := dot32(a, b), num.Dot(a, b); math.Abs(float64(got-want)) > kernelTol*float64(n+1) {
			t.Fatalf("dot32 n=%d: %v, want %v", n, got, want)
		}
		y1, y2 := append([]float32{}, b...), append([]float32{}, b...)
		axpy32(0.7, a, y1)
		num.Axpy(float32(0.7), a, y2)
		w1, w2 := append([]float32{}, a...), append([]float32{}, a...)
		acc1, acc2 := make([]float32, n), make([]float32, n)
		for i := range acc1 {
			acc1[i] = float32(i % 3)
			acc2[i] = acc1[i]
		}
		adagradUpdate(w1, acc1, b, 0.01, 0.001)
		adagradGeneric(w2, acc2, b, 0.01, 0.001)
		for i := range y1 {
			if math.Abs(float64(y1[i]-y2[i])) > kernelTol || math.Abs(float64(w1[i]-w2[i])) > kernelTol ||
				math.Abs(float64(acc1[i]-acc2[i])) > kernelTol*(1+float64(acc2[i])) {
				t.Fatalf("n=%d i=%d: axpy %v/%v, adagrad w %v/%v acc %v/%v", n, i, y1[i], y2[i], w1[i], w2[i], acc1[i], acc2[i])
			}
		}
	}
}

// TestGemmNN32 compares mm.gemm with B not transposed (the NN/TN kernel)
// with a float64 reference over many shapes.
func TestGemmNN32(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	sizes := []int{1, 2, 5, 6, 7, 13, 16, 17, 33, 100}
	for _, m := range sizes {
		for _, n := range sizes {
			for _, k := range []int{1, 3, 8, 255, 256, 257, 600} {
				if m*n*k > 300000 {
					continue
				}
				for _, transA := range []bool{false, true} {
					for _, beta := range []float32{0, 1} {
						checkGemmNN(t, r, 1+(m+n+k)%2, transA, m, n, k, beta)
					}
				}
			}
		}
	}
	checkGemmNN(t, r, 2, true, 301, 300, 128, 0)
	checkGemmNN(t, r, 2, false, 128, 300, 700, 1)
}

func checkGemmNN(t *testing.T, r *rand.Rand, workers int, transA bool, m, n, k int, beta float32) {
	t.Helper()
	rnd := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(r.NormFloat64())
		}
		return s
	}
	a, b, c := rnd(m*k), rnd(k*n), rnd(m*n)
	at := func(i, t int) float64 {
		if transA {
			return float64(a[t*m+i])
		}
		return float64(a[i*k+t])
	}
	want, scale := make([]float64, m*n), make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			v := float64(beta) * float64(c[i*n+j])
			s := math.Abs(v)
			for t := 0; t < k; t++ {
				p := at(i, t) * float64(b[t*n+j])
				v += p
				s += math.Abs(p)
			}
			want[i*n+j], scale[i*n+j] = v, s
		}
	}
	mm := mm[float32]{workers: workers}
	mm.gemm(transA, false, m, n, k, a, b, c, beta)
	for i := range want {
		if math.Abs(float64(c[i])-want[i]) > kernelTol*(1+scale[i]) {
			t.Fatalf("transA=%v m=%d n=%d k=%d beta=%v: C[%d] = %v, want %v", transA, m, n, k, beta, i, c[i], want[i])
		}
	}
}

// TestKernelsWithoutFMA runs the kernel tests on the plain-Go fallbacks,
// which machines without AVX2/FMA (and other architectures) use.
func TestKernelsWithoutFMA(t *testing.T) {
	if !hasFMA {
		t.Skip("already the fallback")
	}
	hasFMA = false
	defer func() { hasFMA = true }()
	t.Run("NT", TestGemmNT32)
	t.Run("NN", TestGemmNN32)
	t.Run("vector", TestVectorKernels)
	t.Run("exp", TestExpTanh)
	t.Run("guards/vector", TestKernelGuardsVector)
	t.Run("guards/product", TestKernelGuardsProduct)
	t.Run("gradients", TestForwardMatchesModel)
}

// Tolerances of the vectorised exp (relative) and tanh (absolute).
const (
	expTol  = 1e-6
	tanhTol = 1e-6
)

func TestExpTanh(t *testing.T) {
	for n := 0; n <= 40; n++ {
		x := make([]float32, n)
		for i := range x {
			x[i] = -100 + 125*float32(i)/float32(max(1, n-1))
		}
		mx := float32(3)
		y := append([]float32{}, x...)
		sum := expSub32(y, mx)
		var want float64
		for i, v := range x {
			e := math.Exp(float64(v - mx))
			want += e
			if v-mx < -87 {
				if y[i] > 2e-38 {
					t.Fatalf("exp(%v) = %v, want about 0", v-mx, y[i])
				}
				continue
			}
			if math.Abs(float64(y[i])-e) > expTol*e {
				t.Fatalf("n=%d: exp(%v) = %v, want %v", n, v-mx, y[i], e)
			}
		}
		if math.Abs(sum-want) > expTol*want+1e-30 {
			t.Fatalf("n=%d: sum %v, want %v", n, sum, want)
		}
		for i := range x {
			x[i] = -12 + 24*float32(i)/float32(max(1, n-1))
		}
		y = append(y[:0], x...)
		tanh32(y)
		for i, v := range x {
			if w := math.Tanh(float64(v)); math.Abs(float64(y[i])-w) > tanhTol {
				t.Fatalf("tanh(%v) = %v, want %v", v, y[i], w)
			}
		}
	}
}
