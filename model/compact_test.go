package model

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/internal/binfile"
	"github.com/hashtag-rec/hashtag/internal/num"
)

// testModel returns a small random model with a readable vocabulary.
func compactTestModel(t testing.TB, v Variant, seed uint64) *Model {
	t.Helper()
	words := []string{"cat", "dog", "vote", "news", "music", "game", "#news", "#maga", "police", "trump", "rain", "sun"}
	tags := []string{"news", "maga", "music", "sports", "weather"}
	m, err := New(Config{Variant: v, Dim: 16, Hops: 2, Memory: 5, MaxWords: 52}, words, tags)
	if err != nil {
		t.Fatal(err)
	}
	m.Init(seed)
	return m
}

// Worst-case error of a symmetric quantiser with per-row scale is half a
// step; 4-bit clipping may trade a larger error on a few outliers.
const (
	int8RelTol = 0.5 / 127 * 1.0001 // of the row's largest magnitude
	int4MSETol = 0.02               // mean squared error relative to the row's mean square
	// int2MSETol bounds 2-bit error relative to the row's mean square: the
	// best 4-level quantiser of a Gaussian leaves 0.1175 (Max 1960).
	int2MSETol = 0.15
)

func TestCompactRoundTrip(t *testing.T) {
	for _, v := range Variants() {
		m := compactTestModel(t, v, 7)
		for _, o := range []CompactOptions{
			{QuantF32, QuantF32, QuantF32},
			{QuantInt8, QuantInt8, QuantInt8},
			{QuantInt4, QuantInt8, QuantInt8},
			{QuantInt4, QuantInt4, QuantInt4},
			{QuantInt2, QuantInt8, QuantInt2},
		} {
			b, err := m.MarshalCompact(o)
			if err != nil {
				t.Fatal(err)
			}
			got, err := UnmarshalCompact(b)
			if err != nil {
				t.Fatalf("%v %+v: %v", v, o, err)
			}
			if got.Config != m.Config || len(got.Words) != len(m.Words) || got.Tags[1] != "maga" {
				t.Fatalf("%v %+v: header changed: %v", v, o, got)
			}
			if !got.Packed() || got.A != nil {
				t.Fatalf("%v %+v: embeddings not kept packed", v, o)
			}
			want := m.Tensors()
			for i, gt := range got.Dequantize().Tensors() {
				wt := want[i]
				q := o.kind(wt)
				for r := 0; r < wt.Rows; r++ {
					x, y := wt.Data[r*wt.Cols:(r+1)*wt.Cols], gt.Data[r*wt.Cols:(r+1)*wt.Cols]
					var maxAbs, ms, se float64
					for j := range x {
						maxAbs = math.Max(maxAbs, math.Abs(float64(x[j])))
						ms += float64(x[j]) * float64(x[j])
						d := float64(x[j] - y[j])
						se += d * d
						if q == QuantF32 && x[j] != y[j] {
							t.Fatalf("%s: f32 changed %v to %v", wt.Name, x[j], y[j])
						}
						if q == QuantInt8 && math.Abs(d) > int8RelTol*maxAbsOf(x) {
							t.Fatalf("%s row %d: int8 error %g > %g", wt.Name, r, d, int8RelTol*maxAbsOf(x))
						}
					}
					if q == QuantInt4 && ms > 0 && se/ms > int4MSETol*4 {
						t.Fatalf("%s row %d: int4 relative squared error %g", wt.Name, r, se/ms)
					}
					if q == QuantInt2 && wt.Cols >= 16 && ms > 0 && se/ms > int2MSETol*1.5 {
						t.Fatalf("%s row %d: int2 relative squared error %g", wt.Name, r, se/ms)
					}
				}
			}
		}
	}
}

func maxAbsOf(x []float32) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(float64(v)))
	}
	return m
}

