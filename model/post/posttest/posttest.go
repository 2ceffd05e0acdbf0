// Package posttest builds, in memory, export files and archives with the
// structure of the real ones people hold (an X archive .zip, a Mastodon
// export .zip or .tar.gz, a Grailbird month, an old tweets.csv, ...), with
// the counts a reader must find in each. The tests of model/post, of the
// prepare command and of the page use them, so all three check the same
// files.
//
// Every fixture is written here by hand after the layout of real exports:
// wrappers, key order, the duplicate "orderedItems" key of Mastodon 4, the
// files that sit beside the posts (media, likes, followers, deleted tweets)
// and must be left alone.
package posttest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"time"
)

// Fixture is one input with what reading it must give.
type Fixture struct {
	Name    string // file name as the export names it
	Data    []byte
	Records int // posts read (post.Stats.Records)
	Kept    int // posts post.Post.Kept keeps: original posts with text, any language
	// Tags are the hashtags of the kept posts, lower-cased, in file order,
	// each once.
	Tags []string
	// Reason, for an input that holds no post kept, is a substring of the
	// error's reason.
	Reason string
}

// tweet is one tweet of a fixture.
type tweet struct {
	text    string
	lang    string
	retweet bool
	tags    []string
}

// xTweets are the tweets of an X archive: several languages, an undefined
// one, retweets, entities and a reply. Lang "und" is X's "undetermined".
var xTweets = [][]tweet{
	{ // data/tweets.js
		{"Learning #GoLang &amp; liking it", "en", false, []string{"golang"}},
		{"RT @gopher: #Go 1.22 is out", "en", true, nil},
		{"Bonjour à tous, c'est parti pour le #DevFest", "fr", false, []string{"devfest"}},
		{"@bob thanks! #FOSS", "en", false, []string{"foss"}},
		{"新しい #プロジェクト を始めました", "ja", false, []string{"プロジェクト"}},
		{"🎉🎉 #party", "und", false, []string{"party"}},
		{"RT @news: Big #Storm tonight", "en", true, nil},
	},
	{ // data/tweets-part1.js
		{"Reading about #WebAssembly and #Go", "en", false, []string{"webassembly", "go"}},
		{"RT @alice: #Rust or #Go?", "en", true, nil},
		{"Kaffee und #Code am Sonntag", "de", false, []string{"code"}},
	},
}

// xStatus writes one element of tweets.js as X writes it: the "tweet"
// wrapper, strings for numbers, entities, edit info.
func xStatus(id int, t tweet, when time.Time) string {
	var tags []string
	for _, h := range t.tags {
		tags = append(tags, fmt.Sprintf(`{ "text" : %q, "indices" : [ "0", "5" ] }`, h))
	}
	return fmt.Sprintf(`  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [ "%[1]d" ],
          "editableUntil" : "%[2]s",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ %[3]s ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ ]
      },
      "display_text_range" : [ "0", "%[4]d" ],
      "favorite_count" : "2",
      "id_str" : "%[1]d",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "%[1]d",
      "created_at" : "%[5]s",
      "favorited" : false,
      "full_text" : %[6]q,
      "lang" : %[7]q
    }
  }`, id, when.Add(time.Hour).Format("2006-01-02T15:04:05.000Z"), strings.Join(tags, ", "), len(t.text),
		when.Format(time.RubyDate), t.text, t.lang)
}

// tweetsJS writes one tweets.js part; name is "tweets" (since 2021) or
// "tweet" (2019-2020 archives).
func tweetsJS(name string, part int, tweets []tweet, start time.Time, firstID int) []byte {
	var items []string
	for i, t := range tweets {
		items = append(items, xStatus(firstID+i, t, start.Add(time.Duration(i)*37*time.Hour)))
	}
	return []byte(fmt.Sprintf("window.YTD.%s.part%d = [\n%s\n]", name, part, strings.Join(items, ",\n")))
}

