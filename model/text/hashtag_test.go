package text

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// platformCases are hand-written texts for each case of the platforms' rule
// (the package documentation), with the forms FindHashtags must return.
var platformCases = []struct {
	name  string
	in    string
	forms []string
}{
	// A marker and a run with a letter.
	{"empty", "", nil},
	{"none", "no hashtags here", nil},
	{"plain", "I love #Go and #golang", []string{"Go", "golang"}},
	{"repeats are all found", "#Go #GO #go", []string{"Go", "GO", "go"}},
	{"no letter", "#123 #_ #2024_ #1a", []string{"1a"}},
	{"letter after digits", "#2024Election", []string{"2024Election"}},
	{"run ends at punctuation", "#a.b #c-d #e'f #g,h", []string{"a", "c", "e", "g"}},
	{"run ends at an emoji", "#sun☀ #rain🌧", []string{"sun", "rain"}},
	{"other scripts", "#Россия #日本 #ελλάδα #١٢٣ب", []string{"Россия", "日本", "ελλάδα", "١٢٣ب"}},
	{"digits of other scripts alone", "#١٢٣", nil},
	{"a mark alone is no letter", "#\u0301", nil},

	// Where a marker may start a hashtag.
	{"after letters and digits", "a#b 1#b _#b é#b", nil},
	{"after a combining mark", "e\u0301#b", nil},
	{"after punctuation and space", "(#paren) \"#quoted\" x #spaced", []string{"paren", "quoted", "spaced"}},
	{"after a newline", "line\n#next", []string{"next"}},
	{"after an ampersand", "&#x27; &#tag", nil},
	{"after an entity", "&amp;#tag", []string{"tag"}},
	{"double marker", "##x", []string{"x"}},
	{"after invalid UTF-8", "\xff#valid", []string{"valid"}},
	{"after an in-word mark", "a·#b", nil},

	// Full-width marker.
	{"full-width", "＃日本語ハッシュタグ", []string{"日本語ハッシュタグ"}},
	{"full-width, ideographic spaces", "天気\u3000＃晴れ\u3000＃雨", []string{"晴れ", "雨"}},
	{"full-width latin", "＃Go", []string{"Go"}},
	{"full-width glued to a word", "今日は＃晴れ", nil},
	{"both markers", "#tokyo ＃東京", []string{"tokyo", "東京"}},

	// Emoji before the marker.
	{"variation selector", "✌\ufe0f#peace", []string{"peace"}},
	{"text presentation selector", "✌\ufe0e#peace", []string{"peace"}},
	{"emoji without selector", "✌#peace", []string{"peace"}},
	{"skin tone", "👍🏽#yes", []string{"yes"}},
	{"keycap", "1\ufe0f\u20e3#first", []string{"first"}},
	{"ZWJ sequence", "👩\u200d💻#coding", []string{"coding"}},
	{"the keycap number sign", "#\ufe0f\u20e3 #\u20e3abc #\ufe0fabc", nil},

	// URLs.
	{"URL fragment", "http://twitter.com/#hashtag", nil},
	{"URL fragment, then a hashtag", "see https://example.com/#frag #real", []string{"real"}},
	{"host and path", "docs.example.org/admin/config/#s3", nil},
	{"host, port and path", "docs.example.org:8080/#s3", nil},
	{"www host", "www.example.com/#/route", nil},
	{"IRI path", "https://ja.wikipedia.org/wiki/日本#歴史", nil},
	{"IDN host", "bücher.de/#angebot", nil},
	{"hashtag that is a scheme", "#http://example.com", nil},
	{"scheme, fragment", "#https://x.org/#y", nil},
	{"URL ends at a Japanese full stop", "http://example.com/page。#タグ", []string{"タグ"}},
	{"URL ends at a space", "example.com/ #tag", []string{"tag"}},
	{"host without a path", "example.org #tag", []string{"tag"}},
	{"slash without a host", "and/or #tag 12/25 #xmas", []string{"tag", "xmas"}},
	{"one-letter last label", "e.g./#x", []string{"x"}},
	{"hashtag before a host", "#docs.example.org/x", []string{"docs"}},

	// Glued to what follows.
	{"glued to a marker", "#a#b #love#life", nil},
	{"glued to a full-width marker", "#a＃b", nil},
	{"glued to ://", "#tag://x", nil},

	// Joiners and in-word marks.
	{"ZWNJ, Persian", "#می\u200cخواهم", []string{"می\u200cخواهم"}},
	{"ZWJ, Sinhala", "#\u0dc1\u0dca\u200d\u0dbb\u0dd3\u0dbd\u0d82\u0d9a\u0dcf", []string{"\u0dc1\u0dca\u200d\u0dbb\u0dd3\u0dbd\u0d82\u0d9a\u0dcf"}},
	{"middle dot, Catalan", "#il\u00b7lusió", []string{"il\u00b7lusió"}},
	{"maqaf, Hebrew", "#עַל\u05beיְדֵי", []string{"עַל\u05beיְדֵי"}},
	{"geresh at the end", "#וכו\u05f3", []string{"וכו\u05f3"}},
	{"gershayim", "#צה\u05f4ל", []string{"צה\u05f4ל"}},
	{"wave dash", "#メ\u301cテレ", []string{"メ\u301cテレ"}},
	{"full-width tilde", "#メ\uff5eテレ", []string{"メ\uff5eテレ"}},
	{"ditto mark", "#各\u3003", []string{"各\u3003"}},
	{"katakana middle dot", "#ジョン\u30fbスミス", []string{"ジョン\u30fbスミス"}},
	{"kana voiced sound mark", "#か\u309b", []string{"か\u309b"}},
	{"Tibetan tsheg", "#བོད\u0f0bཡིག", []string{"བོད\u0f0bཡིག"}},
	{"kavyka", "#а\ua67eб", []string{"а\ua67eб"}},
	{"in-word marks alone", "#\u00b7 #\u200c #\u3003", nil},
	{"joiner at the end", "#a\u200d b", []string{"a\u200d"}},
}

