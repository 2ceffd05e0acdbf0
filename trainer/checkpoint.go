package trainer

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/hashtag-rec/hashtag/internal/binfile"
	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// The checkpoint file (version 1), integers little-endian:
//
//	magic    8 bytes "HTAGCKPT"
//	version  uint32
//	header   uint32 length, JSON (ckptHeader)
//	model    uint64 length, the current model in the model file format
//	adagrad  the accumulators, tensor by tensor as Params.Tensors, float32
//	crc      uint32 CRC-32C of every byte before it
const (
	ckptMagic   = "HTAGCKPT"
	ckptVersion = 1
)

type ckptHeader struct {
	Config   model.Config
	MinCount int
	Seed     uint64
	Batch    int
	LR       float64
	Dropout  float64
	L2       float64
	// Run holds the other settings the result depends on. Checkpoints
	// written before it was recorded lack it (nil): those settings are
	// then not checked, and the log says so.
	Run       *ckptRun `json:",omitempty"`
	Epoch     int
	BestEpoch int
	BestP1    float64
	History   []EpochResult
}

// ckptRun are settings that change the trained weights besides the model
// and optimiser settings: the examples of an epoch, the validation set that
// picks the best epoch, the worker count (each worker sums its share of a
// batch's gradients, so the float rounding depends on the split) and the
// data itself. Epochs and Patience are not among them: they only say when
// to stop, and epoch e does the same work in a run of any length.
type ckptRun struct {
	MaxTrain int     // examples per epoch, 0: all
	MaxValid int     // validation examples, 0: all
	Workers  int     // goroutines sharing a batch
	Data     string  // dataFingerprint of the dataset
	Pretrain int     `json:",omitempty"` // word2vec epochs initialising the embeddings, 0: none
	HideTags float64 `json:",omitempty"` // Options.HideTags
	TagPosts int     `json:",omitempty"` // Options.TagPosts
	// WordDropout is Options.WordDropout.
	WordDropout float64 `json:",omitempty"`
	TimeChunks  int     `json:",omitempty"` // Options.TimeChunks
	// SelectOpen is Options.SelectOpen: it picks the best epoch, and so
	// the model a resumed run keeps.
	SelectOpen bool `json:",omitempty"`
	// Calibrate is Options.Calibrate: it names the file the best epoch's
	// model is kept in (best-epoch.bin, else model.bin). (Its first name,
	// CalibrateGate, stays its key in the file.)
	Calibrate bool `json:"CalibrateGate,omitempty"`
}

func (st *state) header() ckptHeader {
	o := st.opt
	d := st.d.Examples
	run := &ckptRun{MaxTrain: effectiveLimit(o.MaxTrain, len(d[dataset.Train])),
		MaxValid: effectiveLimit(o.MaxValid, len(d[dataset.Valid])), Workers: o.Workers, Data: st.fingerprint, Pretrain: o.Pretrain, HideTags: o.HideTags, TagPosts: o.TagPosts, SelectOpen: o.SelectOpen, WordDropout: o.WordDropout,
		TimeChunks: o.TimeChunks, Calibrate: o.Calibrate}
	return ckptHeader{Config: o.Config, MinCount: o.MinCount, Seed: o.Seed, Batch: o.Batch, LR: o.LR,
		Dropout: o.Dropout, L2: o.L2, Run: run, Epoch: st.epoch, BestEpoch: st.bestEpoch, BestP1: st.bestP1, History: st.history}
}

// effectiveLimit is a MaxTrain or MaxValid limit as it acts on n examples:
// 0 when it keeps them all.
func effectiveLimit(limit, n int) int {
	if limit <= 0 || limit >= n {
		return 0
	}
	return limit
}