// counts adds up what a list of tweets must give.
func counts(parts ...[]tweet) (records, kept int, tags []string) {
	seen := map[string]bool{}
	for _, p := range parts {
		for _, t := range p {
			records++
			if t.retweet {
				continue
			}
			kept++
			for _, h := range t.tags {
				if !seen[h] {
					seen[h] = true
					tags = append(tags, h)
				}
			}
		}
	}
	return records, kept, tags
}

var xStart = time.Date(2022, 12, 6, 11, 0, 0, 0, time.UTC)

// TweetsJS is a single data/tweets.js of an X archive.
func TweetsJS() Fixture {
	r, k, tags := counts(xTweets[0])
	return Fixture{Name: "tweets.js", Data: tweetsJS("tweets", 0, xTweets[0], xStart, 1600000000000000000), Records: r, Kept: k, Tags: tags}
}

// XArchiveZip is the .zip X hands out: data/tweets.js and
// data/tweets-part1.js beside likes, deleted tweets, followers, the
// account, the manifest, media and the archive's HTML viewer.
func XArchiveZip() Fixture { return xArchive("twitter-2024-01-05-abc123.zip", "tweets", "tweets") }

// XArchive2020Zip is an archive of 2019-2020: the posts are data/tweet.js
// and data/tweet-part1.js, "window.YTD.tweet.part0".
func XArchive2020Zip() Fixture { return xArchive("twitter-2020-06-01-def456.zip", "tweet", "tweet") }

func xArchive(name, file, ytd string) Fixture {
	r, k, tags := counts(xTweets...)
	files := []zipFile{
		{"Your archive.html", []byte("<!DOCTYPE html><html><head><title>Your archive</title></head><body></body></html>")},
		{"data/manifest.js", []byte(`window.__THAR_CONFIG = { "userInfo" : { "accountId" : "42", "userName" : "alice" } }`)},
		{"data/account.js", []byte(`window.YTD.account.part0 = [ { "account" : { "email" : "a@example.com", "username" : "alice", "accountId" : "42" } } ]`)},
		{"data/" + file + ".js", tweetsJS(ytd, 0, xTweets[0], xStart, 1600000000000000000)},
		{"data/" + file + "-part1.js", tweetsJS(ytd, 1, xTweets[1], xStart.AddDate(0, 2, 0), 1610000000000000000)},
		{"data/deleted-tweets.js", tweetsJS("deleted_tweets", 0, []tweet{{"a deleted #tweet", "en", false, nil}}, xStart, 1500000000000000000)},
		{"data/like.js", []byte(`window.YTD.like.part0 = [ { "like" : { "tweetId" : "1", "fullText" : "#liked post", "expandedUrl" : "https://twitter.com/i/web/status/1" } } ]`)},
		{"data/follower.js", []byte(`window.YTD.follower.part0 = [ { "follower" : { "accountId" : "7", "userLink" : "https://twitter.com/intent/user?user_id=7" } } ]`)},
		{"data/tweet-headers.js", []byte(`window.YTD.tweet_headers.part0 = [ { "tweet" : { "tweet_id" : "1", "user_id" : "42", "created_at" : "Tue Dec 06 11:00:00 +0000 2022" } } ]`)},
		{"data/tweets_media/1600000000000000000-AbCdEf.jpg", jpeg()},
		{"assets/js/main.js", []byte("(function(){ var tweets = []; })();")},
	}
	return Fixture{Name: name, Data: zipOf(files), Records: r, Kept: k, Tags: tags}
}

// jpeg is the start of a JPEG file: binary, with tabs and NUL bytes.
func jpeg() []byte {
	b := []byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, '\t', 0x00}
	return append(b, bytes.Repeat([]byte{0x00, 0x80, 0xff, '\t', '\n'}, 200)...)
}

type zipFile struct {
	name string
	data []byte
}

// zipOf writes a zip archive of files, compressed as X and Mastodon do.
func zipOf(files []zipFile) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: xStart})
		if err != nil {
			panic(err) // only for names this package writes
		}
		w.Write(f.data)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Zip writes a zip archive holding the given files (name, content pairs),
