package baselines

import (
	"testing"

	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// TestTTMPlanted checks that TTM recovers the planted word–tag translations
// of the tiny corpus and ranks each test post's tag first.
func TestTTMPlanted(t *testing.T) {
	d := tinyDataset(t, 300)
	m, err := TrainTTM(d, TTMConfig{Topics: 3, Iters: 30, Alpha: 1, Beta: 0.01, Gamma: 0.1, Delta: 1, Seed: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range d.Examples[dataset.Test] {
		got := m.Rank(d, p, 3, nil)
		if len(got) == 0 || got[0] != d.GoldOf(p)[0] {
			t.Fatalf("post %d: ranked %v, gold %v", p, got, d.GoldOf(p))
		}
	}
	// Planted translation: a topic word's mass, summed over topics, goes
	// to its own tag.
	word := map[string]int32{}
	for i, w := range d.Words {
		word[w] = int32(i)
	}
	tag := map[string]int32{}
	for c := range d.Candidates {
		tag[d.CandidateName(int32(c))] = int32(c)
	}
	for w, want := range map[string]string{"league": "football", "oven": "cooking", "senate": "election"} {
		best, bestP := "", -1.0
		for name, c := range tag {
			var s float64
			for z := 0; z < 3; z++ {
				s += m.Translation(z, word[w], c)
			}
			if s > bestP {
				best, bestP = name, s
			}
		}
		if best != want || bestP <= 0 {
			t.Errorf("word %q translates mostly to %q, want %q", w, best, want)
		}
	}
}
