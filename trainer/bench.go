package trainer

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// BenchResult is the outcome of Bench.
type BenchResult struct {
	Model       string        // model description
	Examples    int           // training examples processed (timed)
	TrainTime   time.Duration // wall time of the timed steps
	ExamplesSec float64       // training throughput
	Forward     time.Duration // mean model.Forward time for one post (single goroutine)
	// CPUTime is the process CPU time of the timed steps (0 if unknown).
	// On a shared machine Examples/CPUTime·Workers estimates the
	// throughput the workers would reach with their cores to themselves.
	CPUTime time.Duration
	Workers int
}

// Bench measures training throughput at opt's settings on d's train
// examples (steps Adagrad steps after one untimed warm-up step) and the
// mean single-post time of model.Forward over forwards posts.
func Bench(d *dataset.Dataset, opt Options, steps, forwards int) (BenchResult, error) {
	if len(d.Examples[dataset.Train]) == 0 {
		return BenchResult{}, errors.New("dataset has no train examples")
	}
	if err := opt.CheckBeyondPaper(); err != nil {
		return BenchResult{}, err
	}
	opt.Out = "-"
	if opt.Workers <= 0 {
		opt.Workers = defaultWorkers()
	}
	st, err := newState(d, opt)
	if err != nil {
		return BenchResult{}, err
	}
	order := append([]int32(nil), d.Examples[dataset.Train]...)
	rand.New(rand.NewPCG(opt.Seed, 0)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	ex := make([]Example, opt.Batch)
	keys := make([]uint64, opt.Batch)
	next := 0
	step := func() int {
		n := opt.Batch
		for i := 0; i < n; i++ {
			st.data.Example(order[next%len(order)], &ex[i])
			keys[i] = uint64(next)
			next++
		}
		e := st.eng
		e.setBatch(ex[:n], keys[:n])
		e.forward()
		e.lossAndGrad(true)
		e.backward()
		e.mergeSparse()
		st.opt2.step(e)
		return n
	}
	step()
	res := BenchResult{Model: st.m.String(), Workers: opt.Workers}
	cpu0 := cpuTime()
	start := time.Now()
	for i := 0; i < steps; i++ {
		res.Examples += step()
	}
	res.TrainTime = time.Since(start)
	if c := cpuTime(); cpu0 > 0 {
		res.CPUTime = c - cpu0
	}
	res.ExamplesSec = float64(res.Examples) / res.TrainTime.Seconds()

	var s model.Scratch
	var one Example
	start = time.Now()
	for i := 0; i < forwards; i++ {
		st.data.Example(order[i%len(order)], &one)
		if _, err := st.m.Forward(one.Input, &s); err != nil {
			return res, err
		}
	}
	if forwards > 0 {
		res.Forward = time.Since(start) / time.Duration(forwards)
	}
	return res, nil
}
