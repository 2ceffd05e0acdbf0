package post

import (
	"strings"
	"testing"
)

// outboxHead is the start of a Mastodon 4 export's outbox.json.
const outboxHead = `{
  "@context": "https://www.w3.org/ns/activitystreams",
  "id": "outbox.json",
  "type": "OrderedCollection",
  "totalItems": 6,
  "orderedItems": [
`

// Activities shaped like Mastodon's export.
const (
	// A Note with a hashtag link, a mention, a link with hidden parts,
	// entities, a <br> and two paragraphs.
	apCreate = `    {
      "id": "https://mastodon.example/users/alice/statuses/109311/activity",
      "type": "Create",
      "actor": "https://mastodon.example/users/alice",
      "published": "2022-11-09T10:00:00Z",
      "to": ["https://www.w3.org/ns/activitystreams#Public"],
      "cc": ["https://mastodon.example/users/alice/followers"],
      "object": {
        "id": "https://mastodon.example/users/alice/statuses/109311",
        "type": "Note",
        "summary": null,
        "inReplyTo": null,
        "published": "2022-11-09T11:30:00+01:00",
        "url": "https://mastodon.example/@alice/109311",
        "attributedTo": "https://mastodon.example/users/alice",
        "sensitive": false,
        "content": "<p>Hello <span class=\"h-card\"><a href=\"https://other.example/@bob\" class=\"u-url mention\">@<span>bob</span></a></span> &amp; all: it&#39;s <a href=\"https://mastodon.example/tags/Fediverse\" class=\"mention hashtag\" rel=\"tag\">#<span>Fediverse</span></a> time!<br />See <a href=\"https://example.com/a/long/path\" target=\"_blank\" rel=\"nofollow noopener noreferrer\"><span class=\"invisible\">https://</span><span class=\"ellipsis\">example.com/a/lo</span><span class=\"invisible\">ng/path</span></a></p><p>2 &lt; 3 <a href=\"https://mastodon.example/tags/m%C3%BCsli\" class=\"mention hashtag\" rel=\"tag\">#<span>müsli</span></a></p>",
        "contentMap": {"en": "<p>Hello ...</p>"},
        "attachment": [],
        "tag": [{"type": "Hashtag", "href": "https://mastodon.example/tags/fediverse", "name": "#fediverse"}],
        "replies": {"id": "https://mastodon.example/users/alice/statuses/109311/replies", "type": "Collection", "first": {"type": "CollectionPage", "next": "x", "partOf": "y", "items": []}}
      },
      "signature": {"type": "RsaSignature2017", "creator": "https://mastodon.example/users/alice#main-key", "created": "2022-11-09T10:00:01Z", "signatureValue": "abc=="}
    }`
	// A boost: the object is the boosted post's URL.
	apAnnounce = `    {"id": "https://mastodon.example/users/alice/statuses/109312/activity", "type": "Announce", "actor": "https://mastodon.example/users/alice", "published": "2022-11-10T08:00:00Z", "to": [], "cc": [], "object": "https://other.example/users/bob/statuses/1"}`
	// A Like: not a post.
	apLike = `    {"type": "Like", "actor": "https://mastodon.example/users/alice", "object": "https://other.example/users/bob/statuses/2"}`
	// A Note without contentMap (no language) and without its own
	// published time.
	apNoLang = `    {"type": "Create", "actor": "https://mastodon.example/users/alice", "published": "2022-11-11T23:59:59.500Z", "object": {"type": "Note", "content": "<p>#NoLang here</p>"}}`
	// A poll.
	apPoll = `    {"type": "Create", "actor": "https://mastodon.example/users/alice", "published": "2022-11-12T00:00:00Z", "object": {"type": "Question", "published": "2022-11-12T00:00:00Z", "content": "<p>Tabs or spaces? #poll</p>", "contentMap": {"de": "<p>Tabs or spaces? #poll</p>"}, "oneOf": [{"type": "Note", "name": "tabs"}]}}`
	// A Create of something other than a Note: not a post.
	apArticle = `    {"type": "Create", "actor": "https://mastodon.example/users/alice", "published": "2022-11-13T00:00:00Z", "object": {"type": "Article", "content": "x"}}`
)

const outboxTail = `
  ]
}
`

