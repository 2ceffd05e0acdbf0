//go:build amd64 && gc && !purego

package trainer

import (
	"sync"

	"golang.org/x/sys/cpu"
)

// hasFMA reports whether the AVX2+FMA kernels may run: the CPU has AVX,
// AVX2 and FMA and the OS saves the YMM registers (x/sys/cpu checks the
// OSXSAVE bit and XGETBV for HasAVX and HasAVX2). Tests set it to false to
// run the plain-Go fallbacks.
var hasFMA = cpu.X86.HasAVX && cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kern3x4 sets C[i*ldc+j] = Σ_{t<k} a[i*lda+t]·b[j*ldb+t] for i < 3,
// j < 4, or adds the sum to C[i*ldc+j] if acc != 0. k must be a multiple
// of 4.
//
//go:noescape
func kern3x4(a *float32, lda int, b *float32, ldb int, k int, c *float32, ldc int, acc int)

// kc is the chunk of k over which gemmNT32 keeps rows in cache.
const kc = 512

type pads struct {
	a [3 * kc]float32
	b [4 * kc]float32
	c [12]float32
}

var padPool = sync.Pool{New: func() any { return new(pads) }}

// gemmNT32 computes C[i0:i1][j0:j1] = beta C + A Bᵀ (see gemmNT) with the
// AVX2+FMA kernel on 3×4 blocks, in chunks of kc along k so that the rows
// in use stay in cache. The sum order is fixed, so results are
// reproducible.
func gemmNT32(i0, i1, j0, j1, n, k int, a, b, c []float32, beta float32) {
	if !hasFMA || k%4 != 0 {
		gemmNT32Generic(i0, i1, j0, j1, n, k, a, b, c, beta)
		return
	}
	if beta != 0 && beta != 1 {
		for i := i0; i < i1; i++ {
			for j := j0; j < j1; j++ {
				c[i*n+j] *= beta
			}
		}
		beta = 1
	}
	// Edge blocks (fewer than 3 rows of A or 4 of B) run the kernel on
	// zero-padded copies, into a 3×4 scratch block.
	pad := padPool.Get().(*pads)
	defer padPool.Put(pad)
	padA, padB, padC := &pad.a, &pad.b, &pad.c
	for k0 := 0; k0 < k; k0 += kc {
		k1 := min(k0+kc, k)
		kl := k1 - k0
		acc := 0
		if k0 > 0 || beta != 0 {
			acc = 1
		}
		block := func(i, j, ni, nj int) {
			ap, lda, bp, ldb := &a[i*k+k0], k, &b[j*k+k0], k
			if ni < 3 {
				clear(padA[:])
				for ii := 0; ii < ni; ii++ {
					copy(padA[ii*kc:ii*kc+kl], a[(i+ii)*k+k0:(i+ii)*k+k1])
				}
				ap, lda = &padA[0], kc
			}
			if nj < 4 {
				clear(padB[:])
				for jj := 0; jj < nj; jj++ {
					copy(padB[jj*kc:jj*kc+kl], b[(j+jj)*k+k0:(j+jj)*k+k1])
				}
				bp, ldb = &padB[0], kc
			}
			if ni == 3 && nj == 4 {
				kern3x4(ap, lda, bp, ldb, kl, &c[i*n+j], n, acc)
				return
			}
			kern3x4(ap, lda, bp, ldb, kl, &padC[0], 4, 0)
			for ii := 0; ii < ni; ii++ {
				for jj := 0; jj < nj; jj++ {
					if acc != 0 {
						c[(i+ii)*n+j+jj] += padC[ii*4+jj]
					} else {
						c[(i+ii)*n+j+jj] = padC[ii*4+jj]
					}
				}
			}
		}
		// Keep the smaller operand's rows in the inner loop (in cache).
		if (i1-i0)*k <= (j1-j0)*k && j1-j0 > i1-i0 {
			for j := j0; j < j1; j += 4 {
				nj := min(4, j1-j)
				for i := i0; i < i1; i += 3 {
					block(i, j, min(3, i1-i), nj)
				}
			}
		} else {
			for i := i0; i < i1; i += 3 {
				ni := min(3, i1-i)
				for j := j0; j < j1; j += 4 {
					block(i, j, ni, min(4, j1-j))
				}
			}
		}
	}
}

// kern6x16 sets C[i*ldc+j] = Σ_{t<k} a[i*sai+t*sat]·b[t*ldb+j] for i < 6,
// j < 16 (or adds the sum if acc != 0). k must be at least 1.
//
//go:noescape
func kern6x16(a *float32, sai, sat int, b *float32, ldb int, k int, c *float32, ldc int, acc int)

// kn is the chunk of k over which gemmNN32 keeps a panel of B in cache.
const kn = 256

type padsNN struct {
	a [6 * kn]float32
	b [kn * 16]float32
	c [6 * 16]float32
}

var padNNPool = sync.Pool{New: func() any { return new(padsNN) }}

// gemmNN32 computes C[i0:i1][j0:j1] = beta C + op(A) B for op(A) m×k (A
// stored m×k, or k×m if transA) and B k×n, all row-major, with the
// AVX2+FMA kernel on 6×16 blocks, in chunks of kn along k. beta must be 0
// or 1. The sum order is fixed. It reports false (doing nothing) if the
// kernel cannot run.
func gemmNN32(transA bool, i0, i1, j0, j1, m, n, k int, a, b, c []float32, beta float32) bool {
	if !hasFMA || (beta != 0 && beta != 1) {
		return false
	}
	sai, sat := k, 1 // A[i][t] = a[i*sai + t*sat]
	if transA {
		sai, sat = 1, m
	}
	pad := padNNPool.Get().(*padsNN)
	defer padNNPool.Put(pad)
	for k0 := 0; k0 < k; k0 += kn {
		k1 := min(k0+kn, k)
		kl := k1 - k0
		acc := 0
		if k0 > 0 || beta != 0 {
			acc = 1
		}
		for j := j0; j < j1; j += 16 {
			nj := min(16, j1-j)
			bp, ldb := &b[k0*n+j], n
			if nj < 16 {
				clear(pad.b[:kl*16])
				for t := 0; t < kl; t++ {
					copy(pad.b[t*16:t*16+nj], b[(k0+t)*n+j:(k0+t)*n+j+nj])
				}
				bp, ldb = &pad.b[0], 16
			}
			for i := i0; i < i1; i += 6 {
				ni := min(6, i1-i)
				ap, si, st := &a[i*sai+k0*sat], sai, sat
				if ni < 6 {
					clear(pad.a[:])
					for ii := 0; ii < ni; ii++ {
						for t := 0; t < kl; t++ {
							pad.a[ii*kn+t] = a[(i+ii)*sai+(k0+t)*sat]
						}
					}
					ap, si, st = &pad.a[0], kn, 1
				}
				if ni == 6 && nj == 16 {
					kern6x16(ap, si, st, bp, ldb, kl, &c[i*n+j], n, acc)
					continue
				}
				kern6x16(ap, si, st, bp, ldb, kl, &pad.c[0], 16, 0)
				for ii := 0; ii < ni; ii++ {
					row := c[(i+ii)*n+j : (i+ii)*n+j+nj]
					for jj := range row {
						if acc != 0 {
							row[jj] += pad.c[ii*16+jj]
						} else {
							row[jj] = pad.c[ii*16+jj]
						}
					}
				}
			}
		}
	}
	return true
}
