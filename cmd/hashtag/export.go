package main

import (
	"fmt"
	"github.com/hashtag-rec/hashtag/internal/binfile"
	"io"
	"strings"
	"time"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/model/conformance"
	"github.com/hashtag-rec/hashtag/trainer"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
	"github.com/hashtag-rec/hashtag/trainer/export"
)

func newExport() *Command {
	c := newCommand("hashtag export --model FILE [flags] [CORPUS...]",
		"make the compact browser model from a trained float32 model", `
Writes the compact browser model. With the corpus the model was trained on, it can
prune the vocabulary (--vocab), measure each step (--table) and write the
conformance fixture (--fixture).`)
	fs := c.Flag
	var df dataFlags
	df.register(fs)
	in := fs.String("model", "", "trained float32 model file (from hashtag train)")
	out := fs.String("out", "assets/model.bin", "compact model file to write")
	vocab := fs.Int("vocab", 0, "post words: the most used text words that keep their A rows (0: all; needs the corpus)")
	memVocab := fs.Int("mem-vocab", 0, "memory words: the most used text words that keep their B, C rows (0: all)")
	tagMin := fs.Int64("mem-tag-min", 0, "memory hashtags \"#tag\" in at least this many train posts keep their B, C rows")
	emb, outq, dense := quantFlag{model.QuantInt4}, quantFlag{model.QuantInt8}, quantFlag{model.QuantInt8}
	fs.TextVar(&emb, "emb", emb, "storage of the embeddings A, B, C: f32, int8, int4 or int2")
	fs.TextVar(&outq, "output", outq, "storage of the hashtag matrix θ: f32, int8, int4 or int2")
	fs.TextVar(&dense, "dense", dense, "storage of Wo, Ws, Wf: f32, int8 or int4")
	table := fs.Bool("table", false, "measure every size-reduction step on the test split and print a table (needs the corpus)")
	steps := fs.String("steps", defaultSteps, "the steps --table measures: comma-separated EMB/OUTPUT@VOCAB (storage of A,B,C / of θ, words kept; 0 = all)")
	fixture := fs.String("fixture", "", "also write the conformance fixture here (needs the corpus)")
	fixtureN := fs.Int("fixture-n", 300, "test posts in the conformance fixture")
	c.Run = func(args []string, stdout, stderr io.Writer) error {
		if *in == "" {
			c.Flag.Usage()
			return fmt.Errorf("--model is required")
		}
		opts := model.CompactOptions{Embeddings: emb.Quant, Output: outq.Quant, Dense: dense.Quant}
		m, err := model.ReadFile(*in)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "read %s: %s\n", *in, m)
		needCorpus := *vocab > 0 || *memVocab > 0 || *tagMin > 0 || *table || *fixture != ""
		var d *dataset.Dataset
		var counts []int64
		if needCorpus {
			if d, err = df.open(args, stderr); err != nil {
				return err
			}
			counts = export.WordCounts(m, d)
		}
		chosen := export.Step{Name: "shipped", Vocab: export.Vocab{Text: *vocab, Memory: *memVocab, TagMin: *tagMin}, Opts: opts}
		if *table {
			list, err := parseSteps(*steps, opts.Dense)
			if err != nil {
				return err
			}
			if err := exportTable(stdout, m, d, counts, append(list, chosen)); err != nil {
				return err
			}
		}
		if counts == nil {
			counts = make([]int64, len(m.Words)) // nothing pruned but the A rows of "#tag"
		}
		b, q, err := export.Apply(m, counts, chosen)
		if err != nil {
			return err
		}
		if err := binfile.WriteFile(*out, b); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s: %.2f MB (vocabulary %d, rows kept %s, embeddings %s, θ %s, dense %s)\n",
			*out, float64(len(b))/1e6, len(q.Words), chosen.Vocab, opts.Embeddings, opts.Output, opts.Dense)
		if *fixture != "" {
			src, err := df.source(args, nil)
			if err != nil {
				return err
			}
			fx, err := export.MakeFixture(d, src, m, b, *fixtureN)
			if err != nil {
				return err
			}
			if err := conformance.Write(*fixture, fx); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "wrote %s: %d test posts\n", *fixture, len(fx.Cases))
		}
		return nil
	}
	return c
}

// defaultSteps is the size-reduction path the README's table follows:
// EMB/OUTPUT@TEXT/MEMORY/TAGMIN (see Vocab).
const defaultSteps = "int8/int8@0/0/0,int4/int8@0/0/0,int4/int8@20000/20000/0,int4/int8@10000/10000/0," +
	"int4/int8@12000/4000/10,int4/int4@12000/4000/10,int2/int8@20000/20000/0"

// parseSteps reads the --steps list.
func parseSteps(s string, dense model.Quant) ([]export.Step, error) {
	var steps []export.Step
	for _, f := range strings.Split(s, ",") {
		var emb, out string
		var v export.Vocab
		kinds, rows, ok := strings.Cut(strings.TrimSpace(f), "@")
		if ok {
			emb, out, ok = strings.Cut(kinds, "/")
		}
		if ok {
			n, err := fmt.Sscanf(rows, "%d/%d/%d", &v.Text, &v.Memory, &v.TagMin)
			ok = n == 3 && err == nil && v.Text >= 0 && v.Memory >= 0
		}
		if !ok {
			return nil, fmt.Errorf("--steps: %q is not EMB/OUTPUT@TEXT/MEMORY/TAGMIN (e.g. int4/int8@12000/4000/10)", f)
		}
		st := export.Step{Vocab: v, Opts: model.CompactOptions{Dense: dense}}
		var err error
		if st.Opts.Embeddings, err = export.ParseQuant(emb); err != nil {
			return nil, err
		}
		if st.Opts.Output, err = export.ParseQuant(out); err != nil {
			return nil, err
		}
		st.Name = fmt.Sprintf("A,B,C %s, θ %s, rows %s", emb, out, v)
		steps = append(steps, st)
	}
	return steps, nil
}

// exportTable measures the float32 model and each step on the test split.
func exportTable(w io.Writer, m *model.Model, d *dataset.Dataset, counts []int64, steps []export.Step) error {
	f32, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "| step (rows: post words / memory words / min posts of a memory hashtag) | vocabulary | file MB | F1@1 | F1@5 | P@1 | eval s |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	row := func(name string, vocab, size int, mm *model.Model) error {
		start := time.Now()
		r, err := trainer.NewRanker(mm, d)
		if err != nil {
			return err
		}
		t := eval.Evaluate(d, dataset.Test, r)
		fmt.Fprintf(w, "| %s | %d | %.2f | %.3f | %.3f | %.3f | %.0f |\n", name, vocab, float64(size)/1e6,
			t.F1[0], t.F1[4], t.P[0], time.Since(start).Seconds())
		return nil
	}
	if err := row("float32 (trained)", len(m.Words), len(f32), m); err != nil {
		return err
	}
	for _, s := range steps {
		b, q, err := export.Apply(m, counts, s)
		if err != nil {
			return err
		}
		if err := row(s.Name, len(q.Words), len(b), q); err != nil {
			return err
		}
	}
	return nil
}
