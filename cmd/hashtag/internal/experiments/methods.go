package experiments

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

// Method is one method of the report: it builds a ranker for a dataset
// (trained methods train or load there) as "hashtag eval --method NAME"
// does.
type Method struct {
	Name    string
	Summary string
	// Outside marks methods that use what the paper's setup forbids.
	Outside bool
	// OpenPeer marks a peer of the open evaluation only (popular-open,
	// user-tags-open): the report scores it open, not closed.
	OpenPeer bool
	// groups are the flag groups (a flag's name up to its first "-") whose
	// flags can change the method's numbers (RowSettings).
	groups []string
	build  func(d *dataset.Dataset, e *env) (eval.Ranker, error)
}

// BuildOptions are what a method's build may use beyond its settings.
type BuildOptions struct {
	Model string // a trained model file
	// TrainDir, when Model is empty, lets a trained method train in its
	// build, keeping checkpoints there and resuming from them.
	TrainDir string
	Log      io.Writer
}

// env is one build's settings and options, and what builds of one run
// share (the word vectors of the SVM baselines).
type env struct {
	cfg *Config
	BuildOptions
	vectors *vectorMemo
}

// Build builds m's ranker for d with the settings of cfg.
func (m *Method) Build(d *dataset.Dataset, cfg *Config, o BuildOptions) (eval.Ranker, error) {
	return m.build(d, &env{cfg: cfg, BuildOptions: o, vectors: new(vectorMemo)})
}

// Methods returns every method in the order of the report's rows: the
// paper's baselines, the memory networks, then the methods outside the
// paper's setup and the open evaluation's peers.
func Methods() []*Method {
	ms := []*Method{
		{Name: "popular", Summary: "the most frequent candidate hashtags", groups: []string{},
			build: func(*dataset.Dataset, *env) (eval.Ranker, error) { return eval.Popular{}, nil }},
		{Name: "nb", Summary: "multinomial Naive Bayes over the post's words (paper baseline NB)", groups: []string{"nb"},
			build: func(d *dataset.Dataset, e *env) (eval.Ranker, error) { return buildNB(d, e, false) }},
		{Name: "nb-h", Summary: "Naive Bayes plus the words of the 5 history posts as a weighted second bag (paper baseline NB+H)", groups: []string{"nb"},
			build: func(d *dataset.Dataset, e *env) (eval.Ranker, error) { return buildNB(d, e, true) }},
		{Name: "svm", Summary: "one-vs-rest linear SVMs over the mean word2vec vector of the post (paper baseline SVM; vectors learnt on the train split)", groups: []string{"w2v", "svm"},
			build: func(d *dataset.Dataset, e *env) (eval.Ranker, error) { return buildSVM(d, e, false) }},
		{Name: "svm-h", Summary: "SVM plus the mean word2vec vector of the 5 history posts, concatenated (paper baseline SVM+H)", groups: []string{"w2v", "svm"},
			build: func(d *dataset.Dataset, e *env) (eval.Ranker, error) { return buildSVM(d, e, true) }},
		{Name: "ttm", Summary: "topical translation model (Ding et al. 2013), collapsed Gibbs sampling", groups: []string{"ttm"},
			build: buildTTM},
		{Name: "cnn-attention", Summary: "attention-based CNN (Gong & Zhang 2016): local attention over trigger words plus a global convolution, text only (paper baseline CNN-Attention)", groups: []string{"cnn"},
			build: buildCNN},
	}
	for _, v := range []model.Variant{model.MemN2N, model.HMemN2N, model.HMemN2NTags, model.HMemN2NCopy} {
		ms = append(ms, memNetMethod(v))
	}
	return append(ms,
		&Method{Name: "user-tags", Summary: "hashtags of the author's 5 previous posts, by count then recency, then popular (outside the paper's setup: reads history hashtags)",
			Outside: true, groups: []string{},
			build: func(*dataset.Dataset, *env) (eval.Ranker, error) { return eval.UserTags{}, nil }},
		&Method{Name: "popular-open", Summary: "open peer: every hashtag by its number of train posts, ties by name (closed: its candidates in that order)",
			OpenPeer: true, groups: []string{},
			build: func(d *dataset.Dataset, _ *env) (eval.Ranker, error) { return eval.NewPopularOpen(d), nil }},
		&Method{Name: "user-tags-open", Summary: "open peer: every hashtag of the author's 5 previous posts by count, recency, train posts, name, then popular-open (outside the paper's setup)",
			Outside: true, OpenPeer: true, groups: []string{},
			build: func(d *dataset.Dataset, _ *env) (eval.Ranker, error) { return eval.NewUserTagsOpen(d), nil }},
	)
}

// Lookup returns the method called name.
func Lookup(name string) (*Method, error) {
	for _, m := range Methods() {
		if m.Name == name {
			return m, nil
		}
	}
	return nil, fmt.Errorf("unknown method %q (want one of %s)", name, Names())
}

// Names lists the methods' names in name order, comma-separated.
func Names() string {
	var names []string
	for _, m := range Methods() {
		names = append(names, m.Name)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// selectMethods returns the methods of the comma-separated list, or every
// method in report order if list is empty.
func selectMethods(list string) ([]*Method, error) {
	if list == "" {
		return Methods(), nil
	}
	var out []*Method
	for _, n := range strings.Split(list, ",") {
		m, err := Lookup(strings.TrimSpace(n))
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// trainedRanker is a ranker whose build reports its own training time:
// the seconds of the training epochs, also when they were resumed from
// checkpoints rather than run in this build.
type trainedRanker struct {
	eval.Ranker
	trainSec float64
}

// OpenRanker returns the open ranking of the built method name: the method
// itself if it implements eval.OpenRanker, else its candidate ranking mapped
// to tag ids. native reports whether it can rank a hashtag that is not a
// candidate (a memory network without a copy path cannot, whatever its
// ranker implements). A ranker that reports its training time is looked
// through.
func OpenRanker(name string, r eval.Ranker) (o eval.OpenRanker, native bool) {
	if tr, ok := r.(trainedRanker); ok {
		r = tr.Ranker
	}
	o, native = eval.Open(r)
	if v, err := model.ParseVariant(name); err == nil && !v.Copies() {
		native = false
	}
	return o, native
}
