package model

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"

	"github.com/klauspost/compress/zstd"
)

// The compact model file, for the browser (version 1), integers
// little-endian:
//
//	magic    8 bytes "HTAGCMPZ"
//	version  uint32 (CompactVersion)
//	rawLen   uint64, the length of the body once decompressed
//	body     one zstd frame holding:
//	           config   uint8 variant, uint32 dim, hops, memory, max words
//	           words    uint32 count, then per word: uint32 length, bytes
//	           tags     the same
//	           tensors  for each of Params.Tensors() in order: uint32 rows,
//	                    uint32 cols, uint8 Quant kind, then for an integer
//	                    kind rows float32 scales, then the rows' codes
//	                    (Quant.rowBytes each)
//	crc      uint32 CRC-32C of every byte before it
//
// ReadCompact dequantises the weights into an ordinary float32 Model, so the
// browser runs the same forward pass as the trainer evaluated.
const (
	CompactMagic   = "HTAGCMPZ"
	CompactVersion = 1
	// maxCompactRaw bounds the decompressed body (a zstd bomb guard).
	maxCompactRaw = 1 << 30
)

// CompactOptions choose the storage kind of each group of matrices.
type CompactOptions struct {
	Embeddings Quant // A, B, C
	Output     Quant // Theta
	Dense      Quant // Wo, Ws, Wms, Wf, Bf
}

func (o CompactOptions) kind(t Tensor[float32]) Quant {
	switch {
	case t.Embedding:
		return o.Embeddings
	case t.Name == "Theta":
		return o.Output
	case t.Name == "Bf" || t.Name == "Wms":
		return QuantF32 // a few hundred numbers: not worth any error
	}
	return o.Dense
}

// MarshalCompact encodes m in the compact file format.
func (m *Model) MarshalCompact(o CompactOptions) ([]byte, error) {
	var body []byte
	body = append(body, byte(m.Variant))
	for _, v := range []int{m.Dim, m.Hops, m.Memory, m.MaxWords} {
		body = binary.LittleEndian.AppendUint32(body, uint32(v))
	}
	for _, list := range [][]string{m.Words, m.Tags} {
		body = binary.LittleEndian.AppendUint32(body, uint32(len(list)))
		for _, s := range list {
			body = binary.LittleEndian.AppendUint32(body, uint32(len(s)))
			body = append(body, s...)
		}
	}
	for _, t := range m.Tensors() {
		q := o.kind(t)
		if q > maxQuant {
			return nil, fmt.Errorf("tensor %s: unknown storage kind %d", t.Name, q)
		}
		body = binary.LittleEndian.AppendUint32(body, uint32(t.Rows))
		body = binary.LittleEndian.AppendUint32(body, uint32(t.Cols))
		body = append(body, byte(q))
		if q == QuantF32 {
			for _, x := range t.Data {
				body = binary.LittleEndian.AppendUint32(body, math.Float32bits(x))
			}
			continue
		}
		codes := make([]int8, t.Cols)
		packed := make([]byte, 0, t.Rows*q.rowBytes(t.Cols))
		for r := 0; r < t.Rows; r++ {
			scale := quantizeRow(q, t.Data[r*t.Cols:(r+1)*t.Cols], codes)
			body = binary.LittleEndian.AppendUint32(body, math.Float32bits(scale))
			packed = packRow(packed, q, codes)
		}
		body = append(body, packed...)
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression),
		zstd.WithAllLitEntropyCompression(true), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	defer enc.Close()
	b := append([]byte(CompactMagic), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[8:], CompactVersion)
	binary.LittleEndian.PutUint64(b[12:], uint64(len(body)))
	b = enc.EncodeAll(body, b)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli)), nil
}

