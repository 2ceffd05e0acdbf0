package trainer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// Vocabulary returns the model vocabulary for variant v built from d: every
// word occurring at least minCount times in train-split posts, in the
// dataset's word order, followed for HMemN2NTags by the memory word
// model.TagWord(t) of every hashtag t in at least minCount train-split
// posts, in the dataset's hashtag order.
func Vocabulary(d *dataset.Dataset, v model.Variant, minCount int) []string {
	var words []string
	for i, w := range d.Words {
		if int(d.WordCount[i]) >= minCount {
			words = append(words, w)
		}
	}
	if v.TagWords() {
		for t, c := range d.TrainTagPosts() {
			if int(c) >= minCount {
				words = append(words, model.TagWord(d.Tags[t]))
			}
		}
	}
	return words
}

// OutputTags returns the tag ids of d a model's softmax ranks: the
// candidates, in candidate order, then, when minPosts is below the
// protocol's threshold (dataset.MinCandidatePosts), every other hashtag in
// at least minPosts train-split posts, by that count (most first), ties by
// name. The extra hashtags are beyond the paper: the closed evaluation
// still ranks the candidates only (the first len(d.Candidates)), while the
// open one and the product may suggest any of them. minPosts ≤ 0 or ≥ the
// threshold: the candidates only.
func OutputTags(d *dataset.Dataset, minPosts int) []int32 {
	tags := append([]int32(nil), d.Candidates...)
	if minPosts <= 0 || minPosts >= dataset.MinCandidatePosts {
		return tags
	}
	candOf := d.CandidateIndex()
	n := d.TrainTagPosts()
	var extra []int32
	for t, c := range n {
		if candOf[t] < 0 && int(c) >= minPosts {
			extra = append(extra, int32(t))
		}
	}
	slices.SortFunc(extra, func(a, b int32) int {
		if c := cmp.Compare(n[b], n[a]); c != 0 {
			return c
		}
		return strings.Compare(d.Tags[a], d.Tags[b])
	})
	return append(tags, extra...)
}

// TagNames returns the hashtags of tag ids tags of d (OutputTags).
func TagNames(d *dataset.Dataset, tags []int32) []string {
	names := make([]string, len(tags))
	for i, t := range tags {
		names[i] = d.Tags[t]
	}
	return names
}

// Display returns the usual written form of each hashtag of tag ids tags
// of d (model.Model.Display).
func Display(d *dataset.Dataset, tags []int32) []string {
	forms := make([]string, len(tags))
	for i, t := range tags {
		forms[i] = d.Tags[t]
		if int(t) < len(d.TagForm) {
			forms[i] = d.TagForm[t]
		}
	}
	return forms
}

// Candidates returns the candidate hashtags of d, in candidate order.
func Candidates(d *dataset.Dataset) []string { return TagNames(d, d.Candidates) }

// Data is a dataset encoded for one model: every post's words and memory
// words as model ids, by the rules of model.Encode.
type Data struct {
	D             *dataset.Dataset
	cfg           model.Config
	textOff, text []int32 // model ids of each post's words
	memOff, mem   []int32 // model ids of each post as a memory post
	k             int     // hashtags of the model's softmax (len(Model.Tags))
	kc            int     // candidates: the first kc of the model's hashtags
	modelTag      []int32 // dataset tag id of each model hashtag, or -1 (not in d)
	tagModel      []int32 // model hashtag index of each dataset tag, or -1
	absent        int     // model hashtags not in d (modelTag −1)
	tagWord       []int32 // model id of each dataset tag's memory word, or -1
	// copyTrain lists, for HMemN2NCopy, the train posts with at least one
	// hashtag the model can give (a candidate, or a hashtag of its memory).
	copyTrain []int32
}

