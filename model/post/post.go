package post

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/hashtag-rec/hashtag/model/text"
)

// Post is one post as read from a file.
type Post struct {
	Author string // author name or id, as the format gives it
	Time   string // UTC "YYYY-MM-DD HH:MM:SS"; empty when the format has none
	// Text is the post's text. For the tweet formats (IRA, HowYouTag,
	// Twitter JSON, tweets.js) it is the raw text as in the file: HTML
	// entities such as "&amp;" are not decoded, as the benchmark protocol
	// requires. For Mastodon, whose content is HTML, it is the plain text of
	// that HTML (tags removed, entities decoded; see htmlText). For
	// Bluesky it is the record's text (plain already), followed by the
	// hashtags of its "tags" field the text does not hold (see appendTags).
	Text    string
	Lang    string // language as the format gives it ("English", "en"); empty if unknown
	Retweet bool   // whether the post is a retweet/boost of another post
	// Tags are the post's hashtags: text.ModelHashtags(Text) for every format but
	// HowYouTag, whose hashtags are given in their own fields.
	Tags []string
	// Split is the split a pre-split corpus assigns ("train", "valid",
	// "test"); empty otherwise.
	Split string
	// Own marks a post read from a person's own archive (tweets.js,
	// Grailbird, tweets.csv, a Mastodon outbox, a Bluesky repository), as
	// opposed to a research corpus (IRA, HowYouTag, Twitter API JSON). It
	// decides the language rule of Kept.
	Own bool
}

// English reports whether the post is in English by the format's own label.
func (p *Post) English() bool {
	return p.Lang == "English" || p.Lang == "en" || strings.HasPrefix(p.Lang, "en-")
}

// Kept is the one rule, for the CLI and the page alike, that says which
// posts are used:
//
//   - a retweet or boost never is (it is someone else's post);
//   - a post of a research corpus (IRA, HowYouTag, Twitter API JSON) is kept
//     when it is labelled English or carries no language label: the
//     benchmark protocol's filter (../shared/BENCHMARK.md), unchanged;
//   - a post of a person's own archive (Own) is kept in any language, or
//     none, as long as it has text: the hashtags a person used are theirs
//     whatever the language, and the text model simply finds no known word
//     in a language it does not read.
func (p *Post) Kept() bool {
	switch {
	case p.Retweet:
		return false
	case p.Own:
		return strings.TrimSpace(p.Text) != ""
	}
	return p.Lang == "" || p.English()
}

// Format names an input format.
type Format string

// The formats this package reads.
const (
	FormatIRA         Format = "ira"
	FormatHowYouTag   Format = "howyoutag"
	FormatTwitterJSON Format = "twitter-json"
	FormatTweetsJS    Format = "tweets-js"
	FormatMastodon    Format = "mastodon"
	FormatGrailbird   Format = "grailbird"
	FormatTweetsCSV   Format = "tweets-csv"
	FormatBluesky     Format = "bluesky"
)

// Formats lists every format, for flag help.
var Formats = []Format{FormatIRA, FormatHowYouTag, FormatTwitterJSON, FormatTweetsJS, FormatMastodon, FormatGrailbird, FormatTweetsCSV, FormatBluesky}

// Own reports whether f is the format of a person's own archive (a Twitter
// or X archive, old or new, a Mastodon outbox, or a Bluesky repository)
// rather than of a research corpus.
func (f Format) Own() bool {
	switch f {
	case FormatTweetsJS, FormatMastodon, FormatGrailbird, FormatTweetsCSV, FormatBluesky:
		return true
	}
	return false
}

// ParseFormat returns the format named s.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q (want one of %v)", s, Formats)
}

