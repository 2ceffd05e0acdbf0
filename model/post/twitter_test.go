package post

import (
	"errors"
	"strings"
	"testing"
)

// Statuses shaped like Twitter API v1.1 output (fields cut down, but the
// ones a reader must skip are there: entities, nested user, numbers).
const (
	// An extended-mode status: full_text, entities, a user object.
	statusFull = `{"created_at":"Wed Oct 10 20:19:24 +0000 2018","id":1050118621198921728,"id_str":"1050118621198921728","full_text":"To make room for more expression, we will now count all emojis as equal—including those with gender‍‍ and skin t… #Emoji &amp; more https://t.co/MkGjXf9aXm","truncated":false,"display_text_range":[0,140],"entities":{"hashtags":[{"text":"Emoji","indices":[114,120]}],"symbols":[],"user_mentions":[],"urls":[]},"user":{"id":6253282,"id_str":"6253282","name":"Twitter API","screen_name":"TwitterAPI","followers_count":6172353},"retweet_count":161,"favorited":false,"lang":"en"}`
	// A retweet: retweeted_status is present.
	statusRetweet = `{"created_at":"Thu Oct 11 08:00:00 +0000 2018","id_str":"2","text":"RT @TwitterAPI: To make room #Emoji","user":{"id_str":"99","screen_name":"fan"},"retweeted_status":{"created_at":"Wed Oct 10 20:19:24 +0000 2018","text":"To make room #Emoji","user":{"screen_name":"TwitterAPI"}},"lang":"en"}`
	// trim_user, a time zone offset that crosses midnight, and a null
	// retweeted_status.
	statusTrimmed = `{"created_at":"Mon Jan 01 01:30:00 +0200 2018","id_str":"3","text":"#Happy new year","user":{"id":123,"id_str":"123"},"retweeted_status":null,"lang":"de"}`
	// A streaming API status in compatibility mode: text is truncated, the
	// full text is in extended_tweet.
	statusStream = `{"created_at":"Fri Oct 12 00:00:01 +0000 2018","id_str":"4","text":"A long one that is cut… https://t.co/x","truncated":true,"extended_tweet":{"full_text":"A long one that is cut here but goes on #LongRead","entities":{}},"user":{"screen_name":"writer"},"lang":"en"}`
	// Both text and full_text: full_text wins.
	statusBoth = `{"created_at":"Sat Oct 13 12:00:00 +0000 2018","text":"short #a","full_text":"long #b","user":{"screen_name":"both"}}`
	// A streaming API deletion notice: not a status, ignored.
	streamDelete = `{"delete":{"status":{"id":1,"id_str":"1","user_id":3,"user_id_str":"3"},"timestamp_ms":"1539000000000"}}`
)

var twitterGoodPosts = []Post{
	{Author: "TwitterAPI", Time: "2018-10-10 20:19:24", Text: "To make room for more expression, we will now count all emojis as equal—including those with gender‍‍ and skin t… #Emoji &amp; more https://t.co/MkGjXf9aXm", Lang: "en", Tags: []string{"emoji"}},
	{Author: "fan", Time: "2018-10-11 08:00:00", Text: "RT @TwitterAPI: To make room #Emoji", Lang: "en", Retweet: true, Tags: []string{"emoji"}},
	{Author: "123", Time: "2017-12-31 23:30:00", Text: "#Happy new year", Lang: "de", Tags: []string{"happy"}},
	{Author: "writer", Time: "2018-10-12 00:00:01", Text: "A long one that is cut here but goes on #LongRead", Lang: "en", Tags: []string{"longread"}},
	{Author: "both", Time: "2018-10-13 12:00:00", Text: "long #b", Tags: []string{"b"}},
}

