package post

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
	// that HTML (tags removed, entities decoded; see htmlText).
	Text    string
	Lang    string // language as the format gives it ("English", "en"); empty if unknown
	Retweet bool   // whether the post is a retweet/boost of another post
	// Tags are the post's hashtags: text.Hashtags(Text) for every format but
	// HowYouTag, whose hashtags are given in their own fields.
	Tags []string
	// Split is the split a pre-split corpus assigns ("train", "valid",
	// "test"); empty otherwise.
	Split string
}

// English reports whether the post is in English by the format's own label.
func (p *Post) English() bool {
	return p.Lang == "English" || p.Lang == "en" || strings.HasPrefix(p.Lang, "en-")
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
)

// Formats lists every format, for flag help.
var Formats = []Format{FormatIRA, FormatHowYouTag, FormatTwitterJSON, FormatTweetsJS, FormatMastodon}

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
		p.Tags = text.Hashtags(p.Text)
	}
	s.stats.Records++
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

// Read reads every post of r, which holds a file of the given format, and
// calls fn for each in file order. name is used in error messages. If fn
// returns an error, reading stops and Read returns it.
func Read(r io.Reader, name string, format Format, opts Options, fn func(Post) error) (Stats, error) {
	s := newSink(name, opts, fn)
	var err error
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
	default:
		return Stats{}, fmt.Errorf("%s: unknown format %q", name, format)
	}
	return s.finish(err)
}

// ReadFile opens path (decompressing .gz), recognises its format unless
// format is non-empty, and reads it as Read does.
func ReadFile(path string, format Format, opts Options, fn func(Post) error) (Stats, Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, format, err
	}
	defer f.Close()
	r, err := Decompress(f, path)
	if err != nil {
		return Stats{}, format, err
	}
	br := bufio.NewReaderSize(r, 1<<16)
	if format == "" {
		head, _ := br.Peek(4096)
		format, err = Detect(path, head)
		if err != nil {
			return Stats{}, format, err
		}
	}
	st, err := Read(br, path, format, opts, fn)
	return st, format, err
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
// (decompressed) content.
func Detect(name string, head []byte) (Format, error) {
	base := strings.ToLower(filepath.Base(strings.TrimSuffix(name, ".gz")))
	h := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case bytes.HasPrefix(h, []byte("window.YTD.")):
		return FormatTweetsJS, nil
	case bytes.HasPrefix(h, []byte("{")) && bytes.Contains(head, []byte(`"orderedItems"`)):
		return FormatMastodon, nil
	case bytes.HasPrefix(h, []byte("{")) && bytes.Contains(head, []byte(`"@context"`)):
		return FormatMastodon, nil
	case bytes.HasPrefix(h, []byte("[")) || bytes.HasPrefix(h, []byte("{")):
		return FormatTwitterJSON, nil
	}
	firstLine := h
	if i := bytes.IndexByte(firstLine, '\n'); i >= 0 {
		firstLine = firstLine[:i]
	}
	if isIRAHeader(firstLine) {
		return FormatIRA, nil
	}
	if strings.HasSuffix(base, ".tsv") || bytes.Count(firstLine, []byte("\t")) >= 1 {
		return FormatHowYouTag, nil
	}
	return "", fmt.Errorf("%s: cannot recognise the format from its content; name it with --format (one of %v)", name, Formats)
}

// isIRAHeader reports whether line is a CSV header row with the columns
// "author" and "content" (a text merely containing those words is not).
func isIRAHeader(line []byte) bool {
	var author, content bool
	for _, f := range strings.Split(string(line), ",") {
		switch strings.Trim(f, " \t\r\"") {
		case "author":
			author = true
		case "content":
			content = true
		}
	}
	return author && content
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
