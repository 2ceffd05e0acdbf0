package trainer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime/debug"
	"testing"
	"unsafe"
)

// Guard tests: every kernel entry point runs on operands that are
// sub-slices of larger buffers whose other elements hold NaNs with
// distinct payloads (sentinels), or that start or end at an inaccessible
// page (fences, on Unix). A write outside the elements a kernel may write
// changes a sentinel; a read outside the elements it may read faults at a
// fence, and at a sentinel turns a result into NaN. Results are compared
// with plain float64 loops. TestKernelsWithoutFMA runs these tests on the
// plain-Go fallbacks too, and -tags purego builds only those.

// guardLen is the number of sentinels on each side of a heap region: more
// than any kernel's vector width and unrolling.
const guardLen = 64

// guardLens are the vector lengths every vector kernel runs with: around
// the 8-float vectors and the 16-float unrolled loops.
var guardLens = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33,
	40, 47, 48, 49, 63, 64, 65, 127, 128, 129, 255, 256, 257, 515, 1024, 1031}

// sentinel returns the i-th sentinel: a quiet NaN whose payload holds i,
// so that a value moved from one sentinel to another is seen too.
func sentinel(i int) float32 {
	return math.Float32frombits(0x7fc00000 | 0x5a0000 | uint32(i)&0xffff)
}

// placement says where a region's elements lie.
type placement int

const (
	// onHeap: inside a Go slice with guardLen sentinels on each side.
	onHeap placement = iota
	// fenceAfter: the region ends where an inaccessible page begins.
	fenceAfter
	// fenceBefore: the region starts where an inaccessible page ends.
	fenceBefore
)

func (p placement) String() string {
	return [...]string{"heap", "fence after", "fence before"}[p]
}

// region is the memory one operand of a kernel lives in. Its elements are
// all sentinels until the test writes the operand's elements.
type region struct {
	name string
	s    []float32 // the elements the kernel is given (cap = len)
	buf  []float32 // onHeap: s with its guards
	init []float32 // a copy of s as the kernel got it
	free func()    // fenced: returns the mapping for reuse
}

// release releases fenced regions' mappings.
func release(rs ...*region) {
	for _, r := range rs {
		if r.free != nil {
			r.free()
		}
	}
}

func newRegion(t *testing.T, name string, n int, p placement) *region {
	r := &region{name: name}
	switch p {
	case onHeap:
		r.buf = make([]float32, guardLen+n+guardLen)
		for i := range r.buf {
			r.buf[i] = sentinel(i)
		}
		r.s = r.buf[guardLen : guardLen+n : guardLen+n]
		return r
	default:
		r.s, r.free = fenced(t, n, p == fenceAfter)
		for i := range r.s {
			r.s[i] = sentinel(guardLen + i)
		}
	}
	return r
}

// seal records the region's contents before the kernel runs.
func (r *region) seal() { r.init = append(r.init[:0], r.s...) }

// check reports sentinels outside s that changed, and elements of s that
// changed though written says the kernel may not write them.
func (r *region) check(t *testing.T, what string, written func(i int) bool) {
	for i, v := range r.buf {
		if (i < guardLen || i >= guardLen+len(r.s)) && math.Float32bits(v) != math.Float32bits(sentinel(i)) {
			t.Fatalf("%s: %s[%d] outside the region was written: %#x", what, r.name, i-guardLen, math.Float32bits(v))
		}
	}
	for i, v := range r.s {
		if (written == nil || !written(i)) && math.Float32bits(v) != math.Float32bits(r.init[i]) {
			t.Fatalf("%s: %s[%d] was written (%#x, was %#x) though the kernel may not", what, r.name, i, math.Float32bits(v), math.Float32bits(r.init[i]))
		}
	}
}

// offset returns the index in r.s of the element at addr and whether it
// lies within guardLen elements of r.s.
func (r *region) offset(addr uintptr) (int, bool) {
	d := int(addr) - int(uintptr(unsafe.Pointer(unsafe.SliceData(r.s))))
	off := d / 4
	if d < 0 && d%4 != 0 {
		off--
	}
	return off, off >= -guardLen && off < len(r.s)+guardLen
}

// run calls f, turning a fault on a fence into a test failure that names
// the region and the offset of the element.
func run(t *testing.T, what string, f func(), regions ...*region) {
	for _, r := range regions {
		r.seal()
	}
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if e := recover(); e != nil {
			if ae, ok := e.(interface{ Addr() uintptr }); ok {
				for _, r := range regions {
					if off, ok := r.offset(ae.Addr()); ok {
						t.Fatalf("%s: access to %s[%d] (the kernel was given %d elements): %v", what, r.name, off, len(r.s), e)
					}
				}
			}
			t.Fatalf("%s: %v", what, e)
		}
	}()
	f()
}

