package post

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashtag-rec/hashtag/model/post/posttest"
)

// readBytes reads data with ReadBytes, collecting the posts.
func readBytes(name string, data []byte, opts Options) result {
	var r result
	r.stats, r.format, r.err = ReadBytes(name, data, "", opts, func(p Post) error {
		r.posts = append(r.posts, p)
		return nil
	})
	return r
}

// keptTags lists the hashtags of the kept posts, each once, in order.
func keptTags(posts []Post) []string {
	var tags []string
	seen := map[string]bool{}
	for _, p := range posts {
		if !p.Kept() {
			continue
		}
		for _, t := range p.Tags {
			if !seen[t] {
				seen[t] = true
				tags = append(tags, t)
			}
		}
	}
	return tags
}

// checkFixture reads f from memory and from a file and checks the counts,
// the format and the files read inside an archive.
func checkFixture(t *testing.T, f posttest.Fixture, format Format, parts []string) {
	t.Helper()
	path := writeFile(t, f.Name, f.Data)
	for _, r := range []result{readBytes(f.Name, f.Data, Options{}), readPath(t, path, "", Options{})} {
		if r.err != nil {
			t.Fatalf("%s: %v", f.Name, r.err)
		}
		if r.format != format || r.stats.Records != f.Records || r.stats.Kept != f.Kept || len(r.posts) != f.Records {
			t.Errorf("%s: format %q, %d posts, stats %+v; want %q, %d records, %d kept", f.Name, r.format, len(r.posts), r.stats, format, f.Records, f.Kept)
		}
		kept := 0
		for _, p := range r.posts {
			if p.Kept() {
				kept++
			}
			if !p.Own {
				t.Errorf("%s: post %+v not marked Own", f.Name, p)
			}
		}
		if kept != f.Kept {
			t.Errorf("%s: Post.Kept keeps %d posts, Stats.Kept %d, want %d", f.Name, kept, r.stats.Kept, f.Kept)
		}
		if got := keptTags(r.posts); !reflect.DeepEqual(got, f.Tags) && len(f.Tags)+len(got) > 0 {
			t.Errorf("%s: hashtags %q, want %q", f.Name, got, f.Tags)
		}
		var got []string
		for _, p := range r.stats.Parts {
			got = append(got, p.Name)
		}
		if !reflect.DeepEqual(got, parts) {
			t.Errorf("%s: read %q, want %q", f.Name, got, parts)
		}
	}
}

func TestArchivesAndOwnFormats(t *testing.T) {
	grail, _ := posttest.GrailbirdFiles()
	_ = grail
	cases := []struct {
		name   string
		f      posttest.Fixture
		format Format
		parts  []string
	}{
		{"X archive zip", posttest.XArchiveZip(), FormatTweetsJS, []string{"data/tweets.js", "data/tweets-part1.js"}},
		{"X archive zip of 2020", posttest.XArchive2020Zip(), FormatTweetsJS, []string{"data/tweet.js", "data/tweet-part1.js"}},
		{"Mastodon zip", posttest.MastodonZip(), FormatMastodon, []string{"outbox.json"}},
		{"Mastodon tar.gz", posttest.MastodonTarGz(), FormatMastodon, []string{"outbox.json"}},
		{"outbox with the duplicate key", posttest.Outbox(true), FormatMastodon, nil},
		{"outbox", posttest.Outbox(false), FormatMastodon, nil},
		{"bare ActivityPub array", posttest.ActivityPubArray(), FormatMastodon, nil},
		{"Grailbird month", posttest.GrailbirdMonth(0), FormatGrailbird, nil},
		{"old tweets.csv", posttest.TweetsCSV(false), FormatTweetsCSV, nil},
		{"old tweets.csv, columns reordered", posttest.TweetsCSV(true), FormatTweetsCSV, nil},
		{"old archive zip", posttest.OldArchiveZip(), FormatGrailbird, []string{"data/js/tweets/2013_01.js", "data/js/tweets/2013_02.js"}},
		{"tweets.js", posttest.TweetsJS(), FormatTweetsJS, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkFixture(t, c.f, c.format, c.parts) })
	}
	// A gzipped outbox is one file, not an archive.
	gz := posttest.Outbox(true)
	gz.Name, gz.Data = "outbox.json.gz", posttest.Gzip(gz.Data)
	checkFixture(t, gz, FormatMastodon, nil)
}

