package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsHashtagRune reports whether r may appear in a hashtag after the '#':
// a Unicode letter, mark or decimal digit, or '_'.
func IsHashtagRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r)
}

// span is one hashtag found in a text: s[start:end] is "#tag".
type span struct{ start, end int }

// scan calls fn for every hashtag of s, in order, with its byte span
// (including the '#').
func scan(s string, fn func(sp span)) {
	prevTag := false // whether the previous rune is a hashtag rune
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '#' && !prevTag {
			end, letter := i+1, false
			for end < len(s) {
				q, n := utf8.DecodeRuneInString(s[end:])
				if !IsHashtagRune(q) {
					break
				}
				if unicode.IsLetter(q) {
					letter = true
				}
				end += n
			}
			if letter {
				fn(span{i, end})
				// The last rune of the run is a hashtag rune, so a '#' right
				// after it starts no hashtag.
				i, prevTag = end, true
				continue
			}
		}
		prevTag = IsHashtagRune(r)
		i += size
	}
}

// Hashtags returns the hashtags of s as the benchmark protocol defines them:
// lower-cased, without '#', deduplicated in order of first appearance.
// It returns nil when s has none.
func Hashtags(s string) []string {
	var tags []string
	scan(s, func(sp span) {
		tag := lower(s[sp.start+1 : sp.end])
		for _, t := range tags {
			if t == tag {
				return
			}
		}
		tags = append(tags, tag)
	})
	return tags
}

// StripHashtags returns s with every hashtag (the '#' and the hashtag
// characters after it) deleted. Everything else is kept byte for byte.
func StripHashtags(s string) string {
	var b strings.Builder
	last := 0
	scan(s, func(sp span) {
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:sp.start])
		last = sp.end
	})
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// lower applies Unicode simple lower-casing rune by rune. Invalid UTF-8 never
// reaches it: a hashtag run holds only letters, marks, digits and '_'.
func lower(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