func TestTwitterJSONGood(t *testing.T) {
	statuses := []string{statusFull, statusRetweet, statusTrimmed, statusStream, streamDelete, statusBoth}
	files := map[string]string{
		// An array on one line, as the REST API returns it.
		"timeline.json": "[" + strings.Join(statuses, ",") + "]",
		// An array pretty-printed over several lines, with a BOM.
		"pretty.json": "\ufeff[\n  " + strings.Join(statuses, ",\n  ") + "\n]\n",
		// JSON Lines, as a streaming capture, with a blank line and CRLF.
		"stream.jsonl": strings.Join(statuses[:3], "\n") + "\n\n" + strings.Join(statuses[3:], "\r\n") + "\r\n",
		// Objects spread over lines, one after the other.
		"concat.json": strings.Join(statuses, "\n"),
		// JSON Lines, gzipped.
		"stream.jsonl.gz": strings.Join(statuses, "\n") + "\n",
	}
	files["concat.json"] = strings.ReplaceAll(files["concat.json"], `,"user":`, ",\n  \"user\":")
	for name, content := range files {
		t.Run(name, func(t *testing.T) {
			r := readGood(t, name, content, FormatTwitterJSON)
			checkPosts(t, r.posts, twitterGoodPosts)
			if r.stats.Records != 5 || r.stats.Ignored != 1 || r.stats.Bad != 0 {
				t.Errorf("stats %+v, want 5 records and 1 ignored", r.stats)
			}
		})
	}
}

func TestTwitterJSONBadRecords(t *testing.T) {
	// One record per line so that lines are easy to check; the array is
	// still parseable, so every fault is a bad record and reading goes on.
	lines := []string{
		"[",                // line 1
		statusFull + ",",   // 2
		`"just a string",`, // 3
		`{"id_str":"5","user":{"screen_name":"x"},"created_at":"Wed Oct 10 20:19:24 +0000 2018"},`,                         // 4: no text
		`{"text":5,"user":{"screen_name":"x"},"created_at":"Wed Oct 10 20:19:24 +0000 2018"},`,                             // 5
		`{"text":"hi","user":{"screen_name":7},"created_at":"Wed Oct 10 20:19:24 +0000 2018"},`,                            // 6
		`{"text":"hi","user":{"screen_name":"x"},"created_at":"2018-10-10T20:19:24Z"},`,                                    // 7
		"{\"text\":\"caf\xe9\",\"user\":{\"screen_name\":\"x\"},\"created_at\":\"Wed Oct 10 20:19:24 +0000 2018\"},",       // 8
		`{"text":"no user","created_at":"Wed Oct 10 20:19:24 +0000 2018"},`,                                                // 9
		`{"text":"no time","user":{"screen_name":"x"}},`,                                                                   // 10
		`{"statuses":[],"search_metadata":{}},`,                                                                            // 11
		`[1,2],`,                                                                                                           // 12
		`{"data":{"id":"1","text":"v2"}},`,                                                                                 // 13
		`{"text":"hi","user":{"screen_name":"x"},"created_at":"Wed Oct 10 20:19:24 +0000 2018","retweeted_status":"yes"},`, // 14: any non-null is a retweet
		statusBoth, // 15
		"]",
	}
	want := []badRecord{
		{3, "", "is a string, expected a JSON object"},
		{4, "", `not a Twitter status: it has no "text" or "full_text" (its keys: created_at, id_str, user)`},
		{5, "text", "is a JSON number, expected a string"},
		{6, "user.screen_name", "is a JSON number, expected a string"},
		{7, "created_at", `"2018-10-10T20:19:24Z" is not a time`},
		{8, "", "not valid UTF-8"},
		{9, "user", "missing"},
		{10, "created_at", "missing"},
		{11, "", "search API response"},
		{12, "", "is an array, expected a JSON object"},
		{13, "", "Twitter API v2"},
	}
	content := strings.Join(lines, "\n")
	path := writeFile(t, "bad.json", []byte(content))
	r := readPath(t, path, FormatTwitterJSON, Options{MaxErrors: 20})
	checkBadFile(t, r, path, 20, want)

	r = readPath(t, path, FormatTwitterJSON, Options{SkipBad: true})
	if r.err != nil {
		t.Fatal(r.err)
	}
	checkPosts(t, r.posts, []Post{
		twitterGoodPosts[0],
		{Author: "x", Time: "2018-10-10 20:19:24", Text: "hi", Retweet: true},
		twitterGoodPosts[4],
	})
	if r.stats.Records != 3 || r.stats.Bad != len(want) {
		t.Errorf("stats %+v", r.stats)
	}
	checkRecordErrors(t, r.stats.Errors, path, 0, want)
	for i, e := range r.stats.Errors {
		if e.Record != i+2 {
			t.Errorf("error %d is record %d, want %d", i, e.Record, i+2)
		}
	}
}