// Options control how a reader treats bad records.
type Options struct {
	// SkipBad skips bad records (counting them) instead of refusing the file.
	SkipBad bool
	// MaxErrors is how many errors a BadFileError lists (default 5).
	MaxErrors int
	// MaxBytes bounds the bytes read once decompressed, over the whole of
	// an archive or a .gz file (default DefaultMaxBytes): a decompression
	// bomb is refused with a *LimitError.
	MaxBytes int64
	// MaxMembers bounds the number of files in an archive or folder
	// (default DefaultMaxMembers).
	MaxMembers int
}

// Stats counts what a reader saw.
type Stats struct {
	Records int // records read as posts
	Bad     int // records that could not be read
	// Ignored counts records that are well formed but are not posts of their
	// author (for example Mastodon activities other than Create of a Note).
	Ignored int
	// Errors holds the first Options.MaxErrors bad-record errors.
	Errors []*RecordError

	// Kept counts the posts Post.Kept keeps; the next three count the ones
	// it drops, by reason.
	Kept      int
	Retweets  int // retweets and boosts
	OtherLang int // research-corpus posts labelled with a language other than English
	NoText    int // own posts without text (a Mastodon post of only an image)
	// Langs counts OtherLang by label, for at most maxLangs labels.
	Langs map[string]int
	// Parts lists the files read inside an archive or a folder, in the
	// order read; it is empty for a single file.
	Parts []Part
	// Others counts the files of an archive or folder that were not read
	// (media, likes, followers, ...).
	Others int
	// reason is the reader's own word on why a file holds no posts.
	reason string
}

// Part is one file read inside an archive or a folder.
type Part struct {
	Name    string // path inside the archive
	Format  Format
	Records int // records read as posts
	Kept    int // of those, posts Post.Kept keeps
}

// maxLangs bounds Stats.Langs.
const maxLangs = 8

// count files p under the reason Kept gives.
func (st *Stats) count(p *Post) {
	switch {
	case p.Kept():
		st.Kept++
	case p.Retweet:
		st.Retweets++
	case p.Own:
		st.NoText++
	default:
		st.OtherLang++
		if st.Langs == nil {
			st.Langs = make(map[string]int)
		}
		if _, ok := st.Langs[p.Lang]; ok || len(st.Langs) < maxLangs {
			st.Langs[p.Lang]++
		}
	}
}

// add adds the counts of o (a member of an archive) to st.
func (st *Stats) add(o Stats, maxErrors int) {
	st.Records += o.Records
	st.Bad += o.Bad
	st.Ignored += o.Ignored
	for _, e := range o.Errors {
		if len(st.Errors) < maxErrors {
			st.Errors = append(st.Errors, e)
		}
	}
	if st.reason == "" {
		st.reason = o.reason
	}
	st.Kept += o.Kept
	st.Retweets += o.Retweets
	st.OtherLang += o.OtherLang
	st.NoText += o.NoText
	for l, n := range o.Langs {
		if st.Langs == nil {
			st.Langs = make(map[string]int)
		}
		if _, ok := st.Langs[l]; ok || len(st.Langs) < maxLangs {
			st.Langs[l] += n
		}
	}
}

// RecordError is one record that could not be read.
type RecordError struct {
	File   string // file name as given
	Line   int    // 1-based line where the record starts (0 if unknown)
	Record int    // 1-based record number in the file (0 if unknown)
	Field  string // the field at fault, if one is
	Msg    string // what was wrong and what was expected
	// Err is the underlying error when the record could not be read because
	// the stream itself failed (a truncated gzip file, an I/O error).
	Err error
}

// Unwrap returns the underlying error, if any.
func (e *RecordError) Unwrap() error { return e.Err }