// for tests that build their own layouts. It panics on an odd count.
func Zip(nameData ...any) []byte {
	if len(nameData)%2 != 0 {
		panic("posttest.Zip: name, content pairs")
	}
	var files []zipFile
	for i := 0; i < len(nameData); i += 2 {
		files = append(files, zipFile{nameData[i].(string), toBytes(nameData[i+1])})
	}
	return zipOf(files)
}

func toBytes(v any) []byte {
	switch d := v.(type) {
	case []byte:
		return d
	case string:
		return []byte(d)
	}
	panic(fmt.Sprintf("posttest: content of type %T", v))
}

// TarGz writes a .tar.gz holding the given files (name, content pairs).
func TarGz(nameData ...any) []byte {
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	for i := 0; i < len(nameData); i += 2 {
		data := toBytes(nameData[i+1])
		tw.WriteHeader(&tar.Header{Name: nameData[i].(string), Mode: 0o644, Size: int64(len(data)), ModTime: xStart, Typeflag: tar.TypeReg})
		tw.Write(data)
	}
	tw.Close()
	gz.Close()
	return b.Bytes()
}

// Gzip compresses data.
func Gzip(data []byte) []byte {
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	gz.Write(data)
	gz.Close()
	return b.Bytes()
}

// note is one activity of a Mastodon outbox.
type note struct {
	html  string // the Note's content; "" with boost for an Announce
	lang  string // contentMap key; "" for none
	boost bool
	tags  []string // hashtags of the kept post
	kept  bool
}

var mastodonNotes = []note{
	{`<p>Hello <span class="h-card"><a href="https://other.example/@bob" class="u-url mention">@<span>bob</span></a></span> &amp; all: it&#39;s <a href="https://mastodon.example/tags/Fediverse" class="mention hashtag" rel="tag">#<span>Fediverse</span></a> time!</p>`, "en", false, []string{"fediverse"}, true},
	{"", "", true, nil, false},
	{`<p>Guten Morgen <a href="https://mastodon.example/tags/Kaffee" class="mention hashtag" rel="tag">#<span>Kaffee</span></a></p>`, "de", false, []string{"kaffee"}, true},
	// No contentMap: no language; kept (Post.Kept keeps an own post in any
	// language or none), by the CLI and the page alike.
	{`<p>No language here <a href="https://mastodon.example/tags/NoLang" class="mention hashtag" rel="tag">#<span>NoLang</span></a></p>`, "-", false, []string{"nolang"}, true},
	// Only an image: no text, not kept.
	{``, "en", false, nil, false},
	{"", "", true, nil, false},
	{`<p>Shipping <a href="https://mastodon.example/tags/golang" class="mention hashtag" rel="tag">#<span>golang</span></a> code<br />today</p>`, "en", false, []string{"golang"}, true},
}

// activity writes one activity of an outbox as Mastodon does.
func activity(i int, n note) string {
	when := time.Date(2023, 3, 1+i, 9, 30, 0, 0, time.UTC).Format(time.RFC3339)
	if n.boost {
		return fmt.Sprintf(`{"id":"https://mastodon.example/users/alice/statuses/11%[1]d/activity","type":"Announce","actor":"https://mastodon.example/users/alice","published":%[2]q,"to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["https://other.example/users/bob"],"object":"https://other.example/users/bob/statuses/9%[1]d"}`, i, when)
	}
	cm := ""
	switch n.lang {
	case "-":
	default:
		cm = fmt.Sprintf(`,"contentMap":{%q:%q}`, n.lang, n.html)
	}
	attach := "[]"
	if n.html == "" {
		attach = `[{"type":"Document","mediaType":"image/png","url":"https://files.mastodon.example/media_attachments/files/1/original/a.png","name":null,"blurhash":"UAB","width":640,"height":480}]`
	}
	return fmt.Sprintf(`{"id":"https://mastodon.example/users/alice/statuses/11%[1]d/activity","type":"Create","actor":"https://mastodon.example/users/alice","published":%[2]q,"to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["https://mastodon.example/users/alice/followers"],"object":{"id":"https://mastodon.example/users/alice/statuses/11%[1]d","type":"Note","summary":null,"inReplyTo":null,"published":%[2]q,"url":"https://mastodon.example/@alice/11%[1]d","attributedTo":"https://mastodon.example/users/alice","to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["https://mastodon.example/users/alice/followers"],"sensitive":false,"atomUri":"https://mastodon.example/users/alice/statuses/11%[1]d","inReplyToAtomUri":null,"conversation":"tag:mastodon.example,2023-03-01:objectId=1%[1]d:objectType=Conversation","content":%[3]q%[4]s,"attachment":%[5]s,"tag":[],"replies":{"id":"https://mastodon.example/users/alice/statuses/11%[1]d/replies","type":"Collection","first":{"type":"CollectionPage","next":"https://mastodon.example/users/alice/statuses/11%[1]d/replies?only_other_accounts=true&page=true","partOf":"https://mastodon.example/users/alice/statuses/11%[1]d/replies","items":[]}}},"signature":{"type":"RsaSignature2017","creator":"https://mastodon.example/users/alice#main-key","created":%[2]q,"signatureValue":"c2lnbmF0dXJl"}}`,
		i, when, n.html, cm, attach)
}

