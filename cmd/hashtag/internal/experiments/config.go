package experiments

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/hashtag-rec/hashtag/trainer/baselines"
)

// CacheDir is the git-ignored folder for caches, checkpoints and float32
// models.
const CacheDir = ".cache"

// Config is every setting of one experiments run. A run starts from
// DefaultConfig, or from DefaultConfig().Quick() for --quick, and the
// flags the user gives (AddFlags) change it; nothing outside a Config holds
// a setting, so one run cannot change the next.
type Config struct {
	Out       string // folder for RESULTS.md and the figures
	IRA       string // the ira corpus file
	HowYouTag string // the howyoutag folder (train/valid/test)
	Corpora   string // corpora to run, comma-separated
	Methods   string // methods to run, comma-separated ("": every method)
	Models    string // trained model files, MODELS/CORPUS-SPLIT/METHOD.bin
	CacheDir  string // dataset caches and the memory networks' training runs

	QuickMode bool // a few minutes' run for CI: subsampled ira, small settings
	Table3    bool // also run the paper's Table 3
	Reuse     bool // take stored rows of earlier runs with the same settings

	// Table 3: the embedding sizes and hop counts (comma-separated),
	// epochs per cell, train examples per epoch and valid examples (0: all).
	T3Dims, T3Hops                   string
	T3Epochs, T3MaxTrain, T3MaxValid int

	MemNet    MemNetConfig
	Baselines BaselineConfig
	CNN       baselines.CNNAttConfig // the seed and the valid posts come from Baselines
}

// DefaultConfig returns the settings of docs/RESULTS.md.
func DefaultConfig() Config {
	return Config{
		Out:        "docs",
		IRA:        "../shared/data/ira/ira_tweets.csv.gz",
		HowYouTag:  defaultHowYouTag(),
		Corpora:    "ira-random,howyoutag,ira-time",
		Models:     filepath.Join(CacheDir, "models"),
		CacheDir:   CacheDir,
		Table3:     true,
		T3Dims:     "50,100,200,300,400,500",
		T3Hops:     "1,2,3,4,5",
		T3Epochs:   2,
		T3MaxTrain: 100000,
		T3MaxValid: 5000,
		MemNet:     DefaultMemNetConfig(),
		Baselines:  DefaultBaselineConfig(),
		CNN:        baselines.DefaultCNNAttConfig(),
	}
}

// Quick returns c with the settings of --quick: ira subsampled (Run does
// that), small baseline and memory network settings, one epoch per Table 3
// cell on the 20k-example subsample, and the report in
// .cache/experiments-quick. Flags the user gives are applied after it.
func (c Config) Quick() Config {
	c.QuickMode = true
	c.Out = filepath.Join(CacheDir, "experiments-quick")
	c.T3Epochs = 1
	c.T3MaxTrain = 0 // the 20k-example subsample
	c.MemNet.Epochs = 1
	c.MemNet.Tuned = false // its settings train for up to 6 epochs
	b := &c.Baselines
	b.W2V.Dim, b.W2V.Epochs = 32, 1
	b.SVM.Epochs = 1
	b.TTM.Iters, b.TTM.Topics = 10, 20
	b.TunePosts = 2000
	c.CNN.Dim, c.CNN.LocalDim, c.CNN.Filters = 32, 32, 32
	c.CNN.Epochs, c.CNN.MaxTrain = 1, 30000
	return c
}

// defaultHowYouTag is the bundled sample if the checkout has it, else the
// shared copy.
func defaultHowYouTag() string {
	for _, p := range []string{"assets/sample/howyoutag", "../shared/data/howyoutag", "/work/shared/data/howyoutag"} {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return p
		}
	}
	return "assets/sample/howyoutag"
}

