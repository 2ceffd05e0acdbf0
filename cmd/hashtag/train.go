package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

// trainFlags are the model and optimisation flags shared by train and bench.
type trainFlags struct {
	method                     variantFlag
	dim, hops, memory, words   int
	minCount, epochs, patience int
	batch, workers             int
	lr, dropout, l2            float64
	seed                       uint64
	maxTrain, maxValid         int
	pretrain                   int
	hideTags                   float64
	tagPosts                   int
	selectOpen                 bool
	calibrate                  bool
	wordDropout                float64
	timeChunks                 int
}

func (f *trainFlags) register(fs *flag.FlagSet) {
	def := trainer.DefaultOptions(model.HMemN2N)
	fs.TextVar(&f.method, "method", variantFlag{model.HMemN2N}, "model: hmemn2n, memn2n, hmemn2n-tags (history hashtags as memory words; outside the paper) or hmemn2n-copy (hmemn2n-tags with a copy path over the history's hashtags; outside the paper)")
	fs.IntVar(&f.dim, "dim", def.Config.Dim, "embedding size (paper: 300)")
	fs.IntVar(&f.hops, "hops", def.Config.Hops, "memory hops (paper: 2)")
	fs.IntVar(&f.memory, "memory", def.Config.Memory, "history posts in memory (paper: 5)")
	fs.IntVar(&f.words, "words", def.Config.MaxWords, "words kept per post (paper: 52)")
	fs.IntVar(&f.minCount, "min-count", def.MinCount, "keep words (and #tags) seen at least this often in train posts")
	fs.IntVar(&f.epochs, "epochs", def.Epochs, "maximum epochs")
	fs.IntVar(&f.patience, "patience", def.Patience, "stop after this many epochs without a better validation P@1 (0: never)")
	fs.IntVar(&f.batch, "batch", def.Batch, "examples per Adagrad step (paper: 128)")
	fs.IntVar(&f.workers, "workers", 0, "goroutines (0: all cores)")
	fs.Float64Var(&f.lr, "lr", def.LR, "Adagrad learning rate (paper: 0.01)")
	fs.Float64Var(&f.dropout, "dropout", def.Dropout, "dropout rate on [o0 ‖ oH] before the output layer (paper: 0.2)")
	fs.Float64Var(&f.l2, "l2", def.L2, "L2 weight decay on the dense matrices Wo, Ws, Wms, Wf, Theta")
	fs.Uint64Var(&f.seed, "seed", def.Seed, "seed of initial weights, shuffling and dropout")
	fs.IntVar(&f.maxTrain, "max-train", 0, "train on at most this many examples per epoch (0: all)")
	fs.IntVar(&f.maxValid, "max-valid", 0, "validate on at most this many examples (0: all)")
	fs.Float64Var(&f.hideTags, "hide-tags", 0, "hmemn2n-copy: hide each candidate hashtag of a training example's memory from the softmax with this probability, so the copy path learns for hashtags the model does not know (0: none; beyond the paper)")
	fs.IntVar(&f.tagPosts, "tag-posts", 0, fmt.Sprintf("hmemn2n-copy: the softmax also ranks every hashtag in at least this many train posts, beyond the protocol's candidates (in at least %d); the closed evaluation still ranks the candidates only (0: the candidates only; beyond the paper)", dataset.MinCandidatePosts))
	fs.Float64Var(&f.wordDropout, "word-dropout", 0, "leave out each word of a training post's text with this probability, anew in every epoch (0: none; beyond the paper)")
	fs.IntVar(&f.timeChunks, "time-chunks", 0, "order each epoch by time, oldest first, in this many chunks each shuffled on its own, so it ends on the most recent posts (0: shuffled whole; beyond the paper)")
	fs.BoolVar(&f.selectOpen, "select-open", false, "hmemn2n-copy: keep the epoch of the best open validation P@1 (any hashtag of a validation post is gold) instead of the closed one (beyond the paper)")
	fs.BoolVar(&f.calibrate, "calibrate", false, "hmemn2n-copy: after training, shift the copy gate's bias of the best model by the offset (of "+offsetList(trainer.GateOffsets)+"), then the copy path's candidate prior by the offset (of "+offsetList(trainer.KappaOffsets)+") with the best validation P@1, so that the text and the history are weighed for the top-1 on validation; best-epoch.bin keeps the uncalibrated model (beyond the paper)")
	fs.IntVar(&f.pretrain, "pretrain", 0, "initialise the embeddings with word2vec vectors learnt in this many epochs on the train posts (0: random, as the paper; beyond the paper)")
}

// defaultOut is the folder name of a run without --out: the method, the
// corpus and split, then each setting that changes the trained model and
// differs from its default, as -NAMEVALUE, so that runs of other settings
// never share a folder (the checkpoint would refuse to resume them anyway).
// --epochs and --patience are left out: they only say when to stop, and a
// longer run resumes a shorter one.
func (f *trainFlags) defaultOut(corpus, split string) string {
	v := f.method.Variant
	def := trainer.DefaultOptions(v)
	s := fmt.Sprintf("train-%s-%s-%s", f.method, corpus, split)
	add := func(name string, val, dflt any) {
		if val != dflt {
			s += fmt.Sprintf("-%s%v", name, val)
		}
	}
	add("dim", f.dim, def.Config.Dim)
	add("hops", f.hops, def.Config.Hops)
	add("memory", f.memory, def.Config.Memory)
	add("words", f.words, def.Config.MaxWords)
	add("mincount", f.minCount, def.MinCount)
	add("batch", f.batch, def.Batch)
	add("lr", f.lr, def.LR)
	add("dropout", f.dropout, def.Dropout)
	add("l2", f.l2, def.L2)
	add("seed", f.seed, def.Seed)
	add("maxtrain", f.maxTrain, 0)
	add("maxvalid", f.maxValid, 0)
	add("workers", f.workers, 0)
	add("pretrain", f.pretrain, 0)
	add("hidetags", f.hideTags, 0.0)
	add("tagposts", f.tagPosts, 0)
	add("selectopen", f.selectOpen, false)
	add("calibrate", f.calibrate, false)
	add("worddropout", f.wordDropout, 0.0)
	add("timechunks", f.timeChunks, 0)
	return s
}

