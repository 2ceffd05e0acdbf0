package dataset

import (
	"fmt"
	"hash/fnv"
	"sort"

	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/model/text"
)

// Split kinds accepted by Prepare.
const (
	SplitRandom = "random" // FNV-1a bucket of author, time and text
	SplitTime   = "time"   // first 80% by time train, next 10% valid, rest test
	SplitGiven  = "given"  // the corpus's own split (HowYouTag)
)

// Builder collects the posts of a corpus, in file order, and then applies the
// protocol. Add every post of every input file in order, then call Build.
type Builder struct {
	split string
	words map[string]int32
	tags  map[string]int32
	auth  map[string]int32
	forms map[int32]map[string]int32 // written forms of each hashtag, counted
	d     Dataset
	times []string
	// Filtered counts posts dropped by the language/retweet filter.
	Filtered int
}

// NewBuilder starts a dataset for the given split kind.
func NewBuilder(corpus, split string) (*Builder, error) {
	switch split {
	case SplitRandom, SplitTime, SplitGiven:
	default:
		return nil, fmt.Errorf("unknown split %q (want %s, %s or %s)", split, SplitRandom, SplitTime, SplitGiven)
	}
	b := &Builder{
		split: split,
		words: make(map[string]int32),
		tags:  make(map[string]int32),
		auth:  make(map[string]int32),
		forms: make(map[int32]map[string]int32),
	}
	b.d.Corpus, b.d.Split = corpus, split
	b.d.TokOff = []int32{0}
	b.d.TagOff = []int32{0}
	return b, nil
}

// Keep reports whether the protocol keeps a post: English (where the format
// labels a language) and not a retweet; post.Post.Kept holds the rule, so
// that the page's import keeps the same posts.
func Keep(p *post.Post) bool { return p.Kept() }

// Add adds one post read from a file. Posts the protocol filters out are
// counted and dropped. It returns an error for a post a split cannot place
// (a "given" split with a post that names none).
func (b *Builder) Add(p post.Post) error {
	if !Keep(&p) {
		b.Filtered++
		return nil
	}
	var split uint8
	switch b.split {
	case SplitRandom:
		h := fnv.New64a()
		h.Write([]byte(p.Author))
		h.Write([]byte{'\t'})
		h.Write([]byte(p.Time))
		h.Write([]byte{'\t'})
		h.Write([]byte(p.Text))
		switch bucket := h.Sum64() % 100; {
		case bucket < 80:
			split = Train
		case bucket < 90:
			split = Valid
		default:
			split = Test
		}
	case SplitGiven:
		switch p.Split {
		case "train":
			split = Train
		case "valid":
			split = Valid
		case "test":
			split = Test
		default:
			return fmt.Errorf("split %q needs files named train*, valid* and test*; a post of author %q has no split", b.split, p.Author)
		}
	}
	b.d.PostSplit = append(b.d.PostSplit, split)
	b.d.PostAuthor = append(b.d.PostAuthor, intern(b.auth, p.Author))
	b.times = append(b.times, p.Time)
	for _, w := range text.Tokens(p.Text, text.MaxWords) {
		b.d.Tok = append(b.d.Tok, intern(b.words, w))
	}
	b.d.TokOff = append(b.d.TokOff, int32(len(b.d.Tok)))
	start := len(b.d.Tag)
	for _, t := range p.Tags {
		b.d.Tag = append(b.d.Tag, intern(b.tags, t))
	}
	b.d.TagOff = append(b.d.TagOff, int32(len(b.d.Tag)))
	b.countForms(p.Text, p.Tags, b.d.Tag[start:])
	return nil
}

// countForms counts how the hashtags keys (ids ids) of one post are written
// in its text (the platforms' rule finds the written forms; a form counts
// for the hashtag whose key it has).
func (b *Builder) countForms(s string, keys []string, ids []int32) {
	if len(keys) == 0 {
		return
	}
	for _, h := range text.FindHashtags(s) {
		for k, key := range keys {
			if key == h.Key {
				m := b.forms[ids[k]]
				if m == nil {
					m = make(map[string]int32, 1)
					b.forms[ids[k]] = m
				}
				m[h.Form]++
				break
			}
		}
	}
}

// tagForms returns, for each hashtag, its most frequent written form (ties:
// the smallest string), or the hashtag itself when no text wrote it.
func (b *Builder) tagForms(tags []string) []string {
	out := make([]string, len(tags))
	for id, key := range tags {
		out[id] = key
		best := int32(0)
		for f, c := range b.forms[int32(id)] {
			if c > best || c == best && f < out[id] {
				out[id], best = f, c
			}
		}
	}
	return out
}