// settingDiffs lists, by command-line flag, every setting in which the
// checkpoint h differs from this run's want, with both values.
func settingDiffs(h, want ckptHeader) []string {
	var diffs []string
	add := func(flag string, ckpt, run any) {
		if ckpt != run {
			diffs = append(diffs, fmt.Sprintf("--%s %v in the checkpoint, %v in this run", flag, ckpt, run))
		}
	}
	hc, wc := h.Config, want.Config
	add("method", hc.Variant, wc.Variant)
	add("dim", hc.Dim, wc.Dim)
	add("hops", hc.Hops, wc.Hops)
	add("memory", hc.Memory, wc.Memory)
	add("words", hc.MaxWords, wc.MaxWords)
	hc.Variant, hc.Dim, hc.Hops, hc.Memory, hc.MaxWords = wc.Variant, wc.Dim, wc.Hops, wc.Memory, wc.MaxWords
	if hc != wc { // a model setting without a flag of its own
		diffs = append(diffs, fmt.Sprintf("model config %+v in the checkpoint, %+v in this run", h.Config, want.Config))
	}
	add("min-count", h.MinCount, want.MinCount)
	add("seed", h.Seed, want.Seed)
	add("batch", h.Batch, want.Batch)
	add("lr", h.LR, want.LR)
	add("dropout", h.Dropout, want.Dropout)
	add("l2", h.L2, want.L2)
	if h.Run != nil {
		all := func(n int) any {
			if n == 0 {
				return "0 (all)"
			}
			return n
		}
		add("max-train", all(h.Run.MaxTrain), all(want.Run.MaxTrain))
		add("max-valid", all(h.Run.MaxValid), all(want.Run.MaxValid))
		add("workers", h.Run.Workers, want.Run.Workers)
		add("pretrain", h.Run.Pretrain, want.Run.Pretrain)
		add("hide-tags", h.Run.HideTags, want.Run.HideTags)
		add("tag-posts", h.Run.TagPosts, want.Run.TagPosts)
		add("select-open", h.Run.SelectOpen, want.Run.SelectOpen)
		add("calibrate", h.Run.Calibrate, want.Run.Calibrate)
		add("word-dropout", h.Run.WordDropout, want.Run.WordDropout)
		add("time-chunks", h.Run.TimeChunks, want.Run.TimeChunks)
		// The time order joins the fingerprint only with time chunks (so
		// that older checkpoints still resume): when one run uses them and
		// the other does not, the fingerprints differ by that alone, and
		// the time-chunks line above says why.
		if h.Run.Data != want.Run.Data && (h.Run.TimeChunks > 0) == (want.Run.TimeChunks > 0) {
			diffs = append(diffs, fmt.Sprintf("the data: fingerprint %s in the checkpoint, %s in this run (another corpus, split or preparation)", h.Run.Data, want.Run.Data))
		}
	}
	return diffs
}

// dataFingerprint is a hash of everything of d that training reads: the
// vocabulary, hashtags and candidates, every post's words, hashtags,
// history and gold set, and the train and validation examples.
func dataFingerprint(d *dataset.Dataset, timeOrder bool) string {
	h := sha256.New()
	buf := make([]byte, 0, 1<<16)
	flush := func() {
		h.Write(buf)
		buf = buf[:0]
	}
	ints := func(xs []int32) {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(len(xs)))
		for _, x := range xs {
			if len(buf)+4 > cap(buf) {
				flush()
			}
			buf = binary.LittleEndian.AppendUint32(buf, uint32(x))
		}
	}
	strs := func(ss []string) {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(len(ss)))
		for _, s := range ss {
			flush()
			buf = binary.LittleEndian.AppendUint64(buf, uint64(len(s)))
			h.Write(buf)
			buf = buf[:0]
			h.Write([]byte(s))
		}
	}
	strs(d.Words)
	ints(d.WordCount)
	strs(d.Tags)
	ints(d.Candidates)
	for _, xs := range [][]int32{d.TokOff, d.Tok, d.TagOff, d.Tag, d.HistOff, d.Hist, d.GoldOff, d.Gold,
		d.Examples[dataset.Train], d.Examples[dataset.Valid]} {
		ints(xs)
	}
	if timeOrder { // training reads it (Options.TimeChunks)
		ints(d.TimeOrder)
	}
	flush()
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// save writes the state after a finished epoch atomically to path, as a
// stream (internal/binfile): neither the file nor the model's encoding is
// held in memory.
func (st *state) save(path string) error {
	h, err := json.Marshal(st.header())
	if err != nil {
		return err
	}
	var ml countWriter // the model's length comes before it
	if _, err := st.m.WriteTo(&ml); err != nil {
		return err
	}
	w, err := binfile.Create(path)
	if err != nil {
		return err
	}
	defer w.Close()
	w.Header(ckptMagic, ckptVersion)
	w.Uint32(uint32(len(h)))
	w.Write(h)
	w.Uint64(uint64(ml))
	if _, err := st.m.WriteTo(w); err != nil {
		return err
	}
	for _, t := range st.opt2.acc.Tensors() {
		w.Float32s(t.Data)
	}
	w.AppendSum()
	return w.Commit()
}

