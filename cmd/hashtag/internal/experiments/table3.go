package experiments

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/baselines/report"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

// The paper's Table 3 varies the embedding size at 2 hops and the hops at
// 300 dimensions.
const t3BaseDim, t3BaseHops = 300, 2

// table3Result holds Table 3: F1@1 of each variant over embedding sizes
// (at t3BaseHops hops) and over hop counts (at t3BaseDim dimensions).
type table3Result struct {
	dims, hops []int
	cells      map[string]report.Row // "variant/dim/hops"
	err        string
	cfg        MemNetConfig
	quick      bool
}

// table3Variants are the columns of Table 3.
func table3Variants() []model.Variant { return []model.Variant{model.MemN2N, model.HMemN2N} }

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
func runTable3(c *Config, stderr io.Writer) *table3Result {
	cfg := MemNetConfig{Epochs: c.T3Epochs, Patience: c.MemNet.Patience, MaxTrain: c.T3MaxTrain, MaxValid: c.T3MaxValid, LR: c.MemNet.LR}
	t := &table3Result{cells: map[string]report.Row{}, cfg: cfg, quick: c.QuickMode}
	var err error
	if t.dims, err = parseInts(c.T3Dims); err == nil {
		t.hops, err = parseInts(c.T3Hops)
	}
	if err != nil {
		t.err = err.Error()
		return t
	}
	if _, err := os.Stat(c.IRA); err != nil {
		t.err = fmt.Sprintf("input %s not found", c.IRA)
		return t
	}
	d, err := Open(dataset.Source{Paths: []string{c.IRA}, Split: dataset.SplitRandom, Log: stderr}, c.CacheDir, stderr)
	if err != nil {
		t.err = err.Error()
		return t
	}
	if c.QuickMode {
		d = subsample(d, 20000, 3000, 3000)
	}
	for _, v := range table3Variants() {
		for _, cell := range t3Cells(t.dims, t.hops) {
			dim, hops := cell[0], cell[1]
			opt := cfg.Options(v, d)
			opt.Config.Dim, opt.Config.Hops = dim, hops
			dir := fmt.Sprintf("%s-d%d-h%d", cfg.dirName(v, d), dim, hops)
			if c.QuickMode {
				dir += "-quick"
			}
			opt.Out, opt.Log = filepath.Join(c.CacheDir, "table3", dir), stderr
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

// table3View is Table 3 as the report's template lays it out.
type table3View struct {
	Err                        string
	Epochs, MaxTrain, MaxValid int
	LR                         float64
	Sections                   []table3Section
}

// table3Section is one half of Table 3: over dims, or over hops.
type table3Section struct {
	Title string // "dim (2 hops)"
	Head  string // the first column's heading: Title's first word
	Rows  []table3Line
}

// table3Line is one row of a section: a cell per variant (nil: not run)
// and the training seconds of the last variant run (0: none).
type table3Line struct {
	Label    string
	Cells    []*eval.Table
	TrainSec float64
}

// view lays t out for the template; nil stays nil (not run).
func (t *table3Result) view() *table3View {
	if t == nil {
		return nil
	}
	v := &table3View{Err: t.err, Epochs: t.cfg.Epochs, MaxTrain: t.cfg.MaxTrain, MaxValid: t.cfg.MaxValid, LR: t.cfg.LR}
	section := func(title string, cells [][2]int, label func(c [2]int) string) table3Section {
		s := table3Section{Title: title, Head: strings.SplitN(title, " ", 2)[0]}
		for _, c := range cells {
			l := table3Line{Label: label(c)}
			for _, variant := range table3Variants() {
				r, ok := t.cells[fmt.Sprintf("%s/%d/%d", variant, c[0], c[1])]
				if !ok {
					l.Cells = append(l.Cells, nil)
					continue
				}
				l.Cells = append(l.Cells, &r.Table)
				l.TrainSec = r.TrainSec
			}
			s.Rows = append(s.Rows, l)
		}
		return s
	}
	var byDim, byHops [][2]int
	for _, d := range t.dims {
		byDim = append(byDim, [2]int{d, t3BaseHops})
	}
	for _, h := range t.hops {
		byHops = append(byHops, [2]int{t3BaseDim, h})
	}
	v.Sections = []table3Section{
		section(fmt.Sprintf("dim (%d hops)", t3BaseHops), byDim, func(c [2]int) string { return strconv.Itoa(c[0]) }),
		section(fmt.Sprintf("hops (dim %d)", t3BaseDim), byHops, func(c [2]int) string { return strconv.Itoa(c[1]) }),
	}
	return v
}
