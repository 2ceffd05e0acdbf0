package experiments

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashtag-rec/hashtag/trainer/baselines/report"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

// fixtureTable is a table of made-up scores that differ per seed.
func fixtureTable(seed int) eval.Table {
	var t eval.Table
	t.N = 1000 + seed
	for k := range eval.MaxK {
		t.P[k] = float64((seed*37+k*11)%1000) / 1000
		t.R[k] = float64((seed*53+k*17)%1000) / 1000
		t.F1[k] = float64((seed*71+k*13)%1000) / 1000
	}
	return t
}

// fixtureResults are rows of every kind the report shows: paper and
// outside methods, open peers, skipped methods, reused rows, logs, and a
// corpus not run.
func fixtureResults() []corpusResult {
	finished := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	var rows []report.Row
	for i, m := range Methods() {
		r := report.Row{Method: m.Name, Outside: m.Outside, OpenOnly: m.OpenPeer, TrainSec: float64(i) * 12.34}
		if !m.OpenPeer {
			r.Table = fixtureTable(i)
		}
		o := fixtureTable(100 + i)
		r.Open, r.OpenAny = &o, i%3 == 0 || m.OpenPeer
		if m.Name == "hmemn2n-copy" {
			r = report.Row{Method: m.Name, Outside: true, Skipped: "no model file .cache/models/howyoutag/hmemn2n-copy.bin; --model FILE is required"}
		}
		rows = append(rows, r)
	}
	return []corpusResult{
		{c: corpus{key: "ira-random", title: "ira / random"}, skipped: "input ../shared/data/ira/ira_tweets.csv.gz not found"},
		{c: corpus{key: "howyoutag", title: "howyoutag / given"}, counts: "posts 123\nexamples train 10 valid 2 test 3\ncandidates 42",
			rows: rows, figure: "fig2-howyoutag",
			logs:      map[string]string{"nb": "nb: chosen on valid: alpha 0.1, history weight 1.00\n", "ttm": "ttm: sweep 1\nttm: sweep 2\n"},
			reused:    map[string]time.Time{"popular": finished, "nb": finished.Add(time.Hour)},
			openStats: dataset.OpenStats{Examples: 6405, Gold: 9000, Candidate: 2800, InHistory: 4000}},
		{c: corpus{key: "ira-time", title: "ira / time"}, counts: "posts 9", rows: rows[:3], figure: "fig2-ira-time",
			openStats: dataset.OpenStats{Examples: 3, Gold: 4, Candidate: 4}},
	}
}

// fixtureTable3 is a Table 3 with a missing cell and a missing variant.
func fixtureTable3(cfg *Config, withErr bool) *table3Result {
	t := &table3Result{dims: []int{50, 300}, hops: []int{1, 2, 3}, cells: map[string]report.Row{},
		cfg: MemNetConfig{Epochs: cfg.T3Epochs, Patience: 2, MaxTrain: cfg.T3MaxTrain, MaxValid: cfg.T3MaxValid, LR: cfg.MemNet.LR}}
	i := 0
	for _, v := range table3Variants() {
		for _, c := range t3Cells(t.dims, t.hops) {
			i++
			if c == [2]int{300, 3} || (v.String() == "hmemn2n" && c == [2]int{300, 1}) {
				continue
			}
			t.cells[fmt.Sprintf("%s/%d/%d", v, c[0], c[1])] = report.Row{Method: v.String(), Table: fixtureTable(200 + i), TrainSec: float64(i) * 61.7}
		}
	}
	if withErr {
		t.err = "hmemn2n dim 300 hops 3: out of patience"
	}
	return t
}

var update = flag.Bool("update", false, "rewrite testdata/results-*.golden.md from the template (then read the diff)")

// TestResultsTemplate renders fixture rows with the template and checks
// the output byte for byte against testdata/results-*.golden.md (first
// written by the Printf renderer the template replaced; -update rewrites
// them after a change of the template, whose diff is then read).
func TestResultsTemplate(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	const mach = "Test CPU; nproc 2; go1.26 linux/amd64"
	def := DefaultConfig()
	def.HowYouTag = "assets/sample/howyoutag"
	quick := def.Quick()
	custom := def
	custom.Baselines.NBAlpha, custom.Baselines.NBHistW, custom.MemNet.LR, custom.T3MaxTrain, custom.T3MaxValid = 0.5, 0.3, 0.02, 0, 0
	for _, tc := range []struct {
		name string
		cfg  *Config
		args []string
		t3   *table3Result
	}{
		{"default", &def, nil, nil},
		{"quick", &quick, []string{"--quick", "--table3=false"}, fixtureTable3(&quick, false)},
		{"custom", &custom, []string{"--nb-alpha", "0.5"}, fixtureTable3(&custom, true)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := writeResults(&got, resultsData(tc.cfg, tc.args, fixtureResults(), tc.t3, now, 83*time.Minute, mach)); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "results-"+tc.name+".golden.md")
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
				for i := range min(len(gl), len(wl)) {
					if gl[i] != wl[i] {
						t.Fatalf("line %d differs from %s:\ngot  %q\nwant %q", i+1, golden, gl[i], wl[i])
					}
				}
				t.Fatalf("%d lines, %s has %d", len(gl), golden, len(wl))
			}
		})
	}
}
