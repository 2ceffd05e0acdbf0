package post

import (
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// The two formats of the Twitter archives handed out before 2019, which
// held both (with the same tweets): the Grailbird monthly files of
// data/js/tweets/ and the tweets.csv at the archive's root.

// grailbirdPrefix is the assignment before a month's array.
var grailbirdPrefix = regexp.MustCompile(`^Grailbird\.data\.tweets_[0-9]{4}_[0-9]{2}[ \t\r]*$`)

func validGrailbirdPrefix(p string) bool { return grailbirdPrefix.MatchString(p) }

// grailbirdTimeLayout is the layout of a Grailbird status's created_at.
const grailbirdTimeLayout = "2006-01-02 15:04:05 -0700"

// readGrailbird reads one Grailbird month,
// "Grailbird.data.tweets_2013_01 = [ status, ... ]", whose statuses are
// Twitter API v1.1 statuses with created_at as "2013-01-31 16:13:28 +0000"
// (some archives write the API's own "Thu Jan 31 16:13:28 +0000 2013": both
// are read). Author is user.screen_name; a retweet carries
// retweeted_status (or its text starts "RT @"). The posts are the person's
// own (Own).
func readGrailbird(r io.Reader, s *sink) error {
	return readJSAssignment(r, s, validGrailbirdPrefix, "Grailbird.data.tweets_YYYY_MM = [", "a Grailbird month (data/js/tweets/YYYY_MM.js)", grailbirdRecord)
}

// grailbirdRecord turns one status of a Grailbird month into a post or a
// bad record.
func grailbirdRecord(s *sink, raw []byte, line, rec int) error {
	var st twitterStatus
	if field, msg := decodeRecord(raw, &st); msg != "" {
		s.bad(line, rec, field, "%s", msg)
		return nil
	}
	txt, ok := st.text()
	if !ok {
		s.bad(line, rec, "text", "missing: not an archived tweet (expected {\"text\": ..., \"created_at\": ...})")
		return nil
	}
	if st.CreatedAt == nil {
		s.bad(line, rec, "created_at", "missing: expected the time as \"2013-01-31 16:13:28 +0000\"")
		return nil
	}
	t, ok := oldTwitterTime(*st.CreatedAt, grailbirdTimeLayout, time.RubyDate)
	if !ok {
		s.bad(line, rec, "created_at", "%q is not a time: expected \"2013-01-31 16:13:28 +0000\"", *st.CreatedAt)
		return nil
	}
	var author string
	if st.User != nil {
		author = st.User.ScreenName
		if author == "" {
			author = st.User.IDStr
		}
	}
	return s.post(Post{Author: author, Time: t, Text: txt, Lang: st.Lang,
		Retweet: strings.HasPrefix(txt, "RT @") || st.retweet(), Own: true})
}

// oldTwitterTime parses s with the first layout that takes it whole and
// gives a Post's Time; time.Parse checks the calendar (no 2013-02-30).
func oldTwitterTime(s string, layouts ...string) (string, bool) {
	for _, l := range layouts {
		if tm, err := time.Parse(l, s); err == nil {
			return postTime(tm)
		}
	}
	return "", false
}

// tweetsCSVColumns are the columns of the old tweets.csv a post needs; the
// optional ones follow.
var (
	tweetsCSVColumns  = []string{"timestamp", "text"}
	tweetsCSVOptional = []string{"retweeted_status_id"}
)

// readTweetsCSV reads the tweets.csv of a Twitter archive from before 2019:
// a header row ("tweet_id", "in_reply_to_status_id", ..., "timestamp",
// "source", "text", "retweeted_status_id", ...; columns found by name, in
// any order), then one tweet per row. timestamp is "2013-01-31 16:13:28
// +0000"; a retweet has a retweeted_status_id (or its text starts "RT @").
// The file names no author or language: Author and Lang are empty, and the
// posts are the person's own (Own).
func readTweetsCSV(r io.Reader, s *sink) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	idx, width, err := csvHeader(cr, s, tweetsCSVColumns, tweetsCSVOptional)
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
				s.bad(pe.StartLine, rec, "", "broken CSV quoting at line %d column %d: %v", pe.Line, pe.Column, pe.Err)
				continue
			}
			return s.readError(0, rec, err)
		}
		line, _ := cr.FieldPos(0)
		if len(fields) != width {
			s.bad(line, rec, "", "has %d fields, expected %d as in the header", len(fields), width)
			continue
		}
		ts, txt := fields[idx[0]], fields[idx[1]]
		if !utf8.ValidString(txt) {
			s.bad(line, rec, "text", "is not valid UTF-8")
			continue
		}
		t, ok := oldTwitterTime(ts, grailbirdTimeLayout, time.DateTime)
		if !ok {
			s.bad(line, rec, "timestamp", "%q is not a time: expected \"2013-01-31 16:13:28 +0000\"", ts)
			continue
		}
		rt := strings.HasPrefix(txt, "RT @")
		if j := idx[2]; j >= 0 && strings.TrimSpace(fields[j]) != "" {
			rt = true
		}
		if err := s.post(Post{Time: t, Text: txt, Retweet: rt, Own: true}); err != nil {
			return err
		}
	}
}
