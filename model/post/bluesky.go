package post

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"github.com/hashtag-rec/hashtag/model/text"
)

// This file reads a Bluesky repository export: the file Bluesky's
// Settings → "Export my data" gives (repo.car, or <handle>-<date>.car),
// which is what com.atproto.sync.getRepo returns: a CAR v1 file.
//
//   - CAR v1: a varint (unsigned LEB128) giving the header's length, the
//     header, a DAG-CBOR map {"roots": [CID], "version": 1}, then sections
//     to the end of the file: a varint giving the section's length, the
//     binary CID of a block, the block (cbor.go decodes blocks and CIDs).
//   - The root CID names the commit: {"did", "version": 3, "data": <link
//     to the MST root>, "rev", "prev", "sig"}.
//   - The records are the leaves of a Merkle Search Tree (MST) of nodes
//     {"l": <link or null>, "e": [{"p", "k", "v", "t"}, ...]}: the key of
//     entry i is the key of entry i-1 cut to p bytes, followed by k; v
//     links to the record, t to the subtree of the keys between this entry
//     and the next, l to the subtree before the first. Keys are
//     "collection/rkey" ("app.bsky.feed.post/3kabc...").
//
// A CAR's blocks may come in any order, so the reader holds them all (in
// a map by CID) before it walks the tree from the root commit, in key
// order; blocks the tree does not reach are never read. The walk is
// bounded (maxMSTDepth), visits a node once (a cyclic link is a bad
// record, not an endless loop), decodes at most twice the file's bytes of
// records (a tree linking to one large record again and again is refused)
// and takes a missing block as a bad record.

// Limits of a CAR file.
const (
	// maxCARHeader bounds the CAR header (a real one is about 60 bytes).
	maxCARHeader = 64 << 10
	// maxCARSection bounds one section (a CID and its block): a
	// repository's records and tree nodes are at most a few hundred KiB,
	// and its blobs (images) are not in the export.
	maxCARSection = 4 << 20
	// maxMSTDepth bounds the depth of the records' tree: a tree of a
	// million records is about 10 levels deep.
	maxMSTDepth = 64
	// maxMSTKey bounds a key of the tree ("collection/rkey": an NSID and
	// a record key are at most a few hundred bytes).
	maxMSTKey = 1024
)

// Collections of a Bluesky repository that hold the person's posts.
const (
	bskyPost   = "app.bsky.feed.post"
	bskyRepost = "app.bsky.feed.repost"
)

// readBluesky reads a Bluesky repository export (a CAR v1 file) and walks
// its records' tree in key order:
//
//   - app.bsky.feed.post records are posts: Author is the commit's DID,
//     Time the record's createdAt in UTC, Text its text followed by the
//     hashtags of its "tags" the text does not hold (see appendTags), Lang
//     the first of its langs (empty if none), Own true. A reply is the
//     person's own post and is kept; a post of only images has no text.
//   - app.bsky.feed.repost records are reposts of someone else's post: a
//     post with Retweet true and no text, timed by the repost's createdAt.
//   - Any other record (likes, follows, blocks, lists, the profile, ...)
//     is well formed but not a post: it counts as Ignored.
//
// A file that is no CAR, a header without its root, a missing or broken
// commit, a truncated section end reading with a *RecordError naming the
// file (binary: no line) and what was expected. A record that cannot be
// read (a missing block, a bad createdAt, a broken tree node) is a bad
// record naming its key and field.
func readBluesky(r io.Reader, s *sink) error {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 1<<16)
	}
	c := &carReader{s: s, r: br, max: s.opts.MaxBytes}
	if c.max <= 0 {
		c.max = DefaultMaxBytes
	}
	root, err := c.header()
	if err != nil {
		return err
	}
	blocks, err := c.sections()
	if err != nil {
		return err
	}
	// Each record is linked once in a repository (twice when two records
	// are identical); a tree that links to the same large block over and
	// over would make the walk decode far more than the file holds.
	w := &repoWalk{s: s, blocks: blocks, seen: map[cborLink]bool{}, budget: 2*c.off + 1<<20}
	tree, err := w.commit(root)
	if err != nil {
		return err
	}
	if err := w.node(tree, 1); err != nil {
		return err
	}
	if s.stats.Records == 0 && s.stats.Bad == 0 {
		if w.rec == 0 {
			s.reason = "an empty repository: its records' tree holds no records"
		} else {
			s.reason = fmt.Sprintf("none of the repository's %d records is a post or a repost (they are likes, follows, a profile and the like)", w.rec)
		}
	}
	return nil
}

