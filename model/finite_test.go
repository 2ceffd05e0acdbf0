package model

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadersRefuseNonFinite checks that the float32 and the compact
// decoders refuse a model with a NaN or infinite weight, naming the
// parameter, and that ReadFile and Load also name the file.
func TestLoadersRefuseNonFinite(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	// Dense matrices stored as float32 keep a NaN as it is (an integer kind
	// would quantise it away: MarshalCompact gives such a row scale 0).
	int4 := CompactOptions{Embeddings: QuantInt4, Output: QuantF32, Dense: QuantF32}
	f32 := CompactOptions{}
	for _, c := range []struct {
		name    string
		set     func(m *Model)
		compact *CompactOptions // nil: the float32 format only
		want    string          // in the error
	}{
		{"Theta NaN", func(m *Model) { m.Theta[3*m.Dim+5] = nan }, &int4, "Theta[3][5]"},
		{"Wf +Inf", func(m *Model) { m.Wf[7] = inf }, &int4, "Wf[0][7]"},
		{"Bf NaN (stored as float32 in compact files)", func(m *Model) { m.Bf[2] = nan }, &int4, "Bf[0][2]"},
		{"Wms -Inf", func(m *Model) { m.Wms[0] = -inf }, &int4, "Wms[0][0]"},
		{"A NaN", func(m *Model) { m.A[4*m.Dim+1] = nan }, &f32, "A[4][1]"},
		{"C +Inf", func(m *Model) { m.C[2*m.Dim] = inf }, &f32, "C[2][0]"},
		// Finite weights whose int4 scale could decode to +Inf.
		{"B overflowing int4 scale", func(m *Model) { m.B[5*m.Dim+3] = 3.3e38 }, &int4, "B[5]: row scale"},
	} {
		m := compactTestModel(t, HMemN2N, 3)
		c.set(m)
		if c.name != "B overflowing int4 scale" {
			b, err := m.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			_, err = Unmarshal(b)
			var nf *NonFiniteError
			if !errors.As(err, &nf) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s, float32 file: error %v, want a NonFiniteError naming %s", c.name, err, c.want)
			}
			path := filepath.Join(t.TempDir(), "model.bin")
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			for name, load := range map[string]func(string) (*Model, error){"ReadFile": ReadFile, "Load": Load} {
				if _, err := load(path); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
					t.Errorf("%s, %s: error %v, want one naming %s and %s", c.name, name, err, path, c.want)
				}
			}
		}
		if c.compact == nil {
			continue
		}
		b, err := m.MarshalCompact(*c.compact)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "compact.bin")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s, compact file: error %v, want one naming %s and %s", c.name, err, path, c.want)
		}
	}
}

// TestFiniteModelsLoad checks that the check lets ordinary models through:
// large finite weights, a quantised model, and the shipped browser model.
func TestFiniteModelsLoad(t *testing.T) {
	m := compactTestModel(t, HMemN2NTags, 4)
	m.Theta[0], m.A[1] = 1e30, -1e30
	b, _ := m.MarshalBinary()
	if _, err := Unmarshal(b); err != nil {
		t.Errorf("float32 model with weights of 1e30: %v", err)
	}
	// int8 decodes at most 128 steps of the scale: 1e36/127·128 is finite.
	m.B[m.Dim] = 1e36
	c, err := m.MarshalCompact(CompactOptions{Embeddings: QuantInt8, Output: QuantInt8, Dense: QuantInt8})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := UnmarshalCompact(c); err != nil {
		t.Errorf("compact int8 model with weights of 1e36: %v", err)
	}
	const shipped = "../assets/model.bin"
	if _, err := os.Stat(shipped); err != nil {
		t.Logf("no %s: the shipped model is not checked", shipped)
		return
	}
	if _, err := Load(shipped); err != nil {
		t.Errorf("the shipped model: %v", err)
	}
}

func TestFirstNonFinite(t *testing.T) {
	for _, c := range []struct {
		x    []float32
		want int
	}{
		{nil, -1},
		{[]float32{0, -1, math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32}, -1},
		{[]float32{1, float32(math.NaN())}, 1},
		{[]float32{float32(math.Inf(-1)), 1}, 0},
		{[]float32{1, 2, float32(math.Inf(1))}, 2},
	} {
		if got := FirstNonFinite(c.x); got != c.want {
			t.Errorf("FirstNonFinite(%v) = %d, want %d", c.x, got, c.want)
		}
	}
}
