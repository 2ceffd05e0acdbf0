package post

import (
	"strings"
	"testing"
)

// iraHeader is the header of data/ira/ira_tweets.csv.gz.
const iraHeader = "external_author_id,author,content,region,language,publish_date,harvested_date,following,followers,updates,post_type,account_type,retweet,account_category\n"

// iraGood holds rows shaped like the corpus's: a plain English tweet, a
// quoted content with a comma, doubled quotes, an entity and a newline, a
// retweet in Russian, and the original release's M/D/YYYY H:MM date.
const iraGood = iraHeader +
	"906000000000000000,10_gop,We're baaaaack. What did we miss?  #FreeTennessee,Unknown,English,2017-09-07 19:52:00,2017-09-07 19:52:00,0,0,1,,Right,0,RightTroll\n" +
	"906000000000000000,10_gop,\"Say \"\"no\"\", then #MAGA &amp; go,\n#Tcot line two\",United States,English,2017-09-08 01:02:03,2017-09-08 01:02:03,161,10,3,,Right,0,RightTroll\n" +
	"2500000000,AANTONOV,\"RT @x: Привет #Россия\",Russian Federation,Russian,2016-01-02 03:04:05,2016-01-02 03:04:05,1,2,3,RETWEET,Russian,1,NonEnglish\r\n" +
	"2500000001,ABC_news,Storm warning #news,United States,English,9/7/2017 20:54,9/7/2017 20:55,5,6,7,,Local,0,NewsFeed\n"

var iraGoodPosts = []Post{
	{Author: "10_gop", Time: "2017-09-07 19:52:00", Text: "We're baaaaack. What did we miss?  #FreeTennessee", Lang: "English", Tags: []string{"freetennessee"}},
	{Author: "10_gop", Time: "2017-09-08 01:02:03", Text: "Say \"no\", then #MAGA &amp; go,\n#Tcot line two", Lang: "English", Tags: []string{"maga", "tcot"}},
	{Author: "AANTONOV", Time: "2016-01-02 03:04:05", Text: "RT @x: Привет #Россия", Lang: "Russian", Retweet: true, Tags: []string{"россия"}},
	{Author: "ABC_news", Time: "2017-09-07 20:54:00", Text: "Storm warning #news", Lang: "English", Tags: []string{"news"}},
}

func TestIRAGood(t *testing.T) {
	for _, name := range []string{"ira_tweets.csv", "ira_tweets.csv.gz"} {
		t.Run(name, func(t *testing.T) {
			r := readGood(t, name, iraGood, FormatIRA)
			checkPosts(t, r.posts, iraGoodPosts)
			if r.stats.Records != 4 || r.stats.Bad != 0 || r.stats.Ignored != 0 {
				t.Errorf("stats %+v", r.stats)
			}
		})
	}
}

func TestIRAColumnsByName(t *testing.T) {
	// Columns in another order, with a BOM and extra columns.
	content := "\ufeffretweet,publish_date,language,content,extra,author\n0,2017-01-01 00:00:00,English,hi #there,x,bob\n"
	r := readString(content, "x.csv", FormatIRA, Options{})
	if r.err != nil {
		t.Fatal(r.err)
	}
	checkPosts(t, r.posts, []Post{{Author: "bob", Time: "2017-01-01 00:00:00", Text: "hi #there", Lang: "English", Tags: []string{"there"}}})
}

// iraBad has one good row between bad ones, one per kind of fault.
const iraBad = iraHeader +
	"1,good,fine #ok,U,English,2017-01-01 00:00:00,x,0,0,0,,R,0,C\n" + // line 2
	"2,bad_date,text,U,English,2017-13-01,x,0,0,0,,R,0,C\n" + // line 3
	"3,bad_utf8,caf\xe9,U,English,2017-01-01 00:00:00,x,0,0,0,,R,0,C\n" + // line 4
	"4,short,text,U,English\n" + // line 5: missing columns
	"5,bare\"quote,text,U,English,2017-01-01 00:00:00,x,0,0,0,,R,0,C\n" + // line 6
	"6\"x,bare quote in the first field,U,English,2017-01-01 00:00:00,x,0,0,0,,R,0,C\n" + // line 7
	"7,bad_rt,text,U,English,2017-01-01 00:00:00,x,0,0,0,,R,yes,C\n" + // line 8
	"8,good2,\"also fine\",U,English,2017-01-02 00:00:00,x,0,0,0,,R,0,C\n" + // line 9
	"9,unclosed,\"this quote never closes,U,English,2017-01-01 00:00:00,x,0,0,0,,R,0,C\n" + // line 10
	"10,lost,swallowed by the open quote,U,English,2017-01-01 00:00:00,x,0,0,0,,R,0,C\n"

var iraBadRecords = []badRecord{
	{3, "publish_date", "not a date"},
	{4, "content", "not valid UTF-8"},
	{5, "", "has 5 fields, expected 14"},
	{6, "", "bare \" in non-quoted-field"},
	{7, "", "bare \" in non-quoted-field"},
	{8, "retweet", "expected 0 or 1"},
	{10, "", "lines 10-11 are skipped"},
}

func TestIRABad(t *testing.T) {
	path := writeFile(t, "bad.csv", []byte(iraBad))
	r := readPath(t, path, FormatIRA, Options{MaxErrors: 10})
	checkBadFile(t, r, path, 10, iraBadRecords)

	// By default the first 5 are listed, and the message says how many more.
	r = readPath(t, path, FormatIRA, Options{})
	checkBadFile(t, r, path, 0, iraBadRecords)
	if !strings.Contains(r.err.Error(), "and 2 more") {
		t.Errorf("message %q does not say 2 more errors are not listed", r.err)
	}

	r = readPath(t, path, FormatIRA, Options{SkipBad: true})
	if r.err != nil {
		t.Fatal(r.err)
	}
	checkPosts(t, r.posts, []Post{
		{Author: "good", Time: "2017-01-01 00:00:00", Text: "fine #ok", Lang: "English", Tags: []string{"ok"}},
		{Author: "good2", Time: "2017-01-02 00:00:00", Text: "also fine", Lang: "English", Tags: nil},
	})
	if r.stats.Records != 2 || r.stats.Bad != len(iraBadRecords) {
		t.Errorf("stats %+v, want 2 records and %d bad", r.stats, len(iraBadRecords))
	}
	checkRecordErrors(t, r.stats.Errors, path, 0, iraBadRecords)
}

func TestIRAMissingColumn(t *testing.T) {
	content := strings.Replace(iraGood, ",retweet,", ",retweeted,", 1)
	path := writeFile(t, "nocol.csv", []byte(content))
	r := readPath(t, path, FormatIRA, Options{SkipBad: true})
	checkFatal(t, r.err, path, 1, `no column "retweet"`)
	if len(r.posts) != 0 {
		t.Errorf("%d posts read from a file without its columns", len(r.posts))
	}
}

func TestIRAEmpty(t *testing.T) {
	r := readString("", "empty.csv", FormatIRA, Options{})
	checkFatal(t, r.err, "empty.csv", 1, "empty file")
}
