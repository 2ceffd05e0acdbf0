package post

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/model/post/posttest"
)

// blueskyGoodPosts are the posts of posttest.BlueskyCAR, in key order:
// the 7 posts (rkeys in time order), then the repost.
var blueskyGoodPosts = func() []Post {
	did := posttest.BlueskyDID
	texts := posttest.BlueskyPostTexts
	return []Post{
		{Author: did, Time: "2024-05-04 08:00:00", Text: texts[0], Lang: "en", Tags: []string{"bluesky"}, Own: true},
		{Author: did, Time: "2024-05-04 09:30:00", Text: texts[1], Lang: "en", Tags: []string{"golang"}, Own: true}, // a reply
		{Author: did, Time: "2024-05-05 12:00:00", Text: texts[2], Lang: "en", Tags: []string{"buildinpublic", "golang"}, Own: true},
		// createdAt "2024-05-06T09:15:00.123+02:00"; the "tags" kaffee (in
		// the text already, as #Kaffee) and Morgen (appended).
		{Author: did, Time: "2024-05-06 07:15:00", Text: texts[3], Lang: "de", Tags: []string{"kaffee", "morgen"}, Own: true},
		{Author: did, Time: "2024-05-07 18:00:00", Text: "", Lang: "en", Own: true}, // only an image
		{Author: did, Time: "2024-05-08 07:00:00", Text: texts[5], Tags: []string{"nolang"}, Own: true},
		{Author: did, Time: "2024-05-09 03:00:00", Text: texts[6], Lang: "ja", Tags: []string{"プロジェクト"}, Own: true},
		{Author: did, Time: "2024-05-06 20:00:00", Retweet: true, Own: true}, // the repost
	}
}()

func checkBlueskyGood(t *testing.T, what string, r result) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("%s: %v", what, r.err)
	}
	if r.format != FormatBluesky {
		t.Errorf("%s: format %q, want %q", what, r.format, FormatBluesky)
	}
	checkPosts(t, r.posts, blueskyGoodPosts)
	st := r.stats
	if st.Records != 8 || st.Ignored != 4 || st.Bad != 0 || st.Kept != 6 || st.Retweets != 1 || st.NoText != 1 || st.OtherLang != 0 {
		t.Errorf("%s: stats %+v; want 8 records (7 posts, 1 repost), 4 ignored (2 likes, a follow, the profile), 6 kept, 1 repost, 1 without text", what, st)
	}
	for _, p := range r.posts {
		if strings.Contains(p.Text, "Unreachable") {
			t.Errorf("%s: the block the tree does not link to was read: %+v", what, p)
		}
	}
}

func TestBlueskyGood(t *testing.T) {
	f := posttest.BlueskyCAR()
	// The unreachable block is in the file, and a valid post record.
	un := posttest.BlueskyUnreachableBlock()
	if !bytes.Contains(f.Data, append(append([]byte{}, un.CID...), un.Data...)) {
		t.Fatal("the fixture does not hold its unreachable block")
	}
	repo := posttest.BlueskyRepo()
	if repo.Depth < 2 || repo.Nodes < 3 {
		t.Fatalf("the fixture's tree has %d levels, %d nodes; want 2 levels or more", repo.Depth, repo.Nodes)
	}

	checkBlueskyGood(t, "ReadBytes", readBytes(f.Name, f.Data, Options{}))
	checkBlueskyGood(t, "ReadFile", readPath(t, writeFile(t, f.Name, f.Data), "", Options{}))
	checkBlueskyGood(t, "ReadFile with the format named", readPath(t, writeFile(t, "repo.car", f.Data), FormatBluesky, Options{}))
	r := readString(string(f.Data), "repo.car", FormatBluesky, Options{})
	checkBlueskyGood(t, "Read", r)
	checkBlueskyGood(t, "repo.car.gz", readBytes("repo.car.gz", posttest.Gzip(f.Data), Options{}))
	checkBlueskyGood(t, "repo.car.gz from a file", readPath(t, writeFile(t, "repo.car.gz", posttest.Gzip(f.Data)), "", Options{}))

	// As an export and as archives, with the counts of the fixture.
	checkFixture(t, f, FormatBluesky, nil)
	gz := f
	gz.Name, gz.Data = "repo.car.gz", posttest.Gzip(f.Data)
	checkFixture(t, gz, FormatBluesky, nil)
	zipped := f
	zipped.Name, zipped.Data = "bluesky-export.zip", posttest.Zip("README.txt", "my Bluesky export", "repo.car", f.Data)
	checkFixture(t, zipped, FormatBluesky, []string{"repo.car"})
	// A zip of one file of a name that says nothing: recognised by content.
	zipped.Data = posttest.Zip("export/download", f.Data)
	checkFixture(t, zipped, FormatBluesky, []string{"export/download"})
	// A folder holding the .car, read as an archive is.
	dir := t.TempDir()
	writeTo(t, dir+"/"+f.Name, f.Data)
	r = readPath(t, dir, "", Options{})
	checkBlueskyGood(t, "folder", r)
	if len(r.stats.Parts) != 1 || r.stats.Parts[0].Name != f.Name {
		t.Errorf("folder: parts %+v", r.stats.Parts)
	}
}

