package post

import (
	"bytes"
	"errors"
	"html"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashtag-rec/hashtag/model/post/posttest"
	"github.com/hashtag-rec/hashtag/model/text"
)

// Fuzz targets: every reader must take any bytes without panicking, and
// either read posts that are well formed or fail with an error that names
// the file. Run one with, for example,
//
//	go test ./model/post -run '^$' -fuzz '^FuzzReadTwitterJSON$' -fuzztime 20s

func FuzzReadIRA(f *testing.F) {
	fuzzRead(f, FormatIRA, "ira.csv", []string{
		iraGood, iraBad, iraHeader, "",
		"author,content,language,publish_date,retweet\nbob,\"#a,b\",English,1/2/2017 3:04,0\n",
		"author,content,language,publish_date,retweet\nbob,\"unclosed,English,2017-01-01 00:00:00,0\nx,y,z\n",
		"author,content\n\"\n",
	})
}

func FuzzReadHowYouTag(f *testing.F) {
	fuzzRead(f, FormatHowYouTag, "train.tsv", []string{
		howYouTagGood, "", "\n", "text\n", "a\t1\n\xff\t2\n", "a\t\t\t\n",
	})
}

func FuzzReadTwitterJSON(f *testing.F) {
	fuzzRead(f, FormatTwitterJSON, "tweets.json", []string{
		"[" + statusFull + "," + statusRetweet + "]",
		"[" + statusTrimmed + "," + streamDelete + "," + statusStream + "]",
		statusFull + "\n" + statusBoth + "\n",
		"{\n" + statusBoth[1:] + "\n" + statusBoth,
		"[\n" + statusBoth + ",\n{\"text\":\"a\" \"user\":{}}]",
		"[1, \"x\", null, [], {}]",
		`{"text":"x","user":{"screen_name":"a"},"created_at":"Mon Jan 01 00:00:00 +0100 0001"}`,
		"[", "]", "{", "", " \ufeff[]",
	})
}

func FuzzReadTweetsJS(f *testing.F) {
	fuzzRead(f, FormatTweetsJS, "tweets.js", []string{
		"window.YTD.tweets.part0 = [ " + archiveTweet + " ]",
		"window.YTD.tweet.part0 = [ {\"full_text\":\"RT @x: #y\",\"created_at\":\"Tue Dec 06 11:00:00 +0000 2022\"} ];",
		"window.YTD.tweets.part0 = [ {\"tweet\": 1} ]",
		"window.YTD.", "window.YTD.x=", "=[]", "",
	})
}

func FuzzReadMastodon(f *testing.F) {
	fuzzRead(f, FormatMastodon, "outbox.json", []string{
		outboxHead + apCreate + ",\n" + apAnnounce + ",\n" + apLike + outboxTail,
		outboxHead + apNoLang + ",\n" + apPoll + ",\n" + apArticle + outboxTail,
		`{"orderedItems":[{"type":"Create","actor":"https://h/users/a","published":"2022-01-01T00:00:00Z","object":{"type":"Note","content":"<p>#a<br>&amp;<a href='x>'>#<span>b</span></a></p>"}}]}`,
		`{"a":[{"b":[]}],"orderedItems":[1,"x",{}],"c":null}`,
		`{"orderedItems":{}}`, "{", "{}", "[]", "",
	})
}

func FuzzReadGrailbird(f *testing.F) {
	fuzzRead(f, FormatGrailbird, "2013_01.js", []string{
		string(posttest.GrailbirdMonth(0).Data),
		`Grailbird.data.tweets_2013_01 = [ {"text":"RT @x: #y","created_at":"2013-01-31 16:13:28 +0000","retweeted_status":{}} ]`,
		`Grailbird.data.tweets_2013_01 = [ {"text":"a","created_at":"Thu Jan 31 16:13:28 +0000 2013"}, 1, "x" ]`,
		"Grailbird.data.", "Grailbird.data.tweets_2013_01 =", "",
	})
}

func FuzzReadTweetsCSV(f *testing.F) {
	fuzzRead(f, FormatTweetsCSV, "tweets.csv", []string{
		string(posttest.TweetsCSV(false).Data), string(posttest.TweetsCSV(true).Data),
		"\"timestamp\",\"text\"\r\"2013-01-31 16:13:28 +0000\",\"a\"\r",
		"timestamp,text,text\n", "timestamp,text\n\"unclosed,x\n", "",
	})
}

