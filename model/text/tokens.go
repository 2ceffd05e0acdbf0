package text

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxWords is the paper's limit on the words kept from one post.
const MaxWords = 52

// Tokens returns the model words of a post's raw text, at most max of them
// (max <= 0 means MaxWords). See the package documentation for the rules.
func Tokens(raw string, max int) []string {
	return AppendTokens(nil, raw, max)
}

// AppendTokens appends the words of raw to dst, as Tokens does, and returns
// the extended slice.
func AppendTokens(dst []string, raw string, max int) []string {
	if max <= 0 {
		max = MaxWords
	}
	s := StripModelHashtags(raw)
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	n := 0
	var word strings.Builder
	flush := func() {
		if word.Len() == 0 {
			return
		}
		w := word.String()
		word.Reset()
		if keep(w) {
			dst = append(dst, w)
			n++
		}
	}
	inWord := false // whether the previous rune is a letter, mark or digit
	for i := 0; i < len(s) && n < max; {
		if !inWord {
			if skip := dropped(s[i:]); skip > 0 {
				flush()
				i += skip
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		inWord = unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r)
		switch {
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r):
			word.WriteRune(unicode.ToLower(r))
		case (r == '\'' || r == '’') && word.Len() > 0 && i+size < len(s) && nextIsLetter(s[i+size:]):
			// an apostrophe inside a word: "don't" -> "dont"
		default:
			flush()
		}
		i += size
	}
	if n < max {
		flush()
	}
	return dst
}

func nextIsLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

// dropped returns the length of a URL or mention that starts s, or 0.
func dropped(s string) int {
	switch c := s[0]; {
	case c == '@':
		n := 1
		for n < len(s) {
			r, size := utf8.DecodeRuneInString(s[n:])
			if !isModelTagRune(r) {
				break
			}
			n += size
		}
		if n > 1 {
			return n
		}
	case c == 'h' || c == 'H' || c == 'w' || c == 'W' || c == 'p' || c == 'P':
		for _, p := range urlPrefixes {
			if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
				return untilSpace(s)
			}
		}
	}
	return 0
}

var urlPrefixes = []string{"http://", "https://", "www.", "pic.twitter.com/"}

func untilSpace(s string) int {
	for i, r := range s {
		if unicode.IsSpace(r) {
			return i
		}
	}
	return len(s)
}

func keep(w string) bool {
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	digits := true
	for _, r := range w {
		if !unicode.Is(unicode.Nd, r) {
			digits = false
			break
		}
	}
	if digits {
		return false
	}
	_, stop := stopwords[w]
	return !stop
}

// stopwords is NLTK's English list (apostrophes removed as the tokeniser
// removes them) plus "rt", "amp" and "via".
var stopwords = func() map[string]struct{} {
	m := make(map[string]struct{})
	for _, w := range strings.Fields(`i me my myself we our ours ourselves you youre youve youll youd your yours
	yourself yourselves he him his himself she shes her hers herself it its itself they them their theirs
	themselves what which who whom this that thatll these those am is are was were be been being have has had
	having do does did doing a an the and but if or because as until while of at by for with about against
	between into through during before after above below to from up down in out on off over under again further
	then once here there when where why how all any both each few more most other some such no nor not only own
	same so than too very s t can will just don dont should shouldve now d ll m o re ve y ain aren arent couldn
	couldnt didn didnt doesn doesnt hadn hadnt hasn hasnt haven havent isn isnt ma mightn mightnt mustn mustnt
	needn neednt shan shant shouldn shouldnt wasn wasnt weren werent won wont wouldn wouldnt
	rt amp via im`) {
		m[w] = struct{}{}
	}
	return m
}()