// The duplicate key: every "orderedItems" array is read, so the posts of
// the second (the real one) are all there, once.
func TestOutboxDuplicateKey(t *testing.T) {
	one := readBytes("outbox.json", posttest.Outbox(false).Data, Options{})
	dup := readBytes("outbox.json", posttest.Outbox(true).Data, Options{})
	if one.err != nil || dup.err != nil {
		t.Fatal(one.err, dup.err)
	}
	checkPosts(t, dup.posts, one.posts)
	// Two filled arrays: both are read, in file order.
	f := posttest.Outbox(false)
	body := string(f.Data)
	i := strings.Index(body, `"orderedItems":[`)
	items := body[i+len(`"orderedItems":[`) : len(body)-2]
	twice := body[:len(body)-1] + `,"orderedItems":[` + items + "]}"
	r := readBytes("outbox.json", []byte(twice), Options{})
	if r.err != nil || len(r.posts) != 2*f.Records || r.stats.Kept != 2*f.Kept {
		t.Errorf("two arrays: %d posts, stats %+v, err %v; want %d", len(r.posts), r.stats, r.err, 2*f.Records)
	}
}

func TestGrailbirdFolder(t *testing.T) {
	files, f := posttest.GrailbirdFiles()
	dir := filepath.Join(t.TempDir(), "data", "js", "tweets")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A hidden file is never read.
	os.WriteFile(filepath.Join(dir, ".2013_03.js"), []byte("junk"), 0o644)
	r := readPath(t, dir, "", Options{})
	if r.err != nil || r.format != FormatGrailbird || r.stats.Records != f.Records || r.stats.Kept != f.Kept {
		t.Fatalf("folder: format %q, stats %+v, err %v; want %d records, %d kept", r.format, r.stats, r.err, f.Records, f.Kept)
	}
	if len(r.stats.Parts) != 2 || r.stats.Parts[0].Name != "2013_01.js" {
		t.Errorf("parts %+v", r.stats.Parts)
	}
	// The posts of a Grailbird month, field by field.
	m := readBytes("2013_01.js", files["2013_01.js"], Options{})
	checkPosts(t, m.posts, []Post{
		{Author: "alice", Time: "2013-01-02 07:00:00", Text: "Snow day! #winter", Tags: []string{"winter"}, Own: true},
		{Author: "alice", Time: "2013-01-03 14:00:00", Text: "RT @nasa: Look up tonight #Comet", Retweet: true, Tags: []string{"comet"}, Own: true},
		{Author: "alice", Time: "2013-01-04 21:00:00", Text: "New blog post on #golang &amp; #concurrency http://t.co/abc", Tags: []string{"golang", "concurrency"}, Own: true},
	})
	// The same tweets from tweets.csv: same times and texts.
	c := readBytes("tweets.csv", posttest.TweetsCSV(true).Data, Options{})
	for i := range m.posts {
		if c.posts[i].Time != m.posts[i].Time || c.posts[i].Text != m.posts[i].Text || c.posts[i].Retweet != m.posts[i].Retweet {
			t.Errorf("tweets.csv post %d = %+v, Grailbird %+v", i, c.posts[i], m.posts[i])
		}
	}
}

