//go:build !amd64

package trainer

func dot32(a, b []float32) float32                      { return dotGeneric(a, b) }
func axpy32(alpha float32, x, y []float32)              { axpyGeneric(alpha, x, y) }
func adagradUpdate(w, acc, g []float32, lr, l2 float32) { adagradGeneric(w, acc, g, lr, l2) }