// TestCompactSparseRows checks that zero rows are not stored and come back
// zero, while the other rows round-trip.
func TestCompactSparseRows(t *testing.T) {
	m := compactTestModel(t, HMemN2NTags, 9)
	o := CompactOptions{QuantInt4, QuantInt8, QuantInt8}
	full, _ := m.MarshalCompact(o)
	d := m.Dim
	for _, w := range []int{1, 3, 4, 10} {
		clear(m.A[w*d : (w+1)*d])
	}
	clear(m.B[5*d : 6*d])
	sparse, err := m.MarshalCompact(o)
	if err != nil {
		t.Fatal(err)
	}
	packed, err := UnmarshalCompact(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if n := packed.packed.a.codes; len(n) != (m.V-4)*QuantInt4.rowBytes(d) {
		t.Fatalf("A keeps %d bytes of codes, want %d rows of %d", len(n), m.V-4, QuantInt4.rowBytes(d))
	}
	got := packed.Dequantize()
	for w := 0; w < m.V; w++ {
		zeroA, zeroB := isZero(got.A[w*d:(w+1)*d]), isZero(got.B[w*d:(w+1)*d])
		if zeroA != isZero(m.A[w*d:(w+1)*d]) || zeroB != isZero(m.B[w*d:(w+1)*d]) {
			t.Fatalf("word %d: zero rows A %v B %v after the round trip", w, zeroA, zeroB)
		}
	}
	if len(sparse) >= len(full) {
		t.Fatalf("5 zero rows saved nothing: %d bytes, full %d", len(sparse), len(full))
	}
}

func isZero(x []float32) bool {
	for _, v := range x {
		if v != 0 {
			return false
		}
	}
	return true
}

// TestInt4Nibbles checks every code in both nibbles, odd and even lengths:
// each value is scale·code, rounded once, bit for bit.
func TestInt4Nibbles(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for _, n := range []int{1, 5, 30, 31} {
		codes := make([]int8, n)
		for i := range codes {
			codes[i] = int8(r.IntN(15) - 7)
		}
		raw := packRow(nil, QuantInt4, codes)
		for _, scale := range []float32{2, 0.0137, float32(r.Float64())} {
			out := make([]float32, n)
			unpackRow(QuantInt4, scale, raw, out)
			for i, c := range codes {
				if want := scale * float32(c); math.Float32bits(out[i]) != math.Float32bits(want) {
					t.Fatalf("nibble %d of %d at scale %v: got %v, want %v", i, n, scale, out[i], want)
				}
			}
		}
	}
}

func TestInt2Codes(t *testing.T) {
	codes := []int8{-2, -1, 0, 1, 1, -2}
	raw := packRow(nil, QuantInt2, codes)
	if len(raw) != 2 {
		t.Fatalf("6 codes packed in %d bytes, want 2", len(raw))
	}
	out := make([]float32, len(codes))
	unpackRow(QuantInt2, 2, raw, out)
	for i, c := range codes {
		if want := 2 * (float32(c) + 0.5); out[i] != want {
			t.Fatalf("code %d: got %v, want %v", i, out[i], want)
		}
	}
}

// TestInt2Gaussian checks the 2-bit quantiser against theory: on Gaussian
// rows its relative squared error must come near Lloyd-Max's 0.1175.
func TestInt2Gaussian(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float32, 300)
	codes := make([]int8, 300)
	var se, ms float64
	for row := 0; row < 200; row++ {
		for i := range x {
			x[i] = float32(0.1 * r.NormFloat64())
		}
		scale := quantizeRow(QuantInt2, x, codes)
		for i, v := range x {
			d := float64(v) - QuantInt2.value(codes[i], float64(scale))
			se += d * d
			ms += float64(v) * float64(v)
		}
	}
	if rel := se / ms; rel > 0.125 {
		t.Fatalf("2-bit relative squared error %.4f, want <= 0.125 (Lloyd-Max 0.1175)", rel)
	} else {
		t.Logf("2-bit relative squared error %.4f", rel)
	}
}

func TestCompactBadFiles(t *testing.T) {
	m := compactTestModel(t, HMemN2N, 1)
	b, err := m.MarshalCompact(CompactOptions{QuantInt8, QuantInt8, QuantInt8})
	if err != nil {
		t.Fatal(err)
	}
	f32, _ := m.MarshalBinary()
	newer := append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(newer[8:], CompactVersion+1)
	flipped := append([]byte(nil), b...)
	flipped[len(flipped)/2] ^= 1
	for _, c := range []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"magic only", b[:5], ErrTruncated},
		{"truncated", b[:len(b)-10], ErrChecksum},
		{"flipped bit", flipped, ErrChecksum},
		{"foreign", []byte("<!DOCTYPE html><html>not a model</html>"), ErrForeign},
		{"float32 model", f32, ErrForeign},
		{"newer", newer, ErrVersion},
	} {
		_, err := UnmarshalCompact(c.b)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
}