func writeTo(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBlueskyDetect(t *testing.T) {
	data := posttest.BlueskyCAR().Data
	for _, c := range []struct {
		name string
		head []byte
	}{
		{"repo.car", data[:4096]},
		{"alice.bsky.social-2024-05-10.car", data},
		{"download", data[:4096]}, // the content decides, not the name
		{"x.json", data[:100]},
		{"repo.car", data[:20]}, // cut inside the header: the reader says so
		// A CAR version 2 file (its pragma): the reader says what it is.
		{"v2.car", []byte("\x0a\xa1\x67version\x02\x00\x00")},
	} {
		if f, err := Detect(c.name, c.head); err != nil || f != FormatBluesky {
			t.Errorf("Detect(%q, %d bytes) = %q, %v; want bluesky", c.name, len(c.head), f, err)
		}
	}
	// A .car name is not enough.
	for _, head := range []string{"hello", "\x00\x01\x02binary", "\x3a\xa2\x64data\x01"} {
		_, err := Detect("repo.car", []byte(head))
		if err == nil || !strings.HasPrefix(err.Error(), "repo.car: not a Bluesky repository export") {
			t.Errorf("Detect(repo.car, %q): %v, want an error saying it is not a Bluesky export", head, err)
		}
	}
	// No other format's file is taken for a CAR.
	others := []posttest.Fixture{posttest.TweetsJS(), posttest.Outbox(true), posttest.ActivityPubArray(), posttest.LikesJSON(),
		posttest.GrailbirdMonth(0), posttest.TweetsCSV(false)}
	for _, f := range others {
		if isCAR(f.Data) {
			t.Errorf("%s taken for a CAR file", f.Name)
		}
	}
	for _, s := range []string{iraGood, howYouTagGood, statusFull, outboxHead, archiveTweet, "", "\x00", "\x3a", "\x0a\xa1"} {
		if isCAR([]byte(s)) {
			t.Errorf("%.30q taken for a CAR file", s)
		}
	}
	// A JPEG is still a binary file.
	if _, err := Detect("photo.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")); err == nil || !strings.Contains(err.Error(), "binary file") {
		t.Errorf("a JPEG: %v", err)
	}
}

// A CAR file is binary: the CR handling of text files (lone CRs read as
// LF) and the BOM skipping must never touch it.
func TestBlueskyBytesUntouched(t *testing.T) {
	in := "\xef\xbb\xbf\r\x00A\rB\r"
	s := newSink("x.car", Options{}, nil)
	r, err := startStream(strings.NewReader(in), s, FormatBluesky)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(r)
	if string(out) != in {
		t.Errorf("startStream changed a binary file: %q, want %q", out, in)
	}
	// A whole repository with CRs and no LF in it: the case where a text
	// file is read with CRs turned into LFs. The texts vary until the
	// hashes hold no LF byte.
	for i := 0; i < 10000; i++ {
		txt := fmt.Sprintf("one\rtwo #cr %d", i)
		post := posttest.DagBlock(map[string]any{"$type": "app.bsky.feed.post", "text": txt, "createdAt": "2024-01-02T03:04:05Z"})
		node := posttest.DagBlock(map[string]any{"l": nil, "e": []any{map[string]any{"p": 0, "k": []byte("app.bsky.feed.post/3kaaaaaaaaa22"), "v": post.CID, "t": nil}}})
		commit := posttest.DagBlock(map[string]any{"did": "did:plc:abc", "version": 3, "data": node.CID, "rev": "3kaaaaaaaaa22", "prev": nil, "sig": []byte("\r\r\r")})
		data := posttest.CAR([]posttest.Link{commit.CID}, commit, node, post)
		if bytes.IndexByte(data, '\n') >= 0 {
			continue
		}
		r := readBytes("cr.car", data, Options{})
		if r.err != nil || len(r.posts) != 1 || r.posts[0].Text != txt {
			t.Fatalf("a CAR file with CRs and no LF: posts %+v, err %v", r.posts, r.err)
		}
		return
	}
	t.Fatal("no repository without an LF byte was found")
}

// repoOf builds a repository of the given records and returns its CAR
// file, its blocks and commit.
func repoOf(records ...posttest.BskyRecord) posttest.BskyRepo {
	return posttest.NewBskyRepo("did:plc:abcdefghijklmnopqrstuvwx", records)
}

func bskyPostRec(rkey, text, createdAt string) posttest.BskyRecord {
	return posttest.BskyRecord{Key: "app.bsky.feed.post/" + rkey,
		Value: map[string]any{"$type": "app.bsky.feed.post", "text": text, "createdAt": createdAt, "langs": []string{"en"}}}
}

// without returns the repository's CAR file without the block of cid,
// or with data in its place when data is not nil.
func without(repo posttest.BskyRepo, cid posttest.Link, data []byte) []byte {
	var blocks []posttest.Block
	for _, b := range repo.Blocks {
		if bytes.Equal(b.CID, cid) {
			if data == nil {
				continue
			}
			b.Data = data
		}
		blocks = append(blocks, b)
	}
	return posttest.CAR([]posttest.Link{repo.Commit.CID}, blocks...)
}

// wantBad is one bad record a test expects.
type wantBad struct {
	record int    // its number in key order (0 for a tree node)
	field  string // the field at fault
	msg    string // a substring of the message
}

func checkBlueskyBad(t *testing.T, name string, r result, want []wantBad) {
	t.Helper()
	var bf *BadFileError
	if !errors.As(r.err, &bf) {
		t.Fatalf("err = %v, want a *BadFileError", r.err)
	}
	if bf.File != name || bf.Bad != len(want) {
		t.Errorf("BadFileError{File: %q, Bad: %d}, want %q, %d bad", bf.File, bf.Bad, name, len(want))
	}
	if len(bf.First) != len(want) {
		for _, e := range bf.First {
			t.Errorf("  %v", e)
		}
		t.Fatalf("%d errors listed, want %d", len(bf.First), len(want))
	}
	for i, w := range want {
		e := bf.First[i]
		if e.File != name || e.Line != 0 || e.Record != w.record || e.Field != w.field || !strings.Contains(e.Msg, w.msg) {
			t.Errorf("error %d = %q (%#v)\n  want record %d field %q msg containing %q", i, e, e, w.record, w.field, w.msg)
		}
		if !strings.HasPrefix(e.Error(), name+": ") {
			t.Errorf("error %q does not start with the file", e)
		}
	}
}

