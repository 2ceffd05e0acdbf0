package post

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"
	"time"
)

// apActivity is the part of an ActivityPub activity of a Mastodon outbox a
// post needs.
type apActivity struct {
	Type      string `json:"type"`
	Actor     string `json:"actor"`
	Published string `json:"published"`
	// Object is the created Note, embedded, for a Create; the boosted
	// post's URL (or the post, embedded) for an Announce.
	Object json.RawMessage `json:"object"`
}

// apNote is the part of a Note (or Question, a poll) a post needs.
type apNote struct {
	Type       string            `json:"type"`
	Content    *string           `json:"content"`
	ContentMap map[string]string `json:"contentMap"`
	Published  string            `json:"published"`
}

// readMastodon reads a Mastodon export's outbox.json: an ActivityPub
// OrderedCollection whose "orderedItems" array holds the account's
// activities. It walks the object's keys and decodes the items one at a
// time; other keys are skipped token by token.
//
//   - Create of a Note (or of a Question, a poll, which carries its text the
//     same way) is a post. Author is the last path segment of the actor
//     ("https://host/users/name" gives "name": an outbox is one account's,
//     so the name is enough). Time is the Note's published time, else the
//     activity's, in UTC. Lang is the single key of the Note's contentMap
//     ("en"), empty when there is none or several. Text is the plain text of
//     the Note's HTML content (see htmlText); the content warning
//     ("summary") is not part of it.
//   - Announce is a boost: it becomes a post with Retweet true, empty Text
//     and no Lang, timed by the activity (the object's published time, if
//     the object is embedded, is the boosted post's), so the protocol's
//     filter drops it while Stats.Records still counts it.
//   - Any other activity (Like, Follow, Update, Delete, ...), and a Create of
//     anything else, is well formed but not a post: it counts as Ignored.
//
// Since Mastodon content is HTML, decoding its entities is what turns it
// into the text its author wrote; the protocol's "no entity decoding before
// extraction" is about tweets, whose text is not HTML but carries a few
// escaped characters. Hashtags survive the conversion: Mastodon writes
// "#foo" as <a ... rel="tag">#<span>foo</span></a>, which becomes "#foo".
func readMastodon(r io.Reader, s *sink) error { return readMastodonFrom(newJSONReader(r, s)) }

func readMastodonFrom(j *jsonReader) error {
	s := j.s
	c, err := j.skipSpace()
	if err != nil {
		return err
	}
	var m mastodonItems
	switch c {
	case '{':
	case '[':
		// A bare array of activities (a saved outbox page).
		j.startDecoder()
		if err := j.openArray("an array of ActivityPub activities"); err != nil {
			return err
		}
		if err := m.read(j); err != nil {
			return err
		}
		m.why(s, "the array")
		return j.end("", "the array of activities")
	case 0:
		return s.fatal(1, 0, "empty file: expected a Mastodon outbox.json (an ActivityPub OrderedCollection)")
	default:
		line, col := j.lr.at(j.base)
		return s.fatal(line, 0, "column %d: found %q: a Mastodon outbox.json is a JSON object (an ActivityPub OrderedCollection)", col, c)
	}
	j.startDecoder()
	if _, err := j.dec.Token(); err != nil { // the '{'
		return j.streamError(err)
	}
	found := false
	for j.dec.More() {
		tok, err := j.dec.Token()
		if err != nil {
			return j.streamError(err)
		}
		switch key, _ := tok.(string); key {
		case "orderedItems":
			// Every "orderedItems" array is read, in file order: Mastodon 4
			// has written outboxes with the key twice, an empty array and
			// then the real one. Concatenating keeps every activity
			// whichever array holds them (taking only the non-empty one
			// would drop posts were both ever filled); an activity is one
			// post, so no post is counted twice unless the file lists it
			// twice.
			found = true
			if err := j.openArray(`"orderedItems"`); err != nil {
				return err
			}
			if err := m.read(j); err != nil {
				return err
			}
			continue
		case "totalItems":
			var n json.Number
			if err := j.dec.Decode(&n); err != nil {
				return j.streamError(err)
			}
			m.total = string(n)
			continue
		}
		if err := j.skipValue(); err != nil {
			return err
		}
	}
	if _, err := j.dec.Token(); err != nil { // the '}'
		return j.streamError(err)
	}
	if !found {
		return s.fatal(1, 0, `no "orderedItems" array: not a Mastodon outbox.json (an ActivityPub OrderedCollection of activities)`)
	}
	m.why(s, `its "orderedItems"`)
	return j.end("", "the outbox object")
}

// mastodonItems reads the items of an outbox and remembers what they were.
type mastodonItems struct {
	items int    // items read
	urls  int    // items that are strings (the URLs of likes.json, bookmarks.json)
	likes int    // Like activities
	total string // the collection's totalItems, if given
	// urlList is set when the first item is a string: the collection lists
	// posts by URL.
	urlList bool
}

