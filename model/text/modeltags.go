package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// isModelTagRune reports whether r may appear after the '#' of a hashtag by
// the model's rule: a Unicode letter, mark or decimal digit, or '_'. The
// tokeniser also uses it for the characters of a mention.
func isModelTagRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r)
}

// span is a byte range s[start:end] of a text.
type span struct{ start, end int }

// scanModel calls fn for every hashtag of s by the model's rule, in order,
// with its byte span (the '#' included).
func scanModel(s string, fn func(sp span)) {
	prevTag := false // whether the previous rune is a hashtag rune
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '#' && !prevTag {
			end, letter := i+1, false
			for end < len(s) {
				q, n := utf8.DecodeRuneInString(s[end:])
				if !isModelTagRune(q) {
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
		prevTag = isModelTagRune(r)
		i += size
	}
}

// ModelHashtags returns the hashtags of s by the model's rule, the one
// whose hashtags Tokens removes (StripModelHashtags): lower-cased, without
// '#', deduplicated in order of first appearance; nil when s has none. It
// is the benchmark protocol's rule (../shared/BENCHMARK.md, "Hashtags of a
// post", which trainer/dataset implements as the protocol's own), the one
// the shipped models' training data was made with. What the page treats as
// a person's hashtags follows the platforms' rule instead: see
// FindHashtags.
func ModelHashtags(s string) []string {
	var tags []string
	var seen map[string]bool // built once tags is long enough to need it
	scanModel(s, func(sp span) {
		tag := lower(s[sp.start+1 : sp.end])
		if !addTag(&seen, tags, tag) {
			return
		}
		tags = append(tags, tag)
	})
	return tags
}

// smallTags is how many distinct tags are compared one by one before a
// deduplication switches to a map (a post has a handful; a pasted history
// may have thousands).
const smallTags = 16

// addTag reports whether tag is not among tags, the distinct tags so far,
// and records it in *seen once there are more than smallTags of them.
func addTag(seen *map[string]bool, tags []string, tag string) bool {
	if *seen == nil {
		for _, t := range tags {
			if t == tag {
				return false
			}
		}
		if len(tags) >= smallTags {
			*seen = make(map[string]bool, 2*len(tags))
			for _, t := range tags {
				(*seen)[t] = true
			}
			(*seen)[tag] = true
		}
		return true
	}
	if (*seen)[tag] {
		return false
	}
	(*seen)[tag] = true
	return true
}

// StripModelHashtags returns s with every hashtag by the model's rule (the
// '#' and the hashtag characters after it) deleted, everything else kept
// byte for byte. It is the first step of Tokens: the words of the shipped
// models were made this way, and the benchmark protocol removes exactly
// these hashtags from the texts a model reads.
func StripModelHashtags(s string) string {
	var b strings.Builder
	last := 0
	scanModel(s, func(sp span) {
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

// lower applies Unicode simple lower-casing rune by rune
// (unicode.ToLower). Invalid UTF-8 never reaches it: a hashtag run holds
// only valid runes.
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
