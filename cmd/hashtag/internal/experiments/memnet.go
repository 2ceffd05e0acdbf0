package experiments

import (
	"errors"
	"fmt"
	"time"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

// MemNetConfig holds the settings with which the experiments train the
// memory networks when they have no model file for them.
type MemNetConfig struct {
	Epochs, Patience, MaxTrain, MaxValid int
	LR                                   float64
	// Tuned: hmemn2n-copy trains with its setting for the corpus and split
	// in CopySettings, where there is one, instead of the shared ones.
	Tuned bool
}

// DefaultMemNetConfig returns the paper's settings (trainer.DefaultOptions)
// except the learning rate, 0.05 rather than 0.01, chosen on validation
// (README), and 3 epochs, which is where the validation P@1 of these runs
// levels off; hmemn2n-copy with its CopySettings.
func DefaultMemNetConfig() MemNetConfig {
	return MemNetConfig{Epochs: 3, Patience: 2, LR: 0.05, Tuned: true}
}

// CopySetting is how hmemn2n-copy (beyond the paper) is trained on one
// corpus and split: the settings chosen on its validation split, with the
// paper's for the rest (dim 300, memory 5, 52 words, batch 128).
type CopySetting struct {
	LR, Dropout            float64
	Hops, Epochs, Patience int
	TimeChunks             int
	SelectOpen, Calibrate  bool
	Flags                  string // the same as flags of "hashtag train"
}

// CopySettings are hmemn2n-copy's settings by "corpus/split", as README's
// "Your own hashtags" gives them with the validation scores they were
// chosen by.
var CopySettings = map[string]CopySetting{
	"ira/random": {LR: 0.05, Dropout: 0.2, Hops: 2, Epochs: 4, Patience: 1,
		Flags: "--lr 0.05 --epochs 4 --patience 1"},
	"ira/time": {LR: 0.05, Dropout: 0.2, Hops: 2, Epochs: 1, Patience: 2, TimeChunks: 10, SelectOpen: true, Calibrate: true,
		Flags: "--lr 0.05 --epochs 1 --time-chunks 10 --select-open --calibrate"},
	"howyoutag/given": {LR: 0.02, Dropout: 0.5, Hops: 3, Epochs: 6, Patience: 2, SelectOpen: true, Calibrate: true,
		Flags: "--lr 0.02 --dropout 0.5 --hops 3 --epochs 6 --select-open --calibrate"},
}

// copySetting returns the CopySetting with which c trains variant v on d,
// if any.
func (c MemNetConfig) copySetting(v model.Variant, d *dataset.Dataset) (CopySetting, bool) {
	if !c.Tuned || v != model.HMemN2NCopy {
		return CopySetting{}, false
	}
	s, ok := CopySettings[d.Corpus+"/"+d.Split]
	return s, ok
}

// dirName is the folder name of a training of variant v on d with c.
func (c MemNetConfig) dirName(v model.Variant, d *dataset.Dataset) string {
	s := fmt.Sprintf("%s-e%d-lr%g", v, c.Epochs, c.LR)
	if cs, ok := c.copySetting(v, d); ok {
		s = fmt.Sprintf("%s-e%d-lr%g-dropout%g-hops%d", v, cs.Epochs, cs.LR, cs.Dropout, cs.Hops)
		if cs.TimeChunks > 0 {
			s += fmt.Sprintf("-chunks%d", cs.TimeChunks)
		}
		if cs.SelectOpen {
			s += "-open"
		}
		if cs.Calibrate {
			s += "-cal"
		}
	}
	if c.MaxTrain > 0 {
		s += fmt.Sprintf("-n%d", c.MaxTrain)
	}
	return s
}

// Options are the trainer options with which c trains variant v on d.
func (c MemNetConfig) Options(v model.Variant, d *dataset.Dataset) trainer.Options {
	opt := trainer.DefaultOptions(v)
	opt.Epochs, opt.Patience, opt.LR = c.Epochs, c.Patience, c.LR
	if cs, ok := c.copySetting(v, d); ok {
		opt.Epochs, opt.Patience, opt.LR, opt.Dropout = cs.Epochs, cs.Patience, cs.LR, cs.Dropout
		opt.Config.Hops, opt.TimeChunks, opt.SelectOpen, opt.Calibrate = cs.Hops, cs.TimeChunks, cs.SelectOpen, cs.Calibrate
	}
	opt.MaxTrain, opt.MaxValid = c.MaxTrain, c.MaxValid
	opt.LogEvery = time.Minute
	return opt
}

// memNetMethod is the method of variant v: it loads the model file it is
// given, or trains v in its build when it is given a folder for that.
func memNetMethod(v model.Variant) *Method {
	return &Method{Name: v.String(), Outside: !v.Paper(), groups: []string{"mn"},
		Summary: "a model trained by \"hashtag train --method " + v.String() + "\" (--model FILE)",
		build: func(d *dataset.Dataset, e *env) (eval.Ranker, error) {
			if e.Model == "" && e.TrainDir != "" {
				return trainRanker(d, v, e)
			}
			return loadRanker(d, e.Model, v)
		}}
}

// trainResumed trains with opt, resuming from the checkpoint in opt.Out,
// so that a rerun of the experiments reuses finished training (the
// checkpoint refuses other settings). It returns the ranker of the best
// epoch and the seconds of the training epochs up to opt.Epochs (a resumed
// run may hold more), also when they ran in an earlier process.
func trainResumed(d *dataset.Dataset, opt trainer.Options) (*trainer.Result, eval.Ranker, float64, error) {
	opt.Resume = true
	res, err := trainer.Train(d, opt)
	if err != nil {
		return nil, nil, 0, err
	}
	r, err := trainer.NewRanker(res.Model, d)
	if err != nil {
		return nil, nil, 0, err
	}
	secs := 0.0
	for _, ep := range res.Epochs {
		if ep.Epoch <= opt.Epochs {
			secs += ep.Seconds
		}
	}
	return res, r, secs, nil
}

// trainRanker trains variant v with the run's MemNetConfig into
// e.TrainDir (trainResumed).
func trainRanker(d *dataset.Dataset, v model.Variant, e *env) (eval.Ranker, error) {
	opt := e.cfg.MemNet.Options(v, d)
	opt.Out, opt.Log = e.TrainDir, e.Log
	res, r, secs, err := trainResumed(d, opt)
	if err != nil {
		return nil, err
	}
	if e.Log != nil {
		fmt.Fprintf(e.Log, "%s: best %s %.4f at epoch %d of %d; %.0fs of training\n",
			v, opt.ValidMetric(), res.Epochs[res.BestEpoch-1].ValidP1, res.BestEpoch, opt.Epochs, secs)
	}
	return trainedRanker{r, secs}, nil
}

func loadRanker(d *dataset.Dataset, path string, v model.Variant) (eval.Ranker, error) {
	if path == "" {
		return nil, errors.New("--model FILE is required (the model.bin that \"hashtag train\" wrote, or a compact model from \"hashtag export\")")
	}
	m, err := model.Load(path)
	if err != nil {
		return nil, err
	}
	if m.Variant != v {
		return nil, fmt.Errorf("%s holds a %s model, not %s", path, m.Variant, v)
	}
	return trainer.NewRanker(m, d)
}