func FuzzUnmarshalCompact(f *testing.F) {
	m := compactTestModel(f, HMemN2NTags, 3)
	b, _ := m.MarshalCompact(CompactOptions{QuantInt4, QuantInt8, QuantInt8})
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 12 {
			// Fix the checksum so the fuzzer reaches the decoder too.
			c := append([]byte(nil), b...)
			fixCRC(c)
			UnmarshalCompact(c)
		}
		UnmarshalCompact(b)
	})
}

func fixCRC(b []byte) {
	binary.LittleEndian.PutUint32(b[len(b)-4:], binfile.Checksum(b[:len(b)-4]))
}

func TestTopKAgainstSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 5, 7, 64, 1000, 2748} {
		for _, k := range []int{0, 1, 3, 5, 10} {
			scores := make([]float32, n)
			for i := range scores {
				scores[i] = float32(r.IntN(50)) // many ties
			}
			idx := make([]int32, n)
			for i := range idx {
				idx[i] = int32(i)
			}
			sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
			want := idx[:min(k, n)]
			got := num.TopK(scores, k, make([]int32, 0, k))
			if len(got) != len(want) {
				t.Fatalf("n=%d k=%d: %d results, want %d", n, k, len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("n=%d k=%d: got %v, want %v", n, k, got, want)
				}
			}
		}
	}
}

func TestTopKAllocs(t *testing.T) {
	scores := make([]float32, 2748)
	for i := range scores {
		scores[i] = float32(i % 97)
	}
	dst := make([]int32, 0, 5)
	if a := testing.AllocsPerRun(100, func() { dst = num.TopK(scores, 5, dst[:0]) }); a != 0 {
		t.Fatalf("TopK allocates %v times per call", a)
	}
}

func TestRecommendWhy(t *testing.T) {
	c := compactTestModel(t, HMemN2NTags, 5)
	s, why := c.Recommend("the dog and the cat in the rain #x", []string{"police news #news", "", "music game #maga #music"}, 3)
	if len(s) != 3 {
		t.Fatalf("%d suggestions, want 3", len(s))
	}
	var sum float32
	for i, x := range s {
		if x.Score <= 0 || x.Score > 1 || (i > 0 && x.Score > s[i-1].Score) {
			t.Fatalf("scores not probabilities in order: %+v", s)
		}
		sum += x.Score
	}
	if len(why.Posts) != 3 || len(why.Words) != 3 {
		t.Fatalf("why has %d posts, %d word lists; want 3 each", len(why.Posts), len(why.Words))
	}
	if why.Words[0][len(why.Words[0])-1].Word != "#news" || len(why.Words[1]) != 0 {
		t.Fatalf("memory words %+v", why.Words)
	}
	if why.Posts[1] != 0 {
		t.Fatalf("an empty history post got weight %v", why.Posts[1])
	}
}

func TestLoadEitherFormat(t *testing.T) {
	m := compactTestModel(t, HMemN2N, 2)
	dir := t.TempDir()
	f32, _ := m.MarshalBinary()
	cmp, _ := m.MarshalCompact(CompactOptions{QuantInt8, QuantInt8, QuantInt8})
	for name, b := range map[string][]byte{"f32": f32, "compact": cmp, "junk": []byte("hello")} {
		p := dir + "/" + name
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := Load(p)
		if name == "junk" {
			if !errors.Is(err, ErrForeign) || !strings.Contains(err.Error(), p) {
				t.Fatalf("junk: error %v, want ErrForeign naming the file", err)
			}
			continue
		}
		if err != nil || got.Words[1] != m.Words[1] || got.Config != m.Config {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

// TestPackedMarshal writes a packed model back out: as float32 (its
// embeddings dequantised) and compact again.
func TestPackedMarshal(t *testing.T) {
	m := compactTestModel(t, HMemN2NTags, 4)
	cmp, _ := m.MarshalCompact(CompactOptions{QuantInt4, QuantInt8, QuantInt8})
	packed, err := UnmarshalCompact(cmp)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := packed.Dequantize().MarshalBinary()
	f32, err := packed.MarshalBinary()
	if err != nil || !bytes.Equal(f32, want) {
		t.Fatalf("float32 file of the packed model differs from the dequantised model's (%v)", err)
	}
	back, err := Unmarshal(f32)
	if err != nil || back.Packed() || len(back.C) != m.V*m.Dim {
		t.Fatalf("float32 file read back: %v", err)
	}
	again, err := packed.MarshalCompact(CompactOptions{QuantInt8, QuantInt8, QuantInt8})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := UnmarshalCompact(again); err != nil {
		t.Fatal(err)
	}
}
