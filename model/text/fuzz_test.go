package text

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// Fuzz targets; run one with, for example,
//
//	go test ./model/text -run '^$' -fuzz '^FuzzModelHashtags$' -fuzztime 20s

// seeds are realistic texts and the corner cases of the protocol.
var seeds = []string{
	"We're baaaaack. What did we miss?  #FreeTennessee",
	"Hey everyone. Be sure to retweet this so that you follow my new twitter account @10_gop.   We will not be silenced! https://t.co/kmb1JOSVbg",
	"RT @x: Привет #Россия &amp; #Мир",
	"#B #a #b", "##x", "#a#b", "a#b", "#123", "#1a", "&#39;", "#Ünïcode", "#日本", "#tag_1", "#cafe\u0301",
	"#İstanbul #ǅ #ẞ", "\xff#x\xfe#y", "#\xe1#A\xbd\x91x", "#\u0301", "#١٢٣ب", "don't can’t", "www.x.com pic.twitter.com/y http://z",
	strings.Repeat("word ", 60),
}

func FuzzModelHashtags(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tags := ModelHashtags(s)
		if tags != nil && len(tags) == 0 {
			t.Fatalf("ModelHashtags(%q) = empty non-nil slice", s)
		}
		seen := map[string]bool{}
		for _, tag := range tags {
			if tag == "" || !utf8.ValidString(tag) || seen[tag] {
				t.Fatalf("ModelHashtags(%q): tag %q is empty, invalid or repeated", s, tag)
			}
			seen[tag] = true
			letter := false
			for _, r := range tag {
				if !isModelTagRune(r) {
					t.Fatalf("ModelHashtags(%q): tag %q holds %U, no hashtag character", s, tag, r)
				}
				if unicode.ToLower(r) != r {
					t.Fatalf("ModelHashtags(%q): tag %q is not lower-case (%U)", s, tag, r)
				}
				letter = letter || unicode.IsLetter(r)
			}
			if !letter {
				t.Fatalf("ModelHashtags(%q): tag %q has no letter", s, tag)
			}
		}
		if want := refHashtags(s); !reflect.DeepEqual(tags, want) {
			t.Fatalf("ModelHashtags(%q) = %q, the protocol read directly gives %q", s, tags, want)
		}
	})
}

func FuzzStripModelHashtags(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := StripModelHashtags(s)
		// Exactly the spans of the hashtags are deleted.
		spans := refSpans(s)
		var want strings.Builder
		last := 0
		for _, sp := range spans {
			want.WriteString(s[last:sp[0]])
			last = sp[1]
		}
		want.WriteString(s[last:])
		if got != want.String() {
			t.Fatalf("StripModelHashtags(%q) = %q, want %q", s, got, want.String())
		}
		if (got == s) != (ModelHashtags(s) == nil) {
			t.Fatalf("StripModelHashtags(%q) = %q, yet Hashtags gives %q", s, got, ModelHashtags(s))
		}
		// What is left of a valid UTF-8 text holds no hashtag, unless a
		// hashtag of s was directly followed by '#' ("#a#b" leaves "#b",
		// which was no hashtag of s). (Invalid UTF-8 can also splice into
		// new letters: see TestStripModelHashtagsInvalidUTF8.)
		hidden := false
		for _, sp := range spans {
			hidden = hidden || strings.HasPrefix(s[sp[1]:], "#")
		}
		if left := ModelHashtags(got); left != nil && !hidden && utf8.ValidString(s) {
			t.Fatalf("ModelHashtags(StripModelHashtags(%q) = %q) = %q", s, got, left)
		}
		// Stripping again and again ends with no hashtag (each round
		// removes at least one '#').
		for n := 0; ModelHashtags(got) != nil; n++ {
			if n > len(s) {
				t.Fatalf("StripModelHashtags never ends on %q", s)
			}
			got = StripModelHashtags(got)
		}
	})
}

func FuzzTokens(f *testing.F) {
	for _, s := range seeds {
		f.Add(s, 0)
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		words := Tokens(s, max)
		limit := max
		if limit <= 0 {
			limit = MaxWords
		}
		if len(words) > limit {
			t.Fatalf("Tokens(%q, %d) gave %d words", s, max, len(words))
		}
		for _, w := range words {
			if utf8.RuneCountInString(w) < 2 || !utf8.ValidString(w) {
				t.Fatalf("Tokens(%q): word %q is shorter than 2 runes or invalid", s, w)
			}
			digits := true
			for _, r := range w {
				if !(unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r)) {
					t.Fatalf("Tokens(%q): word %q holds %U", s, w, r)
				}
				if unicode.ToLower(r) != r {
					t.Fatalf("Tokens(%q): word %q is not lower-case", s, w)
				}
				digits = digits && unicode.Is(unicode.Nd, r)
			}
			if digits {
				t.Fatalf("Tokens(%q): word %q is all digits", s, w)
			}
			if _, stop := stopwords[w]; stop {
				t.Fatalf("Tokens(%q): stopword %q", s, w)
			}
		}
		// A smaller limit keeps the first words.
		all := Tokens(s, MaxWords)
		if max > 0 && max <= MaxWords && !reflect.DeepEqual(words, all[:min(max, len(all))]) && !(len(words) == 0 && len(all) == 0) {
			t.Fatalf("Tokens(%q, %d) = %q, not the first words of %q", s, max, words, all)
		}
	})
}
