package num

import (
	"math"
	"testing"
)

func TestSplitMix64(t *testing.T) {
	// The first outputs for seed 0 (Vigna's reference splitmix64.c).
	s := SplitMix64(0)
	for _, want := range []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f} {
		if got := s.Next(); got != want {
			t.Fatalf("Next = %#x, want %#x", got, want)
		}
	}
	if got, want := Mix(0), uint64(0xe220a8397b1dcdaf); got != want {
		t.Errorf("Mix(0) = %#x, want %#x", got, want)
	}
	s = 7
	for range 1000 {
		if f := s.Float64(); !(f >= 0 && f < 1) {
			t.Fatalf("Float64 = %v", f)
		}
	}
}

func TestSoftmax(t *testing.T) {
	x := []float32{1, 2, float32(math.Inf(-1)), 3}
	Softmax(x)
	if x[2] != 0 || !(x[3] > x[1] && x[1] > x[0]) {
		t.Errorf("softmax = %v", x)
	}
	if s := x[0] + x[1] + x[3]; math.Abs(float64(s)-1) > 1e-6 {
		t.Errorf("softmax sums to %v", s)
	}
	all := []float64{math.Inf(-1), math.Inf(-1)}
	Softmax(all)
	if all[0] != 0 || all[1] != 0 {
		t.Errorf("softmax of -Inf = %v, want zeros", all)
	}
	Softmax([]float32{})
}

func TestDotAxpy(t *testing.T) {
	a := []float64{1, 2, 3, 4, 5, 6, 7}
	b := []float64{7, 6, 5, 4, 3, 2, 1}
	if got := Dot(a, b); got != 84 {
		t.Errorf("Dot = %v, want 84", got)
	}
	y := make([]float64, len(a))
	Axpy(2, a, y)
	for i := range y {
		if y[i] != 2*a[i] {
			t.Fatalf("Axpy: y = %v", y)
		}
	}
}

func TestTopK(t *testing.T) {
	s := []float32{0.1, 0.5, 0.3, 0.5, 0.9, 0.0}
	got := TopK(s, 3, []int32{-7})
	want := []int32{-7, 4, 1, 3}
	if len(got) != len(want) {
		t.Fatalf("TopK = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("TopK = %v, want %v", got, want)
		}
	}
}
