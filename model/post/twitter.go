package post

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// twitterUser is the part of a v1.1 user object a post needs. With the
// API's trim_user the object holds only "id" and "id_str".
type twitterUser struct {
	ScreenName string `json:"screen_name"`
	IDStr      string `json:"id_str"`
}

// twitterStatus is the part of a Twitter API v1.1 status (or of a status in
// a personal archive's tweets.js) a post needs. Pointers tell a missing
// field from an empty one.
type twitterStatus struct {
	CreatedAt *string      `json:"created_at"`
	FullText  *string      `json:"full_text"`
	Text      *string      `json:"text"`
	Lang      string       `json:"lang"`
	User      *twitterUser `json:"user"`
	// ExtendedTweet is where the streaming API (in its compatibility mode)
	// puts the untruncated text of a status longer than 140 characters,
	// whose "text" is then cut short and "truncated" is true.
	ExtendedTweet *struct {
		FullText *string `json:"full_text"`
	} `json:"extended_tweet"`
	RetweetedStatus json.RawMessage `json:"retweeted_status"`
}

// archiveItem is one element of tweets.js: {"tweet": {...}} in archives
// since 2019, the status itself in older ones.
type archiveItem struct {
	Tweet *twitterStatus `json:"tweet"`
	twitterStatus
}

// twitterTimeLayout is the layout of created_at: "Wed Oct 10 20:19:24 +0000 2018".
const twitterTimeLayout = time.RubyDate

// postTime formats t as a Post's Time, in UTC. ok is false for a year that
// would not sort as text (outside 1-9999).
func postTime(t time.Time) (string, bool) {
	t = t.UTC()
	if t.Year() < 1 || t.Year() > 9999 {
		return "", false
	}
	return t.Format("2006-01-02 15:04:05"), true
}

// text returns the status text as the protocol defines it: full_text if
// present, else text. For a streaming API status, extended_tweet.full_text
// comes before text: that is the status's full text, of which text is a
// truncated copy. (The protocol names only full_text and text; this is the
// same rule applied to where the streaming API puts full_text.)
func (st *twitterStatus) text() (string, bool) {
	switch {
	case st.FullText != nil:
		return *st.FullText, true
	case st.ExtendedTweet != nil && st.ExtendedTweet.FullText != nil:
		return *st.ExtendedTweet.FullText, true
	case st.Text != nil:
		return *st.Text, true
	}
	return "", false
}

// retweet reports whether retweeted_status is present and not null.
func (st *twitterStatus) retweet() bool { return !isNull(st.RetweetedStatus) }

// readTwitterJSON reads Twitter API v1.1 statuses: a JSON array of them, or
// one per line (JSON Lines).
//
// A file whose first line is a whole JSON value is read as JSON Lines, line
// by line: a line that is not valid JSON is one bad record and reading goes
// on at the next line. Otherwise (an array, or objects spread over several
// lines) the file is read as a stream of JSON values, and a syntax error
// ends the reading with a fatal error naming its line: where the next value
// starts is then unknown.
//
// Streaming API messages that are not statuses ("delete", "limit",
// "scrub_geo", "status_withheld", ...) are well formed: they count as
// Ignored. Any other object without "text" or "full_text" is a bad record.
func readTwitterJSON(r io.Reader, s *sink) error { return readTwitterFrom(newJSONReader(r, s)) }

func readTwitterFrom(j *jsonReader) error {
	s := j.s
	c, err := j.skipSpace()
	if err != nil {
		return err
	}
	switch c {
	case '[':
		j.startDecoder()
		if err := j.openArray("an array of statuses"); err != nil {
			return err
		}
		if err := j.elements(func(raw []byte, line, rec int) error {
			return twitterRecord(s, raw, line, rec)
		}); err != nil {
			return err
		}
		return j.end("", "the array of statuses")
	case '{':
		return readTwitterLines(j)
	case 0:
		return s.fatal(1, 0, "empty file: expected a JSON array of Twitter statuses or one status per line")
	}
	line, col := j.lr.at(j.base)
	return s.fatal(line, 0, "column %d: found %q: a Twitter JSON file starts with '[' (an array of statuses) or '{' (one status per line)", col, c)
}

