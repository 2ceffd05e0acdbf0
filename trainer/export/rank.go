package export

import (
	"sync"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// Ranker ranks a dataset's candidates with a model's forward pass. It is
// safe for concurrent use: each call takes its buffers from a pool.
type Ranker struct {
	m    *model.Model
	x    *trainer.Data
	pool sync.Pool
}

type rankState struct {
	ex trainer.Example
	s  model.Scratch
}

// NewRanker encodes d for m (whose candidates must be d's, in order).
func NewRanker(d *dataset.Dataset, m *model.Model) (*Ranker, error) {
	x, err := trainer.Encode(d, m)
	if err != nil {
		return nil, err
	}
	r := &Ranker{m: m, x: x}
	r.pool.New = func() any { return new(rankState) }
	return r, nil
}

// Rank implements eval.Ranker.
func (r *Ranker) Rank(d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	st := r.pool.Get().(*rankState)
	defer r.pool.Put(st)
	r.x.Example(p, &st.ex)
	res, err := r.m.Forward(st.ex.Input, &st.s)
	if err != nil {
		panic("export: Forward refused Encode's input: " + err.Error())
	}
	return model.TopK(res.Scores, k, dst)
}