// UnmarshalCompact decodes a compact file into a float32 model. Every
// error says what is wrong; errors.Is finds ErrForeign, ErrTruncated,
// ErrChecksum and ErrVersion.
func UnmarshalCompact(b []byte) (*Model, error) {
	const head = len(CompactMagic) + 4 + 8
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrTruncated)
	}
	if len(b) < len(CompactMagic) || string(b[:len(CompactMagic)]) != CompactMagic {
		if len(b) < len(CompactMagic) && bytes.HasPrefix([]byte(CompactMagic), b) {
			return nil, ErrTruncated
		}
		if len(b) >= len(Magic) && string(b[:len(Magic)]) == Magic {
			return nil, fmt.Errorf("%w: this is a float32 training model; make a browser model with hashtag export", ErrForeign)
		}
		return nil, ErrForeign
	}
	if len(b) < head+4 {
		return nil, ErrTruncated
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != CompactVersion {
		if v > CompactVersion {
			return nil, fmt.Errorf("%w: compact format version %d is newer than this program reads (%d); update the program", ErrVersion, v, CompactVersion)
		}
		return nil, fmt.Errorf("%w: compact format version %d", ErrVersion, v)
	}
	if crc32.Checksum(b[:len(b)-4], castagnoli) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, fmt.Errorf("%w (or truncated: the checksum of the last 4 bytes does not match)", ErrChecksum)
	}
	rawLen := binary.LittleEndian.Uint64(b[12:])
	if rawLen > maxCompactRaw {
		return nil, fmt.Errorf("compact body of %d bytes exceeds the %d-byte limit", rawLen, maxCompactRaw)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxCompactRaw))
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	body, err := dec.DecodeAll(b[head:len(b)-4], make([]byte, 0, rawLen))
	if err != nil {
		return nil, fmt.Errorf("decompressing: %w", err)
	}
	if uint64(len(body)) != rawLen {
		return nil, fmt.Errorf("%w: body is %d bytes, header says %d", ErrTruncated, len(body), rawLen)
	}
	return decodeCompact(body)
}

func decodeCompact(body []byte) (*Model, error) {
	r := &reader{b: body}
	v := r.bytes(1)
	if r.err != nil {
		return nil, r.err
	}
	c := Config{Variant: Variant(v[0])}
	c.Dim, c.Hops, c.Memory, c.MaxWords = int(r.u32()), int(r.u32()), int(r.u32()), int(r.u32())
	if r.err != nil {
		return nil, r.err
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("bad config: %w", err)
	}
	words, tags := r.strings(), r.strings()
	if r.err != nil {
		return nil, r.err
	}
	// The smallest size the weights can have (2 bits each) must fit before
	// anything is allocated.
	d := int64(c.Dim)
	if min := (3*int64(len(words))*d + int64(len(tags))*d) / 4; int64(len(r.b)) < min {
		return nil, fmt.Errorf("%w: %d bytes left for weights of at least %d", ErrTruncated, len(r.b), min)
	}
	m, err := New(c, words, tags)
	if err != nil {
		return nil, err
	}
	for _, t := range m.Tensors() {
		rows, cols := int(r.u32()), int(r.u32())
		kb := r.bytes(1)
		if r.err != nil {
			return nil, r.err
		}
		if rows != t.Rows || cols != t.Cols {
			return nil, fmt.Errorf("tensor %s is %d×%d, want %d×%d", t.Name, rows, cols, t.Rows, t.Cols)
		}
		q := Quant(kb[0])
		if q > maxQuant {
			return nil, fmt.Errorf("tensor %s: unknown storage kind %d", t.Name, q)
		}
		if q == QuantF32 {
			raw := r.bytes(4 * len(t.Data))
			if r.err != nil {
				return nil, r.err
			}
			for i := range t.Data {
				t.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
			}
			continue
		}
		scales := r.bytes(4 * rows)
		codes := r.bytes(rows * q.rowBytes(cols))
		if r.err != nil {
			return nil, r.err
		}
		rb := q.rowBytes(cols)
		for i := 0; i < rows; i++ {
			scale := math.Float32frombits(binary.LittleEndian.Uint32(scales[4*i:]))
			if math.IsNaN(float64(scale)) || math.IsInf(float64(scale), 0) {
				return nil, fmt.Errorf("tensor %s row %d: scale is %v", t.Name, i, scale)
			}
			unpackRow(q, scale, codes[i*rb:(i+1)*rb], t.Data[i*cols:(i+1)*cols])
		}
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%d unexpected bytes after the weights", len(r.b))
	}
	return m, nil
}

// ReadCompact reads a compact model file, ready to Recommend.
func ReadCompact(rd io.Reader) (*Model, error) {
	b, err := io.ReadAll(rd)
	if err != nil {
		return nil, err
	}
	return UnmarshalCompact(b)
}
