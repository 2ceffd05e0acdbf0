package model

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/hashtag-rec/hashtag/internal/binfile"
)

// The model file format (version 1), all integers little-endian:
//
//	magic    8 bytes "HTAGMN2N"
//	version  uint32 (FormatVersion)
//	config   uint8 variant, uint32 dim, hops, memory, max words
//	words    uint32 count, then per word: uint32 byte length, bytes
//	tags     uint32 count, then per tag: uint32 byte length, bytes
//	display  (version 2 only) uint32 count (0 or that of tags), then per
//	         tag its display form: uint32 byte length, bytes
//	tensors  for each of Params.Tensors() in order: uint32 rows, uint32
//	         cols, rows×cols float32 (IEEE 754 bits)
//	crc      uint32 CRC-32C (Castagnoli) of every byte before it
//
// Version 2 adds the display forms and is written for HMemN2NCopy (whose
// copy path adds the tensors CopyPos, CopyW, GateW, GateV) or when the model
// has display forms; other models are written as version 1, byte for byte
// as before. A reader refuses a file whose magic differs (foreign), whose
// version is newer than FormatVersion, whose checksum does not match (corrupt) or that
// ends early (truncated).
const (
	Magic         = "HTAGMN2N"
	FormatVersion = 2
)

// fileVersion is the oldest format version that can hold m (both formats
// number their versions alike).
func (m *Model) fileVersion() uint32 {
	if m.Variant.Copies() || len(m.Display) > 0 {
		return 2
	}
	return 1
}

// MarshalBinary encodes m in the model file format (dequantising packed
// embeddings).
func (m *Model) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteTo writes m to w in the model file format (dequantising packed
// embeddings), as a stream: it holds no copy of the file in memory.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	bw := binfile.NewWriter(w)
	m.encode(bw)
	bw.AppendSum()
	err := bw.Flush()
	return bw.Len(), err
}

// WriteFile writes m to path atomically: to a temporary file in the same
// directory, synced, then renamed over path. The file is written as a
// stream (internal/binfile): it is never held in memory.
func (m *Model) WriteFile(path string) error {
	w, err := binfile.Create(path)
	if err != nil {
		return err
	}
	defer w.Close()
	m.encode(w)
	w.AppendSum()
	return w.Commit()
}

// encode writes m in the model file format up to the checksum; errors are
// kept by w.
func (m *Model) encode(w *binfile.Writer) {
	m = m.Dequantize()
	v := m.fileVersion()
	w.Header(Magic, v)
	w.Write(m.appendHeader(nil, v))
	for _, t := range m.Tensors() {
		w.Uint32(uint32(t.Rows))
		w.Uint32(uint32(t.Cols))
		w.Float32s(t.Data)
	}
}

// ReadFile reads a model file written by WriteFile, as a stream (the file
// is never held in memory). Errors name the file and say what is wrong
// with it.
func ReadFile(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	m, err := readModel(bufio.NewReaderSize(f, 1<<16), st.Size())
	if err != nil {
		return nil, fmt.Errorf("model file %s: %w", path, err)
	}
	return m, nil
}

// Read reads a model in the model file format from r. When r is an
// *io.LimitedReader (a model inside another file), its N is the model's
// length and the model is read as a stream; other readers are read whole
// first.
func Read(r io.Reader) (*Model, error) {
	if lr, ok := r.(*io.LimitedReader); ok {
		return readModel(lr, lr.N)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return Unmarshal(b)
}

// Errors of Unmarshal, to test with errors.Is: those of internal/binfile,
// shared by every file format of the program.
var (
	ErrForeign   = fmt.Errorf("not a hashtag model file (%w)", binfile.ErrMagic)
	ErrTruncated = binfile.ErrTruncated
	ErrChecksum  = binfile.ErrChecksum
	ErrVersion   = binfile.ErrVersion
)

// Unmarshal decodes a model from the model file format.
func Unmarshal(b []byte) (*Model, error) {
	return readModel(bytes.NewReader(b), int64(len(b)))
}

// readModel reads a model file of size bytes from rd, verifying its
// checksum while it reads (internal/binfile).
func readModel(rd io.Reader, size int64) (*Model, error) {
	head := make([]byte, min(size, int64(len(Magic)+4)))
	if _, err := io.ReadFull(rd, head); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, ErrTruncated
		}
		return nil, err
	}
	if size < int64(len(Magic)) {
		if bytes.HasPrefix([]byte(Magic), head) {
			return nil, ErrTruncated
		}
		return nil, ErrForeign
	}
	if string(head[:len(Magic)]) != Magic {
		return nil, ErrForeign
	}
	if size < int64(len(Magic)+4) {
		return nil, ErrTruncated
	}
	v := binary.LittleEndian.Uint32(head[len(Magic):])
	if v < 1 || v > FormatVersion {
		if v > FormatVersion {
			return nil, fmt.Errorf("%w: format version %d is newer than this program reads (%d); update the program", ErrVersion, v, FormatVersion)
		}
		return nil, fmt.Errorf("%w: format version %d", ErrVersion, v)
	}
	if size < int64(len(Magic)+4+4) {
		return nil, ErrTruncated
	}
	br := binfile.NewReader(io.MultiReader(bytes.NewReader(head), rd), size)
	br.ReadFull(head) // the magic and version, into the sum
	m, err := decode(&reader{src: br}, v)
	if serr := br.Verify(); serr != nil {
		if !errors.Is(serr, ErrChecksum) && !errors.Is(serr, ErrTruncated) {
			return nil, serr // a read error
		}
		// A truncated file almost always fails the checksum; tell it apart
		// when the declared content cannot fit.
		if errors.Is(err, ErrTruncated) {
			return nil, fmt.Errorf("%w (or corrupt: checksum mismatch)", ErrTruncated)
		}
		return nil, ErrChecksum
	}
	return m, err
}