// A read from which no post is kept is an error naming the reason, in one
// line.
func TestNoPostsKept(t *testing.T) {
	allRT := "window.YTD.tweets.part0 = [ {\"tweet\": {\"full_text\": \"RT @a: #x\", \"created_at\": \"Tue Dec 06 11:00:00 +0000 2022\", \"lang\": \"en\"}} ]"
	ira := iraHeader + "1,a,Привет #мир,RU,Russian,2017-09-07 19:52:00,2017-09-07 19:52:00,0,0,1,,Right,0,NonEnglish\n"
	boosts := `{"orderedItems":[{"type":"Announce","actor":"https://h/users/a","published":"2023-01-01T00:00:00Z","object":"https://h/1"}]}`
	likes := `{"orderedItems":[{"type":"Like","actor":"https://h/users/a","object":"https://h/1"}]}`
	cases := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"likes.json", posttest.LikesJSON().Data, "likes.json or bookmarks.json"},
		{"outbox.json", posttest.EmptyOutbox().Data, "empty outbox"},
		{"outbox.json", []byte(`{"type":"OrderedCollection","orderedItems":[]}`), "empty outbox"},
		{"tweets.js", []byte(allRT), "1 retweets or boosts"},
		{"ira.csv", []byte(ira), `in another language than English ("Russian" 1`},
		{"outbox.json", []byte(boosts), "1 retweets or boosts"},
		{"outbox.json", []byte(likes), "Like activities (posts you liked)"},
		{"statuses.json", []byte(`{"delete":{"status":{"id":1}}}` + "\n"), "none of its 1 records is a post"},
		{"x.zip", posttest.Zip("data/like.js", "window.YTD.like.part0 = []", "data/follower.js", "[]"), "no posts file in it"},
		{"x.zip", posttest.Zip("likes.json", posttest.LikesJSON().Data, "actor.json", "{}"), "it holds 2 files: likes.json, actor.json"},
		{"x.zip", posttest.Zip(), "it holds 0 files"},
		{"x.zip", posttest.Zip("outbox.json", posttest.EmptyOutbox().Data), "empty outbox"},
	}
	for _, c := range cases {
		r := readBytes(c.name, c.data, Options{})
		var np *NoPostsError
		if !errors.As(r.err, &np) || !strings.Contains(np.Reason, c.reason) || strings.Contains(r.err.Error(), "\n") ||
			!strings.HasPrefix(r.err.Error(), c.name+": no posts kept: ") {
			t.Errorf("%s: error %v, want a one-line *NoPostsError saying %q", c.name, r.err, c.reason)
		}
	}
}

// One language rule: a person's own posts are kept in any language, or
// none; a research corpus keeps English posts and posts without a label.
func TestLanguageRule(t *testing.T) {
	cases := []struct {
		p    Post
		kept bool
	}{
		{Post{Text: "hi", Lang: "en"}, true},
		{Post{Text: "hi", Lang: ""}, true},
		{Post{Text: "hallo", Lang: "de"}, false},
		{Post{Text: "hi", Lang: "English"}, true},
		{Post{Text: "RT @a: hi", Lang: "en", Retweet: true}, false},
		{Post{Text: "hallo", Lang: "de", Own: true}, true},
		{Post{Text: "no label", Own: true}, true},
		{Post{Text: "x", Lang: "ja", Own: true, Retweet: true}, false},
		{Post{Text: "  ", Lang: "en", Own: true}, false},
	}
	for _, c := range cases {
		if got := c.p.Kept(); got != c.kept {
			t.Errorf("%+v: Kept %v, want %v", c.p, got, c.kept)
		}
	}
	// A Mastodon note without contentMap has no language, and is kept.
	r := readBytes("outbox.json", []byte(`{"orderedItems":[{"type":"Create","actor":"https://h/users/a","published":"2023-01-01T00:00:00Z","object":{"type":"Note","content":"<p>#x</p>"}}]}`), Options{})
	if r.err != nil || len(r.posts) != 1 || r.posts[0].Lang != "" || !r.posts[0].Kept() {
		t.Errorf("note without contentMap: %+v, %v", r.posts, r.err)
	}
}

