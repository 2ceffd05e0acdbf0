package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashtag-rec/hashtag/model/post/posttest"
)

// prepare runs "hashtag prepare" on args through run, as the CLI does, and
// returns the exit status, stdout and stderr.
func prepare(t *testing.T, cache string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"prepare", "--cache-dir", cache}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var filteredPosts = regexp.MustCompile(`(?m)^filtered posts (\d+)$`)

// TestPrepareWhatPeopleHold prepares every kind of file a person holds and
// checks the number of posts kept: original posts with text, in any
// language (post.Post.Kept), as the page keeps them.
func TestPrepareWhatPeopleHold(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	grail, grailFix := posttest.GrailbirdFiles()
	for name, data := range grail {
		write(filepath.Join("old", "data", "js", "tweets", name), data)
	}
	cases := []struct {
		what string
		path string
		f    posttest.Fixture
		read string // a file read, as the log names it
	}{
		{"X archive .zip", write("x/twitter-2024.zip", posttest.XArchiveZip().Data), posttest.XArchiveZip(), "data/tweets-part1.js (tweets-js)"},
		{"Mastodon .zip", write("m/archive.zip", posttest.MastodonZip().Data), posttest.MastodonZip(), "outbox.json (mastodon)"},
		{"Mastodon .tar.gz", write("m2/archive.tar.gz", posttest.MastodonTarGz().Data), posttest.MastodonTarGz(), "outbox.json (mastodon)"},
		{"outbox with the duplicate key", write("o/outbox.json", posttest.Outbox(true).Data), posttest.Outbox(true), "(mastodon)"},
		{"Grailbird month", write("g/2013_01.js", posttest.GrailbirdMonth(0).Data), posttest.GrailbirdMonth(0), "(grailbird)"},
		{"Grailbird folder", filepath.Join(dir, "old", "data", "js", "tweets"), grailFix, "2013_02.js (grailbird)"},
		{"old tweets.csv", write("c/tweets.csv", posttest.TweetsCSV(false).Data), posttest.TweetsCSV(false), "(tweets-csv)"},
		{"bare ActivityPub array", write("a/activities.json", posttest.ActivityPubArray().Data), posttest.ActivityPubArray(), "(mastodon)"},
		{"old archive .zip", write("z/tweets-2013.zip", posttest.OldArchiveZip().Data), posttest.OldArchiveZip(), "data/js/tweets/2013_01.js (grailbird)"},
		{"Bluesky repository .car", write("b/alice.bsky.social-2024-05-10.car", posttest.BlueskyCAR().Data), posttest.BlueskyCAR(), "(bluesky)"},
		{"Bluesky repository .car.gz", write("b/repo.car.gz", posttest.Gzip(posttest.BlueskyCAR().Data)), posttest.BlueskyCAR(), "(bluesky)"},
	}
	for _, c := range cases {
		t.Run(c.what, func(t *testing.T) {
			code, out, errOut := prepare(t, t.TempDir(), c.path)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, errOut)
			}
			m := filteredPosts.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("no post count in %q", out)
			}
			if n, _ := strconv.Atoi(m[1]); n != c.f.Kept {
				t.Errorf("filtered posts %d, want %d\n%s%s", n, c.f.Kept, out, errOut)
			}
			if !strings.Contains(errOut, c.read) || !strings.Contains(errOut, " kept") {
				t.Errorf("the log does not say %q was read: %s", c.read, errOut)
			}
		})
	}
}

// TestPrepareNothingKept: a likes.json, an empty outbox, an archive without
// posts, all retweets: a non-zero exit with one line naming the reason.
func TestPrepareNothingKept(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ name, reason string }{
		{"likes.json", "likes.json or bookmarks.json"},
		{"outbox.json", "empty outbox"},
		{"media.zip", "no posts file in it"},
		{"tweets.js", "retweets or boosts"},
	}
	data := map[string][]byte{
		"likes.json":  posttest.LikesJSON().Data,
		"outbox.json": posttest.EmptyOutbox().Data,
		"media.zip":   posttest.Zip("data/tweets_media/1.jpg", "x", "data/like.js", "window.YTD.like.part0 = []"),
		"tweets.js":   []byte(`window.YTD.tweets.part0 = [ {"tweet": {"full_text": "RT @a: #x", "created_at": "Tue Dec 06 11:00:00 +0000 2022"}} ]`),
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, data[c.name], 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := prepare(t, t.TempDir(), path)
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		last := lines[len(lines)-1]
		if code == 0 || out != "" || !strings.Contains(last, c.reason) || !strings.Contains(last, path+": no posts kept: ") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want a non-zero exit and a line saying %q", c.name, code, out, errOut, c.reason)
		}
	}
}

// TestPrepareCorpusNameInCurrentFolder: a file in the current folder names
// the corpus after the folder, never ".", and the cache file is not hidden.
func TestPrepareCorpusNameInCurrentFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mine")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "outbox.json"), posttest.Outbox(false).Data, 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	cache := t.TempDir()
	code, out, errOut := prepare(t, cache, "outbox.json")
	if code != 0 || !strings.HasPrefix(out, "corpus mine,") {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	files, _ := os.ReadDir(cache)
	if len(files) != 1 || !strings.HasPrefix(files[0].Name(), "mine-random-") {
		t.Errorf("cache files %v, want one mine-random-*.ds", files)
	}
}

// TestPrepareManyHashtags: one post with 160,000 hashtags is prepared in
// linear time (it took 43 s when the readers deduplicated pairwise).
func TestPrepareManyHashtags(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 3; i++ {
		fmt.Fprintf(&b, "a post about the match #m%d\tuser%d\tmatch\n", i, i)
	}
	b.WriteString("the long one\tuser9")
	for i := 0; i < 160000; i++ {
		fmt.Fprintf(&b, "\ttag%d", i)
	}
	b.WriteString("\n")
	path := filepath.Join(t.TempDir(), "posts.tsv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code, out, errOut := prepare(t, t.TempDir(), path)
	took := time.Since(start)
	if code != 0 || !strings.Contains(out, "filtered posts 4") {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	// About 0.3 s of CPU here (reading, interning, writing the cache); the
	// bound leaves room for a loaded machine and still fails the quadratic
	// reading by two orders of magnitude.
	if took > 2*time.Second {
		t.Errorf("prepare with 160,000 hashtags in one post took %v, want well under a second", took)
	}
	t.Logf("prepare, 160,000 hashtags in one post: %v", took)
}
