package text

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hashtag is one hashtag of a text, as the platforms' rule finds it (see
// the package documentation, "Hashtags as the platforms see them").
type Hashtag struct {
	// Key is the hashtag's identity: Form lower-cased (HashtagKey). Two
	// hashtags with the same key are the same hashtag.
	Key string
	// Form is the hashtag as written, without its marker: what the page
	// shows, in the person's own casing.
	Form string
	// Start is the byte offset of the marker ('#' or the full-width '＃')
	// in the text, End the offset just past the hashtag:
	// text[Start:End] is the marker followed by Form.
	Start, End int
}

// Full-width number sign, the marker Japanese and Chinese keyboards type.
const fullWidthHash = '＃'

// inHashtag reports whether r may appear in a hashtag after its marker:
// a Unicode letter, mark or decimal digit, '_', or one of the joiners and
// in-word marks of inWordMarks.
func inHashtag(r rune) bool {
	if 0 <= r && r < utf8.RuneSelf {
		return asciiTag[r]
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r) || strings.ContainsRune(inWordMarks, r)
}

// asciiTag[c] reports whether the ASCII character c is a hashtag
// character: a letter, a digit or '_'.
var asciiTag = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// inWordMarks are the characters other than letters, marks and digits that
// a hashtag holds, as X's and Mastodon's hashtags do: joiners and the
// punctuation that sits inside words of some scripts.
const inWordMarks = "" +
	"\u200c\u200d" + // zero width non-joiner and joiner (Persian, Sinhala, Indic scripts)
	"\u00b7" + // middle dot (Catalan "l·l")
	"\u05be\u05f3\u05f4" + // Hebrew maqaf, geresh, gershayim
	"\ua67e" + // Cyrillic kavyka
	"\u301c\uff5e" + // wave dash, full-width tilde (Japanese)
	"\u309b\u309c\u30a0\u30fb" + // kana voiced sound marks, double hyphen, katakana middle dot
	"\u3003" + // ditto mark, an ideographic iteration mark (々 and 〻 are letters already)
	"\u0f0b\u0f0c" // Tibetan tsheg and non-breaking tsheg

// emojiEnd reports whether r may end an emoji and still let a marker right
// after it start a hashtag: the variation selectors U+FE0E and U+FE0F and
// the combining enclosing keycap U+20E3. They are marks, which would
// otherwise glue the marker to the emoji. (Skin-tone modifiers are symbols,
// not marks: a marker after them starts a hashtag anyway.)
func emojiEnd(r rune) bool { return r == '\ufe0e' || r == '\ufe0f' || r == '\u20e3' }

// markerAfter reports whether a marker right after the rune prev (-1 at
// the start of the text) may start a hashtag.
func markerAfter(prev rune) bool {
	return prev < 0 || emojiEnd(prev) || (!inHashtag(prev) && prev != '&')
}

// scanHashtags calls fn for every hashtag of s by the platforms' rule, in
// order, with its byte span (marker included). It runs in time linear in
// len(s).
func scanHashtags(s string, fn func(sp span)) {
	urls := urlSpans(s)
	u := 0
	prev := rune(-1)
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if (r == '#' || r == fullWidthHash) && markerAfter(prev) {
			end, last, letter := i+size, rune(-1), false
			for end < len(s) {
				if c := s[end]; c < utf8.RuneSelf { // ASCII: the common case
					if !asciiTag[c] {
						break
					}
					letter = letter || (c > '9' && c != '_')
					last = rune(c)
					end++
					continue
				}
				q, n := utf8.DecodeRuneInString(s[end:])
				if !inHashtag(q) {
					break
				}
				letter = letter || unicode.IsLetter(q)
				last = q
				end += n
			}
			if letter {
				for u < len(urls) && urls[u].end <= i {
					u++
				}
				inURL := u < len(urls) && urls[u].start < end
				first, _ := utf8.DecodeRuneInString(s[i+size:])
				if !inURL && !emojiEnd(first) && !glued(s[end:]) {
					fn(span{i, end})
				}
				// The run's last rune is a hashtag character: a marker
				// right after it starts nothing, whether or not this one
				// was a hashtag.
				i, prev = end, last
				continue
			}
		}
		prev = r
		i += size
	}
}