func TestFindHashtags(t *testing.T) {
	for _, c := range platformCases {
		hs := FindHashtags(c.in)
		var forms []string
		for _, h := range hs {
			forms = append(forms, h.Form)
			if c.in[h.Start:h.End] != "#"+h.Form && c.in[h.Start:h.End] != "＃"+h.Form {
				t.Errorf("%s: %q[%d:%d] = %q, want the marker and %q", c.name, c.in, h.Start, h.End, c.in[h.Start:h.End], h.Form)
			}
		}
		if !reflect.DeepEqual(forms, c.forms) {
			t.Errorf("%s: FindHashtags(%q) = %q, want %q", c.name, c.in, forms, c.forms)
		}
		if got := refFind(c.in); !reflect.DeepEqual(got, hs) {
			t.Errorf("%s: the test's reference reading gives %+v for %q, FindHashtags %+v", c.name, got, c.in, hs)
		}
	}
}

// TestModelRuleDiffers shows the cases where the model's (benchmark's) rule
// finds other hashtags than the platforms' rule: it must keep doing so.
func TestModelRuleDiffers(t *testing.T) {
	for _, c := range []struct {
		in              string
		model, platform []string
	}{
		{"docs.example.org/admin/config/#s3", []string{"s3"}, nil},
		{"http://twitter.com/#hashtag", []string{"hashtag"}, nil},
		{"#http://example.com", []string{"http"}, nil},
		{"＃日本語", nil, []string{"日本語"}},
		{"✌\ufe0f#peace", nil, []string{"peace"}},
		{"#il\u00b7lusió", []string{"il"}, []string{"il\u00b7lusió"}},
		{"#a#b", []string{"a"}, nil},
		{"&#x27;", []string{"x27"}, nil},
		{"#Go #go", []string{"go"}, []string{"go"}},
	} {
		if got := ModelHashtags(c.in); !reflect.DeepEqual(got, c.model) {
			t.Errorf("ModelHashtags(%q) = %q, want %q", c.in, got, c.model)
		}
		if got := HashtagKeys(c.in); !reflect.DeepEqual(got, c.platform) {
			t.Errorf("HashtagKeys(%q) = %q, want %q", c.in, got, c.platform)
		}
	}
}

