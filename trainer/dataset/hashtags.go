package dataset

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashtag-rec/hashtag/model/post"
)

// Hashtags returns the hashtags of a post's text as the benchmark protocol
// defines them (../shared/BENCHMARK.md, "Hashtags of a post"), which make
// its gold labels:
//
// A hashtag is a '#' at the start of the text or after a character that is
// not a hashtag character, followed by one or more hashtag characters of
// which at least one is a letter. Hashtag characters are Unicode letters
// (L*), marks (M*), decimal digits (Nd) and '_'. The hashtag is that run,
// lower-cased rune by rune with Unicode simple case mapping
// (unicode.ToLower). A post's hashtags are deduplicated, in order of first
// appearance. No HTML entity is decoded first ("&#39;" is no hashtag).
//
// It returns nil when the text has none. The rule is fixed to the byte: every
// reference count depends on it. It is not what the page calls a person's
// hashtags (model/text.FindHashtags, the platforms' rule); the models'
// tokeniser removes exactly these hashtags (model/text.StripModelHashtags,
// checked against this rule by the tests).
func Hashtags(s string) []string {
	var tags []string
	var seen map[string]bool // once there are many, deduplicate by map
	prevTag := false         // whether the previous rune is a hashtag character
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '#' && !prevTag {
			end, letter := i+1, false
			for end < len(s) {
				q, n := utf8.DecodeRuneInString(s[end:])
				if !isTagRune(q) {
					break
				}
				letter = letter || unicode.IsLetter(q)
				end += n
			}
			if letter {
				tag := strings.Map(unicode.ToLower, s[i+1:end])
				if seen == nil && len(tags) >= 16 {
					seen = make(map[string]bool, 2*len(tags))
					for _, t := range tags {
						seen[t] = true
					}
				}
				switch {
				case seen != nil && !seen[tag]:
					seen[tag] = true
					tags = append(tags, tag)
				case seen == nil && !contains(tags, tag):
					tags = append(tags, tag)
				}
				// The run's last rune is a hashtag character: a '#' right
				// after it starts no hashtag.
				i, prevTag = end, true
				continue
			}
		}
		prevTag = isTagRune(r)
		i += size
	}
	return tags
}

// isTagRune reports whether r is a hashtag character of the protocol: a
// Unicode letter, mark or decimal digit, or '_'.
func isTagRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TagsGiven reports whether a format gives a post's hashtags in fields of
// their own, which the protocol takes verbatim (HowYouTag), rather than in
// the text.
func TagsGiven(f post.Format) bool { return f == post.FormatHowYouTag }

// errProbe stops the read that FileFormat makes at the first post.
var errProbe = errors.New("format probe")

// FileFormat returns the format post.ReadFile reads path as: format itself
// when it is given, else the format recognised from the file, by
// post.ReadFile's own recognition (whatever it reads, archives included).
// It reads the file up to its first post only, unless records before it
// are bad: then the file's error is returned (as post.ReadFile returns it
// with opts).
func FileFormat(path string, format post.Format, opts post.Options) (post.Format, error) {
	_, f, err := probe(path, format, opts)
	return f, err
}

// probe is FileFormat, with the reader's statistics when it fails.
func probe(path string, format post.Format, opts post.Options) (post.Stats, post.Format, error) {
	if format != "" {
		return post.Stats{}, format, nil
	}
	st, f, err := post.ReadFile(path, "", opts, func(post.Post) error { return errProbe })
	if err != nil && !errors.Is(err, errProbe) {
		return st, f, err
	}
	if f == "" {
		return st, "", fmt.Errorf("%s: the format was not recognised", path)
	}
	return post.Stats{}, f, nil
}

// ReadFile reads path as post.ReadFile does (format empty: recognised from
// the file) and calls fn for each post with its Tags as the protocol
// defines them: the given fields where the format has them (TagsGiven),
// else Hashtags(Text), whatever the reader filled in. Every reader of a
// corpus for the protocol goes through it.
func ReadFile(path string, format post.Format, opts post.Options, fn func(post.Post) error) (post.Stats, post.Format, error) {
	st, f, err := probe(path, format, opts)
	if err != nil {
		return st, f, err
	}
	read := fn
	if !TagsGiven(f) {
		read = func(p post.Post) error {
			p.Tags = Hashtags(p.Text)
			return fn(p)
		}
	}
	st, got, err := post.ReadFile(path, format, opts, read)
	if err == nil && got != f {
		err = fmt.Errorf("%s: read as %s after it was recognised as %s", path, got, f)
	}
	return st, got, err
}
