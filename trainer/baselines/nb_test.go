package baselines

import (
	"fmt"
	"github.com/hashtag-rec/hashtag/internal/num"
	"testing"

	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// tinyDataset builds a hand-made corpus through the protocol: topics with
// their own words and hashtag, posts of authors who keep to one topic. Each
// text draws its words from its topic's list; posts are split by the given
// split, so the test is independent of the random split's hash.
func tinyDataset(t testing.TB, n int) *dataset.Dataset {
	t.Helper()
	b, err := dataset.NewBuilder("tiny", dataset.SplitGiven)
	if err != nil {
		t.Fatal(err)
	}
	topics := []struct {
		tag   string
		words []string
	}{
		{"football", []string{"goal", "match", "striker", "league", "penalty", "keeper"}},
		{"cooking", []string{"recipe", "oven", "flour", "bake", "garlic", "sauce"}},
		{"election", []string{"vote", "ballot", "senate", "campaign", "poll", "debate"}},
	}
	common := []string{"today", "great", "people", "really", "new", "time"}
	for i := 0; i < n; i++ {
		tp := topics[i%len(topics)]
		text := fmt.Sprintf("%s %s %s %s #%s",
			tp.words[i%6], common[(i/3)%6], tp.words[(i/2+1)%6], common[(i/5)%6], tp.tag)
		split := "train"
		switch i % 10 {
		case 8:
			split = "valid"
		case 9:
			split = "test"
		}
		author := fmt.Sprintf("user%d_%d", i%len(topics), (i/len(topics))%4)
		p := post.Post{Author: author, Time: fmt.Sprintf("2020-01-01 00:%02d:%02d", i/60%60, i%60), Text: text,
			Tags: []string{tp.tag}, Split: split}
		if err := b.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	return b.Build()
}

func TestNBRanksObviousTag(t *testing.T) {
	d := tinyDataset(t, 300)
	if len(d.Candidates) != 3 {
		t.Fatalf("want 3 candidates, got %d", len(d.Candidates))
	}
	for _, hist := range []bool{false, true} {
		m, err := TrainNB(d, NBConfig{Alpha: 0.1, History: hist, HistWeight: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range d.Examples[dataset.Test] {
			got := m.Rank(d, p, 3, nil)
			if len(got) != 3 || got[0] != d.GoldOf(p)[0] {
				t.Fatalf("history %v: post %d: ranked %v, gold %v", hist, p, got, d.GoldOf(p))
			}
		}
	}
}

func TestNBBadConfig(t *testing.T) {
	d := tinyDataset(t, 30)
	if _, err := TrainNB(d, NBConfig{Alpha: 0}); err == nil {
		t.Fatal("alpha 0 accepted")
	}
}

func TestTopK(t *testing.T) {
	s := []float64{1, 5, 3, 5, 0, 4}
	got := num.TopK(s, 3, nil)
	want := []int32{1, 3, 5}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("topK = %v, want %v", got, want)
	}
	if got := num.TopK(s, 10, nil); len(got) != 6 || got[5] != 4 {
		t.Fatalf("topK all = %v", got)
	}
}
