package conformance

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"github.com/hashtag-rec/hashtag/model"
)

// samePass runs the packed model on inP and its dequantised twin on inF
// and reports how their results differ (sameResult), or a Forward error.
func samePass(packed, f32 *model.Model, inP, inF model.Input, sp, sf *model.Scratch) error {
	rp, err := packed.Forward(inP, sp)
	if err != nil {
		return fmt.Errorf("packed: %w", err)
	}
	rf, err := f32.Forward(inF, sf)
	if err != nil {
		return fmt.Errorf("dequantised: %w", err)
	}
	return sameResult(rf, rp)
}

// sameResult reports the first float of b whose bits differ from a's (so
// even the sign of a zero counts), in the hidden vector, the scores or the
// attention weights.
func sameResult(a, b model.Result) error {
	eq := func(what string, x, y []float32) error {
		if len(x) != len(y) {
			return fmt.Errorf("%s: %d floats, want %d", what, len(y), len(x))
		}
		for i := range x {
			if math.Float32bits(x[i]) != math.Float32bits(y[i]) {
				return fmt.Errorf("%s[%d] = %v, want %v", what, i, y[i], x[i])
			}
		}
		return nil
	}
	if err := eq("hidden", a.Hidden, b.Hidden); err != nil {
		return err
	}
	if err := eq("scores", a.Scores, b.Scores); err != nil {
		return err
	}
	if err := eq("post attention", a.SentAttn, b.SentAttn); err != nil {
		return err
	}
	if len(a.WordAttn) != len(b.WordAttn) {
		return fmt.Errorf("word attention of %d posts, want %d", len(b.WordAttn), len(a.WordAttn))
	}
	for i := range a.WordAttn {
		if err := eq(fmt.Sprintf("word attention of post %d", i), a.WordAttn[i], b.WordAttn[i]); err != nil {
			return err
		}
	}
	return nil
}

// TestPackedFixtureExact runs the shipped model on every fixture post with
// its embeddings packed (as the browser holds them) and fully dequantised
// to float32: hidden vector, scores and attention must be the same floats,
// bit for bit, and so the same top 5.
func TestPackedFixtureExact(t *testing.T) {
	b, err := os.ReadFile(modelPath)
	if err != nil {
		t.Skip(err)
	}
	fx, err := Read(fixturePath)
	if err != nil {
		t.Fatal(err)
	}
	packed, err := model.UnmarshalCompact(b)
	if err != nil {
		t.Fatal(err)
	}
	f32 := packed.Dequantize()
	if !packed.Packed() || f32.Packed() || len(f32.A) != f32.V*f32.Dim {
		t.Fatal("UnmarshalCompact did not keep the embeddings packed, or Dequantize did not decode them")
	}
	var sp, sf model.Scratch
	for i, cs := range fx.Cases {
		in := packed.Encode(cs.Post, cs.History)
		if err := samePass(packed, f32, in, f32.Encode(cs.Post, cs.History), &sp, &sf); err != nil {
			t.Fatalf("case %d: packed model differs from the dequantised one: %v", i, err)
		}
		if got, want := Tags(packed.Recommend(cs.Post, cs.History, 5)), Tags(f32.Recommend(cs.Post, cs.History, 5)); !equal(got, want) {
			t.Fatalf("case %d: top 5 %v, dequantised model gives %v", i, got, want)
		}
	}
}

// TestPackedExact compares packed and dequantised small models of every
// variant and storage kind, with zero (unstored) rows, on random inputs.
func TestPackedExact(t *testing.T) {
	words := []string{"cat", "dog", "vote", "news", "music", "game", "#news", "#maga", "police", "trump", "rain", "sun"}
	r := rand.New(rand.NewPCG(1, 2))
	for _, v := range []model.Variant{model.HMemN2N, model.MemN2N, model.HMemN2NTags} {
		m, err := model.New(model.Config{Variant: v, Dim: 13, Hops: 2, Memory: 4, MaxWords: 6}, words, []string{"a", "b", "c", "d", "e"})
		if err != nil {
			t.Fatal(err)
		}
		m.Init(3)
		d := m.Dim
		for _, w := range []int{1, 4, 7} {
			clear(m.A[w*d : (w+1)*d])
		}
		for _, w := range []int{0, 4, 9} {
			clear(m.B[w*d : (w+1)*d])
			clear(m.C[w*d : (w+1)*d])
		}
		for _, q := range []model.Quant{model.QuantF32, model.QuantInt8, model.QuantInt4, model.QuantInt2} {
			b, err := m.MarshalCompact(model.CompactOptions{Embeddings: q, Output: model.QuantInt8, Dense: model.QuantInt8})
			if err != nil {
				t.Fatal(err)
			}
			packed, err := model.UnmarshalCompact(b)
			if err != nil {
				t.Fatal(err)
			}
			f32 := packed.Dequantize()
			var sp, sf model.Scratch
			for n := 0; n < 50; n++ {
				in := model.Input{Words: ids(r, m.V, r.IntN(8))}
				for range r.IntN(6) {
					in.Memory = append(in.Memory, ids(r, m.V, r.IntN(10)))
				}
				if err := samePass(packed, f32, in, in, &sp, &sf); err != nil {
					t.Fatalf("%s, embeddings %s, input %v: %v", v, q, in, err)
				}
			}
		}
	}
}

func ids(r *rand.Rand, v, n int) []int32 {
	x := make([]int32, n)
	for i := range x {
		x[i] = int32(r.IntN(v))
	}
	return x
}

// TestPackedForwardAllocs checks that decoding rows costs no allocation:
// Forward with a warm Scratch allocates nothing.
func TestPackedForwardAllocs(t *testing.T) {
	m, err := load()
	if err != nil {
		t.Skip(err)
	}
	fx, err := Read(fixturePath)
	if err != nil {
		t.Fatal(err)
	}
	cs := fx.Cases[0]
	in := m.Encode(cs.Post, cs.History)
	var s model.Scratch
	if a := testing.AllocsPerRun(20, func() {
		if _, err := m.Forward(in, &s); err != nil {
			t.Fatal(err)
		}
	}); a != 0 {
		t.Fatalf("Forward allocates %v times per pass", a)
	}
}

// TestPackedConcurrent runs Recommend from several goroutines at once (each
// with its own Scratch from the pool) and checks each answer against the
// sequential one.
func TestPackedConcurrent(t *testing.T) {
	m, err := load()
	if err != nil {
		t.Skip(err)
	}
	fx, err := Read(fixturePath)
	if err != nil {
		t.Fatal(err)
	}
	cases := fx.Cases[:40]
	want := make([][]string, len(cases))
	for i, cs := range cases {
		want[i] = Tags(m.Recommend(cs.Post, cs.History, 5))
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range cases {
				cs := cases[(i+g*7)%len(cases)]
				if got := Tags(m.Recommend(cs.Post, cs.History, 5)); !equal(got, want[(i+g*7)%len(cases)]) {
					t.Errorf("goroutine %d, case %d: %v, want %v", g, (i+g*7)%len(cases), got, want[(i+g*7)%len(cases)])
				}
			}
		})
	}
	wg.Wait()
}