func mastodonCounts() (records, kept int, tags []string) {
	for _, n := range mastodonNotes {
		records++
		if n.kept {
			kept++
			tags = append(tags, n.tags...)
		}
	}
	return records, kept, tags
}

func activities() string {
	var items []string
	for i, n := range mastodonNotes {
		items = append(items, activity(i, n))
	}
	return strings.Join(items, ",\n")
}

const outboxStart = `{"@context":["https://www.w3.org/ns/activitystreams",{"ostatus":"http://ostatus.org#","atomUri":"ostatus:atomUri","sensitive":"as:sensitive","toot":"http://joinmastodon.org/ns#","blurhash":"toot:blurhash"}],"id":"outbox.json","type":"OrderedCollection","totalItems":%d,`

// Outbox is a Mastodon outbox.json. With dupKey it is written as Mastodon
// 4 has written some: "orderedItems":[] and then "orderedItems":[...].
func Outbox(dupKey bool) Fixture {
	r, k, tags := mastodonCounts()
	dup := ""
	if dupKey {
		dup = `"orderedItems":[],`
	}
	data := fmt.Sprintf(outboxStart, len(mastodonNotes)) + dup + "\"orderedItems\":[\n" + activities() + "\n]}"
	return Fixture{Name: "outbox.json", Data: []byte(data), Records: r, Kept: k, Tags: tags}
}

// ActivityPubArray is a bare JSON array of the outbox's activities (a
// saved page of an outbox).
func ActivityPubArray() Fixture {
	r, k, tags := mastodonCounts()
	return Fixture{Name: "activities.json", Data: []byte("[\n" + activities() + "\n]\n"), Records: r, Kept: k, Tags: tags}
}

// EmptyOutbox is an outbox with no activities although totalItems says
// there are some (the duplicate-key bug without the second array).
func EmptyOutbox() Fixture {
	return Fixture{Name: "outbox.json", Data: []byte(fmt.Sprintf(outboxStart, 1586) + `"orderedItems":[]}`), Reason: "empty outbox"}
}

// LikesJSON is a Mastodon export's likes.json: the liked posts' URLs.
func LikesJSON() Fixture {
	var urls []string
	for i := 0; i < 5; i++ {
		urls = append(urls, fmt.Sprintf("%q", fmt.Sprintf("https://other.example/users/bob/statuses/10%d", i)))
	}
	data := `{"@context":"https://www.w3.org/ns/activitystreams","id":"likes.json","type":"OrderedCollection","orderedItems":[` + strings.Join(urls, ",") + "]}"
	return Fixture{Name: "likes.json", Data: []byte(data), Reason: "a list of 5 posts by URL"}
}

