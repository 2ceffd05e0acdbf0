package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/baselines/report"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

func init() {
	register("experiments", "run every method on every corpus; write docs/RESULTS.md with tables and figures", runExperiments)
}

// methodOrder is the order of the report's rows; methods registered later
// that are not listed here follow in name order.
var methodOrder = []string{"popular", "nb", "nb-h", "svm", "svm-h", "ttm", "cnn-attention",
	"memn2n", "hmemn2n", "hmemn2n-tags", "hmemn2n-copy", "user-tags", "popular-open", "user-tags-open"}

// expCorpus is one corpus and split of the report.
type expCorpus struct {
	key, title string
	args       []string
	split      string
}

type expFlags struct {
	out, ira, howyoutag, corpora, methods, models string
	quick, table3, reuse                          bool
	settings                                      map[string]string // per method, the flags that can change its row
	t3Dims, t3Hops                                string
	t3Epochs, t3MaxTrain, t3MaxValid              int
	cacheDir                                      string
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

func runExperiments(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("experiments", stderr)
	var f expFlags
	fs.StringVar(&f.out, "out", "docs", "folder for RESULTS.md and the figures")
	fs.StringVar(&f.ira, "ira", "../shared/data/ira/ira_tweets.csv.gz", "the ira corpus file")
	fs.StringVar(&f.howyoutag, "howyoutag", defaultHowYouTag(), "the howyoutag folder (train/valid/test)")
	fs.StringVar(&f.corpora, "corpora", "ira-random,howyoutag,ira-time", "corpora to run, comma-separated")
	fs.StringVar(&f.methods, "methods", "", "methods to run, comma-separated (default: every registered method)")
	fs.StringVar(&f.models, "models", filepath.Join(cacheDir, "models"), "trained model files, MODELS/CORPUS-SPLIT/METHOD.bin: a memory network with a file there is loaded, not trained")
	fs.BoolVar(&f.quick, "quick", false, "a few minutes' run for CI: small baseline settings, ira subsampled to 20k train / 3k valid / 3k test examples; --out defaults to .cache/experiments-quick")
	fs.BoolVar(&f.table3, "table3", true, "also train MemN2N and HMemN2N on ira/random over --t3-dims (at 2 hops) and --t3-hops (at dim 300), the paper's Table 3: 20 trainings, about an hour at the defaults")
	fs.StringVar(&f.t3Dims, "t3-dims", "50,100,200,300,400,500", "Table 3 embedding sizes")
	fs.StringVar(&f.t3Hops, "t3-hops", "1,2,3,4,5", "Table 3 hop counts")
	fs.IntVar(&f.t3Epochs, "t3-epochs", 2, "Table 3 training epochs per cell")
	fs.IntVar(&f.t3MaxTrain, "t3-max-train", 100000, "Table 3 train examples per epoch (0: all)")
	fs.IntVar(&f.t3MaxValid, "t3-max-valid", 5000, "Table 3 valid examples for choosing the best epoch (0: all)")
	fs.BoolVar(&f.reuse, "reuse", false, "take a method's row from CACHE/experiments/CORPUS/METHOD.row.json when an earlier run with the same settings and data wrote it (the report lists such rows); only valid if the method's code has not changed since")
	fs.StringVar(&f.cacheDir, "cache-dir", cacheDir, "folder for dataset caches and the memory networks' training runs (CACHE/experiments/CORPUS/…, resumed when rerun)")
	fs.IntVar(&mnCfg.epochs, "mn-epochs", mnCfg.epochs, "memory networks: epochs (early stopping keeps the best on valid)")
	fs.Float64Var(&mnCfg.lr, "mn-lr", mnCfg.lr, "memory networks: Adagrad learning rate (paper: 0.01)")
	fs.IntVar(&mnCfg.maxTrain, "mn-max-train", mnCfg.maxTrain, "memory networks: train examples per epoch (0: all)")
	registerBaselineFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: hashtag experiments [flags]\n\n"+
			"Runs every registered method (as \"hashtag eval --method NAME\" would) on ira/random, ira/time and\n"+
			"howyoutag and writes RESULTS.md: the Table 2 layout (P/R/F1@1, F1@5, training seconds) and the\n"+
			"Figure 2 curves (P@k, R@k, F1@k, k = 1..5) as PNG and SVG.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if f.quick {
		if !set["out"] {
			f.out = filepath.Join(cacheDir, "experiments-quick")
		}
		quickSettings(set)
		if !set["t3-epochs"] {
			f.t3Epochs = 1
		}
		if !set["t3-max-train"] {
			f.t3MaxTrain = 0 // the 20k-example subsample
		}
		if !set["mn-epochs"] {
			mnCfg.epochs = 1
		}
	}
	f.settings = rowSettings(fs)
	return experiments(&f, args, stdout, stderr)
}

