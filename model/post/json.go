package post

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"unicode/utf8"
)

// This file holds what the JSON-family readers (twitter.go, mastodon.go)
// share: a json.Decoder over a line-counting reader, the walk over a JSON
// array one element at a time, and the messages for broken JSON.
//
// Memory: a reader holds one element (one status, one activity) at a time,
// plus the decoder's read-ahead buffer.

// lineReader counts the lines of what is read through it, so that a byte
// offset of the stream can be turned into a line and column. It remembers
// only the newlines after the last offset asked about, so its memory is
// bounded by how far its reader reads ahead; offsets must be asked about in
// increasing order.
type lineReader struct {
	r     io.Reader
	n     int64   // bytes read so far
	nl    []int64 // offsets of the newlines read at or after pos
	pos   int64   // the last offset asked about
	line  int     // the line of pos (1-based)
	start int64   // offset of the first byte of that line
	err   error   // the first read error other than io.EOF
	// off stops the counting, for a reader that counts lines itself and
	// never asks (else nl would grow with the file).
	off bool
	// held is the most newline offsets held at once, for tests.
	held int
}

func newLineReader(r io.Reader) *lineReader { return &lineReader{r: r, line: 1} }

func (l *lineReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n && !l.off; {
		j := bytes.IndexByte(p[i:n], '\n')
		if j < 0 {
			break
		}
		l.nl = append(l.nl, l.n+int64(i+j))
		i += j + 1
	}
	l.held = max(l.held, len(l.nl))
	l.n += int64(n)
	if err != nil && err != io.EOF && l.err == nil {
		l.err = err
	}
	return n, err
}

// at returns the 1-based line and column (in bytes) of offset off. An offset
// before one asked about earlier gets that earlier one's line.
func (l *lineReader) at(off int64) (line, col int) {
	if off > l.pos {
		i := 0
		for i < len(l.nl) && l.nl[i] < off {
			l.start = l.nl[i] + 1
			i++
		}
		l.line += i
		l.nl = l.nl[:copy(l.nl, l.nl[i:])]
		l.pos = off
	}
	return l.line, int(l.pos-l.start) + 1
}

// jsonReader reads JSON from a file, knowing the line of every offset.
type jsonReader struct {
	s    *sink
	lr   *lineReader
	br   *bufio.Reader // over lr
	base int64         // bytes of lr consumed before dec's input starts
	dec  *json.Decoder // over br; nil until decoding starts
	rec  int           // records (array elements, lines) seen so far
}

func newJSONReader(r io.Reader, s *sink) *jsonReader {
	lr := newLineReader(r)
	return &jsonReader{s: s, lr: lr, br: bufio.NewReaderSize(lr, 1<<16)}
}

var utf8BOM = []byte("\xef\xbb\xbf")

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// skipSpace consumes a UTF-8 byte order mark and white space, and returns
// the next byte without consuming it (0 at the end of the file).
func (j *jsonReader) skipSpace() (byte, error) {
	if b, _ := j.br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
		j.br.Discard(len(utf8BOM))
		j.base += int64(len(utf8BOM))
	}
	for {
		c, err := j.br.ReadByte()
		if err == io.EOF {
			return 0, nil
		}
		if err != nil {
			line, _ := j.lr.at(j.base)
			return 0, j.s.readError(line, 0, err)
		}
		if !isSpace(c) {
			j.br.UnreadByte()
			return c, nil
		}
		j.base++
	}
}

// startDecoder starts JSON decoding at the current position of br.
func (j *jsonReader) startDecoder() { j.dec = json.NewDecoder(j.br) }

// offset is the file offset of the decoder's position.
func (j *jsonReader) offset() int64 { return j.base + j.dec.InputOffset() }

// openArray reads the '[' that must come next; what names the array in
// messages.
func (j *jsonReader) openArray(what string) error {
	tok, err := j.dec.Token()
	if err != nil {
		return j.streamError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		line, col := j.lr.at(j.offset())
		return j.s.fatal(line, 0, "column %d: expected %s (a JSON array), found %s", col, what, tokenKind(tok))
	}
	return nil
}

