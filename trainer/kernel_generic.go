package trainer

// gemmNT32Generic computes C[i0:i1][j0:j1] = beta C + A Bᵀ in float32 (see
// gemmNT). This is the plain-Go version; kernel_amd64.go has a faster one.
func gemmNT32Generic(i0, i1, j0, j1, n, k int, a, b, c []float32, beta float32) {
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
