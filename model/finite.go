package model

import "fmt"

// NonFiniteError reports a weight that is NaN or infinite: a model trained
// with too high a learning rate (a diverged training) or a damaged file.
// Every loader refuses such a model, since its scores would be NaN.
type NonFiniteError struct {
	Tensor   string // parameter matrix, e.g. "Theta"
	Row, Col int    // position in it
	Value    float32
	// Scale is set for a packed row whose scale makes its codes overflow
	// float32 (Value is then what its largest code stands for).
	Scale float32
}

// Error names the parameter, its position and its value.
func (e *NonFiniteError) Error() string {
	if e.Scale != 0 {
		return fmt.Sprintf("weight %s[%d]: row scale %g makes its values %v (non-finite weights)", e.Tensor, e.Row, e.Scale, e.Value)
	}
	return fmt.Sprintf("weight %s[%d][%d] is %v (non-finite weights: the training diverged or the file is damaged)", e.Tensor, e.Row, e.Col, e.Value)
}

// FirstNonFinite returns the index of the first NaN or infinite element of
// x, or -1 if every element is finite.
func FirstNonFinite(x []float32) int {
	for i, v := range x {
		// v-v is 0 for a finite v and NaN for ±Inf and NaN.
		if v-v != 0 {
			return i
		}
	}
	return -1
}

// CheckFinite returns a *NonFiniteError naming the first weight of m that is
// NaN or infinite, or nil. For packed embeddings it checks every stored
// value of a float32 row and, for an integer kind, that the row's scale
// times its largest possible code is finite (so no code can decode to a
// non-finite value), without decoding the rows.
func (m *Model) CheckFinite() error {
	for _, t := range m.Tensors() {
		if i := FirstNonFinite(t.Data); i >= 0 {
			return &NonFiniteError{Tensor: t.Name, Row: i / t.Cols, Col: i % t.Cols, Value: t.Data[i]}
		}
	}
	if p := m.packed; p != nil {
		for _, e := range []struct {
			name string
			rows *packedRows
		}{{"A", p.a}, {"B", p.b}, {"C", p.c}} {
			if err := e.rows.checkFinite(e.name); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxAbsCode is the largest magnitude a code of kind q stands for, in steps
// of the row's scale: what any byte pattern can decode to (unpackRow).
func (q Quant) maxAbsCode() float32 {
	switch q {
	case QuantInt8:
		return 128 // int8(0x80)
	case QuantInt4:
		return 8 // the nibble 0x8 sign-extends to -8
	case QuantInt2:
		return 1.5 // -2 + 0.5
	}
	return 1
}

func (p *packedRows) checkFinite(name string) error {
	if p == nil {
		return nil
	}
	if p.q == QuantF32 {
		if i := FirstNonFinite(p.f32); i >= 0 {
			slot := int32(i / p.cols)
			for r, s := range p.slot {
				if s == slot {
					return &NonFiniteError{Tensor: name, Row: r, Col: i % p.cols, Value: p.f32[i]}
				}
			}
		}
		return nil
	}
	top := p.q.maxAbsCode()
	for r, s := range p.slot {
		if s < 0 {
			continue
		}
		sc := p.scales[s]
		if v := sc * top; v-v != 0 {
			return &NonFiniteError{Tensor: name, Row: r, Col: -1, Value: v, Scale: sc}
		}
	}
	return nil
}

// finite returns m, or an error if a weight of m is not finite: what every
// model decoder returns last.
func finite(m *Model) (*Model, error) {
	if err := m.CheckFinite(); err != nil {
		return nil, err
	}
	return m, nil
}
