package trainer

import (
	"fmt"
	"sync"

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
	s      model.Scratch
	ex     Example
	scores []float32
}

// NewRanker returns a ranker for model m on dataset d, whose candidates must
// be the model's, in the same order.
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
	res, err := r.m.Hidden(s.ex.Input, &s.s)
	if err != nil {
		panic("trainer: " + err.Error()) // ids come from Encode: a bug
	}
	d0 := r.m.Dim
	for c := range s.scores {
		s.scores[c] = dot32(r.m.Theta[c*d0:(c+1)*d0], res.Hidden)
	}
	return model.TopK(s.scores, k, dst)
}
