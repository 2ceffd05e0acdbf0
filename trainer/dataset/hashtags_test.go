package dataset

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/model/text"
)

// protocolCases are written from the words of ../shared/BENCHMARK.md,
// "Hashtags of a post". Several are no hashtag on X or Mastodon (a URL's
// fragment, a hashtag glued to the next): the protocol counts them, and
// must keep counting them.
var protocolCases = []struct {
	in   string
	want []string
}{
	{"", nil},
	{"#Tag at the start", []string{"tag"}},
	{"after a space #x, a bracket (#y) and a quote \"#z\"", []string{"x", "y", "z"}},
	{"it&#39;s &#35;no", nil},   // no entity decoding; no letter after '#'
	{"&#x27;", []string{"x27"}}, // '&' is no hashtag character
	{"#2016 #_ #2016_ #2016a", []string{"2016a"}},
	{"a#b 1#b _#b é#b", nil},         // after a hashtag character
	{"##x #a#b", []string{"x", "a"}}, // "#b" follows 'a'
	{"#a.b #c-d #e'f", []string{"a", "c", "e"}},
	{"#il·lusió #می‌خواهم", []string{"il", "می"}}, // '·' and ZWNJ end the run
	{"＃日本語 ✌\ufe0f#peace", nil},                   // full-width '＃' is no '#'; U+FE0F is a mark
	{"http://twitter.com/#Hashtag docs.example.org/x/#s3", []string{"hashtag", "s3"}},
	{"#İstanbul #ΣΟΦΟΣ #Straße", []string{"istanbul", "σοφοσ", "straße"}}, // simple lower-casing
	{"#B #a #b #A", []string{"b", "a"}},
	{"#\u0301a #\u0301 #١٢٣ #١٢٣ب", []string{"\u0301a", "١٢٣ب"}},
}

