package baselines

import (
	"testing"

	"github.com/hashtag-rec/hashtag/trainer/dataset"
	"github.com/hashtag-rec/hashtag/trainer/eval"
)

func TestSVMRanksObviousTag(t *testing.T) {
	d := tinyDataset(t, 600)
	v, err := TrainWord2Vec(TrainSentences(d), len(d.Words),
		W2VConfig{Dim: 16, Window: 3, Negative: 3, MinCount: 1, Epochs: 5, Alpha: 0.05, Seed: 3, Threads: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, hist := range []bool{false, true} {
		m, err := TrainSVM(d, v, SVMConfig{History: hist, Lambda: 1e-3, Epochs: 5, Batch: 16, Seed: 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		tab := eval.Evaluate(d, dataset.Test, m)
		if tab.P[0] < 0.9 {
			t.Fatalf("history %v: P@1 %.3f on planted topics, want >= 0.9", hist, tab.P[0])
		}
	}
}