// flagGroups names, per method, the flag groups (a flag's group is its name
// up to the first "-") that can change its row; flags of no group (seed,
// tune-posts, quick, …) concern every method. A method not listed here
// depends on every flag.
var flagGroups = map[string][]string{
	"popular": {}, "user-tags": {}, "popular-open": {}, "user-tags-open": {},
	"nb": {"nb"}, "nb-h": {"nb"},
	"svm": {"w2v", "svm"}, "svm-h": {"w2v", "svm"},
	"ttm":           {"ttm"},
	"cnn-attention": {"cnn"},
	"memn2n":        {"mn"}, "hmemn2n": {"mn"}, "hmemn2n-tags": {"mn"}, "hmemn2n-copy": {"mn"},
}

// rowSettings lists, for each method, the flags that can change its
// numbers (not those that choose what runs and where files go) and the
// number of cores, for the row store of --reuse.
func rowSettings(fs *flag.FlagSet) map[string]string {
	skip := map[string]bool{"out": true, "corpora": true, "methods": true, "reuse": true, "table3": true,
		"models": true, "cache-dir": true, "ira": true, "howyoutag": true}
	groups := map[string]bool{}
	for _, gs := range flagGroups {
		for _, g := range gs {
			groups[g] = true
		}
	}
	out := map[string]string{}
	for name := range methods {
		gs, known := flagGroups[name]
		var b strings.Builder
		// Trained methods split batches over all cores by default, and their
		// results depend on how many.
		fmt.Fprintf(&b, "cores=%d ", runtime.GOMAXPROCS(0))
		fs.VisitAll(func(fl *flag.Flag) {
			if skip[fl.Name] || strings.HasPrefix(fl.Name, "t3-") {
				return
			}
			g, _, _ := strings.Cut(fl.Name, "-")
			if known && groups[g] && !slices.Contains(gs, g) {
				return
			}
			fmt.Fprintf(&b, "-%s=%s ", fl.Name, fl.Value)
		})
		out[name] = b.String()
	}
	return out
}

// storedRow is a finished row of the report, kept for --reuse.
type storedRow struct {
	Settings, Counts string
	Finished         time.Time
	Row              report.Row
	Log              string
}

func rowPath(f *expFlags, c expCorpus, name string) string {
	dir := c.key
	if f.quick {
		dir += "-quick"
	}
	return filepath.Join(f.cacheDir, "experiments", dir, name+".row.json")
}

// reusedRow returns the stored row of an earlier run with the same settings
// and data, if --reuse allows it.
func reusedRow(f *expFlags, c expCorpus, name, counts string) (storedRow, bool) {
	var sr storedRow
	if !f.reuse {
		return sr, false
	}
	b, err := os.ReadFile(rowPath(f, c, name))
	if err != nil || json.Unmarshal(b, &sr) != nil {
		return sr, false
	}
	// A row stored before the open evaluation existed has no open table.
	return sr, sr.Settings == f.settings[name] && sr.Counts == counts && sr.Row.Skipped == "" && sr.Row.Open != nil
}

func storeRow(f *expFlags, c expCorpus, sr storedRow) error {
	b, err := json.MarshalIndent(sr, "", "  ")
	if err != nil {
		return err
	}
	p := rowPath(f, c, sr.Row.Method)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return model.WriteFileAtomic(p, b)
}

// quickSettings shrinks the trained baselines for --quick, leaving flags
// the user set alone.
func quickSettings(set map[string]bool) {
	if !set["w2v-dim"] {
		baseCfg.w2v.Dim = 32
	}
	if !set["w2v-epochs"] {
		baseCfg.w2v.Epochs = 1
	}
	if !set["svm-epochs"] {
		baseCfg.svm.Epochs = 1
	}
	if !set["ttm-iters"] {
		baseCfg.ttm.Iters = 10
	}
	if !set["ttm-topics"] {
		baseCfg.ttm.Topics = 20
	}
	if !set["tune-posts"] {
		baseCfg.tunePosts = 2000
	}
	for _, h := range quickHooks {
		h(set)
	}
}