// mastodonFiles are the files of a Mastodon export, the outbox with the
// duplicate key.
func mastodonFiles() []any {
	return []any{
		"actor.json", `{"@context":"https://www.w3.org/ns/activitystreams","id":"actor.json","type":"Person","preferredUsername":"alice","name":"Alice","summary":"<p>#hashtags here are not posts</p>","icon":{"type":"Image","mediaType":"image/png","url":"avatar.png"}}`,
		"avatar.png", jpeg(),
		"bookmarks.json", `{"@context":"https://www.w3.org/ns/activitystreams","id":"bookmarks.json","type":"OrderedCollection","orderedItems":["https://other.example/users/bob/statuses/5"]}`,
		"likes.json", LikesJSON().Data,
		"outbox.json", Outbox(true).Data,
		"media_attachments/files/110/000/001/original/a.png", jpeg(),
	}
}

// MastodonZip is the .zip a Mastodon 4 server hands out.
func MastodonZip() Fixture {
	r, k, tags := mastodonCounts()
	return Fixture{Name: "archive-20240105-alice.zip", Data: Zip(mastodonFiles()...), Records: r, Kept: k, Tags: tags}
}

// MastodonTarGz is the .tar.gz older Mastodon servers handed out.
func MastodonTarGz() Fixture {
	r, k, tags := mastodonCounts()
	return Fixture{Name: "archive-20200105-alice.tar.gz", Data: TarGz(mastodonFiles()...), Records: r, Kept: k, Tags: tags}
}

// grailbirdMonths are the tweets of an archive from before 2019.
var grailbirdMonths = []struct {
	month  string
	tweets []tweet
}{
	{"2013_01", []tweet{
		{"Snow day! #winter", "", false, []string{"winter"}},
		{"RT @nasa: Look up tonight #Comet", "", true, nil},
		{"New blog post on #golang &amp; #concurrency http://t.co/abc", "", false, []string{"golang", "concurrency"}},
	}},
	{"2013_02", []tweet{
		{"@bob see you at #FOSDEM", "", false, []string{"fosdem"}},
		{"Just setting up my twttr", "", false, nil},
	}},
}

// grailbirdStatus writes one status of a Grailbird month.
func grailbirdStatus(id int, t tweet, when time.Time) string {
	rt := ""
	if t.retweet {
		rt = `,
  "retweeted_status" : {
    "source" : "web",
    "id_str" : "1",
    "text" : "Look up tonight #Comet",
    "created_at" : "2013-01-30 20:00:00 +0000",
    "user" : { "screen_name" : "nasa", "id_str" : "11348282" }
  }`
	}
	return fmt.Sprintf(`{
  "source" : "\u003Ca href=\"http:\/\/twitter.com\/download\/iphone\" rel=\"nofollow\"\u003ETwitter for iPhone\u003C\/a\u003E",
  "entities" : {
    "user_mentions" : [ ],
    "media" : [ ],
    "hashtags" : [ ],
    "urls" : [ ]
  },
  "geo" : { },
  "id_str" : "%[1]d",
  "text" : %[2]q,
  "id" : %[1]d,
  "created_at" : "%[3]s",
  "user" : {
    "name" : "Alice",
    "screen_name" : "alice",
    "protected" : false,
    "id_str" : "42",
    "profile_image_url_https" : "https:\/\/si0.twimg.com\/profile_images\/1\/a_normal.png",
    "id" : 42,
    "verified" : false
  }%[4]s
}`, id, t.text, when.Format("2006-01-02 15:04:05 -0700"), rt)
}

// GrailbirdMonth is data/js/tweets/YYYY_MM.js of month i (0 or 1).
func GrailbirdMonth(i int) Fixture {
	m := grailbirdMonths[i]
	var items []string
	start, _ := time.Parse("2006_01", m.month)
	for j, t := range m.tweets {
		items = append(items, grailbirdStatus(300000000000000000+100*i+j, t, start.Add(time.Duration(j+1)*31*time.Hour)))
	}
	r, k, tags := counts(m.tweets)
	data := "Grailbird.data.tweets_" + m.month + " = \n [ " + strings.Join(items, ", ") + " ]"
	return Fixture{Name: m.month + ".js", Data: []byte(data), Records: r, Kept: k, Tags: tags}
}

