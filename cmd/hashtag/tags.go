package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/model/text"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// tagsEscaper makes a post's text one field of one line.
var tagsEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`, "\t", `\t`)

func newTags() *Command {
	c := newCommand("hashtag tags [flags] FILE...",
		"print each post of files or archives with the hashtags the page finds in it", `
For each post of each file (any format the readers know: a post export, an X or Mastodon
archive, a Bluesky .car, a .gz of one), prints one line, tab-separated:

  time    UTC "YYYY-MM-DD HH:MM:SS"; empty when the format has none (HowYouTag)
  tags    the hashtags the page finds, space-separated, each with '#', as first written
          (the platforms' rule: see model/text); for HowYouTag, whose hashtags are
          given in fields of their own, those fields verbatim; empty when none
  text    the post's text as read (a tweet's HTML entities are left as they are), with
          '\' written \\, a newline \n, a carriage return \r and a tab \t

These are the hashtags an imported history teaches the page. Only the posts the page keeps
are printed (no retweets or boosts) unless --all; a summary per file goes to stderr.`)
	fs := c.Flag
	format := fs.String("format", "", "input format, one of "+formatList()+" (default: recognised from each file)")
	skipBad := fs.Bool("skip-bad", false, "skip malformed records (counted and reported) instead of refusing the file")
	all := fs.Bool("all", false, "print every post read, also those the page does not keep (retweets, boosts, other languages of a research corpus)")
	c.Run = func(args []string, stdout, stderr io.Writer) error {
		if len(args) == 0 {
			c.Flag.Usage()
			return fmt.Errorf("no file given")
		}
		var ft post.Format
		if *format != "" {
			var err error
			if ft, err = post.ParseFormat(*format); err != nil {
				return err
			}
		}
		w := bufio.NewWriter(stdout)
		for _, path := range args {
			sum, err := printTags(w, path, ft, post.Options{SkipBad: *skipBad}, *all)
			if err != nil {
				w.Flush()
				return namedError(path, err)
			}
			fmt.Fprintln(stderr, sum)
		}
		return w.Flush()
	}
	return c
}

// printTags writes the lines of the posts of one file and returns the
// file's summary line.
func printTags(w *bufio.Writer, path string, format post.Format, opts post.Options, all bool) (string, error) {
	f, err := dataset.FileFormat(path, format, opts)
	if err != nil {
		return "", err
	}
	given := dataset.TagsGiven(f)
	printed, tagged := 0, 0
	var line []byte
	st, got, err := post.ReadFile(path, format, opts, func(p post.Post) error {
		if !all && !p.Kept() {
			return nil
		}
		line = append(line[:0], p.Time...)
		line = append(line, '\t')
		n := 0
		add := func(form string) {
			if n > 0 {
				line = append(line, ' ')
			}
			line = append(line, '#')
			line = append(line, form...)
			n++
		}
		if given {
			for _, t := range p.Tags {
				add(t)
			}
		} else {
			for _, h := range text.DistinctHashtags(p.Text) {
				add(h.Form)
			}
		}
		line = append(line, '\t')
		line = append(line, tagsEscaper.Replace(p.Text)...)
		line = append(line, '\n')
		printed++
		if n > 0 {
			tagged++
		}
		_, err := w.Write(line)
		return err
	})
	if err != nil {
		return "", err
	}
	if got != f {
		return "", fmt.Errorf("read as %s after it was recognised as %s", got, f)
	}
	what := "the posts the page keeps"
	if all {
		what = "every post"
	}
	sum := fmt.Sprintf("%s (%s): %d records read, %d posts printed (%s), %d of them with hashtags", path, got, st.Records, printed, what, tagged)
	if given {
		sum += " (hashtags from the format's own fields)"
	}
	if st.Bad > 0 {
		sum += fmt.Sprintf(", %d bad records skipped", st.Bad)
	}
	if printed == 0 {
		return "", fmt.Errorf("no post printed out of %d records read (use --all to print the posts the page does not keep)", st.Records)
	}
	return sum, nil
}

// namedError makes sure an error names the file it is about.
func namedError(path string, err error) error {
	if strings.Contains(err.Error(), path) {
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}
