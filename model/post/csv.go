package post

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// iraColumns are the IRA CSV columns a post needs, by header name.
var iraColumns = []string{"author", "content", "language", "publish_date", "retweet"}

func readIRA(r io.Reader, s *sink) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // checked below, with a clearer message
	idx, width, err := csvHeader(cr, s, iraColumns, nil)
	if err != nil {
		return err
	}
	for rec := 1; ; rec++ {
		fields, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && (pe.Err == csv.ErrQuote || pe.Err == csv.ErrBareQuote) {
				// The csv reader resumes after the record's last line. An
				// unclosed quote runs to the end of the file, so everything
				// after it is one bad record.
				if pe.Line > pe.StartLine {
					s.bad(pe.StartLine, rec, "", "broken CSV quoting: a quoted field is not closed properly (%v at line %d column %d); lines %d-%d are skipped as this one record",
						pe.Err, pe.Line, pe.Column, pe.StartLine, pe.Line)
				} else {
					s.bad(pe.StartLine, rec, "", "broken CSV quoting at line %d column %d: %v", pe.Line, pe.Column, pe.Err)
				}
				continue
			}
			// A read error of the stream itself (truncated gzip): stop. The
			// csv reader gives no line for it (FieldPos would panic on a
			// record without fields).
			return s.readError(0, rec, err)
		}
		// A record read without error has at least one field.
		line, _ := cr.FieldPos(0)
		if len(fields) != width {
			s.bad(line, rec, "", "has %d fields, expected %d as in the header", len(fields), width)
			continue
		}
		p, field, msg := iraPost(fields, idx)
		if msg != "" {
			s.bad(line, rec, field, "%s", msg)
			continue
		}
		if err := s.post(p); err != nil {
			return err
		}
	}
}

// csvHeader reads a CSV header row and finds the columns named in need,
// then those in opt (-1 for one that is absent). A column named twice is
// refused, naming it: which of the two holds the data is unknown.
func csvHeader(cr *csv.Reader, s *sink, need, opt []string) (idx []int, width int, err error) {
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, 0, s.fatal(1, 0, "empty file: expected a CSV header row naming the columns %v", need)
		}
		return nil, 0, s.fatal(1, 0, "cannot read the CSV header row: %v", err)
	}
	header = append([]string(nil), header...) // ReuseRecord
	col := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if j, ok := col[h]; ok && h != "" {
			return nil, 0, s.fatal(1, 0, "CSV header names the column %q twice (columns %d and %d): which one holds the data is unknown", h, j+1, i+1)
		}
		col[h] = i
	}
	for _, name := range need {
		j, ok := col[name]
		if !ok {
			return nil, 0, s.fatal(1, 0, "CSV header has no column %q (need %v; found %v)", name, need, header)
		}
		idx = append(idx, j)
	}
	for _, name := range opt {
		j, ok := col[name]
		if !ok {
			j = -1
		}
		idx = append(idx, j)
	}
	return idx, len(header), nil
}

// iraPost builds a post from one CSV record, or names the bad field.
func iraPost(f []string, idx []int) (p Post, field, msg string) {
	author, content, lang, date, rt := f[idx[0]], f[idx[1]], f[idx[2]], f[idx[3]], f[idx[4]]
	if !utf8.ValidString(content) {
		return p, "content", "is not valid UTF-8"
	}
	if !utf8.ValidString(author) || author == "" {
		return p, "author", "is empty or not valid UTF-8"
	}
	t, ok := normaliseIRADate(date)
	if !ok {
		return p, "publish_date", fmt.Sprintf("%q is not a date: expected YYYY-MM-DD HH:MM:SS (or M/D/YYYY H:MM)", date)
	}
	var retweet bool
	switch rt {
	case "0":
	case "1":
		retweet = true
	default:
		return p, "retweet", fmt.Sprintf("%q: expected 0 or 1", rt)
	}
	return Post{Author: author, Time: t, Text: content, Lang: lang, Retweet: retweet}, "", ""
}

// normaliseIRADate accepts "YYYY-MM-DD HH:MM:SS" as is, and the original
// release's "M/D/YYYY H:MM", which it rewrites to the first form. The date
// must be a real one (no 2017-13-45, no 2/30/2017, no 25:61) and nothing may
// follow it.
func normaliseIRADate(s string) (string, bool) {
	if len(s) == 19 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' && s[16] == ':' &&
		digits(s[0:4]) && digits(s[5:7]) && digits(s[8:10]) && digits(s[11:13]) && digits(s[14:16]) && digits(s[17:19]) {
		if _, err := time.Parse(time.DateTime, s); err != nil {
			return "", false
		}
		return s, true
	}
	t, err := time.Parse("1/2/2006 15:04", s)
	if err != nil || t.Year() < 1000 {
		return "", false
	}
	return t.Format(time.DateTime), true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
