package model

import (
	"math"
	"sync"
)

var scratchPool = sync.Pool{New: func() any { return new(Scratch) }}

// Recommend implements Recommender: it encodes the post and its history
// (Encode), runs Forward and returns the k most probable candidate
// hashtags, best first, with the last hop's attention as the explanation.
// It is safe for concurrent use.
func (m *Model) Recommend(post string, history []string, k int) ([]Suggestion, Why) {
	in := m.Encode(post, history)
	s := scratchPool.Get().(*Scratch)
	defer scratchPool.Put(s)
	r, err := m.Forward(in, s)
	if err != nil {
		panic("model: Encode gave an invalid input: " + err.Error())
	}
	// softmax probabilities of the top k
	mx := float32(math.Inf(-1))
	for _, v := range r.Scores {
		mx = max(mx, v)
	}
	var sum float64
	for _, v := range r.Scores {
		sum += math.Exp(float64(v - mx))
	}
	var buf [8]int32
	top := TopK(r.Scores, k, buf[:0])
	out := make([]Suggestion, len(top))
	for i, c := range top {
		out[i] = Suggestion{Tag: m.Tags[c], Score: float32(math.Exp(float64(r.Scores[c]-mx)) / sum)}
	}
	var why Why
	if r.SentAttn != nil {
		why.Posts = append([]float32(nil), r.SentAttn...)
		if r.WordAttn != nil {
			why.Words = make([][]WordWeight, len(in.Memory))
			for i, ids := range in.Memory {
				if i >= len(r.WordAttn) {
					break
				}
				for j, id := range ids {
					if j < len(r.WordAttn[i]) {
						why.Words[i] = append(why.Words[i], WordWeight{Word: m.Words[id], Weight: r.WordAttn[i][j]})
					}
				}
			}
		}
	}
	return out, why
}