// glued reports whether the text after a hashtag's run makes it no
// hashtag: another marker ("#a#b") or "://" ("#http://...").
func glued(rest string) bool {
	return strings.HasPrefix(rest, "#") || strings.HasPrefix(rest, "＃") || strings.HasPrefix(rest, "://")
}

// FindHashtags returns every hashtag of s by the platforms' rule, in order
// of appearance, repeats included; nil when s has none. It runs in time
// linear in len(s).
func FindHashtags(s string) []Hashtag {
	var out []Hashtag
	if n := countHashtags(s); n > smallTags {
		out = make([]Hashtag, 0, n) // one allocation for a long text
	}
	scanHashtags(s, func(sp span) {
		out = append(out, newHashtag(s, sp))
	})
	return out
}

// countHashtags returns how many hashtags s holds, when it may hold
// more than smallTags (else 0): a long list is then allocated once.
func countHashtags(s string) int {
	if strings.Count(s, "#")+strings.Count(s, "＃") <= smallTags {
		return 0
	}
	n := 0
	scanHashtags(s, func(span) { n++ })
	return n
}

func newHashtag(s string, sp span) Hashtag {
	_, m := utf8.DecodeRuneInString(s[sp.start:])
	form := s[sp.start+m : sp.end]
	return Hashtag{Key: lower(form), Form: form, Start: sp.start, End: sp.end}
}

// DistinctHashtags returns the hashtags of s by the platforms' rule, one
// per key, in order of first appearance, each as first written; nil when s
// has none. Deduplication is linear in the number of hashtags.
func DistinctHashtags(s string) []Hashtag {
	var out []Hashtag
	var seen map[string]bool
	scanHashtags(s, func(sp span) {
		h := newHashtag(s, sp)
		if seen == nil {
			for _, o := range out {
				if o.Key == h.Key {
					return
				}
			}
			if len(out) < smallTags {
				out = append(out, h)
				return
			}
			seen = make(map[string]bool, 2*len(out))
			for _, o := range out {
				seen[o.Key] = true
			}
		}
		n := len(seen)
		if seen[h.Key] = true; len(seen) == n {
			return // one map operation: the key was there
		}
		if len(out) == cap(out) {
			out = slices.Grow(out, len(out)) // double: fewer copies than append's growth
		}
		out = append(out, h)
	})
	return out
}

// HashtagKeys returns the keys of DistinctHashtags(s): the hashtags of s
// by the platforms' rule, lower-cased, without marker, in order of first
// appearance; nil when s has none.
func HashtagKeys(s string) []string {
	hs := DistinctHashtags(s)
	if hs == nil {
		return nil
	}
	keys := make([]string, len(hs))
	for i, h := range hs {
		keys[i] = h.Key
	}
	return keys
}

// HashtagKey returns the key of a hashtag written form (without its
// marker): form lower-cased rune by rune with Unicode simple case mapping
// (unicode.ToLower), as Hashtag.Key is.
func HashtagKey(form string) string { return lower(form) }

// HashtagBefore reports whether the text before byte offset at in s ends
// with a hashtag being typed, and where its marker starts: a marker that
// may start a hashtag (as in FindHashtags: not glued to a word, not in a
// URL), followed by nothing or by hashtag characters up to at. "#" and
// "#12" count (the person has not finished typing); "a#b" and
// "example.org/#x" do not. at is clamped to [0, len(s)]; an at inside a
// UTF-8 sequence is moved back to the start of that sequence.
func HashtagBefore(s string, at int) (start int, ok bool) {
	at = max(0, min(at, len(s)))
	for at > 0 && at < len(s) && !utf8.RuneStart(s[at]) {
		at--
	}
	i := at
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		if r == '#' || r == fullWidthHash {
			i -= n
			break
		}
		if !inHashtag(r) {
			return 0, false
		}
		i -= n
	}
	r, n := utf8.DecodeRuneInString(s[i:at])
	if r != '#' && r != fullWidthHash {
		return 0, false
	}
	prev := rune(-1)
	if i > 0 {
		prev, _ = utf8.DecodeLastRuneInString(s[:i])
	}
	if !markerAfter(prev) {
		return 0, false
	}
	if first, _ := utf8.DecodeRuneInString(s[i+n : at]); emojiEnd(first) {
		return 0, false
	}
	for _, u := range urlSpans(s) {
		if u.start <= i && i < u.end {
			return 0, false
		}
	}
	return i, true
}