// read reads the items of the array whose '[' was just read.
func (m *mastodonItems) read(j *jsonReader) error {
	return j.elements(func(raw []byte, line, rec int) error {
		m.items++
		isURL := len(raw) > 0 && raw[0] == '"'
		if m.items == 1 {
			m.urlList = isURL
		}
		switch {
		case isURL && m.urlList:
			// likes.json and bookmarks.json list posts by URL; in an
			// outbox of activities, a string is a bad record.
			m.urls++
			j.s.ignore()
			return nil
		case bytes.Contains(raw, []byte(`"Like"`)):
			m.likes++
		}
		return mastodonRecord(j.s, raw, line, rec)
	})
}

// why gives the sink the reason a file holds no posts, when the items say
// it better than the counts: an empty outbox, a likes or bookmarks file.
func (m *mastodonItems) why(s *sink, where string) {
	if s.stats.Records > 0 {
		return
	}
	switch {
	case m.items == 0 && m.total != "" && m.total != "0":
		s.reason = fmt.Sprintf("an empty outbox: %s holds no activities although totalItems says %s (an incomplete export? export it again)", where, m.total)
	case m.items == 0:
		s.reason = fmt.Sprintf("an empty outbox: %s holds no activities", where)
	case m.urls == m.items:
		s.reason = fmt.Sprintf("a list of %d posts by URL (a likes.json or bookmarks.json of posts you liked or saved), not your posts: give the outbox.json", m.urls)
	case m.likes == m.items:
		s.reason = fmt.Sprintf("%d Like activities (posts you liked), not your posts: give the outbox.json", m.likes)
	}
}

// mastodonRecord turns one activity into a post, a bad record or an
// ignored one.
func mastodonRecord(s *sink, raw []byte, line, rec int) error {
	var act apActivity
	if field, msg := decodeRecord(raw, &act); msg != "" {
		s.bad(line, rec, field, "%s", msg)
		return nil
	}
	switch act.Type {
	case "Create", "Announce":
	case "":
		s.bad(line, rec, "type", `missing: not an ActivityPub activity (expected "Create", "Announce", ...)`)
		return nil
	default:
		s.ignore()
		return nil
	}
	author := actorName(act.Actor)
	if author == "" {
		s.bad(line, rec, "actor", "missing: expected the URL of the account")
		return nil
	}
	if act.Type == "Announce" {
		t, msg := apTime(act.Published)
		if msg != "" {
			s.bad(line, rec, "published", "%s", msg)
			return nil
		}
		return s.post(Post{Author: author, Time: t, Retweet: true, Own: true})
	}

	obj := bytes.TrimSpace(act.Object)
	if len(obj) == 0 || obj[0] != '{' {
		what := "missing"
		if len(obj) > 0 {
			what = "is " + rawKind(obj)
		}
		s.bad(line, rec, "object", "%s: expected the created Note, embedded as an object", what)
		return nil
	}
	var note apNote
	if field, msg := decodeRecord(obj, &note); msg != "" {
		s.bad(line, rec, joinField("object", field), "%s", msg)
		return nil
	}
	if note.Type != "Note" && note.Type != "Question" {
		s.ignore()
		return nil
	}
	published, field := note.Published, "object.published"
	if published == "" {
		published, field = act.Published, "published"
	}
	t, msg := apTime(published)
	if msg != "" {
		s.bad(line, rec, field, "%s", msg)
		return nil
	}
	var lang, content string
	if len(note.ContentMap) == 1 {
		for k, v := range note.ContentMap {
			lang, content = k, v
		}
	}
	switch {
	case note.Content != nil:
		content = *note.Content
	case len(note.ContentMap) != 1:
		s.bad(line, rec, "object.content", "missing: expected the Note's HTML content")
		return nil
	}
	return s.post(Post{Author: author, Time: t, Text: htmlText(content), Lang: lang, Own: true})
}

func joinField(parent, field string) string {
	if field == "" {
		return parent
	}
	return parent + "." + field
}

// actorName is the last path segment of an actor URL, without a leading
// '@': "https://host/users/name" and "https://host/@name" give "name". An
// actor that is no URL is kept whole.
func actorName(actor string) string {
	a := actor
	if i := strings.IndexAny(a, "?#"); i >= 0 {
		a = a[:i]
	}
	a = strings.TrimRight(a, "/")
	if i := strings.LastIndexByte(a, '/'); i >= 0 && strings.Contains(a[:i], "://") {
		if name := strings.TrimPrefix(a[i+1:], "@"); name != "" {
			return name
		}
	}
	return actor
}

// apTime converts an ActivityPub time ("2023-01-02T03:04:05Z", RFC 3339)
// to a Post's Time, or says what is wrong.
func apTime(s string) (string, string) {
	if s == "" {
		return "", `missing: expected the time as "2006-01-02T15:04:05Z"`
	}
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return "", fmt.Sprintf(`%q is not a time: expected RFC 3339, as "2006-01-02T15:04:05Z"`, s)
	}
	t, ok := postTime(tm)
	if !ok {
		return "", fmt.Sprintf("%q: year out of range", s)
	}
	return t, ""
}

