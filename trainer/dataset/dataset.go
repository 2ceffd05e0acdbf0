// Package dataset implements the benchmark protocol of ../shared/BENCHMARK.md:
// which posts are kept, their order, each post's history of 5, the random
// and time splits, the candidate hashtags, the examples and their gold sets.
//
// A Dataset is built once from a corpus (Prepare) and cached in a compact
// binary file (Save, Load) with a format version and a checksum, so that
// later commands need not re-read a 150 MB CSV.
//
// Storage is flat (compressed sparse rows): the words of post p are
// Tok[TokOff[p]:TokOff[p+1]], and likewise for hashtags, history and gold.
// Word ids index Words, hashtag ids index Tags, candidate indices index
// Candidates.
//
// Words are produced by text.Tokens from the post's raw text with its
// hashtags removed, so no post's own or history text ever shows a hashtag to
// a model; hashtags are kept apart (Tag) for the methods that use a
// history's hashtags, which the paper's setup forbids.
package dataset

import "sync"

// Split of a post.
const (
	Train = 0
	Valid = 1
	Test  = 2
)

// SplitNames names the splits by index.
var SplitNames = [3]string{"train", "valid", "test"}

// HistoryLen is the number of earlier posts kept as a post's history.
const HistoryLen = 5

// Dataset is a corpus prepared by the benchmark protocol.
type Dataset struct {
	Corpus string // corpus name, e.g. "ira"
	Split  string // "random", "time" or "given"
	Source string // what it was prepared from (paths)

	Words     []string // word vocabulary, id = index
	WordCount []int32  // occurrences of each word in train-split posts
	Tags      []string // every hashtag seen in a filtered post, id = index
	// TagForm is each hashtag's most frequent written form in the posts'
	// texts (e.g. "ClimateMarch" for "climatemarch"), to show it in its
	// usual casing; the hashtag itself where no text wrote it.
	TagForm []string
	// Candidates are the tag ids of the candidate hashtags (in at least
	// MinCandidatePosts distinct train-split posts), most frequent first.
	// A candidate index c names Tags[Candidates[c]].
	Candidates []int32
	// CandidateCount is the number of train-split posts of each candidate.
	CandidateCount []int32

	PostAuthor []int32 // author id of each filtered post (ids are local)
	PostSplit  []uint8 // Train, Valid or Test

	TokOff, Tok   []int32 // words of each post
	TagOff, Tag   []int32 // all hashtag ids of each post, in order of appearance
	HistOff, Hist []int32 // history post indices, most recent first (<= HistoryLen)
	GoldOff, Gold []int32 // candidate indices of each post's gold set (empty: not an example)

	// Examples lists, per split, the indices of the posts that are examples.
	Examples [3][]int32

	// TimeOrder lists every filtered post, oldest first (by time, ties by
	// file order; file order for a corpus without times).
	TimeOrder []int32

	candOnce sync.Once
	candOf   []int32
}

// MinCandidatePosts is the protocol's threshold for a candidate hashtag.
const MinCandidatePosts = 10

// Posts returns the number of filtered posts.
func (d *Dataset) Posts() int { return len(d.PostSplit) }

// Tokens returns the word ids of post p.
func (d *Dataset) Tokens(p int32) []int32 { return d.Tok[d.TokOff[p]:d.TokOff[p+1]] }

// PostTags returns the hashtag ids of post p, in order of appearance.
func (d *Dataset) PostTags(p int32) []int32 { return d.Tag[d.TagOff[p]:d.TagOff[p+1]] }

// History returns the history post indices of post p, most recent first.
func (d *Dataset) History(p int32) []int32 { return d.Hist[d.HistOff[p]:d.HistOff[p+1]] }

// GoldOf returns the gold candidate indices of post p (empty if p is not an
// example).
func (d *Dataset) GoldOf(p int32) []int32 { return d.Gold[d.GoldOff[p]:d.GoldOff[p+1]] }

// CandidateName returns the hashtag of candidate index c.
func (d *Dataset) CandidateName(c int32) string { return d.Tags[d.Candidates[c]] }

// CandidateIndex returns, for every tag id, its candidate index or -1. It is
// computed once, on first use, and is safe for concurrent use.
func (d *Dataset) CandidateIndex() []int32 {
	d.candOnce.Do(func() {
		d.candOf = make([]int32, len(d.Tags))
		for i := range d.candOf {
			d.candOf[i] = -1
		}
		for c, t := range d.Candidates {
			d.candOf[t] = int32(c)
		}
	})
	return d.candOf
}