func TestBlueskyBadRecords(t *testing.T) {
	good := bskyPostRec("3kaaaaaaaaa22", "a good one #ok", "2024-01-01T00:00:00Z")
	missing := bskyPostRec("3kaaaaaaaaa27", "its block is missing", "2024-01-01T00:00:00Z")
	garbled := bskyPostRec("3kaaaaaaaaa28", "its block is garbled", "2024-01-01T00:00:00Z")
	nested := bskyPostRec("3kaaaaaaaaa2c", "deep", "2024-01-01T00:00:00Z")
	deep := any(0)
	for range 100 {
		deep = []any{deep}
	}
	nested.Value["x"] = deep
	recs := []posttest.BskyRecord{
		good, // 1
		bskyPostRec("3kaaaaaaaaa23", "when?", "yesterday"),                                                                                              // 2
		{Key: "app.bsky.feed.post/3kaaaaaaaaa24", Value: map[string]any{"$type": "app.bsky.feed.post", "text": "no time"}},                              // 3
		{Key: "app.bsky.feed.post/3kaaaaaaaaa25", Value: map[string]any{"$type": "app.bsky.feed.post", "text": 5, "createdAt": "2024-01-01T00:00:00Z"}}, // 4
		{Key: "app.bsky.feed.post/3kaaaaaaaaa26", Value: map[string]any{"$type": "app.bsky.feed.like", "text": "x", "createdAt": "2024-01-01T00:00:00Z"}},
		missing, // 6
		garbled, // 7
		{Key: "app.bsky.feed.post/3kaaaaaaaaa29", Value: map[string]any{"$type": "app.bsky.feed.post", "text": "x", "createdAt": "2024-01-01T00:00:00Z", "langs": "en"}},
		{Key: "app.bsky.feed.post/3kaaaaaaaaa2a", Value: map[string]any{"$type": "app.bsky.feed.post", "text": "x", "createdAt": "2024-01-01T00:00:00Z", "tags": []any{"ok", 7}}},
		{Key: "app.bsky.feed.post/3kaaaaaaaaa2b", Value: map[string]any{"text": "no type", "createdAt": "2024-01-01T00:00:00Z"}}, // 10
		nested, // 11
		{Key: "app.bsky.feed.repost/3kaaaaaaaaa22", Value: map[string]any{"$type": "app.bsky.feed.repost", "createdAt": "2024-13-01T00:00:00Z"}}, // 12
		{Key: "app.bsky.feed.repost/3kaaaaaaaaa23", Value: map[string]any{"$type": "app.bsky.feed.repost", "createdAt": "0000-01-01T00:00:00Z"}}, // 13
		{Key: "nocollection", Value: map[string]any{"$type": "app.bsky.feed.post"}},                                                              // 14
	}
	repo := repoOf(recs...)
	data := without(repo, posttest.DagBlock(missing.Value).CID, nil)
	data = without(repoFromCAR(t, data, repo), posttest.DagBlock(garbled.Value).CID, []byte{0xbf, 0x61, 0x61, 0x01, 0xff}) // an indefinite-length map
	want := []wantBad{
		{2, "createdAt", `app.bsky.feed.post/3kaaaaaaaaa23: "yesterday" is not a time: expected RFC 3339`},
		{3, "createdAt", "app.bsky.feed.post/3kaaaaaaaaa24: missing"},
		{4, "text", "app.bsky.feed.post/3kaaaaaaaaa25: is an integer, expected a string"},
		{5, "$type", `app.bsky.feed.post/3kaaaaaaaaa26: is "app.bsky.feed.like", expected "app.bsky.feed.post"`},
		{6, "", "app.bsky.feed.post/3kaaaaaaaaa27: the record's block bafyrei"},
		{7, "", "app.bsky.feed.post/3kaaaaaaaaa28: the record is not valid DAG-CBOR: at byte 0: an indefinite-length map"},
		{8, "langs", "is a text string, expected an array of language tags"},
		{9, "tags", "holds an integer, expected a hashtag"},
		{10, "$type", `app.bsky.feed.post/3kaaaaaaaaa2b: missing: expected "app.bsky.feed.post"`},
		{11, "", "nested more than 64 deep"},
		{12, "createdAt", `app.bsky.feed.repost/3kaaaaaaaaa22: "2024-13-01T00:00:00Z" is not a time`},
		{13, "createdAt", "year out of range"},
		{14, "", `nocollection: the key of a record in the records' tree is not "collection/record-key"`},
	}
	r := readBytes("repo.car", data, Options{MaxErrors: 20})
	checkBlueskyBad(t, "repo.car", r, want)
	if !strings.Contains(r.err.Error(), "is not in the file") {
		t.Errorf("the missing block is not named as such: %v", r.err)
	}
	// Skipped, the good post is read.
	r = readBytes("repo.car", data, Options{SkipBad: true})
	if r.err != nil || len(r.posts) != 1 || r.posts[0].Text != "a good one #ok" || r.stats.Bad != len(want) {
		t.Errorf("SkipBad: posts %+v, stats %+v, err %v", r.posts, r.stats, r.err)
	}
}

// repoFromCAR is repo with the blocks of data (a CAR file written from it).
func repoFromCAR(t *testing.T, data []byte, repo posttest.BskyRepo) posttest.BskyRepo {
	t.Helper()
	c := &carReader{s: newSink("x", Options{}, nil), r: bufio.NewReader(bytes.NewReader(data)), max: math.MaxInt64}
	if _, err := c.header(); err != nil {
		t.Fatal(err)
	}
	blocks, err := c.sections()
	if err != nil {
		t.Fatal(err)
	}
	var out []posttest.Block
	for _, b := range repo.Blocks {
		if d, ok := blocks[string(b.CID)]; ok {
			out = append(out, posttest.Block{CID: b.CID, Data: d})
		}
	}
	repo.Blocks = out
	return repo
}

