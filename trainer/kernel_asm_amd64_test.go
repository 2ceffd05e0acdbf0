//go:build amd64 && gc && !purego

package trainer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestAsmGuards calls each assembly kernel directly with exactly the
// memory its contract names (strides with gaps of sentinels between the
// rows) in guarded or fenced regions: the Go wrappers hand the kernels
// padded copies at the edges, so this is where the kernels' own loads and
// stores meet the end of their operands.
func TestAsmGuards(t *testing.T) {
	if !hasFMA {
		t.Skip("no AVX2 and FMA")
	}
	rnd := rand.New(rand.NewPCG(6, 6))
	for _, p := range placements {
		for n := 8; n <= 1032; n += 8 {
			if n > 136 && n%256 != 0 && n != 1032 {
				continue
			}
			asmVector(t, rnd, p, n)
		}
		for k := 4; k <= 1028; k += 4 {
			if k > 72 && k != 512 && k != 1028 {
				continue
			}
			for _, pad := range [][3]int{{0, 0, 0}, {3, 5, 7}} {
				for acc := 0; acc < 2; acc++ {
					asmKern3x4(t, rnd, p, k, k+pad[0], k+pad[1], 4+pad[2], acc)
				}
			}
		}
		for k := 1; k <= 300; k++ {
			if k > 40 && k != 255 && k != 256 && k != 257 && k != 300 {
				continue
			}
			for _, pad := range [][3]int{{0, 0, 0}, {3, 5, 7}} {
				for acc := 0; acc < 2; acc++ {
					asmKern6x16(t, rnd, p, k, false, k+pad[0], 16+pad[1], 16+pad[2], acc)
					asmKern6x16(t, rnd, p, k, true, 6+pad[0], 16+pad[1], 16+pad[2], acc)
				}
			}
		}
	}
}

// asmVector runs dotAVX, axpyAVX, adagradAVX, expSubAVX and tanhAVX on n
// elements (a multiple of 8).
func asmVector(t *testing.T, rnd *rand.Rand, p placement, n int) {
	what := fmt.Sprintf("%v n=%d", p, n)
	a, b, acc := newRegion(t, "a", n, p), newRegion(t, "b", n, p), newRegion(t, "acc", n, p)
	defer release(a, b, acc)
	a.fill(rnd)
	b.fill(rnd)

	var got float32
	run(t, "dotAVX "+what, func() { got = dotAVX(&a.s[0], &b.s[0], n) }, a, b)
	var want, scale float64
	for i := range a.s {
		want += float64(a.s[i]) * float64(b.s[i])
		scale += math.Abs(float64(a.s[i]) * float64(b.s[i]))
	}
	if !(math.Abs(float64(got)-want) <= kernelTol*(1+scale)) {
		t.Fatalf("dotAVX %s: %v, want %v", what, got, want)
	}
	a.check(t, "dotAVX "+what, nil)
	b.check(t, "dotAVX "+what, nil)

	y := append([]float32{}, b.s...)
	run(t, "axpyAVX "+what, func() { axpyAVX(-1.5, &a.s[0], &b.s[0], n) }, a, b)
	for i := range y {
		w := float64(y[i]) - 1.5*float64(a.s[i])
		if !(math.Abs(float64(b.s[i])-w) <= kernelTol*(1+math.Abs(w))) {
			t.Fatalf("axpyAVX %s: y[%d] = %v, want %v", what, i, b.s[i], w)
		}
	}
	a.check(t, "axpyAVX "+what, nil)
	b.check(t, "axpyAVX "+what, func(int) bool { return true })

	for i := range acc.s {
		acc.s[i] = float32(i % 5)
	}
	w2, acc2 := append([]float32{}, a.s...), append([]float32{}, acc.s...)
	adagradGeneric(w2, acc2, b.s, 0.05, 0.01)
	run(t, "adagradAVX "+what, func() { adagradAVX(&a.s[0], &acc.s[0], &b.s[0], n, 0.05, 0.01, adagradEps) }, a, acc, b)
	for i := range w2 {
		if !(math.Abs(float64(a.s[i]-w2[i])) <= kernelTol) || !(math.Abs(float64(acc.s[i]-acc2[i])) <= kernelTol*(1+float64(acc2[i]))) {
			t.Fatalf("adagradAVX %s: i=%d w %v/%v acc %v/%v", what, i, a.s[i], w2[i], acc.s[i], acc2[i])
		}
	}
	a.check(t, "adagradAVX "+what, func(int) bool { return true })
	acc.check(t, "adagradAVX "+what, func(int) bool { return true })
	b.check(t, "adagradAVX "+what, nil)

	x0 := append([]float32{}, a.s...)
	var sum float32
	run(t, "expSubAVX "+what, func() { sum = expSubAVX(&a.s[0], n, 1) }, a)
	want = 0
	for i, v := range x0 {
		e := math.Exp(float64(v - 1))
		want += e
		if !(math.Abs(float64(a.s[i])-e) <= expTol*e) {
			t.Fatalf("expSubAVX %s: exp(%v) = %v, want %v", what, v-1, a.s[i], e)
		}
	}
	if !(math.Abs(float64(sum)-want) <= kernelTol*want) {
		t.Fatalf("expSubAVX %s: sum %v, want %v", what, sum, want)
	}
	a.check(t, "expSubAVX "+what, func(int) bool { return true })

	x0 = append(x0[:0], b.s...)
	run(t, "tanhAVX "+what, func() { tanhAVX(&b.s[0], n) }, b)
	for i, v := range x0 {
		if w := math.Tanh(float64(v)); !(math.Abs(float64(b.s[i])-w) <= tanhTol) {
			t.Fatalf("tanhAVX %s: tanh(%v) = %v, want %v", what, v, b.s[i], w)
		}
	}
	b.check(t, "tanhAVX "+what, func(int) bool { return true })
}

