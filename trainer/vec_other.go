//go:build !amd64 || !gc || purego

package trainer

import "github.com/hashtag-rec/hashtag/internal/num"

func dot32(a, b []float32) float32                      { return num.Dot(a, b) }
func axpy32(alpha float32, x, y []float32)              { num.Axpy(alpha, x, y) }
func adagradUpdate(w, acc, g []float32, lr, l2 float32) { adagradGeneric(w, acc, g, lr, l2) }