func TestTwitterJSONLinesBadLines(t *testing.T) {
	// In JSON Lines a line that is not JSON is one bad record; the next
	// line is read as usual.
	content := statusFull + "\n" +
		`{"text":"cut short","user":{"screen_name":"x"},"created_at":"Wed Oct 1` + "\n" + // line 2: truncated
		`{"text": "two objects"}{"text":"on one line"}` + "\n" + // line 3
		statusBoth + "\n" +
		"\n" +
		`not json at all` + "\n" + // line 6
		statusTrimmed // line 7, no newline at the end
	path := writeFile(t, "s.jsonl", []byte(content))
	want := []badRecord{
		{2, "", "is not valid JSON"},
		{3, "", "is not valid JSON"},
		{6, "", "is not valid JSON"},
	}
	r := readPath(t, path, "", Options{})
	checkBadFile(t, r, path, 0, want)
	r = readPath(t, path, "", Options{SkipBad: true})
	if r.err != nil {
		t.Fatal(r.err)
	}
	checkPosts(t, r.posts, []Post{twitterGoodPosts[0], twitterGoodPosts[4], twitterGoodPosts[2]})
}

func TestTwitterJSONSyntaxError(t *testing.T) {
	cases := []struct {
		name, content string
		line          int
		msg           string
		posts         int
	}{
		{"missing comma mid-array",
			"[\n" + statusFull + ",\n" + statusBoth + ",\n" + `{"text":"a" "user":{}}` + ",\n" + statusBoth + "\n]",
			4, "column 13: JSON syntax error: invalid character '\"' after object key:value pair", 2},
		{"missing comma between elements",
			"[" + statusFull + "\n\n" + statusBoth + "]",
			3, "column 1: JSON syntax error", 1},
		{"stray comma", "[\n" + statusBoth + ",\n]", 3, "column 1: JSON syntax error: invalid character ']'", 1},
		{"truncated array", "[\n" + statusBoth + ",\n" + statusBoth[:20], 3, "file ends inside a JSON value", 1},
		{"unclosed array", "[\n" + statusBoth + "\n", 3, "file ends inside a JSON value", 1},
		{"garbage after the array", "[" + statusBoth + "]\n\n  x", 3, `column 3: unexpected 'x' after the end of the array`, 1},
		{"newline in a string", "[\n" + statusBoth + ",\n{\"text\":\"a\nb\"}]", 3, "invalid character '\\n' in string literal", 1},
		// The first line is no whole value, so the file is a stream of
		// values and a syntax error ends it.
		{"concatenated, broken", "{\n" + statusBoth[1:] + "\n{\n \"text\": \"x\",\n \"user\" {}\n}", 5, "column 9: JSON syntax error", 1},
		// So is a JSON Lines file whose first line is broken.
		{"first line broken", statusBoth[:30] + "\n" + statusBoth, 1, `column 31: JSON syntax error: invalid character '\n' in string literal`, 0},
		{"not JSON", "hello", 1, "column 1: found 'h'", 0},
		{"empty", "\n \n", 1, "empty file", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, "x.json", []byte(c.content))
			for _, skip := range []bool{false, true} {
				r := readPath(t, path, FormatTwitterJSON, Options{SkipBad: skip})
				checkFatal(t, r.err, path, c.line, c.msg)
				if len(r.posts) != c.posts {
					t.Errorf("SkipBad %v: %d posts before the error, want %d", skip, len(r.posts), c.posts)
				}
			}
		})
	}
}

// archiveTweet is an element of a 2020s tweets.js.
const archiveTweet = `{
    "tweet" : {
      "edit_info" : { "initial" : { "editTweetIds" : [ "1600000000000000000" ], "editableUntil" : "2022-12-06T12:00:00.000Z", "editsRemaining" : "5", "isEditEligible" : true } },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : { "hashtags" : [ { "text" : "GoLang", "indices" : [ "10", "17" ] } ], "symbols" : [ ], "user_mentions" : [ ], "urls" : [ ] },
      "display_text_range" : [ "0", "30" ],
      "favorite_count" : "3",
      "id_str" : "1600000000000000000",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1600000000000000000",
      "created_at" : "Tue Dec 06 11:00:00 +0000 2022",
      "favorited" : false,
      "full_text" : "Learning #GoLang &amp; liking it",
      "lang" : "en"
    }
  }`

