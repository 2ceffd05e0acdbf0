package text

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		// Hashtags go; URLs and mentions go; stopwords go.
		{"Check this out https://t.co/abc @user #tag great game!!", []string{"check", "great", "game"}},
		{"We're baaaaack. What did we miss?  #FreeTennessee", []string{"baaaaack", "miss"}},
		{"RT @bob: via amp rt", nil},
		// URLs of each kind, in any case, up to the next space.
		{"a http://x.com/p?q=1 b", nil},
		{"see HTTPS://EXAMPLE.COM/x,y and www.example.com/z ok", []string{"see", "ok"}},
		{"pic.twitter.com/AbC123 photo", []string{"photo"}},
		{"url:https://t.co/x.", []string{"url"}},
		// Mentions: '@' and hashtag characters.
		{"@Ünïcode_1: hi there @ lonely", []string{"hi", "lonely"}},
		{"mail me@example.com now", []string{"mail", "example", "com"}}, // an e-mail address is no mention
		// Entities are decoded after hashtags are removed.
		{"Tom &amp; Jerry&#39;s show &lt;3", []string{"tom", "jerrys", "show"}},
		{"&#35;tag is text, not a hashtag", []string{"tag", "text", "hashtag"}},
		{"&amp;lt;", []string{"lt"}}, // decoded once
		{"&amp;amp;", nil},           // "amp" is a stopword
		// Apostrophes inside a word are dropped; others separate.
		{"don't can’t rock'n'roll 'quoted' o'", []string{"cant", "rocknroll", "quoted"}},
		{"it's isn't shouldn't've", []string{"shouldntve"}},
		// One-rune words and all-digit words go; mixed ones stay.
		{"a b 2017 ١٢٣ top10 x1 éé", []string{"top10", "x1", "éé"}},
		// Any other character separates words.
		{"e-mail hello—world snake_case dots.and.things", []string{"mail", "hello", "world", "snake", "case", "dots", "things"}},
		// Unicode words, lower-cased.
		{"Привет МИР 日本語 Straße", []string{"привет", "мир", "日本語", "straße"}},
		{"cafe\u0301 CAFÉ", []string{"cafe\u0301", "café"}},
		// What stripping leaves of "#a#bc": "#bc" was no hashtag.
		{"#a#bc", []string{"bc"}},
		// Invalid UTF-8 separates words.
		{"ab\xffcd \xfe", []string{"ab", "cd"}},
	}
	for _, c := range cases {
		if got := Tokens(c.in, 0); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTokensMaxWords(t *testing.T) {
	var words []string
	for i := 1; i <= 60; i++ {
		words = append(words, fmt.Sprintf("word%02d", i))
	}
	s := "the " + strings.Join(words, " and ") + " #tag"
	got := Tokens(s, 0)
	if len(got) != MaxWords || MaxWords != 52 {
		t.Fatalf("got %d words, want %d (the paper's 52)", len(got), MaxWords)
	}
	if !reflect.DeepEqual(got, words[:52]) {
		t.Errorf("got %q, want the first 52 words", got)
	}
	if got := Tokens(s, 5); !reflect.DeepEqual(got, words[:5]) {
		t.Errorf("Tokens(s, 5) = %q", got)
	}
	if got := Tokens(s, -1); len(got) != MaxWords {
		t.Errorf("Tokens(s, -1) gave %d words", len(got))
	}
	// Exactly max words, the last one at the end of the text.
	if got := Tokens("one two three", 3); !reflect.DeepEqual(got, []string{"one", "two", "three"}) {
		t.Errorf("Tokens(one two three, 3) = %q", got)
	}
}

func TestAppendTokens(t *testing.T) {
	dst := []string{"keep"}
	got := AppendTokens(dst, "hello world", 0)
	if !reflect.DeepEqual(got, []string{"keep", "hello", "world"}) {
		t.Errorf("AppendTokens = %q", got)
	}
	// max counts the appended words only.
	got = AppendTokens([]string{"x", "y"}, "hello world again", 2)
	if !reflect.DeepEqual(got, []string{"x", "y", "hello", "world"}) {
		t.Errorf("AppendTokens with max 2 = %q", got)
	}
}

func TestStopwords(t *testing.T) {
	for _, w := range []string{"the", "dont", "shouldve", "rt", "amp", "via", "im", "youre"} {
		if keep(w) {
			t.Errorf("%q is kept, want it a stopword", w)
		}
	}
	for _, w := range []string{"trump", "news", "cant", "go"} {
		if !keep(w) {
			t.Errorf("%q is dropped", w)
		}
	}
}

func TestURLsAndMentionsOnlyAtWordStart(t *testing.T) {
	for in, want := range map[string]string{
		"awww.nice day":                "awww nice day",
		"epic.twitter.com/x great":     "epic twitter com great",
		"mail me: bob@example.com now": "mail bob example com",
		"see www.example.com/a today":  "see today",
		"(https://t.co/x) voting":      "voting",
		"@someone said hello":          "said hello",
	} {
		if got := strings.Join(Tokens(in, 0), " "); got != want {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	}
}
