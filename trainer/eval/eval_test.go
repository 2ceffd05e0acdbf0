package eval

import (
	"math"
	"testing"

	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// TestTableByHand checks P, R and F1 against values worked out on paper.
func TestTableByHand(t *testing.T) {
	var tb Table
	// Example 1: gold {1, 2}; ranked 1, 9, 2, 8, 7.
	//   hits@k = 1,1,2,2,2; P@k = 1, 1/2, 2/3, 2/4, 2/5; R@k = 1/2, 1/2, 1, 1, 1.
	tb.Add([]int32{1, 9, 2, 8, 7}, []int32{1, 2})
	// Example 2: gold {5}; ranked 4, 5 (the ranker knew only two).
	//   hits@k = 0,1,1,1,1; P@k = 0, 1/2, 1/3, 1/4, 1/5; R@k = 0, 1, 1, 1, 1.
	tb.Add([]int32{4, 5}, []int32{5})
	tb.Finish()
	wantP := [MaxK]float64{(1 + 0) / 2.0, (0.5 + 0.5) / 2, (2.0/3 + 1.0/3) / 2, (0.5 + 0.25) / 2, (0.4 + 0.2) / 2}
	wantR := [MaxK]float64{(0.5 + 0) / 2, (0.5 + 1) / 2, 1, 1, 1}
	for k := 0; k < MaxK; k++ {
		f1 := 2 * wantP[k] * wantR[k] / (wantP[k] + wantR[k])
		if math.Abs(tb.P[k]-wantP[k]) > 1e-12 || math.Abs(tb.R[k]-wantR[k]) > 1e-12 || math.Abs(tb.F1[k]-f1) > 1e-12 {
			t.Errorf("k=%d: P %.4f R %.4f F1 %.4f, want %.4f %.4f %.4f", k+1, tb.P[k], tb.R[k], tb.F1[k], wantP[k], wantR[k], f1)
		}
	}
}

func TestUserTagsOrder(t *testing.T) {
	b, _ := dataset.NewBuilder("t", dataset.SplitTime)
	add := func(time, txt string) {
		if err := b.Add(post.Post{Author: "u", Time: time, Text: txt, Tags: dataset.Hashtags(txt)}); err != nil {
			t.Fatal(err)
		}
	}
	// 12 posts so that #a, #b, #c each reach 10 train posts.
	for i := 0; i < 10; i++ {
		add("2016-01-01 00:00:0"+string(rune('0'+i)), "#a #b #c")
	}
	add("2016-01-02 00:00:00", "#c #b")      // history: older
	add("2016-01-02 00:00:01", "#b")         // more recent
	add("2016-01-02 00:00:02", "#a #c #b x") // the post scored: history = 11, 10, 9, 8, 7
	d := b.Build()
	p := int32(12)
	got := UserTags{}.Rank(d, p, 3, nil)
	// Counts over the 5 history posts: b 5, c 4, a 3; b first (count).
	var names []string
	for _, c := range got {
		names = append(names, d.CandidateName(c))
	}
	if len(names) != 3 || names[0] != "b" || names[1] != "c" || names[2] != "a" {
		t.Fatalf("user-tags ranked %v, want [b c a]", names)
	}
}
