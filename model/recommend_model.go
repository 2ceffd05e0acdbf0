package model

import (
	"math"
	"sort"
	"sync"

	"github.com/hashtag-rec/hashtag/internal/num"
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
	var out []Suggestion
	if m.Variant.Copies() {
		out = m.mixTop(in, r, k, s)
	} else {
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
		top := num.TopK(r.Scores, k, buf[:0])
		out = make([]Suggestion, len(top))
		for i, c := range top {
			out[i] = Suggestion{Tag: m.Tags[c], Display: m.display(c), Score: float32(math.Exp(float64(r.Scores[c]-mx)) / sum)}
		}
	}
	why := Why{Gate: r.Gate}
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

// display returns the form to show of candidate c.
func (m *Model) display(c int32) string {
	if int(c) < len(m.Display) && m.Display[c] != "" {
		return m.Display[c]
	}
	return m.Tags[c]
}

// mixTop returns the k most probable hashtags of HMemN2NCopy's mixture over
// the candidates and the memory hashtags (ties: candidates by index, then
// memory hashtags in order of appearance).
func (m *Model) mixTop(in Input, r Result, k int, s *Scratch) []Suggestion {
	ps := r.Scores // the scratch's scores: turned into probabilities here
	num.Softmax(ps)
	var buf [8]int32
	MixCandidates(ps, r.Gate, in.Tags, r.Copy)
	type scored struct {
		Suggestion
		rank int
	}
	var cand []scored
	for _, c := range num.TopK(ps, k, buf[:0]) {
		cand = append(cand, scored{Suggestion{Tag: m.Tags[c], Display: m.display(c), Score: ps[c]}, int(c)})
	}
	for j, t := range in.Tags {
		sc := (1 - r.Gate) * r.Copy[j]
		if t.Cand >= 0 {
			// A candidate in the history: ranked above with its mixed
			// probability; here only its display form and copy share.
			for i := range cand {
				if cand[i].rank == int(t.Cand) {
					if t.Display != "" {
						cand[i].Display = t.Display
					}
					if cand[i].Score > 0 {
						cand[i].Copy = sc / cand[i].Score
					}
				}
			}
			continue
		}
		d := t.Display
		if d == "" {
			d = t.Name
		}
		cand = append(cand, scored{Suggestion{Tag: t.Name, Display: d, Score: sc, Copy: 1}, len(m.Tags) + j})
	}
	sort.SliceStable(cand, func(a, b int) bool {
		if cand[a].Score != cand[b].Score {
			return cand[a].Score > cand[b].Score
		}
		return cand[a].rank < cand[b].rank
	})
	out := make([]Suggestion, 0, k)
	for i := 0; i < len(cand) && len(out) < k; i++ {
		out = append(out, cand[i].Suggestion)
	}
	return out
}
