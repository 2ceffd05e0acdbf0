//go:build !amd64 || !gc || purego

package trainer

import "github.com/hashtag-rec/hashtag/model"

func dot32(a, b []float32) float32                      { return model.Dot(a, b) }
func axpy32(alpha float32, x, y []float32)              { model.Axpy(alpha, x, y) }
func adagradUpdate(w, acc, g []float32, lr, l2 float32) { adagradGeneric(w, acc, g, lr, l2) }