// carReader reads the header and the sections of a CAR file.
type carReader struct {
	s   *sink
	r   *bufio.Reader
	off int64 // bytes read so far
	max int64 // Options.MaxBytes
}

// errVarintOverflow is a varint of more than 64 bits.
var errVarintOverflow = fmt.Errorf("a varint of more than 64 bits")

// varint reads an unsigned LEB128 varint. end is true at the end of the
// file (no byte read); a varint the file ends inside gives
// io.ErrUnexpectedEOF; a failure of the reader is returned as a read error.
func (c *carReader) varint() (v uint64, end bool, err error) {
	for i := 0; ; i++ {
		b, err := c.r.ReadByte()
		if err == io.EOF {
			if i == 0 {
				return 0, true, nil
			}
			return 0, false, io.ErrUnexpectedEOF
		}
		if err != nil {
			return 0, false, c.s.readError(0, 0, err)
		}
		c.off++
		if i == 9 && b > 1 {
			return 0, false, errVarintOverflow
		}
		v |= uint64(b&0x7f) << (7 * i)
		if b < 0x80 {
			return v, false, nil
		}
	}
}

// read reads n bytes, growing its buffer as they come (a length declared
// by a truncated or hostile file is never allocated at once). It returns
// io.ErrUnexpectedEOF, with the bytes read, when the file ends first.
func (c *carReader) read(n int) ([]byte, error) {
	buf := make([]byte, 0, min(n, 64<<10))
	for len(buf) < n {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(n, 2*cap(buf))-len(buf))
		}
		m, err := c.r.Read(buf[len(buf):min(n, cap(buf))])
		buf = buf[:len(buf)+m]
		c.off += int64(m)
		if c.off > c.max {
			return nil, c.s.readError(0, 0, &LimitError{File: c.s.file, What: "bytes once decompressed", Limit: c.max})
		}
		switch {
		case err == io.EOF && len(buf) < n:
			return buf, io.ErrUnexpectedEOF
		case err != nil && err != io.EOF:
			return nil, c.s.readError(0, 0, err)
		}
	}
	return buf, nil
}

// notCAR is the start of the errors of a file that is no CAR file.
const notCAR = "not a Bluesky repository export (a CAR v1 file, as Settings → Export my data gives it)"

