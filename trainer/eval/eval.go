// Package eval scores hashtag recommenders by the metrics of
// ../shared/BENCHMARK.md: for k = 1..5, P@k = |top-k ∩ gold| / k and
// R@k = |top-k ∩ gold| / |gold|, each averaged over the test examples, and
// F1@k = 2·P@k·R@k / (P@k + R@k) of those two averages.
//
// Every method is a Ranker; Evaluate runs one over a split in parallel.
// The open evaluation (open.go) scores an OpenRanker, which may rank any
// hashtag, over every post of a split that has one.
package eval

import (
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// MaxK is the largest k the metrics report.
const MaxK = 5

// Ranker ranks the candidate hashtags of a dataset for one post.
type Ranker interface {
	// Rank appends to dst the k best candidate indices for post p of d,
	// best first, without repeats, and returns the extended slice. It may
	// return fewer than k when it knows fewer. It must be safe for
	// concurrent use.
	Rank(d *dataset.Dataset, p int32, k int, dst []int32) []int32
}

// Table holds P, R and F1 at k = 1..MaxK (index k-1) over N examples.
type Table struct {
	N         int
	P, R, F1  [MaxK]float64
	hits      [MaxK]float64 // sum of |top-k ∩ gold| / k
	recallSum [MaxK]float64 // sum of |top-k ∩ gold| / |gold|
}

// Add scores one example: its ranked candidates (at least MaxK, or all the
// ranker knows) and its gold set.
func (t *Table) Add(ranked, gold []int32) {
	t.N++
	hit := 0
	for k := 1; k <= MaxK; k++ {
		if k <= len(ranked) && contains(gold, ranked[k-1]) {
			hit++
		}
		t.hits[k-1] += float64(hit) / float64(k)
		t.recallSum[k-1] += float64(hit) / float64(len(gold))
	}
}

// Merge adds the sums of u into t.
func (t *Table) Merge(u *Table) {
	t.N += u.N
	for k := range t.hits {
		t.hits[k] += u.hits[k]
		t.recallSum[k] += u.recallSum[k]
	}
}

// Finish computes P, R and F1 from the sums.
func (t *Table) Finish() {
	for k := range t.P {
		if t.N == 0 {
			continue
		}
		t.P[k] = t.hits[k] / float64(t.N)
		t.R[k] = t.recallSum[k] / float64(t.N)
		if t.P[k]+t.R[k] > 0 {
			t.F1[k] = 2 * t.P[k] * t.R[k] / (t.P[k] + t.R[k])
		}
	}
}

// Print writes the table as Markdown, one row per k, three decimals.
func (t *Table) Print(w io.Writer, title string) {
	fmt.Fprintf(w, "%s (%d examples)\n\n| k | P@k | R@k | F1@k |\n| --- | --- | --- | --- |\n", title, t.N)
	for k := range t.P {
		fmt.Fprintf(w, "| %d | %.3f | %.3f | %.3f |\n", k+1, t.P[k], t.R[k], t.F1[k])
	}
}

func contains(s []int32, x int32) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// Evaluate ranks every example of the split with r, using all cores, and
// returns the finished table. The result does not depend on the number of
// workers: sums are merged in a fixed order.
func Evaluate(d *dataset.Dataset, split int, r Ranker) Table {
	return EvaluatePosts(d, d.Examples[split], r)
}

// EvaluatePosts is Evaluate over a chosen list of example posts.
func EvaluatePosts(d *dataset.Dataset, posts []int32, r Ranker) Table {
	return evaluate(posts, r.Rank, d.GoldOf, d)
}

// evaluate ranks every post with rank and scores it against gold, using
// all cores; sums are merged in a fixed order, so the result does not depend
// on the number of workers.
func evaluate(posts []int32, rank func(*dataset.Dataset, int32, int, []int32) []int32, gold func(int32) []int32, d *dataset.Dataset) Table {
	workers := runtime.GOMAXPROCS(0)
	const chunk = 1024
	nChunks := (len(posts) + chunk - 1) / chunk
	parts := make([]Table, nChunks)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]int32, 0, MaxK)
			for c := range next {
				end := min((c+1)*chunk, len(posts))
				for _, p := range posts[c*chunk : end] {
					buf = rank(d, p, MaxK, buf[:0])
					parts[c].Add(buf, gold(p))
				}
			}
		}()
	}
	for c := 0; c < nChunks; c++ {
		next <- c
	}
	close(next)
	wg.Wait()
	var t Table
	for i := range parts {
		t.Merge(&parts[i])
	}
	t.Finish()
	return t
}
