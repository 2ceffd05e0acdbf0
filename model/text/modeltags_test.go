package text

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
)

// Hand-checked cases, from the rules of ../shared/BENCHMARK.md ("Hashtags
// of a post").
var hashtagCases = []struct {
	in   string
	want []string
}{
	{"", nil},
	{"no tags here", nil},
	{"#tag", []string{"tag"}},
	{"#FreeTennessee at the start", []string{"freetennessee"}},
	// An HTML entity is not decoded: "&#39;" has no letter after '#'.
	{"it&#39;s", nil},
	{"&#35;notatag", nil},
	{"&amp;#tag", []string{"tag"}}, // ';' is no hashtag character
	// At least one letter.
	{"#123", nil},
	{"#1a", []string{"1a"}},
	{"#_", nil},
	{"#_a", []string{"_a"}},
	{"#2017_", nil},
	// '#' must start the text or follow a non-hashtag character.
	{"a#b", nil},
	{"1#b", nil},
	{"_#b", nil},
	{"é#b", nil},
	{"x #a", []string{"a"}},
	{"(#paren)", []string{"paren"}},
	{"\"#quoted\"", []string{"quoted"}},
	{"line\n#next", []string{"next"}},
	{"\u00a0#nbsp", []string{"nbsp"}},
	{"\xff#afterinvalid", []string{"afterinvalid"}},
	{"🙂#emoji", []string{"emoji"}},
	// "##x": the first '#' starts nothing, the second follows a '#'.
	{"##x", []string{"x"}},
	{"a##b", []string{"b"}},
	// "#a#b": the second '#' follows 'a', a hashtag character.
	{"#a#b", []string{"a"}},
	{"#a_#b", []string{"a_"}},
	{"#1#b", nil},
	// The run ends at the first non-hashtag character.
	{"#a.b", []string{"a"}},
	{"#a-b", []string{"a"}},
	{"#a'b", []string{"a"}},
	{"#tag_1 #Tag_1", []string{"tag_1"}},
	{"#a🙂b", []string{"a"}},
	{"#\xffx", nil},
	{"#a\xffb", []string{"a"}},
	{"#zwj\u200dx", []string{"zwj"}}, // U+200D is Cf, not a mark
	// Unicode letters, marks, decimal digits; simple lower-casing.
	{"#Ünïcode", []string{"ünïcode"}},
	{"#日本", []string{"日本"}},
	{"#Россия", []string{"россия"}},
	{"#cafe\u0301 #café", []string{"cafe\u0301", "café"}}, // combining acute vs precomposed: two tags
	{"#\u0301a", []string{"\u0301a"}},
	{"#\u0301", nil},                    // a mark alone is no letter
	{"#١٢٣", nil},                       // Arabic-Indic digits (Nd), no letter
	{"#١٢٣ب", []string{"١٢٣ب"}},         // with an Arabic letter
	{"#Ⅻ", nil},                         // U+216B is Nl: not a hashtag character
	{"#ǅx", []string{"ǆx"}},             // title-case letter
	{"#İstanbul", []string{"istanbul"}}, // simple mapping: U+0130 -> 'i'
	{"#ΣΊΣΥΦΟΣ", []string{"σίσυφοσ"}},   // no final sigma in simple mapping
	{"#Straße #STRASSE", []string{"straße", "strasse"}},
	{"#ẞ", []string{"ß"}},
	// Deduplicated in order of first appearance, after lower-casing.
	{"#B #a #b", []string{"b", "a"}},
	{"#x #X #y #x", []string{"x", "y"}},
}

