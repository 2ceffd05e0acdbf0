package sparse

import (
	"slices"
	"testing"

	"github.com/hashtag-rec/hashtag/internal/num"
)

// TestRows checks first-touch order, zeroed rows after Reset and Merge's
// sum against a dense reference.
func TestRows(t *testing.T) {
	const v, d = 10, 3
	a, b := New[float64](v, d), New[float64](v, d)
	dense := make([]float64, v*d)
	add := func(s *Rows[float64], w int32, x float64) {
		for i, r := 0, s.Row(w); i < d; i++ {
			r[i] += x + float64(i)
			dense[int(w)*d+i] += x + float64(i)
		}
	}
	add(a, 7, 1)
	add(a, 2, 2)
	add(a, 7, 3)
	add(b, 5, 4)
	add(b, 2, 5)
	if !slices.Equal(a.IDs, []int32{7, 2}) {
		t.Fatalf("IDs %v, want first-touch order [7 2]", a.IDs)
	}
	a.Merge(b, num.Axpy[float64])
	if !slices.Equal(a.IDs, []int32{7, 2, 5}) {
		t.Fatalf("IDs after Merge %v, want [7 2 5]", a.IDs)
	}
	for k, w := range a.IDs {
		if got, want := a.Data[k*d:(k+1)*d], dense[int(w)*d:int(w+1)*d]; !slices.Equal(got, want) {
			t.Errorf("row %d: %v, want %v", w, got, want)
		}
	}
	a.Reset()
	if len(a.IDs) != 0 || len(a.Data) != 0 {
		t.Fatalf("Reset left %d rows", len(a.IDs))
	}
	if r := a.Row(7); !slices.Equal(r, make([]float64, d)) {
		t.Errorf("row 7 after Reset: %v, want zeros", r)
	}
}