// fill writes random values in [-2, 2) into r.s.
func (r *region) fill(rnd *rand.Rand) {
	for i := range r.s {
		r.s[i] = 4*rnd.Float32() - 2
	}
}

// TestKernelGuardsVector runs dot32, axpy32, adagradUpdate, expSub32 and
// tanh32 on guarded regions of every length in guardLens.
func TestKernelGuardsVector(t *testing.T) {
	rnd := rand.New(rand.NewPCG(4, 4))
	for _, p := range placements {
		for _, n := range guardLens {
			what := fmt.Sprintf("%v n=%d", p, n)
			a, b, acc, x := newRegion(t, "a", n, p), newRegion(t, "b", n, p), newRegion(t, "acc", n, p), newRegion(t, "x", n, p)
			a.fill(rnd)
			b.fill(rnd)

			var got float32
			run(t, "dot32 "+what, func() { got = dot32(a.s, b.s) }, a, b)
			var want, scale float64
			for i := range a.s {
				want += float64(a.s[i]) * float64(b.s[i])
				scale += math.Abs(float64(a.s[i]) * float64(b.s[i]))
			}
			if !(math.Abs(float64(got)-want) <= kernelTol*(1+scale)) {
				t.Fatalf("dot32 %s: %v, want %v", what, got, want)
			}
			a.check(t, "dot32 "+what, nil)
			b.check(t, "dot32 "+what, nil)

			y0 := append([]float32{}, b.s...)
			run(t, "axpy32 "+what, func() { axpy32(0.7, a.s, b.s) }, a, b)
			for i := range y0 {
				w := float64(y0[i]) + 0.7*float64(a.s[i])
				if !(math.Abs(float64(b.s[i])-w) <= kernelTol*(1+math.Abs(w))) {
					t.Fatalf("axpy32 %s: y[%d] = %v, want %v", what, i, b.s[i], w)
				}
			}
			a.check(t, "axpy32 "+what, nil)
			b.check(t, "axpy32 "+what, func(int) bool { return true })

			w, g := a, b
			for i := range acc.s {
				acc.s[i] = float32(i % 3)
			}
			w2, acc2 := append([]float32{}, w.s...), append([]float32{}, acc.s...)
			adagradGeneric(w2, acc2, g.s, 0.01, 0.001)
			run(t, "adagradUpdate "+what, func() { adagradUpdate(w.s, acc.s, g.s, 0.01, 0.001) }, w, acc, g)
			for i := range w2 {
				if !(math.Abs(float64(w.s[i]-w2[i])) <= kernelTol) || !(math.Abs(float64(acc.s[i]-acc2[i])) <= kernelTol*(1+float64(acc2[i]))) {
					t.Fatalf("adagradUpdate %s: i=%d w %v/%v acc %v/%v", what, i, w.s[i], w2[i], acc.s[i], acc2[i])
				}
			}
			w.check(t, "adagradUpdate "+what, func(int) bool { return true })
			acc.check(t, "adagradUpdate "+what, func(int) bool { return true })
			g.check(t, "adagradUpdate "+what, nil)

			for i := range x.s {
				x.s[i] = -100 + 125*float32(rnd.Float64())
			}
			x0 := append([]float32{}, x.s...)
			const mx = 3
			var sum float64
			run(t, "expSub32 "+what, func() { sum = expSub32(x.s, mx) }, x)
			want = 0
			for i, v := range x0 {
				e := math.Exp(float64(v - mx))
				want += e
				if v-mx < -87 {
					if !(x.s[i] <= 2e-38) {
						t.Fatalf("expSub32 %s: exp(%v) = %v, want about 0", what, v-mx, x.s[i])
					}
				} else if !(math.Abs(float64(x.s[i])-e) <= expTol*e) {
					t.Fatalf("expSub32 %s: exp(%v) = %v, want %v", what, v-mx, x.s[i], e)
				}
			}
			if !(math.Abs(sum-want) <= expTol*want+1e-30) {
				t.Fatalf("expSub32 %s: sum %v, want %v", what, sum, want)
			}
			x.check(t, "expSub32 "+what, func(int) bool { return true })

			for i := range x.s {
				x.s[i] = -12 + 24*float32(rnd.Float64())
			}
			x0 = append(x0[:0], x.s...)
			run(t, "tanh32 "+what, func() { tanh32(x.s) }, x)
			for i, v := range x0 {
				if w := math.Tanh(float64(v)); !(math.Abs(float64(x.s[i])-w) <= tanhTol) {
					t.Fatalf("tanh32 %s: tanh(%v) = %v, want %v", what, v, x.s[i], w)
				}
			}
			x.check(t, "tanh32 "+what, func(int) bool { return true })
			release(a, b, acc, x)
		}
	}
}

