package trainer

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hashtag-rec/hashtag/internal/num"
	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

func TestTopK(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for n := 0; n < 40; n++ {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(r.IntN(6)) // many ties
		}
		order := make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortStableFunc(order, func(a, b int32) int {
			switch {
			case s[a] > s[b]:
				return -1
			case s[a] < s[b]:
				return 1
			}
			return 0
		})
		for k := 0; k <= 6; k++ {
			got := num.TopK(s, k, []int32{-7})
			want := append([]int32{-7}, order[:min(k, n)]...)
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d k=%d: %v, want %v (scores %v)", n, k, got, want, s)
			}
		}
	}
}

// TestRanker checks that the Ranker (model.Hidden plus the scoring loop)
// agrees with the trainer's batched P@1 on a trained synthetic model.
func TestRanker(t *testing.T) {
	d, _ := synthDataset(t, 4)
	res, err := Train(d, quickOptions(model.HMemN2NTags, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRanker(res.Model, d)
	if err != nil {
		t.Fatal(err)
	}
	ids := d.Examples[dataset.Valid]
	hits := 0
	for _, p := range ids {
		top := r.Rank(d, p, 1, nil)
		if slices.Contains(d.GoldOf(p), top[0]) {
			hits++
		}
	}
	x, _ := Encode(d, res.Model)
	want := precisionAt1(newEngine(&res.Model.Params, 2), x, ids, 7)
	if got := float64(hits) / float64(len(ids)); got != want || got < 0.4 {
		t.Errorf("ranker P@1 %.4f, trainer %.4f", got, want)
	}
	// Recommend gives the same best hashtag from the raw texts.
	sug, why := res.Model.Recommend("election ballot voters senate", []string{"senate vote #politics", "great match #sports"}, 3)
	if len(sug) != 3 || len(why.Posts) != 2 || len(why.Words) != 2 {
		t.Fatalf("Recommend: %v %+v", sug, why)
	}
	t.Logf("Recommend: %v %+v", sug, why)
}
