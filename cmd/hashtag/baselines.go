package main

import (
	"flag"
	"fmt"

	"github.com/hashtag-rec/hashtag/trainer/baselines"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

// baselineConfig holds the settings of the paper's baselines. The eval
// command has no per-method flags, so these are package settings with the
// defaults used for docs/RESULTS.md; the experiments command exposes them as
// flags (registerBaselineFlags).
type baselineConfig struct {
	nbAlpha     float64 // < 0: tune on valid over nbAlphaGrid
	nbAlphaGrid []float64
	nbHistW     float64 // < 0: tune on valid over nbHistGrid
	nbHistGrid  []float64
	tunePosts   int
	seed        int64
}

var baseCfg = baselineConfig{
	nbAlpha:     -1,
	nbAlphaGrid: []float64{1, 0.3, 0.1, 0.03, 0.01, 0.003},
	nbHistW:     -1,
	nbHistGrid:  []float64{0.2, 0.3, 0.5, 0.7, 1},
	tunePosts:   10000,
	seed:        1,
}

// registerBaselineFlags adds the baselines' settings to fs.
func registerBaselineFlags(fs *flag.FlagSet) {
	fs.Float64Var(&baseCfg.nbAlpha, "nb-alpha", baseCfg.nbAlpha, "Naive Bayes Lidstone smoothing (1: Laplace); < 0: tune on valid over 1, 0.3, 0.1, 0.03, 0.01, 0.003")
	fs.Float64Var(&baseCfg.nbHistW, "nb-hist-weight", baseCfg.nbHistW, "NB+H weight of the history words' log-likelihood; < 0: tune on valid")
	fs.IntVar(&baseCfg.tunePosts, "tune-posts", baseCfg.tunePosts, "valid examples used for tuning")
	fs.Int64Var(&baseCfg.seed, "seed", baseCfg.seed, "random seed of the trained baselines")
}

func init() {
	registerMethod("nb", method{summary: "multinomial Naive Bayes over the post's words (paper baseline NB)",
		build: func(d *dataset.Dataset, o methodOpts) (eval.Ranker, error) { return buildNB(d, o, false) }})
	registerMethod("nb-h", method{summary: "Naive Bayes plus the words of the 5 history posts as a weighted second bag (paper baseline NB+H)",
		build: func(d *dataset.Dataset, o methodOpts) (eval.Ranker, error) { return buildNB(d, o, true) }})
}

// buildNB trains NB or NB+H, tuning on valid what the settings leave open.
func buildNB(d *dataset.Dataset, o methodOpts, hist bool) (eval.Ranker, error) {
	alphas := []float64{baseCfg.nbAlpha}
	if baseCfg.nbAlpha < 0 {
		alphas = baseCfg.nbAlphaGrid
	}
	weights := []float64{baseCfg.nbHistW}
	if baseCfg.nbHistW < 0 {
		weights = baseCfg.nbHistGrid
	}
	cfg := baselines.NBConfig{History: hist, HistWeight: 1}
	if len(alphas) == 1 && (!hist || len(weights) == 1) {
		cfg.Alpha, cfg.HistWeight = alphas[0], weights[0]
		return baselines.TrainNB(d, cfg)
	}
	m, err := baselines.TuneNB(d, cfg, alphas, weights, baselines.TuneSet(d, baseCfg.tunePosts), o.log)
	if err != nil {
		return nil, err
	}
	if o.log != nil {
		c := m.Config()
		fmt.Fprintf(o.log, "nb: chosen on valid: alpha %g, history weight %.2f\n", c.Alpha, c.HistWeight)
	}
	return m, nil
}