func TestTweetsJSGood(t *testing.T) {
	retweet := `{ "tweet" : { "retweeted" : false, "id_str" : "2", "created_at" : "Wed Dec 07 01:02:03 +0100 2022", "full_text" : "RT @gopher: #Go 1.20 is out", "lang" : "en" } }`
	old := `{ "retweeted" : false, "id_str" : "3", "created_at" : "Thu Dec 08 00:00:00 +0000 2022", "full_text" : "old archive, no wrapper #Old", "lang" : "und" }`
	want := []Post{
		{Time: "2022-12-06 11:00:00", Text: "Learning #GoLang &amp; liking it", Lang: "en", Tags: []string{"golang"}, Own: true},
		{Time: "2022-12-07 00:02:03", Text: "RT @gopher: #Go 1.20 is out", Lang: "en", Retweet: true, Tags: []string{"go"}, Own: true},
		{Time: "2022-12-08 00:00:00", Text: "old archive, no wrapper #Old", Lang: "und", Tags: []string{"old"}, Own: true},
	}
	for name, content := range map[string]string{
		"tweets.js":    "window.YTD.tweets.part0 = [ " + archiveTweet + ", " + retweet + ", " + old + " ]",
		"tweet.js":     "window.YTD.tweet.part0 = [\n" + archiveTweet + ",\n" + retweet + ",\n" + old + "\n];\n",
		"tweets.js.gz": "window.YTD.tweets.part0 = [" + archiveTweet + "," + retweet + "," + old + "]",
	} {
		t.Run(name, func(t *testing.T) {
			r := readGood(t, name, content, FormatTweetsJS)
			checkPosts(t, r.posts, want)
		})
	}
}

func TestTweetsJSBad(t *testing.T) {
	content := "window.YTD.tweets.part0 = [\n" + // 1
		archiveTweet + ",\n" + // 2-19
		`{ "tweet" : { "id_str" : "5", "created_at" : "Tue Dec 06 11:00:00 +0000 2022" } },` + "\n" + // 20: no text
		`{ "tweet" : { "full_text" : "x", "created_at" : "yesterday" } },` + "\n" + // 21
		`{ "tweet" : "not an object" },` + "\n" + // 22
		`{ "tweet" : { "full_text" : ["x"], "created_at" : "Tue Dec 06 11:00:00 +0000 2022" } },` + "\n" + // 23
		`{ "tweet" : { "full_text" : "ok", "created_at" : "Tue Dec 06 11:00:00 +0000 2022" } }` + "\n" + // 24
		"]\n"
	path := writeFile(t, "tweets.js", []byte(content))
	want := []badRecord{
		{20, "full_text", "missing: not an archived tweet"},
		{21, "tweet.created_at", `"yesterday" is not a time`},
		{22, "tweet", "is a JSON string, expected an object"},
		{23, "tweet.full_text", "is a JSON array, expected a string"},
	}
	r := readPath(t, path, "", Options{})
	checkBadFile(t, r, path, 0, want)
	r = readPath(t, path, "", Options{SkipBad: true})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if len(r.posts) != 2 || r.posts[1].Text != "ok" || r.stats.Bad != 4 {
		t.Errorf("posts %+v, stats %+v", r.posts, r.stats)
	}

	for _, c := range []struct{ name, content, msg string }{
		{"no assignment", `[{"tweet":{}}]`, "expected a tweets.js file"},
		{"not YTD", `var x = [{"tweet":{}}]`, "expected a tweets.js file"},
		{"not an array", "window.YTD.tweets.part0 = {}", "expected the array of tweets"},
		{"syntax error", "window.YTD.tweets.part0 = [\n" + archiveTweet + "\n{}]", "JSON syntax error"},
	} {
		r := readString(c.content, "t.js", FormatTweetsJS, Options{SkipBad: true})
		var re *RecordError
		if !errors.As(r.err, &re) || !strings.Contains(re.Msg, c.msg) {
			t.Errorf("%s: err = %v, want a *RecordError saying %q", c.name, r.err, c.msg)
		}
	}
}