var mastodonGoodPosts = []Post{
	{Author: "alice", Time: "2022-11-09 10:30:00", Text: "Hello @bob & all: it's #Fediverse time!\nSee https://example.com/a/long/path\n\n2 < 3 #müsli", Lang: "en", Tags: []string{"fediverse", "müsli"}, Own: true},
	{Author: "alice", Time: "2022-11-10 08:00:00", Retweet: true, Own: true},
	{Author: "alice", Time: "2022-11-11 23:59:59", Text: "#NoLang here", Tags: []string{"nolang"}, Own: true},
	{Author: "alice", Time: "2022-11-12 00:00:00", Text: "Tabs or spaces? #poll", Lang: "de", Tags: []string{"poll"}, Own: true},
}

func TestMastodonGood(t *testing.T) {
	items := strings.Join([]string{apCreate, apAnnounce, apLike, apNoLang, apPoll, apArticle}, ",\n")
	for name, content := range map[string]string{
		"outbox.json":    outboxHead + items + outboxTail,
		"outbox.json.gz": outboxHead + items + outboxTail,
		// orderedItems after other keys, and keys after it.
		"reordered.json": `{"@context": ["https://www.w3.org/ns/activitystreams", {"ostatus": "http://ostatus.org#", "x": {"@id": "y", "@type": "@id"}}], "type": "OrderedCollection", "orderedItems": [` + items + `], "totalItems": 6, "extra": {"a": [1, 2, {"b": null}]}}`,
	} {
		t.Run(name, func(t *testing.T) {
			r := readGood(t, name, content, FormatMastodon)
			checkPosts(t, r.posts, mastodonGoodPosts)
			if r.stats.Records != 4 || r.stats.Ignored != 2 || r.stats.Bad != 0 {
				t.Errorf("stats %+v, want 4 records, 2 ignored", r.stats)
			}
			// The boost is there for the count, but the protocol's filter
			// (English, not a retweet) drops it.
			if b := r.posts[1]; b.English() || !b.Retweet || b.Text != "" {
				t.Errorf("boost %+v", b)
			}
		})
	}
}

func TestMastodonBad(t *testing.T) {
	lines := []string{
		`{"type": "OrderedCollection", "orderedItems": [`, // 1
		apNoLang + ",",               // 2
		`"https://not.an/activity",`, // 3
		`{"type": "Create", "actor": "https://h/users/a", "published": "2022-11-11T00:00:00Z", "object": "https://h/users/a/statuses/1"},`,                            // 4
		`{"type": "Create", "actor": "https://h/users/a", "published": "2022-11-11T00:00:00Z", "object": {"type": "Note", "content": 5}},`,                            // 5
		`{"type": "Create", "actor": "https://h/users/a", "published": "2022-11-11", "object": {"type": "Note", "content": "x"}},`,                                    // 6
		`{"actor": "https://h/users/a", "object": {"type": "Note", "content": "x"}},`,                                                                                 // 7
		`{"type": "Create", "actor": "https://h/users/a", "published": "2022-11-11T00:00:00Z", "object": {"type": "Note"}},`,                                          // 8
		"{\"type\": \"Create\", \"actor\": \"https://h/users/a\", \"published\": \"2022-11-11T00:00:00Z\", \"object\": {\"type\": \"Note\", \"content\": \"\xff\"}},", // 9
		`{"type": "Announce", "published": "2022-11-11T00:00:00Z", "object": "https://h/1"},`,                                                                         // 10
		`{"type": ["Create"], "actor": "https://h/users/a"},`,                                                                                                         // 11
		`{"type": "Create", "actor": "https://h/users/a", "object": {"type": "Note", "content": "x"}},`,                                                               // 12
		apPoll, // 13
		"]}",
	}
	want := []badRecord{
		{3, "", "is a string, expected a JSON object"},
		{4, "object", "is a string: expected the created Note, embedded as an object"},
		{5, "object.content", "is a JSON number, expected a string"},
		{6, "published", `"2022-11-11" is not a time`},
		{7, "type", "missing: not an ActivityPub activity"},
		{8, "object.content", "missing"},
		{9, "", "not valid UTF-8"},
		{10, "actor", "missing"},
		{11, "type", "is a JSON array, expected a string"},
		{12, "published", "missing"},
	}
	path := writeFile(t, "outbox.json", []byte(strings.Join(lines, "\n")))
	r := readPath(t, path, "", Options{MaxErrors: 20})
	checkBadFile(t, r, path, 20, want)
	r = readPath(t, path, "", Options{SkipBad: true})
	if r.err != nil {
		t.Fatal(r.err)
	}
	checkPosts(t, r.posts, []Post{mastodonGoodPosts[2], mastodonGoodPosts[3]})
	if r.stats.Records != 2 || r.stats.Bad != len(want) {
		t.Errorf("stats %+v", r.stats)
	}
}