// readTwitterLines reads a file that starts with '{': JSON Lines when its
// first line is a whole JSON value, else a stream of JSON values.
func readTwitterLines(j *jsonReader) error {
	s := j.s
	line, _ := j.lr.at(j.base)
	first, err := readLine(j.br)
	if err == errLongLine {
		return s.fatal(line, 1, "first line longer than %d bytes: not a file of Twitter statuses", maxLine)
	}
	if err != nil && err != io.EOF {
		return s.readError(line, 1, err)
	}
	if !json.Valid(bytes.TrimSpace(first)) {
		// Objects spread over lines (pretty-printed, concatenated): decode
		// the stream from where the first line starts.
		if err == nil {
			first = append(first, '\n')
		}
		j.dec = json.NewDecoder(io.MultiReader(bytes.NewReader(first), j.br))
		for {
			var raw json.RawMessage
			j.rec++
			err := j.dec.Decode(&raw)
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return j.streamError(err)
			}
			line, _ := j.lr.at(j.offset() - int64(len(raw)))
			if err := twitterRecord(s, raw, line, j.rec); err != nil {
				return err
			}
		}
	}
	// JSON Lines: lines are counted here.
	j.lr.off = true
	for rec := 1; ; line++ {
		l := bytes.TrimSpace(first)
		if len(l) > 0 {
			if err := twitterRecord(s, l, line, rec); err != nil {
				return err
			}
			rec++
		}
		if err == io.EOF {
			return nil
		}
		first, err = readLine(j.br)
		switch {
		case err == errLongLine:
			s.bad(line+1, rec, "", "line longer than %d bytes: skipped", maxLine)
			rec++
			first = nil
		case err != nil && err != io.EOF:
			return s.readError(line+1, rec, err)
		}
	}
}

var errLongLine = fmt.Errorf("line longer than %d bytes", maxLine)

// readLine reads one line (without its '\n') of at most maxLine bytes. It
// returns io.EOF with the last line, which may be empty. A longer line is
// consumed and errLongLine returned.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	long := false
	for {
		b, err := br.ReadSlice('\n')
		if !long {
			if len(line)+len(b) > maxLine+1 {
				long, line = true, nil
			} else {
				line = append(line, b...)
			}
		}
		switch err {
		case nil:
			if long {
				return nil, errLongLine
			}
			return line[:len(line)-1], nil
		case io.EOF:
			if long {
				return nil, errLongLine
			}
			return line, io.EOF
		default:
			if err == bufio.ErrBufferFull {
				continue
			}
			return line, err
		}
	}
}

// streamMessages are the top-level keys of the streaming API's messages
// that are not statuses.
var streamMessages = []string{"delete", "scrub_geo", "limit", "status_withheld", "user_withheld",
	"disconnect", "warning", "friends", "friends_str", "event", "control", "direct_message"}

// twitterRecord turns one status of a Twitter JSON file into a post, a bad
// record or an ignored one.
func twitterRecord(s *sink, raw []byte, line, rec int) error {
	var st twitterStatus
	if field, msg := decodeRecord(raw, &st); msg != "" {
		s.bad(line, rec, field, "%s", msg)
		return nil
	}
	txt, ok := st.text()
	if !ok {
		var keys map[string]json.RawMessage
		json.Unmarshal(raw, &keys)
		for _, k := range streamMessages {
			if _, ok := keys[k]; ok {
				s.ignore()
				return nil
			}
		}
		s.bad(line, rec, "", "is not a Twitter status: it has no \"text\" or \"full_text\"%s", notStatusHint(keys))
		return nil
	}
	var author string
	if st.User != nil {
		author = st.User.ScreenName
		if author == "" {
			author = st.User.IDStr // trim_user
		}
	}
	if author == "" {
		s.bad(line, rec, "user", "missing, or without screen_name and id_str: expected the author's user object")
		return nil
	}
	t, field, msg := statusTime(&st)
	if msg != "" {
		s.bad(line, rec, field, "%s", msg)
		return nil
	}
	return s.post(Post{Author: author, Time: t, Text: txt, Lang: st.Lang, Retweet: st.retweet()})
}

// statusTime parses created_at.
func statusTime(st *twitterStatus) (t, field, msg string) {
	if st.CreatedAt == nil {
		return "", "created_at", "missing: expected the time as \"Mon Jan 02 15:04:05 +0000 2006\""
	}
	tm, err := time.Parse(twitterTimeLayout, *st.CreatedAt)
	if err != nil {
		return "", "created_at", fmt.Sprintf("%q is not a time: expected \"Mon Jan 02 15:04:05 +0000 2006\"", *st.CreatedAt)
	}
	t, ok := postTime(tm)
	if !ok {
		return "", "created_at", fmt.Sprintf("%q: year out of range", *st.CreatedAt)
	}
	return t, "", ""
}

