package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/ui"
)

// stringsFlag is a flag that may be given several times.
type stringsFlag []string

func (s *stringsFlag) String() string     { return strings.Join(*s, ", ") }
func (s *stringsFlag) Set(v string) error { *s = append(*s, v); return nil }

func newSuggest() *Command {
	c := newCommand("hashtag suggest [flags] [TEXT...]",
		"suggest hashtags for posts from the command line, as the page does", `
Suggests hashtags for each TEXT, or for each line of standard input when no TEXT is given, with
a model file and the person's history, as the page does: the same forward pass (model.Recommend),
the same import of an X, Mastodon or Bluesky export (--history, as the page's Import), and the same
memory, the 5 most recent posts. Nothing is written anywhere.

For each post it prints the post, then one line per suggestion: the hashtag in the form the
page shows, the model's probability, and how much of it came from the person's history (the
copy path of hmemn2n-copy) rather than from the text.`)
	fs := c.Flag
	modelPath := fs.String("model", "assets/model.bin", "model file: the compact browser model, or a float32 model.bin of \"hashtag train\"")
	var histFiles, recent stringsFlag
	fs.Var(&histFiles, "history", "the person's posts: an X or Mastodon archive (.zip, .tar.gz) or one file of it (tweets.js, outbox.json), or a Bluesky export (.car), read as the page imports it; may be repeated")
	fs.Var(&recent, "recent", "a post of the person's history, given as text (hashtags included); may be repeated, the most recent first; these count as more recent than any post of --history")
	k := fs.Int("k", 5, "suggestions per post")
	c.Run = func(args []string, stdout, stderr io.Writer) error {
		if *k < 1 {
			return fmt.Errorf("-k %d: want at least 1", *k)
		}
		m, err := model.Load(*modelPath)
		if err != nil {
			return namedError(*modelPath, err)
		}
		memory, err := suggestMemory(histFiles, recent, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "model %s: %s; memory: %d post(s)\n", *modelPath, m, len(memory))
		w := bufio.NewWriter(stdout)
		n := 0
		suggest := func(post string) {
			if n > 0 {
				fmt.Fprintln(w)
			}
			n++
			fmt.Fprintln(w, post)
			sugs, _ := m.Recommend(post, memory, *k)
			for _, s := range sugs {
				from := "text"
				if s.Copy > 0 {
					from = fmt.Sprintf("history %.0f%%", 100*s.Copy)
				}
				fmt.Fprintf(w, "  #%-24s %.3f  %s\n", s.Display, s.Score, from)
			}
		}
		if len(args) > 0 {
			for _, a := range args {
				suggest(a)
			}
			return w.Flush()
		}
		sc := bufio.NewScanner(os.Stdin)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" {
				suggest(line)
			}
		}
		if err := sc.Err(); err != nil {
			w.Flush()
			return fmt.Errorf("standard input: %w", err)
		}
		if n == 0 {
			w.Flush()
			return errors.New("no post given: pass TEXT arguments or lines on standard input")
		}
		return w.Flush()
	}
	return c
}

// suggestMemory is the model's view of the person's 5 most recent posts
// (ui.MemorySize), as the page builds it: the --recent texts first, then
// the posts the --history files hold, imported as the page imports them
// (ui.ParseImport, each once by ui.ImportID, most recent first), each as
// ui.MemoryText gives it.
func suggestMemory(files, recent []string, stderr io.Writer) ([]string, error) {
	var h ui.History
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		entries, rep, err := ui.ParseImport(path, data)
		if err != nil {
			return nil, namedError(path, err)
		}
		for i := range entries {
			entries[i].ID = ui.ImportID(entries[i])
		}
		rep.Added = h.Insert(entries)
		fmt.Fprintf(stderr, "%s: %s\n", path, rep) // the page's sentence
	}
	texts := append(append([]string(nil), recent...), h.Recent(ui.MemorySize)...)
	texts = texts[:min(len(texts), ui.MemorySize)]
	for i, t := range texts {
		texts[i] = ui.MemoryText(t)
	}
	return texts, nil
}
