package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

// method builds a ranker for a dataset: trained methods train or load here.
type method struct {
	summary string
	// outside marks methods that use what the paper's setup forbids.
	outside bool
	// openPeer marks a peer of the open evaluation only (popular-open,
	// user-tags-open): the report scores it open, not closed.
	openPeer bool
	build    func(d *dataset.Dataset, opts methodOpts) (eval.Ranker, error)
}

// methodOpts are the eval flags a method may use.
type methodOpts struct {
	model string // a trained model file
	// trainDir, when model is empty, lets a trained method train in its
	// build, keeping checkpoints there and resuming from them (experiments).
	trainDir string
	log      io.Writer
}

// trainedRanker is a ranker whose build reports its own training time:
// the seconds of the training epochs, also when they were resumed from
// checkpoints rather than run in this build.
type trainedRanker struct {
	eval.Ranker
	trainSec float64
}

var methods = map[string]method{}

func registerMethod(name string, m method) {
	if _, dup := methods[name]; dup {
		panic("hashtag: method registered twice: " + name)
	}
	methods[name] = m
}

func init() {
	registerMethod("popular", method{summary: "the most frequent candidate hashtags",
		build: func(*dataset.Dataset, methodOpts) (eval.Ranker, error) { return eval.Popular{}, nil }})
	registerMethod("user-tags", method{summary: "hashtags of the author's 5 previous posts, by count then recency, then popular (outside the paper's setup: reads history hashtags)",
		outside: true,
		build:   func(*dataset.Dataset, methodOpts) (eval.Ranker, error) { return eval.UserTags{}, nil }})
	registerMethod("popular-open", method{summary: "open peer: every hashtag by its number of train posts, ties by name (closed: its candidates in that order)",
		openPeer: true,
		build:    func(d *dataset.Dataset, _ methodOpts) (eval.Ranker, error) { return eval.NewPopularOpen(d), nil }})
	registerMethod("user-tags-open", method{summary: "open peer: every hashtag of the author's 5 previous posts by count, recency, train posts, name, then popular-open (outside the paper's setup)",
		outside: true, openPeer: true,
		build: func(d *dataset.Dataset, _ methodOpts) (eval.Ranker, error) { return eval.NewUserTagsOpen(d), nil }})
	register("eval", "score a method on a split by P/R/F1@1..5", runEval)
}

func methodNames() string {
	names := make([]string, 0, len(methods))
	for n := range methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func runEval(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", stderr)
	var df dataFlags
	df.register(fs)
	name := fs.String("method", "popular", "method: "+methodNames())
	modelPath := fs.String("model", "", "trained model file, for methods that need one")
	on := fs.String("on", "test", "split to score: train, valid or test")
	open := fs.Bool("open", false, "open evaluation (BENCHMARK.md, \"Open evaluation\"): every post of the split with a hashtag, gold = all its hashtags; a method that ranks only candidates is scored over them")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: hashtag eval [flags] FILE|FOLDER...\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	m, ok := methods[*name]
	if !ok {
		return fmt.Errorf("unknown method %q (want one of %s)", *name, methodNames())
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
	d, err := df.open(fs.Args(), stderr)
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
	r, err := m.build(d, methodOpts{model: *modelPath, log: stderr})
	if err != nil {
		return err
	}
	built := time.Since(start)
	start = time.Now()
	var t eval.Table
	title := fmt.Sprintf("method %s on %s/%s %s", *name, d.Corpus, d.Split, *on)
	if *open {
		o, native := openRanker(*name, r)
		t = eval.EvaluateOpenPosts(d, openPosts, o)
		title = "open evaluation: " + title
		if !native {
			title += " [ranks candidates only: it can never suggest another hashtag]"
		}
	} else {
		t = eval.Evaluate(d, split, r)
	}
	if m.outside {
		title += " [outside the paper's setup]"
	}
	t.Print(stdout, title)
	fmt.Fprintf(stdout, "\nbuild %.1fs, ranking %.1fs\n", built.Seconds(), time.Since(start).Seconds())
	return nil
}

// openRanker returns the open ranking of the built method name: the method
// itself if it implements eval.OpenRanker, else its candidate ranking mapped
// to tag ids. native reports whether it can rank a hashtag that is not a
// candidate (a memory network without a copy path cannot, whatever its
// ranker implements). A trainedRanker is looked through.
func openRanker(name string, r eval.Ranker) (o eval.OpenRanker, native bool) {
	if tr, ok := r.(trainedRanker); ok {
		r = tr.Ranker
	}
	o, native = eval.Open(r)
	if v, err := model.ParseVariant(name); err == nil && !v.Copies() {
		native = false
	}
	return o, native
}
