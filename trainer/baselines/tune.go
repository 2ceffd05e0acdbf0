package baselines

import (
	"fmt"
	"io"

	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

// TuneSet returns up to n valid examples of d, evenly spaced, for tuning.
func TuneSet(d *dataset.Dataset, n int) []int32 {
	ex := d.Examples[dataset.Valid]
	if n <= 0 || len(ex) <= n {
		return ex
	}
	out := make([]int32, n)
	for i := range out {
		out[i] = ex[i*len(ex)/n]
	}
	return out
}

// TuneNBHistWeight sets λ of an NB+H model to the value of grid with the
// best F1@1 on the posts (valid examples), the first best on ties, and
// returns it. It logs each trial to log (may be nil).
func TuneNBHistWeight(m *NB, d *dataset.Dataset, posts []int32, grid []float64, log io.Writer) float64 {
	best, bestF := m.cfg.HistWeight, -1.0
	for _, w := range grid {
		m.SetHistWeight(w)
		t := eval.EvaluatePosts(d, posts, m)
		if log != nil {
			fmt.Fprintf(log, "nb+h: history weight %.2f: valid F1@1 %.4f (%d posts)\n", w, t.F1[0], len(posts))
		}
		if t.F1[0] > bestF {
			best, bestF = w, t.F1[0]
		}
	}
	m.SetHistWeight(best)
	return best
}

// TuneNB trains NB (or NB+H when cfg.History) once per smoothing constant
// of alphas and, for NB+H, tunes λ over weights on the posts (valid
// examples); it returns the model with the best F1@1, the first best on ties.
func TuneNB(d *dataset.Dataset, cfg NBConfig, alphas, weights []float64, posts []int32, log io.Writer) (*NB, error) {
	var best *NB
	bestF := -1.0
	for _, a := range alphas {
		c := cfg
		c.Alpha = a
		m, err := TrainNB(d, c)
		if err != nil {
			return nil, err
		}
		if cfg.History && len(weights) > 0 {
			TuneNBHistWeight(m, d, posts, weights, nil)
		}
		f := eval.EvaluatePosts(d, posts, m).F1[0]
		if log != nil {
			fmt.Fprintf(log, "nb: alpha %g, history %v weight %.2f: valid F1@1 %.4f (%d posts)\n", a, cfg.History, m.cfg.HistWeight, f, len(posts))
		}
		if f > bestF {
			best, bestF = m, f
		}
	}
	return best, nil
}
