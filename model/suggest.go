package model

import "math"

// Compact is a model ready to recommend hashtags to one person as they
// type: it keeps the buffers of its forward pass, so a call allocates only
// what it returns. It serves one goroutine at a time.
type Compact struct {
	*Model
	s   Scratch
	top []int32
}

// NewCompact wraps m (any float32 model, quantised or not) as a
// Recommender.
func NewCompact(m *Model) *Compact { return &Compact{Model: m} }

// Recommend implements Recommender: it encodes the post and the history
// with Encode, runs Forward, and returns the k most probable hashtags with
// their softmax probabilities and the last hop's attention. k is capped at
// the number of candidates.
func (c *Compact) Recommend(post string, history []string, k int) ([]Suggestion, Why) {
	in := c.Encode(post, history)
	r, err := c.Forward(in, &c.s)
	if err != nil {
		// Encode only produces ids of the model's own vocabulary.
		panic("model: Forward refused Encode's input: " + err.Error())
	}
	c.top = TopK(r.Scores, k, c.top[:0])
	sugg := make([]Suggestion, len(c.top))
	lse := logSumExp(r.Scores)
	for i, t := range c.top {
		sugg[i] = Suggestion{Tag: c.Tags[t], Score: float32(math.Exp(float64(r.Scores[t]) - lse))}
	}
	return sugg, c.why(in, r)
}

// why copies the attention of r into words the person can read.
func (c *Compact) why(in Input, r Result) Why {
	var w Why
	if len(r.SentAttn) == 0 {
		return w
	}
	w.Posts = append([]float32(nil), r.SentAttn[:min(len(in.Memory), len(r.SentAttn))]...)
	if r.WordAttn == nil {
		return w
	}
	w.Words = make([][]WordWeight, len(in.Memory))
	for i, mem := range in.Memory {
		att := r.WordAttn[i]
		n := min(len(mem), len(att))
		w.Words[i] = make([]WordWeight, n)
		for j := 0; j < n; j++ {
			w.Words[i][j] = WordWeight{Word: c.Words[mem[j]], Weight: att[j]}
		}
	}
	return w
}

func logSumExp(x []float32) float64 {
	if len(x) == 0 {
		return 0
	}
	mx := x[0]
	for _, v := range x {
		mx = max(mx, v)
	}
	var s float64
	for _, v := range x {
		s += math.Exp(float64(v - mx))
	}
	return float64(mx) + math.Log(s)
}

// TopK appends to dst the indices of the k largest scores, largest first
// (ties: lower index first), by partial selection: one pass that keeps the
// best k in order, O(n·k) worst case and O(n) for the usual k ≤ 5. It
// allocates nothing when dst has room for k.
func TopK(scores []float32, k int, dst []int32) []int32 {
	k = min(k, len(scores))
	if k <= 0 {
		return dst
	}
	start := len(dst)
	for i, v := range scores {
		n := len(dst) - start
		if n == k && v <= scores[dst[len(dst)-1]] {
			continue
		}
		if n < k {
			dst = append(dst, int32(i))
		}
		// Insert i at its place, shifting worse entries down by one.
		j := len(dst) - 1
		for j > start && scores[dst[j-1]] < v {
			dst[j] = dst[j-1]
			j--
		}
		dst[j] = int32(i)
	}
	return dst
}