func TestDistinctHashtags(t *testing.T) {
	s := "#Go is #fun. #GO #Straße #STRASSE #İstanbul #go"
	var got []string
	for _, h := range DistinctHashtags(s) {
		got = append(got, h.Key+"="+h.Form+"@"+fmt.Sprint(h.Start))
	}
	want := []string{"go=Go@0", "fun=fun@7", "straße=Straße@17", "strasse=STRASSE@26", "istanbul=İstanbul@35"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DistinctHashtags(%q) = %q, want %q", s, got, want)
	}
	if keys := HashtagKeys(s); !reflect.DeepEqual(keys, []string{"go", "fun", "straße", "strasse", "istanbul"}) {
		t.Errorf("HashtagKeys(%q) = %q", s, keys)
	}
	if HashtagKeys("none") != nil || DistinctHashtags("a#b") != nil || FindHashtags("") != nil {
		t.Error("no hashtag must give nil")
	}
	if k := HashtagKey("ΣΊΣΥΦΟΣ"); k != "σίσυφοσ" {
		t.Errorf("HashtagKey = %q (simple mapping has no final sigma)", k)
	}
}

// TestDistinctManyHashtags crosses the switch from comparing tags one by one
// to a map, with repeats on both sides of it.
func TestDistinctManyHashtags(t *testing.T) {
	for _, n := range []int{smallTags - 1, smallTags, smallTags + 1, 3 * smallTags} {
		var b strings.Builder
		var want []string
		for round := 0; round < 3; round++ {
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, "#T%d ", i)
				if round == 0 {
					want = append(want, fmt.Sprintf("t%d", i))
				}
			}
		}
		if got := HashtagKeys(b.String()); !reflect.DeepEqual(got, want) {
			t.Errorf("%d distinct tags, 3 times: %d keys, want %d", n, len(got), len(want))
		}
		if got := ModelHashtags(b.String()); !reflect.DeepEqual(got, want) {
			t.Errorf("ModelHashtags, %d distinct tags, 3 times: %d keys, want %d", n, len(got), len(want))
		}
	}
}

// TestManyHashtagsLinear: 160,000 hashtags in one text (a pasted history)
// take well under a second of CPU time, distinct or repeated, by either
// rule. A quadratic deduplication would take minutes.
func TestManyHashtagsLinear(t *testing.T) {
	const n = 160000
	var distinct, repeated strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&distinct, "#tag%d ", i)
		fmt.Fprintf(&repeated, "#Tag%d ", i%7)
	}
	for _, c := range []struct {
		name string
		s    string
		want int
	}{{"distinct", distinct.String(), n}, {"repeated", repeated.String(), 7}} {
		for _, f := range []struct {
			name string
			n    func(string) int
			want int
		}{
			{"FindHashtags", func(s string) int { return len(FindHashtags(s)) }, n},
			{"HashtagKeys", func(s string) int { return len(HashtagKeys(s)) }, c.want},
			{"ModelHashtags", func(s string) int { return len(ModelHashtags(s)) }, c.want},
		} {
			cpu0, ok := cpuTime()
			wall0 := time.Now()
			got := f.n(c.s)
			wall := time.Since(wall0)
			cpu1, _ := cpuTime()
			if got != f.want {
				t.Errorf("%s, %s: %d hashtags, want %d", c.name, f.name, got, f.want)
			}
			if !ok {
				t.Logf("%s, %s: %v wall clock (CPU time unknown here: not checked)", c.name, f.name, wall)
				continue
			}
			if cpu := cpu1 - cpu0; cpu > time.Second {
				t.Errorf("%s, %s: %d hashtags took %v of CPU time, want well under a second", c.name, f.name, n, cpu)
			} else {
				t.Logf("%s, %s: %d hashtags in %v of CPU time (%v wall clock)", c.name, f.name, n, cpu, wall)
			}
		}
	}
}