// FuzzReadBluesky reads any bytes as a Bluesky repository (a CAR file):
// no panic, bounded work, every error naming the file.
//
//	go test ./model/post -run '^$' -fuzz '^FuzzReadBluesky$' -fuzztime 30s
//
// The block digests are not checked (see cidLen), so the fuzzer's changes
// to a block reach the CBOR decoder and the tree walk.
func FuzzReadBluesky(f *testing.F) {
	car := posttest.BlueskyCAR().Data
	post := posttest.DagBlock(map[string]any{"$type": "app.bsky.feed.post", "text": "#a", "createdAt": "2024-01-01T00:00:00Z", "tags": []string{"b"}, "langs": []string{"en"}})
	self := posttest.CID(0x71, []byte("self"))
	cycle := posttest.Block{CID: self, Data: posttest.CBOR(map[string]any{"l": self, "e": []any{
		map[string]any{"p": 0, "k": []byte("app.bsky.feed.post/3k"), "v": post.CID, "t": self}}})}
	commit := posttest.DagBlock(map[string]any{"did": "did:plc:a", "version": 3, "data": self, "prev": nil})
	seeds := []string{
		string(car), string(car[:len(car)/2]), string(car[:100]),
		string(posttest.CAR([]posttest.Link{commit.CID}, commit, cycle, post)),
		string(posttest.CARWithHeader(map[string]any{"version": 2})),
		"\x0a\xa1\x67version\x02", "", "\x00",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, skip := range []bool{false, true} {
			var posts []Post
			st, err := Read(bytes.NewReader(data), "repo.car", FormatBluesky, Options{SkipBad: skip}, func(p Post) error {
				posts = append(posts, p)
				return nil
			})
			checkRead(t, data, "repo.car", FormatBluesky, skip, posts, st, err)
			if err == nil && st.Records == 0 && st.Bad == 0 && st.Ignored == 0 && st.reason == "" {
				t.Fatalf("a repository read with nothing in it and no reason: %+v", st)
			}
		}
	})
}

func FuzzDecodeCBOR(f *testing.F) {
	for _, s := range []string{"\x00", "\xa2\x61a\xf5\x61b\x82\x01\xf6", "\xd8\x2a\x58\x25\x00\x01\x71\x12\x20" + strings.Repeat("x", 32),
		"\xf9\x3c\x00", "\x9b\xff\xff\xff\xff\xff\xff\xff\xff", strings.Repeat("\x81", 70)} {
		f.Add([]byte(s))
	}
	f.Add(posttest.BlueskyUnreachableBlock().Data)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := decodeCBOR(data) // must not panic
		if err != nil {
			var ce *cborError
			if !errors.As(err, &ce) || ce.off < 0 || ce.off > len(data) {
				t.Fatalf("error %v (%T) does not give a byte offset in the data", err, err)
			}
			return
		}
		checkCBORValue(t, v)
	})
}

// checkCBORValue checks that v holds only the decoder's types, valid text
// and links of whole CIDs.
func checkCBORValue(t *testing.T, v any) {
	t.Helper()
	switch x := v.(type) {
	case nil, bool, int64, uint64, float64, []byte:
	case string:
		if !utf8.ValidString(x) {
			t.Fatalf("text %q not valid UTF-8", x)
		}
	case cborLink:
		if n, err := cidLen([]byte(x)); err != nil || n != len(x) {
			t.Fatalf("link %x: %d, %v", x, n, err)
		}
	case []any:
		for _, e := range x {
			checkCBORValue(t, e)
		}
	case map[string]any:
		for k, e := range x {
			if !utf8.ValidString(k) {
				t.Fatalf("key %q not valid UTF-8", k)
			}
			checkCBORValue(t, e)
		}
	default:
		t.Fatalf("value of type %T", v)
	}
}

// fuzzRead checks Read with format on the fuzzer's bytes, with and without
// SkipBad.
func fuzzRead(f *testing.F, format Format, name string, seeds []string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, skip := range []bool{false, true} {
			var posts []Post
			st, err := Read(bytes.NewReader(data), name, format, Options{SkipBad: skip}, func(p Post) error {
				posts = append(posts, p)
				return nil
			})
			checkRead(t, data, name, format, skip, posts, st, err)
		}
	})
}