// guardMN and guardK are the dimensions the product kernels run with:
// around the 3×4 and 6×16 blocks, the 8-float vectors and the k chunks.
var (
	guardMN = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17, 33}
	guardK  = []int{0, 1, 3, 4, 7, 8, 9, 16, 17, 31, 33, 256, 257, 513}
)

// guardMat is an operand matrix of rows×cols in a region.
type guardMat struct {
	*region
	rows, cols int
}

func newGuardMat(t *testing.T, rnd *rand.Rand, name string, rows, cols int, p placement) guardMat {
	m := guardMat{newRegion(t, name, rows*cols, p), rows, cols}
	m.fill(rnd)
	return m
}

// at returns element (i, j), or (j, i) of the stored matrix if trans.
func (m guardMat) at(i, j int, trans bool) float64 {
	if trans {
		i, j = j, i
	}
	return float64(m.s[i*m.cols+j])
}

// nanOutside sets the elements of rows (or columns, if cols) outside
// [lo, hi) to sentinels: a kernel asked for a block must not read them.
func (m guardMat) nanOutside(lo, hi int, cols bool) {
	for i := range m.s {
		r := i / m.cols
		if cols {
			r = i % m.cols
		}
		if r < lo || r >= hi {
			m.s[i] = sentinel(i)
		}
	}
}

// wantProduct returns beta C + op(A) op(B) over block [i0,i1)×[j0,j1) of
// the m×n C, and the sums of absolute values for the tolerance.
func wantProduct(a, b, c guardMat, transA, transB bool, i0, i1, j0, j1, k int, beta float32) (want, scale []float64) {
	n := c.cols
	want, scale = make([]float64, len(c.s)), make([]float64, len(c.s))
	for i := i0; i < i1; i++ {
		for j := j0; j < j1; j++ {
			var v, s float64
			if beta != 0 {
				v = float64(beta) * float64(c.s[i*n+j])
				s = math.Abs(v)
			}
			for t := 0; t < k; t++ {
				p := a.at(i, t, transA) * b.at(t, j, transB)
				v += p
				s += math.Abs(p)
			}
			want[i*n+j], scale[i*n+j] = v, s
		}
	}
	return want, scale
}

// checkProduct compares block [i0,i1)×[j0,j1) of C with want and checks
// that nothing else in any region changed.
func checkProduct(t *testing.T, what string, a, b, c guardMat, i0, i1, j0, j1 int, want, scale []float64) {
	n := c.cols
	in := func(i int) bool { r, q := i/n, i%n; return r >= i0 && r < i1 && q >= j0 && q < j1 }
	for i, v := range c.s {
		if in(i) && !(math.Abs(float64(v)-want[i]) <= kernelTol*(1+scale[i])) {
			t.Fatalf("%s: C[%d][%d] = %v, want %v", what, i/n, i%n, v, want[i])
		}
	}
	a.check(t, what, nil)
	b.check(t, what, nil)
	c.check(t, what, in)
}

// productBlocks returns the whole m×n block and, where there is room, one
// inside it that touches no edge.
func productBlocks(m, n int) [][4]int {
	bs := [][4]int{{0, m, 0, n}}
	if m > 2 && n > 3 {
		bs = append(bs, [4]int{1, m - 1, 1, n - 2})
	}
	return bs
}

// TestKernelGuardsProduct runs gemmNT32 and gemmNN32 (what the workers
// run) on whole matrices and on blocks, with the rows of A and B outside
// the block and C (where beta = 0) set to sentinels; and gemmNT and
// mm.gemm, with 1 and 2 workers, in every transposition.
func TestKernelGuardsProduct(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 5))
	cases := 0
	for _, p := range placements {
		for _, m := range guardMN {
			for _, n := range guardMN {
				for _, k := range guardK {
					if m*n*k > 20000 || (p != onHeap && m*n*k > 2000) {
						continue
					}
					for _, beta := range []float32{0, 1, 0.5} {
						what := fmt.Sprintf("%v m=%d n=%d k=%d beta=%v", p, m, n, k, beta)
						for _, blk := range productBlocks(m, n) {
							if k > 0 {
								guardNT32(t, rnd, what, p, m, n, k, blk, beta)
								if beta != 0.5 {
									guardNN32(t, rnd, what, p, m, n, k, blk, beta, cases%2 == 0)
								}
							}
						}
						// each transposition with 1 and 2 workers in turn
						tr := cases % 8
						guardGemm(t, rnd, what, p, m, n, k, tr&1 != 0, tr&2 != 0, 1+tr/4, beta)
						cases++
					}
				}
			}
		}
	}
	// big enough for the workers to split the product
	guardGemm(t, rnd, "parallel", onHeap, 48, 97, 17, false, true, 2, 1)
	guardGemm(t, rnd, "parallel", onHeap, 97, 48, 17, true, false, 2, 0)
	guardGemm(t, rnd, "parallel", onHeap, 48, 97, 17, false, false, 2, 1)
	guardGemm(t, rnd, "parallel", onHeap, 97, 48, 17, true, true, 2, 0)
}