func (e *RecordError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Record > 0 {
		fmt.Fprintf(&b, ": record %d", e.Record)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": field %q", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// BadFileError refuses a file that holds bad records.
type BadFileError struct {
	File  string
	Bad   int            // how many records were bad
	First []*RecordError // the first few
}

func (e *BadFileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d bad record(s); the file is refused (use --skip-bad to skip them):", e.File, e.Bad)
	for _, r := range e.First {
		b.WriteString("\n  ")
		b.WriteString(r.Error())
	}
	if e.Bad > len(e.First) {
		fmt.Fprintf(&b, "\n  ... and %d more", e.Bad-len(e.First))
	}
	return b.String()
}

// errStop is returned by a callback to end reading early without an error.
var errStop = errors.New("stop")

// sink wraps the caller's callback and the error bookkeeping shared by all
// readers.
type sink struct {
	file  string
	opts  Options
	stats Stats
	fn    func(Post) error
	// reason says why the file holds no posts, when the reader knows
	// better than the counts (an empty outbox, a likes.json).
	reason string
}

func newSink(file string, opts Options, fn func(Post) error) *sink {
	if opts.MaxErrors <= 0 {
		opts.MaxErrors = 5
	}
	return &sink{file: file, opts: opts, fn: fn}
}

// post hands p to the callback, filling Tags if the reader left them nil.
func (s *sink) post(p Post) error {
	if p.Tags == nil {
		p.Tags = text.ModelHashtags(p.Text)
	}
	s.stats.Records++
	s.stats.count(&p)
	if s.stats.Bad > 0 && !s.opts.SkipBad {
		return nil // the file will be refused: only collect errors
	}
	return s.fn(p)
}

// bad records one bad record.
func (s *sink) bad(line, record int, field, format string, args ...any) {
	s.stats.Bad++
	if len(s.stats.Errors) < s.opts.MaxErrors {
		s.stats.Errors = append(s.stats.Errors, &RecordError{
			File: s.file, Line: line, Record: record, Field: field, Msg: fmt.Sprintf(format, args...),
		})
	}
}

// ignore counts a well-formed record that is not a post of its author.
func (s *sink) ignore() { s.stats.Ignored++ }

// fatal is for a file that cannot be read on at all (a broken stream).
func (s *sink) fatal(line, record int, format string, args ...any) error {
	return &RecordError{File: s.file, Line: line, Record: record, Msg: fmt.Sprintf(format, args...)}
}

// readError is for a failure of the underlying reader (a truncated or
// corrupt gzip stream, an I/O error): reading stops there. The result is a
// *RecordError naming the file and, where known, the line reached; it wraps
// err, so errors.Is(err, io.ErrUnexpectedEOF) still holds for a truncated
// gzip file.
func (s *sink) readError(line, record int, err error) error {
	msg := "read error: " + err.Error()
	var ge *gzipError
	if errors.As(err, &ge) {
		msg = ge.reason()
	}
	return &RecordError{File: s.file, Line: line, Record: record, Msg: msg, Err: err}
}

// finish turns collected errors into the reader's result.
func (s *sink) finish(err error) (Stats, error) {
	s.stats.reason = s.reason
	if errors.Is(err, errStop) {
		err = nil
	}
	if err != nil {
		return s.stats, err
	}
	if s.stats.Bad > 0 && !s.opts.SkipBad {
		return s.stats, &BadFileError{File: s.file, Bad: s.stats.Bad, First: s.stats.Errors}
	}
	return s.stats, nil
}

// Read reads every post of r, which holds one file of the given format, and
// calls fn for each in file order. name is used in error messages. If fn
// returns an error, reading stops and Read returns it.
//
// Whatever the format, a file of nothing but white space is refused with
// the same "empty file" error. In every text format, a UTF-8 byte order
// mark at the start is skipped, and a file whose lines end with a lone CR
// (old Mac files) is read as if they ended with LF; a Bluesky repository
// (a binary CAR file) is read byte for byte. Read reads one file: archives
// are for ReadFile and ReadBytes, which also refuse a file from which no
// post is kept.
func Read(r io.Reader, name string, format Format, opts Options, fn func(Post) error) (Stats, error) {
	s := newSink(name, opts, fn)
	switch format {
	case FormatIRA, FormatHowYouTag, FormatTwitterJSON, FormatTweetsJS, FormatMastodon, FormatGrailbird, FormatTweetsCSV, FormatBluesky:
	default:
		return Stats{}, fmt.Errorf("%s: unknown format %q", name, format)
	}
	r, err := startStream(r, s, format)
	if err != nil {
		return s.finish(err)
	}
	switch format {
	case FormatIRA:
		err = readIRA(r, s)
	case FormatHowYouTag:
		err = readHowYouTag(r, s, splitFromName(name))
	case FormatTwitterJSON:
		err = readTwitterJSON(r, s)
	case FormatTweetsJS:
		err = readTweetsJS(r, s)
	case FormatMastodon:
		err = readMastodon(r, s)
	case FormatGrailbird:
		err = readGrailbird(r, s)
	case FormatTweetsCSV:
		err = readTweetsCSV(r, s)
	case FormatBluesky:
		err = readBluesky(r, s)
	}
	return s.finish(err)
}

// streamPeek is how much of a file startStream looks at.
const streamPeek = 1 << 16

// startStream skips a UTF-8 byte order mark, refuses a file of nothing but
// white space, and turns lone CR line ends into LF when the start of the
// file has CRs and no LF. A binary format (a Bluesky CAR file, whose bytes
// may be anything) is only checked for emptiness: nothing is skipped or
// converted.
func startStream(r io.Reader, s *sink, format Format) (io.Reader, error) {
	br := bufio.NewReaderSize(r, streamPeek)
	head, err := br.Peek(streamPeek)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, s.readError(1, 0, err)
	}
	text := bytes.TrimPrefix(head, utf8BOM)
	if len(text) < streamPeek-len(utf8BOM) && len(bytes.TrimLeft(text, " \t\r\n")) == 0 {
		return nil, s.fatal(1, 0, "empty file: it holds no posts (expected a %s file)", format)
	}
	if format == FormatBluesky { // binary: read byte for byte
		return br, nil
	}
	if len(text) < len(head) {
		br.Discard(len(utf8BOM))
	}
	if bytes.IndexByte(text, '\r') >= 0 && bytes.IndexByte(text, '\n') < 0 {
		return &crReader{r: br}, nil
	}
	return br, nil
}

// crReader turns every CR into LF, for a file whose lines end with CR.
type crReader struct{ r io.Reader }

func (c *crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// Decompress returns r itself, or a gzip reader over it when r starts with
// the gzip magic bytes. A truncated or corrupt gzip stream surfaces as a read
// error naming the file and saying which of the two it is; a truncated one
// wraps io.ErrUnexpectedEOF.
func Decompress(r io.Reader, name string) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, newGzipError(name, err)
		}
		return &gzipReader{zr: zr, name: name}, nil
	}
	return br, nil
}

