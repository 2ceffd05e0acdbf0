package trainer

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/model"
)

// TestLockRefusesSecondRun checks that a run on a folder another run holds
// is refused with the holder's process id, and that the folder is free again
// once the holder let go. (A holder killed with kill -9 is tested with real
// processes in cmd/hashtag.)
func TestLockRefusesSecondRun(t *testing.T) {
	d, _ := synthDataset(t, 6)
	o := quickOptions(model.MemN2N, t.TempDir())
	o.Epochs = 1
	held, err := lockDir(o.Out)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Train(d, o)
	pid := strconv.Itoa(os.Getpid())
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "process "+pid) || !strings.Contains(err.Error(), o.Out) {
		t.Fatalf("second run: error %v, want ErrLocked naming process %s and %s", err, pid, o.Out)
	}
	if _, err := os.Stat(filepath.Join(o.Out, CheckpointFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused run wrote a checkpoint (%v)", err)
	}
	held.unlock()
	if _, err := Train(d, o); err != nil {
		t.Fatalf("after the holder let go: %v", err)
	}
	// The lock file stays, empty: a later run takes it.
	if b, err := os.ReadFile(filepath.Join(o.Out, LockFile)); err != nil || len(b) != 0 {
		t.Errorf("lock file after the run: %q, %v; want it empty", b, err)
	}
	if _, err := Train(d, o); err != nil {
		t.Fatalf("a third run: %v", err)
	}
}