// notStatusHint says what an object without text looks like, if it is a
// known shape.
func notStatusHint(keys map[string]json.RawMessage) string {
	if _, ok := keys["statuses"]; ok {
		return " (it looks like a search API response: give its \"statuses\" array, e.g. jq '.statuses')"
	}
	if _, ok := keys["data"]; ok {
		return " (it looks like a Twitter API v2 response, which this reader does not read)"
	}
	if _, ok := keys["tweet"]; ok {
		return " (it looks like an element of an archive's tweets.js: use --format tweets-js)"
	}
	if len(keys) == 0 {
		return ""
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) > 8 {
		names = append(names[:8], "...")
	}
	return " (its keys: " + strings.Join(names, ", ") + ")"
}

// readTweetsJS reads a personal Twitter archive's data/tweets.js:
// "window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]". The elements of
// archives before 2019 are the statuses themselves, without the "tweet"
// wrapper: both are read.
//
// An archive is one person's and its statuses carry no user object, so
// Author is empty unless a status has one (then it is read as for Twitter
// JSON). An archive marks no retweet with retweeted_status; its retweets are
// the statuses whose text starts with "RT @", and Retweet is set for those
// (and for any that does carry a retweeted_status).
func readTweetsJS(r io.Reader, s *sink) error {
	return readJSAssignment(r, s, validYTDPrefix, "window.YTD.tweets.part0 = [", "a tweets.js file", archiveRecord)
}

// readJSAssignment reads a JavaScript file "NAME = [ ... ]" (tweets.js, a
// Grailbird month): valid checks NAME, want is shown when it is not, and
// record reads each element of the array.
func readJSAssignment(r io.Reader, s *sink, valid func(string) bool, want, what string,
	record func(s *sink, raw []byte, line, rec int) error) error {
	j := newJSONReader(r, s)
	c, err := j.skipSpace()
	if err != nil {
		return err
	}
	if c == 0 {
		return s.fatal(1, 0, "empty file: expected %q", want+" ... ]")
	}
	// The JavaScript assignment before the array.
	const maxPrefix = 256
	var prefix []byte
	for {
		c, err := j.br.ReadByte()
		if err != nil || len(prefix) >= maxPrefix || c == '\n' {
			line, _ := j.lr.at(j.base)
			if err != nil && err != io.EOF {
				return s.readError(line, 0, err)
			}
			return s.fatal(line, 0, "expected %s starting %q; found %q", what, want, prefix)
		}
		if c == '=' {
			break
		}
		prefix = append(prefix, c)
	}
	if !valid(string(prefix)) {
		line, _ := j.lr.at(j.base)
		return s.fatal(line, 0, "expected %s starting %q; found %q", what, want, string(prefix)+"=")
	}
	j.base += int64(len(prefix)) + 1
	j.startDecoder()
	if err := j.openArray("the array of tweets after \"=\""); err != nil {
		return err
	}
	if err := j.elements(func(raw []byte, line, rec int) error {
		return record(s, raw, line, rec)
	}); err != nil {
		return err
	}
	return j.end(";", "the array of tweets")
}

// validYTDPrefix reports whether p is "window.YTD.NAME.partN " (the
// assignment's left-hand side).
func validYTDPrefix(p string) bool {
	p = strings.TrimRight(p, " \t\r")
	if !strings.HasPrefix(p, "window.YTD.") || len(p) == len("window.YTD.") {
		return false
	}
	for _, c := range []byte(p) {
		if !(c == '.' || c == '_' || c == '$' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// archiveRecord turns one element of tweets.js into a post or a bad record.
func archiveRecord(s *sink, raw []byte, line, rec int) error {
	var item archiveItem
	if field, msg := decodeRecord(raw, &item); msg != "" {
		s.bad(line, rec, field, "%s", msg)
		return nil
	}
	st := &item.twitterStatus
	if item.Tweet != nil {
		st = item.Tweet
	}
	txt, ok := st.text()
	if !ok {
		s.bad(line, rec, "full_text", "missing: not an archived tweet (expected {\"tweet\": {\"full_text\": ..., \"created_at\": ...}})")
		return nil
	}
	t, field, msg := statusTime(st)
	if msg != "" {
		if item.Tweet != nil {
			field = "tweet." + field
		}
		s.bad(line, rec, field, "%s", msg)
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