// AddFlags binds the experiments command's flags to c, with c's values as
// their defaults.
func (c *Config) AddFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Out, "out", c.Out, "folder for RESULTS.md and the figures")
	fs.StringVar(&c.IRA, "ira", c.IRA, "the ira corpus file")
	fs.StringVar(&c.HowYouTag, "howyoutag", c.HowYouTag, "the howyoutag folder (train/valid/test)")
	fs.StringVar(&c.Corpora, "corpora", c.Corpora, "corpora to run, comma-separated")
	fs.StringVar(&c.Methods, "methods", c.Methods, "methods to run, comma-separated (default: every registered method)")
	fs.StringVar(&c.Models, "models", c.Models, "trained model files, MODELS/CORPUS-SPLIT/METHOD.bin: a memory network with a file there is loaded, not trained")
	fs.BoolVar(&c.QuickMode, "quick", c.QuickMode, "a few minutes' run for CI: small baseline settings, ira subsampled to 20k train / 3k valid / 3k test examples; --out defaults to .cache/experiments-quick")
	fs.BoolVar(&c.Table3, "table3", c.Table3, "also train MemN2N and HMemN2N on ira/random over --t3-dims (at 2 hops) and --t3-hops (at dim 300), the paper's Table 3: 20 trainings, about an hour at the defaults")
	fs.StringVar(&c.T3Dims, "t3-dims", c.T3Dims, "Table 3 embedding sizes")
	fs.StringVar(&c.T3Hops, "t3-hops", c.T3Hops, "Table 3 hop counts")
	fs.IntVar(&c.T3Epochs, "t3-epochs", c.T3Epochs, "Table 3 training epochs per cell")
	fs.IntVar(&c.T3MaxTrain, "t3-max-train", c.T3MaxTrain, "Table 3 train examples per epoch (0: all)")
	fs.IntVar(&c.T3MaxValid, "t3-max-valid", c.T3MaxValid, "Table 3 valid examples for choosing the best epoch (0: all)")
	fs.BoolVar(&c.Reuse, "reuse", c.Reuse, "take a method's row from CACHE/experiments/CORPUS/METHOD.row.json when an earlier run with the same settings and data wrote it (the report lists such rows); only valid if the method's code has not changed since")
	fs.StringVar(&c.CacheDir, "cache-dir", c.CacheDir, "folder for dataset caches and the memory networks' training runs (CACHE/experiments/CORPUS/…, resumed when rerun)")
	fs.IntVar(&c.MemNet.Epochs, "mn-epochs", c.MemNet.Epochs, "memory networks: epochs (early stopping keeps the best on valid)")
	fs.Float64Var(&c.MemNet.LR, "mn-lr", c.MemNet.LR, "memory networks: Adagrad learning rate (paper: 0.01)")
	fs.BoolVar(&c.MemNet.Tuned, "mn-tuned", c.MemNet.Tuned, "memory networks: hmemn2n-copy trains with the settings chosen on each corpus's validation split (README) instead of the shared --mn-* ones")
	fs.IntVar(&c.MemNet.MaxTrain, "mn-max-train", c.MemNet.MaxTrain, "memory networks: train examples per epoch (0: all)")

	cnn := &c.CNN
	fs.IntVar(&cnn.Dim, "cnn-dim", cnn.Dim, "CNN-Attention word vector size")
	fs.IntVar(&cnn.Window, "cnn-window", cnn.Window, "CNN-Attention local attention window h (odd)")
	fs.Float64Var(&cnn.Threshold, "cnn-eta", cnn.Threshold, "CNN-Attention trigger-word threshold η on the attention score")
	fs.BoolVar(&cnn.Soft, "cnn-soft", cnn.Soft, "CNN-Attention: fold every word weighted by its score (no threshold)")
	fs.IntVar(&cnn.LocalDim, "cnn-local", cnn.LocalDim, "CNN-Attention local channel features")
	fs.IntVar(&cnn.Filters, "cnn-filters", cnn.Filters, "CNN-Attention global convolution filters")
	fs.IntVar(&cnn.ConvWidth, "cnn-width", cnn.ConvWidth, "CNN-Attention global convolution width (odd)")
	fs.Float64Var(&cnn.Dropout, "cnn-dropout", cnn.Dropout, "CNN-Attention dropout on the concatenated features")
	fs.Float64Var(&cnn.LR, "cnn-lr", cnn.LR, "CNN-Attention Adam step size")
	fs.IntVar(&cnn.Batch, "cnn-batch", cnn.Batch, "CNN-Attention examples per step")
	fs.IntVar(&cnn.Epochs, "cnn-epochs", cnn.Epochs, "CNN-Attention most epochs (the best on valid is kept)")
	fs.IntVar(&cnn.Patience, "cnn-patience", cnn.Patience, "CNN-Attention: stop after this many epochs without a better valid F1@1 (0: never)")
	fs.IntVar(&cnn.MaxTrain, "cnn-max-train", cnn.MaxTrain, "CNN-Attention train examples (every n-th; 0: all)")
	fs.IntVar(&cnn.Threads, "cnn-threads", cnn.Threads, "CNN-Attention workers (0: all cores; results depend on the number)")

	b := &c.Baselines
	fs.Float64Var(&b.NBAlpha, "nb-alpha", b.NBAlpha, "Naive Bayes Lidstone smoothing (1: Laplace); < 0: tune on valid over 1, 0.3, 0.1, 0.03, 0.01, 0.003")
	fs.Float64Var(&b.NBHistW, "nb-hist-weight", b.NBHistW, "NB+H weight of the history words' log-likelihood; < 0: tune on valid")
	fs.IntVar(&b.TunePosts, "tune-posts", b.TunePosts, "valid examples used for tuning")
	fs.Int64Var(&b.Seed, "seed", b.Seed, "random seed of the trained baselines")
	fs.IntVar(&b.W2V.Dim, "w2v-dim", b.W2V.Dim, "word2vec vector size for the SVM baselines")
	fs.IntVar(&b.W2V.Epochs, "w2v-epochs", b.W2V.Epochs, "word2vec passes over the train-split texts")
	fs.IntVar(&b.W2V.Threads, "w2v-threads", b.W2V.Threads, "word2vec threads (1: deterministic; more: Hogwild, faster, not reproducible bit for bit)")
	fs.Float64Var(&b.SVM.Lambda, "svm-lambda", b.SVM.Lambda, "SVM Pegasos regularisation")
	fs.IntVar(&b.SVM.Epochs, "svm-epochs", b.SVM.Epochs, "SVM Pegasos epochs")
	fs.IntVar(&b.SVM.MaxTrain, "svm-max-train", b.SVM.MaxTrain, "SVM train examples (every n-th; 0: all)")
	fs.IntVar(&b.TTM.Topics, "ttm-topics", b.TTM.Topics, "TTM number of topics K")
	fs.IntVar(&b.TTM.Iters, "ttm-iters", b.TTM.Iters, "TTM Gibbs sweeps")
}

