package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hashtag-rec/hashtag/cmd/hashtag/internal/experiments"
	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// cacheDir is the git-ignored folder for caches, checkpoints and float32
// models.
const cacheDir = experiments.CacheDir

// dataFlags are the flags every command that reads a corpus shares.
type dataFlags struct {
	split   string
	format  string
	name    string
	skipBad bool
	cache   string
	dir     string
}

func (f *dataFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.split, "split", "", "split: random, time, or given (default: given for a folder of train/valid/test files, else random)")
	// A file may also be an archive (.zip, .tar.gz) or a folder (an unzipped
	// archive, a Grailbird data/js/tweets folder): post.ReadFile finds the
	// posts files in it.
	fs.StringVar(&f.format, "format", "", "input format, one of "+formatList()+" (default: recognised from the file)")
	fs.StringVar(&f.name, "name", "", "corpus name (default: the input's folder name)")
	fs.BoolVar(&f.skipBad, "skip-bad", false, "skip malformed records (counted and reported) instead of refusing the file")
	fs.StringVar(&f.cache, "cache", "", "read this prepared dataset cache instead of corpus files")
	fs.StringVar(&f.dir, "cache-dir", cacheDir, "folder for dataset caches")
}

func formatList() string {
	s := make([]string, len(post.Formats))
	for i, f := range post.Formats {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// source turns the flags and positional arguments into a dataset source.
func (f *dataFlags) source(args []string, log io.Writer) (dataset.Source, error) {
	s := dataset.Source{Paths: args, Name: f.name, Opts: post.Options{SkipBad: f.skipBad}, Log: log}
	if len(args) == 0 {
		return s, fmt.Errorf("no corpus given: name a file or a folder (e.g. ../shared/data/ira/ira_tweets.csv.gz), or --cache FILE")
	}
	if f.format != "" {
		ft, err := post.ParseFormat(f.format)
		if err != nil {
			return s, err
		}
		s.Format = ft
	}
	s.Split = f.split
	if s.Split == "" {
		s.Split = dataset.SplitRandom
		if fi, err := os.Stat(args[0]); err == nil && fi.IsDir() && dataset.HasSplitFiles(args[0]) {
			s.Split = dataset.SplitGiven
		}
	}
	return s, nil
}

// open loads the dataset the flags name: a cache file, or corpus files
// through the cache folder. It reports what it did on log.
func (f *dataFlags) open(args []string, log io.Writer) (*dataset.Dataset, error) {
	if f.cache != "" {
		if len(args) > 0 {
			return nil, fmt.Errorf("give either --cache or corpus files, not both")
		}
		return dataset.Load(f.cache)
	}
	s, err := f.source(args, log)
	if err != nil {
		return nil, err
	}
	return experiments.Open(s, f.dir, log)
}

func newPrepare() *Command {
	c := newCommand("hashtag prepare [flags] FILE|FOLDER...",
		"apply the benchmark protocol to a corpus, print its counts, cache it", `
Reads the corpus, applies ../shared/BENCHMARK.md and prints the filtered post count,
the train/valid/test example counts and the number of candidate hashtags.
The prepared dataset is cached in --cache-dir.
FILE may be an archive as X or Mastodon hand it out (.zip, .tar.gz), a Bluesky export (.car),
a .gz, or a folder (an unzipped archive, a Grailbird data/js/tweets folder).`)
	var df dataFlags
	df.register(c.Flag)
	c.Run = func(args []string, stdout, stderr io.Writer) error {
		d, err := df.open(args, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "corpus %s, split %s\n%s\n", d.Corpus, d.Split, d.Counts())
		return nil
	}
	return c
}
