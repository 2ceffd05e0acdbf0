package model

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
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

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// MarshalBinary encodes m in the model file format (dequantising packed
// embeddings).
func (m *Model) MarshalBinary() ([]byte, error) {
	m = m.Dequantize()
	n := 64
	for _, w := range m.Words {
		n += 4 + len(w)
	}
	for _, t := range m.Tags {
		n += 4 + len(t)
	}
	for _, t := range m.Tensors() {
		n += 8 + 4*len(t.Data)
	}
	b := make([]byte, 0, n)
	b = append(b, Magic...)
	b = binary.LittleEndian.AppendUint32(b, m.fileVersion())
	b = m.appendHeader(b, m.fileVersion())
	for _, t := range m.Tensors() {
		b = binary.LittleEndian.AppendUint32(b, uint32(t.Rows))
		b = binary.LittleEndian.AppendUint32(b, uint32(t.Cols))
		for _, x := range t.Data {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli)), nil
}

// WriteFile writes m to path atomically: to a temporary file in the same
// directory, synced, then renamed over path.
func (m *Model) WriteFile(path string) error {
	b, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, b)
}

// WriteFileAtomic writes data to path through a synced temporary file in the
// same directory and a rename, so that path holds either its old content or
// all of data, even after a crash.
func WriteFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// ReadFile reads a model file written by WriteFile. Errors name the file and
// say what is wrong with it.
func ReadFile(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("model file %s: %w", path, err)
	}
	return m, nil
}

// Read reads a model in the model file format from r.
func Read(r io.Reader) (*Model, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return Unmarshal(b)
}

// Errors of Unmarshal, to test with errors.Is.
var (
	ErrForeign   = errors.New("not a hashtag model file (bad magic bytes)")
	ErrTruncated = errors.New("file is truncated")
	ErrChecksum  = errors.New("checksum mismatch: the file is corrupt")
	ErrVersion   = errors.New("unsupported format version")
)

// Unmarshal decodes a model from the model file format.
func Unmarshal(b []byte) (*Model, error) {
	if len(b) < len(Magic) {
		if bytes.HasPrefix([]byte(Magic), b) {
			return nil, ErrTruncated
		}
		return nil, ErrForeign
	}
	if string(b[:len(Magic)]) != Magic {
		return nil, ErrForeign
	}
	if len(b) < len(Magic)+4 {
		return nil, ErrTruncated
	}
	v := binary.LittleEndian.Uint32(b[len(Magic):])
	if v < 1 || v > FormatVersion {
		if v > FormatVersion {
			return nil, fmt.Errorf("%w: format version %d is newer than this program reads (%d); update the program", ErrVersion, v, FormatVersion)
		}
		return nil, fmt.Errorf("%w: format version %d", ErrVersion, v)
	}
	if len(b) < len(Magic)+4+4 {
		return nil, ErrTruncated
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		// A truncated file almost always fails the checksum; tell it apart
		// when the declared content cannot fit.
		if _, err := decode(body, v); errors.Is(err, ErrTruncated) {
			return nil, fmt.Errorf("%w (or corrupt: checksum mismatch)", ErrTruncated)
		}
		return nil, ErrChecksum
	}
	return decode(body, v)
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) u32() uint32 {
	if r.err != nil {
		return 0
	}
	if len(r.b) < 4 {
		r.err = ErrTruncated
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.b) < n {
		r.err = ErrTruncated
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) strings() []string {
	n := int(r.u32())
	if r.err == nil && n > len(r.b)/4 {
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

func decode(body []byte, version uint32) (*Model, error) {
	r := &reader{b: body[len(Magic)+4:]}
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
	if int64(len(r.b)) < 4*total {
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
		raw := r.bytes(4 * len(t.Data))
		if r.err != nil {
			return nil, r.err
		}
		for i := range t.Data {
			t.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%d unexpected bytes after the weights", len(r.b))
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