// countWriter counts the bytes written to it.
type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

// load restores the state from the checkpoint at path, reading it as a
// stream and verifying its checksum as it goes. It fails if the
// checkpoint was made with other model or optimisation settings. A damaged
// file is reported as such first, whatever else its bytes seem to say.
func (st *state) load(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("checkpoint %s: %s", path, fmt.Sprintf(format, args...))
	}
	br := binfile.NewReader(bufio.NewReaderSize(f, 1<<16), fi.Size())
	var head [12]byte
	if fi.Size() < 8+4+4+4 || br.ReadFull(head[:]) != nil || string(head[:8]) != ckptMagic {
		return bad("not a checkpoint file (bad magic bytes or too short)")
	}
	if v := binary.LittleEndian.Uint32(head[8:]); v != ckptVersion {
		return bad("format version %d, this program reads %d", v, ckptVersion)
	}
	h, m, err := st.readCheckpoint(br, path, bad)
	if serr := br.Verify(); serr != nil {
		if errors.Is(serr, binfile.ErrChecksum) {
			return fmt.Errorf("checkpoint %s: %w (or truncated)", path, serr)
		}
		return fmt.Errorf("checkpoint %s: %w", path, serr)
	}
	if err != nil {
		return err
	}
	if h.Run == nil {
		st.logf("checkpoint %s predates the record of --max-train, --max-valid, --workers and the data: those are not checked\n", path)
	}
	// Copy the weights into the live parameters (the engine points to them).
	dst := st.m.Tensors()
	for i, t := range m.Tensors() {
		copy(dst[i].Data, t.Data)
	}
	st.epoch, st.bestEpoch, st.bestP1, st.history = h.Epoch, h.BestEpoch, h.BestP1, h.History
	return nil
}

// readCheckpoint reads a checkpoint's content after its magic and version:
// the header, checked against this run's settings, the model and the
// optimiser state (into st's accumulators).
func (st *state) readCheckpoint(br *binfile.Reader, path string, bad func(string, ...any) error) (*ckptHeader, *model.Model, error) {
	hl, err := br.Uint32()
	if err != nil || int64(hl) > br.Remaining() {
		return nil, nil, bad("truncated header")
	}
	hb := make([]byte, hl)
	if err := br.ReadFull(hb); err != nil {
		return nil, nil, bad("truncated header")
	}
	var h ckptHeader
	if err := json.Unmarshal(hb, &h); err != nil {
		return nil, nil, bad("header: %v", err)
	}
	want := st.header()
	if diffs := settingDiffs(h, want); len(diffs) > 0 {
		return nil, nil, bad("made with other settings: %s; resume with the checkpoint's settings, or train afresh (without --resume, or into another --out)",
			strings.Join(diffs, "; "))
	}
	ml, err := br.Uint64()
	if err != nil {
		return nil, nil, bad("truncated")
	}
	if ml > uint64(br.Remaining()) {
		return nil, nil, bad("truncated model")
	}
	m, err := model.Read(&io.LimitedReader{R: br, N: int64(ml)})
	if err != nil {
		return nil, nil, bad("model: %v", err)
	}
	if m.V != st.m.V || m.K != st.m.K {
		return nil, nil, bad("vocabulary %d / %d candidates, this dataset gives %d / %d", m.V, m.K, st.m.V, st.m.K)
	}
	for _, t := range st.opt2.acc.Tensors() {
		if err := br.Float32s(t.Data); err != nil {
			return nil, nil, bad("truncated optimiser state")
		}
		for i, x := range t.Data {
			if !(x >= 0) || math.IsInf(float64(x), 0) { // a sum of squared gradients
				return nil, nil, bad("optimiser state of %s[%d][%d] is %v, want a finite sum of squares", t.Name, i/t.Cols, i%t.Cols, x)
			}
		}
	}
	if n := br.Remaining(); n != 0 {
		return nil, nil, bad("%d unexpected bytes", n)
	}
	return &h, m, nil
}