func TestHashtagBefore(t *testing.T) {
	for _, c := range []struct {
		s     string
		at    int // -1: len(s)
		start int
		ok    bool
	}{
		{"I like #go", -1, 7, true},
		{"I like #", -1, 7, true},
		{"I like #12", -1, 7, true},
		{"I like ＃日本", -1, 7, true},
		{"#a b", 2, 0, true},
		{"#a b", 3, 0, false},
		{"#a b", 0, 0, false},
		{"I like a#b", -1, 0, false},
		{"see example.org/#x", -1, 0, false},
		{"http://t.co/#", -1, 0, false},
		{"#a#b", -1, 0, false},
		{"&#x", -1, 0, false},
		{"✌\ufe0f#p", -1, len("✌\ufe0f"), true},
		{"#\ufe0f", -1, 0, false},
		{"hello", -1, 0, false},
		{"", 0, 0, false},
		{"#go", 99, 0, true},
		{"#go", -5, 0, false},
		{"#日本", 5, 0, true}, // inside 本: moved back to the end of 日
		{"x #a\u200db", -1, 2, true},
	} {
		at := c.at
		if at == -1 {
			at = len(c.s)
		}
		start, ok := HashtagBefore(c.s, at)
		if start != c.start || ok != c.ok {
			t.Errorf("HashtagBefore(%q, %d) = %d, %v; want %d, %v", c.s, at, start, ok, c.start, c.ok)
		}
	}
}

func TestURLSpans(t *testing.T) {
	for _, c := range []struct {
		s    string
		urls []string
	}{
		{"", nil},
		{"see http://a.com/x y", []string{"http://a.com/x"}},
		{"HTTPS://A.COM", []string{"HTTPS://A.COM"}},
		{"xhttp://a", []string{"xhttp://a"}},
		{"1http://a", []string{"http://a"}},
		{"svn+ssh://h/r", []string{"svn+ssh://h/r"}},
		{"://nothing", nil},
		{"a.com/b c.org/d", []string{"a.com/b", "c.org/d"}},
		{"a.com:80/b", []string{"a.com:80/b"}},
		{"(a.com/b)", []string{"a.com/b)"}},
		{"a.com/b。c", []string{"a.com/b"}},
		{"a.com/日本語", []string{"a.com/日本語"}},
		{"a.com/b\tc", []string{"a.com/b"}},
		{"a.com/b\xffc", []string{"a.com/b"}},
		{"and/or 1/2 a.b/c e.g./ a..com/ .com/", nil},
		{"@user.name/x $a.com/x #a.com/x ＃a.com/x", nil},
		{"..a.com/x", []string{"a.com/x"}},
	} {
		var got []string
		for _, sp := range urlSpans(c.s) {
			got = append(got, c.s[sp.start:sp.end])
		}
		if !reflect.DeepEqual(got, c.urls) {
			t.Errorf("urlSpans(%q) = %q, want %q", c.s, got, c.urls)
		}
	}
}

