//go:build amd64 && gc && !purego

package trainer

//go:noescape
func dotAVX(a, b *float32, n int) float32

//go:noescape
func axpyAVX(alpha float32, x, y *float32, n int)

//go:noescape
func adagradAVX(w, acc, grad *float32, n int, lr, l2, eps float32)

// dot32 returns a·b over len(a) elements.
func dot32(a, b []float32) float32 {
	b = b[:len(a)]
	n := len(a) &^ 7
	var s float32
	if hasFMA && n > 0 {
		s = dotAVX(&a[0], &b[0], n)
	} else {
		n = 0
	}
	for i := n; i < len(a); i++ {
		s += a[i] * b[i]
	}
	return s
}

// axpy32 sets y += alpha x.
func axpy32(alpha float32, x, y []float32) {
	y = y[:len(x)]
	n := len(x) &^ 7
	if hasFMA && n > 0 {
		axpyAVX(alpha, &x[0], &y[0], n)
	} else {
		n = 0
	}
	for i := n; i < len(x); i++ {
		y[i] += alpha * x[i]
	}
}

// adagradUpdate applies Adagrad to w with accumulators acc and gradient g
// (plus L2 weight decay l2·w).
func adagradUpdate(w, acc, g []float32, lr, l2 float32) {
	acc = acc[:len(w)]
	g = g[:len(w)]
	n := len(w) &^ 7
	if hasFMA && n > 0 {
		adagradAVX(&w[0], &acc[0], &g[0], n, lr, l2, adagradEps)
	} else {
		n = 0
	}
	adagradGeneric(w[n:], acc[n:], g[n:], lr, l2)
}
