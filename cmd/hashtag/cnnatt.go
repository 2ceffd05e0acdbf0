package main

import (
	"flag"

	"github.com/hashtag-rec/hashtag/trainer/baselines"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

// cnnCfg holds the settings of CNN-Attention (the experiments command's
// --cnn-* flags); the seed and the valid posts come from baseCfg.
var cnnCfg = baselines.DefaultCNNAttConfig

func init() {
	cnnNote = `the post's text only (no history), trained from scratch by
  trainer/baselines/cnnatt.go: a local channel scores each word by a sigmoid filter over the window of h = 5
  words centred on it, folds the words scoring above η = 0.5 (trigger words; gradients only through them)
  weighted by their scores into one vector and maps it through a tanh layer of 100 features; a global channel
  convolves the whole post (100 filters of width 3, tanh, max-pooling); the concatenation (dropout 0.5) feeds
  a softmax over the candidates, cross-entropy with a uniform target over the gold set, Adam (step 3e-3,
  batch 64), at most 3 epochs with the best kept by valid F1@1 (defaults; the --cnn-* flags change them).
  **Deviations:** the paper's pre-trained word vectors are not available (vectors of 100 dimensions are
  learnt from scratch, words of fewer than 2 train occurrences dropped); its sizes, η and optimiser could not
  be looked up, so these are our choices; the paper's convolution and max-pooling after the folding layer
  act on a single folded vector, which makes them this dense tanh layer.`
	registerMethod("cnn-attention", method{summary: "attention-based CNN (Gong & Zhang 2016): local attention over trigger words plus a global convolution, text only (paper baseline CNN-Attention)",
		build: func(d *dataset.Dataset, o methodOpts) (eval.Ranker, error) {
			cfg := cnnCfg
			cfg.Seed = uint64(baseCfg.seed)
			cfg.TunePosts = baseCfg.tunePosts
			return baselines.TrainCNNAtt(d, cfg, o.log)
		}})
	flagHooks = append(flagHooks, func(fs *flag.FlagSet) {
		fs.IntVar(&cnnCfg.Dim, "cnn-dim", cnnCfg.Dim, "CNN-Attention word vector size")
		fs.IntVar(&cnnCfg.Window, "cnn-window", cnnCfg.Window, "CNN-Attention local attention window h (odd)")
		fs.Float64Var(&cnnCfg.Threshold, "cnn-eta", cnnCfg.Threshold, "CNN-Attention trigger-word threshold η on the attention score")
		fs.BoolVar(&cnnCfg.Soft, "cnn-soft", cnnCfg.Soft, "CNN-Attention: fold every word weighted by its score (no threshold)")
		fs.IntVar(&cnnCfg.LocalDim, "cnn-local", cnnCfg.LocalDim, "CNN-Attention local channel features")
		fs.IntVar(&cnnCfg.Filters, "cnn-filters", cnnCfg.Filters, "CNN-Attention global convolution filters")
		fs.IntVar(&cnnCfg.ConvWidth, "cnn-width", cnnCfg.ConvWidth, "CNN-Attention global convolution width (odd)")
		fs.Float64Var(&cnnCfg.Dropout, "cnn-dropout", cnnCfg.Dropout, "CNN-Attention dropout on the concatenated features")
		fs.Float64Var(&cnnCfg.LR, "cnn-lr", cnnCfg.LR, "CNN-Attention Adam step size")
		fs.IntVar(&cnnCfg.Batch, "cnn-batch", cnnCfg.Batch, "CNN-Attention examples per step")
		fs.IntVar(&cnnCfg.Epochs, "cnn-epochs", cnnCfg.Epochs, "CNN-Attention most epochs (the best on valid is kept)")
		fs.IntVar(&cnnCfg.Patience, "cnn-patience", cnnCfg.Patience, "CNN-Attention: stop after this many epochs without a better valid F1@1 (0: never)")
		fs.IntVar(&cnnCfg.MaxTrain, "cnn-max-train", cnnCfg.MaxTrain, "CNN-Attention train examples (every n-th; 0: all)")
		fs.IntVar(&cnnCfg.Threads, "cnn-threads", cnnCfg.Threads, "CNN-Attention workers (0: all cores; results depend on the number)")
	})
	quickHooks = append(quickHooks, func(set map[string]bool) {
		if !set["cnn-dim"] {
			cnnCfg.Dim = 32
		}
		if !set["cnn-local"] {
			cnnCfg.LocalDim = 32
		}
		if !set["cnn-filters"] {
			cnnCfg.Filters = 32
		}
		if !set["cnn-epochs"] {
			cnnCfg.Epochs = 1
		}
		if !set["cnn-max-train"] {
			cnnCfg.MaxTrain = 30000
		}
	})
}
