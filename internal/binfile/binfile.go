// Package binfile is the container of the program's binary files (the
// float32 model, the compact browser model, the training checkpoint and
// the dataset cache): magic bytes, a format version, lengths and a
// CRC-32C (Castagnoli) checksum, written and verified as a stream, so that
// no file is held in memory twice to be written or read.
//
// A Writer sums every byte written through it (crc32.New and
// io.MultiWriter); a format appends the sum where its layout puts it
// (AppendSum, at the end for the models and the checkpoint) or writes a sum
// it computed before (the dataset cache puts the payload's sum in its
// header). Create writes a file atomically: a temporary file in the same
// folder, synced, then renamed over the path, so that the path holds
// either its old content or all of the new one, even after a crash.
//
// A Reader reads a file's content while summing it, like archive/zip's
// checksumReader, and verifies the sum when the content ends: a Read at
// the end returns ErrChecksum instead of io.EOF when the sum differs, and
// Verify reads what is left and checks it explicitly.
//
// The errors are the sentinels below, to test with errors.Is; the formats
// wrap them with the file name.
package binfile

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
)

// Errors of the formats built on this package, to test with errors.Is.
var (
	ErrMagic     = errors.New("bad magic bytes")
	ErrVersion   = errors.New("unsupported format version")
	ErrChecksum  = errors.New("checksum mismatch: the file is corrupt")
	ErrTruncated = errors.New("file is truncated")
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Checksum returns the CRC-32C of b.
func Checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// A Writer writes a file's bytes through a CRC-32C of every byte written.
type Writer struct {
	w   io.Writer   // to the buffer and the sum
	crc hash.Hash32 // of every byte written
	buf *bufio.Writer
	n   int64
	err error  // the first error of a write
	tmp []byte // Float32s' encoding buffer

	// Set by Create.
	f    *os.File
	path string
	done bool
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer {
	crc := crc32.New(castagnoli)
	buf := bufio.NewWriterSize(w, 1<<16)
	return &Writer{w: io.MultiWriter(buf, crc), crc: crc, buf: buf}
}

// Create returns a Writer writing path atomically: to a temporary file in
// the same folder until Commit. Close without Commit removes the temporary
// file and leaves path as it was.
func Create(path string) (*Writer, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	w := NewWriter(f)
	w.f, w.path = f, path
	return w, nil
}

// Write writes p, adding it to the sum.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.w.Write(p)
	w.n += int64(n)
	w.err = err
	return n, err
}

// Header writes the magic bytes and the version (uint32 little-endian).
func (w *Writer) Header(magic string, version uint32) error {
	io.WriteString(w, magic)
	return w.Uint32(version)
}

// Uint32 writes v little-endian.
func (w *Writer) Uint32(v uint32) error {
	_, err := w.Write(binary.LittleEndian.AppendUint32(nil, v))
	return err
}

// Uint64 writes v little-endian.
func (w *Writer) Uint64(v uint64) error {
	_, err := w.Write(binary.LittleEndian.AppendUint64(nil, v))
	return err
}

// Float32s writes xs as little-endian float32 values.
func (w *Writer) Float32s(xs []float32) error {
	if w.tmp == nil {
		w.tmp = make([]byte, 0, 1<<16)
	}
	for len(xs) > 0 && w.err == nil {
		k := min(len(xs), cap(w.tmp)/4)
		b := w.tmp[:0]
		for _, x := range xs[:k] {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		}
		w.Write(b)
		xs = xs[k:]
	}
	return w.err
}

// Len returns the number of bytes written so far.
func (w *Writer) Len() int64 { return w.n }

// Sum returns the CRC-32C of every byte written so far.
func (w *Writer) Sum() uint32 { return w.crc.Sum32() }

// AppendSum writes the CRC-32C of every byte written before it
// (little-endian), as the models and the checkpoint end.
func (w *Writer) AppendSum() error { return w.Uint32(w.Sum()) }

// Flush writes any buffered bytes to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.err = w.buf.Flush()
	return w.err
}

// Commit flushes, syncs and closes the temporary file of Create and renames
// it over the path. On error, nothing is left of the temporary file and
// the path is as it was.
func (w *Writer) Commit() error {
	if w.f == nil {
		return w.Flush()
	}
	if w.done {
		return fmt.Errorf("writing %s: already committed or closed", w.path)
	}
	w.done = true
	tmp := w.f.Name()
	err := w.Flush()
	if err == nil {
		err = w.f.Chmod(0o644)
	}
	if err == nil {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, w.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", w.path, err)
	}
	return nil
}

// Close abandons a file of Create not committed: it removes the temporary
// file. After Commit it does nothing.
func (w *Writer) Close() error {
	if w.f == nil || w.done {
		return nil
	}
	w.done = true
	w.f.Close()
	return os.Remove(w.f.Name())
}

