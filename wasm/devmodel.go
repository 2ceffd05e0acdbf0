//go:build hashtagdev

package main

// TEMPORARY, development only (build tag hashtagdev): a stand-in until
// model.ReadCompact lands. Never built by "hashtag site".

import (
	"sort"
	"strings"

	"github.com/hashtag-rec/hashtag/model"
)

type devRec struct{}

func loadModel([]byte) (model.Recommender, error) { return devRec{}, nil }

func (devRec) Recommend(post string, history []string, k int) ([]model.Suggestion, model.Why) {
	score := map[string]float32{}
	for _, w := range strings.Fields(strings.ToLower(post)) {
		w = strings.Trim(w, "#.,!?")
		if len(w) > 3 {
			score[w] += 1
		}
	}
	var why model.Why
	for i, h := range history {
		if i >= 5 {
			break
		}
		why.Posts = append(why.Posts, 1/float32(min(5, len(history))))
		var ww []model.WordWeight
		for _, w := range strings.Fields(strings.ToLower(h)) {
			if strings.HasPrefix(w, "#") {
				score[strings.Trim(w, "#.,!?")] += 2
				continue
			}
			ww = append(ww, model.WordWeight{Word: w, Weight: float32(len(w))})
		}
		why.Words = append(why.Words, ww)
	}
	var out []model.Suggestion
	var sum float32
	for t, s := range score {
		out = append(out, model.Suggestion{Tag: t, Score: s})
		sum += s
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Score > out[j].Score || out[i].Score == out[j].Score && out[i].Tag < out[j].Tag })
	if len(out) > k {
		out = out[:k]
	}
	for i := range out {
		out[i].Score /= sum
	}
	return out, why
}
