package post

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/model/post/posttest"
)

// goodFiles holds one good file of every format, with the number of posts
// it holds. They are long enough (repeated records) for a gzip stream to be
// cut in the middle of the data.
func goodFiles() map[Format]struct {
	name, content string
	posts         int
} {
	rep := func(s string, n int) string { return strings.Repeat(s, n) }
	statuses := strings.TrimSuffix(rep(statusFull+",\n", 50), ",\n")
	return map[Format]struct {
		name, content string
		posts         int
	}{
		FormatIRA:         {"ira.csv", iraHeader + rep(iraGood[len(iraHeader):], 50), 200},
		FormatHowYouTag:   {"train.tsv", rep(howYouTagGood, 50), 200},
		FormatTwitterJSON: {"tweets.json", "[" + statuses + "]", 50},
		FormatTweetsJS:    {"tweets.js", "window.YTD.tweets.part0 = [" + strings.TrimSuffix(rep(archiveTweet+",", 50), ",") + "]", 50},
		FormatMastodon:    {"outbox.json", outboxHead + strings.TrimSuffix(rep(apCreate+",\n", 50), ",\n") + outboxTail, 50},
		FormatBluesky:     {"repo.car", string(posttest.BlueskyCAR().Data), posttest.BlueskyCAR().Records},
	}
}

func TestGoodFilesAllFormats(t *testing.T) {
	for format, f := range goodFiles() {
		path := writeFile(t, f.name, []byte(f.content))
		r := readPath(t, path, "", Options{})
		if r.err != nil || r.format != format || len(r.posts) != f.posts || r.stats.Records != f.posts {
			t.Errorf("%s: format %q, %d posts, stats %+v, err %v; want %q, %d posts", f.name, r.format, len(r.posts), r.stats, r.err, format, f.posts)
		}
	}
}

func TestTruncatedGzip(t *testing.T) {
	for format, f := range goodFiles() {
		t.Run(string(format), func(t *testing.T) {
			gz := gzipped(t, []byte(f.content))
			for _, cut := range []int{4, 40, len(gz) / 2} {
				path := writeFile(t, f.name+".gz", gz[:len(gz)-cut])
				for _, skip := range []bool{false, true} {
					r := readPath(t, path, format, Options{SkipBad: skip})
					if r.err == nil {
						t.Fatalf("cut %d: no error", cut)
					}
					msg := r.err.Error()
					if !strings.Contains(msg, path) || !strings.Contains(msg, "truncated") {
						t.Errorf("cut %d: error %q does not name the file and say it is truncated", cut, msg)
					}
					if !errors.Is(r.err, io.ErrUnexpectedEOF) {
						t.Errorf("cut %d: error %q does not wrap io.ErrUnexpectedEOF", cut, msg)
					}
					var bf *BadFileError
					if errors.As(r.err, &bf) {
						t.Errorf("cut %d: a truncated file gave a BadFileError: %v", cut, r.err)
					}
					var re *RecordError
					if !errors.As(r.err, &re) || re.File != path {
						t.Errorf("cut %d: error %v is not a *RecordError for the file", cut, r.err)
					}
					// Cutting only the trailer (8 bytes) leaves the data whole:
					// the error comes after the last post.
					if cut > 8 && len(r.posts) >= f.posts {
						t.Errorf("cut %d: all %d posts read from a truncated file", cut, len(r.posts))
					}
				}
			}
			// With the format to detect, too.
			path := writeFile(t, f.name+".gz", gz[:len(gz)/2])
			r := readPath(t, path, "", Options{})
			if r.err == nil || !strings.Contains(r.err.Error(), "truncated") {
				t.Errorf("detecting: err = %v", r.err)
			}
		})
	}
}

func TestCorruptGzip(t *testing.T) {
	f := goodFiles()[FormatHowYouTag]
	gz := gzipped(t, []byte(f.content))
	gz[len(gz)-6] ^= 0xff // the CRC-32 of the trailer
	path := writeFile(t, "train.tsv.gz", gz)
	r := readPath(t, path, FormatHowYouTag, Options{})
	if r.err == nil || !strings.Contains(r.err.Error(), path) || !strings.Contains(r.err.Error(), "corrupt") {
		t.Errorf("err = %v, want one naming the file and saying it is corrupt", r.err)
	}

	// A file that has the gzip magic and nothing else.
	path = writeFile(t, "x.csv.gz", []byte{0x1f, 0x8b, 8})
	r = readPath(t, path, FormatIRA, Options{})
	if r.err == nil || !strings.Contains(r.err.Error(), path) || !strings.Contains(r.err.Error(), "truncated") {
		t.Errorf("err = %v, want one naming the file and saying it is truncated", r.err)
	}
}

