package trainer

import (
	"fmt"
	"sync"

	"github.com/hashtag-rec/hashtag/internal/num"
	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// Ranker ranks a dataset's candidate hashtags for its posts with a trained
// model; it implements eval.Ranker. It is safe for concurrent use.
type Ranker struct {
	m    *model.Model
	mu   sync.Mutex
	data map[*dataset.Dataset]*Data
	pool sync.Pool
}

type rankScratch struct {
	s         model.Scratch
	ex        Example
	scores    []float32
	top, top2 []int32
	union     []int32
	uscore    []float32
}

// NewRanker returns a ranker for model m on dataset d, whose candidates must
// be the model's first hashtags, in the same order (Encode).
func NewRanker(m *model.Model, d *dataset.Dataset) (*Ranker, error) {
	x, err := Encode(d, m)
	if err != nil {
		return nil, fmt.Errorf("model does not fit the dataset: %w", err)
	}
	r := &Ranker{m: m, data: map[*dataset.Dataset]*Data{d: x}}
	r.pool.New = func() any { return &rankScratch{scores: make([]float32, m.K)} }
	return r, nil
}

func (r *Ranker) encoded(d *dataset.Dataset) *Data {
	r.mu.Lock()
	defer r.mu.Unlock()
	x, ok := r.data[d]
	if !ok {
		var err error
		if x, err = Encode(d, r.m); err != nil {
			panic("trainer: Ranker used on a dataset with other candidates: " + err.Error())
		}
		r.data[d] = x
	}
	return x
}

// Rank appends the k best candidate indices for post p of d to dst, best
// first (ties: lower index first). It panics if d's candidates differ from
// the model's.
func (r *Ranker) Rank(d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	x := r.encoded(d)
	s := r.pool.Get().(*rankScratch)
	defer r.pool.Put(s)
	x.Example(p, &s.ex)
	if r.m.Variant.Copies() {
		res, err := r.m.Forward(s.ex.Input, &s.s)
		if err != nil {
			panic("trainer: " + err.Error()) // ids come from Encode: a bug
		}
		num.Softmax(res.Scores)
		model.MixCandidates(res.Scores, res.Gate, s.ex.Tags, res.Copy)
		return num.TopK(res.Scores[:x.kc], k, dst)
	}
	res, err := r.m.Hidden(s.ex.Input, &s.s)
	if err != nil {
		panic("trainer: " + err.Error()) // ids come from Encode: a bug
	}
	d0 := r.m.Dim
	for c := range s.scores {
		s.scores[c] = dot32(r.m.Theta[c*d0:(c+1)*d0], res.Hidden)
	}
	return num.TopK(s.scores[:x.kc], k, dst)
}

// RankOpen appends the k best hashtags for post p of d to dst as tag ids of
// d (indices of d.Tags), best first: for HMemN2NCopy the mixture over the
// model's hashtags (the candidates and any it ranks beyond them) and the
// hashtags of the post's memory (ties: the model's by index, then memory
// hashtags in order of appearance); for the other
// variants the candidates as Rank orders them.
func (r *Ranker) RankOpen(d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	if !r.m.Variant.Copies() {
		start := len(dst)
		dst = r.Rank(d, p, k, dst)
		for i := start; i < len(dst); i++ {
			dst[i] = d.Candidates[dst[i]]
		}
		return dst
	}
	x := r.encoded(d)
	s := r.pool.Get().(*rankScratch)
	defer r.pool.Put(s)
	x.Example(p, &s.ex)
	res, err := r.m.Forward(s.ex.Input, &s.s)
	if err != nil {
		panic("trainer: " + err.Error()) // ids come from Encode: a bug
	}
	num.Softmax(res.Scores)
	model.MixCandidates(res.Scores, res.Gate, s.ex.Tags, res.Copy)
	K := len(res.Scores)
	// The k best of the model's hashtags (those d has) and every memory
	// hashtag that is not one compete; a union index u < K is a model
	// hashtag, K+j memory hashtag j.
	top := num.TopK(res.Scores, k+x.absent, s.top[:0])
	s.union = s.union[:0]
	s.uscore = s.uscore[:0]
	for _, c := range top {
		if x.modelTag[c] >= 0 {
			s.union = append(s.union, c)
			s.uscore = append(s.uscore, res.Scores[c])
		}
	}
	for j, t := range s.ex.Tags {
		if t.Cand < 0 {
			s.union = append(s.union, int32(K+j))
			s.uscore = append(s.uscore, (1-res.Gate)*res.Copy[j])
		}
	}
	for _, i := range num.TopK(s.uscore, k, s.top2[:0]) {
		u := s.union[i]
		if u < int32(K) {
			dst = append(dst, x.modelTag[u])
		} else {
			dst = append(dst, s.ex.Tags[u-int32(K)].ID)
		}
	}
	return dst
}

// RanksAnyHashtag reports whether the model can rank hashtags outside the
// candidates (HMemN2NCopy: its memory hashtags); it implements
// eval.AnyHashtag, so that the other variants are labelled as ranking the
// candidates only in the open evaluation.
func (r *Ranker) RanksAnyHashtag() bool { return r.m.Variant.Copies() }