// htmlText returns the plain text of an HTML fragment such as a Mastodon
// post's content. It is a small tokenizer, not a full HTML parser:
//
//   - tags are removed, their attributes (with quoted values that may hold
//     '>') included; so are comments, <!...> and <?...> declarations, and
//     the contents of <script> and <style>;
//   - <br> becomes a newline; the boundary of a paragraph-like block (p,
//     blockquote, pre, ul, ol, h1-h6, table, hr) a blank line; of a line-like
//     one (div, li, tr, dt, dd) a newline; no break is written at the start
//     or the end, and white space between blocks is dropped;
//   - character references (&amp;, &#39;, &#x1F600;, &nbsp;, ...) are decoded
//     with html.UnescapeString, after the tags are removed, so a decoded
//     "&lt;" never starts a tag;
//   - a '<' that starts no tag (not followed by a letter, '/', '!' or '?')
//     is text, as in HTML; an unterminated tag at the end is dropped.
//
// Other white space is kept as written. Mastodon's hashtag links,
// <a href=".../tags/foo" class="mention hashtag" rel="tag">#<span>foo</span></a>,
// become "#foo", its mentions "@name", and its links the full URL (the
// parts it hides in <span class="invisible"> are kept).
func htmlText(h string) string {
	var b strings.Builder
	b.Grow(len(h))
	breaks := 0 // newlines owed before the next text
	text := func(seg string) {
		if seg == "" {
			return
		}
		if strings.IndexByte(seg, '&') >= 0 {
			seg = html.UnescapeString(seg)
		}
		if breaks > 0 {
			if strings.TrimSpace(seg) == "" {
				return
			}
			if b.Len() > 0 {
				b.WriteString(strings.Repeat("\n", breaks))
			}
			breaks = 0
		}
		b.WriteString(seg)
	}
	last := 0 // start of the text not yet written
	for i := 0; i < len(h); {
		if h[i] != '<' {
			i++
			continue
		}
		end, name, closing, ok := parseTag(h, i)
		if !ok {
			i++
			continue
		}
		text(h[last:i])
		switch name {
		case "br":
			breaks++
		case "p", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr":
			breaks = max(breaks, 2)
		case "div", "li", "tr", "dt", "dd":
			breaks = max(breaks, 1)
		case "script", "style":
			if closing {
				break
			}
			// Raw text up to the end tag (or the end of the input).
			if k := indexFoldASCII(h[end:], "</"+name); k >= 0 {
				end += k
			} else {
				end = len(h)
			}
		}
		i, last = end, end
	}
	text(h[last:])
	return b.String()
}

// parseTag parses the markup that starts at h[i] == '<'. It returns the
// index just after it, the tag's lower-cased name ("" for a comment or a
// declaration) and whether it is an end tag. ok is false when h[i] starts
// no markup.
func parseTag(h string, i int) (end int, name string, closing, ok bool) {
	j := i + 1
	if j >= len(h) {
		return 0, "", false, false
	}
	switch c := h[j]; {
	case strings.HasPrefix(h[j:], "!--"):
		if k := strings.Index(h[j+3:], "-->"); k >= 0 {
			return j + 3 + k + 3, "", false, true
		}
		return len(h), "", false, true
	case c == '!' || c == '?':
		return toGT(h, j), "", false, true
	case c == '/':
		j++
		if j >= len(h) {
			return 0, "", false, false
		}
		if !isASCIILetter(h[j]) {
			return toGT(h, j), "", true, true // "</>" or a bogus comment
		}
		closing = true
	case isASCIILetter(c):
	default:
		return 0, "", false, false
	}
	k := j
	for k < len(h) && !isSpace(h[k]) && h[k] != '/' && h[k] != '>' && h[k] != '\f' {
		k++
	}
	name = strings.ToLower(h[j:k])
	afterEq := false // a quote right after '=' opens an attribute value
	for ; k < len(h); k++ {
		switch c := h[k]; {
		case c == '>':
			return k + 1, name, closing, true
		case c == '=':
			afterEq = true
		case (c == '"' || c == '\'') && afterEq:
			q := strings.IndexByte(h[k+1:], c)
			if q < 0 {
				return len(h), name, closing, true
			}
			k += 1 + q
			afterEq = false
		case isSpace(c) || c == '\f':
		default:
			afterEq = false
		}
	}
	return len(h), name, closing, true
}

// toGT returns the index after the next '>' from j, or len(h).
func toGT(h string, j int) int {
	if k := strings.IndexByte(h[j:], '>'); k >= 0 {
		return j + k + 1
	}
	return len(h)
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// indexFoldASCII is strings.Index with ASCII letters matched regardless of
// case; sub must be ASCII lower case.
func indexFoldASCII(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		k := 0
		for k < len(sub) {
			c := s[i+k]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[k] {
				break
			}
			k++
		}
		if k == len(sub) {
			return i
		}
	}
	return -1
}
