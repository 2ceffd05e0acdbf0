package trainer

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashtag-rec/hashtag/internal/golden"
	"github.com/hashtag-rec/hashtag/model"
)

// goldenState is a state of a small run with fixed optimiser accumulators
// and history (the history of a real run holds timings).
func goldenState(t *testing.T) *state {
	t.Helper()
	d, _ := synthDataset(t, 5)
	o := quickOptions(model.HMemN2NCopy, t.TempDir())
	o.Config.Dim = 4
	st, err := newState(d, o)
	if err != nil {
		t.Fatal(err)
	}
	for k, tt := range st.opt2.acc.Tensors() {
		for i := range tt.Data {
			tt.Data[i] = float32(k+i%7) / 16
		}
	}
	st.epoch, st.bestEpoch, st.bestP1 = 2, 1, 0.5
	st.history = []EpochResult{{Epoch: 1, Loss: 1.5, ValidP1: 0.5}, {Epoch: 2, Loss: 1.25, ValidP1: 0.25}}
	return st
}

// TestGoldenCheckpoint checks that a checkpoint written now equals, byte
// for byte, one written by the code before the formats moved to
// internal/binfile, and that such a checkpoint still loads.
func TestGoldenCheckpoint(t *testing.T) {
	st := goldenState(t)
	path := filepath.Join(t.TempDir(), CheckpointFile)
	if err := st.save(path); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	gold := golden.Check(t, got, "golden.ckpt")
	st2 := goldenState(t)
	st2.epoch, st2.history = 0, nil
	for _, tt := range st2.opt2.acc.Tensors() {
		clear(tt.Data)
	}
	if err := st2.load(gold); err != nil {
		t.Fatal(err)
	}
	if st2.epoch != 2 || len(st2.history) != 2 {
		t.Errorf("loaded epoch %d, history %v", st2.epoch, st2.history)
	}
	for k, tt := range st2.opt2.acc.Tensors() {
		for i, x := range tt.Data {
			if math.Float32bits(x) != math.Float32bits(st.opt2.acc.Tensors()[k].Data[i]) {
				t.Fatalf("optimiser state %s[%d] is %v after loading, want %v", tt.Name, i, x, st.opt2.acc.Tensors()[k].Data[i])
			}
		}
	}
}
