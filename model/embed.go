package model

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
)

// packedRows is a rows×cols matrix kept in memory the way a compact file
// stores it: each row that is not all zero as its codes of kind q
// (q.rowBytes(cols) bytes) with, for an integer kind, a float32 scale; zero
// rows take no room. A row is decoded by unpackRow, the dequantisation a
// float32 copy of the matrix is made with, so a decoded row holds exactly
// the values of that copy's row.
type packedRows struct {
	q      Quant
	cols   int
	slot   []int32   // per row: its index among the stored rows, or -1 (zero row)
	scales []float32 // per stored row, for an integer kind
	codes  []byte    // the stored rows' codes, for an integer kind
	f32    []float32 // the stored rows' values, for QuantF32
	zero   []float32 // cols zeros: the value of every row not stored
}

// readPacked reads the rows of a rows×cols tensor of kind q, as
// MarshalCompact wrote them after the tensor's kind byte: the sparse flag
// and bitmap, the scales and the codes. Its codes alias r's buffer.
func (r *reader) readPacked(name string, q Quant, rows, cols int) (*packedRows, error) {
	present, err := r.rowsPresent(name, rows)
	if err != nil {
		return nil, err
	}
	p := &packedRows{q: q, cols: cols, slot: make([]int32, rows), zero: make([]float32, cols)}
	stored := int32(0)
	for i, ok := range present {
		p.slot[i] = -1
		if ok {
			p.slot[i] = stored
			stored++
		}
	}
	var scales []byte
	if q != QuantF32 {
		scales = r.bytes(4 * int(stored))
	}
	codes := r.bytes(int(stored) * q.rowBytes(cols))
	if r.err != nil {
		return nil, r.err
	}
	if q == QuantF32 {
		p.f32 = make([]float32, len(codes)/4)
		for j := range p.f32 {
			p.f32[j] = math.Float32frombits(binary.LittleEndian.Uint32(codes[4*j:]))
		}
		return p, nil
	}
	p.codes = codes
	p.scales = make([]float32, stored)
	for i := range p.scales {
		p.scales[i] = math.Float32frombits(binary.LittleEndian.Uint32(scales[4*i:]))
	}
	for row, i := range p.slot {
		if i >= 0 && (math.IsNaN(float64(p.scales[i])) || math.IsInf(float64(p.scales[i]), 0)) {
			return nil, fmt.Errorf("tensor %s row %d: scale is %v", name, row, p.scales[i])
		}
	}
	return p, nil
}

// row returns row r: for a zero row or a QuantF32 row the stored values
// themselves, else the row decoded into buf (at least cols long). The
// result is read-only and valid until buf is written.
func (p *packedRows) row(r int, buf []float32) []float32 {
	i := int(p.slot[r])
	switch {
	case i < 0:
		return p.zero
	case p.q == QuantF32:
		return p.f32[i*p.cols : (i+1)*p.cols]
	}
	rb := p.q.rowBytes(p.cols)
	buf = buf[:p.cols]
	unpackRow(p.q, p.scales[i], p.codes[i*rb:(i+1)*rb], buf)
	return buf
}

// fill writes every row into dst (rows×cols, row-major).
func (p *packedRows) fill(dst []float32) {
	for r := range p.slot {
		out := dst[r*p.cols : (r+1)*p.cols]
		copy(out, p.row(r, out))
	}
}

// packedEmbeddings are the embeddings of a compact model.
type packedEmbeddings struct{ a, b, c *packedRows }

// embedding is one V×Dim word-embedding matrix as the forward pass reads
// it: the float32 matrix of a training model, or the packed rows of a
// compact one.
type embedding struct {
	dense  []float32
	packed *packedRows
	dim    int
}

// row returns the embedding of word w: a subslice of the float32 matrix (no
// copy), or the packed row decoded into buf (Dim long). The result is
// read-only and valid until buf is written.
func (e embedding) row(w int32, buf []float32) []float32 {
	if e.packed != nil {
		return e.packed.row(int(w), buf)
	}
	return e.dense[int(w)*e.dim : int(w+1)*e.dim]
}

// embeddings returns the views of A, B and C.
func (m *Model) embeddings() (a, b, c embedding) {
	d := m.Dim
	if p := m.packed; p != nil {
		return embedding{packed: p.a, dim: d}, embedding{packed: p.b, dim: d}, embedding{packed: p.c, dim: d}
	}
	return embedding{dense: m.A, dim: d}, embedding{dense: m.B, dim: d}, embedding{dense: m.C, dim: d}
}

// Packed reports whether m keeps its embeddings packed, as a compact file
// stores them (a model from ReadCompact, UnmarshalCompact or Load of a
// compact file). Its A, B and C are then nil; Dequantize gives them.
func (m *Model) Packed() bool { return m.packed != nil }

// Dequantize returns m with float32 embeddings A, B and C: m itself if it
// has them, else a new Model holding them decoded (3·V·Dim float32) and
// sharing m's other parameters, vocabulary and candidates. Its forward pass
// gives exactly the floats of m's.
func (m *Model) Dequantize() *Model {
	p := m.packed
	if p == nil {
		return m
	}
	f := *m
	f.packed = nil
	f.A, f.B, f.C = p.a.dequantize(), p.b.dequantize(), p.c.dequantize()
	return &f
}

// dequantize returns the rows as one float32 matrix.
func (p *packedRows) dequantize() []float32 {
	x := make([]float32, len(p.slot)*p.cols)
	p.fill(x)
	return x
}

// keep detaches p from the buffer it was read from, so that the buffer can
// be freed.
func (p *packedRows) keep() *packedRows {
	p.codes = bytes.Clone(p.codes)
	return p
}
