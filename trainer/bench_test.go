package trainer

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/hashtag-rec/hashtag/model"
)

// benchBatch returns random examples shaped like IRA posts: 8 known words,
// 5 history posts of 8 words (+2 tags).
func benchBatch(c model.Config, v, k, n int, seed uint64) []Example {
	r := rand.New(rand.NewPCG(seed, 1))
	ids := func(n int) []int32 {
		s := make([]int32, n)
		for i := range s {
			s[i] = int32(r.IntN(v))
		}
		return s
	}
	ex := make([]Example, n)
	for i := range ex {
		ex[i].Words = ids(8)
		for j := 0; j < c.Memory; j++ {
			ex[i].Memory = append(ex[i].Memory, ids(10))
		}
		ex[i].Gold = []int32{int32(r.IntN(k))}
	}
	return ex
}

// BenchmarkTrainStep measures one Adagrad step at the paper's settings on
// ira/random's shape (K = 2748 candidates); examples/s is reported.
func BenchmarkTrainStep(b *testing.B) {
	for _, v := range []model.Variant{model.HMemN2N, model.MemN2N} {
		b.Run(v.String(), func(b *testing.B) {
			c := model.PaperConfig(v)
			const V, K, batch = 30000, 2748, 128
			p := model.NewParams[float32](c, V, K)
			p.Init(1)
			e := newEngine(p, runtime.GOMAXPROCS(0))
			e.dropout = 0.2
			opt := newAdagrad(p, 0.01, 1e-6)
			ex := benchBatch(c, V, K, batch, 2)
			keys := make([]uint64, batch)
			for i := range keys {
				keys[i] = uint64(i)
			}
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				e.setBatch(ex, keys)
				e.forward()
				e.lossAndGrad(true)
				e.backward()
				e.mergeSparse()
				opt.step(e)
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "examples/s")
			// On a shared machine: the throughput with the cores to ourselves.
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(b.N*batch*e.workers)/cpu.Seconds(), "examples/cpu-s×workers")
			}
		})
	}
}

// BenchmarkForward measures model.Forward (the browser's plain-loop pass)
// on one post at the paper's settings.
func BenchmarkForward(b *testing.B) {
	c := model.PaperConfig(model.HMemN2N)
	const V, K = 30000, 2748
	words := make([]string, V)
	for i := range words {
		words[i] = "w" + itoa(i)
	}
	m, err := model.New(c, words, words[:K])
	if err != nil {
		b.Fatal(err)
	}
	m.Init(1)
	ex := benchBatch(c, V, K, 1, 3)[0]
	var s model.Scratch
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Forward(ex.Input, &s); err != nil {
			b.Fatal(err)
		}
	}
}
