package main

import (
	"flag"
	"fmt"
	"sync"
	"time"

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
	w2v         baselines.W2VConfig
	svm         baselines.SVMConfig
	ttm         baselines.TTMConfig
}

var baseCfg = baselineConfig{
	nbAlpha:     -1,
	nbAlphaGrid: []float64{1, 0.3, 0.1, 0.03, 0.01, 0.003},
	nbHistW:     -1,
	nbHistGrid:  []float64{0.2, 0.3, 0.5, 0.7, 1},
	tunePosts:   10000,
	seed:        1,
	w2v:         w2vDefaults(),
	svm:         baselines.DefaultSVMConfig,
	ttm:         baselines.DefaultTTMConfig,
}

// Methods defined in other files of this command add their settings here
// (in an init function): flagHooks register flags on the experiments
// command, quickHooks shrink the settings for --quick, leaving alone the
// flags the user set (set holds their names).
var (
	flagHooks  []func(fs *flag.FlagSet)
	quickHooks []func(set map[string]bool)
)

// registerBaselineFlags adds the baselines' settings to fs.
func registerBaselineFlags(fs *flag.FlagSet) {
	for _, h := range flagHooks {
		h(fs)
	}
	fs.Float64Var(&baseCfg.nbAlpha, "nb-alpha", baseCfg.nbAlpha, "Naive Bayes Lidstone smoothing (1: Laplace); < 0: tune on valid over 1, 0.3, 0.1, 0.03, 0.01, 0.003")
	fs.Float64Var(&baseCfg.nbHistW, "nb-hist-weight", baseCfg.nbHistW, "NB+H weight of the history words' log-likelihood; < 0: tune on valid")
	fs.IntVar(&baseCfg.tunePosts, "tune-posts", baseCfg.tunePosts, "valid examples used for tuning")
	fs.Int64Var(&baseCfg.seed, "seed", baseCfg.seed, "random seed of the trained baselines")
	fs.IntVar(&baseCfg.w2v.Dim, "w2v-dim", baseCfg.w2v.Dim, "word2vec vector size for the SVM baselines")
	fs.IntVar(&baseCfg.w2v.Epochs, "w2v-epochs", baseCfg.w2v.Epochs, "word2vec passes over the train-split texts")
	fs.IntVar(&baseCfg.w2v.Threads, "w2v-threads", baseCfg.w2v.Threads, "word2vec threads (1: deterministic; more: Hogwild, faster, not reproducible bit for bit)")
	fs.Float64Var(&baseCfg.svm.Lambda, "svm-lambda", baseCfg.svm.Lambda, "SVM Pegasos regularisation")
	fs.IntVar(&baseCfg.svm.Epochs, "svm-epochs", baseCfg.svm.Epochs, "SVM Pegasos epochs")
	fs.IntVar(&baseCfg.svm.MaxTrain, "svm-max-train", baseCfg.svm.MaxTrain, "SVM train examples (every n-th; 0: all)")
	fs.IntVar(&baseCfg.ttm.Topics, "ttm-topics", baseCfg.ttm.Topics, "TTM number of topics K")
	fs.IntVar(&baseCfg.ttm.Iters, "ttm-iters", baseCfg.ttm.Iters, "TTM Gibbs sweeps")
}

func init() {
	registerMethod("nb", method{summary: "multinomial Naive Bayes over the post's words (paper baseline NB)",
		build: func(d *dataset.Dataset, o methodOpts) (eval.Ranker, error) { return buildNB(d, o, false) }})
	registerMethod("nb-h", method{summary: "Naive Bayes plus the words of the 5 history posts as a weighted second bag (paper baseline NB+H)",
		build: func(d *dataset.Dataset, o methodOpts) (eval.Ranker, error) { return buildNB(d, o, true) }})
	registerMethod("svm", method{summary: "one-vs-rest linear SVMs over the mean word2vec vector of the post (paper baseline SVM; vectors learnt on the train split)",
		build: func(d *dataset.Dataset, o methodOpts) (eval.Ranker, error) { return buildSVM(d, o, false) }})
	registerMethod("svm-h", method{summary: "SVM plus the mean word2vec vector of the 5 history posts, concatenated (paper baseline SVM+H)",
		build: func(d *dataset.Dataset, o methodOpts) (eval.Ranker, error) { return buildSVM(d, o, true) }})
	registerMethod("ttm", method{summary: "topical translation model (Ding et al. 2013), collapsed Gibbs sampling",
		build: func(d *dataset.Dataset, o methodOpts) (eval.Ranker, error) {
			cfg := baseCfg.ttm
			cfg.Seed = uint64(baseCfg.seed)
			return baselines.TrainTTM(d, cfg, o.log)
		}})
}

// w2vMemo keeps the vectors learnt for a dataset, so that svm and svm-h in
// one run share them (the second's build time then excludes word2vec).
var w2vMemo struct {
	sync.Mutex
	d   *dataset.Dataset
	cfg baselines.W2VConfig
	v   *baselines.Vectors
}

func wordVectors(d *dataset.Dataset, o methodOpts) (*baselines.Vectors, error) {
	w2vMemo.Lock()
	defer w2vMemo.Unlock()
	cfg := baseCfg.w2v
	cfg.Seed = uint64(baseCfg.seed)
	if w2vMemo.d == d && w2vMemo.cfg == cfg {
		return w2vMemo.v, nil
	}
	start := time.Now()
	v, err := baselines.TrainWord2Vec(baselines.TrainSentences(d), len(d.Words), cfg, o.log)
	if err != nil {
		return nil, err
	}
	if o.log != nil {
		fmt.Fprintf(o.log, "word2vec: dim %d, %d epochs, %d thread(s): %.1fs\n", cfg.Dim, cfg.Epochs, cfg.Threads, time.Since(start).Seconds())
	}
	w2vMemo.d, w2vMemo.cfg, w2vMemo.v = d, cfg, v
	return v, nil
}

func buildSVM(d *dataset.Dataset, o methodOpts, hist bool) (eval.Ranker, error) {
	v, err := wordVectors(d, o)
	if err != nil {
		return nil, err
	}
	cfg := baseCfg.svm
	cfg.History, cfg.Seed = hist, uint64(baseCfg.seed)
	return baselines.TrainSVM(d, v, cfg, o.log)
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

// w2vDefaults is the package default with vectors of 100 rather than the
// paper's 300 dimensions, to keep the SVM baselines within minutes on two
// cores (docs/RESULTS.md says so); --w2v-dim 300 restores the paper's size.
func w2vDefaults() baselines.W2VConfig {
	c := baselines.DefaultW2VConfig
	c.Dim = 100
	c.Epochs = 3
	return c
}