// RowSettings lists, for each method, the flags of fs (parsed) that can
// change its numbers (not those that choose what runs and where files go)
// and the number of cores, for the row store of --reuse. A flag's group is
// its name up to the first "-"; a flag of a group that some method claims
// (Method.groups) counts for the methods that claim it only, a flag of no
// such group (seed, tune-posts, quick, …) for every method.
func RowSettings(fs *flag.FlagSet) map[string]string {
	skip := map[string]bool{"out": true, "corpora": true, "methods": true, "reuse": true, "table3": true,
		"models": true, "cache-dir": true, "ira": true, "howyoutag": true}
	groups := map[string]bool{}
	for _, m := range Methods() {
		for _, g := range m.groups {
			groups[g] = true
		}
	}
	out := map[string]string{}
	for _, m := range Methods() {
		var b strings.Builder
		// Trained methods split batches over all cores by default, and their
		// results depend on how many.
		fmt.Fprintf(&b, "cores=%d ", runtime.GOMAXPROCS(0))
		fs.VisitAll(func(fl *flag.Flag) {
			if skip[fl.Name] || strings.HasPrefix(fl.Name, "t3-") {
				return
			}
			g, _, _ := strings.Cut(fl.Name, "-")
			if groups[g] && !slices.Contains(m.groups, g) {
				return
			}
			fmt.Fprintf(&b, "-%s=%s ", fl.Name, fl.Value)
		})
		out[m.Name] = b.String()
	}
	return out
}