// reader reads the fields of a file's content: from b, or as a stream
// from src.
type reader struct {
	b       []byte
	src     *binfile.Reader
	scratch [8]byte
	err     error
}

// remaining returns the number of content bytes left.
func (r *reader) remaining() int64 {
	if r.src != nil {
		return r.src.Remaining()
	}
	return int64(len(r.b))
}

func (r *reader) u32() uint32 {
	b := r.bytes(4)
	if r.err != nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

// bytes returns the next n bytes; read from src, a slice of up to 8 bytes
// is valid until the next call.
func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || int64(n) > r.remaining() {
		r.err = ErrTruncated
		return nil
	}
	if r.src != nil {
		var v []byte
		if n <= len(r.scratch) {
			v = r.scratch[:n]
		} else {
			v = make([]byte, n)
		}
		if err := r.src.ReadFull(v); err != nil {
			r.err = err
			return nil
		}
		return v
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

// float32s fills dst with little-endian float32 values.
func (r *reader) float32s(dst []float32) {
	if r.err != nil {
		return
	}
	if int64(len(dst))*4 > r.remaining() {
		r.err = ErrTruncated
		return
	}
	if r.src == nil {
		raw := r.bytes(4 * len(dst))
		for i := range dst {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		return
	}
	r.err = r.src.Float32s(dst) // one buffer for the whole stream
}

func (r *reader) strings() []string {
	n := int(r.u32())
	if r.err == nil && int64(n) > r.remaining()/4 {
		r.err = ErrTruncated
	}
	if r.err != nil {
		return nil
	}
	s := make([]string, n)
	for i := range s {
		s[i] = string(r.bytes(int(r.u32())))
	}
	return s
}

// decode reads a model file's content after its magic and version.
func decode(r *reader, version uint32) (*Model, error) {
	c, words, tags, display, err := r.header(version)
	if err != nil {
		return nil, err
	}
	// Check the tensor sizes before allocating them.
	d := int64(c.Dim)
	total := 3*int64(len(words))*d + 2*d*d + d + int64(len(tags))*d
	if c.Variant.Hierarchical() {
		total += 2*d*d + d
	}
	if r.remaining() < 4*total {
		return nil, ErrTruncated
	}
	m, err := New(c, words, tags)
	if err != nil {
		return nil, err
	}
	m.Display = display
	for _, t := range m.Tensors() {
		rows, cols := int(r.u32()), int(r.u32())
		if r.err != nil {
			return nil, r.err
		}
		if rows != t.Rows || cols != t.Cols {
			return nil, fmt.Errorf("tensor %s is %d×%d, want %d×%d", t.Name, rows, cols, t.Rows, t.Cols)
		}
		r.float32s(t.Data)
		if r.err != nil {
			return nil, r.err
		}
	}
	if n := r.remaining(); n != 0 {
		return nil, fmt.Errorf("%d unexpected bytes after the weights", n)
	}
	return finite(m) // refuse NaN or infinite weights (model/finite.go)
}

// appendHeader appends what both file formats start their content with:
// the config (uint8 variant, uint32 dim, hops, memory, max words), then the
// words and the candidate hashtags (uint32 count, then per string a uint32
// byte length and the bytes), and from version 2 on the display forms
// likewise.
func (m *Model) appendHeader(b []byte, version uint32) []byte {
	b = append(b, byte(m.Variant))
	for _, v := range []int{m.Dim, m.Hops, m.Memory, m.MaxWords} {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	lists := [][]string{m.Words, m.Tags}
	if version >= 2 {
		lists = append(lists, m.Display)
	}
	for _, list := range lists {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(list)))
		for _, s := range list {
			b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
			b = append(b, s...)
		}
	}
	return b
}

// header reads what appendHeader wrote for a file of the given version,
// checking the config.
func (r *reader) header(version uint32) (c Config, words, tags, display []string, err error) {
	v := r.bytes(1)
	if r.err != nil {
		return c, nil, nil, nil, r.err
	}
	c.Variant = Variant(v[0])
	c.Dim, c.Hops, c.Memory, c.MaxWords = int(r.u32()), int(r.u32()), int(r.u32()), int(r.u32())
	if r.err != nil {
		return c, nil, nil, nil, r.err
	}
	if err := c.Validate(); err != nil {
		return c, nil, nil, nil, fmt.Errorf("bad config: %w", err)
	}
	if c.Variant.Copies() && version < 2 {
		return c, nil, nil, nil, fmt.Errorf("bad config: variant %s needs format version 2, the file says %d", c.Variant, version)
	}
	words, tags = r.strings(), r.strings()
	if version >= 2 {
		display = r.strings()
		if r.err == nil && len(display) != 0 && len(display) != len(tags) {
			return c, nil, nil, nil, fmt.Errorf("%d display forms for %d candidate hashtags", len(display), len(tags))
		}
	}
	return c, words, tags, display, r.err
}
