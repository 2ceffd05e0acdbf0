package model

import "math"

// Quant names how one parameter matrix is stored in a compact file.
type Quant uint8

// Storage kinds of a matrix in a compact file. Integer kinds are symmetric,
// with one float32 scale per row: x ≈ scale·q.
const (
	QuantF32  Quant = iota // float32, as trained
	QuantInt8              // q in [-127, 127]
	QuantInt4              // q in [-7, 7], two per byte (low nibble first)
)

// String names the kind as the export flags do.
func (q Quant) String() string {
	switch q {
	case QuantF32:
		return "f32"
	case QuantInt8:
		return "int8"
	case QuantInt4:
		return "int4"
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
	}
	return 0
}

// clipRatios are the clipping points tried per row, as fractions of the
// row's largest magnitude: for 4 bits, clipping a few outliers lowers the
// squared error of all other weights.
var clipRatios = []float64{1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5}

// quantizeRow returns the scale and codes of row x in kind q (an integer
// kind), choosing the clip ratio with the least squared error.
func quantizeRow(q Quant, x []float32, codes []int8) float32 {
	maxAbs := 0.0
	for _, v := range x {
		maxAbs = math.Max(maxAbs, math.Abs(float64(v)))
	}
	if maxAbs == 0 {
		clear(codes)
		return 0
	}
	L := float64(q.levels())
	ratios := clipRatios
	if q == QuantInt8 {
		ratios = ratios[:1] // 8 bits: clipping gains nothing measurable
	}
	best, bestErr := 0.0, math.Inf(1)
	for _, r := range ratios {
		scale := maxAbs * r / L
		var e float64
		for _, v := range x {
			c := math.Max(-L, math.Min(L, math.Round(float64(v)/scale)))
			d := float64(v) - c*scale
			e += d * d
		}
		if e < bestErr {
			best, bestErr = scale, e
		}
	}
	for i, v := range x {
		codes[i] = int8(math.Max(-L, math.Min(L, math.Round(float64(v)/best))))
	}
	return float32(best)
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
		for i := range out {
			b := raw[i/2]
			if i%2 == 1 {
				b >>= 4
			}
			out[i] = scale * float32(int8(b<<4)>>4) // sign-extend the nibble
		}
	}
}
