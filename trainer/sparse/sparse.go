// Package sparse holds the gradient of an embedding matrix as the set of
// rows a batch touched, the form both the memory-network trainer and the
// CNN-Attention baseline accumulate and apply.
package sparse

import "github.com/hashtag-rec/hashtag/model"

// Rows accumulates rows of a V×D gradient; only rows touched are stored.
// The zero value is not ready: use New.
type Rows[F model.Float] struct {
	D    int
	slot []int32 // row id -> index in IDs, or -1
	// IDs are the touched rows in first-touch order; Data holds their
	// gradients, row k (for IDs[k]) at Data[k*D : (k+1)*D].
	IDs  []int32
	Data []F
}

// New returns an empty gradient of v rows of d values.
func New[F model.Float](v, d int) *Rows[F] {
	s := &Rows[F]{D: d, slot: make([]int32, v)}
	for i := range s.slot {
		s.slot[i] = -1
	}
	return s
}

// Row returns the gradient row of id w, zeroed on first use.
func (s *Rows[F]) Row(w int32) []F {
	k := s.slot[w]
	if k < 0 {
		k = int32(len(s.IDs))
		s.slot[w] = k
		s.IDs = append(s.IDs, w)
		n := len(s.Data)
		if cap(s.Data) < n+s.D {
			nd := make([]F, n, 2*(n+s.D))
			copy(nd, s.Data)
			s.Data = nd
		}
		s.Data = s.Data[:n+s.D]
		clear(s.Data[n:])
	}
	return s.Data[int(k)*s.D : int(k+1)*s.D]
}

// Reset empties s, keeping its memory.
func (s *Rows[F]) Reset() {
	for _, r := range s.IDs {
		s.slot[r] = -1
	}
	s.IDs = s.IDs[:0]
	s.Data = s.Data[:0]
}

// Merge adds o into s with axpy (y += a x), in o's row order, so that the
// sum is deterministic; the caller chooses the kernel, whose rounding
// decides the result's last bits.
func (s *Rows[F]) Merge(o *Rows[F], axpy func(a F, x, y []F)) {
	for k, r := range o.IDs {
		axpy(1, o.Data[k*s.D:(k+1)*s.D], s.Row(r))
	}
}
