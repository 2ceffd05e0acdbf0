package trainer

import (
	"fmt"
	"math"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/baselines"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// pretrain initialises the embeddings A, B and C of m (beyond the paper)
// with skip-gram word2vec vectors learnt on the train-split posts of data's
// dataset: each sentence is a post's words followed, for the variants with
// memory words, by its "#tag" words, so that a hashtag's vector starts near
// the words it is used with. Each vector is scaled to the norm the random
// initialisation has on average (0.1·sqrt(Dim)); words without a vector
// (rarer than 2 uses) keep their random rows. It runs on one thread, so it
// is deterministic for the seed.
func pretrain(m *model.Model, x *Data, epochs int, seed uint64) error {
	d := x.D
	var sents [][]int32
	for p := range d.PostSplit {
		if d.PostSplit[p] == dataset.Train {
			if s := x.mem[x.memOff[p]:x.memOff[p+1]]; len(s) > 1 {
				sents = append(sents, s)
			}
		}
	}
	cfg := baselines.DefaultW2VConfig()
	cfg.Dim, cfg.MinCount, cfg.Epochs, cfg.Seed, cfg.Threads = m.Dim, 2, epochs, seed, 1
	v, err := baselines.TrainWord2Vec(sents, m.V, cfg, nil)
	if err != nil {
		return fmt.Errorf("pre-training word vectors: %w", err)
	}
	dim := m.Dim
	want := 0.1 * math.Sqrt(float64(dim))
	for w := 0; w < m.V; w++ {
		if !v.Has[w] {
			continue
		}
		vec := v.Vec[w*dim : (w+1)*dim]
		var n float64
		for _, a := range vec {
			n += float64(a) * float64(a)
		}
		if n == 0 {
			continue
		}
		s := float32(want / math.Sqrt(n))
		for _, emb := range [][]float32{m.A, m.B, m.C} {
			row := emb[w*dim : (w+1)*dim]
			for j, a := range vec {
				row[j] = s * a
			}
		}
	}
	return nil
}
