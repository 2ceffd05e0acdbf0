package text

import (
	"unicode"
	"unicode/utf8"
)

// urlSpans returns the byte spans of the URLs of s, in order and disjoint,
// for the platforms' hashtag rule (no hashtag inside a URL). A URL is
//
//   - a scheme ("http", "https", any ASCII letter followed by letters,
//     digits, '+', '-' or '.') followed by "://"; or
//   - a host name with a dot and a last label of two letters or more
//     ("docs.example.org", "bücher.de"), optionally a port (":8080"),
//     followed by '/', the host not right after '#', '＃', '@', '＠' or '$'
//     (in "#docs.example.org/x" the "#docs" is a hashtag, as on X);
//
// and it runs from there over ASCII characters other than spaces and
// controls and over non-ASCII letters, marks and digits (an IRI's path): it
// ends at a space, a control character, or other non-ASCII punctuation and
// symbols (a Japanese full stop, an emoji). Finding every URL costs time
// linear in len(s): each backward look stops at the previous '/'.
func urlSpans(s string) []span {
	var out []span
	lo := 0 // the end of the last URL: no look goes back past it
	for i := 0; i < len(s); i++ {
		if s[i] != '/' {
			continue
		}
		start := schemeStart(s, lo, i)
		if start < 0 {
			start = hostStart(s, lo, i)
		}
		if start < 0 {
			continue
		}
		end := urlEnd(s, i)
		out = append(out, span{start, end})
		lo = end
		i = end - 1
	}
	return out
}

// schemeStart returns where the scheme of a URL starts if s[i:] starts
// "//" after a ':' that ends a scheme (looking no further back than lo),
// or -1.
func schemeStart(s string, lo, i int) int {
	if i-1 < lo || s[i-1] != ':' || i+1 >= len(s) || s[i+1] != '/' {
		return -1
	}
	j := i - 1
	for j > lo && isSchemeByte(s[j-1]) {
		j--
	}
	for j < i-1 && !isASCIILetter(s[j]) {
		j++
	}
	if j == i-1 {
		return -1
	}
	return j
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isSchemeByte(c byte) bool {
	return isASCIILetter(c) || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}

// hostStart returns where a host name (and port) ending at the '/' at s[i]
// starts, looking no further back than lo, or -1 if what precedes the '/'
// is no host name.
func hostStart(s string, lo, i int) int {
	j := i
	k := j
	for k > lo && '0' <= s[k-1] && s[k-1] <= '9' {
		k--
	}
	if k < j && k > lo && s[k-1] == ':' {
		j = k - 1
	}
	h := j
	for h > lo {
		r, n := utf8.DecodeLastRuneInString(s[lo:h])
		if r != '.' && r != '-' && !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r) {
			break
		}
		h -= n
	}
	for h < j && (s[h] == '.' || s[h] == '-') {
		h++
	}
	host := s[h:j]
	dot := -1
	for k := len(host) - 1; k >= 0; k-- {
		if host[k] == '.' {
			dot = k
			break
		}
	}
	if dot <= 0 || host[dot-1] == '.' {
		return -1
	}
	tld := host[dot+1:]
	n := 0
	for _, r := range tld {
		if !unicode.IsLetter(r) {
			return -1
		}
		n++
	}
	if n < 2 {
		return -1
	}
	if h > 0 {
		switch r, _ := utf8.DecodeLastRuneInString(s[:h]); r {
		case '#', fullWidthHash, '@', '＠', '$':
			return -1
		}
	}
	return h
}

// urlEnd returns where a URL that reaches s[i] ends.
func urlEnd(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r < utf8.RuneSelf:
			if r <= ' ' || r == 0x7f {
				return i
			}
		case r == utf8.RuneError && n == 1:
			return i
		case !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r):
			return i
		}
		i += n
	}
	return len(s)
}