func guardNT32(t *testing.T, rnd *rand.Rand, what string, p placement, m, n, k int, blk [4]int, beta float32) {
	i0, i1, j0, j1 := blk[0], blk[1], blk[2], blk[3]
	what = fmt.Sprintf("gemmNT32 %s block [%d,%d)×[%d,%d)", what, i0, i1, j0, j1)
	a, b, c := newGuardMat(t, rnd, "A", m, k, p), newGuardMat(t, rnd, "B", n, k, p), newGuardMat(t, rnd, "C", m, n, p)
	defer release(a.region, b.region, c.region)
	a.nanOutside(i0, i1, false)
	b.nanOutside(j0, j1, false)
	if beta == 0 {
		c.nanOutside(m, m, false)
	}
	want, scale := wantProduct(a, b, c, false, true, i0, i1, j0, j1, k, beta)
	run(t, what, func() { gemmNT32(i0, i1, j0, j1, n, k, a.s, b.s, c.s, beta) }, a.region, b.region, c.region)
	checkProduct(t, what, a, b, c, i0, i1, j0, j1, want, scale)
}

func guardNN32(t *testing.T, rnd *rand.Rand, what string, p placement, m, n, k int, blk [4]int, beta float32, transA bool) {
	i0, i1, j0, j1 := blk[0], blk[1], blk[2], blk[3]
	what = fmt.Sprintf("gemmNN32 transA=%v %s block [%d,%d)×[%d,%d)", transA, what, i0, i1, j0, j1)
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	a, b, c := newGuardMat(t, rnd, "A", ar, ac, p), newGuardMat(t, rnd, "B", k, n, p), newGuardMat(t, rnd, "C", m, n, p)
	defer release(a.region, b.region, c.region)
	a.nanOutside(i0, i1, transA)
	b.nanOutside(j0, j1, true)
	if beta == 0 {
		c.nanOutside(m, m, false)
	}
	want, scale := wantProduct(a, b, c, transA, false, i0, i1, j0, j1, k, beta)
	ran := false
	run(t, what, func() { ran = gemmNN32(transA, i0, i1, j0, j1, m, n, k, a.s, b.s, c.s, beta) }, a.region, b.region, c.region)
	if !ran {
		if hasFMA {
			t.Fatalf("%s: the kernel did not run", what)
		}
		i1, j1 = i0, j0 // nothing may change
	}
	checkProduct(t, what, a, b, c, i0, i1, j0, j1, want, scale)
}

func guardGemm(t *testing.T, rnd *rand.Rand, what string, p placement, m, n, k int, transA, transB bool, workers int, beta float32) {
	what = fmt.Sprintf("gemm transA=%v transB=%v workers=%d %s", transA, transB, workers, what)
	ar, ac, br, bc := m, k, k, n
	if transA {
		ar, ac = k, m
	}
	if transB {
		br, bc = n, k
	}
	a, b, c := newGuardMat(t, rnd, "A", ar, ac, p), newGuardMat(t, rnd, "B", br, bc, p), newGuardMat(t, rnd, "C", m, n, p)
	defer release(a.region, b.region, c.region)
	// With k = 0, gemmNT scales C by beta, so C must hold numbers.
	if beta == 0 && k > 0 {
		c.nanOutside(m, m, false)
	}
	want, scale := wantProduct(a, b, c, transA, transB, 0, m, 0, n, k, beta)
	if !transA && transB {
		run(t, "gemmNT "+what, func() { gemmNT(workers, m, n, k, a.s, b.s, c.s, beta) }, a.region, b.region, c.region)
		checkProduct(t, "gemmNT "+what, a, b, c, 0, m, 0, n, want, scale)
		c.fill(rnd)
		if beta == 0 && k > 0 {
			c.nanOutside(m, m, false)
		}
		want, scale = wantProduct(a, b, c, transA, transB, 0, m, 0, n, k, beta)
	}
	s := mm[float32]{workers: workers}
	run(t, what, func() { s.gemm(transA, transB, m, n, k, a.s, b.s, c.s, beta) }, a.region, b.region, c.region)
	checkProduct(t, what, a, b, c, 0, m, 0, n, want, scale)
}