// header reads the CAR header and returns the root CID it names.
func (c *carReader) header() (cborLink, error) {
	s := c.s
	n, end, err := c.varint()
	switch {
	case end:
		return "", s.fatal(0, 0, "empty file: it holds no posts (expected a %s file)", FormatBluesky)
	case err == io.ErrUnexpectedEOF:
		return "", s.fatal(0, 0, "%s: the file ends inside the length of its header", notCAR)
	case err == errVarintOverflow:
		return "", s.fatal(0, 0, "%s: it does not start with the length of a header", notCAR)
	case err != nil:
		return "", err
	case n == 0 || n > maxCARHeader:
		return "", s.fatal(0, 0, "%s: it starts with a header of %d bytes declared (a CAR header is a few dozen bytes)", notCAR, n)
	}
	b, err := c.read(int(n))
	if err == io.ErrUnexpectedEOF {
		return "", s.fatal(0, 0, "truncated: the file ends inside its CAR header (%d of its %d bytes; an incomplete download?)", len(b), n)
	}
	if err != nil {
		return "", err
	}
	v, err := decodeCBOR(b)
	if err != nil {
		return "", s.fatal(0, 0, "%s: its header is not valid DAG-CBOR (%v)", notCAR, err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return "", s.fatal(0, 0, `%s: its header is %s, expected a map {"roots": [CID], "version": 1}`, notCAR, cborKind(v))
	}
	switch ver, ok := m["version"]; {
	case !ok:
		return "", s.fatal(0, 0, `the CAR header has no "version": expected version 1`)
	case ver == int64(2):
		return "", s.fatal(0, 0, `a CAR version 2 file: expected a CAR version 1 file, as Bluesky's "Export my data" (com.atproto.sync.getRepo) writes it`)
	case ver != int64(1):
		return "", s.fatal(0, 0, `the CAR header's "version" is %s: expected version 1`, cborShow(ver))
	}
	rv, ok := m["roots"]
	if !ok {
		return "", s.fatal(0, 0, `the CAR header has no "roots": expected the CID of the repository's commit`)
	}
	roots, ok := rv.([]any)
	switch {
	case !ok:
		return "", s.fatal(0, 0, `the CAR header's "roots" is %s: expected an array holding the CID of the repository's commit`, cborKind(rv))
	case len(roots) == 0:
		return "", s.fatal(0, 0, `the CAR header's "roots" is empty: expected the CID of the repository's commit`)
	case len(roots) > 1:
		return "", s.fatal(0, 0, `the CAR header has %d roots: a repository export has one, its commit`, len(roots))
	}
	root, ok := roots[0].(cborLink)
	if !ok {
		return "", s.fatal(0, 0, `the CAR header's root is %s: expected a link (the CID of the repository's commit)`, cborKind(roots[0]))
	}
	return root, nil
}

// sections reads the sections to the end of the file and returns their
// blocks by CID (the first of a CID read twice).
func (c *carReader) sections() (map[string][]byte, error) {
	s := c.s
	blocks := map[string][]byte{}
	for i := 1; ; i++ {
		at := c.off
		n, end, err := c.varint()
		switch {
		case end:
			return blocks, nil
		case err == io.ErrUnexpectedEOF:
			return nil, s.fatal(0, 0, "truncated: the file ends inside the length of section %d (at byte %d; an incomplete download?)", i, at)
		case err == errVarintOverflow:
			return nil, s.fatal(0, 0, "section %d (at byte %d) does not start with its length (a varint): a corrupt CAR file", i, at)
		case err != nil:
			return nil, err
		case n == 0:
			return nil, s.fatal(0, 0, "section %d (at byte %d) is empty: expected a CID and a block", i, at)
		case n > maxCARSection:
			return nil, s.fatal(0, 0, "section %d (at byte %d) declares %d bytes: more than the %d a block of a repository may hold (a corrupt file?)", i, at, n, maxCARSection)
		}
		sec, err := c.read(int(n))
		if err == io.ErrUnexpectedEOF {
			return nil, s.fatal(0, 0, "truncated: the file ends inside section %d (at byte %d: %d of its %d bytes; an incomplete download?)", i, at, len(sec), n)
		}
		if err != nil {
			return nil, err
		}
		cl, err := cidLen(sec)
		if err != nil {
			return nil, s.fatal(0, 0, "section %d (at byte %d) does not start with a CID: %v", i, at, err)
		}
		if _, dup := blocks[string(sec[:cl])]; !dup {
			blocks[string(sec[:cl])] = sec[cl:len(sec):len(sec)]
		}
	}
}

// repoWalk walks a repository's records from its commit.
type repoWalk struct {
	s      *sink
	blocks map[string][]byte
	did    string
	seen   map[cborLink]bool // tree nodes visited
	rec    int               // records met, in key order
	budget int64             // bytes of records left to decode
}

// commit reads the root block, the repository's commit, and returns the
// link to the root of its records' tree.
func (w *repoWalk) commit(root cborLink) (cborLink, error) {
	s := w.s
	data, ok := w.blocks[string(root)]
	if !ok {
		return "", s.fatal(0, 0, "the root block %s (the repository's commit) is not in the file: an incomplete export, or not a repository", cidString(root))
	}
	v, err := decodeCBOR(data)
	if err != nil {
		return "", s.fatal(0, 0, "the repository's commit (root block %s) is not valid DAG-CBOR: %v", cidString(root), err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return "", s.fatal(0, 0, `the root block %s is %s, not a repository commit (a map with "did", "version" and "data")`, cidString(root), cborKind(v))
	}
	dv, ok := m["did"]
	did, isStr := dv.(string)
	switch {
	case !ok:
		return "", s.fatal(0, 0, `the repository's commit has no "did": expected the account's DID ("did:plc:...")`)
	case !isStr:
		return "", s.fatal(0, 0, `the repository's commit's "did" is %s: expected the account's DID ("did:plc:...")`, cborKind(dv))
	case !validDID(did):
		return "", s.fatal(0, 0, `the repository's commit's "did" is %q: expected a DID ("did:plc:...")`, shortText(did))
	}
	w.did = did
	switch ver, ok := m["version"]; {
	case !ok:
		return "", s.fatal(0, 0, `the repository's commit has no "version": expected 3 (or 2, an older repository)`)
	case ver != int64(3) && ver != int64(2):
		return "", s.fatal(0, 0, `the repository's commit's "version" is %s: expected 3 (or 2, an older repository)`, cborShow(ver))
	}
	tv, ok := m["data"]
	if !ok {
		return "", s.fatal(0, 0, `the repository's commit has no "data": expected the link to its records' tree (MST)`)
	}
	tree, ok := tv.(cborLink)
	if !ok {
		return "", s.fatal(0, 0, `the repository's commit's "data" is %s: expected the link to its records' tree (MST)`, cborKind(tv))
	}
	return tree, nil
}

// validDID reports whether s looks like a DID: "did:", a lower-case
// method, ':', and an identifier of printable ASCII.
func validDID(s string) bool {
	rest, ok := strings.CutPrefix(s, "did:")
	method, id, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 || method == "" || id == "" || len(s) > 2048 {
		return false
	}
	for i := 0; i < len(method); i++ {
		if c := method[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// badNode records a tree node that cannot be read: the records below it
// are lost, so the file is refused unless bad records are skipped.
func (w *repoWalk) badNode(link cborLink, format string, args ...any) {
	w.s.bad(0, 0, "", "the records' tree (MST) node %s %s", cidString(link), fmt.Sprintf(format, args...))
}

// node walks the subtree rooted at link, at depth depth (the root is 1):
// its left subtree, then each entry's record and right subtree.
func (w *repoWalk) node(link cborLink, depth int) error {
	if depth > maxMSTDepth {
		w.badNode(link, "is more than %d levels deep: the records below it are skipped (a corrupt tree)", maxMSTDepth)
		return nil
	}
	if w.seen[link] {
		w.badNode(link, "is linked to twice (a cycle, or a corrupt tree): it is read once")
		return nil
	}
	w.seen[link] = true
	data, ok := w.blocks[string(link)]
	if !ok {
		w.badNode(link, "is not in the file: the records below it cannot be read (an incomplete export? export it again)")
		return nil
	}
	v, err := decodeCBOR(data)
	if err != nil {
		w.badNode(link, "is not valid DAG-CBOR: %v", err)
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		w.badNode(link, `is %s, expected a map {"l": ..., "e": [...]}`, cborKind(v))
		return nil
	}
	if lv := m["l"]; lv != nil {
		l, ok := lv.(cborLink)
		if !ok {
			w.badNode(link, `has "l" %s, expected a link or null`, cborKind(lv))
			return nil
		}
		if err := w.node(l, depth+1); err != nil {
			return err
		}
	}
	ev, ok := m["e"]
	entries, isArr := ev.([]any)
	switch {
	case !ok:
		w.badNode(link, `has no "e": expected its entries (an array)`)
		return nil
	case !isArr:
		w.badNode(link, `has "e" %s, expected its entries (an array)`, cborKind(ev))
		return nil
	}
	var prev []byte // the key of the previous entry
	for i, ev := range entries {
		e, ok := ev.(map[string]any)
		if !ok {
			w.badNode(link, "has entry %d %s, expected a map {\"p\", \"k\", \"v\", \"t\"}: its records from there are skipped", i+1, cborKind(ev))
			return nil
		}
		p, ok := e["p"].(int64)
		if !ok || p < 0 || p > int64(len(prev)) {
			w.badNode(link, `has entry %d with "p" %s: expected the length of the prefix it shares with the key before (0 to %d); its records from there are skipped`,
				i+1, cborShow(e["p"]), len(prev))
			return nil
		}
		k, ok := e["k"].([]byte)
		if !ok {
			w.badNode(link, `has entry %d with "k" %s, expected the key's bytes after the prefix: its records from there are skipped`, i+1, cborKind(e["k"]))
			return nil
		}
		if int(p)+len(k) > maxMSTKey {
			w.badNode(link, "has entry %d with a key of %d bytes (at most %d expected): its records from there are skipped", i+1, int(p)+len(k), maxMSTKey)
			return nil
		}
		key := append(prev[:p:p], k...)
		prev = key
		w.rec++
		if err := w.record(string(key), e["v"]); err != nil {
			return err
		}
		if tv := e["t"]; tv != nil {
			t, ok := tv.(cborLink)
			if !ok {
				w.badNode(link, `has entry %d (%s) with "t" %s, expected a link or null: the records after that key in this node's subtree are skipped`,
					i+1, shortText(string(key)), cborKind(tv))
				continue
			}
			if err := w.node(t, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// bad records a bad record of key.
func (w *repoWalk) bad(key, field, format string, args ...any) {
	w.s.bad(0, w.rec, field, "%s: %s", shortText(key), fmt.Sprintf(format, args...))
}

// record reads the record of key, linked by v.
func (w *repoWalk) record(key string, v any) error {
	coll, rkey, ok := strings.Cut(key, "/")
	if !ok || coll == "" || rkey == "" {
		w.bad(key, "", `the key of a record in the records' tree is not "collection/record-key"`)
		return nil
	}
	link, ok := v.(cborLink)
	if !ok {
		w.bad(key, "", `the tree entry's "v" is %s, expected the link to the record`, cborKind(v))
		return nil
	}
	data, ok := w.blocks[string(link)]
	if !ok {
		w.bad(key, "", "the record's block %s is not in the file (an incomplete export? export it again)", cidString(link))
		return nil
	}
	switch coll {
	case bskyPost:
		return w.post(key, data)
	case bskyRepost:
		return w.repost(key, data)
	}
	w.s.ignore()
	return nil
}

// recordMap decodes a record of collection coll; ok is false if it is a
// bad record (counted). err is a fatal error: the walk's budget is spent.
func (w *repoWalk) recordMap(key string, data []byte, coll string) (map[string]any, bool, error) {
	if w.budget -= int64(len(data)); w.budget < 0 {
		return nil, false, w.s.fatal(0, w.rec, "%s: the records' tree links to the same records over and over (more record bytes than twice the file's): a corrupt repository", shortText(key))
	}
	v, err := decodeCBOR(data)
	if err != nil {
		w.bad(key, "", "the record is not valid DAG-CBOR: %v", err)
		return nil, false, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		w.bad(key, "", "the record is %s, expected a map", cborKind(v))
		return nil, false, nil
	}
	switch tv, ok := m["$type"]; {
	case !ok:
		w.bad(key, "$type", "missing: expected %q", coll)
		return nil, false, nil
	case tv != coll:
		w.bad(key, "$type", "is %s, expected %q", cborShow(tv), coll)
		return nil, false, nil
	}
	return m, true, nil
}

// createdAt returns the Post.Time of a record's createdAt; ok is false if
// it is a bad record (counted).
func (w *repoWalk) createdAt(key string, m map[string]any) (string, bool) {
	cv, ok := m["createdAt"]
	c, isStr := cv.(string)
	if ok && !isStr {
		w.bad(key, "createdAt", `is %s, expected the time as "2006-01-02T15:04:05.000Z"`, cborKind(cv))
		return "", false
	}
	t, msg := apTime(c)
	if msg != "" {
		w.bad(key, "createdAt", "%s", msg)
		return "", false
	}
	return t, true
}

// post reads an app.bsky.feed.post record.
func (w *repoWalk) post(key string, data []byte) error {
	m, ok, err := w.recordMap(key, data, bskyPost)
	if !ok {
		return err
	}
	tv, ok := m["text"]
	txt, isStr := tv.(string)
	switch {
	case !ok:
		w.bad(key, "text", "missing: expected the post's text (a string, empty for a post of only images)")
		return nil
	case !isStr:
		w.bad(key, "text", "is %s, expected a string", cborKind(tv))
		return nil
	}
	t, ok := w.createdAt(key, m)
	if !ok {
		return nil
	}
	var lang string
	if lv := m["langs"]; lv != nil {
		langs, ok := lv.([]any)
		if !ok {
			w.bad(key, "langs", `is %s, expected an array of language tags (["en"])`, cborKind(lv))
			return nil
		}
		if len(langs) > 0 {
			if lang, ok = langs[0].(string); !ok {
				w.bad(key, "langs", `holds %s, expected a language tag ("en")`, cborKind(langs[0]))
				return nil
			}
		}
	}
	var tags []string
	if tv := m["tags"]; tv != nil {
		list, ok := tv.([]any)
		if !ok {
			w.bad(key, "tags", `is %s, expected an array of hashtags (["golang"])`, cborKind(tv))
			return nil
		}
		for _, x := range list {
			tag, ok := x.(string)
			if !ok {
				w.bad(key, "tags", `holds %s, expected a hashtag ("golang")`, cborKind(x))
				return nil
			}
			tags = append(tags, tag)
		}
	}
	// "reply", "embed" and "facets" need no reading: a reply is the
	// person's own post, an embed (images, a quoted post, a link card) is
	// not text, and a facet of a hashtag (app.bsky.richtext.facet#tag)
	// marks a "#tag" that is written in the text already.
	return w.s.post(Post{Author: w.did, Time: t, Text: appendTags(txt, tags), Lang: lang, Own: true})
}

// repost reads an app.bsky.feed.repost record: someone else's post the
// person reposted, a retweet.
func (w *repoWalk) repost(key string, data []byte) error {
	m, ok, err := w.recordMap(key, data, bskyRepost)
	if !ok {
		return err
	}
	t, ok := w.createdAt(key, m)
	if !ok {
		return nil
	}
	return w.s.post(Post{Author: w.did, Time: t, Retweet: true, Own: true})
}

// appendTags returns a post's text followed by its "tags": the hashtags
// (without '#', up to 8) that Bluesky lets a person give a post outside
// its text. They are the person's hashtags as much as the ones written in
// the text, so each one the text does not already hold as a hashtag is
// appended as " #tag": every reader of Post.Text (Post.Tags, the page's
// history) then sees it. "Already holds" is by both rules, case aside:
// the model's (text.ModelHashtags, Post.Tags) and the platforms'
// (text.HashtagKeys, the page's); a tag only one of them finds in the text
// is appended, since a hashtag twice costs nothing and one missed is lost.
// A tag that cannot be written as one hashtag (empty, or with white space
// in it) is left out.
func appendTags(txt string, tags []string) string {
	if len(tags) == 0 {
		return txt
	}
	model := map[string]bool{}
	for _, k := range text.ModelHashtags(txt) {
		model[k] = true
	}
	have := map[string]bool{}
	for _, k := range text.HashtagKeys(txt) {
		have[k] = model[k]
	}
	var b strings.Builder
	b.WriteString(txt)
	for _, tag := range tags {
		tag = strings.TrimPrefix(strings.TrimPrefix(tag, "#"), "＃")
		if tag == "" || strings.IndexFunc(tag, unicode.IsSpace) >= 0 {
			continue
		}
		key := text.HashtagKey(tag)
		if have[key] {
			continue
		}
		have[key] = true
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('#')
		b.WriteString(tag)
	}
	return b.String()
}

// cborKind names the kind of a decoded DAG-CBOR value, for messages.
func cborKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case int64, uint64:
		return "an integer"
	case float64:
		return "a float"
	case []byte:
		return "a byte string"
	case string:
		return "a text string"
	case []any:
		return "an array"
	case map[string]any:
		return "a map"
	case cborLink:
		return "a link"
	}
	return fmt.Sprintf("a %T", v)
}

// cborShow shows a scalar value (a number, a short text) or else its
// kind, for messages.
func cborShow(v any) string {
	switch x := v.(type) {
	case int64, uint64, float64, bool:
		return fmt.Sprint(x)
	case string:
		return fmt.Sprintf("%q", shortText(x))
	}
	return cborKind(v)
}

// isCAR reports whether head starts a CAR file: a varint giving the
// header's length (at most maxCARHeader), then a DAG-CBOR map holding the
// key "roots" or "version" (in what head holds of the header). A header
// with only one of them (a CAR v2 file starts with the map {"version":
// 2}), or one cut short, is recognised all the same, so that the reader
// says what is wrong with it.
func isCAR(head []byte) bool {
	n, k := binary.Uvarint(head)
	if k <= 0 || n < 2 || n > maxCARHeader {
		return false
	}
	h := head[k:]
	if len(h) == 0 || h[0]>>5 != 5 { // CBOR major type 5, a map
		return false
	}
	if uint64(len(h)) > n {
		h = h[:n]
	}
	return bytes.Contains(h, []byte("\x65roots")) || bytes.Contains(h, []byte("\x67version"))
}