type gzipReader struct {
	zr   *gzip.Reader
	name string
}

func (g *gzipReader) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if err != nil && err != io.EOF {
		err = newGzipError(g.name, err)
	}
	return n, err
}

// gzipError is a failure of a gzip stream.
type gzipError struct {
	name      string
	truncated bool
	err       error
}

func newGzipError(name string, err error) *gzipError {
	return &gzipError{name: name, truncated: errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF, err: err}
}

func (e *gzipError) reason() string {
	if e.truncated {
		return fmt.Sprintf("gzip stream is truncated (the file is incomplete): %v", e.err)
	}
	return fmt.Sprintf("gzip stream is corrupt: %v", e.err)
}

func (e *gzipError) Error() string { return e.name + ": " + e.reason() }
func (e *gzipError) Unwrap() error { return e.err }

// Detect recognises a format from a file name and the first bytes of its
// (decompressed) content. An archive (zip, tar) is refused: ReadFile and
// ReadBytes open archives and recognise each file inside. A Bluesky
// repository is recognised by its CAR header, not by its name.
func Detect(name string, head []byte) (Format, error) {
	base := strings.ToLower(filepath.Base(strings.TrimSuffix(name, ".gz")))
	h := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	switch {
	case isZip(head) || isTar(head):
		return "", fmt.Errorf("%s: is an archive (zip or tar): it is read whole by ReadFile or ReadBytes, not as one file", name)
	case isCAR(head): // binary: before the text formats and the refusal of binary files
		return FormatBluesky, nil
	case bytes.HasPrefix(h, []byte("window.YTD.")):
		return FormatTweetsJS, nil
	case bytes.HasPrefix(h, []byte("Grailbird.data.")):
		return FormatGrailbird, nil
	case bytes.HasPrefix(h, []byte("{")) && bytes.Contains(head, []byte(`"orderedItems"`)):
		return FormatMastodon, nil
	case bytes.HasPrefix(h, []byte("{")) && bytes.Contains(head, []byte(`"@context"`)):
		return FormatMastodon, nil
	case bytes.HasPrefix(h, []byte("[")) && activityPubArray(h):
		return FormatMastodon, nil
	case bytes.HasPrefix(h, []byte("[")) || bytes.HasPrefix(h, []byte("{")):
		return FormatTwitterJSON, nil
	}
	firstLine := h
	if i := bytes.IndexAny(firstLine, "\r\n"); i >= 0 {
		firstLine = firstLine[:i]
	}
	if isIRAHeader(firstLine) {
		return FormatIRA, nil
	}
	if isTweetsCSVHeader(firstLine) {
		return FormatTweetsCSV, nil
	}
	if strings.HasSuffix(base, ".car") {
		return "", fmt.Errorf("%s: %s: it does not start with a CAR header", name, notCAR)
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return "", fmt.Errorf("%s: is a binary file, not a file of posts (formats read: %v)", name, Formats)
	}
	if strings.HasSuffix(base, ".tsv") || bytes.Count(firstLine, []byte("\t")) >= 1 {
		return FormatHowYouTag, nil
	}
	return "", fmt.Errorf("%s: %w (formats read: %v)", name, ErrUnknownFormat, Formats)
}

