package post

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// maxLine bounds one line of a line-oriented format (16 MiB).
const maxLine = 16 << 20

// readHowYouTag reads "text \t user_id \t hashtag ..." lines.
func readHowYouTag(r io.Reader, s *sink, split string) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), maxLine)
	line := 0
	for sc.Scan() {
		line++
		l := strings.TrimSuffix(sc.Text(), "\r")
		if !utf8.ValidString(l) {
			s.bad(line, line, "", "is not valid UTF-8")
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) < 2 || strings.TrimSpace(f[1]) == "" {
			s.bad(line, line, "user_id", "missing: expected text, a tab, the user id, then tab-separated hashtags")
			continue
		}
		tags := uniqueTags(f[2:])
		if err := s.post(Post{Author: f[1], Text: f[0], Tags: tags, Split: split}); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return s.fatal(line+1, line+1, "line longer than %d bytes: not a HowYouTag TSV file?", maxLine)
		}
		return s.readError(line+1, line+1, err)
	}
	return nil
}

// uniqueTags is fields without empty ones and repeats, in order, in time
// linear in their number (a line may hold many thousands).
func uniqueTags(fields []string) []string {
	tags := make([]string, 0, len(fields))
	var seen map[string]bool
	for _, t := range fields {
		if t == "" {
			continue
		}
		if len(fields) <= 16 {
			if contains(tags, t) {
				continue
			}
		} else {
			if seen == nil {
				seen = make(map[string]bool, len(fields))
			}
			if seen[t] {
				continue
			}
			seen[t] = true
		}
		tags = append(tags, t)
	}
	return tags
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
