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
}

// DefaultMemNetConfig returns the paper's settings (trainer.DefaultOptions)
// except the learning rate, 0.05 rather than 0.01, chosen on validation
// (README), and 3 epochs, which is where the validation P@1 of these runs
// levels off.
func DefaultMemNetConfig() MemNetConfig { return MemNetConfig{Epochs: 3, Patience: 2, LR: 0.05} }

// dirName is the folder name of a training of variant v with c.
func (c MemNetConfig) dirName(v model.Variant) string {
	s := fmt.Sprintf("%s-e%d-lr%g", v, c.Epochs, c.LR)
	if c.MaxTrain > 0 {
		s += fmt.Sprintf("-n%d", c.MaxTrain)
	}
	return s
}

func (c MemNetConfig) options(v model.Variant) trainer.Options {
	opt := trainer.DefaultOptions(v)
	opt.Epochs, opt.Patience, opt.LR = c.Epochs, c.Patience, c.LR
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
	opt := e.cfg.MemNet.options(v)
	opt.Out, opt.Log = e.TrainDir, e.Log
	res, r, secs, err := trainResumed(d, opt)
	if err != nil {
		return nil, err
	}
	if e.Log != nil {
		fmt.Fprintf(e.Log, "%s: best validation P@1 %.4f at epoch %d of %d; %.0fs of training\n",
			v, res.Epochs[res.BestEpoch-1].ValidP1, res.BestEpoch, opt.Epochs, secs)
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
