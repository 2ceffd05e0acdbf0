package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/hashtag-rec/hashtag/cmd/hashtag/internal/experiments"
)

func init() {
	register("experiments", "run every method on every corpus; write docs/RESULTS.md with tables and figures", runExperiments)
}

// experimentsFlags returns the experiments command's flag set bound to a
// copy of cfg.
func experimentsFlags(cfg experiments.Config, stderr io.Writer) (*flag.FlagSet, *experiments.Config) {
	fs := newFlags("experiments", stderr)
	c := &cfg
	c.AddFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: hashtag experiments [flags]\n\n"+
			"Runs every registered method (as \"hashtag eval --method NAME\" would) on ira/random, ira/time and\n"+
			"howyoutag and writes RESULTS.md: the Table 2 layout (P/R/F1@1, F1@5, training seconds) and the\n"+
			"Figure 2 curves (P@k, R@k, F1@k, k = 1..5) as PNG and SVG.\n\n")
		fs.PrintDefaults()
	}
	return fs, c
}

// runExperiments parses the flags over the default settings, or, with
// --quick, over the quick ones, so that the flags the user gives win either
// way and no run changes the next one's defaults.
func runExperiments(args []string, stdout, stderr io.Writer) error {
	fs, cfg := experimentsFlags(experiments.DefaultConfig(), stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.QuickMode {
		fs, cfg = experimentsFlags(experiments.DefaultConfig().Quick(), stderr)
		if err := fs.Parse(args); err != nil {
			return err
		}
	}
	return experiments.Run(cfg, experiments.RowSettings(fs), args, stdout, stderr)
}
