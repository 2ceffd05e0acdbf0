package trainer

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hashtag-rec/hashtag/model"
)

// forwardTol bounds the difference between the trainer's batched float32
// forward pass and model.Forward (plain loops, another summation order).
const forwardTol = 1e-4

// TestForwardMatchesModel checks the trainer's batched forward pass against
// the independent single-post forward pass of package model.
func TestForwardMatchesModel(t *testing.T) {
	for _, v := range model.Variants() {
		c := model.Config{Variant: v, Dim: 37, Hops: 2, Memory: 3, MaxWords: 4}
		const V, K = 50, 29
		words := make([]string, V)
		for i := range words {
			words[i] = "w" + itoa(i)
		}
		tags := words[:K]
		m, err := model.New(c, words, tags)
		if err != nil {
			t.Fatal(err)
		}
		m.Init(5)
		r := rand.New(rand.NewPCG(3, 4))
		ex := randomBatch(r, c, V, K)
		if v.Copies() {
			addCopyTargets(r, ex, c, K)
			for _, x := range [][]float32{m.CopyPos, m.CopyW, m.GateW, m.GateV} {
				for i := range x {
					x[i] = float32(0.3 * r.NormFloat64())
				}
			}
		}
		e := newEngine(&m.Params, 2)
		e.setBatch(ex, nil)
		e.forward()
		var s model.Scratch
		for i, x := range ex {
			res, err := m.Forward(x.Input, &s)
			if err != nil {
				t.Fatal(err)
			}
			for k, want := range res.Scores {
				got := e.P[i*K+k]
				if math.Abs(float64(got-want)) > forwardTol*(1+math.Abs(float64(want))) {
					t.Fatalf("%s example %d score %d: trainer %v, model %v", v, i, k, got, want)
				}
			}
			if !v.Copies() {
				continue
			}
			if got, want := e.cp.gate[i], res.Gate; math.Abs(float64(got-want)) > forwardTol {
				t.Fatalf("%s example %d: gate %v in the trainer, %v in the model", v, i, got, want)
			}
			pc := e.cp.pc[e.cp.tagOff[i]:e.cp.tagOff[i+1]]
			if len(pc) != len(res.Copy) {
				t.Fatalf("%s example %d: %d copy probabilities in the trainer, %d in the model", v, i, len(pc), len(res.Copy))
			}
			for j := range pc {
				if math.Abs(float64(pc[j]-res.Copy[j])) > forwardTol {
					t.Fatalf("%s example %d: copy probability %d is %v in the trainer, %v in the model", v, i, j, pc[j], res.Copy[j])
				}
			}
		}
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
