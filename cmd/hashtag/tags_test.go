package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/model/post/posttest"
	"github.com/hashtag-rec/hashtag/model/text"
)

// runTagsCmd runs "hashtag tags args..." and returns its exit code, stdout
// and stderr.
func runTagsCmd(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"tags"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// tagsLine is one line of the command's output.
type tagsLine struct{ time, tags, text string }

func parseTagsOutput(t *testing.T, out string) []tagsLine {
	t.Helper()
	var lines []tagsLine
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 3 {
			t.Fatalf("line %q has %d tab-separated fields, want 3", l, len(f))
		}
		lines = append(lines, tagsLine{f[0], f[1], f[2]})
	}
	return lines
}

// TestTagsTwitterJSON: a Twitter API JSON file whose texts carry each case
// of the platforms' rule (the package documentation of model/text) prints
// the hashtags the page finds, as written, one post a line.
func TestTagsTwitterJSON(t *testing.T) {
	cases := []struct{ text, tags string }{
		{"Read docs.example.org/admin/config/#s3 and http://twitter.com/#hashtag #AWS", "#AWS"},
		{"#http://example.com is no hashtag", ""},
		{"＃日本語ハッシュタグ と #Tokyo", "#日本語ハッシュタグ #Tokyo"},
		{"✌\ufe0f#Peace 👍🏽#yes", "#Peace #yes"},
		{"#می\u200cخواهم #\u0dc1\u0dca\u200d\u0dbb\u0dd3\u0dbd\u0d82\u0d9a\u0dcf", "#می\u200cخواهم #\u0dc1\u0dca\u200d\u0dbb\u0dd3\u0dbd\u0d82\u0d9a\u0dcf"},
		{"#il·lusió #עַל\u05beיְדֵי #וכו\u05f3", "#il·lusió #עַל\u05beיְדֵי #וכו\u05f3"},
		{"#メ\u301cテレ #各\u3003 #བོད\u0f0bཡིག", "#メ\u301cテレ #各\u3003 #བོད\u0f0bཡིག"},
		{"#GoLang, #golang and #GOLANG: one hashtag, as first written", "#GoLang"},
		{"#a#b a#b #123", ""},
		{"two\nlines\twith a tab and a back\\slash #Escaped", "#Escaped"},
	}
	var statuses []string
	for i, c := range cases {
		statuses = append(statuses, `{"created_at":"Wed Oct 10 20:19:0`+string(rune('0'+i))+` +0000 2018","full_text":`+jsonQuote(c.text)+`,"user":{"screen_name":"alice"},"lang":"en"}`)
	}
	// A retweet, which the page does not keep, and a stream notice.
	statuses = append(statuses,
		`{"created_at":"Wed Oct 10 21:00:00 +0000 2018","full_text":"RT @bob: #Retweeted","retweeted_status":{"text":"#Retweeted"},"user":{"screen_name":"alice"},"lang":"en"}`,
		`{"delete":{"status":{"id":1}}}`)
	dir := t.TempDir()
	path := filepath.Join(dir, "statuses.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(statuses, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runTagsCmd(path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := parseTagsOutput(t, out)
	if len(lines) != len(cases) {
		t.Fatalf("%d lines, want %d (the retweet is not kept):\n%s", len(lines), len(cases), out)
	}
	for i, c := range cases {
		want := tagsLine{"2018-10-10 20:19:0" + string(rune('0'+i)), c.tags, strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\t", `\t`).Replace(c.text)}
		if lines[i] != want {
			t.Errorf("line %d = %q, want %q", i+1, lines[i], want)
		}
	}
	if !strings.Contains(errOut, path+" (twitter-json): 11 records read, 10 posts printed") || !strings.Contains(errOut, "8 of them with hashtags") {
		t.Errorf("summary: %s", errOut)
	}

	// --all prints the retweet too.
	code, out, errOut = runTagsCmd("--all", "--format", "twitter-json", path)
	if code != 0 || !strings.HasSuffix(out, "2018-10-10 21:00:00\t#Retweeted\tRT @bob: #Retweeted\n") {
		t.Errorf("--all: exit %d, output ends %q, %s", code, out[max(0, len(out)-80):], errOut)
	}
}

func jsonQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`).Replace(s) + `"`
}

// TestTagsHowYouTag: on the bundled sample, whose hashtags are given in
// fields and not in the text, each line prints those fields.
func TestTagsHowYouTag(t *testing.T) {
	src := sampleHowYouTag()
	if src == "" {
		t.Skip("no howyoutag corpus: neither assets/sample/howyoutag nor /work/shared/data/howyoutag")
	}
	path := filepath.Join(src, "valid.tsv.gz")
	if _, err := os.Stat(path); err != nil {
		path = filepath.Join(src, "valid.tsv")
	}
	code, out, errOut := runTagsCmd(path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := parseTagsOutput(t, out)

	// What the file holds, read here without the readers.
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r = bufio.NewReader(f)
	var sc *bufio.Scanner
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		sc = bufio.NewScanner(zr)
	} else {
		sc = bufio.NewScanner(r)
	}
	sc.Buffer(nil, 1<<20)
	n := 0
	for ; sc.Scan(); n++ {
		fields := strings.Split(sc.Text(), "\t")
		var tags []string
		seen := map[string]bool{}
		for _, tag := range fields[2:] {
			if tag != "" && !seen[tag] {
				seen[tag] = true
				tags = append(tags, "#"+tag)
			}
		}
		want := tagsLine{"", strings.Join(tags, " "), strings.ReplaceAll(fields[0], `\`, `\\`)}
		if n >= len(lines) {
			t.Fatalf("%d lines printed, the file has more", len(lines))
		}
		if lines[n] != want {
			t.Fatalf("line %d = %q, want %q", n+1, lines[n], want)
		}
	}
	if n != len(lines) || n < 1000 {
		t.Errorf("%d lines printed, the file has %d", len(lines), n)
	}
	if !strings.Contains(errOut, "hashtags from the format's own fields") {
		t.Errorf("summary: %s", errOut)
	}
}

// TestTagsEveryFormat: every kind of export a person holds, archives
// included, prints one line per kept post, and the hashtags printed are
// the ones the export holds.
func TestTagsEveryFormat(t *testing.T) {
	dir := t.TempDir()
	fixtures := []posttest.Fixture{
		posttest.TweetsJS(), posttest.XArchiveZip(), posttest.XArchive2020Zip(),
		posttest.Outbox(true), posttest.ActivityPubArray(), posttest.MastodonZip(), posttest.MastodonTarGz(),
		posttest.GrailbirdMonth(0), posttest.TweetsCSV(true), posttest.OldArchiveZip(),
	}
	for i, fx := range fixtures {
		sub := filepath.Join(dir, string(rune('a'+i)))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(sub, fx.Name)
		if err := os.WriteFile(path, fx.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runTagsCmd(path)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", fx.Name, code, errOut)
			continue
		}
		lines := parseTagsOutput(t, out)
		if len(lines) != fx.Kept {
			t.Errorf("%s: %d lines, want one per kept post (%d)", fx.Name, len(lines), fx.Kept)
		}
		var keys []string
		seen := map[string]bool{}
		for _, l := range lines {
			if l.time == "" {
				t.Errorf("%s: no time in %q", fx.Name, l)
			}
			for _, tag := range strings.Fields(l.tags) {
				if k := text.HashtagKey(strings.TrimPrefix(tag, "#")); !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
		if strings.Join(keys, " ") != strings.Join(fx.Tags, " ") {
			t.Errorf("%s: hashtags %q, want %q", fx.Name, keys, fx.Tags)
		}
	}
}

// TestTagsBadInput: a file that cannot be read fails with an error naming
// it; nothing is a silent success.
func TestTagsBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.jsonl", `{"created_at":"Wed Oct 10 20:19:24 +0000 2018","full_text":"#ok","user":{"screen_name":"u"},"lang":"en"}`+"\n")
	for _, c := range []struct {
		name, path, want string
	}{
		{"malformed JSON", write("bad.jsonl", `{"created_at":"Wed Oct 10 20:19:24 +0000 2018","full_text":"#x"`+"\n"), "bad.jsonl"},
		{"bad date", write("date.jsonl", `{"created_at":"yesterday","full_text":"#x","user":{"screen_name":"u"}}`+"\n"), "created_at"},
		{"unknown format", write("notes.txt", "just words\n"), "notes.txt"},
		{"missing file", filepath.Join(dir, "missing.json"), "missing.json"},
		{"only retweets", write("rts.jsonl", `{"created_at":"Wed Oct 10 20:19:24 +0000 2018","full_text":"RT @a: #x","retweeted_status":{},"user":{"screen_name":"u"},"lang":"en"}`+"\n"), "rts.jsonl"},
	} {
		code, out, errOut := runTagsCmd(good, c.path)
		if code != 1 || !strings.Contains(errOut, c.path) || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 and an error naming %s and %q", c.name, code, errOut, c.path, c.want)
		}
		// The good file before it was printed in full.
		if out != "2018-10-10 20:19:24\t#ok\t#ok\n" {
			t.Errorf("%s: output %q", c.name, out)
		}
	}
	if code, _, errOut := runTagsCmd(); code != 1 || !strings.Contains(errOut, "no file given") {
		t.Errorf("no file: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runTagsCmd("--format", "nope", good); code != 1 || !strings.Contains(errOut, "unknown format") {
		t.Errorf("bad --format: exit %d, %q", code, errOut)
	}
}