// checkRead checks what one Read gave.
func checkRead(t *testing.T, data []byte, name string, format Format, skip bool, posts []Post, st Stats, err error) {
	t.Helper()
	lines := bytes.Count(data, []byte("\n")) + 1
	if cr := bytes.Count(data, []byte("\r")) + 1; cr > lines {
		lines = cr // a file of CR line ends is read as lines
	}
	checkErrs := func(errs []*RecordError) {
		for _, e := range errs {
			if e.File != name || e.Line < 0 || e.Line > lines {
				t.Fatalf("record error %#v: want file %q and a line in 0..%d", e, name, lines)
			}
			if !strings.HasPrefix(e.Error(), name) {
				t.Fatalf("record error %q does not name the file", e.Error())
			}
		}
	}
	if len(st.Errors) > 5 || len(st.Errors) > st.Bad || (st.Bad > 0 && len(st.Errors) == 0) {
		t.Fatalf("stats %+v: Errors does not hold the first min(Bad, 5) errors", st)
	}
	checkErrs(st.Errors)
	var bf *BadFileError
	var re *RecordError
	switch {
	case err == nil:
		if st.Bad > 0 && !skip {
			t.Fatalf("%d bad records, but the file is not refused", st.Bad)
		}
	case errors.As(err, &bf):
		if skip || bf.File != name || bf.Bad != st.Bad || bf.Bad == 0 || !reflect.DeepEqual(bf.First, st.Errors) {
			t.Fatalf("SkipBad %v: BadFileError %#v, stats %+v", skip, bf, st)
		}
		checkErrs(bf.First)
		if !strings.HasPrefix(err.Error(), name) {
			t.Fatalf("error %q does not name the file", err)
		}
	case errors.As(err, &re):
		checkErrs([]*RecordError{re})
	default:
		t.Fatalf("error %v (%T) is neither a *RecordError nor a *BadFileError", err, err)
	}
	if (skip || err == nil) && len(posts) != st.Records {
		t.Fatalf("%d posts given, Stats.Records %d", len(posts), st.Records)
	}
	if len(posts) > st.Records {
		t.Fatalf("%d posts given, Stats.Records %d", len(posts), st.Records)
	}
	for _, p := range posts {
		checkPost(t, format, p)
	}
}

// checkPost checks the invariants every post of format holds.
func checkPost(t *testing.T, format Format, p Post) {
	t.Helper()
	if !utf8.ValidString(p.Text) || !utf8.ValidString(p.Author) {
		t.Fatalf("post %+v: invalid UTF-8", p)
	}
	if format == FormatHowYouTag {
		if p.Tags == nil || p.Time != "" || p.Author == "" {
			t.Fatalf("HowYouTag post %+v", p)
		}
		return
	}
	if want := text.ModelHashtags(p.Text); !reflect.DeepEqual(p.Tags, want) {
		t.Fatalf("post %+v: Tags %q, want text.ModelHashtags(Text) = %q", p, p.Tags, want)
	}
	if !isPostTime(p.Time) {
		t.Fatalf("post %+v: Time %q is not YYYY-MM-DD HH:MM:SS", p, p.Time)
	}
	if !p.Own && p.Author == "" { // an archive is one person's: it may not name them
		t.Fatalf("post %+v: no author", p)
	}
	if (format == FormatMastodon || format == FormatBluesky) && p.Retweet && (p.Text != "" || p.Lang != "") {
		t.Fatalf("boost %+v has text or a language", p)
	}
}

