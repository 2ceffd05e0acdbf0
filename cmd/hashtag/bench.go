package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"

	"github.com/hashtag-rec/hashtag/trainer"
)

func newBench() *Command {
	c := newCommand("hashtag bench [flags] (--cache FILE | CORPUS...)",
		"measure training throughput and the forward time of one post", `
Trains for --steps batches at the given settings (default: the paper's) and
prints examples/s, then the mean time of one model.Forward.`)
	fs := c.Flag
	var df dataFlags
	df.register(fs)
	var tf trainFlags
	tf.register(fs)
	steps := fs.Int("steps", 40, "timed Adagrad steps")
	forwards := fs.Int("forwards", 2000, "timed single-post forward passes")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	c.Run = func(args []string, stdout, stderr io.Writer) error {
		opt, err := tf.options()
		if err != nil {
			return err
		}
		d, err := df.open(args, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "corpus %s, split %s\n", d.Corpus, d.Split)
		if b, err := os.ReadFile("/proc/loadavg"); err == nil {
			fmt.Fprintf(stdout, "load average before: %s\n", strings.TrimSpace(string(b)))
		}
		if *cpuProfile != "" {
			f, err := os.Create(*cpuProfile)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			defer pprof.StopCPUProfile()
		}
		r, err := trainer.Bench(d, opt, *steps, *forwards)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s, batch %d\n", r.Model, opt.Batch)
		fmt.Fprintf(stdout, "training: %d examples in %.2fs: %.0f examples/s (PyTorch reference: 745)\n",
			r.Examples, r.TrainTime.Seconds(), r.ExamplesSec)
		if r.CPUTime > 0 {
			fmt.Fprintf(stdout, "CPU time %.2fs: %.0f examples per CPU-second, about %.0f examples/s on %d idle cores\n",
				r.CPUTime.Seconds(), float64(r.Examples)/r.CPUTime.Seconds(), float64(r.Examples*r.Workers)/r.CPUTime.Seconds(), r.Workers)
		}
		fmt.Fprintf(stdout, "forward (model.Forward, one post, one goroutine): %.3f ms\n", float64(r.Forward.Microseconds())/1000)
		if b, err := os.ReadFile("/proc/loadavg"); err == nil {
			fmt.Fprintf(stdout, "load average after: %s\n", strings.TrimSpace(string(b)))
		}
		return nil
	}
	return c
}
