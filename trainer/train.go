package trainer

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/hashtag-rec/hashtag/internal/num"
	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// Options configures a training run. The defaults (DefaultOptions) are the
// paper's settings: dim 300, 2 hops, memory 5, 52 words, batch 128,
// Adagrad with learning rate 0.01, dropout 0.2.
type Options struct {
	Config   model.Config
	MinCount int // words (and #tags) with fewer train occurrences are dropped

	Epochs   int     // maximum number of epochs
	Patience int     // stop after this many epochs without a better validation P@1 (0: never)
	Batch    int     // examples per Adagrad step
	LR       float64 // Adagrad learning rate
	// Dropout is the rate of inverted dropout on the concatenation
	// [o0 ‖ oH], the input of the output layer Wf (training only).
	Dropout float64
	L2      float64 // L2 weight decay on Wo, Ws, Wms, Wf and Theta
	Seed    uint64  // initial weights, shuffling and dropout masks
	Workers int     // goroutines (0: GOMAXPROCS)

	// Pretrain, if positive, initialises the embeddings with word2vec
	// vectors learnt in this many epochs on the train posts (beyond the
	// paper; pretrain.go).
	Pretrain int

	// HideTags, for HMemN2NCopy, is the probability with which each
	// candidate hashtag of a training example's memory is hidden from the
	// softmax (its score masked, and the copy path sees it as a hashtag
	// the model does not know), so that the gate and the copy path learn
	// what they must do for a person's own hashtags, which the training
	// posts rarely show (beyond the paper; hideTags). 0: none.
	HideTags float64

	// TagPosts, for HMemN2NCopy, widens the softmax beyond the protocol's
	// candidates to every hashtag in at least TagPosts train-split posts
	// (OutputTags; beyond the paper). The closed evaluation still ranks the
	// candidates only. 0: the candidates only.
	TagPosts int

	// WordDropout is the probability with which each word of a training
	// post's text is left out, drawn anew for every example of every
	// epoch (dropWords; beyond the paper). 0: none.
	WordDropout float64

	// TimeChunks, if positive, orders every epoch by time instead of
	// shuffling it whole: the train examples, oldest first
	// (Dataset.TimeOrder), cut into TimeChunks chunks of equal size, each
	// chunk shuffled on its own; so an epoch ends on the most recent
	// posts, and a model used after its training period (the time split)
	// starts from the hashtags in use last (beyond the paper).
	TimeChunks int

	// SelectOpen, for HMemN2NCopy, picks the best epoch by the open
	// P@1 on the validation split (every validation post with a hashtag,
	// any hashtag gold: the open evaluation's examples) instead of the
	// closed P@1 (beyond the paper).
	SelectOpen bool

	// Calibrate, for HMemN2NCopy, calibrates the mixture of the best
	// epoch's model on the validation split for the top-1 (beyond the
	// paper): it shifts the copy gate's bias b by the offset of
	// GateOffsets, then the copy path's candidate prior κ (CopyW[1]) by
	// the offset of KappaOffsets, each the one with the best validation
	// P@1 (ValidMetric; the smallest shift among equals), and writes
	// model.bin so. The training objective weighs every gold hashtag of a
	// post; the top-1 is better served by a little more weight on the
	// person's history and less on the candidates in it. The best epoch's
	// own model is kept as best-epoch.bin, which a resumed run calibrates
	// again.
	Calibrate bool

	// MaxTrain, if positive, trains on the first MaxTrain examples of each
	// shuffled epoch only; MaxValid likewise limits validation (quick runs).
	MaxTrain, MaxValid int

	// Out is the folder of the checkpoint and the best model (required).
	// A run holds it locked (LockFile): a second run on the same folder is
	// refused (ErrLocked) with the first one's process id. Temporary files
	// an interrupted write left there are removed at the start, and the
	// folder is checked writable before the first epoch.
	Out string
	// Resume continues from Out/checkpoint if present. A checkpoint made
	// with any other setting that changes the result (model shape,
	// optimisation, seed, MaxTrain, MaxValid, Workers, the data) is refused
	// with an error naming each such setting and both values; Epochs and
	// Patience may differ (they only say when to stop).
	Resume bool

	Log io.Writer // progress; nil: none
	// Terminal selects a one-line progress display redrawn in place; else a
	// log line every LogEvery.
	Terminal bool
	LogEvery time.Duration
}