func isPostTime(s string) bool {
	if len(s) != 19 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 4, 7:
			if c != '-' {
				return false
			}
		case 10:
			if c != ' ' {
				return false
			}
		case 13, 16:
			if c != ':' {
				return false
			}
		default:
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

func FuzzDecompress(f *testing.F) {
	good := gzipped(f, []byte(howYouTagGood))
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte{0x1f, 0x8b})
	f.Add([]byte("plain"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Decompress(bytes.NewReader(data), "f.gz")
		if err == nil {
			_, err = io.Copy(io.Discard, r)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "f.gz: gzip stream is") {
			t.Fatalf("error %q does not name the file and say what is wrong", err)
		}
	})
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{iraGood, howYouTagGood, statusFull, "[", archiveTweet, "window.YTD.tweets.part0 = [", outboxHead, ""} {
		f.Add("file", []byte(s))
	}
	f.Add("repo.car", posttest.BlueskyCAR().Data[:4096])
	f.Add("repo.car", []byte("\x0a\xa1\x67version\x02"))
	f.Fuzz(func(t *testing.T, name string, head []byte) {
		format, err := Detect(name, head)
		if err != nil {
			if !strings.HasPrefix(err.Error(), name+": ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if _, err := ParseFormat(string(format)); err != nil {
			t.Fatalf("Detect gave %q: %v", format, err)
		}
	})
}

func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{
		"plain", "#tag", "a & b < c", "<p>x</p>", "&lt;&amp;&#39;", "\xff\xfe",
		`<a href="https://m.s/tags/foo" class="mention hashtag" rel="tag">#<span>foo</span></a>`,
		"<script>x", "<!--", "<a title='>'>", "</", "<br><br>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := htmlText(s) // must not panic
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("htmlText(%q) = %q: invalid UTF-8", s, out)
		}
		// Text escaped into a paragraph comes back as it was (white space
		// alone between blocks is dropped).
		want := s
		if strings.TrimSpace(s) == "" {
			want = ""
		}
		if got := htmlText("<p>" + html.EscapeString(s) + "</p>"); got != want {
			t.Fatalf("htmlText(<p>escaped %q</p>) = %q", s, got)
		}
		// A hashtag in Mastodon's markup survives.
		tag := "#" + s
		if tags := text.ModelHashtags(tag); tags != nil {
			link := `<p>x <a href="https://m.s/tags/t" class="mention hashtag" rel="tag">#<span>` + html.EscapeString(s) + `</span></a></p>`
			if got := text.ModelHashtags(htmlText(link)); !reflect.DeepEqual(got, tags) {
				t.Fatalf("hashtags of %q: %q, want %q", link, got, tags)
			}
		}
	})
}

// FuzzReadArchive reads any bytes as an archive or file picked by a
// person (ReadBytes, as the page does): no panic, bounded work (small
// limits stand for the real ones), an error that names the file, posts
// that agree with Stats, names shown without control characters, and
// nothing written.
//
//	go test ./model/post -run '^$' -fuzz '^FuzzReadArchive$' -fuzztime 60s -fuzzminimizetime 2s
//
// (the seeds are whole archives: minimising a new input with the default
// 60 s pauses the count of executions)
func FuzzReadArchive(f *testing.F) {
	for _, fx := range []posttest.Fixture{posttest.XArchiveZip(), posttest.MastodonZip(), posttest.MastodonTarGz(),
		posttest.OldArchiveZip(), posttest.Outbox(true), posttest.LikesJSON(), posttest.GrailbirdMonth(1), posttest.TweetsCSV(true),
		posttest.BlueskyCAR()} {
		f.Add(fx.Data)
	}
	f.Add(posttest.Zip("repo.car", posttest.BlueskyCAR().Data))
	f.Add(posttest.Zip("../../x/outbox.json", posttest.Outbox(false).Data, "a\x00b", "x"))
	f.Add(posttest.Gzip(posttest.TarGz("outbox.json", posttest.Outbox(false).Data)))
	f.Add(posttest.Zip("outbox.json", bytes.Repeat([]byte(" "), 2<<20)))
	f.Add([]byte("PK\x05\x06"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "archive.zip"
		var posts []Post
		opts := Options{SkipBad: true, MaxBytes: 1 << 20, MaxMembers: 64}
		st, format, err := ReadBytes(name, data, "", opts, func(p Post) error {
			posts = append(posts, p)
			return nil
		})
		if err != nil {
			if !strings.HasPrefix(err.Error(), name) {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if len(posts) != st.Records || st.Kept == 0 || st.Kept > st.Records {
			t.Fatalf("no error, %d posts, stats %+v", len(posts), st)
		}
		if _, err := ParseFormat(string(format)); err != nil {
			t.Fatalf("format %q", format)
		}
		for _, p := range st.Parts {
			if strings.IndexFunc(p.Name, func(r rune) bool { return r < ' ' || r == 0x7f }) >= 0 {
				t.Fatalf("part name %q shown with control characters", p.Name)
			}
		}
		for _, p := range posts {
			checkPost(t, format, p)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Fatalf("%d files written", len(left))
		}
	})
}