// link is a CID for hand-made blocks (the reader does not check digests,
// so a node may link to itself).
func link(name string) posttest.Link { return posttest.CID(0x71, []byte(name)) }

// treeCAR writes a repository whose commit links to the tree node root,
// with the given blocks.
func treeCAR(root posttest.Link, blocks ...posttest.Block) []byte {
	commit := posttest.DagBlock(map[string]any{"did": "did:plc:abc", "version": 3, "data": root, "rev": "3kaaaaaaaaa22", "prev": nil, "sig": []byte{1}})
	return posttest.CAR([]posttest.Link{commit.CID}, append([]posttest.Block{commit}, blocks...)...)
}

func entry(p int, k string, v, t any) map[string]any {
	return map[string]any{"p": p, "k": []byte(k), "v": v, "t": t}
}

func TestBlueskyBadTree(t *testing.T) {
	post := posttest.DagBlock(map[string]any{"$type": "app.bsky.feed.post", "text": "still read #x", "createdAt": "2024-01-01T00:00:00Z"})
	like := posttest.DagBlock(map[string]any{"$type": "app.bsky.feed.like", "createdAt": "2024-01-01T00:00:00Z"})
	a, b := link("a"), link("b")
	node := func(cid posttest.Link, v map[string]any) posttest.Block {
		return posttest.Block{CID: cid, Data: posttest.CBOR(v)}
	}
	deepChain := func() []posttest.Block {
		var bl []posttest.Block
		for i := range 70 {
			bl = append(bl, node(link(fmt.Sprint("n", i)), map[string]any{"l": link(fmt.Sprint("n", i+1)), "e": []any{}}))
		}
		return append(bl, node(link("n70"), map[string]any{"l": nil, "e": []any{entry(0, "app.bsky.feed.post/3k", post.CID, nil)}}))
	}
	cases := []struct {
		name  string
		data  []byte
		want  []wantBad
		posts int // read with SkipBad
	}{
		{"a node linking to itself", treeCAR(a,
			node(a, map[string]any{"l": a, "e": []any{entry(0, "app.bsky.feed.post/3k", post.CID, nil)}}), post),
			[]wantBad{{0, "", "is linked to twice (a cycle"}}, 1},
		{"a cycle of two nodes", treeCAR(a,
			node(a, map[string]any{"l": nil, "e": []any{entry(0, "app.bsky.feed.post/3k", post.CID, b)}}),
			node(b, map[string]any{"l": a, "e": []any{entry(0, "app.bsky.feed.post/3l", post.CID, nil)}}), post),
			[]wantBad{{0, "", "node " + cidString(cborLink(a)) + " is linked to twice"}}, 2},
		{"a missing subtree", treeCAR(a,
			node(a, map[string]any{"l": b, "e": []any{entry(0, "app.bsky.feed.post/3k", post.CID, nil)}}), post),
			[]wantBad{{0, "", "node " + cidString(cborLink(b)) + " is not in the file: the records below it cannot be read"}}, 1},
		{"a missing root node", treeCAR(a, post), []wantBad{{0, "", "is not in the file"}}, 0},
		{"a node that is no map", treeCAR(a, node(b, nil), posttest.Block{CID: a, Data: posttest.CBOR([]any{1})}),
			[]wantBad{{0, "", `is an array, expected a map {"l": ..., "e": [...]}`}}, 0},
		{"a node that is no CBOR", treeCAR(a, posttest.Block{CID: a, Data: []byte{0x1c}}),
			[]wantBad{{0, "", "is not valid DAG-CBOR: at byte 0: reserved CBOR additional information 28"}}, 0},
		{"no entries", treeCAR(a, node(a, map[string]any{"l": nil})), []wantBad{{0, "", `has no "e"`}}, 0},
		{"l not a link", treeCAR(a, node(a, map[string]any{"l": "b", "e": []any{}})), []wantBad{{0, "", `has "l" a text string, expected a link or null`}}, 0},
		{"a first entry with a prefix", treeCAR(a, node(a, map[string]any{"l": nil, "e": []any{entry(3, "app.bsky.feed.post/3k", post.CID, nil)}}), post),
			[]wantBad{{0, "", `has entry 1 with "p" 3: expected the length of the prefix it shares with the key before (0 to 0)`}}, 0},
		{"a prefix longer than the key before", treeCAR(a, node(a, map[string]any{"l": nil, "e": []any{
			entry(0, "app.bsky.feed.post/3k", post.CID, nil), entry(40, "x", post.CID, nil)}}), post),
			[]wantBad{{0, "", `has entry 2 with "p" 40`}}, 1},
		{"a key that is no byte string", treeCAR(a, node(a, map[string]any{"l": nil, "e": []any{
			map[string]any{"p": 0, "k": "app.bsky.feed.post/3k", "v": post.CID, "t": nil}}}), post),
			[]wantBad{{0, "", `has entry 1 with "k" a text string`}}, 0},
		{"a key too long", treeCAR(a, node(a, map[string]any{"l": nil, "e": []any{
			entry(0, "app.bsky.feed.post/"+strings.Repeat("k", 2000), post.CID, nil)}}), post),
			[]wantBad{{0, "", "has entry 1 with a key of 2019 bytes (at most 1024 expected)"}}, 0},
		{"an entry that is no map", treeCAR(a, node(a, map[string]any{"l": nil, "e": []any{"x"}})),
			[]wantBad{{0, "", "has entry 1 a text string"}}, 0},
		{"t not a link", treeCAR(a, node(a, map[string]any{"l": nil, "e": []any{
			entry(0, "app.bsky.feed.post/3k", post.CID, 5), entry(19, "4k", post.CID, nil)}}), post),
			[]wantBad{{0, "", `has entry 1 (app.bsky.feed.post/3k) with "t" an integer`}}, 2},
		{"v not a link", treeCAR(a, node(a, map[string]any{"l": nil, "e": []any{
			entry(0, "app.bsky.feed.post/3k", "x", nil), entry(19, "4k", post.CID, nil)}}), post),
			[]wantBad{{1, "", `app.bsky.feed.post/3k: the tree entry's "v" is a text string, expected the link to the record`}}, 1},
		{"a like whose block is missing", treeCAR(a, node(a, map[string]any{"l": nil, "e": []any{
			entry(0, "app.bsky.feed.like/3k", like.CID, nil), entry(14, "post/3k", post.CID, nil)}}), post),
			[]wantBad{{1, "", "app.bsky.feed.like/3k: the record's block"}}, 1},
		{"a tree 71 levels deep", treeCAR(link("n0"), append(deepChain(), post)...),
			[]wantBad{{0, "", "is more than 64 levels deep: the records below it are skipped"}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := readBytes("repo.car", c.data, Options{MaxErrors: 20})
			checkBlueskyBad(t, "repo.car", r, c.want)
			r = readBytes("repo.car", c.data, Options{SkipBad: true})
			if len(r.posts) != c.posts || r.stats.Bad != len(c.want) {
				t.Errorf("SkipBad: %d posts, stats %+v, err %v; want %d posts", len(r.posts), r.stats, r.err, c.posts)
			}
			if c.posts == 0 {
				var np *NoPostsError
				if !errors.As(r.err, &np) || !strings.Contains(np.Reason, "could not be read") && !strings.Contains(np.Reason, "records is a post") && !strings.Contains(np.Reason, "holds no posts") {
					t.Errorf("SkipBad, no post: err %v, want a *NoPostsError", r.err)
				}
			}
		})
	}
}

