package main

import (
	"io"

	"github.com/hashtag-rec/hashtag/cmd/hashtag/internal/experiments"
)

const experimentsLong = `
Runs every registered method (as "hashtag eval --method NAME" would) on ira/random, ira/time and
howyoutag and writes RESULTS.md: the Table 2 layout (P/R/F1@1, F1@5, training seconds) and the
Figure 2 curves (P@k, R@k, F1@k, k = 1..5) as PNG and SVG.`

// newExperiments returns the experiments command. Its flags are bound to
// a Config made for each invocation: the defaults, or with --quick the
// quick settings, under the flags the user gives (the command parses its
// arguments itself for that), so that no run changes a later one's
// defaults.
func newExperiments() *Command {
	c := newCommand("hashtag experiments [flags]",
		"run every method on every corpus; write docs/RESULTS.md with tables and figures", experimentsLong)
	cfg := experiments.DefaultConfig()
	cfg.AddFlags(c.Flag)
	c.CustomFlags = true
	c.Run = func(args []string, stdout, stderr io.Writer) error {
		if err := c.Flag.Parse(args); err != nil {
			return err
		}
		fs := c.Flag
		if cfg.QuickMode {
			q := experiments.DefaultConfig().Quick()
			fs = newCommand(c.UsageLine, c.Short, c.Long).Flag
			fs.SetOutput(stderr)
			q.AddFlags(fs)
			if err := fs.Parse(args); err != nil {
				return err
			}
			cfg = q
		}
		return experiments.Run(&cfg, experiments.RowSettings(fs), args, stdout, stderr)
	}
	return c
}
