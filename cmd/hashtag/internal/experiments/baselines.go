package experiments

import (
	"fmt"
	"sync"
	"time"

	"github.com/hashtag-rec/hashtag/trainer/baselines"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

// BaselineConfig holds the settings of the paper's baselines (the
// experiments command's --nb-*, --w2v-*, --svm-*, --ttm-*, --seed and
// --tune-posts flags; "hashtag eval" uses the defaults).
type BaselineConfig struct {
	NBAlpha     float64 // < 0: tune on valid over NBAlphaGrid
	NBAlphaGrid []float64
	NBHistW     float64 // < 0: tune on valid over NBHistGrid
	NBHistGrid  []float64
	TunePosts   int
	Seed        int64
	W2V         baselines.W2VConfig
	SVM         baselines.SVMConfig
	TTM         baselines.TTMConfig
}

// DefaultBaselineConfig returns the settings of docs/RESULTS.md.
func DefaultBaselineConfig() BaselineConfig {
	return BaselineConfig{
		NBAlpha:     -1,
		NBAlphaGrid: []float64{1, 0.3, 0.1, 0.03, 0.01, 0.003},
		NBHistW:     -1,
		NBHistGrid:  []float64{0.2, 0.3, 0.5, 0.7, 1},
		TunePosts:   10000,
		Seed:        1,
		W2V:         w2vDefaults(),
		SVM:         baselines.DefaultSVMConfig(),
		TTM:         baselines.DefaultTTMConfig(),
	}
}

// w2vDefaults is the package default with vectors of 100 rather than the
// paper's 300 dimensions, to keep the SVM baselines within minutes on two
// cores (docs/RESULTS.md says so); --w2v-dim 300 restores the paper's size.
func w2vDefaults() baselines.W2VConfig {
	c := baselines.DefaultW2VConfig()
	c.Dim = 100
	c.Epochs = 3
	return c
}

func buildTTM(d *dataset.Dataset, e *env) (eval.Ranker, error) {
	cfg := e.cfg.Baselines.TTM
	cfg.Seed = uint64(e.cfg.Baselines.Seed)
	return baselines.TrainTTM(d, cfg, e.Log)
}

func buildCNN(d *dataset.Dataset, e *env) (eval.Ranker, error) {
	cfg := e.cfg.CNN
	cfg.Seed = uint64(e.cfg.Baselines.Seed)
	cfg.TunePosts = e.cfg.Baselines.TunePosts
	return baselines.TrainCNNAtt(d, cfg, e.Log)
}

// vectorMemo keeps the vectors learnt for a dataset, so that svm and svm-h
// in one run share them (the second's build time then excludes word2vec).
type vectorMemo struct {
	sync.Mutex
	d   *dataset.Dataset
	cfg baselines.W2VConfig
	v   *baselines.Vectors
}

func wordVectors(d *dataset.Dataset, e *env) (*baselines.Vectors, error) {
	m := e.vectors
	m.Lock()
	defer m.Unlock()
	cfg := e.cfg.Baselines.W2V
	cfg.Seed = uint64(e.cfg.Baselines.Seed)
	if m.d == d && m.cfg == cfg {
		return m.v, nil
	}
	start := time.Now()
	v, err := baselines.TrainWord2Vec(baselines.TrainSentences(d), len(d.Words), cfg, e.Log)
	if err != nil {
		return nil, err
	}
	if e.Log != nil {
		fmt.Fprintf(e.Log, "word2vec: dim %d, %d epochs, %d thread(s): %.1fs\n", cfg.Dim, cfg.Epochs, cfg.Threads, time.Since(start).Seconds())
	}
	m.d, m.cfg, m.v = d, cfg, v
	return v, nil
}

func buildSVM(d *dataset.Dataset, e *env, hist bool) (eval.Ranker, error) {
	v, err := wordVectors(d, e)
	if err != nil {
		return nil, err
	}
	cfg := e.cfg.Baselines.SVM
	cfg.History, cfg.Seed = hist, uint64(e.cfg.Baselines.Seed)
	return baselines.TrainSVM(d, v, cfg, e.Log)
}

// buildNB trains NB or NB+H, tuning on valid what the settings leave open.
func buildNB(d *dataset.Dataset, e *env, hist bool) (eval.Ranker, error) {
	b := &e.cfg.Baselines
	alphas := []float64{b.NBAlpha}
	if b.NBAlpha < 0 {
		alphas = b.NBAlphaGrid
	}
	weights := []float64{b.NBHistW}
	if b.NBHistW < 0 {
		weights = b.NBHistGrid
	}
	cfg := baselines.NBConfig{History: hist, HistWeight: 1}
	if len(alphas) == 1 && (!hist || len(weights) == 1) {
		cfg.Alpha, cfg.HistWeight = alphas[0], weights[0]
		return baselines.TrainNB(d, cfg)
	}
	m, err := baselines.TuneNB(d, cfg, alphas, weights, baselines.TuneSet(d, b.TunePosts), e.Log)
	if err != nil {
		return nil, err
	}
	if e.Log != nil {
		c := m.Config()
		fmt.Fprintf(e.Log, "nb: chosen on valid: alpha %g, history weight %.2f\n", c.Alpha, c.HistWeight)
	}
	return m, nil
}
