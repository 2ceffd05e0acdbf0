package model

import "math"

// Quant names how one parameter matrix is stored in a compact file.
type Quant uint8

// Storage kinds of a matrix in a compact file. Integer kinds have one
// float32 scale per row. Int8 and Int4 are symmetric, x ≈ scale·q; Int2 is
// mid-rise, x ≈ scale·(q + 1/2) with q in [-2, 1], so its four levels are
// ±scale/2 and ±3·scale/2, close to the best 4-level quantiser of a
// Gaussian row (Lloyd-Max: ±0.45σ, ±1.51σ).
const (
	QuantF32  Quant = iota // float32, as trained
	QuantInt8              // q in [-127, 127]
	QuantInt4              // q in [-7, 7], two per byte (low nibble first)
	QuantInt2              // q in [-2, 1], four per byte (lowest bits first)
)

// maxQuant is the largest known kind.
const maxQuant = QuantInt2

// String names the kind as the export flags do.
func (q Quant) String() string {
	switch q {
	case QuantF32:
		return "f32"
	case QuantInt8:
		return "int8"
	case QuantInt4:
		return "int4"
	case QuantInt2:
		return "int2"
	}
	return "quant(?)"
}

// levels is the largest code of an integer kind.
func (q Quant) levels() int {
	switch q {
	case QuantInt8:
		return 127
	case QuantInt4:
		return 7
	}
	return 0
}

// rowBytes is the size of one row's codes (without its scale).
func (q Quant) rowBytes(cols int) int {
	switch q {
	case QuantF32:
		return 4 * cols
	case QuantInt8:
		return cols
	case QuantInt4:
		return (cols + 1) / 2
	case QuantInt2:
		return (cols + 3) / 4
	}
	return 0
}

// clipRatios are the clipping points tried per row, as fractions of the
// row's largest magnitude: for 4 bits, clipping a few outliers lowers the
// squared error of all other weights.
var clipRatios = []float64{1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3}

// quantizeRow returns the scale and codes of row x in kind q (an integer
// kind), choosing the clip ratio with the least squared error.
func quantizeRow(q Quant, x []float32, codes []int8) float32 {
	maxAbs := 0.0
	for _, v := range x {
		maxAbs = math.Max(maxAbs, math.Abs(float64(v)))
	}
	if maxAbs == 0 {
		for i := range codes {
			codes[i] = q.code(0, 1)
		}
		return 0
	}
	ratios := clipRatios
	if q == QuantInt8 {
		ratios = ratios[:1] // 8 bits: clipping gains nothing measurable
	}
	best, bestErr := 0.0, math.Inf(1)
	for _, r := range ratios {
		scale := maxAbs * r / q.top()
		var e float64
		for _, v := range x {
			d := float64(v) - q.value(q.code(float64(v), scale), scale)
			e += d * d
		}
		if e < bestErr {
			best, bestErr = scale, e
		}
	}
	for i, v := range x {
		codes[i] = q.code(float64(v), best)
	}
	return float32(best)
}

// top is the largest level of an integer kind, in steps of its scale.
func (q Quant) top() float64 {
	if q == QuantInt2 {
		return 1.5
	}
	return float64(q.levels())
}

// code is the code of v at the given scale.
func (q Quant) code(v, scale float64) int8 {
	if q == QuantInt2 {
		return int8(math.Max(-2, math.Min(1, math.Floor(v/scale))))
	}
	L := float64(q.levels())
	return int8(math.Max(-L, math.Min(L, math.Round(v/scale))))
}

// value is what code c stands for at the given scale.
func (q Quant) value(c int8, scale float64) float64 {
	if q == QuantInt2 {
		return scale * (float64(c) + 0.5)
	}
	return scale * float64(c)
}

// packRow appends the codes of one row in kind q's byte layout.
func packRow(dst []byte, q Quant, codes []int8) []byte {
	switch q {
	case QuantInt8:
		for _, c := range codes {
			dst = append(dst, byte(c))
		}
	case QuantInt4:
		for i := 0; i < len(codes); i += 2 {
			lo := byte(codes[i]) & 0x0f
			var hi byte
			if i+1 < len(codes) {
				hi = byte(codes[i+1]) & 0x0f
			}
			dst = append(dst, lo|hi<<4)
		}
	case QuantInt2:
		for i := 0; i < len(codes); i += 4 {
			var b byte
			for j := 0; j < 4 && i+j < len(codes); j++ {
				b |= (byte(codes[i+j]) & 3) << (2 * j)
			}
			dst = append(dst, b)
		}
	}
	return dst
}

// unpackRow writes scale·code for every element of row into out.
func unpackRow(q Quant, scale float32, raw []byte, out []float32) {
	switch q {
	case QuantInt8:
		for i := range out {
			out[i] = scale * float32(int8(raw[i]))
		}
	case QuantInt4:
		// The value of each of the 16 nibbles, looked up two per byte (the
		// forward pass decodes embedding rows as it reads them).
		var v [16]float32
		for c := range v {
			v[c] = scale * float32(int8(c<<4)>>4) // sign-extend the nibble
		}
		n := len(out) &^ 1
		for i := 0; i < n; i += 2 {
			b := raw[i/2]
			out[i], out[i+1] = v[b&15], v[b>>4]
		}
		if n < len(out) {
			out[n] = v[raw[n/2]&15]
		}
	case QuantInt2:
		for i := range out {
			c := int8(raw[i/4]>>(2*(i%4))<<6) >> 6 // sign-extend two bits
			out[i] = scale * (float32(c) + 0.5)
		}
	}
}