func intern(m map[string]int32, s string) int32 {
	id, ok := m[s]
	if !ok {
		id = int32(len(m))
		m[s] = id
	}
	return id
}

// Build applies the protocol to the posts added and returns the dataset.
func (b *Builder) Build() *Dataset {
	d := &b.d
	n := len(d.PostSplit)
	d.Words = names(b.words)
	d.Tags = names(b.tags)
	d.TagForm = b.tagForms(d.Tags)
	b.words, b.tags, b.auth, b.forms = nil, nil, nil, nil

	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	sort.SliceStable(order, func(i, j int) bool { return b.times[order[i]] < b.times[order[j]] })
	d.TimeOrder = order
	if b.split == SplitTime {
		nTrain, nValid := n*8/10, n*9/10
		for rank, p := range order {
			switch {
			case rank < nTrain:
				d.PostSplit[p] = Train
			case rank < nValid:
				d.PostSplit[p] = Valid
			default:
				d.PostSplit[p] = Test
			}
		}
	}

	// History: posts of one author by time, ties by file order.
	byAuthor := make([]int32, n)
	for i := range byAuthor {
		byAuthor[i] = int32(i)
	}
	sort.SliceStable(byAuthor, func(i, j int) bool {
		a, c := byAuthor[i], byAuthor[j]
		if d.PostAuthor[a] != d.PostAuthor[c] {
			return d.PostAuthor[a] < d.PostAuthor[c]
		}
		return b.times[a] < b.times[c]
	})
	hist := make([][HistoryLen]int32, n)
	hlen := make([]uint8, n)
	for k, p := range byAuthor {
		for j := 1; j <= HistoryLen && k-j >= 0; j++ {
			q := byAuthor[k-j]
			if d.PostAuthor[q] != d.PostAuthor[p] {
				break
			}
			hist[p][j-1] = q
			hlen[p]++
		}
	}
	d.HistOff = make([]int32, 1, n+1)
	for p := 0; p < n; p++ {
		d.Hist = append(d.Hist, hist[p][:hlen[p]]...)
		d.HistOff = append(d.HistOff, int32(len(d.Hist)))
	}
	b.times = nil

	// Words counted over train posts; candidates: tags in >= 10 train posts.
	d.WordCount = make([]int32, len(d.Words))
	tagPosts := make([]int32, len(d.Tags))
	for p := int32(0); p < int32(n); p++ {
		if d.PostSplit[p] != Train {
			continue
		}
		for _, w := range d.Tokens(p) {
			d.WordCount[w]++
		}
		for _, t := range d.PostTags(p) { // deduplicated by the reader
			tagPosts[t]++
		}
	}
	var cands []int32
	for t, c := range tagPosts {
		if c >= MinCandidatePosts {
			cands = append(cands, int32(t))
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return tagPosts[cands[i]] > tagPosts[cands[j]] })
	d.Candidates = cands
	d.CandidateCount = make([]int32, len(cands))
	candOf := make([]int32, len(d.Tags))
	for i := range candOf {
		candOf[i] = -1
	}
	for c, t := range cands {
		candOf[t] = int32(c)
		d.CandidateCount[c] = tagPosts[t]
	}

	// Gold sets and examples.
	d.GoldOff = make([]int32, 1, n+1)
	for p := int32(0); p < int32(n); p++ {
		for _, t := range d.PostTags(p) {
			if c := candOf[t]; c >= 0 {
				d.Gold = append(d.Gold, c)
			}
		}
		d.GoldOff = append(d.GoldOff, int32(len(d.Gold)))
		if d.GoldOff[p+1] > d.GoldOff[p] {
			s := d.PostSplit[p]
			d.Examples[s] = append(d.Examples[s], p)
		}
	}
	return d
}

func names(m map[string]int32) []string {
	out := make([]string, len(m))
	for s, id := range m {
		out[id] = s
	}
	return out
}

// Counts returns what the protocol asks an implementation to print first.
func (d *Dataset) Counts() string {
	return fmt.Sprintf("filtered posts %d\ntrain examples %d\nvalid examples %d\ntest examples %d\ncandidates %d",
		d.Posts(), len(d.Examples[Train]), len(d.Examples[Valid]), len(d.Examples[Test]), len(d.Candidates))
}
