package trainer

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math"
	"os"

	"github.com/hashtag-rec/hashtag/model"
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
	Config    model.Config
	MinCount  int
	Seed      uint64
	Batch     int
	LR        float64
	Dropout   float64
	L2        float64
	Epoch     int
	BestEpoch int
	BestP1    float64
	History   []EpochResult
}

func (st *state) header() ckptHeader {
	o := st.opt
	return ckptHeader{Config: o.Config, MinCount: o.MinCount, Seed: o.Seed, Batch: o.Batch, LR: o.LR,
		Dropout: o.Dropout, L2: o.L2, Epoch: st.epoch, BestEpoch: st.bestEpoch, BestP1: st.bestP1, History: st.history}
}

// save writes the state after a finished epoch atomically to path.
func (st *state) save(path string) error {
	h, err := json.Marshal(st.header())
	if err != nil {
		return err
	}
	mb, err := st.m.MarshalBinary()
	if err != nil {
		return err
	}
	n := 8 + 4 + 4 + len(h) + 8 + len(mb) + 4
	for _, t := range st.opt2.acc.Tensors() {
		n += 4 * len(t.Data)
	}
	b := make([]byte, 0, n)
	b = append(b, ckptMagic...)
	b = binary.LittleEndian.AppendUint32(b, ckptVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(h)))
	b = append(b, h...)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(mb)))
	b = append(b, mb...)
	for _, t := range st.opt2.acc.Tensors() {
		for _, x := range t.Data {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		}
	}
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
	return model.WriteFileAtomic(path, b)
}

// load restores the state from the checkpoint at path. It fails if the
// checkpoint was made with other model or optimisation settings.
func (st *state) load(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("checkpoint %s: %s", path, fmt.Sprintf(format, args...))
	}
	if len(b) < 8+4+4+4 || string(b[:8]) != ckptMagic {
		return bad("not a checkpoint file (bad magic bytes or too short)")
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != ckptVersion {
		return bad("format version %d, this program reads %d", v, ckptVersion)
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli)) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return bad("checksum mismatch: the file is truncated or corrupt")
	}
	r := body[12:]
	hl := int(binary.LittleEndian.Uint32(r))
	if hl > len(r)-4 {
		return bad("truncated header")
	}
	var h ckptHeader
	if err := json.Unmarshal(r[4:4+hl], &h); err != nil {
		return bad("header: %v", err)
	}
	r = r[4+hl:]
	want := st.header()
	if h.Config != want.Config || h.MinCount != want.MinCount || h.Seed != want.Seed || h.Batch != want.Batch ||
		h.LR != want.LR || h.Dropout != want.Dropout || h.L2 != want.L2 {
		return bad("made with other settings (%+v); this run has %+v", h, want)
	}
	if len(r) < 8 {
		return bad("truncated")
	}
	ml := binary.LittleEndian.Uint64(r)
	if ml > uint64(len(r)-8) {
		return bad("truncated model")
	}
	m, err := model.Unmarshal(r[8 : 8+ml])
	if err != nil {
		return bad("model: %v", err)
	}
	if m.V != st.m.V || m.K != st.m.K {
		return bad("vocabulary %d / %d candidates, this dataset gives %d / %d", m.V, m.K, st.m.V, st.m.K)
	}
	r = r[8+ml:]
	for _, t := range st.opt2.acc.Tensors() {
		if len(r) < 4*len(t.Data) {
			return bad("truncated optimiser state")
		}
		for i := range t.Data {
			t.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(r[4*i:]))
		}
		r = r[4*len(t.Data):]
	}
	if len(r) != 0 {
		return bad("%d unexpected bytes", len(r))
	}
	// Copy the weights into the live parameters (the engine points to them).
	dst := st.m.Tensors()
	for i, t := range m.Tensors() {
		copy(dst[i].Data, t.Data)
	}
	st.epoch, st.bestEpoch, st.bestP1, st.history = h.Epoch, h.BestEpoch, h.BestP1, h.History
	return nil
}