func TestMastodonFatal(t *testing.T) {
	cases := []struct {
		name, content string
		line          int
		msg           string
		posts         int
	}{
		{"syntax error mid-array", outboxHead + apNoLang + ",\n" + apPoll + "\n" + apNoLang + outboxTail, 9, "column 5: JSON syntax error: expected comma after array element", 2},
		{"no orderedItems", `{"@context": "https://www.w3.org/ns/activitystreams", "type": "OrderedCollection", "first": "https://h/outbox?page=true"}`, 1, `no "orderedItems" array`, 0},
		{"orderedItems not an array", `{"orderedItems": {"a": 1}}`, 1, `expected "orderedItems" (a JSON array), found an object`, 0},
		{"not an object", `"outbox"`, 1, "a Mastodon outbox.json is a JSON object", 0},
		{"truncated", outboxHead + apNoLang + ",\n" + apPoll[:40], 8, "file ends inside a JSON value", 1},
		{"garbage after", outboxHead + apNoLang + outboxTail + "}", 10, "unexpected '}' after the end of the outbox object", 1},
		{"bad key", "{\n\"orderedItems\": [],\n 12: 3}", 3, "column 2: JSON syntax error", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, "outbox.json", []byte(c.content))
			r := readPath(t, path, FormatMastodon, Options{SkipBad: true})
			checkFatal(t, r.err, path, c.line, c.msg)
			if len(r.posts) != c.posts {
				t.Errorf("%d posts before the error, want %d", len(r.posts), c.posts)
			}
		})
	}
}

func TestHTMLText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"plain text", "plain text"},
		{"<p>one</p><p>two</p>", "one\n\ntwo"},
		{"<p>a<br>b<br/>c<br />d</p>", "a\nb\nc\nd"},
		{"<p>a<br><br>b</p>", "a\n\nb"},
		{"<p>a</p>\n<p>b</p>\n", "a\n\nb"},
		// Mastodon's hashtag and mention links.
		{`<p><a href="https://m.s/tags/foo" class="mention hashtag" rel="tag">#<span>foo</span></a></p>`, "#foo"},
		{`<p>x <a href="https://m.s/tags/caf%C3%A9" class="mention hashtag" rel="tag">#<span>Café</span></a>!</p>`, "x #Café!"},
		{`<span class="h-card"><a href="https://m.s/@bob" class="u-url mention">@<span>bob</span></a></span> hi`, "@bob hi"},
		// Entities are decoded after the tags are removed.
		{"a &amp; b &lt;i&gt; &quot;q&quot; &#39;s &#x1F600; &nbsp;!", "a & b <i> \"q\" 's 😀 \u00a0!"},
		{"&lt;p&gt;not a tag&lt;/p&gt;", "<p>not a tag</p>"},
		{"&amp;#35;x", "&#35;x"},
		// Attributes with quotes and '>' inside.
		{`<a title="a > b" href='x>y'>link</a>`, "link"},
		{`<a title=unquoted>t</a>`, "t"},
		// A '<' that starts no tag is text.
		{"1 < 2 and 3 <4", "1 < 2 and 3 <4"},
		{"a <", "a <"},
		{"a </", "a </"},
		// Comments, declarations, scripts.
		{"a<!-- <p>hidden</p> -->b", "ab"},
		{"<!DOCTYPE html>a<?xml x?>b", "ab"},
		{"a<script>if (1<2) {x='</p>'}</script>b", "ab"},
		{"a<STYLE>p{}</style>b", "ab"},
		{"a</script>b", "ab"},
		// Unterminated markup at the end is dropped.
		{"a<b", "a"},
		{`a<a href="x`, "a"},
		{"a<!-- b", "a"},
		// Blocks.
		{"<ul><li>one</li><li>two</li></ul>after", "one\ntwo\n\nafter"},
		{"<blockquote><p>q</p></blockquote><p>r</p>", "q\n\nr"},
		{"<P>Upper</P><P>case</P>", "Upper\n\ncase"},
		{"</>x", "x"},
		{"< p>x", "< p>x"},
	}
	for _, c := range cases {
		if got := htmlText(c.in); got != c.want {
			t.Errorf("htmlText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestActorName(t *testing.T) {
	for in, want := range map[string]string{
		"https://mastodon.social/users/alice":  "alice",
		"https://mastodon.social/users/alice/": "alice",
		"https://mastodon.social/@alice":       "alice",
		"https://h/users/a?x=1#main":           "a",
		"alice":                                "alice",
		"https://h":                            "https://h",
		"":                                     "",
	} {
		if got := actorName(in); got != want {
			t.Errorf("actorName(%q) = %q, want %q", in, got, want)
		}
	}
}
