package trainer

import (
	"sync"

	"github.com/hashtag-rec/hashtag/internal/num"
	"github.com/hashtag-rec/hashtag/model"
)

// The dense products of the trainer all reduce to one kernel, gemmNT:
// C (m×n) = A (m×k) · Bᵀ where B is n×k, both row-major with contiguous
// rows, so that every element of C is one dot product of two contiguous
// rows. Other transposition cases copy an operand into its transpose first
// (gemm). Every element of C is computed by one goroutine in a fixed order,
// so results do not depend on scheduling.

// dotF returns a·b.
func dotF[F model.Float](a, b []F) F {
	if a32, ok := any(a).([]float32); ok {
		return F(dot32(a32, any(b).([]float32)))
	}
	return num.Dot(a, b)
}

// axpyF sets y += alpha x.
func axpyF[F model.Float](alpha F, x, y []F) {
	if x32, ok := any(x).([]float32); ok {
		axpy32(float32(alpha), x32, any(y).([]float32))
		return
	}
	num.Axpy(alpha, x, y)
}

// gemmNTBlock computes C[i0:i1][j0:j1] = beta C + A Bᵀ for one block. It
// uses the fast float32 kernel where there is one.
func gemmNTBlock[F model.Float](i0, i1, j0, j1, n, k int, a, b, c []F, beta F) {
	if af, ok := any(a).([]float32); ok {
		gemmNT32(i0, i1, j0, j1, n, k, af, any(b).([]float32), any(c).([]float32), float32(beta))
		return
	}
	for i := i0; i < i1; i++ {
		ai := a[i*k : (i+1)*k]
		for j := j0; j < j1; j++ {
			v := dotF(ai, b[j*k:(j+1)*k])
			if beta != 0 {
				v += beta * c[i*n+j]
			}
			c[i*n+j] = v
		}
	}
}

// parallelMin is the smallest product (m·n·k) worth splitting over
// goroutines.
const parallelMin = 1 << 16

// gemmNT sets C = beta C + A Bᵀ, A m×k, B n×k, C m×n, using up to workers
// goroutines (split over the longer of the two output dimensions).
func gemmNT[F model.Float](workers, m, n, k int, a, b, c []F, beta F) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		for i := range c[:m*n] {
			c[i] *= beta
		}
		return
	}
	if workers <= 1 || m*n*k < parallelMin {
		gemmNTBlock(0, m, 0, n, n, k, a, b, c, beta)
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			if n >= m {
				gemmNTBlock(0, m, w*n/workers, (w+1)*n/workers, n, k, a, b, c, beta)
			} else {
				gemmNTBlock(w*m/workers, (w+1)*m/workers, 0, n, n, k, a, b, c, beta)
			}
		}(w)
	}
	wg.Wait()
}

// transpose writes the transpose of a (rows×cols) into dst (cols×rows) and
// returns dst, grown as needed. Large matrices are split over workers.
func transpose[F model.Float](dst, a []F, rows, cols, workers int) []F {
	dst = growF(dst, rows*cols)
	if workers <= 1 || rows*cols < parallelMin || rows < 2*workers {
		transposeRows(dst, a, 0, rows, rows, cols)
		return dst
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			transposeRows(dst, a, w*rows/workers, (w+1)*rows/workers, rows, cols)
		}(w)
	}
	wg.Wait()
	return dst
}

// transposeRows transposes rows r0..r1 of a into dst, in 16×16 tiles.
func transposeRows[F model.Float](dst, a []F, r0, r1, rows, cols int) {
	const blk = 16
	for i0 := r0; i0 < r1; i0 += blk {
		i1 := min(i0+blk, r1)
		for j0 := 0; j0 < cols; j0 += blk {
			j1 := min(j0+blk, cols)
			for i := i0; i < i1; i++ {
				src := a[i*cols+j0 : i*cols+j1]
				for j, v := range src {
					dst[(j0+j)*rows+i] = v
				}
			}
		}
	}
}

func growF[F model.Float](b []F, n int) []F {
	if cap(b) < n {
		return make([]F, n, n+n/4)
	}
	return b[:n]
}

func growI(b []int32, n int) []int32 {
	if cap(b) < n {
		return make([]int32, n, n+n/4)
	}
	return b[:n]
}

// mm holds transposition scratch for gemm.
type mm[F model.Float] struct {
	workers int
	ta, tb  []F
}

// gemm sets C = beta C + op(A) op(B) with op(A) m×k and op(B) k×n, where
// op(X) is X or Xᵀ as transA, transB say, all row-major.
func (s *mm[F]) gemm(transA, transB bool, m, n, k int, a, b, c []F, beta F) {
	if !transB && m > 0 && n > 0 && k > 0 {
		if a32, ok := any(a).([]float32); ok && s.gemmNN(transA, m, n, k, a32, any(b).([]float32), any(c).([]float32), float32(beta)) {
			return
		}
	}
	if transA {
		s.ta = transpose(s.ta, a[:k*m], k, m, s.workers)
		a = s.ta
	}
	if !transB {
		s.tb = transpose(s.tb, b[:k*n], k, n, s.workers)
		b = s.tb
	}
	gemmNT(s.workers, m, n, k, a, b, c, beta)
}

// gemmNN runs gemmNN32 (no transposition needed) over the workers, split
// along the longer output dimension. It reports false if the kernel cannot
// run.
func (s *mm[F]) gemmNN(transA bool, m, n, k int, a, b, c []float32, beta float32) bool {
	if !gemmNN32(transA, 0, 0, 0, 0, m, n, k, a, b, c, beta) {
		return false
	}
	if s.workers <= 1 || m*n*k < parallelMin {
		gemmNN32(transA, 0, m, 0, n, m, n, k, a, b, c, beta)
		return true
	}
	var wg sync.WaitGroup
	for w := 0; w < s.workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			if n >= m {
				// keep 16-column blocks whole
				blocks := (n + 15) / 16
				lo, hi := min(n, 16*(w*blocks/s.workers)), min(n, 16*((w+1)*blocks/s.workers))
				gemmNN32(transA, 0, m, lo, hi, m, n, k, a, b, c, beta)
			} else {
				gemmNN32(transA, w*m/s.workers, (w+1)*m/s.workers, 0, n, m, n, k, a, b, c, beta)
			}
		}(w)
	}
	wg.Wait()
	return true
}