// WriteFile writes data to path atomically (Create, Write, Commit).
func WriteFile(path string, data []byte) error {
	w, err := Create(path)
	if err != nil {
		return err
	}
	defer w.Close()
	w.Write(data)
	return w.Commit()
}

// A Reader reads the content of a file while summing it, and verifies the
// sum when the content ends.
type Reader struct {
	src  io.Reader
	crc  hash.Hash32
	left int64 // content bytes not yet read

	// The sum to compare with: read from src after the content when
	// trailer, else want.
	trailer bool
	want    uint32
	checked bool
	err     error  // the result of the check
	tmp     []byte // Float32s' decoding buffer
}

// NewReader returns a Reader of a file of size bytes read from r whose last
// 4 bytes are the CRC-32C of all the bytes before them (the layout of the
// models and the checkpoint). The Reader's content is the size-4 bytes
// before the sum, magic bytes included; a size below 4 gives an empty
// content that fails Verify with ErrTruncated.
func NewReader(r io.Reader, size int64) *Reader {
	rd := &Reader{src: r, crc: crc32.New(castagnoli), left: max(size-4, 0), trailer: true}
	if size < 4 {
		rd.checked, rd.err = true, ErrTruncated
	}
	return rd
}

// NewPayloadReader returns a Reader of n bytes read from r whose CRC-32C
// must be sum (the layout of the dataset cache, whose header holds the
// payload's length and sum).
func NewPayloadReader(r io.Reader, n int64, sum uint32) *Reader {
	return &Reader{src: r, crc: crc32.New(castagnoli), left: n, want: sum}
}

// Remaining returns the number of content bytes not yet read.
func (r *Reader) Remaining() int64 { return r.left }

// Read reads content, adding it to the sum. At the end of the content it
// returns io.EOF if the sum matches, else ErrChecksum (ErrTruncated if the
// file ends early).
func (r *Reader) Read(p []byte) (int, error) {
	if r.left == 0 {
		if err := r.check(); err != nil {
			return 0, err
		}
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.src.Read(p)
	r.crc.Write(p[:n])
	r.left -= int64(n)
	if err == io.EOF {
		if r.left > 0 {
			r.checked, r.err = true, ErrTruncated
			return n, ErrTruncated
		}
		err = nil
	}
	return n, err
}

// check compares the sum of the content, read to its end, with the one
// expected, once.
func (r *Reader) check() error {
	if r.checked {
		return r.err
	}
	r.checked = true
	want := r.want
	if r.trailer {
		var b [4]byte
		if _, err := io.ReadFull(r.src, b[:]); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				err = ErrTruncated
			}
			r.err = err
			return err
		}
		want = binary.LittleEndian.Uint32(b[:])
	}
	if r.crc.Sum32() != want {
		r.err = ErrChecksum
	}
	return r.err
}

// Verify reads the rest of the content and checks its sum: nil if it
// matches, else ErrChecksum (or ErrTruncated, or the read error).
func (r *Reader) Verify() error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	return r.check()
}

// ReadFull reads exactly len(p) bytes of content; a file that ends first
// gives ErrTruncated.
func (r *Reader) ReadFull(p []byte) error {
	if int64(len(p)) > r.left {
		return ErrTruncated
	}
	_, err := io.ReadFull(r, p)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = ErrTruncated
	}
	return err
}

// Float32s fills dst with little-endian float32 values, reading them in
// pieces through one buffer; a file that ends first gives ErrTruncated.
func (r *Reader) Float32s(dst []float32) error {
	if int64(len(dst))*4 > r.left {
		return ErrTruncated
	}
	if r.tmp == nil {
		r.tmp = make([]byte, 1<<16)
	}
	for len(dst) > 0 {
		k := min(len(dst), len(r.tmp)/4)
		raw := r.tmp[:4*k]
		if err := r.ReadFull(raw); err != nil {
			return err
		}
		for i := range dst[:k] {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		dst = dst[k:]
	}
	return nil
}

// Uint32 reads a little-endian uint32.
func (r *Reader) Uint32() (uint32, error) {
	var b [4]byte
	err := r.ReadFull(b[:])
	return binary.LittleEndian.Uint32(b[:]), err
}

// Uint64 reads a little-endian uint64.
func (r *Reader) Uint64() (uint64, error) {
	var b [8]byte
	err := r.ReadFull(b[:])
	return binary.LittleEndian.Uint64(b[:]), err
}

// Open opens path for a Reader of the trailer layout (NewReader), returning
// the Reader and the file to close.
func Open(path string) (*Reader, *os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return NewReader(bufio.NewReaderSize(f, 1<<16), st.Size()), f, nil
}