// refFind is a direct, slow reading of the platforms' rule on runes, to
// compare with (it shares urlSpans, tested on its own).
func refFind(s string) []Hashtag {
	type pos struct {
		r   rune
		off int
	}
	var rs []pos
	for i, r := range s { // invalid bytes come as U+FFFD
		rs = append(rs, pos{r, i})
	}
	off := func(k int) int {
		if k < len(rs) {
			return rs[k].off
		}
		return len(s)
	}
	isMarker := func(r rune) bool { return r == '#' || r == '＃' }
	isTag := func(r rune) bool {
		return r == '_' || unicode.In(r, unicode.L, unicode.M, unicode.Nd) ||
			strings.ContainsRune("\u200c\u200d\u00b7\u05be\u05f3\u05f4\ua67e\u301c\uff5e\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c", r)
	}
	var out []Hashtag
	for i := range rs {
		if !isMarker(rs[i].r) {
			continue
		}
		if i > 0 {
			p := rs[i-1].r
			if (isTag(p) || p == '&') && p != 0xfe0e && p != 0xfe0f && p != 0x20e3 {
				continue
			}
		}
		if i+1 < len(rs) && (rs[i+1].r == 0xfe0f || rs[i+1].r == 0x20e3) {
			continue
		}
		j, letter := i+1, false
		for j < len(rs) && isTag(rs[j].r) {
			letter = letter || unicode.IsLetter(rs[j].r)
			j++
		}
		if !letter {
			continue
		}
		if j < len(rs) && isMarker(rs[j].r) || strings.HasPrefix(s[off(j):], "://") {
			continue
		}
		start, end := rs[i].off, off(j)
		inURL := false
		for _, u := range urlSpans(s) {
			inURL = inURL || (u.start < end && start < u.end)
		}
		if inURL {
			continue
		}
		form := s[off(i+1):end]
		out = append(out, Hashtag{Key: strings.Map(unicode.ToLower, form), Form: form, Start: start, End: end})
	}
	return out
}

func FuzzFindHashtags(f *testing.F) {
	for _, c := range platformCases {
		f.Add(c.in)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		hs := FindHashtags(s)
		if hs != nil && len(hs) == 0 {
			t.Fatalf("FindHashtags(%q) = empty non-nil slice", s)
		}
		last := 0
		for _, h := range hs {
			if h.Start < last || h.End <= h.Start || h.End > len(s) {
				t.Fatalf("FindHashtags(%q): span [%d, %d) after %d", s, h.Start, h.End, last)
			}
			last = h.End
			if h.Form == "" || !utf8.ValidString(h.Form) || !strings.HasSuffix(s[h.Start:h.End], h.Form) {
				t.Fatalf("FindHashtags(%q): form %q is empty, invalid or not the text at [%d, %d)", s, h.Form, h.Start, h.End)
			}
			if m := s[h.Start : h.End-len(h.Form)]; m != "#" && m != "＃" {
				t.Fatalf("FindHashtags(%q): marker %q", s, m)
			}
			letter := false
			for _, r := range h.Form {
				if !inHashtag(r) {
					t.Fatalf("FindHashtags(%q): form %q holds %U", s, h.Form, r)
				}
				letter = letter || unicode.IsLetter(r)
			}
			if !letter {
				t.Fatalf("FindHashtags(%q): form %q has no letter", s, h.Form)
			}
			if h.Key != HashtagKey(h.Form) {
				t.Fatalf("FindHashtags(%q): key %q of form %q", s, h.Key, h.Form)
			}
			if start, ok := HashtagBefore(s, h.End); !ok || start != h.Start {
				t.Fatalf("HashtagBefore(%q, %d) = %d, %v; the hashtag starts at %d", s, h.End, start, ok, h.Start)
			}
		}
		if want := refFind(s); !reflect.DeepEqual(hs, want) {
			t.Fatalf("FindHashtags(%q) = %+v, the rule read directly gives %+v", s, hs, want)
		}
		// DistinctHashtags keeps the first of each key.
		var want []Hashtag
		seen := map[string]bool{}
		for _, h := range hs {
			if !seen[h.Key] {
				seen[h.Key] = true
				want = append(want, h)
			}
		}
		if got := DistinctHashtags(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("DistinctHashtags(%q) = %+v, want %+v", s, got, want)
		}
		if got := HashtagKeys(s); len(got) != len(want) {
			t.Fatalf("HashtagKeys(%q) = %q for %d distinct hashtags", s, got, len(want))
		}
		// Every URL span is within the text, in order, and holds no hashtag.
		end := 0
		for _, u := range urlSpans(s) {
			if u.start < end || u.end <= u.start || u.end > len(s) {
				t.Fatalf("urlSpans(%q): [%d, %d) after %d", s, u.start, u.end, end)
			}
			end = u.end
		}
	})
}