// orderedMethods returns the methods to run, in report order.
func orderedMethods(list string) ([]string, error) {
	if list != "" {
		var out []string
		for _, n := range strings.Split(list, ",") {
			n = strings.TrimSpace(n)
			if _, ok := methods[n]; !ok {
				return nil, fmt.Errorf("unknown method %q (want one of %s)", n, methodNames())
			}
			out = append(out, n)
		}
		return out, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, n := range methodOrder {
		seen[n] = true
		if _, ok := methods[n]; ok {
			out = append(out, n)
		}
	}
	var rest []string
	for n := range methods {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	return append(out, rest...), nil
}

func (f *expFlags) corpusList() ([]expCorpus, error) {
	all := map[string]expCorpus{
		"ira-random": {"ira-random", "ira / random", []string{f.ira}, dataset.SplitRandom},
		"ira-time":   {"ira-time", "ira / time", []string{f.ira}, dataset.SplitTime},
		"howyoutag":  {"howyoutag", "howyoutag / given", []string{f.howyoutag}, dataset.SplitGiven},
	}
	var out []expCorpus
	for _, k := range strings.Split(f.corpora, ",") {
		c, ok := all[strings.TrimSpace(k)]
		if !ok {
			return nil, fmt.Errorf("unknown corpus %q (want ira-random, ira-time or howyoutag)", k)
		}
		out = append(out, c)
	}
	return out, nil
}

// expResult is one corpus's rows plus the methods' logs.
type expResult struct {
	c       expCorpus
	counts  string
	rows    []report.Row
	logs    map[string]string
	reused  map[string]time.Time // rows taken from an earlier run (--reuse), and when it finished them
	figure  string               // base name of the figure files, in out
	skipped string               // the whole corpus, and why
	// openPosts are the open evaluation's test examples (every test post
	// with a hashtag; every n-th of them, at most 3,000, for --quick on
	// ira), openStats their counts.
	openPosts []int32
	openStats dataset.OpenStats
}

func experiments(f *expFlags, args []string, stdout, stderr io.Writer) error {
	names, err := orderedMethods(f.methods)
	if err != nil {
		return err
	}
	corpora, err := f.corpusList()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	started := time.Now()
	var results []expResult
	for _, c := range corpora {
		res := expResult{c: c, logs: map[string]string{}, reused: map[string]time.Time{}}
		df := dataFlags{split: c.split, dir: f.cacheDir}
		if _, err := os.Stat(c.args[0]); err != nil {
			res.skipped = fmt.Sprintf("input %s not found", c.args[0])
			fmt.Fprintf(stderr, "experiments: %s skipped: %s\n", c.key, res.skipped)
			results = append(results, res)
			continue
		}
		d, err := df.open(c.args, stderr)
		if err != nil {
			return fmt.Errorf("%s: %w", c.key, err)
		}
		if f.quick && c.key != "howyoutag" {
			d = subsample(d, 20000, 3000, 3000)
		}
		res.counts = d.Counts()
		res.openPosts = d.OpenExamples(dataset.Test)
		if f.quick && c.key != "howyoutag" {
			res.openPosts = everyNth(res.openPosts, 3000)
		}
		res.openStats = d.OpenStatsOf(res.openPosts)
		for _, n := range names {
			r, ok := reusedRow(f, c, n, res.counts)
			if ok {
				fmt.Fprintf(stderr, "experiments: %s: %s: reusing the row finished %s\n", c.key, n, r.Finished.Format(time.RFC3339))
				res.reused[n] = r.Finished
				if r.Log != "" {
					res.logs[n] = r.Log
				}
			} else {
				r.Row = runMethod(d, c, n, f, &res, stderr)
				if r.Row.Skipped == "" {
					sr := storedRow{Settings: f.settings[n], Counts: res.counts, Finished: time.Now().UTC(), Row: r.Row, Log: res.logs[n]}
					if err := storeRow(f, c, sr); err != nil {
						return err
					}
				}
			}
			res.rows = append(res.rows, r.Row)
			if r := r.Row; r.Skipped == "" {
				if !r.OpenOnly {
					fmt.Fprintf(stdout, "%s %-14s P@1 %.3f R@1 %.3f F1@1 %.3f F1@5 %.3f train %.1fs\n", c.key, n,
						r.Table.P[0], r.Table.R[0], r.Table.F1[0], r.Table.F1[eval.MaxK-1], r.TrainSec)
				}
				if o := r.Open; o != nil {
					fmt.Fprintf(stdout, "%s %-14s open: P@1 %.3f R@1 %.3f F1@1 %.3f F1@5 %.3f\n", c.key, n,
						o.P[0], o.R[0], o.F1[0], o.F1[eval.MaxK-1])
				}
			} else {
				fmt.Fprintf(stdout, "%s %-14s skipped: %s\n", c.key, n, r.Skipped)
			}
		}
		res.figure = "fig2-" + c.key
		if err := report.Curves(inPaper(res.rows), c.title, filepath.Join(f.out, res.figure)); err != nil {
			return fmt.Errorf("%s: figure: %w", c.key, err)
		}
		results = append(results, res)
		// Written after every corpus, so that a long run interrupted later
		// keeps what it finished.
		if err := saveResults(f, args, results, nil, time.Since(started), stdout); err != nil {
			return err
		}
	}
	var t3 *table3Result
	if f.table3 {
		t3 = runTable3(f, stderr)
	}
	return saveResults(f, args, results, t3, time.Since(started), stdout)
}

func saveResults(f *expFlags, args []string, results []expResult, t3 *table3Result, took time.Duration, stdout io.Writer) error {
	path := filepath.Join(f.out, "RESULTS.md")
	var b bytes.Buffer
	writeResults(&b, f, args, results, t3, took)
	err := os.WriteFile(path, b.Bytes(), 0o644)
	if err == nil {
		fmt.Fprintf(stdout, "wrote %s\n", path)
	}
	return err
}

// inPaper drops the rows outside the paper's setup from the figures.
func inPaper(rows []report.Row) []report.Row {
	var out []report.Row
	for _, r := range rows {
		if !r.Outside {
			out = append(out, r)
		}
	}
	return out
}

// runMethod builds (trains) and scores one method, as "hashtag eval" does;
// a build error marks the method not run.
func runMethod(d *dataset.Dataset, c expCorpus, name string, f *expFlags, res *expResult, stderr io.Writer) report.Row {
	m := methods[name]
	row := report.Row{Method: name, Outside: m.outside, OpenOnly: m.openPeer}
	var logb bytes.Buffer
	opts := methodOpts{log: io.MultiWriter(stderr, &logb)}
	modelPath := filepath.Join(f.models, c.key, name+".bin")
	if fileExists(modelPath) {
		opts.model = modelPath
	} else if v, err := model.ParseVariant(name); err == nil {
		dir := mnCfg.dirName(v)
		if f.quick {
			dir += "-quick"
		}
		opts.trainDir = filepath.Join(f.cacheDir, "experiments", c.key, dir)
	}
	fmt.Fprintf(stderr, "experiments: %s: %s\n", c.key, name)
	start := time.Now()
	r, err := buildSafely(m, d, opts)
	row.TrainSec = time.Since(start).Seconds()
	if tr, ok := r.(trainedRanker); ok {
		row.TrainSec = tr.trainSec
	}
	if err != nil {
		row.Skipped = err.Error()
		if opts.model == "" {
			row.Skipped = fmt.Sprintf("no model file %s; %v", modelPath, err)
		}
		fmt.Fprintf(stderr, "experiments: %s: %s not available: %v\n", c.key, name, err)
		return row
	}
	if !m.openPeer {
		row.Table = eval.Evaluate(d, dataset.Test, r)
	}
	o, native := openRanker(name, r)
	open := eval.EvaluateOpenPosts(d, res.openPosts, o)
	row.Open, row.OpenAny = &open, native
	if logb.Len() > 0 {
		res.logs[name] = logb.String()
	}
	return row
}

// buildSafely turns a panic in a method's build into an error, so that one
// broken method does not lose the others' results.
func buildSafely(m method, d *dataset.Dataset, o methodOpts) (r eval.Ranker, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("build panicked: %v", p)
		}
	}()
	return m.build(d, o)
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// everyNth keeps every n-th post of posts so that at most limit remain.
func everyNth(posts []int32, limit int) []int32 {
	if len(posts) <= limit {
		return posts
	}
	out := make([]int32, limit)
	for i := range out {
		out[i] = posts[i*len(posts)/limit]
	}
	return out
}

// subsample returns a dataset sharing d's posts whose example lists keep
// every n-th example so that at most nTrain, nValid and nTest remain.
// Candidates stay those of the full corpus.
func subsample(d *dataset.Dataset, nTrain, nValid, nTest int) *dataset.Dataset {
	q := &dataset.Dataset{Corpus: d.Corpus, Split: d.Split, Source: d.Source,
		Words: d.Words, WordCount: d.WordCount, Tags: d.Tags, Candidates: d.Candidates, CandidateCount: d.CandidateCount,
		PostAuthor: d.PostAuthor, PostSplit: d.PostSplit, TokOff: d.TokOff, Tok: d.Tok, TagOff: d.TagOff, Tag: d.Tag,
		HistOff: d.HistOff, Hist: d.Hist, GoldOff: d.GoldOff, Gold: d.Gold}
	for s, n := range []int{nTrain, nValid, nTest} {
		ex := d.Examples[s]
		if len(ex) <= n {
			q.Examples[s] = ex
			continue
		}
		q.Examples[s] = make([]int32, n)
		for i := range q.Examples[s] {
			q.Examples[s][i] = ex[i*len(ex)/n]
		}
	}
	return q
}

// table3Result holds Table 3: F1@1 of each variant over embedding sizes
// (at t3BaseHops hops) and over hop counts (at t3BaseDim dimensions).
type table3Result struct {
	dims, hops []int
	cells      map[string]report.Row // "variant/dim/hops"
	err        string
	cfg        memNetConfig
	quick      bool
}

// The paper's Table 3 varies the embedding size at 2 hops and the hops at
// 300 dimensions.
const t3BaseDim, t3BaseHops = 300, 2

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q: want comma-separated positive integers", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// t3Cells lists the (dim, hops) pairs of Table 3 without repeats.
func t3Cells(dims, hops []int) [][2]int {
	var out [][2]int
	seen := map[[2]int]bool{}
	add := func(c [2]int) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, d := range dims {
		add([2]int{d, t3BaseHops})
	}
	for _, h := range hops {
		add([2]int{t3BaseDim, h})
	}
	return out
}

// runTable3 trains MemN2N and HMemN2N on ira/random for every cell of Table
// 3 with the trainer package, scoring each on test. Every cell trains in its
// own folder under CACHE/table3 and resumes from its checkpoint, so that an
// interrupted run, or a rerun, repeats no finished training.
func runTable3(f *expFlags, stderr io.Writer) *table3Result {
	cfg := memNetConfig{epochs: f.t3Epochs, patience: mnCfg.patience, maxTrain: f.t3MaxTrain, maxValid: f.t3MaxValid, lr: mnCfg.lr}
	t := &table3Result{cells: map[string]report.Row{}, cfg: cfg, quick: f.quick}
	var err error
	if t.dims, err = parseInts(f.t3Dims); err == nil {
		t.hops, err = parseInts(f.t3Hops)
	}
	if err != nil {
		t.err = err.Error()
		return t
	}
	df := dataFlags{split: dataset.SplitRandom, dir: f.cacheDir}
	if _, err := os.Stat(f.ira); err != nil {
		t.err = fmt.Sprintf("input %s not found", f.ira)
		return t
	}
	d, err := df.open([]string{f.ira}, stderr)
	if err != nil {
		t.err = err.Error()
		return t
	}
	if f.quick {
		d = subsample(d, 20000, 3000, 3000)
	}
	for _, v := range []model.Variant{model.MemN2N, model.HMemN2N} {
		for _, c := range t3Cells(t.dims, t.hops) {
			dim, hops := c[0], c[1]
			opt := cfg.options(v)
			opt.Config.Dim, opt.Config.Hops = dim, hops
			dir := fmt.Sprintf("%s-d%d-h%d", cfg.dirName(v), dim, hops)
			if f.quick {
				dir += "-quick"
			}
			opt.Out, opt.Log = filepath.Join(f.cacheDir, "table3", dir), stderr
			fmt.Fprintf(stderr, "table3: %s dim %d hops %d\n", v, dim, hops)
			res, r, secs, err := trainResumed(d, opt)
			if err != nil {
				t.err = fmt.Sprintf("%s dim %d hops %d: %v", v, dim, hops, err)
				return t
			}
			row := report.Row{Method: v.String(), Table: eval.Evaluate(d, dataset.Test, r), TrainSec: secs}
			key := fmt.Sprintf("%s/%d/%d", v, dim, hops)
			t.cells[key] = row
			fmt.Fprintf(stderr, "table3: %s F1@1 %.3f (best epoch %d, %.0fs of training)\n", key, row.Table.F1[0], res.BestEpoch, row.TrainSec)
		}
	}
	return t
}

// machine describes the computer the run used.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				if i := strings.Index(l, ":"); i >= 0 {
					cpu = strings.TrimSpace(l[i+1:])
				}
				break
			}
		}
	}
	nproc := strconv.Itoa(runtime.NumCPU())
	if out, err := exec.Command("nproc").Output(); err == nil {
		nproc = strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("%s; nproc %s; %s %s/%s", cpu, nproc, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// writeResults writes RESULTS.md.
func writeResults(w io.Writer, f *expFlags, args []string, results []expResult, t3 *table3Result, took time.Duration) {
	cmd := "go run ./cmd/hashtag experiments"
	if len(args) > 0 {
		cmd += " " + strings.Join(args, " ")
	}
	fmt.Fprintf(w, "# Results\n\nGenerated by `%s` (`make report`) on %s in %.0f minutes.\n\n",
		cmd, time.Now().UTC().Format("2006-01-02 15:04 UTC"), took.Minutes())
	fmt.Fprintf(w, "Machine: %s. Training times are wall-clock seconds of each method's build (training and any\n"+
		"tuning on valid; for the memory networks, the sum of their training epochs) on this machine, which other\n"+
		"jobs shared during parts of the run: treat them as upper bounds.\n\n", machine())
	if f.quick {
		fmt.Fprintf(w, "**Quick mode** (`--quick`): ira subsampled to 20,000 train, 3,000 valid and 3,000 test examples "+
			"(every n-th), small baseline settings. These numbers are a smoke test, not results.\n\n")
	}
	fmt.Fprintf(w, "Every number below is the test split of the benchmark protocol (../shared/BENCHMARK.md), scored by\n"+
		"`trainer/eval` exactly as `hashtag eval --method NAME` scores it; each method trains on the train split's\n"+
		"examples and tunes on (a subsample of) valid.\n\n")
	for _, r := range results {
		fmt.Fprintf(w, "## %s\n\n", r.c.title)
		if r.skipped != "" {
			fmt.Fprintf(w, "Not run: %s.\n\n", r.skipped)
			continue
		}
		fmt.Fprintf(w, "```\n%s\n```\n\nTable 2 layout:\n\n", r.counts)
		report.Markdown(w, r.rows)
		fmt.Fprintf(w, "\nFigure 2 layout (methods outside the paper's setup left out):\n\n![%s](%s.png)\n\n([SVG](%s.svg))\n\n",
			r.c.title, r.figure, r.figure)
		fmt.Fprintf(w, "All k:\n\n")
		report.MarkdownK(w, r.rows)
		fmt.Fprintln(w)
		writeOpen(w, r)
		if len(r.reused) > 0 {
			var l []string
			for _, row := range r.rows {
				if t, ok := r.reused[row.Method]; ok {
					l = append(l, fmt.Sprintf("%s (%s)", row.Method, t.Format("2006-01-02 15:04 UTC")))
				}
			}
			fmt.Fprintf(w, "Rows taken from an earlier run of this command with the same settings and data (`--reuse`), finished at: %s.\n\n",
				strings.Join(l, ", "))
		}
		var logged []string
		for _, row := range r.rows {
			if r.logs[row.Method] != "" {
				logged = append(logged, row.Method)
			}
		}
		if len(logged) > 0 {
			fmt.Fprintf(w, "<details><summary>training and tuning logs</summary>\n\n```\n")
			for _, n := range logged {
				fmt.Fprintf(w, "== %s\n%s", n, r.logs[n])
			}
			fmt.Fprintf(w, "```\n</details>\n\n")
		}
	}
	writeTable3(w, t3)
	fmt.Fprint(w, resultsNotes(f))
}

// writeOpen writes a corpus's open evaluation: its counts and every method
// scored open.
func writeOpen(w io.Writer, r expResult) {
	st := r.openStats
	fmt.Fprintf(w, "### Open evaluation, %s\n\n", r.c.title)
	fmt.Fprintf(w, "Every test post with a hashtag, gold = all its hashtags (../shared/BENCHMARK.md, \"Open evaluation\"):\n\n"+
		"```\n%s\n```\n\n", st)
	fmt.Fprintf(w, "%.1f%% of the gold hashtags are not candidates: a method that ranks the candidates only (\"candidates only\")\n"+
		"can never suggest them, and is scored here over its candidate ranking.\n\n", 100*(1-st.CandidateFrac()))
	report.OpenMarkdown(w, r.rows)
	fmt.Fprintf(w, "\nAll k (open):\n\n")
	report.OpenMarkdownK(w, r.rows)
	fmt.Fprintln(w)
}

func writeTable3(w io.Writer, t *table3Result) {
	fmt.Fprintf(w, "## Table 3: MemN2N and HMemN2N over embedding size and hops (ira / random)\n\n")
	if t == nil {
		fmt.Fprintf(w, "Not run in this report. Run it with `go run ./cmd/hashtag experiments --table3`\n"+
			"(`--t3-epochs`, `--t3-max-train`, `--t3-dims`, `--t3-hops` bound its cost).\n\n")
		return
	}
	if t.err != "" {
		fmt.Fprintf(w, "Stopped: %s.\n\n", t.err)
	}
	fmt.Fprintf(w, "P@1 / R@1 / F1@1 on test; each cell trained for at most %d epoch(s)", t.cfg.epochs)
	if t.cfg.maxTrain > 0 {
		fmt.Fprintf(w, " of %d train examples each (a different shuffled subset per epoch)", t.cfg.maxTrain)
	}
	fmt.Fprintf(w, ", Adagrad learning rate %g, the best epoch kept by validation P@1", t.cfg.lr)
	if t.cfg.maxValid > 0 {
		fmt.Fprintf(w, " on %d valid examples", t.cfg.maxValid)
	}
	fmt.Fprintf(w, "; every other setting as the paper (memory 5, 52 words, batch 128, dropout 0.2).\n\n")
	section := func(title string, cells [][2]int, label func(c [2]int) string) {
		fmt.Fprintf(w, "%s\n\n| %s | MemN2N P@1 | R@1 | F1@1 | HMemN2N P@1 | R@1 | F1@1 | HMemN2N train s |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n",
			title, strings.SplitN(title, " ", 2)[0])
		for _, c := range cells {
			fmt.Fprintf(w, "| %s |", label(c))
			var hs float64
			for _, v := range []model.Variant{model.MemN2N, model.HMemN2N} {
				r, ok := t.cells[fmt.Sprintf("%s/%d/%d", v, c[0], c[1])]
				if !ok {
					fmt.Fprint(w, " – | – | – |")
					continue
				}
				fmt.Fprintf(w, " %.3f | %.3f | %.3f |", r.Table.P[0], r.Table.R[0], r.Table.F1[0])
				hs = r.TrainSec
			}
			if hs > 0 {
				fmt.Fprintf(w, " %.0f |\n", hs)
			} else {
				fmt.Fprint(w, " – |\n")
			}
		}
		fmt.Fprintln(w)
	}
	var byDim, byHops [][2]int
	for _, d := range t.dims {
		byDim = append(byDim, [2]int{d, t3BaseHops})
	}
	for _, h := range t.hops {
		byHops = append(byHops, [2]int{t3BaseDim, h})
	}
	section(fmt.Sprintf("dim (%d hops)", t3BaseHops), byDim, func(c [2]int) string { return strconv.Itoa(c[0]) })
	section(fmt.Sprintf("hops (dim %d)", t3BaseDim), byHops, func(c [2]int) string { return strconv.Itoa(c[1]) })
}

// cnnNote describes the CNN-Attention baseline in the report's notes.
var cnnNote string // set by cnnatt.go

// resultsNotes describes the methods and every deviation from the paper.
func resultsNotes(f *expFlags) string {
	var b strings.Builder
	fmt.Fprintf(&b, `## Methods, settings and deviations from the paper

Settings of this run: seed %d; NB smoothing %s, NB+H history weight %s (grids %v and %v, tuned on %d valid
examples by F1@1); word2vec skip-gram dim %d, window %d, %d negatives, min count %d, %d epoch(s), %d thread(s);
SVM Pegasos λ %g, %d epoch(s), batch %d, on %d train examples (0: all); TTM K = %d topics, %d Gibbs sweeps.

- **popular**: candidates by train frequency.
- **nb**, **nb-h** (paper: NB, NB+H): multinomial Naive Bayes over the post's words (trainer/baselines/nb.go).
  A train example with several gold hashtags counts in full for each. Lidstone smoothing α is tuned on valid
  (the paper does not give it; Laplace, α = 1, is clearly worse here). NB+H treats the words of the 5 history
  posts as a second bag of features with its own class-conditional distribution and weights its log-likelihood
  by λ, tuned on valid (λ = 1 is plain Naive Bayes over both bags).
- **svm**, **svm-h** (paper: SVM, SVM+H): one linear SVM per candidate (one-vs-rest, hinge loss) trained by
  mini-batch Pegasos with projection, over the mean word vector of the post, L2-normalised and standardised;
  SVM+H concatenates the mean vector of the history posts' words. **Deviation:** the paper used the
  GoogleNews word2vec vectors (300 dimensions); we cannot obtain them, so the vectors are learnt by our own
  skip-gram with negative sampling (trainer/baselines/word2vec.go) on the train split's texts, with the size
  above (100 by default rather than 300, to keep the run within minutes on two cores; `+"`--w2v-dim 300`"+`
  restores it). With one thread the vectors are deterministic for a seed; with more (Hogwild) they are not.
  The SVMs train on a subsample of the train examples (every n-th; the benchmark's reference SVM used
  30 k), λ is not tuned on valid, and Pegasos runs a fixed number of epochs, not to convergence.
- **ttm** (Ding et al. 2013, topical translation model): one topic per post, a topic/background switch per
  word, each hashtag translated from one aligned word of its post under the post's topic, trained by
  collapsed Gibbs sampling (trainer/baselines/ttm.go); ranking by Σ_z P(z|d) Σ_w P(w|d) P(t|w,z).
  **Simplifications:** a hashtag may align to any word of the post (the paper: topic words only); P(z|d) for
  a new post marginalises the switch; P(w|d) is proportional to the word's idf (our choice); the smoothing
  term of P(t|w,z), equal for every tag, is left out of the ranking.
- **user-tags**: the hashtags of the author's 5 previous posts; it reads history hashtags, which the paper's
  setup removes, so it is reported outside that setup and left out of the figures.
- **memn2n**, **hmemn2n** (paper: MemN2N, HMemN2N) and **hmemn2n-tags** (outside the paper's setup: the
  history posts' hashtags kept as memory words "#tag"): the trainer package (trainer/), trained in this
  command's build with the paper's settings (dim 300, 2 hops, memory 5, 52 words, batch 128, Adagrad,
  dropout 0.2, L2 1e-6, min count 2) except **the learning rate, %g rather than the paper's 0.01**, chosen on
  validation (at 0.01 both networks are still far from converged after 3 epochs: ira/random test F1@1
  MemN2N 0.475, HMemN2N 0.434; README), and at most %d epoch(s) with the best epoch kept by validation P@1
  (the paper stops early; 3 epochs is where validation P@1 levels off on ira). "train s" is the sum of the
  training epochs' times (validation excluded). Each training keeps checkpoints in
  `+"`CACHE/experiments/CORPUS/METHOD-eE-lrLR`"+` and a rerun resumes from them (the checkpoint refuses other
  settings); the ira/random runs were trained by `+"`hashtag train --epochs 3 --lr 0.05`"+` (hmemn2n-tags: 5
  epochs, of which epoch 3 was best) with the same settings and seed, and picked up from their checkpoints.
  A model file in `+"`%s/CORPUS-SPLIT/METHOD.bin`"+` is loaded instead, if present.
- **cnn-attention** (Gong and Zhang 2016): %s
- **Open evaluation** (../shared/BENCHMARK.md, "Open evaluation (secondary)"): every test post with at least
  one hashtag, candidate or not, is an example; its gold is all its hashtags; P@k, R@k, F1@k as above
  (`+"`hashtag eval --open --method NAME`"+`). **popular-open** ranks every hashtag by its number of train posts
  (any post), ties by name; **user-tags-open** (outside the paper's setup) ranks the hashtags of the 5 history
  posts by the number of those posts carrying them, then recency, then train posts, then name, and fills up
  from popular-open. These two are scored open only; their counts and scores equal BENCHMARK.md's reference
  table on all three corpora (`+"`TestOpenReference`"+` in trainer/eval). A method that ranks any hashtag is
  scored by its own open ranking ("any hashtag"); every other method is scored over its candidate ranking
  ("candidates only"), so it can never hit a gold hashtag that is not a candidate.

Training times include the tuning on valid (NB: one training per α; SVM: word2vec is trained once per corpus,
in the first SVM method's build, and shared with the second, whose time excludes it).
`, baseCfg.seed, orTuned(baseCfg.nbAlpha), orTuned(baseCfg.nbHistW), baseCfg.nbAlphaGrid, baseCfg.nbHistGrid,
		baseCfg.tunePosts, baseCfg.w2v.Dim, baseCfg.w2v.Window, baseCfg.w2v.Negative, baseCfg.w2v.MinCount,
		baseCfg.w2v.Epochs, baseCfg.w2v.Threads, baseCfg.svm.Lambda, baseCfg.svm.Epochs, baseCfg.svm.Batch, baseCfg.svm.MaxTrain,
		baseCfg.ttm.Topics, baseCfg.ttm.Iters, mnCfg.lr, mnCfg.epochs, f.models, cnnNote)
	return b.String()
}

func orTuned(x float64) string {
	if x < 0 {
		return "tuned"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}