// GrailbirdFiles is the folder data/js/tweets/: every month, by file name.
func GrailbirdFiles() (map[string][]byte, Fixture) {
	files := map[string][]byte{}
	var all []tweet
	for i, m := range grailbirdMonths {
		files[m.month+".js"] = GrailbirdMonth(i).Data
		all = append(all, m.tweets...)
	}
	r, k, tags := counts(all)
	return files, Fixture{Name: "tweets", Records: r, Kept: k, Tags: tags}
}

// TweetsCSV is the tweets.csv at the root of an archive from before 2019,
// with the same tweets as the Grailbird months; its columns in the order
// Twitter wrote them, or in another order when shuffled.
func TweetsCSV(shuffled bool) Fixture {
	cols := []string{"tweet_id", "in_reply_to_status_id", "in_reply_to_user_id", "timestamp", "source", "text",
		"retweeted_status_id", "retweeted_status_user_id", "retweeted_status_timestamp", "expanded_urls"}
	if shuffled {
		cols = []string{"text", "timestamp", "tweet_id", "expanded_urls", "retweeted_status_id", "source",
			"in_reply_to_status_id", "in_reply_to_user_id", "retweeted_status_user_id", "retweeted_status_timestamp"}
	}
	var b strings.Builder
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	for i, c := range cols {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(quote(c))
	}
	b.WriteString("\n")
	var all []tweet
	for i, m := range grailbirdMonths {
		start, _ := time.Parse("2006_01", m.month)
		for j, t := range m.tweets {
			all = append(all, t)
			v := map[string]string{
				"tweet_id":              fmt.Sprint(300000000000000000 + 100*i + j),
				"timestamp":             start.Add(time.Duration(j+1) * 31 * time.Hour).Format("2006-01-02 15:04:05 -0700"),
				"source":                `<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>`,
				"text":                  t.text,
				"expanded_urls":         "http://example.com/a,http://example.com/b",
				"in_reply_to_status_id": "", "in_reply_to_user_id": "",
				"retweeted_status_id": "", "retweeted_status_user_id": "", "retweeted_status_timestamp": "",
			}
			if t.retweet {
				v["retweeted_status_id"], v["retweeted_status_user_id"], v["retweeted_status_timestamp"] = "1", "11348282", "2013-01-30 20:00:00 +0000"
			}
			for k, c := range cols {
				if k > 0 {
					b.WriteString(",")
				}
				b.WriteString(quote(v[c]))
			}
			b.WriteString("\n")
		}
	}
	r, k, tags := counts(all)
	return Fixture{Name: "tweets.csv", Data: []byte(b.String()), Records: r, Kept: k, Tags: tags}
}

// OldArchiveZip is a Twitter archive of 2013: tweets.csv at the root and
// the same tweets as Grailbird months in data/js/tweets/, with the
// viewer's files. Only the months are read (they are the richer copy).
func OldArchiveZip() Fixture {
	files, f := GrailbirdFiles()
	f.Name = "tweets-2013.zip"
	f.Data = Zip(
		"index.html", "<html><body>Your Twitter archive</body></html>",
		"tweets.csv", TweetsCSV(false).Data,
		"css/application.min.css", "body{}",
		"data/js/payload_details.js", `var payload_details = { "tweets" : 5, "created_at" : "2013-03-01 10:00:00 +0000", "lang" : "en" }`,
		"data/js/tweet_index.js", `var tweet_index = [ { "file_name" : "data\/js\/tweets\/2013_02.js", "year" : 2013, "var_name" : "tweets_2013_02", "tweet_count" : 2, "month" : 2 } ]`,
		"data/js/user_details.js", `var user_details = { "screen_name" : "alice", "id" : "42" }`,
		"data/js/tweets/2013_01.js", files["2013_01.js"],
		"data/js/tweets/2013_02.js", files["2013_02.js"],
		"img/bg.png", jpeg(),
	)
	return f
}