// A file that cannot be read on: one error naming the file and what was
// expected, no post.
func TestBlueskyFatal(t *testing.T) {
	f := posttest.BlueskyCAR()
	repo := posttest.BlueskyRepo()
	root := repo.Commit.CID
	rest := repo.Blocks[1:]
	withHeader := func(h any) []byte { return posttest.CARWithHeader(h, repo.Blocks...) }
	withCommit := func(commit map[string]any) []byte {
		c := posttest.DagBlock(commit)
		return posttest.CAR([]posttest.Link{c.CID}, append([]posttest.Block{c}, rest...)...)
	}
	header := posttest.CBOR(map[string]any{"roots": []any{root}, "version": 1})
	start := append(posttest.Uvarint(uint64(len(header))), header...)
	treeRoot := posttest.Link(nil)
	{
		v, _ := decodeCBOR(repo.Commit.Data)
		treeRoot = posttest.Link(v.(map[string]any)["data"].(cborLink))
	}
	commit := func(drop string, set ...any) map[string]any {
		m := map[string]any{"did": posttest.BlueskyDID, "version": 3, "data": treeRoot, "rev": "3kaaaaaaaaa22", "prev": nil, "sig": []byte{1, 2}}
		delete(m, drop)
		for i := 0; i+1 < len(set); i += 2 {
			m[set[i].(string)] = set[i+1]
		}
		return m
	}
	// The sections of the fixture: where each starts.
	var offs []int
	for off := len(start); off < len(f.Data); {
		n, k := uvarintAt(f.Data[off:])
		offs = append(offs, off)
		off += k + int(n)
	}
	cases := []struct {
		name string
		data []byte
		msg  string
	}{
		{"cut in the header's length", []byte{0xba}, "not a Bluesky repository export (a CAR v1 file, as Settings → Export my data gives it): the file ends inside the length of its header"},
		{"cut after the header's length", f.Data[:1], "truncated: the file ends inside its CAR header (0 of its"},
		{"cut in the header", f.Data[:20], "truncated: the file ends inside its CAR header (19 of its"},
		{"cut after the header", start, "the root block " + cidString(cborLink(root)) + " (the repository's commit) is not in the file"},
		{"cut in a section's length", f.Data[:offs[1]+1], "truncated: the file ends inside the length of section 2 (at byte " + fmt.Sprint(offs[1])},
		{"cut in the first section", f.Data[:offs[0]+40], "truncated: the file ends inside section 1 (at byte " + fmt.Sprint(offs[0]) + ": 38 of its"},
		{"cut in a later section", f.Data[:offs[5]+30], "truncated: the file ends inside section 6"},
		{"cut one byte short", f.Data[:len(f.Data)-1], "truncated: the file ends inside section " + fmt.Sprint(len(offs))},
		{"CAR version 2", withHeader(map[string]any{"roots": []any{root}, "version": 2}), "a CAR version 2 file: expected a CAR version 1 file"},
		{"CAR version 3", withHeader(map[string]any{"roots": []any{root}, "version": 3}), `the CAR header's "version" is 3: expected version 1`},
		{"CAR version a string", withHeader(map[string]any{"roots": []any{root}, "version": "1"}), `the CAR header's "version" is "1": expected version 1`},
		{"no version", withHeader(map[string]any{"roots": []any{root}}), `the CAR header has no "version"`},
		{"no roots", withHeader(map[string]any{"version": 1}), `the CAR header has no "roots": expected the CID of the repository's commit`},
		{"empty roots", withHeader(map[string]any{"roots": []any{}, "version": 1}), `the CAR header's "roots" is empty`},
		{"roots not an array", withHeader(map[string]any{"roots": root, "version": 1}), `the CAR header's "roots" is a link: expected an array`},
		{"two roots", withHeader(map[string]any{"roots": []any{root, root}, "version": 1}), "the CAR header has 2 roots"},
		{"a root that is no link", withHeader(map[string]any{"roots": []any{"bafyrei"}, "version": 1}), "the CAR header's root is a text string: expected a link"},
		{"a header that is no map", withHeader([]any{root, 1}), `its header is an array, expected a map {"roots": [CID], "version": 1}`},
		{"a header that is no CBOR", append([]byte{3}, 0xff, 0xff, 0xff), "its header is not valid DAG-CBOR (at byte 0: a CBOR break code"},
		{"a header of 2^40 bytes", append(posttest.Uvarint(1<<40), header...), "it starts with a header of 1099511627776 bytes declared"},
		{"a header length of 80 bits", bytes.Repeat([]byte{0xff}, 11), "it does not start with the length of a header"},
		{"a header with a key twice", []byte{7, 0xa2, 0x61, 'a', 0x01, 0x61, 'a', 0x02}, `the map key "a" twice`},
		{"a section of 2^40 bytes", append(append([]byte{}, start...), posttest.Uvarint(1<<40)...), "section 1 (at byte 59) declares 1099511627776 bytes: more than the 4194304"},
		{"a section of 5 MiB", append(append(append([]byte{}, start...), posttest.Uvarint(5<<20)...), make([]byte, 100)...), "section 1 (at byte 59) declares 5242880 bytes"},
		{"a section length of 80 bits", append(append([]byte{}, start...), bytes.Repeat([]byte{0x80}, 12)...), "section 1 (at byte 59) does not start with its length"},
		{"an empty section", append(append([]byte{}, start...), 0), "section 1 (at byte 59) is empty: expected a CID and a block"},
		{"a CID of version 2", append(append(append([]byte{}, start...), 6), 2, 0x71, 0x12, 0x01, 0, 0), "section 1 (at byte 59) does not start with a CID: a CID of version 2"},
		{"a CID cut short", append(append(append([]byte{}, start...), 6), 1, 0x71, 0x12, 0x20, 0, 0), "does not start with a CID: a CID cut short: a digest of 32 bytes, 2 left"},
		{"a CID digest of 200 bytes", append(append(append([]byte{}, start...), 6), 1, 0x71, 0x12, 0xc8, 0x01, 0), "a CID with a digest of 200 bytes"},
		{"a commit that is no map", posttest.CAR([]posttest.Link{link("c")}, posttest.Block{CID: link("c"), Data: posttest.CBOR("commit")}), "the root block bafyrei"},
		{"a commit that is no CBOR", posttest.CAR([]posttest.Link{link("c")}, posttest.Block{CID: link("c"), Data: []byte{0x5a, 0xff, 0xff, 0xff, 0xff}}), "is not valid DAG-CBOR: at byte 0: a string of 4294967295 bytes declared, only 0 bytes left"},
		{"a commit without data", withCommit(commit("data")), `the repository's commit has no "data": expected the link to its records' tree (MST)`},
		{"a commit whose data is no link", withCommit(commit("", "data", "bafyrei")), `the repository's commit's "data" is a text string`},
		{"a commit without did", withCommit(commit("did")), `the repository's commit has no "did"`},
		{"a commit with a bad did", withCommit(commit("", "did", "alice")), `the repository's commit's "did" is "alice": expected a DID`},
		{"a commit with a did that is no string", withCommit(commit("", "did", 5)), `the repository's commit's "did" is an integer`},
		{"a commit of version 4", withCommit(commit("", "version", 4)), `the repository's commit's "version" is 4: expected 3 (or 2`},
		{"a commit without version", withCommit(commit("version")), `the repository's commit has no "version"`},
	}
	// Files whose content is not recognised as a CAR file, which Detect
	// says; read as one (the format named), the reader says why.
	undetected := map[string]bool{"cut in the header's length": true, "cut after the header's length": true,
		"a header that is no map": true, "a header that is no CBOR": true, "a header of 2^40 bytes": true,
		"a header length of 80 bits": true, "a header with a key twice": true}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, skip := range []bool{false, true} {
				r := readBytes("repo.car", c.data, Options{SkipBad: skip})
				if undetected[c.name] {
					want := "repo.car: " + notCAR + ": it does not start with a CAR header"
					if r.err == nil || r.err.Error() != want {
						t.Errorf("err = %v, want %q", r.err, want)
					}
					continue
				}
				checkFatal(t, r.err, "repo.car", 0, c.msg)
				if len(r.posts) != 0 {
					t.Errorf("%d posts read", len(r.posts))
				}
			}
			// The same with the format named, through Read.
			r := readString(string(c.data), "repo.car", FormatBluesky, Options{SkipBad: true})
			checkFatal(t, r.err, "repo.car", 0, c.msg)
		})
	}
	// Cut at a section's end: a valid CAR file whose last blocks are
	// missing, which the walk finds; never a success.
	for i := 2; i < len(offs); i++ {
		r := readBytes("repo.car", f.Data[:offs[i]], Options{})
		var bf *BadFileError
		if !errors.As(r.err, &bf) || !strings.Contains(r.err.Error(), "is not in the file") {
			t.Errorf("cut before section %d: %v, want bad records naming missing blocks", i+1, r.err)
		}
	}
}

