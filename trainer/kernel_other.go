//go:build !amd64 || !gc || purego

package trainer

// gemmNT32 computes C[i0:i1][j0:j1] = beta C + A Bᵀ in float32 (see
// gemmNT) with plain Go loops.
func gemmNT32(i0, i1, j0, j1, n, k int, a, b, c []float32, beta float32) {
	gemmNT32Generic(i0, i1, j0, j1, n, k, a, b, c, beta)
}

func gemmNN32(transA bool, i0, i1, j0, j1, m, n, k int, a, b, c []float32, beta float32) bool {
	return false
}

// hasFMA is false: the assembly kernels are built only for amd64 with the
// gc toolchain and without the purego tag.
var hasFMA = false