func TestModelHashtags(t *testing.T) {
	for _, c := range hashtagCases {
		if got := ModelHashtags(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("ModelHashtags(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := refHashtags(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("reference hashtags(%q) = %q, want %q (the test's reference is wrong)", c.in, got, c.want)
		}
	}
}

func TestStripModelHashtags(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"no tags", "no tags"},
		{"#a b #c", " b "},
		{"Check #this, #That!", "Check , !"},
		{"a#b &#39; #123", "a#b &#39; #123"},
		{"##x", "#"},
		{"x #1 #y", "x #1 "},
		{"#café#x", "#x"}, // the "#x" was no hashtag of the text; see below
		{"\xff#tag\xfe", "\xff\xfe"},
		{"#日本語 text", " text"},
	} {
		if got := StripModelHashtags(c.in); got != c.want {
			t.Errorf("StripModelHashtags(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestStripLeavesNoHashtagOfTheText documents the one way a stripped text
// can hold a hashtag: a hashtag directly followed by '#' ("#a#b") hides
// the second '#', and removing the first shows it. By the protocol "#b" is
// no hashtag of the post, so it is not removed and not gold; its text "b"
// is what the model may see.
func TestStripLeavesNoHashtagOfTheText(t *testing.T) {
	for _, c := range []struct {
		in    string
		after []string
	}{
		{"#a #b", nil},
		{"#a#b", []string{"b"}},
		{"#a#b#c", []string{"b"}},
		{"x#a #b", nil},
	} {
		s := StripModelHashtags(c.in)
		if got := ModelHashtags(s); !reflect.DeepEqual(got, c.after) {
			t.Errorf("ModelHashtags(StripModelHashtags(%q) = %q) = %q, want %q", c.in, s, got, c.after)
		}
		for _, tag := range ModelHashtags(s) {
			for _, gold := range ModelHashtags(c.in) {
				if tag == gold {
					t.Errorf("gold hashtag %q of %q survives stripping", gold, c.in)
				}
			}
		}
	}
}

// TestStripModelHashtagsInvalidUTF8 documents what the fuzzer found: in text
// that is not valid UTF-8, deleting a hashtag can join the bytes around it
// into a new character. "\xe1" and "\xbd\x91" are no characters, but
// "\xe1\xbd\x91" is U+1F51, a letter, so the '#' before it, which started
// nothing, now starts "#ὑx". StripModelHashtags still deletes exactly the
// hashtags of its input, and "ὑx" was not one of them. The protocol is
// defined on text: the readers refuse invalid UTF-8 (a bad record), so a
// post's text never holds it.
func TestStripModelHashtagsInvalidUTF8(t *testing.T) {
	s := "#\xe1#A\xbd\x91x"
	if got := ModelHashtags(s); !reflect.DeepEqual(got, []string{"a"}) {
		t.Fatalf("ModelHashtags(%q) = %q", s, got)
	}
	stripped := StripModelHashtags(s)
	if stripped != "#ὑx" {
		t.Fatalf("StripModelHashtags(%q) = %q", s, stripped)
	}
	if got := ModelHashtags(stripped); !reflect.DeepEqual(got, []string{"ὑx"}) {
		t.Errorf("ModelHashtags(%q) = %q", stripped, got)
	}
}

func TestIsModelTagRune(t *testing.T) {
	// Against the definition, for every code point.
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := r == '_' || unicode.In(r, unicode.L, unicode.M, unicode.Nd)
		if isModelTagRune(r) != want {
			t.Fatalf("isModelTagRune(%U) = %v, want %v", r, !want, want)
		}
	}
}

// refHashtags is a direct, slow reading of the protocol, to compare with.
func refHashtags(s string) []string {
	isTag := func(r rune) bool { return r == '_' || unicode.In(r, unicode.L, unicode.M, unicode.Nd) }
	var tags []string
	for _, sp := range refSpans(s) {
		rs := []rune(s[sp[0]+1 : sp[1]])
		for _, r := range rs {
			if !isTag(r) {
				panic("bad span")
			}
		}
		tag := strings.Map(unicode.ToLower, string(rs))
		dup := false
		for _, t := range tags {
			dup = dup || t == tag
		}
		if !dup {
			tags = append(tags, tag)
		}
	}
	return tags
}

// refSpans returns the byte spans [start, end) of the hashtags of s,
// '#' included, by the protocol's words.
func refSpans(s string) [][2]int {
	isTag := func(r rune) bool { return r == '_' || unicode.In(r, unicode.L, unicode.M, unicode.Nd) }
	type pos struct {
		r   rune
		off int
	}
	var rs []pos
	for i, r := range s { // invalid bytes come as U+FFFD, no hashtag rune
		rs = append(rs, pos{r, i})
	}
	end := func(k int) int {
		if k < len(rs) {
			return rs[k].off
		}
		return len(s)
	}
	var spans [][2]int
	for i := range rs {
		if rs[i].r != '#' || (i > 0 && isTag(rs[i-1].r)) {
			continue
		}
		j, letter := i+1, false
		for j < len(rs) && isTag(rs[j].r) {
			letter = letter || unicode.IsLetter(rs[j].r)
			j++
		}
		if letter {
			spans = append(spans, [2]int{rs[i].off, end(j)})
		}
	}
	return spans
}