func TestHashtags(t *testing.T) {
	for _, c := range protocolCases {
		if got := Hashtags(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Hashtags(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := refTags(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("the test's reference gives %q for %q, want %q", got, c.in, c.want)
		}
	}
}

// refSpans reads the protocol directly, on runes: the byte spans of the
// hashtags of s, '#' included.
func refSpans(s string) [][2]int {
	isTag := func(r rune) bool { return r == '_' || unicode.In(r, unicode.L, unicode.M, unicode.Nd) }
	var offs []int
	var rs []rune
	for i, r := range s {
		offs, rs = append(offs, i), append(rs, r)
	}
	offs = append(offs, len(s))
	var spans [][2]int
	for i, r := range rs {
		if r != '#' || i > 0 && isTag(rs[i-1]) {
			continue
		}
		j, letter := i+1, false
		for j < len(rs) && isTag(rs[j]) {
			letter = letter || unicode.IsLetter(rs[j])
			j++
		}
		if letter {
			spans = append(spans, [2]int{offs[i], offs[j]})
		}
	}
	return spans
}

func refTags(s string) []string {
	var tags []string
	for _, sp := range refSpans(s) {
		tag := strings.Map(unicode.ToLower, s[sp[0]+1:sp[1]])
		if !contains(tags, tag) {
			tags = append(tags, tag)
		}
	}
	return tags
}

// FuzzProtocolRule checks the protocol's rule against its direct reading,
// and that the model's rule in model/text (the tokeniser's) is the same
// rule: ModelHashtags gives the same hashtags, and StripModelHashtags
// deletes exactly the protocol's hashtags, so no model sees a gold label.
func FuzzProtocolRule(f *testing.F) {
	for _, c := range protocolCases {
		f.Add(c.in)
	}
	f.Add(strings.Repeat("#t1 #T2 #t3 #x#y ", 12)) // past the switch to a map
	f.Fuzz(func(t *testing.T, s string) {
		tags := Hashtags(s)
		if want := refTags(s); !reflect.DeepEqual(tags, want) {
			t.Fatalf("Hashtags(%q) = %q, the protocol read directly gives %q", s, tags, want)
		}
		if got := text.ModelHashtags(s); !reflect.DeepEqual(got, tags) {
			t.Fatalf("text.ModelHashtags(%q) = %q, the protocol gives %q", s, got, tags)
		}
		var want strings.Builder
		last := 0
		for _, sp := range refSpans(s) {
			want.WriteString(s[last:sp[0]])
			last = sp[1]
		}
		want.WriteString(s[last:])
		if got := text.StripModelHashtags(s); got != want.String() {
			t.Fatalf("text.StripModelHashtags(%q) = %q, the protocol removes its hashtags: %q", s, got, want.String())
		}
	})
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if strings.HasSuffix(name, ".gz") {
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		zw := gzip.NewWriter(f)
		if _, err := zw.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReadFileTags: a corpus read for the protocol carries the protocol's
// hashtags, whatever rule the post readers use for a person's hashtags,
// except where the format gives them in fields (HowYouTag, verbatim).
func TestReadFileTags(t *testing.T) {
	dir := t.TempDir()
	texts := []string{
		"Read docs.example.org/admin/config/#s3 now #AWS",
		"＃日本語 and ✌\ufe0f#peace and #il·lusió",
		"#a#b http://twitter.com/#Hashtag",
	}
	var lines []string
	for i, s := range texts {
		lines = append(lines, `{"created_at":"Wed Oct 10 20:19:2`+string(rune('0'+i))+` +0000 2018","full_text":`+jsonString(s)+`,"user":{"screen_name":"u"},"lang":"en"}`)
	}
	for _, name := range []string{"statuses.jsonl", "statuses.jsonl.gz"} {
		p := writeFile(t, dir, name, strings.Join(lines, "\n")+"\n")
		for _, format := range []post.Format{"", post.FormatTwitterJSON} {
			var got [][]string
			st, f, err := ReadFile(p, format, post.Options{}, func(p post.Post) error {
				got = append(got, p.Tags)
				return nil
			})
			if err != nil || f != post.FormatTwitterJSON || st.Records != len(texts) {
				t.Fatalf("%s (format %q): %v, format %q, %+v", name, format, err, f, st)
			}
			want := [][]string{{"s3", "aws"}, {"il"}, {"a", "hashtag"}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s (format %q): tags %q, want the protocol's %q", name, format, got, want)
			}
		}
	}

	// HowYouTag: the fields, verbatim, not the '#' of the text.
	p := writeFile(t, dir, "train.tsv", "text with #inline\tu1\tGiven\tother\tGiven\nno fields\tu2\n")
	var got [][]string
	_, f, err := ReadFile(p, "", post.Options{}, func(p post.Post) error {
		got = append(got, p.Tags)
		return nil
	})
	if err != nil || f != post.FormatHowYouTag {
		t.Fatalf("howyoutag: %v, format %q", err, f)
	}
	if want := [][]string{{"Given", "other"}, {}}; !reflect.DeepEqual(got, want) {
		t.Errorf("howyoutag tags %q, want the fields %q", got, want)
	}
}

func jsonString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// TestReadFileErrors: a file that cannot be read is refused with an error
// that names it, by the format probe as by the read.
func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.json")
	unknown := writeFile(t, dir, "notes.txt", "just some words\n")
	bad := writeFile(t, dir, "bad.jsonl", `{"created_at":"nonsense","full_text":"#x","user":{"screen_name":"u"}}`+"\n")
	for _, p := range []string{missing, unknown, bad} {
		n := 0
		_, _, err := ReadFile(p, "", post.Options{}, func(post.Post) error { n++; return nil })
		if err == nil || !strings.Contains(err.Error(), p) || n != 0 {
			t.Errorf("ReadFile(%s): %v after %d posts, want an error naming the file", p, err, n)
		}
	}
	// A bad record first, then a good one: refused, or skipped on request.
	mixed := writeFile(t, dir, "mixed.jsonl", `{"created_at":"nonsense","full_text":"#x","user":{"screen_name":"u"}}`+"\n"+
		`{"created_at":"Wed Oct 10 20:19:24 +0000 2018","full_text":"#Good","user":{"screen_name":"u"}}`+"\n")
	if _, _, err := ReadFile(mixed, "", post.Options{}, func(post.Post) error { return nil }); err == nil || !strings.Contains(err.Error(), mixed) {
		t.Errorf("ReadFile(%s): %v, want the file refused", mixed, err)
	}
	var tags [][]string
	st, _, err := ReadFile(mixed, "", post.Options{SkipBad: true}, func(p post.Post) error { tags = append(tags, p.Tags); return nil })
	if err != nil || st.Bad != 1 || !reflect.DeepEqual(tags, [][]string{{"good"}}) {
		t.Errorf("ReadFile(%s) skipping bad records: %v, %+v, tags %q", mixed, err, st, tags)
	}
}

func TestFileFormat(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "x.tsv", "text\tuser\ttag\n")
	for _, c := range []struct {
		format, want post.Format
	}{{"", post.FormatHowYouTag}, {post.FormatIRA, post.FormatIRA}} {
		if f, err := FileFormat(p, c.format, post.Options{}); err != nil || f != c.want {
			t.Errorf("FileFormat(%s, %q) = %q, %v; want %q", p, c.format, f, err, c.want)
		}
	}
	if !TagsGiven(post.FormatHowYouTag) || TagsGiven(post.FormatTwitterJSON) || TagsGiven(post.FormatMastodon) {
		t.Error("only HowYouTag gives its hashtags in fields")
	}
}
