// Package export makes the compact browser model from a trained float32
// model: it prunes the vocabulary to the words that matter, quantises the
// weights, and measures what each step costs in accuracy.
package export

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// WordCounts returns, for each word of m, how often d's train split uses it:
// the word's train count for a text word, the number of train posts
// carrying the hashtag for a memory word "#tag".
func WordCounts(m *model.Model, d *dataset.Dataset) []int64 {
	word := make(map[string]int64, len(d.Words))
	for i, w := range d.Words {
		word[w] = int64(d.WordCount[i])
	}
	tagPosts := make(map[string]int64, len(d.Tags))
	for t, c := range d.TrainTagPosts() {
		tagPosts[d.Tags[t]] = int64(c)
	}
	counts := make([]int64, len(m.Words))
	for i, w := range m.Words {
		if tag, ok := strings.CutPrefix(w, "#"); ok {
			counts[i] = tagPosts[tag]
		} else {
			counts[i] = word[w]
		}
	}
	return counts
}

// Vocab says which words keep which embedding rows. A is read only for the
// words of the post being written, B and C only for memory words, so the
// two are pruned apart; a word with neither row leaves the vocabulary.
type Vocab struct {
	Text   int   // the Text most used text words keep their A rows (0: all)
	Memory int   // the Memory most used text words keep their B and C rows (0: all)
	TagMin int64 // memory words "#tag" of hashtags in at least TagMin train posts keep B and C rows
}

// String gives v as the --steps syntax writes it.
func (v Vocab) String() string {
	return fmt.Sprintf("%d/%d/%d", v.Text, v.Memory, v.TagMin)
}

// Prune returns a copy of m with the rows v keeps (counts rank the words:
// ties by vocabulary order). A rows of memory words "#tag" are always
// dropped: a post's own words never start with '#', so they are never read.
// The dense matrices are shared with m, not copied.
func Prune(m *model.Model, counts []int64, v Vocab) (*model.Model, error) {
	if len(counts) != len(m.Words) {
		return nil, fmt.Errorf("prune: %d counts for %d words", len(counts), len(m.Words))
	}
	order := make([]int, len(m.Words))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return counts[order[a]] > counts[order[b]] })
	keepA := make([]bool, len(m.Words))
	keepMem := make([]bool, len(m.Words))
	text := 0
	for _, w := range order {
		if strings.HasPrefix(m.Words[w], "#") {
			keepMem[w] = counts[w] >= v.TagMin
			continue
		}
		keepA[w] = v.Text <= 0 || text < v.Text
		keepMem[w] = v.Memory <= 0 || text < v.Memory
		text++
	}
	var kept []int
	for w := range m.Words {
		if keepA[w] || keepMem[w] {
			kept = append(kept, w)
		}
	}
	words := make([]string, len(kept))
	for i, w := range kept {
		words[i] = m.Words[w]
	}
	p, err := model.New(m.Config, words, m.Tags)
	if err != nil {
		return nil, err
	}
	d := m.Dim
	for i, w := range kept {
		if keepA[w] {
			copy(p.A[i*d:(i+1)*d], m.A[w*d:(w+1)*d])
		}
		if keepMem[w] {
			copy(p.B[i*d:(i+1)*d], m.B[w*d:(w+1)*d])
			copy(p.C[i*d:(i+1)*d], m.C[w*d:(w+1)*d])
		}
	}
	p.Wo, p.Ws, p.Wms, p.Wf, p.Bf, p.Theta = m.Wo, m.Ws, m.Wms, m.Wf, m.Bf, m.Theta
	p.CopyPos, p.CopyW, p.GateW, p.GateV = m.CopyPos, m.CopyW, m.GateW, m.GateV
	p.Display = m.Display
	return p, nil
}

// Step is one size-reduction step: which rows are kept, and how stored.
type Step struct {
	Name  string
	Vocab Vocab
	Opts  model.CompactOptions
}

// ParseQuant reads a storage kind name: f32, int8 or int4.
func ParseQuant(s string) (model.Quant, error) {
	for _, q := range []model.Quant{model.QuantF32, model.QuantInt8, model.QuantInt4, model.QuantInt2} {
		if q.String() == s {
			return q, nil
		}
	}
	return 0, fmt.Errorf("unknown storage kind %q (want f32, int8, int4 or int2)", s)
}

// Apply prunes m and round-trips it through the compact format, returning
// the file bytes and the model the browser would load from them.
func Apply(m *model.Model, counts []int64, s Step) ([]byte, *model.Model, error) {
	p, err := Prune(m, counts, s.Vocab)
	if err != nil {
		return nil, nil, err
	}
	b, err := p.MarshalCompact(s.Opts)
	if err != nil {
		return nil, nil, err
	}
	q, err := model.UnmarshalCompact(b)
	if err != nil {
		return nil, nil, fmt.Errorf("reading back the compact model: %w", err)
	}
	return b, q, nil
}