// DefaultOptions returns the paper's settings for variant v.
func DefaultOptions(v model.Variant) Options {
	return Options{Config: model.PaperConfig(v), MinCount: 2, Epochs: 10, Patience: 2, Batch: 128,
		LR: 0.01, Dropout: 0.2, L2: 1e-6, Seed: 1, LogEvery: 30 * time.Second}
}

// CheckBeyondPaper checks the options beyond the paper, naming each by its flag of "hashtag train": TimeChunks
// not negative, the probability WordDropout in [0, 1), TagPosts from 0 to
// the candidates' threshold, and TagPosts and SelectOpen, which need the
// copy path, only for HMemN2NCopy. (HideTags is checked by the command:
// the trainer ignores it for the other variants.)
func (o *Options) CheckBeyondPaper() error {
	copies := o.Config.Variant.Copies()
	switch {
	case o.TimeChunks < 0:
		return fmt.Errorf("--time-chunks %d: want a number of chunks, or 0", o.TimeChunks)
	case !(o.WordDropout >= 0 && o.WordDropout < 1):
		return fmt.Errorf("--word-dropout %v: want a probability in [0, 1)", o.WordDropout)
	case o.SelectOpen && !copies:
		return fmt.Errorf("--select-open is for --method hmemn2n-copy (the paper's methods rank the protocol's candidates)")
	case o.TagPosts < 0 || o.TagPosts > dataset.MinCandidatePosts:
		return fmt.Errorf("--tag-posts %d: want 1 to %d train posts (0: the candidates only)", o.TagPosts, dataset.MinCandidatePosts)
	case o.TagPosts > 0 && !copies:
		return fmt.Errorf("--tag-posts is for --method hmemn2n-copy (the paper's methods rank the protocol's candidates)")
	case o.Calibrate && !copies:
		return fmt.Errorf("--calibrate is for --method hmemn2n-copy (the other methods have no copy path)")
	}
	return nil
}

// ValidMetric names what picks the best epoch: "validation P@1", or with
// SelectOpen "validation open P@1".
func (o *Options) ValidMetric() string {
	if o.SelectOpen {
		return "validation open P@1"
	}
	return "validation P@1"
}

// Files in the Out folder.
const (
	CheckpointFile = "checkpoint" // state after the last finished epoch
	BestModelFile  = "model.bin"  // model of the best validation P@1 (model file format)
	// BestEpochFile is, with Calibrate, the best epoch's model before
	// the calibration that makes BestModelFile.
	BestEpochFile = "best-epoch.bin"
)

// EpochResult is what one epoch gave.
type EpochResult struct {
	Epoch    int     // 1-based
	Loss     float64 // mean training loss
	ValidP1  float64 // validation P@1
	Examples int     // training examples seen
	Seconds  float64 // training time (without validation)
}

// Result is the outcome of Train.
type Result struct {
	Model     *model.Model // best model by validation P@1
	Epochs    []EpochResult
	BestEpoch int
	// GateOffset and KappaOffset are, with Calibrate, the shifts of the
	// gate's bias and of the copy prior κ chosen on validation, and
	// CalibratedP1 the validation P@1 with them.
	GateOffset, KappaOffset, CalibratedP1 float64
}