// TestStaleTempsRemoved checks that the temporary files of an interrupted
// atomic write are removed at the start of a run, and nothing else is.
func TestStaleTempsRemoved(t *testing.T) {
	d, _ := synthDataset(t, 6)
	o := quickOptions(model.MemN2N, t.TempDir())
	o.Epochs = 1
	stale := []string{".checkpoint.tmp123456", ".model.bin.tmp98765", ".write-probe.tmp42"}
	kept := []string{"notes.txt", ".checkpoint", "model.bin.tmp1", "checkpoint.tmp2"}
	for _, n := range append(append([]string{}, stale...), kept...) {
		if err := os.WriteFile(filepath.Join(o.Out, n), bytes.Repeat([]byte("x"), 1000), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var log bytes.Buffer
	o.Log = &log
	if _, err := Train(d, o); err != nil {
		t.Fatal(err)
	}
	for _, n := range stale {
		if _, err := os.Stat(filepath.Join(o.Out, n)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("stale %s not removed (%v)", n, err)
		}
	}
	for _, n := range kept {
		if _, err := os.Stat(filepath.Join(o.Out, n)); err != nil {
			t.Errorf("%s removed: %v", n, err)
		}
	}
	if !strings.Contains(log.String(), "removed 3 stale temporary file(s) of 3000 bytes") {
		t.Errorf("log does not report the removal:\n%s", log.String())
	}
	entries, _ := os.ReadDir(o.Out)
	for _, e := range entries {
		if isTempName(e.Name()) {
			t.Errorf("the run left the temporary file %s", e.Name())
		}
	}
}

// TestResumeRefusesEverySetting checks that --resume refuses a checkpoint
// made with any other setting that changes the result, naming the setting
// and both values, and accepts other Epochs and Patience.
func TestResumeRefusesEverySetting(t *testing.T) {
	d, _ := synthDataset(t, 7)
	other, _ := synthDataset(t, 8)
	base := quickOptions(model.HMemN2N, t.TempDir())
	base.Epochs = 1
	if _, err := Train(d, base); err != nil {
		t.Fatal(err)
	}
	ckpt, _ := os.ReadFile(filepath.Join(base.Out, CheckpointFile))
	base.Resume = true
	nTrain := len(d.Examples[0])
	for _, c := range []struct {
		name string
		set  func(o *Options)
		want string
	}{
		{"method", func(o *Options) { o.Config.Variant = model.HMemN2NTags }, "--method hmemn2n in the checkpoint, hmemn2n-tags in this run"},
		{"dim", func(o *Options) { o.Config.Dim = 12 }, "--dim 16 in the checkpoint, 12 in this run"},
		{"hops", func(o *Options) { o.Config.Hops = 3 }, "--hops 2 in the checkpoint, 3 in this run"},
		{"memory", func(o *Options) { o.Config.Memory = 4 }, "--memory 5 in the checkpoint, 4 in this run"},
		{"words", func(o *Options) { o.Config.MaxWords = 30 }, "--words 52 in the checkpoint, 30 in this run"},
		{"min-count", func(o *Options) { o.MinCount = 2 }, "--min-count 1 in the checkpoint, 2 in this run"},
		{"seed", func(o *Options) { o.Seed = 99 }, "--seed 1 in the checkpoint, 99 in this run"},
		{"batch", func(o *Options) { o.Batch = 32 }, "--batch 16 in the checkpoint, 32 in this run"},
		{"lr", func(o *Options) { o.LR = 0.05 }, "--lr 0.1 in the checkpoint, 0.05 in this run"},
		{"dropout", func(o *Options) { o.Dropout = 0.5 }, "--dropout 0.2 in the checkpoint, 0.5 in this run"},
		{"l2", func(o *Options) { o.L2 = 0 }, "--l2 1e-06 in the checkpoint, 0 in this run"},
		{"max-train", func(o *Options) { o.MaxTrain = 100 }, "--max-train 0 (all) in the checkpoint, 100 in this run"},
		{"max-valid", func(o *Options) { o.MaxValid = 50 }, "--max-valid 0 (all) in the checkpoint, 50 in this run"},
		{"workers", func(o *Options) { o.Workers = 1 }, "--workers 2 in the checkpoint, 1 in this run"},
		{"pretrain", func(o *Options) { o.Pretrain = 1 }, "--pretrain 0 in the checkpoint, 1 in this run"},
		{"hide-tags", func(o *Options) { o.HideTags = 0.3 }, "--hide-tags 0 in the checkpoint, 0.3 in this run"},
		{"word-dropout", func(o *Options) { o.WordDropout = 0.1 }, "--word-dropout 0 in the checkpoint, 0.1 in this run"},
		{"time-chunks", func(o *Options) { o.TimeChunks = 4 }, "--time-chunks 0 in the checkpoint, 4 in this run"},
	} {
		o := base
		c.set(&o)
		_, err := Train(d, o)
		if err == nil || !strings.Contains(err.Error(), "other settings") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("resume with another %s: error %v, want one saying %q", c.name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "the data") { // same corpus: only the setting differs
			t.Errorf("resume with another %s on the same data: error %v also names the data", c.name, err)
		}
	}
	// Another corpus with the same settings.
	if _, err := Train(other, base); err == nil || !strings.Contains(err.Error(), "the data: fingerprint") {
		t.Errorf("resume on other data: error %v, want one naming the data", err)
	}
	after, _ := os.ReadFile(filepath.Join(base.Out, CheckpointFile))
	if !bytes.Equal(ckpt, after) {
		t.Error("a refused resume changed the checkpoint")
	}
	// A limit at or above the number of examples is no limit: the same run.
	o := base
	o.MaxTrain, o.Epochs, o.Patience = nTrain, 2, 5
	res, err := Train(d, o)
	if err != nil || len(res.Epochs) != 2 {
		t.Errorf("resume with more epochs, another patience and --max-train %d (= all): %v", nTrain, err)
	}
}

// TestDivergedTrainingStops checks that a training whose loss or weights
// become NaN or infinite stops with an error and writes no model and no
// checkpoint.
func TestDivergedTrainingStops(t *testing.T) {
	d, _ := synthDataset(t, 9)
	for _, v := range []model.Variant{model.HMemN2N, model.MemN2N} {
		o := quickOptions(v, t.TempDir())
		o.LR = 1e30
		_, err := Train(d, o)
		if err == nil || !strings.Contains(err.Error(), "diverged in epoch 1") || !strings.Contains(err.Error(), "learning rate") {
			t.Errorf("%s, lr 1e30: error %v, want a divergence in epoch 1", v, err)
		}
		for _, f := range []string{CheckpointFile, BestModelFile} {
			if _, err := os.Stat(filepath.Join(o.Out, f)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s, lr 1e30: %s written (%v)", v, f, err)
			}
		}
	}
	for _, lr := range []float64{math.NaN(), math.Inf(1), -1, 0} {
		o := quickOptions(model.MemN2N, t.TempDir())
		o.LR = lr
		if _, err := Train(d, o); err == nil || !strings.Contains(err.Error(), "learning rate") {
			t.Errorf("lr %v: error %v, want it refused", lr, err)
		}
	}
}

// TestCheckpointRefusesNonFinite checks that a checkpoint holding a NaN
// weight or a bad optimiser accumulator is refused, naming the file and the
// parameter.
func TestCheckpointRefusesNonFinite(t *testing.T) {
	d, _ := synthDataset(t, 10)
	for _, c := range []struct {
		name string
		set  func(st *state)
		want string
	}{
		{"NaN weight", func(st *state) { st.m.Theta[st.m.Dim+2] = float32(math.NaN()) }, "Theta[1][2] is NaN"},
		{"infinite weight", func(st *state) { st.m.B[3] = float32(math.Inf(-1)) }, "B[0][3] is -Inf"},
		{"NaN accumulator", func(st *state) { st.opt2.acc.Wf[5] = float32(math.NaN()) }, "optimiser state of Wf[0][5] is NaN"},
		{"negative accumulator", func(st *state) { st.opt2.acc.Bf[1] = -1 }, "optimiser state of Bf[0][1] is -1"},
	} {
		o := quickOptions(model.HMemN2N, t.TempDir())
		o.Workers = defaultWorkers()
		st, err := newState(d, o)
		if err != nil {
			t.Fatal(err)
		}
		st.epoch = 1
		c.set(st)
		path := filepath.Join(o.Out, CheckpointFile)
		if err := st.save(path); err != nil {
			t.Fatal(err)
		}
		o.Resume = true
		o.Workers = 0
		_, err = Train(d, o)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %s and %q", c.name, err, path, c.want)
		}
	}
}

// TestResumeOldCheckpoint checks that a checkpoint written before the run
// settings were recorded (no Run in its header) still resumes, and that the
// log says which settings could not be checked.
func TestResumeOldCheckpoint(t *testing.T) {
	d, _ := synthDataset(t, 11)
	o := quickOptions(model.MemN2N, t.TempDir())
	o.Epochs = 1
	if _, err := Train(d, o); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(o.Out, CheckpointFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	hl := int(binary.LittleEndian.Uint32(b[12:]))
	var h map[string]any
	if err := json.Unmarshal(b[16:16+hl], &h); err != nil {
		t.Fatal(err)
	}
	if _, ok := h["Run"]; !ok {
		t.Fatalf("the checkpoint header has no Run: %v", h)
	}
	delete(h, "Run")
	nh, _ := json.Marshal(h)
	old := append(append(binary.LittleEndian.AppendUint32(append([]byte{}, b[:12]...), uint32(len(nh))), nh...), b[16+hl:len(b)-4]...)
	old = binary.LittleEndian.AppendUint32(old, crc32.Checksum(old, crc32.MakeTable(crc32.Castagnoli)))
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	o.Log, o.Resume, o.Epochs, o.MaxTrain = &log, true, 2, 100 // MaxTrain cannot be checked
	res, err := Train(d, o)
	if err != nil || len(res.Epochs) != 2 {
		t.Fatalf("resume of an old checkpoint: %v", err)
	}
	if !strings.Contains(log.String(), "predates the record of --max-train, --max-valid, --workers and the data") {
		t.Errorf("the log does not say what was not checked:\n%s", log.String())
	}
}
