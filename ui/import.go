package ui

import (
	"fmt"
	"html"
	"sort"
	"strings"

	"github.com/hashtag-rec/hashtag/model/post"
)

// ImportReport says what an import read and kept.
type ImportReport struct {
	Format   post.Format
	Parts    []string // the files read inside an archive; empty for one file
	Read     int      // posts in the file
	Kept     int      // original posts handed to the history (post.Post.Kept)
	Added    int      // of those, posts not already in the history
	Retweets int      // skipped: retweets and boosts
	NotEn    int      // skipped: not in English (research corpora only; never for a person's own archive)
	Empty    int      // skipped: no text left
	Bad      int      // skipped: records that could not be read
	Ignored  int      // skipped: records that are not posts (e.g. likes)
}

// Skipped is how many records the import did not keep.
func (r ImportReport) Skipped() int {
	return r.Retweets + r.NotEn + r.Empty + r.Bad + r.Ignored
}

// String is the sentence the page shows.
func (r ImportReport) String() string {
	var why []string
	for _, c := range []struct {
		n    int
		what string
	}{{r.Retweets, "retweets/boosts"}, {r.NotEn, "not English"}, {r.Empty, "empty"}, {r.Bad, "unreadable"}, {r.Ignored, "not posts"}} {
		if c.n > 0 {
			why = append(why, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	s := fmt.Sprintf("Imported %d posts", r.Added)
	if len(r.Parts) > 0 {
		s += " from " + strings.Join(r.Parts, ", ")
	}
	s += fmt.Sprintf(", skipped %d", r.Skipped())
	if len(why) > 0 {
		s += " (" + strings.Join(why, ", ") + ")"
	}
	if dup := r.Kept - r.Added; dup > 0 {
		s += fmt.Sprintf("; %d already in your history", dup)
	}
	return s + "."
}

// plainText turns a post's text as the reader gives it into what the
// person wrote: a tweet's text (tweets.js, Grailbird, tweets.csv) carries
// escaped characters ("&amp;"), which are decoded; a Mastodon post's text
// is already plain (the reader converts its HTML). The result is shown as
// text, never as markup.
func plainText(f post.Format, s string) string {
	if f == post.FormatTweetsJS || f == post.FormatGrailbird || f == post.FormatTweetsCSV {
		s = html.UnescapeString(s)
	}
	return strings.TrimSpace(s)
}

// ParseImport reads what a person exported (name is the file's name, data
// its content): the .zip that X or Mastodon hands out, an older Mastodon
// .tar.gz, or one file of it (tweets.js, outbox.json, a Grailbird month, an
// old tweets.csv), or the .car file of Bluesky's "Export my data" (a
// repository: its posts, with its reposts and likes skipped), with
// post.ReadBytes, the reader of the CLI. It keeps the
// posts post.Post.Kept keeps (original posts with text, in any language)
// and returns them most recent first. A file from which none is kept is
// refused with the reason (a likes.json, an empty outbox, all boosts).
// Nothing leaves the page: this runs in the browser.
func ParseImport(name string, data []byte) ([]Entry, ImportReport, error) {
	var rep ImportReport
	var kept []post.Post
	st, f, err := post.ReadBytes(name, data, "", post.Options{SkipBad: true}, func(p post.Post) error {
		if !p.Kept() {
			return nil
		}
		kept = append(kept, p)
		return nil
	})
	if err != nil {
		return nil, rep, err
	}
	if !f.Own() {
		return nil, rep, fmt.Errorf("%s: a %s file is not a person's own export: import the .zip X or Mastodon gave you, its tweets.js or outbox.json, or Bluesky's .car export", name, f)
	}
	rep.Format = f
	for _, p := range st.Parts {
		rep.Parts = append(rep.Parts, p.Name)
	}
	out := make([]Entry, 0, len(kept))
	for _, p := range kept {
		t := plainText(f, p.Text)
		if t == "" {
			rep.Empty++
			continue
		}
		out = append(out, Entry{Text: t, Time: p.Time, From: string(f)})
	}
	rep.Read, rep.Bad, rep.Ignored, rep.Kept = st.Records, st.Bad, st.Ignored, len(out)
	rep.Retweets, rep.NotEn, rep.Empty = st.Retweets, st.OtherLang, rep.Empty+st.NoText
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time > out[j].Time })
	return out, rep, nil
}
