package model

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/hashtag-rec/hashtag/internal/binfile"
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
//	           display  (version 2) the same: 0 or one per tag (file.go)
//	           tensors  for each of Params.Tensors() in order: uint32 rows,
//	                    uint32 cols, uint8 Quant kind, uint8 sparse; if
//	                    sparse is 1, a bitmap of ceil(rows/8) bytes marks
//	                    the rows stored (bit r%8 of byte r/8; the others
//	                    are zero); then for an integer kind one float32
//	                    scale per stored row, then the stored rows' data
//	                    (Quant.rowBytes each)
//
// Rows that are exactly zero are not stored: a pruned vocabulary keeps a
// word's row in A (post words) and in B, C (memory words) independently.
//
//	crc      uint32 CRC-32C of every byte before it
//
// ReadCompact dequantises the dense matrices into float32 and keeps the
// embeddings A, B, C packed as stored (zero rows as nothing); the forward
// pass decodes a row when it reads it, into the float32 values full
// dequantisation gives (Model.Dequantize). So the browser runs the same
// forward pass as the trainer evaluated, without holding 3·V·Dim float32
// embeddings (assets/model.bin: 10 MB of heap instead of 67 MB).
const (
	CompactMagic   = "HTAGCMPZ"
	CompactVersion = 2
	// maxCompactRaw bounds the decompressed body (a zstd bomb guard).
	maxCompactRaw = 1 << 30
	// maxCompactParams bounds the weights a header may ask for (512 MB of
	// float32).
	maxCompactParams = 1 << 27
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
	case t.Name == "Bf" || t.Name == "Wms" || isCopyTensor(t.Name):
		return QuantF32 // a few hundred numbers: not worth any error
	}
	return o.Dense
}

// MarshalCompact encodes m in the compact file format (a packed model's
// embeddings are dequantised first, then quantised anew).
func (m *Model) MarshalCompact(o CompactOptions) ([]byte, error) {
	m = m.Dequantize()
	body := m.appendHeader(nil, m.fileVersion())
	for _, t := range m.Tensors() {
		q := o.kind(t)
		if q > maxQuant {
			return nil, fmt.Errorf("tensor %s: unknown storage kind %d", t.Name, q)
		}
		present := make([]bool, t.Rows)
		stored := 0
		for r := range present {
			for _, x := range t.Data[r*t.Cols : (r+1)*t.Cols] {
				if x != 0 {
					present[r] = true
					stored++
					break
				}
			}
		}
		body = binary.LittleEndian.AppendUint32(body, uint32(t.Rows))
		body = binary.LittleEndian.AppendUint32(body, uint32(t.Cols))
		body = append(body, byte(q))
		if stored == t.Rows {
			body = append(body, 0)
		} else {
			body = append(body, 1)
			bitmap := make([]byte, (t.Rows+7)/8)
			for r, ok := range present {
				if ok {
					bitmap[r/8] |= 1 << (r % 8)
				}
			}
			body = append(body, bitmap...)
		}
		if q == QuantF32 {
			for r := 0; r < t.Rows; r++ {
				if present[r] {
					for _, x := range t.Data[r*t.Cols : (r+1)*t.Cols] {
						body = binary.LittleEndian.AppendUint32(body, math.Float32bits(x))
					}
				}
			}
			continue
		}
		codes := make([]int8, t.Cols)
		packed := make([]byte, 0, stored*q.rowBytes(t.Cols))
		for r := 0; r < t.Rows; r++ {
			if !present[r] {
				continue
			}
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
	var b bytes.Buffer
	w := binfile.NewWriter(&b)
	w.Header(CompactMagic, m.fileVersion())
	w.Uint64(uint64(len(body)))
	w.Write(enc.EncodeAll(body, nil))
	w.AppendSum()
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// UnmarshalCompact decodes a compact file into a model with packed
// embeddings (see Model). Every error says what is wrong; errors.Is finds
// ErrForeign, ErrTruncated, ErrChecksum and ErrVersion.
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
	v := binary.LittleEndian.Uint32(b[8:])
	if v < 1 || v > CompactVersion {
		if v > CompactVersion {
			return nil, fmt.Errorf("%w: compact format version %d is newer than this program reads (%d); update the program", ErrVersion, v, CompactVersion)
		}
		return nil, fmt.Errorf("%w: compact format version %d", ErrVersion, v)
	}
	if binfile.NewReader(bytes.NewReader(b), int64(len(b))).Verify() != nil {
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
	return decodeCompact(body, v)
}

func decodeCompact(body []byte, version uint32) (*Model, error) {
	r := &reader{b: body}
	c, words, tags, display, err := r.header(version)
	if err != nil {
		return nil, err
	}
	// Bound what the header makes us allocate (the browser could not hold
	// more anyway).
	if n := (3*int64(len(words)) + 4*int64(c.Dim) + int64(len(tags))) * int64(c.Dim); n > maxCompactParams {
		return nil, fmt.Errorf("model of %d parameters exceeds the %d this program loads", n, maxCompactParams)
	}
	m := &Model{Params: *newDenseParams[float32](c, len(words), len(tags)), Words: words, Tags: tags,
		Display: display, packed: &packedEmbeddings{}}
	if err := m.buildIndex(); err != nil {
		return nil, err
	}
	emb := [...]**packedRows{&m.packed.a, &m.packed.b, &m.packed.c} // Tensors lists A, B, C first
	for i, t := range m.Tensors() {
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
		p, err := r.readPacked(t.Name, q, rows, cols)
		if err != nil {
			return nil, err
		}
		if t.Embedding {
			*emb[i] = p.keep()
		} else {
			p.fill(t.Data)
		}
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%d unexpected bytes after the weights", len(r.b))
	}
	return finite(m) // refuse NaN or infinite weights (model/finite.go)
}

// ReadCompact reads a compact model file, ready to Recommend.
func ReadCompact(rd io.Reader) (*Model, error) {
	b, err := io.ReadAll(rd)
	if err != nil {
		return nil, err
	}
	return UnmarshalCompact(b)
}

// rowsPresent reads a tensor's sparse flag and bitmap.
func (r *reader) rowsPresent(name string, rows int) ([]bool, error) {
	flag := r.bytes(1)
	if r.err != nil {
		return nil, r.err
	}
	present := make([]bool, rows)
	switch flag[0] {
	case 0:
		for i := range present {
			present[i] = true
		}
	case 1:
		bitmap := r.bytes((rows + 7) / 8)
		if r.err != nil {
			return nil, r.err
		}
		for i := range present {
			present[i] = bitmap[i/8]&(1<<(i%8)) != 0
		}
	default:
		return nil, fmt.Errorf("tensor %s: sparse flag %d, want 0 or 1", name, flag[0])
	}
	return present, nil
}

// Load reads a model file of either format, recognised by its magic bytes:
// a float32 training model (ReadFile) or a compact browser model
// (ReadCompact). Errors name the file.
func Load(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 1<<16)
	var m *Model
	if head, _ := br.Peek(len(CompactMagic)); string(head) == CompactMagic {
		var b []byte
		if b, err = io.ReadAll(br); err == nil {
			m, err = UnmarshalCompact(b)
		}
	} else {
		m, err = readModel(br, st.Size()) // as a stream
	}
	if err != nil {
		return nil, fmt.Errorf("model file %s: %w", path, err)
	}
	return m, nil
}