// elements calls fn with each element of the array whose '[' was just read,
// then reads the closing ']'. fn gets the element's bytes, the line where it
// starts and its 1-based record number. A syntax error ends the walk with a
// fatal error: where an element ends is then unknown.
func (j *jsonReader) elements(fn func(raw []byte, line, rec int) error) error {
	for j.dec.More() {
		j.rec++
		var raw json.RawMessage
		if err := j.dec.Decode(&raw); err != nil {
			return j.streamError(err)
		}
		line, _ := j.lr.at(j.offset() - int64(len(raw)))
		if err := fn(raw, line, j.rec); err != nil {
			return err
		}
	}
	if _, err := j.dec.Token(); err != nil { // the ']'
		return j.streamError(err)
	}
	return nil
}

// skipValue skips the value that comes next, token by token, so that even a
// large one is never held whole.
func (j *jsonReader) skipValue() error {
	depth := 0
	for {
		tok, err := j.dec.Token()
		if err != nil {
			return j.streamError(err)
		}
		j.lr.at(j.offset()) // let the line reader forget the newlines passed
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// end checks that nothing but white space (and the bytes in allow) follows
// the JSON value just read.
func (j *jsonReader) end(allow string, what string) error {
	off := j.offset()
	rest := io.MultiReader(j.dec.Buffered(), j.br)
	buf := make([]byte, 4096)
	for {
		n, err := rest.Read(buf)
		for i, c := range buf[:n] {
			if !isSpace(c) && bytes.IndexByte([]byte(allow), c) < 0 {
				line, col := j.lr.at(off + int64(i))
				return j.s.fatal(line, 0, "column %d: unexpected %q after the end of %s", col, c, what)
			}
		}
		off += int64(n)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			line, _ := j.lr.at(off)
			return j.s.readError(line, j.rec, err)
		}
	}
}

// streamError turns an error of the decoder into the reader's fatal error.
func (j *jsonReader) streamError(err error) error {
	var se *json.SyntaxError
	switch {
	case j.lr.err != nil && err == j.lr.err:
		line, _ := j.lr.at(j.lr.n)
		return j.s.readError(line, j.rec, err)
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		line, _ := j.lr.at(j.lr.n)
		return j.s.fatal(line, j.rec, "the file ends inside a JSON value: it is truncated (or not JSON)")
	case errors.As(err, &se):
		line, col := j.lr.at(j.syntaxErrorOffset())
		return j.s.fatal(line, j.rec, "column %d: JSON syntax error: %s; the rest of the file cannot be read", col, se.Error())
	}
	line, _ := j.lr.at(j.offset())
	return j.s.fatal(line, j.rec, "%v", err)
}

// syntaxErrorOffset finds the file offset of the syntax error the decoder
// just met. The decoder's own SyntaxError.Offset does not count the bytes
// its Token method consumed, so the offset is found again by decoding the
// bytes the decoder still holds (which start where the failed value starts
// and reach at least to the bad byte) with a fresh decoder.
func (j *jsonReader) syntaxErrorOffset() int64 {
	start := j.offset()
	held, _ := io.ReadAll(j.dec.Buffered())
	var raw json.RawMessage
	var se *json.SyntaxError
	if err := json.NewDecoder(bytes.NewReader(held)).Decode(&raw); errors.As(err, &se) && se.Offset > 0 {
		return start + se.Offset - 1
	}
	return start
}

// tokenKind names a token for a message.
func tokenKind(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return "an object"
		}
		return fmt.Sprintf("%q", string(t))
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}

// rawKind names the kind of JSON value raw holds.
func rawKind(raw []byte) string {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// isNull reports whether raw is absent or the JSON null.
func isNull(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// decodeRecord unmarshals one record into v. It returns the field at fault
// and a message, or "" and "" when the record is fine. Invalid UTF-8 is an
// error: encoding/json would silently turn it into U+FFFD.
func decodeRecord(raw []byte, v any) (field, msg string) {
	if !utf8.Valid(raw) {
		i := invalidUTF8(raw)
		return "", fmt.Sprintf("is not valid UTF-8 (byte %d of the record, 0x%02x)", i+1, raw[i])
	}
	if len(raw) > 0 && raw[0] != '{' && json.Valid(raw) {
		return "", fmt.Sprintf("is %s, expected a JSON object", rawKind(raw))
	}
	err := json.Unmarshal(raw, v)
	if err == nil {
		return "", ""
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field, fmt.Sprintf("is a JSON %s, expected %s", te.Value, goKind(te.Type))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "", fmt.Sprintf("is not valid JSON (byte %d): %v", se.Offset, se)
	}
	return "", err.Error()
}

// invalidUTF8 is the index of the first invalid UTF-8 byte of b.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return 0
}

// goKind names, as a JSON kind, what a Go type decodes from.
func goKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}
