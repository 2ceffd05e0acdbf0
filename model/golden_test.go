package model

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hashtag-rec/hashtag/internal/golden"
)

// goldenModels are small models of each format version, filled from a seed.
func goldenModels(t *testing.T) map[string]*Model {
	t.Helper()
	v1, err := New(Config{Variant: MemN2N, Dim: 4, Hops: 2, Memory: 2, MaxWords: 6},
		[]string{"hello", "world", "again"}, []string{"x", "y"})
	if err != nil {
		t.Fatal(err)
	}
	v1.Init(1)
	v2, err := New(Config{Variant: HMemN2NCopy, Dim: 4, Hops: 1, Memory: 3, MaxWords: 5},
		[]string{"hello", "world", "#x", "#y"}, []string{"x", "y", "z"})
	if err != nil {
		t.Fatal(err)
	}
	v2.Init(2)
	v2.Display = []string{"X", "y", "Zz"}
	for i := range v2.CopyW {
		v2.CopyW[i] = float32(i) / 8
	}
	// A zero row: the compact format leaves it out.
	clear(v2.A[:v2.Dim])
	return map[string]*Model{"v1": v1, "v2": v2}
}

// TestGoldenFiles checks that the model files written now equal, byte for
// byte, those written by the code before the formats moved to
// internal/binfile, and that those files still load.
func TestGoldenFiles(t *testing.T) {
	dir := t.TempDir()
	for name, m := range goldenModels(t) {
		files := map[string]func(path string) error{
			"model-" + name + ".bin": m.WriteFile,
			"compact-" + name + ".bin": func(path string) error {
				b, err := m.MarshalCompact(CompactOptions{Embeddings: QuantInt4, Output: QuantInt8, Dense: QuantInt8})
				if err != nil {
					return err
				}
				return os.WriteFile(path, b, 0o644)
			},
		}
		for file, write := range files {
			path := filepath.Join(dir, file)
			if err := write(path); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			gold := golden.Check(t, got, file)
			back, err := Load(gold)
			if err != nil {
				t.Fatalf("%s: %v", gold, err)
			}
			if file[0] == 'm' {
				for i, tt := range back.Tensors() {
					if !reflect.DeepEqual(tt.Data, m.Tensors()[i].Data) {
						t.Errorf("%s: tensor %s differs after reading", gold, tt.Name)
					}
				}
			}
			if !reflect.DeepEqual(back.Words, m.Words) || !reflect.DeepEqual(back.Display, m.Display) {
				t.Errorf("%s: words or display forms differ after reading", gold)
			}
		}
	}
}
