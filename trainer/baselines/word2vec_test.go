package baselines

import (
	"testing"
)

// TestWord2VecPlanted plants two groups of words that only ever occur with
// each other; a word must end up closer to its own group than to the other.
func TestWord2VecPlanted(t *testing.T) {
	const groups, size = 2, 5
	var sents [][]int32
	r := rng(42)
	for i := 0; i < 2000; i++ {
		g := int32(i % groups)
		s := make([]int32, 8)
		for j := range s {
			s[j] = g*size + int32(r.next()>>16%size)
		}
		sents = append(sents, s)
	}
	cfg := W2VConfig{Dim: 16, Window: 3, Negative: 3, MinCount: 1, Epochs: 3, Alpha: 0.05, Seed: 7, Threads: 1}
	v, err := TrainWord2Vec(sents, groups*size, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for a := int32(0); a < groups*size; a++ {
		g := a / size
		for b := int32(0); b < groups*size; b++ {
			if b == a || b/size != g {
				continue
			}
			for c := int32(0); c < groups*size; c++ {
				if c/size == g {
					continue
				}
				if v.Cosine(a, b) <= v.Cosine(a, c) {
					t.Fatalf("word %d: same-group %d cos %.3f <= other-group %d cos %.3f", a, b, v.Cosine(a, b), c, v.Cosine(a, c))
				}
			}
		}
	}
	// Deterministic for a seed with one thread.
	v2, _ := TrainWord2Vec(sents, groups*size, cfg, nil)
	for i := range v.Vec {
		if v.Vec[i] != v2.Vec[i] {
			t.Fatalf("two runs with seed %d differ at %d", cfg.Seed, i)
		}
	}
}
