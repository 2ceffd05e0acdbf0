package ui

import (
	"bytes"
	"fmt"
	"html"
	"sort"
	"strings"

	"github.com/hashtag-rec/hashtag/model/post"
)

// ImportReport says what an import read and kept.
type ImportReport struct {
	Format   post.Format
	Read     int // posts in the file
	Kept     int // English original posts handed to the history
	Added    int // of those, posts not already in the history
	Retweets int // skipped: retweets and boosts
	NotEn    int // skipped: not in English
	Empty    int // skipped: no text left
	Bad      int // skipped: records that could not be read
	Ignored  int // skipped: records that are not posts (e.g. likes)
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
	s := fmt.Sprintf("Imported %d posts, skipped %d", r.Added, r.Skipped())
	if len(why) > 0 {
		s += " (" + strings.Join(why, ", ") + ")"
	}
	if dup := r.Kept - r.Added; dup > 0 {
		s += fmt.Sprintf("; %d already in your history", dup)
	}
	return s + "."
}

// plainText turns a post's text as the reader gives it into what the
// person wrote: a tweet's text carries escaped characters ("&amp;"), which
// are decoded; a Mastodon post's text is already plain (the reader converts
// its HTML). The result is shown as text, never as markup.
func plainText(f post.Format, s string) string {
	if f == post.FormatTweetsJS {
		s = html.UnescapeString(s)
	}
	return strings.TrimSpace(s)
}

// ParseImport reads a Twitter archive's tweets.js or a Mastodon outbox.json
// (name is the file's name, data its content), keeps English posts that are
// not retweets or boosts, and returns them most recent first. Nothing leaves
// the page: this runs in the browser.
func ParseImport(name string, data []byte) ([]Entry, ImportReport, error) {
	var rep ImportReport
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	f, err := post.Detect(name, head)
	if err != nil || (f != post.FormatTweetsJS && f != post.FormatMastodon) {
		return nil, rep, fmt.Errorf("%s: not a Twitter archive's tweets.js or a Mastodon outbox.json", name)
	}
	rep.Format = f
	var out []Entry
	st, err := post.Read(bytes.NewReader(data), name, f, post.Options{SkipBad: true}, func(p post.Post) error {
		switch {
		case p.Retweet:
			rep.Retweets++
		case !p.English():
			rep.NotEn++
		default:
			t := plainText(f, p.Text)
			if t == "" {
				rep.Empty++
				return nil
			}
			out = append(out, Entry{Text: t, Time: p.Time, From: string(f)})
		}
		return nil
	})
	if err != nil {
		return nil, rep, err
	}
	rep.Read, rep.Bad, rep.Ignored, rep.Kept = st.Records, st.Bad, st.Ignored, len(out)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time > out[j].Time })
	return out, rep, nil
}