func uvarintAt(b []byte) (uint64, int) {
	var v uint64
	for i, c := range b {
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}

// A tree whose entries all link to one large record would make the walk
// decode it again and again: the work is bounded by the file's size.
func TestBlueskyRelinkedRecord(t *testing.T) {
	big := posttest.DagBlock(map[string]any{"$type": "app.bsky.feed.post", "text": strings.Repeat("long ", 20000) + "#x", "createdAt": "2024-01-01T00:00:00Z"})
	var entries []any
	for i := range 2000 {
		p := 0
		if i > 0 {
			p = len("app.bsky.feed.post/k")
		}
		entries = append(entries, entry(p, fmt.Sprintf("app.bsky.feed.post/k%05d", i)[p:], big.CID, nil))
	}
	node := posttest.DagBlock(map[string]any{"l": nil, "e": entries})
	car := treeCAR(node.CID, node, big)
	r := readBytes("repo.car", car, Options{SkipBad: true})
	checkFatal(t, r.err, "repo.car", 0, "the records' tree links to the same records over and over")
	// Within the bound, a record linked twice is read twice.
	node = posttest.DagBlock(map[string]any{"l": nil, "e": entries[:2]})
	r = readBytes("repo.car", treeCAR(node.CID, node, big), Options{})
	if r.err != nil || len(r.posts) != 2 {
		t.Errorf("a record linked twice: %d posts, %v", len(r.posts), r.err)
	}
}

// A repository from which no post is kept is refused with the reason.
func TestBlueskyNoPosts(t *testing.T) {
	like := posttest.BskyRecord{Key: "app.bsky.feed.like/3kaaaaaaaaa22", Value: map[string]any{"$type": "app.bsky.feed.like", "createdAt": "2024-01-01T00:00:00Z"}}
	like2 := posttest.BskyRecord{Key: "app.bsky.feed.like/3kaaaaaaaaa23", Value: like.Value}
	repost := posttest.BskyRecord{Key: "app.bsky.feed.repost/3kaaaaaaaaa22", Value: map[string]any{"$type": "app.bsky.feed.repost", "createdAt": "2024-01-01T00:00:00Z"}}
	image := bskyPostRec("3kaaaaaaaaa22", "", "2024-01-01T00:00:00Z")
	for _, c := range []struct {
		name   string
		repo   posttest.BskyRepo
		reason string
	}{
		{"empty", repoOf(), "an empty repository: its records' tree holds no records"},
		{"likes", repoOf(like, like2), "none of the repository's 2 records is a post or a repost"},
		{"reposts", repoOf(repost, like), "none of its 1 posts is kept: 1 retweets or boosts"},
		{"images", repoOf(image), "none of its 1 posts is kept: 1 without text"},
	} {
		r := readBytes("repo.car", c.repo.Bytes(), Options{})
		var np *NoPostsError
		if !errors.As(r.err, &np) || !strings.Contains(np.Reason, c.reason) || !strings.HasPrefix(r.err.Error(), "repo.car: no posts kept: ") {
			t.Errorf("%s: %v, want a *NoPostsError saying %q", c.name, r.err, c.reason)
		}
	}
}

// A CIDv0 (a bare sha2-256 multihash) links and names blocks too.
func TestBlueskyCIDv0(t *testing.T) {
	data := posttest.CBOR(map[string]any{"$type": "app.bsky.feed.post", "text": "old style #cid", "createdAt": "2023-02-01T10:00:00+01:00", "langs": []string{"fr"}})
	sum := sha256.Sum256(data)
	v0 := append(posttest.Link{0x12, 0x20}, sum[:]...)
	node := posttest.DagBlock(map[string]any{"l": nil, "e": []any{entry(0, "app.bsky.feed.post/3jzfcijpj2z2a", v0, nil)}})
	car := treeCAR(node.CID, node, posttest.Block{CID: v0, Data: data})
	r := readBytes("repo.car", car, Options{})
	want := []Post{{Author: "did:plc:abc", Time: "2023-02-01 09:00:00", Text: "old style #cid", Lang: "fr", Tags: []string{"cid"}, Own: true}}
	if r.err != nil {
		t.Fatal(r.err)
	}
	checkPosts(t, r.posts, want)
	if s := cidString(cborLink(v0)); !strings.HasPrefix(s, "Qm") || len(s) != 46 {
		t.Errorf("CIDv0 shown as %q, want Qm... of 46 characters", s)
	}
	if s := cidString(cborLink(node.CID)); !strings.HasPrefix(s, "bafyrei") || len(s) != 59 {
		t.Errorf("CIDv1 shown as %q, want bafyrei... of 59 characters", s)
	}
}

// The whole file is bounded by Options.MaxBytes, as every input is.
func TestBlueskyMaxBytes(t *testing.T) {
	f := posttest.BlueskyCAR()
	r := readBytes(f.Name, f.Data, Options{MaxBytes: 1000})
	var le *LimitError
	if !errors.As(r.err, &le) || !strings.HasPrefix(r.err.Error(), f.Name+": more than 1000 bytes") {
		t.Errorf("ReadBytes: %v, want a *LimitError", r.err)
	}
	// Read on its own applies the bound too.
	r = readString(string(f.Data), f.Name, FormatBluesky, Options{MaxBytes: 1000})
	var re *RecordError
	if !errors.As(r.err, &le) || !errors.As(r.err, &re) || re.File != f.Name {
		t.Errorf("Read: %v, want a *RecordError wrapping a *LimitError", r.err)
	}
}

func TestAppendTags(t *testing.T) {
	for _, c := range []struct {
		text string
		tags []string
		want string
	}{
		{"plain", nil, "plain"},
		{"plain", []string{"Go"}, "plain #Go"},
		{"", []string{"photo", "sunset"}, "#photo #sunset"},
		{"I like #Go", []string{"go", "GO", "rust", "Rust"}, "I like #Go #rust"},
		{"x", []string{"#hash", "＃wide", "", "two words", "tab\tbed", "ok"}, "x #hash #wide #ok"},
		{"Ça #Café", []string{"café", "CAFÉ", "thé"}, "Ça #Café #thé"},
		// A hashtag only one rule finds in the text is appended: the
		// model's rule reads "#anchor" in a URL, the platforms' does not;
		// the platforms' rule reads the full-width "＃", the model's does
		// not.
		{"https://example.org/#anchor", []string{"anchor"}, "https://example.org/#anchor #anchor"},
		{"新しい＃タグ", []string{"タグ"}, "新しい＃タグ #タグ"},
	} {
		if got := appendTags(c.text, c.tags); got != c.want {
			t.Errorf("appendTags(%q, %q) = %q, want %q", c.text, c.tags, got, c.want)
		}
	}
}

func TestDecodeCBOR(t *testing.T) {
	cid := posttest.CID(0x71, []byte("x"))
	good := []struct {
		in   string
		want any
	}{
		{"\x00", int64(0)},
		{"\x17", int64(23)},
		{"\x18\x18", int64(24)},
		{"\x19\x01\x00", int64(256)},
		{"\x1a\x00\x01\x00\x00", int64(65536)},
		{"\x1b\x7f\xff\xff\xff\xff\xff\xff\xff", int64(math.MaxInt64)},
		{"\x1b\xff\xff\xff\xff\xff\xff\xff\xff", uint64(math.MaxUint64)},
		{"\x20", int64(-1)},
		{"\x38\x63", int64(-100)},
		{"\x3b\x7f\xff\xff\xff\xff\xff\xff\xff", int64(math.MinInt64)},
		{"\x43abc", []byte("abc")},
		{"\x63h\xc3\xa9", "hé"},
		{"\x60", ""},
		{"\x82\x01\xf6", []any{int64(1), nil}},
		{"\xa2\x61a\xf5\x61b\xf4", map[string]any{"a": true, "b": false}},
		{"\xf9\x3c\x00", 1.0},
		{"\xf9\xc4\x00", -4.0},
		{"\xf9\x00\x01", math.Ldexp(1, -24)},
		{"\xf9\x7c\x00", math.Inf(1)},
		{"\xfa\x3f\xc0\x00\x00", 1.5},
		{"\xfb\x40\x09\x21\xfb\x54\x44\x2d\x18", math.Pi},
		{"\xd8\x2a\x58\x25\x00" + string(cid), cborLink(cid)},
	}
	for _, c := range good {
		got, err := decodeCBOR([]byte(c.in))
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("decodeCBOR(%x) = %#v, %v; want %#v", c.in, got, err, c.want)
		}
	}
	if v, err := decodeCBOR([]byte("\xf9\x7e\x00")); err != nil || !math.IsNaN(v.(float64)) {
		t.Errorf("half NaN: %v, %v", v, err)
	}
	bad := []struct{ in, msg string }{
		{"", "at byte 0: the data ends where a value was expected"},
		{"\x18", "the data ends inside a value's head"},
		{"\x1b\x00", "the data ends inside a value's head"},
		{"\x3b\xff\xff\xff\xff\xff\xff\xff\xff", "below the 64-bit range"},
		{"\x45ab", "a string of 5 bytes declared, only 2 bytes left"},
		{"\x5b\xff\xff\xff\xff\xff\xff\xff\xff", "a string of 18446744073709551615 bytes declared"},
		{"\x62\xff\xfe", "a text string that is not valid UTF-8"},
		{"\x5f\x41a\xff", "an indefinite-length byte string: DAG-CBOR allows only definite lengths"},
		{"\x7f\x61a\xff", "an indefinite-length text string"},
		{"\x9f\x01\xff", "an indefinite-length array"},
		{"\x9b\xff\xff\xff\xff\xff\xff\xff\xff", "an array of 18446744073709551615 elements declared, only 0 bytes left"},
		{"\x83\x01\x02", "at byte 0: an array of 3 elements declared, only 2 bytes left"},
		{"\x82\x19\x01", "at byte 1: the data ends inside a value's head"},
		{"\xa1\x61a", "at byte 3: the data ends where a value was expected"},
		{"\xba\xff\xff\xff\xff", "a map of 4294967295 entries declared, only 0 bytes left"},
		{"\xa1\x01\x02", "at byte 1: a map key that is a unsigned integer"},
		{"\xa1\x62\xff\xfe\x01", "a map key that is not valid UTF-8"},
		{"\xa2\x61a\x01\x61a\x02", `at byte 4: the map key "a" twice`},
		{"\xc1\x00", "CBOR tag 1: DAG-CBOR allows only tag 42"},
		{"\xd8\x2a\x01", "a link (tag 42) around a unsigned integer"},
		{"\xd8\x2a\x41\x01", "whose bytes do not start with 0x00"},
		{"\xd8\x2a\x40", "whose bytes do not start with 0x00"},
		{"\xd8\x2a\x42\x00\x02", "a link (tag 42): a CID of version 2"},
		{"\xd8\x2a\x58\x26\x00" + string(cid) + "x", "a link (tag 42) with 1 bytes after its CID"},
		{"\xf7", "the CBOR value undefined"},
		{"\xf0", "the CBOR simple value 16"},
		{"\xf8\xff", "the CBOR simple value 255"},
		{"\xff", "a CBOR break code"},
		{"\x1c", "reserved CBOR additional information 28"},
		{"\x01\x02", "at byte 1: 1 bytes after the value"},
		{strings.Repeat("\x81", 65) + "\x00", "at byte 65: values nested more than 64 deep"},
	}
	for _, c := range bad {
		_, err := decodeCBOR([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("decodeCBOR(%x): %v, want an error containing %q", c.in, err, c.msg)
		}
	}
	// 64 levels of nesting are read.
	if _, err := decodeCBOR([]byte(strings.Repeat("\x81", 64) + "\x00")); err != nil {
		t.Errorf("64 levels: %v", err)
	}
	// What the test encoder writes, the decoder reads back.
	v := map[string]any{"text": "x", "n": -5, "big": 1 << 40, "b": []byte{0, 1}, "l": posttest.Link(cid), "a": []any{nil, true, 2.5}}
	got, err := decodeCBOR(posttest.CBOR(v))
	want := map[string]any{"text": "x", "n": int64(-5), "big": int64(1 << 40), "b": []byte{0, 1}, "l": cborLink(cid), "a": []any{nil, true, 2.5}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("round trip: %#v, %v", got, err)
	}
}
