// Package report writes the experiments' results: Markdown tables in the
// layout of the paper's Table 2 and the P@k, R@k and F1@k curves of its
// Figure 2, drawn with gonum/plot as PNG and SVG.
package report

import (
	"fmt"
	"io"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/hashtag-rec/hashtag/trainer/eval"
)

// Row is one method's result on one corpus.
type Row struct {
	Method   string
	Outside  bool       // uses what the paper's setup forbids
	Table    eval.Table // test scores (finished)
	TrainSec float64    // build (training and tuning) wall time
	Skipped  string     // non-empty: not run, and why
	// Open is the open evaluation's table (nil: not scored open).
	Open *eval.Table `json:",omitempty"`
	// OpenAny says the method ranks any hashtag in the open evaluation;
	// false: it ranks the candidates only, and can never hit another.
	OpenAny bool `json:",omitempty"`
	// OpenOnly marks a peer of the open evaluation only, left out of the
	// closed tables and figures.
	OpenOnly bool `json:",omitempty"`
}

// closed drops the rows scored only in the open evaluation.
func closed(rows []Row) []Row {
	var out []Row
	for _, r := range rows {
		if !r.OpenOnly {
			out = append(out, r)
		}
	}
	return out
}

// Markdown writes rows as a table: P@1, R@1, F1@1, F1@5 and train seconds,
// three decimals; skipped methods get a row saying why. Rows of the open
// evaluation only are left out.
func Markdown(w io.Writer, rows []Row) {
	rows = closed(rows)
	fmt.Fprintln(w, "| method | P@1 | R@1 | F1@1 | F1@5 | train s |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
	for _, r := range rows {
		name := r.Method
		if r.Outside {
			name += " (outside the paper's setup)"
		}
		if r.Skipped != "" {
			fmt.Fprintf(w, "| %s | – | – | – | – | not run: %s |\n", name, r.Skipped)
			continue
		}
		t := &r.Table
		fmt.Fprintf(w, "| %s | %.3f | %.3f | %.3f | %.3f | %.0f |\n", name, t.P[0], t.R[0], t.F1[0], t.F1[eval.MaxK-1], r.TrainSec)
	}
}

// MarkdownK writes every run row's P, R and F1 at k = 1..MaxK (closed
// evaluation).
func MarkdownK(w io.Writer, rows []Row) {
	markdownK(w, closed(rows), func(r *Row) *eval.Table { return &r.Table })
}

// OpenMarkdownK writes the open evaluation's P, R and F1 at k = 1..MaxK of
// every row scored open.
func OpenMarkdownK(w io.Writer, rows []Row) {
	markdownK(w, rows, func(r *Row) *eval.Table { return r.Open })
}

func markdownK(w io.Writer, rows []Row, table func(*Row) *eval.Table) {
	fmt.Fprint(w, "| method |")
	for _, m := range []string{"P", "R", "F1"} {
		for k := 1; k <= eval.MaxK; k++ {
			fmt.Fprintf(w, " %s@%d |", m, k)
		}
	}
	fmt.Fprint(w, "\n| --- |")
	for i := 0; i < 3*eval.MaxK; i++ {
		fmt.Fprint(w, " --- |")
	}
	fmt.Fprintln(w)
	for i := range rows {
		r := &rows[i]
		t := table(r)
		if r.Skipped != "" || t == nil {
			continue
		}
		fmt.Fprintf(w, "| %s |", r.Method)
		for _, v := range [][eval.MaxK]float64{t.P, t.R, t.F1} {
			for _, x := range v {
				fmt.Fprintf(w, " %.3f |", x)
			}
		}
		fmt.Fprintln(w)
	}
}

// OpenMarkdown writes the open evaluation's table of every row scored
// open: P@1, R@1, F1@1, F1@5 and what the method can rank (any hashtag, or
// the candidates only); skipped methods get a row saying why.
func OpenMarkdown(w io.Writer, rows []Row) {
	fmt.Fprintln(w, "| method | ranks | P@1 | R@1 | F1@1 | F1@5 |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
	for _, r := range rows {
		name := r.Method
		if r.Outside {
			name += " (outside the paper's setup)"
		}
		if r.Skipped != "" {
			fmt.Fprintf(w, "| %s | – | – | – | – | not run: %s |\n", name, r.Skipped)
			continue
		}
		t := r.Open
		if t == nil {
			continue
		}
		ranks := "candidates only"
		if r.OpenAny {
			ranks = "any hashtag"
		}
		fmt.Fprintf(w, "| %s | %s | %.3f | %.3f | %.3f | %.3f |\n", name, ranks, t.P[0], t.R[0], t.F1[0], t.F1[eval.MaxK-1])
	}
}

// Curves draws P@k, R@k and F1@k against k, one line per run row, side by
// side, and writes base+".png" and base+".svg". Rows of the open evaluation
// only are left out.
func Curves(rows []Row, title, base string) error {
	rows = closed(rows)
	metrics := []struct {
		name string
		get  func(t *eval.Table) [eval.MaxK]float64
	}{
		{"P@k", func(t *eval.Table) [eval.MaxK]float64 { return t.P }},
		{"R@k", func(t *eval.Table) [eval.MaxK]float64 { return t.R }},
		{"F1@k", func(t *eval.Table) [eval.MaxK]float64 { return t.F1 }},
	}
	var plots [][]*plot.Plot
	row := make([]*plot.Plot, len(metrics))
	for i, m := range metrics {
		p := plot.New()
		p.Title.Text = title + ": " + m.name
		p.X.Label.Text = "k"
		p.Y.Label.Text = m.name
		p.X.Min, p.X.Max = 0.8, eval.MaxK+0.2
		p.Y.Min = 0
		var args []any
		for _, r := range rows {
			if r.Skipped != "" {
				continue
			}
			v := m.get(&r.Table)
			pts := make(plotter.XYs, eval.MaxK)
			for k := range pts {
				pts[k].X, pts[k].Y = float64(k+1), v[k]
			}
			args = append(args, r.Method, pts)
		}
		if err := plotutil.AddLinePoints(p, args...); err != nil {
			return err
		}
		if i > 0 { // one legend, on the P@k panel, is enough
			p.Legend = plot.NewLegend()
		}
		p.Legend.Top = true // P@k falls with k: the top right is free
		row[i] = p
	}
	plots = append(plots, row)
	w, h := vg.Points(1200), vg.Points(420)
	tiles := draw.Tiles{Rows: 1, Cols: len(metrics), PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 2,
		PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2}
	drawAll := func(c vg.CanvasSizer) {
		dc := draw.New(c)
		canvases := plot.Align(plots, tiles, dc)
		for j := range plots[0] {
			plots[0][j].Draw(canvases[0][j])
		}
	}
	img := vgimg.New(w, h)
	drawAll(img)
	if err := writeTo(base+".png", vgimg.PngCanvas{Canvas: img}); err != nil {
		return err
	}
	svg := vgsvg.New(w, h)
	drawAll(svg)
	return writeTo(base+".svg", svg)
}

func writeTo(path string, wt io.WriterTo) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := wt.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
