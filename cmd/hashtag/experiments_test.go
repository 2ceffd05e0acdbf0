package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/cmd/hashtag/internal/experiments"
	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// sampleHowYouTag finds the bundled howyoutag sample, or the shared copy.
func sampleHowYouTag() string {
	for _, p := range []string{"../../assets/sample/howyoutag", "/work/shared/data/howyoutag"} {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return p
		}
	}
	return ""
}

// TestExperimentsQuick runs "hashtag experiments --quick" on howyoutag and
// checks the report: files written, every method scored (the memory
// networks trained in their build), and NB better than the most popular
// hashtags.
func TestExperimentsQuick(t *testing.T) {
	src := sampleHowYouTag()
	if src == "" {
		t.Skip("no howyoutag corpus: neither assets/sample/howyoutag nor /work/shared/data/howyoutag")
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"experiments", "--quick", "--corpora", "howyoutag", "--howyoutag", src,
		"--out", out, "--cache-dir", out,
		"--methods", "popular,nb,nb-h,svm,svm-h,ttm,cnn-attention,memn2n,hmemn2n,hmemn2n-tags,user-tags,popular-open,user-tags-open",
		"--ttm-iters", "5", "--table3=false"}
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	for _, f := range []string{"RESULTS.md", "fig2-howyoutag.png", "fig2-howyoutag.svg"} {
		if fi, err := os.Stat(filepath.Join(out, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	f1 := map[string]float64{}
	re := regexp.MustCompile(`^howyoutag (\S+)\s+P@1 \S+ R@1 \S+ F1@1 (\S+)`)
	for _, l := range strings.Split(stdout.String(), "\n") {
		if m := re.FindStringSubmatch(l); m != nil {
			f1[m[1]], _ = strconv.ParseFloat(m[2], 64)
		}
	}
	for _, m := range []string{"popular", "nb", "nb-h", "svm", "svm-h", "ttm", "cnn-attention", "memn2n", "hmemn2n", "hmemn2n-tags", "user-tags"} {
		if _, ok := f1[m]; !ok {
			t.Errorf("method %s not scored:\n%s", m, stdout.String())
		}
	}
	if !(f1["nb"] > f1["popular"]) || !(f1["nb-h"] > f1["nb"]) {
		t.Errorf("want popular < nb < nb-h, got %v", f1)
	}
	// One epoch on the 9,559 train examples: every trained method must have
	// learnt something beyond the most popular hashtags.
	for _, m := range []string{"cnn-attention", "memn2n", "hmemn2n", "hmemn2n-tags"} {
		if !(f1[m] > 2*f1["popular"]) {
			t.Errorf("%s F1@1 %.3f: want more than twice popular's %.3f", m, f1[m], f1["popular"])
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "RESULTS.md"))
	if !bytes.Contains(md, []byte("| nb-h |")) || !bytes.Contains(md, []byte("Quick mode")) {
		t.Errorf("RESULTS.md lacks the nb-h row or the quick-mode note:\n%s", md)
	}
	checkOpenReport(t, stdout.String(), string(md))
}

// checkOpenReport checks the open evaluation of the quick howyoutag run:
// every method scored open, the peers scored open only, and the open table
// in RESULTS.md with what each method ranks.
func checkOpenReport(t *testing.T, stdout, md string) {
	t.Helper()
	open := map[string]float64{}
	re := regexp.MustCompile(`^howyoutag (\S+)\s+open: P@1 \S+ R@1 \S+ F1@1 (\S+)`)
	closed := regexp.MustCompile(`^howyoutag (\S+)\s+P@1`)
	for _, l := range strings.Split(stdout, "\n") {
		if m := re.FindStringSubmatch(l); m != nil {
			open[m[1]], _ = strconv.ParseFloat(m[2], 64)
		}
		if m := closed.FindStringSubmatch(l); m != nil && strings.HasSuffix(m[1], "-open") {
			t.Errorf("open peer %s scored closed: %s", m[1], l)
		}
	}
	for _, m := range []string{"popular", "nb", "nb-h", "svm", "svm-h", "ttm", "cnn-attention", "memn2n", "hmemn2n", "hmemn2n-tags", "user-tags", "popular-open", "user-tags-open"} {
		if _, ok := open[m]; !ok {
			t.Errorf("method %s not scored open:\n%s", m, stdout)
		}
	}
	// Counting the history's own hashtags beats every closed method on
	// howyoutag, where 69% of the gold hashtags are no candidates.
	if !(open["user-tags-open"] > open["user-tags"]) || !(open["user-tags-open"] > open["nb-h"]) || !(open["popular-open"] < open["nb"]) {
		t.Errorf("open F1@1 %v: want user-tags-open above user-tags and nb-h, popular-open below nb", open)
	}
	for _, want := range []string{"### Open evaluation, howyoutag / given", "open examples 6405",
		"| user-tags-open (outside the paper's setup) | any hashtag |", "| nb-h | candidates only |", "| memn2n | candidates only |", "| popular-open | any hashtag |"} {
		if !strings.Contains(md, want) {
			t.Errorf("RESULTS.md lacks %q", want)
		}
	}
	if strings.Index(md, "| popular-open |") < strings.Index(md, "### Open evaluation") {
		t.Errorf("popular-open is in the closed tables:\n%s", md)
	}
}

// TestExperimentsReuse checks the row store: a second run with --reuse takes
// the rows of the first, says so in RESULTS.md, and other settings are not
// taken for the same.
func TestExperimentsReuse(t *testing.T) {
	src := sampleHowYouTag()
	if src == "" {
		t.Skip("no howyoutag corpus: neither assets/sample/howyoutag nor /work/shared/data/howyoutag")
	}
	out := t.TempDir()
	runOnce := func(extra ...string) (string, string) {
		var stdout, stderr bytes.Buffer
		args := append([]string{"experiments", "--quick", "--corpora", "howyoutag", "--howyoutag", src,
			"--out", out, "--cache-dir", out, "--methods", "popular,nb", "--table3=false", "--reuse"}, extra...)
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("exit %d\n%s", code, stderr.String())
		}
		md, err := os.ReadFile(filepath.Join(out, "RESULTS.md"))
		if err != nil {
			t.Fatal(err)
		}
		return stdout.String(), string(md)
	}
	first, md := runOnce()
	if strings.Contains(md, "Rows taken from an earlier run") {
		t.Fatalf("first run reports reused rows:\n%s", md)
	}
	second, md := runOnce()
	if first != second {
		t.Errorf("reused rows differ from the run that stored them:\n%s\nvs\n%s", first, second)
	}
	if !strings.Contains(md, "Rows taken from an earlier run") || !strings.Contains(md, "nb (") {
		t.Errorf("second run does not list the reused rows:\n%s", md)
	}
	_, md = runOnce("--nb-alpha", "0.5")
	if strings.Contains(md, "nb (") {
		t.Errorf("a row made with other NB settings was reused:\n%s", md)
	}
	if !strings.Contains(md, "popular (") {
		t.Errorf("an NB setting kept popular's row from being reused:\n%s", md)
	}
}

// TestExperimentsTwiceSameDefaults runs the experiments command twice in
// one process, first with --quick, then asks for its flags: the quick
// settings must not have leaked into the defaults (they did when the flags
// were bound to package variables that --quick changed).
func TestExperimentsTwiceSameDefaults(t *testing.T) {
	src := sampleHowYouTag()
	if src == "" {
		t.Skip("no howyoutag corpus: neither assets/sample/howyoutag nor /work/shared/data/howyoutag")
	}
	help := func() string {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"experiments", "-h"}, &stdout, &stderr); code != 0 {
			t.Fatalf("experiments -h: exit %d\n%s", code, stderr.String())
		}
		return stderr.String()
	}
	before := help()
	for _, want := range []string{"-w2v-dim int\n    \tword2vec vector size for the SVM baselines (default 100)",
		"-mn-epochs int\n    \tmemory networks: epochs (early stopping keeps the best on valid) (default 3)",
		"-cnn-dim int\n    \tCNN-Attention word vector size (default 100)"} {
		if !strings.Contains(before, want) {
			t.Errorf("experiments -h lacks %q:\n%s", want, before)
		}
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"experiments", "--quick", "--corpora", "howyoutag", "--howyoutag", src, "--out", out, "--cache-dir", out,
		"--methods", "popular", "--table3=false"}, &stdout, &stderr); code != 0 {
		t.Fatalf("experiments --quick: exit %d\n%s", code, stderr.String())
	}
	md, err := os.ReadFile(filepath.Join(out, "RESULTS.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(md, []byte("word2vec skip-gram dim 32,")) {
		t.Errorf("the quick run's report does not say word2vec dim 32:\n%s", md)
	}
	if after := help(); after != before {
		t.Errorf("experiments -h after a --quick run differs from before it:\n%s\nvs\n%s", after, before)
	}
}

