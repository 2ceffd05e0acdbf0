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