// Encode encodes d for model m. The model's hashtags must begin with d's
// candidates, in the same order; a copy variant's model may rank more
// hashtags after them (OutputTags), which need not all be in d.
func Encode(d *dataset.Dataset, m *model.Model) (*Data, error) {
	kc := len(d.Candidates)
	if len(m.Tags) < kc || len(m.Tags) > kc && !m.Variant.Copies() {
		return nil, fmt.Errorf("model has %d candidate hashtags, dataset %d", len(m.Tags), kc)
	}
	for c := range kc {
		if m.Tags[c] != d.CandidateName(int32(c)) {
			return nil, fmt.Errorf("candidate %d is %q in the model, %q in the dataset", c, m.Tags[c], d.CandidateName(int32(c)))
		}
	}
	tagModel := slices.Clone(d.CandidateIndex()) // the model's first hashtags are the candidates
	modelTag := make([]int32, len(m.Tags))
	copy(modelTag, d.Candidates)
	absent := 0
	if len(m.Tags) > kc {
		byName := make(map[string]int32, len(d.Tags))
		for t, name := range d.Tags {
			byName[name] = int32(t)
		}
		for k := kc; k < len(m.Tags); k++ {
			t, ok := byName[m.Tags[k]]
			if !ok {
				modelTag[k] = -1
				absent++
				continue
			}
			modelTag[k] = t
			tagModel[t] = int32(k)
		}
	}
	wordID := make([]int32, len(d.Words))
	for i, w := range d.Words {
		wordID[i] = -1
		if id, ok := m.WordID(w); ok {
			wordID[i] = id
		}
	}
	tagID := make([]int32, len(d.Tags))
	for i, t := range d.Tags {
		tagID[i] = -1
		if id, ok := m.WordID(model.TagWord(t)); ok && m.Variant.TagWords() {
			tagID[i] = id
		}
	}
	x := &Data{D: d, cfg: m.Config, k: len(m.Tags), kc: kc, modelTag: modelTag, tagModel: tagModel, absent: absent, tagWord: tagID}
	n := d.Posts()
	x.textOff = make([]int32, n+1)
	x.memOff = make([]int32, n+1)
	for p := 0; p < n; p++ {
		toks := d.Tokens(int32(p))
		if len(toks) > m.MaxWords {
			toks = toks[:m.MaxWords]
		}
		start := len(x.text)
		for _, t := range toks {
			if id := wordID[t]; id >= 0 {
				x.text = append(x.text, id)
			}
		}
		x.textOff[p+1] = int32(len(x.text))
		x.mem = append(x.mem, x.text[start:]...)
		if m.Variant.TagWords() {
			tags := d.PostTags(int32(p))
			if len(tags) > model.MaxMemoryTags {
				tags = tags[:model.MaxMemoryTags]
			}
			for _, t := range tags {
				if id := tagID[t]; id >= 0 {
					x.mem = append(x.mem, id)
				}
			}
		}
		x.memOff[p+1] = int32(len(x.mem))
	}
	if m.Variant.Copies() {
		var ex Example
		for p := 0; p < n; p++ {
			if d.PostSplit[p] != dataset.Train || d.TagOff[p] == d.TagOff[p+1] {
				continue
			}
			x.Example(int32(p), &ex)
			if len(ex.Open) > 0 {
				x.copyTrain = append(x.copyTrain, int32(p))
			}
		}
	}
	return x, nil
}

// TrainPosts returns the posts to train on: the train examples of the
// protocol, or for HMemN2NCopy every train post with a hashtag the model
// can give (Example.Open is not empty), in file order.
func (x *Data) TrainPosts() []int32 {
	if x.cfg.Variant.Copies() {
		return x.copyTrain
	}
	return x.D.Examples[dataset.Train]
}

// Example fills ex with post p's input and gold set, reusing ex's slices.
// ex.Words and ex.Memory alias x and must not be modified. For HMemN2NCopy
// it also fills ex.Tags, the distinct hashtags of the first MaxMemoryTags
// of each memory post (ID: the dataset tag id), and ex.Open.
func (x *Data) Example(p int32, ex *Example) {
	ex.Words = x.text[x.textOff[p]:x.textOff[p+1]]
	ex.Memory = ex.Memory[:0]
	ex.Tags = ex.Tags[:0]
	ex.Open = ex.Open[:0]
	ex.Hidden = ex.Hidden[:0]
	copies := x.cfg.Variant.Copies()
	for i, q := range x.D.History(p) {
		if i == x.cfg.Memory {
			break
		}
		ex.Memory = append(ex.Memory, x.mem[x.memOff[q]:x.memOff[q+1]])
		if !copies {
			continue
		}
		tags := x.D.PostTags(q)
		if len(tags) > model.MaxMemoryTags {
			tags = tags[:model.MaxMemoryTags]
		}
	next:
		for _, t := range tags {
			for j := range ex.Tags {
				if ex.Tags[j].ID == t {
					ex.Tags[j].Posts |= 1 << uint(i)
					continue next
				}
			}
			ex.Tags = append(ex.Tags, model.CopyTag{ID: t, Cand: x.tagModel[t], Posts: 1 << uint(i), Word: x.tagWord[t]})
		}
	}
	ex.Gold = x.D.GoldOf(p)
	if !copies {
		return
	}
	for _, t := range x.D.PostTags(p) {
		if c := x.tagModel[t]; c >= 0 {
			ex.Open = append(ex.Open, c)
			continue
		}
		for j := range ex.Tags {
			if ex.Tags[j].ID == t {
				ex.Open = append(ex.Open, int32(x.k+j))
				break
			}
		}
	}
}