// ErrUnknownFormat is the error (wrapped, with the file's name) of a file
// whose format Detect cannot recognise. A command line that can name the
// format says how.
var ErrUnknownFormat = errors.New("cannot recognise the format from its content")

// activityPubKey matches the keys that make a JSON object an ActivityPub
// activity rather than a Twitter status.
var activityPubKey = regexp.MustCompile(`"(@context|actor)"\s*:`)

// activityPubArray reports whether h, the start of a JSON array, holds
// ActivityPub activities (a saved outbox page) rather than Twitter statuses.
func activityPubArray(h []byte) bool {
	return activityPubKey.Match(h) && !bytes.Contains(h, []byte(`"created_at"`))
}

// isIRAHeader reports whether line is a CSV header row with the columns
// "author" and "content" (a text merely containing those words is not).
func isIRAHeader(line []byte) bool {
	var author, content bool
	for _, f := range strings.Split(string(line), ",") {
		switch strings.Trim(f, " \t\r\"\ufeff") {
		case "author":
			author = true
		case "content":
			content = true
		}
	}
	return author && content
}

// isTweetsCSVHeader reports whether line is the header row of the
// tweets.csv of a Twitter archive from before 2019.
func isTweetsCSVHeader(line []byte) bool {
	var id, ts, text bool
	for _, f := range strings.Split(string(line), ",") {
		switch strings.Trim(f, " \t\r\"\ufeff") {
		case "tweet_id":
			id = true
		case "timestamp":
			ts = true
		case "text":
			text = true
		}
	}
	return id && ts && text
}

// splitFromName gives the split a HowYouTag file name implies.
func splitFromName(name string) string {
	base := strings.ToLower(filepath.Base(name))
	for _, s := range []string{"train", "valid", "test"} {
		if strings.HasPrefix(base, s) {
			return s
		}
	}
	return ""
}
