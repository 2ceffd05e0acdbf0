package main

import (
	"fmt"
	"io"
	"time"

	"github.com/hashtag-rec/hashtag/cmd/hashtag/internal/experiments"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

func newEval() *Command {
	c := newCommand("hashtag eval [flags] (--cache FILE | CORPUS...)",
		"score a method on a split by P/R/F1@1..5", `
Builds the method named by --method on the corpus (a trained method loads --model) and scores
it on the split --on by P@k, R@k and F1@k, k = 1..5, as docs/RESULTS.md does; --open scores
the open evaluation instead.`)
	fs := c.Flag
	var df dataFlags
	df.register(fs)
	name := fs.String("method", "popular", "method: "+experiments.Names())
	modelPath := fs.String("model", "", "trained model file, for methods that need one")
	on := fs.String("on", "test", "split to score: train, valid or test")
	open := fs.Bool("open", false, "open evaluation (BENCHMARK.md, \"Open evaluation\"): every post of the split with a hashtag, gold = all its hashtags; a method that ranks only candidates is scored over them")
	c.Run = func(args []string, stdout, stderr io.Writer) error {
		m, err := experiments.Lookup(*name)
		if err != nil {
			return err
		}
		split := -1
		for i, s := range dataset.SplitNames {
			if s == *on {
				split = i
			}
		}
		if split < 0 {
			return fmt.Errorf("--on %q: want train, valid or test", *on)
		}
		d, err := df.open(args, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "corpus %s, split %s\n%s\n\n", d.Corpus, d.Split, d.Counts())
		var openPosts []int32
		if *open {
			openPosts = d.OpenExamples(split)
			fmt.Fprintf(stdout, "open evaluation, %s split\n%s\n\n", *on, d.OpenStatsOf(openPosts))
		}
		start := time.Now()
		cfg := experiments.DefaultConfig()
		r, err := m.Build(d, &cfg, experiments.BuildOptions{Model: *modelPath, Log: stderr})
		if err != nil {
			return err
		}
		built := time.Since(start)
		start = time.Now()
		var t eval.Table
		title := fmt.Sprintf("method %s on %s/%s %s", *name, d.Corpus, d.Split, *on)
		if *open {
			o, native := experiments.OpenRanker(*name, r)
			t = eval.EvaluateOpenPosts(d, openPosts, o)
			title = "open evaluation: " + title
			if !native {
				title += " [ranks candidates only: it can never suggest another hashtag]"
			}
		} else {
			t = eval.Evaluate(d, split, r)
		}
		if m.Outside {
			title += " [outside the paper's setup]"
		}
		t.Print(stdout, title)
		fmt.Fprintf(stdout, "\nbuild %.1fs, ranking %.1fs\n", built.Seconds(), time.Since(start).Seconds())
		return nil
	}
	return c
}