func (f *trainFlags) options() (trainer.Options, error) {
	o := trainer.DefaultOptions(f.method.Variant)
	o.Config.Dim, o.Config.Hops, o.Config.Memory, o.Config.MaxWords = f.dim, f.hops, f.memory, f.words
	o.MinCount, o.Epochs, o.Patience, o.Batch, o.Workers = f.minCount, f.epochs, f.patience, f.batch, f.workers
	o.LR, o.Dropout, o.L2, o.Seed = f.lr, f.dropout, f.l2, f.seed
	o.MaxTrain, o.MaxValid, o.Pretrain, o.HideTags = f.maxTrain, f.maxValid, f.pretrain, f.hideTags
	o.TagPosts, o.SelectOpen, o.WordDropout = f.tagPosts, f.selectOpen, f.wordDropout
	o.TimeChunks, o.Calibrate = f.timeChunks, f.calibrate
	if err := o.CheckBeyondPaper(); err != nil {
		return o, err
	}
	if !(f.hideTags >= 0 && f.hideTags < 1) {
		return o, fmt.Errorf("--hide-tags %v: want a probability in [0, 1)", f.hideTags)
	}
	if f.hideTags > 0 && !f.method.Variant.Copies() {
		return o, fmt.Errorf("--hide-tags is for --method hmemn2n-copy (the other methods have no copy path)")
	}
	return o, o.Config.Validate()
}

func newTrain() *Command {
	c := newCommand("hashtag train [flags] (--cache FILE | CORPUS...)",
		"train HMemN2N, MemN2N or a variant beyond the paper on a corpus (checkpoints, --resume)", `
Trains HMemN2N (Huang et al. 2016) or MemN2N, as the paper has them, or a variant beyond the
paper: hmemn2n-tags (the memory posts keep their hashtags as words) or hmemn2n-copy (a copy path
over the memory's hashtags, so a person's own hashtags can be suggested; the browser model). Adagrad,
early stopping on validation P@1, and a checkpoint after every epoch; --resume continues one.`)
	fs := c.Flag
	var df dataFlags
	df.register(fs)
	var tf trainFlags
	tf.register(fs)
	out := fs.String("out", "", "folder for checkpoints and model.bin, locked while a run uses it (default .cache/train-METHOD-CORPUS-SPLIT and every setting that changes the result and differs from its default, e.g. -lr0.05-dim100)")
	resume := fs.Bool("resume", false, "continue from the checkpoint in --out (refused if any setting that changes the result differs; --epochs and --patience may)")
	logEvery := fs.Duration("log-every", 30*time.Second, "progress line interval when stdout is not a terminal")
	test := fs.Bool("test", true, "score the best model on the test split at the end")
	c.Run = func(args []string, stdout, stderr io.Writer) error {
		opt, err := tf.options()
		if err != nil {
			return err
		}
		d, err := df.open(args, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "corpus %s, split %s\n%s\n", d.Corpus, d.Split, d.Counts())
		if *out == "" {
			*out = filepath.Join(cacheDir, tf.defaultOut(d.Corpus, d.Split))
		}
		opt.Out, opt.Resume, opt.LogEvery = *out, *resume, *logEvery
		opt.Log = stdout
		if f, ok := stdout.(*os.File); ok {
			opt.Terminal = trainer.IsTerminal(f)
		}
		start := time.Now()
		res, err := trainer.Train(d, opt)
		if err != nil {
			return err
		}
		cal := ""
		if opt.Calibrate {
			cal = fmt.Sprintf(", %.4f calibrated (gate bias %+g, copy prior %+g)", res.CalibratedP1, res.GateOffset, res.KappaOffset)
		}
		fmt.Fprintf(stdout, "best %s %.4f at epoch %d%s; model %s (%.0fs)\n", opt.ValidMetric(),
			res.Epochs[res.BestEpoch-1].ValidP1, res.BestEpoch, cal, filepath.Join(*out, trainer.BestModelFile), time.Since(start).Seconds())
		if !*test {
			return nil
		}
		r, err := trainer.NewRanker(res.Model, d)
		if err != nil {
			return err
		}
		t := eval.Evaluate(d, dataset.Test, r)
		title := fmt.Sprintf("method %s on %s/%s test", tf.method, d.Corpus, d.Split)
		if !res.Model.Variant.Paper() {
			title += " [outside the paper's setup]"
		}
		fmt.Fprintln(stdout)
		t.Print(stdout, title)
		return nil
	}
	return c
}

// offsetList lists offsets for a flag's help.
func offsetList(offsets []float64) string {
	var b strings.Builder
	for i, o := range offsets {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%g", o)
	}
	return b.String()
}