func TestReadFileErrors(t *testing.T) {
	_, _, err := ReadFile("/nonexistent/file.csv", "", Options{}, func(Post) error { return nil })
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
	path := writeFile(t, "notes.txt", []byte("just some words\nno tabs, no header\n"))
	_, _, err = ReadFile(path, "", Options{}, func(Post) error { return nil })
	if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "tweets-js") {
		t.Errorf("unrecognised file: err = %v", err)
	}
	if _, err := Read(strings.NewReader(""), "x", "yaml", Options{}, nil); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("unknown format: err = %v", err)
	}
}

func TestCallbackStops(t *testing.T) {
	// An error from the callback ends reading and is returned as is.
	stop := errors.New("enough")
	for format, f := range goodFiles() {
		n := 0
		st, err := Read(strings.NewReader(f.content), f.name, format, Options{}, func(Post) error {
			n++
			if n == 3 {
				return stop
			}
			return nil
		})
		if err != stop || n != 3 || st.Records != 3 {
			t.Errorf("%s: err %v, %d calls, stats %+v", format, err, n, st)
		}
	}
}

func TestDefaultRefusesAfterFirstBad(t *testing.T) {
	// Without SkipBad the callback sees no post after the first bad record:
	// the reader only goes on to collect errors.
	content := "a\t1\tx\nbad\n" + "b\t2\ty\n"
	r := readString(content, "train.tsv", FormatHowYouTag, Options{})
	var bf *BadFileError
	if !errors.As(r.err, &bf) || len(r.posts) != 1 || r.stats.Records != 2 {
		t.Errorf("err %v, %d posts, stats %+v", r.err, len(r.posts), r.stats)
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name, head string
		want       Format
	}{
		{"ira_tweets.csv.gz", iraGood, FormatIRA},
		{"whatever", "\ufeff" + iraGood, FormatIRA},
		{"x.csv", `"author","content","publish_date"` + "\r\n", FormatIRA},
		{"train.tsv", howYouTagGood, FormatHowYouTag},
		{"data", howYouTagGood, FormatHowYouTag},
		// A HowYouTag text that mentions "author" and "content" is still
		// HowYouTag: only a header with those columns is IRA.
		{"lines", "the author, of this content\t123\ttag\n", FormatHowYouTag},
		{"t.json", "[" + statusFull + "]", FormatTwitterJSON},
		{"t.jsonl", statusFull + "\n" + statusBoth + "\n", FormatTwitterJSON},
		{"t.json", "\n\n  [\n", FormatTwitterJSON},
		{"tweets.js", "window.YTD.tweets.part0 = [ {", FormatTweetsJS},
		{"tweet.js", "\ufeffwindow.YTD.tweet.part0 = [", FormatTweetsJS},
		{"outbox.json", outboxHead, FormatMastodon},
		{"outbox.json", `{"orderedItems": [`, FormatMastodon},
	}
	for _, c := range cases {
		head := c.head
		if len(head) > 4096 {
			head = head[:4096]
		}
		got, err := Detect(c.name, []byte(head))
		if err != nil || got != c.want {
			t.Errorf("Detect(%q, %.40q) = %q, %v; want %q", c.name, c.head, got, err, c.want)
		}
	}
	for _, head := range []string{"", "plain words\n", "author content\n"} {
		if f, err := Detect("file", []byte(head)); err == nil {
			t.Errorf("Detect(%q) = %q, want an error", head, f)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats {
		if got, err := ParseFormat(string(f)); err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("csv"); err == nil {
		t.Error("ParseFormat(csv) gave no error")
	}
}

func TestEnglish(t *testing.T) {
	for lang, want := range map[string]bool{"English": true, "en": true, "en-GB": true, "": false, "English ": false, "eng": false, "de": false} {
		p := Post{Lang: lang}
		if p.English() != want {
			t.Errorf("English(%q) = %v", lang, !want)
		}
	}
}

func TestRecordErrorMessage(t *testing.T) {
	e := &RecordError{File: "f.csv", Line: 3, Record: 2, Field: "publish_date", Msg: "bad"}
	if got, want := e.Error(), `f.csv:3: record 2: field "publish_date": bad`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	e = &RecordError{File: "f.csv", Msg: "bad"}
	if got, want := e.Error(), `f.csv: bad`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