// TestCopySettingsAreTrainFlags checks that each corpus's hmemn2n-copy
// setting of the experiments trains as "hashtag train --method
// hmemn2n-copy" with the flags the report prints for it, and that the
// setting applies to that variant and corpus only, and not with
// --mn-tuned=false.
func TestCopySettingsAreTrainFlags(t *testing.T) {
	if len(experiments.CopySettings) != 3 {
		t.Errorf("%d corpus settings, want one for each of ira/random, ira/time and howyoutag/given", len(experiments.CopySettings))
	}
	type knobs struct {
		Epochs, Patience, Hops, TimeChunks int
		LR, Dropout                        float64
		SelectOpen, Calibrate              bool
	}
	of := func(o trainer.Options) knobs {
		return knobs{o.Epochs, o.Patience, o.Config.Hops, o.TimeChunks, o.LR, o.Dropout, o.SelectOpen, o.Calibrate}
	}
	mn := experiments.DefaultMemNetConfig()
	shared := of(mn.Options(model.HMemN2NCopy, &dataset.Dataset{Corpus: "mine", Split: "random"}))
	for key, s := range experiments.CopySettings {
		corpus, split, _ := strings.Cut(key, "/")
		d := &dataset.Dataset{Corpus: corpus, Split: split}
		var f trainFlags
		fs := flag.NewFlagSet("train", flag.ContinueOnError)
		f.register(fs)
		if err := fs.Parse(append([]string{"--method", "hmemn2n-copy"}, strings.Fields(s.Flags)...)); err != nil {
			t.Fatalf("%s: flags %q: %v", key, s.Flags, err)
		}
		want, err := f.options()
		if err != nil {
			t.Fatalf("%s: flags %q: %v", key, s.Flags, err)
		}
		if got := of(mn.Options(model.HMemN2NCopy, d)); got != of(want) {
			t.Errorf("%s: the experiments train with %+v, the flags %q give %+v", key, got, s.Flags, of(want))
		}
		if got := of(mn.Options(model.HMemN2NCopy, d)); got == shared {
			t.Errorf("%s: the setting is the shared one", key)
		}
		if got := of(mn.Options(model.HMemN2N, d)); got != shared {
			t.Errorf("%s: hmemn2n trains with %+v, want the shared %+v", key, got, shared)
		}
		off := mn
		off.Tuned = false
		if got := of(off.Options(model.HMemN2NCopy, d)); got != shared {
			t.Errorf("%s with --mn-tuned=false: %+v, want the shared %+v", key, got, shared)
		}
	}
}