// Zip bombs and hostile names: bounded sizes and counts, names only shown.
func TestArchiveLimits(t *testing.T) {
	big := make([]byte, 4<<20) // compresses to a few KiB
	for i := range big {
		big[i] = ' '
	}
	outbox := append(append([]byte(`{"orderedItems":[`), big...), posttest.Outbox(false).Data[len(`{`):]...)
	bomb := posttest.Zip("outbox.json", outbox)
	r := readBytes("bomb.zip", bomb, Options{MaxBytes: 1 << 20})
	var le *LimitError
	if !errors.As(r.err, &le) || !strings.Contains(r.err.Error(), "bomb.zip: more than 1048576 bytes once decompressed") {
		t.Errorf("zip bomb: %v", r.err)
	}
	r = readBytes("bomb.tar.gz", posttest.TarGz("outbox.json", outbox), Options{MaxBytes: 1 << 20})
	if !errors.As(r.err, &le) {
		t.Errorf("tar.gz bomb: %v", r.err)
	}
	r = readBytes("bomb.json.gz", posttest.Gzip(outbox), Options{MaxBytes: 1 << 20})
	if !errors.As(r.err, &le) {
		t.Errorf("gz bomb: %v", r.err)
	}
	var many []any
	for i := 0; i < 20; i++ {
		many = append(many, "media/"+strings.Repeat("x", i+1)+".png", "x")
	}
	r = readBytes("many.zip", posttest.Zip(many...), Options{MaxMembers: 10})
	if !errors.As(r.err, &le) || le.What != "files" {
		t.Errorf("many files: %v", r.err)
	}
	r = readBytes("many.tar.gz", posttest.TarGz(many...), Options{MaxMembers: 10})
	if !errors.As(r.err, &le) || le.What != "files" {
		t.Errorf("many files in a tar: %v", r.err)
	}

	// Names that would escape a folder, or rewrite a terminal line, are
	// only compared and shown.
	dir := t.TempDir()
	wd, _ := os.Getwd()
	os.Chdir(dir)
	defer os.Chdir(wd)
	hostile := posttest.Zip("../../outbox.json", posttest.Outbox(false).Data, "/abs/tweets.js\x1b[2K", "x", "a\nb.txt", "x")
	r = readBytes("hostile.zip", hostile, Options{SkipBad: true})
	if r.err != nil || r.stats.Kept != posttest.Outbox(false).Kept || r.stats.Parts[0].Name != "../../outbox.json" {
		t.Errorf("hostile names: stats %+v, err %v", r.stats, r.err)
	}
	r = readBytes("hostile.zip", posttest.Zip("a\x1b[2K/tweets.js", "junk"), Options{})
	if r.err == nil || strings.ContainsAny(r.err.Error(), "\x1b") {
		t.Errorf("hostile name in an error: %q", r.err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("reading archives wrote %d files", len(left))
	}
	// Not a zip after its magic bytes: an error naming the file.
	r = readBytes("broken.zip", []byte("PK\x03\x04 not really"), Options{})
	if r.err == nil || !strings.HasPrefix(r.err.Error(), "broken.zip: not a readable zip archive") {
		t.Errorf("broken zip: %v", r.err)
	}
}

// A zip of one file of any format is read as that file.
func TestZipOfOneFile(t *testing.T) {
	r := readBytes("ira.zip", posttest.Zip("ira.csv", iraGood), Options{})
	if r.err != nil || r.format != FormatIRA || r.stats.Records != 4 {
		t.Errorf("zip of an IRA CSV: format %q, stats %+v, err %v", r.format, r.stats, r.err)
	}
}

// Issue 13's reader items.

func TestDuplicateColumnRefused(t *testing.T) {
	for name, content := range map[string]string{
		"ira.csv":    "author,content,language,publish_date,retweet,content\na,b,English,2017-01-01 00:00:00,0,c\n",
		"tweets.csv": `"tweet_id","timestamp","text","text"` + "\n" + `"1","2013-01-31 16:13:28 +0000","a","b"` + "\n",
	} {
		r := readBytes(name, []byte(content), Options{SkipBad: true})
		if r.err == nil || !strings.Contains(r.err.Error(), "names the column") {
			t.Errorf("%s: error %v, want the duplicate column named", name, r.err)
		}
	}
}

func TestBadDatesRefused(t *testing.T) {
	for _, d := range []string{"2017-13-45 25:61:61", "2017-02-30 10:00:00", "2/30/2017 1:00", "1/2/2017 3:04x", "2017-01-01 00:00:00 junk", "13/1/2017 1:00", "1/2/2017 24:00"} {
		content := "author,content,language,publish_date,retweet\nbob,hi,English," + d + ",0\n"
		r := readString(content, "ira.csv", FormatIRA, Options{})
		var bf *BadFileError
		if !errors.As(r.err, &bf) || bf.First[0].Field != "publish_date" {
			t.Errorf("date %q: error %v, want a bad publish_date", d, r.err)
		}
	}
	for _, d := range []string{"2013-02-29 10:00:00 +0000", "2013-01-31 16:13:28 +0000x"} {
		r := readString(`"timestamp","text"`+"\n"+`"`+d+`","a"`+"\n", "tweets.csv", FormatTweetsCSV, Options{})
		if r.err == nil {
			t.Errorf("tweets.csv timestamp %q accepted", d)
		}
	}
	r := readString(`Grailbird.data.tweets_2013_02 = [ {"text":"a","created_at":"2013-02-30 10:00:00 +0000"} ]`, "2013_02.js", FormatGrailbird, Options{})
	if r.err == nil {
		t.Error("Grailbird created_at 2013-02-30 accepted")
	}
	// Good dates still read, the old M/D/YYYY H:MM rewritten.
	r = readString("author,content,language,publish_date,retweet\nbob,hi,English,12/31/2017 9:05,0\n", "ira.csv", FormatIRA, Options{})
	if r.err != nil || r.posts[0].Time != "2017-12-31 09:05:00" {
		t.Errorf("good date: %+v, %v", r.posts, r.err)
	}
}

func TestCROnlyLineEnds(t *testing.T) {
	tsv := "one #a\t1\ta\rtwo\t2\tb\rthree\t3\r"
	r := readString(tsv, "train.tsv", FormatHowYouTag, Options{})
	if r.err != nil || len(r.posts) != 3 || r.posts[2].Text != "three" {
		t.Errorf("TSV with CR line ends: %d posts %+v, %v", len(r.posts), r.posts, r.err)
	}
	ira := strings.ReplaceAll("author,content,language,publish_date,retweet\nbob,hi,English,2017-01-01 00:00:00,0\nann,yo,English,2017-01-02 00:00:00,0\n", "\n", "\r")
	r = readString(ira, "ira.csv", FormatIRA, Options{})
	if r.err != nil || len(r.posts) != 2 {
		t.Errorf("CSV with CR line ends: %d posts, %v", len(r.posts), r.err)
	}
	if f, err := Detect("x", []byte(ira)); err != nil || f != FormatIRA {
		t.Errorf("Detect on CR line ends: %q, %v", f, err)
	}
	// A bad record is named by its line.
	r = readString("a\t1\rb\r", "train.tsv", FormatHowYouTag, Options{})
	var bf *BadFileError
	if !errors.As(r.err, &bf) || bf.First[0].Line != 2 {
		t.Errorf("bad line after CR: %v", r.err)
	}
}

func TestBOMStrippedEveryFormat(t *testing.T) {
	const bom = "\ufeff"
	files := map[Format]string{
		FormatHowYouTag:   "text #a\t1\ta\n",
		FormatIRA:         "author,content,language,publish_date,retweet\nbob,text,English,2017-01-01 00:00:00,0\n",
		FormatTwitterJSON: `[{"text":"text","created_at":"Wed Oct 10 20:19:24 +0000 2018","user":{"screen_name":"a"}}]`,
		FormatTweetsJS:    `window.YTD.tweets.part0 = [{"tweet":{"full_text":"text","created_at":"Wed Oct 10 20:19:24 +0000 2018"}}]`,
		FormatMastodon:    `{"orderedItems":[{"type":"Create","actor":"https://h/users/a","published":"2023-01-01T00:00:00Z","object":{"type":"Note","content":"text"}}]}`,
		FormatGrailbird:   `Grailbird.data.tweets_2013_01 = [{"text":"text","created_at":"2013-01-31 16:13:28 +0000"}]`,
		FormatTweetsCSV:   "\"tweet_id\",\"timestamp\",\"text\"\n\"1\",\"2013-01-31 16:13:28 +0000\",\"text\"\n",
	}
	for format, content := range files {
		r := readBytes("f", []byte(bom+content), Options{})
		if r.err != nil || r.format != format || len(r.posts) != 1 || !strings.HasPrefix(r.posts[0].Text, "text") {
			t.Errorf("%s with a BOM: format %q, posts %+v, err %v", format, r.format, r.posts, r.err)
		}
	}
}

func TestEmptyFileEveryFormat(t *testing.T) {
	for _, format := range Formats {
		for _, content := range []string{"", "\ufeff", " \r\n\t\n"} {
			r := readString(content, "f", format, Options{SkipBad: true})
			want := "f:1: empty file: it holds no posts (expected a " + string(format) + " file)"
			if r.err == nil || r.err.Error() != want {
				t.Errorf("%s, %q: error %v, want %q", format, content, r.err, want)
			}
		}
	}
	r := readBytes("empty.tsv", nil, Options{})
	if r.err == nil || !strings.Contains(r.err.Error(), "empty file") {
		t.Errorf("ReadBytes of nothing: %v", r.err)
	}
}

// 160,000 hashtags on one TSV line: linear time, well under a second.
func TestManyHashtagsLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("text\t1")
	for i := 0; i < 160000; i++ {
		b.WriteString("\ttag")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(string(rune('a' + i/26%26)))
		b.WriteString(string(rune('a' + i/676%26)))
		b.WriteString(string(rune('a' + i/17576%26)))
	}
	b.WriteString("\n")
	start := time.Now()
	r := readString(b.String(), "train.tsv", FormatHowYouTag, Options{})
	took := time.Since(start)
	if r.err != nil || len(r.posts) != 1 {
		t.Fatal(r.err)
	}
	if n := len(r.posts[0].Tags); n < 100000 {
		t.Errorf("%d distinct tags", n)
	}
	if took > time.Second { // quadratic work took 43 s; the measured time is logged
		t.Errorf("160,000 hashtags took %v, want well under a second", took)
	}
	t.Logf("160,000 hashtags in one TSV line: %v, %d distinct", took, len(r.posts[0].Tags))

	// The same in a post's text, whose hashtags the reader finds itself
	// (text.ModelHashtags).
	var c strings.Builder
	c.WriteString("author,content,language,publish_date,retweet\nbob,\"")
	for i := 0; i < 160000; i++ {
		fmt.Fprintf(&c, "#t%d ", i)
	}
	c.WriteString("\",English,2017-01-01 00:00:00,0\n")
	start = time.Now()
	r = readString(c.String(), "ira.csv", FormatIRA, Options{})
	took = time.Since(start)
	if r.err != nil || len(r.posts) != 1 || len(r.posts[0].Tags) != 160000 {
		t.Fatalf("IRA post with 160,000 hashtags: %v", r.err)
	}
	if took > time.Second { // quadratic work took 43 s; the measured time is logged
		t.Errorf("160,000 hashtags in a post's text took %v, want well under a second", took)
	}
	t.Logf("160,000 hashtags in one IRA post: %v", took)
}

func BenchmarkHowYouTagManyTags(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("text\t1")
	for i := 0; i < 160000; i++ {
		sb.WriteString("\tt")
		sb.WriteString(strings.Repeat("a", i%50+1))
	}
	line := sb.String()
	for b.Loop() {
		readString(line, "train.tsv", FormatHowYouTag, Options{})
	}
}