// strided is a rows×cols matrix stored with row stride ld (and column
// stride sc) in a region that ends at its last element; the gaps hold
// sentinels.
type strided struct {
	*region
	ld, sc int
}

func newStrided(t *testing.T, rnd *rand.Rand, name string, rows, cols, ld, sc int, p placement) strided {
	n := (rows-1)*ld + (cols-1)*sc + 1
	m := strided{newRegion(t, name, n, p), ld, sc}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			m.s[i*ld+j*sc] = float32(rnd.NormFloat64())
		}
	}
	return m
}

func (m strided) at(i, j int) float64 { return float64(m.s[i*m.ld+j*m.sc]) }

// checkBlock compares the rows×cols block of c with want (C += or = A·B)
// and checks that nothing else changed.
func checkBlock(t *testing.T, what string, a, b, c strided, rows, cols, k, acc int, ab func(i, j, t int) float64) {
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			var want, scale float64
			if acc != 0 {
				want = float64(c.init[i*c.ld+j])
				scale = math.Abs(want)
			}
			for l := 0; l < k; l++ {
				p := ab(i, j, l)
				want += p
				scale += math.Abs(p)
			}
			if got := c.at(i, j); !(math.Abs(got-want) <= kernelTol*(1+scale)) {
				t.Fatalf("%s: C[%d][%d] = %v, want %v", what, i, j, got, want)
			}
		}
	}
	a.check(t, what, nil)
	b.check(t, what, nil)
	c.check(t, what, func(i int) bool { return i%c.ld < cols })
}

// asmKern3x4 runs kern3x4 on A 3×k (stride lda), B 4×k (stride ldb) and C
// 3×4 (stride ldc). With acc = 0, C's block holds sentinels: it must not be
// read.
func asmKern3x4(t *testing.T, rnd *rand.Rand, p placement, k, lda, ldb, ldc, acc int) {
	what := fmt.Sprintf("kern3x4 %v k=%d lda=%d ldb=%d ldc=%d acc=%d", p, k, lda, ldb, ldc, acc)
	a, b, c := newStrided(t, rnd, "A", 3, k, lda, 1, p), newStrided(t, rnd, "B", 4, k, ldb, 1, p), newStrided(t, rnd, "C", 3, 4, ldc, 1, p)
	defer release(a.region, b.region, c.region)
	if acc == 0 {
		for i := range c.s {
			c.s[i] = sentinel(i)
		}
	}
	run(t, what, func() { kern3x4(&a.s[0], lda, &b.s[0], ldb, k, &c.s[0], ldc, acc) }, a.region, b.region, c.region)
	checkBlock(t, what, a, b, c, 3, 4, k, acc, func(i, j, l int) float64 { return a.at(i, l) * b.at(j, l) })
}

// asmKern6x16 runs kern6x16 on A 6×k (stored with row stride ld, or
// transposed: k×6 with row stride ld), B k×16 (stride ldb) and C 6×16
// (stride ldc).
func asmKern6x16(t *testing.T, rnd *rand.Rand, p placement, k int, transA bool, ld, ldb, ldc, acc int) {
	what := fmt.Sprintf("kern6x16 %v k=%d transA=%v ld=%d ldb=%d ldc=%d acc=%d", p, k, transA, ld, ldb, ldc, acc)
	sai, sat := ld, 1
	if transA {
		sai, sat = 1, ld
	}
	a, b, c := newStrided(t, rnd, "A", 6, k, sai, sat, p), newStrided(t, rnd, "B", k, 16, ldb, 1, p), newStrided(t, rnd, "C", 6, 16, ldc, 1, p)
	defer release(a.region, b.region, c.region)
	if acc == 0 {
		for i := range c.s {
			c.s[i] = sentinel(i)
		}
	}
	run(t, what, func() { kern6x16(&a.s[0], sai, sat, &b.s[0], ldb, k, &c.s[0], ldc, acc) }, a.region, b.region, c.region)
	checkBlock(t, what, a, b, c, 6, 16, k, acc, func(i, j, l int) float64 { return a.at(i, l) * b.at(l, j) })
}