// Train trains a model on d's train examples, validating after each epoch
// and keeping the best one, with checkpoints in opt.Out after every epoch.
// It stops with an error, writing nothing of that epoch, when the loss or a
// weight becomes NaN or infinite (a diverged training).
func Train(d *dataset.Dataset, opt Options) (*Result, error) {
	if err := opt.Config.Validate(); err != nil {
		return nil, err
	}
	if opt.Out == "" {
		return nil, errors.New("trainer: no output folder")
	}
	if opt.Batch < 1 || !(opt.LR > 0) || math.IsInf(opt.LR, 0) || !(opt.Dropout >= 0) || opt.Dropout >= 1 || !(opt.L2 >= 0) || math.IsInf(opt.L2, 0) {
		return nil, fmt.Errorf("trainer: bad batch %d, learning rate %g, dropout %g or L2 %g", opt.Batch, opt.LR, opt.Dropout, opt.L2)
	}
	if err := opt.CheckBeyondPaper(); err != nil {
		return nil, err
	}
	if opt.Workers <= 0 {
		opt.Workers = defaultWorkers()
	}
	if err := os.MkdirAll(opt.Out, 0o755); err != nil {
		return nil, fmt.Errorf("trainer: output folder: %w", err)
	}
	lock, err := lockDir(opt.Out)
	if err != nil {
		return nil, fmt.Errorf("trainer: %w", err)
	}
	defer lock.unlock()
	if err := prepareOut(opt); err != nil {
		return nil, err
	}
	st, err := newState(d, opt)
	if err != nil {
		return nil, err
	}
	ckpt := filepath.Join(opt.Out, CheckpointFile)
	if opt.Resume {
		switch err := st.load(ckpt); {
		case errors.Is(err, os.ErrNotExist):
			st.logf("no checkpoint in %s: starting afresh\n", opt.Out)
		case err != nil:
			return nil, err
		default:
			st.logf("resumed %s after epoch %d (best %s %.4f at epoch %d)\n", ckpt, st.epoch, st.opt.ValidMetric(), st.bestP1, st.bestEpoch)
		}
	}
	st.logf("%s; %d train, %d valid examples; %d workers\n", st.m, len(d.Examples[dataset.Train]), len(d.Examples[dataset.Valid]), opt.Workers)
	for st.epoch < opt.Epochs {
		if opt.Patience > 0 && st.bestEpoch > 0 && st.epoch-st.bestEpoch >= opt.Patience {
			st.logf("early stop: no better validation P@1 for %d epochs\n", opt.Patience)
			break
		}
		er, err := st.trainEpoch(st.epoch + 1)
		if err != nil {
			return nil, err
		}
		// Nothing non-finite is ever written: the loaders would refuse it.
		if err := st.checkFinite(er.Epoch); err != nil {
			return nil, err
		}
		er.ValidP1 = st.validate()
		st.epoch = er.Epoch
		st.history = append(st.history, er)
		improved := er.ValidP1 > st.bestP1 || st.bestEpoch == 0
		if improved {
			st.bestP1, st.bestEpoch = er.ValidP1, er.Epoch
			if err := st.m.WriteFile(filepath.Join(opt.Out, st.bestFile())); err != nil {
				return nil, err
			}
		}
		if err := st.save(ckpt); err != nil {
			return nil, err
		}
		mark := ""
		if improved {
			mark = " (best)"
		}
		st.logf("epoch %d: loss %.4f, %.0f examples/s, %s %.4f%s\n",
			er.Epoch, er.Loss, float64(er.Examples)/er.Seconds, st.opt.ValidMetric(), er.ValidP1, mark)
	}
	best, err := model.ReadFile(filepath.Join(opt.Out, st.bestFile()))
	if err != nil {
		return nil, err
	}
	res := &Result{Model: best, Epochs: st.history, BestEpoch: st.bestEpoch}
	if opt.Calibrate {
		res.GateOffset, res.KappaOffset, res.CalibratedP1 = st.calibrate(best)
		st.logf("calibrated on validation: gate bias %+g, copy prior %+g, %s %.4f (%.4f uncalibrated)\n",
			res.GateOffset, res.KappaOffset, st.opt.ValidMetric(), res.CalibratedP1, st.bestP1)
		if err := best.WriteFile(filepath.Join(opt.Out, BestModelFile)); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// bestFile is the file the best epoch's model is written to.
func (st *state) bestFile() string {
	if st.opt.Calibrate {
		return BestEpochFile
	}
	return BestModelFile
}

// GateOffsets and KappaOffsets are the shifts of the copy gate's bias and
// of the copy prior κ that Calibrate tries, smallest first, so that among
// equal scores the smallest wins.
var (
	GateOffsets  = []float64{0, -0.25, 0.25, -0.5, 0.5, -0.75, 0.75, -1, 1, -1.5, -2}
	KappaOffsets = []float64{0, -0.5, 0.5, -1, 1, -1.5, -2, -3}
)

// calibrate shifts m's gate bias by the offset of GateOffsets with the
// best validation P@1 (st.validateWith), then its copy prior κ by the
// offset of KappaOffsets with the best, and returns both offsets and that
// P@1.
func (st *state) calibrate(m *model.Model) (gate, kappa, p1 float64) {
	eng := newEngine(&m.Params, st.opt.Workers)
	gate, p1 = st.bestShift(eng, &m.Params.GateV[model.GateFeatures], GateOffsets)
	kappa, p1 = st.bestShift(eng, &m.Params.CopyW[1], KappaOffsets)
	return gate, kappa, p1
}

// bestShift sets *w to its value plus the offset of offsets with the best
// validation P@1 of eng (which reads *w), the first among equals, and
// returns the offset and that P@1.
func (st *state) bestShift(eng *engine[float32], w *float32, offsets []float64) (offset, p1 float64) {
	w0 := *w
	p1 = -1
	for _, off := range offsets {
		*w = w0 + float32(off)
		if p := st.validateWith(eng); p > p1 {
			offset, p1 = off, p
		}
	}
	*w = w0 + float32(offset)
	return offset, p1
}

// state is a training run in progress.
type state struct {
	opt  Options
	d    *dataset.Dataset
	m    *model.Model
	data *Data
	eng  *engine[float32]
	opt2 *adagrad

	epoch, bestEpoch int
	bestP1           float64
	history          []EpochResult
	fingerprint      string // dataFingerprint(d), recorded in checkpoints
}

// prepareOut readies the locked folder opt.Out: it removes the temporary
// files an interrupted write left there and checks that files can be
// written, so that a read-only folder is refused before the first epoch.
func prepareOut(opt Options) error {
	n, size, err := removeStaleTemps(opt.Out)
	if err != nil {
		return fmt.Errorf("trainer: %w", err)
	}
	if n > 0 && opt.Log != nil {
		fmt.Fprintf(opt.Log, "removed %d stale temporary file(s) of %d bytes that an interrupted write left in %s\n", n, size, opt.Out)
	}
	if err := checkWritable(opt.Out); err != nil {
		return fmt.Errorf("trainer: %w", err)
	}
	return nil
}

// checkFinite fails if a weight or an optimiser accumulator is NaN or
// infinite after the given epoch: the training diverged.
func (st *state) checkFinite(epoch int) error {
	err := st.m.CheckFinite()
	if err == nil {
		for _, t := range st.opt2.acc.Tensors() {
			if i := model.FirstNonFinite(t.Data); i >= 0 {
				err = fmt.Errorf("optimiser state of %s[%d][%d] is %v", t.Name, i/t.Cols, i%t.Cols, t.Data[i])
				break
			}
		}
	}
	if err != nil {
		return fmt.Errorf("trainer: training diverged in epoch %d: %v; nothing of this epoch was written (try a lower learning rate than %g)", epoch, err, st.opt.LR)
	}
	return nil
}

func newState(d *dataset.Dataset, opt Options) (*state, error) {
	words := Vocabulary(d, opt.Config.Variant, opt.MinCount)
	tags := OutputTags(d, opt.TagPosts) // the candidates only but for the copy variant (CheckBeyondPaper)
	m, err := model.New(opt.Config, words, TagNames(d, tags))
	if err != nil {
		return nil, err
	}
	if opt.Config.Variant.Copies() {
		m.Display = Display(d, tags) // the paper's variants keep format version 1
	}
	m.Init(opt.Seed)
	data, err := Encode(d, m)
	if err != nil {
		return nil, err
	}
	if opt.Pretrain > 0 {
		if err := pretrain(m, data, opt.Pretrain, opt.Seed); err != nil {
			return nil, err
		}
	}
	st := &state{opt: opt, d: d, m: m, data: data, fingerprint: dataFingerprint(d, opt.TimeChunks > 0)}
	st.eng = newEngine(&m.Params, opt.Workers)
	st.eng.dropout = opt.Dropout
	st.opt2 = newAdagrad(&m.Params, opt.LR, opt.L2)
	return st, nil
}

func (st *state) logf(format string, args ...any) {
	if st.opt.Log != nil {
		if st.opt.Terminal {
			fmt.Fprint(st.opt.Log, "\r\033[K")
		}
		fmt.Fprintf(st.opt.Log, format, args...)
	}
}

// trainEpoch runs one epoch (1-based). The order of examples and the
// dropout masks depend only on the seed and the epoch, so a resumed run
// repeats an uninterrupted one exactly.
// It stops with an error as soon as a batch's loss is NaN or infinite.
func (st *state) trainEpoch(epoch int) (EpochResult, error) {
	opt := st.opt
	posts := st.data.TrainPosts()
	rng := rand.New(rand.NewPCG(opt.Seed, uint64(epoch)))
	var order []int32
	if opt.TimeChunks > 0 {
		order = timeChunks(st.d.TimeOrder, posts, opt.TimeChunks, rng)
	} else {
		order = append([]int32(nil), posts...)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	if opt.MaxTrain > 0 && len(order) > opt.MaxTrain {
		order = order[:opt.MaxTrain]
	}
	ex := make([]Example, opt.Batch)
	keys := make([]uint64, opt.Batch)
	wbuf := make([][]int32, opt.Batch)
	pr := newProgress(opt.Log, opt.Terminal, opt.LogEvery, epoch, opt.Epochs, len(order))
	start := time.Now()
	var lossSum float64
	for b := 0; b < len(order); b += opt.Batch {
		n := min(opt.Batch, len(order)-b)
		for i := 0; i < n; i++ {
			st.data.Example(order[b+i], &ex[i])
			keys[i] = num.Mix(opt.Seed ^ num.Mix(uint64(epoch)<<40|uint64(b+i)))
			if opt.HideTags > 0 {
				hideTags(&ex[i], st.eng.p.K, opt.HideTags, keys[i])
			}
			if opt.WordDropout > 0 {
				dropWords(&ex[i], &wbuf[i], opt.WordDropout, keys[i])
			}
		}
		e := st.eng
		e.setBatch(ex[:n], keys[:n])
		e.forward()
		loss := e.lossAndGrad(true)
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			pr.done()
			return EpochResult{}, fmt.Errorf("trainer: training diverged in epoch %d, batch %d (examples %d to %d): the loss is %v; nothing of this epoch was written (try a lower learning rate than %g)",
				epoch, b/opt.Batch+1, b+1, b+n, loss, opt.LR)
		}
		e.backward()
		e.mergeSparse()
		st.opt2.step(e)
		lossSum += loss * float64(n)
		pr.update(b+n, lossSum/float64(b+n))
	}
	pr.done()
	return EpochResult{Epoch: epoch, Loss: lossSum / float64(max(1, len(order))), Examples: len(order),
		Seconds: time.Since(start).Seconds()}, nil
}

// timeChunks returns the posts of byTime (oldest first) that are in posts,
// cut into n chunks of (nearly) equal size, each shuffled by rng.
func timeChunks(byTime, posts []int32, n int, rng *rand.Rand) []int32 {
	in := make(map[int32]bool, len(posts))
	for _, p := range posts {
		in[p] = true
	}
	order := make([]int32, 0, len(posts))
	for _, p := range byTime {
		if in[p] {
			order = append(order, p)
		}
	}
	for c := 0; c < n; c++ {
		chunk := order[c*len(order)/n : (c+1)*len(order)/n]
		rng.Shuffle(len(chunk), func(i, j int) { chunk[i], chunk[j] = chunk[j], chunk[i] })
	}
	return order
}

// validate returns P@1 on the validation examples (no dropout), open
// (openPrecisionAt1) with SelectOpen.
func (st *state) validate() float64 { return st.validateWith(st.eng) }

// validateWith is validate with the parameters of engine e.
func (st *state) validateWith(e *engine[float32]) float64 {
	ids, p1 := st.d.Examples[dataset.Valid], precisionAt1
	if st.opt.SelectOpen {
		ids, p1 = st.d.OpenExamples(dataset.Valid), openPrecisionAt1
	}
	if st.opt.MaxValid > 0 && len(ids) > st.opt.MaxValid {
		ids = ids[:st.opt.MaxValid]
	}
	return p1(e, st.data, ids, 256)
}

// openPrecisionAt1 returns, for HMemN2NCopy, the fraction of posts ids
// whose best-scored hashtag (of the model's hashtags and the memory's, as
// Ranker.RankOpen ranks them) is one of the post's hashtags.
func openPrecisionAt1(e *engine[float32], data *Data, ids []int32, batch int) float64 {
	K, c := e.p.K, &e.cp
	return top1Hits(e, data, ids, batch, func(i int, ex *Example, p int32) bool {
		best, bv := int32(-1), float32(math.Inf(-1))
		for k, v := range e.P[i*K : (i+1)*K] {
			if v > bv && data.modelTag[k] >= 0 {
				best, bv = data.modelTag[k], v
			}
		}
		pc := c.pc[c.tagOff[i]:c.tagOff[i+1]]
		for j, t := range ex.Tags {
			if v := (1 - c.gate[i]) * pc[j]; t.Cand < 0 && v > bv {
				best, bv = t.ID, v
			}
		}
		return slices.Contains(data.D.PostTags(p), best)
	})
}

// precisionAt1 returns the fraction of posts ids whose best-scored
// candidate is gold.
func precisionAt1(e *engine[float32], data *Data, ids []int32, batch int) float64 {
	K := e.p.K
	kc := data.kc // the gold are candidates: the best of them is the answer
	return top1Hits(e, data, ids, batch, func(i int, ex *Example, p int32) bool {
		best, bv := int32(0), float32(math.Inf(-1))
		for k, v := range e.P[i*K : i*K+kc] {
			if v > bv {
				best, bv = int32(k), v
			}
		}
		return slices.Contains(ex.Gold, best)
	})
}

// top1Hits runs posts ids through e in batches (no dropout; for
// HMemN2NCopy the mixture's probabilities of the model's hashtags in e.P)
// and returns the fraction of them for which hit, given the example's
// index in its batch, the example and the post, says the top-1 is right.
func top1Hits(e *engine[float32], data *Data, ids []int32, batch int, hit func(i int, ex *Example, p int32) bool) float64 {
	if len(ids) == 0 {
		return 0
	}
	ex := make([]Example, batch)
	hits := 0
	for b := 0; b < len(ids); b += batch {
		n := min(batch, len(ids)-b)
		for i := 0; i < n; i++ {
			data.Example(ids[b+i], &ex[i])
		}
		e.setBatch(ex[:n], nil)
		e.forward()
		if e.p.Variant.Copies() {
			e.mixCandidates()
		}
		for i := 0; i < n; i++ {
			if hit(i, &ex[i], ids[b+i]) {
				hits++
			}
		}
	}
	return float64(hits) / float64(len(ids))
}

func defaultWorkers() int { return runtime.GOMAXPROCS(0) }
