package experiments

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/hashtag-rec/hashtag/trainer/baselines/report"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// resultsTemplate lays out RESULTS.md; results is its data.
//
//go:embed results.md.tmpl
var resultsTemplate string

// resultsTmpl is parsed once; executing it changes nothing.
var resultsTmpl = template.Must(template.New("RESULTS.md").Funcs(template.FuncMap{
	"markdown":      tableFunc(report.Markdown),
	"markdownK":     tableFunc(report.MarkdownK),
	"openMarkdown":  tableFunc(report.OpenMarkdown),
	"openMarkdownK": tableFunc(report.OpenMarkdownK),
	"tuned":         orTuned,
	"copySettings":  func() map[string]CopySetting { return CopySettings },
}).Parse(resultsTemplate))

// results is what RESULTS.md says.
type results struct {
	Command   string // the command line that made it
	Generated string // when, UTC
	Minutes   float64
	Machine   string
	Config    *Config
	Corpora   []corpusView
	Table3    *table3View // nil: not run
}

// corpusView is one corpus's section.
type corpusView struct {
	Title   string
	Skipped string // non-empty: the corpus was not run, and why
	Counts  string
	Rows    []report.Row
	Figure  string // base name of the figure files
	Open    dataset.OpenStats
	// NotCandidatePct is the percentage of the open evaluation's gold
	// hashtags that are not candidates.
	NotCandidatePct float64
	Reused          string // the rows taken from an earlier run, and when it finished them
	Logs            []methodLog
}

type methodLog struct{ Method, Log string }

// resultsData gathers what the report says about a run of cfg.
func resultsData(cfg *Config, args []string, rs []corpusResult, t3 *table3Result, now time.Time, took time.Duration, machine string) *results {
	cmd := "go run ./cmd/hashtag experiments"
	if len(args) > 0 {
		cmd += " " + strings.Join(args, " ")
	}
	out := &results{Command: cmd, Generated: now.UTC().Format("2006-01-02 15:04 UTC"), Minutes: took.Minutes(),
		Machine: machine, Config: cfg, Table3: t3.view()}
	for _, r := range rs {
		v := corpusView{Title: r.c.title, Skipped: r.skipped, Counts: r.counts, Rows: r.rows, Figure: r.figure,
			Open: r.openStats, NotCandidatePct: 100 * (1 - r.openStats.CandidateFrac())}
		var reused []string
		for _, row := range r.rows {
			if t, ok := r.reused[row.Method]; ok {
				reused = append(reused, fmt.Sprintf("%s (%s)", row.Method, t.Format("2006-01-02 15:04 UTC")))
			}
			if l := r.logs[row.Method]; l != "" {
				v.Logs = append(v.Logs, methodLog{row.Method, l})
			}
		}
		v.Reused = strings.Join(reused, ", ")
		out.Corpora = append(out.Corpora, v)
	}
	return out
}

// writeResults writes RESULTS.md.
func writeResults(w io.Writer, r *results) error {
	return resultsTmpl.Execute(w, r)
}

// tableFunc makes one of report's table writers a template function.
func tableFunc(write func(io.Writer, []report.Row)) func([]report.Row) string {
	return func(rows []report.Row) string {
		var b bytes.Buffer
		write(&b, rows)
		return b.String()
	}
}

func orTuned(x float64) string {
	if x < 0 {
		return "tuned"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
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
