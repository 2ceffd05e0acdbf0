package dataset

import "fmt"

// The open evaluation of ../shared/BENCHMARK.md ("Open evaluation
// (secondary)") scores any hashtag, not only the candidates: its examples
// are the posts of a split with at least one hashtag, and a post's open gold
// is all its hashtags, PostTags(p) (for howyoutag, its hashtag fields).

// OpenExamples returns, in post order, the posts of split s (Train, Valid or
// Test) that carry at least one hashtag: the open examples.
func (d *Dataset) OpenExamples(s int) []int32 {
	var out []int32
	for p := int32(0); p < int32(d.Posts()); p++ {
		if int(d.PostSplit[p]) == s && d.TagOff[p+1] > d.TagOff[p] {
			out = append(out, p)
		}
	}
	return out
}

// TrainTagPosts returns, for every tag id, the number of train-split posts
// that carry that hashtag, whether or not the post is an example (a post's
// hashtags are deduplicated, so this counts posts).
func (d *Dataset) TrainTagPosts() []int32 {
	n := make([]int32, len(d.Tags))
	for p := int32(0); p < int32(d.Posts()); p++ {
		if d.PostSplit[p] != Train {
			continue
		}
		for _, t := range d.PostTags(p) {
			n[t]++
		}
	}
	return n
}

// OpenStats are the counts the open evaluation prints for a list of open
// examples: how many, how many gold hashtags in all, and how many of those
// are candidates or stand among the hashtags of the post's history posts.
type OpenStats struct {
	Examples  int // open examples
	Gold      int // gold hashtags, summed over the examples
	Candidate int // gold hashtags that are candidates
	InHistory int // gold hashtags carried by at least one of the post's history posts
}

// OpenStatsOf counts the open statistics of the given posts.
func (d *Dataset) OpenStatsOf(posts []int32) OpenStats {
	st := OpenStats{Examples: len(posts)}
	candOf := d.CandidateIndex()
	for _, p := range posts {
		hist := d.History(p)
		for _, t := range d.PostTags(p) {
			st.Gold++
			if candOf[t] >= 0 {
				st.Candidate++
			}
			if d.inHistory(hist, t) {
				st.InHistory++
			}
		}
	}
	return st
}

func (d *Dataset) inHistory(hist []int32, t int32) bool {
	for _, h := range hist {
		for _, u := range d.PostTags(h) {
			if u == t {
				return true
			}
		}
	}
	return false
}

// CandidateFrac is the fraction of the gold hashtags that are candidates
// (0 without gold).
func (s OpenStats) CandidateFrac() float64 { return frac(s.Candidate, s.Gold) }

// HistoryFrac is the fraction of the gold hashtags that stand in the 5
// history posts (0 without gold).
func (s OpenStats) HistoryFrac() float64 { return frac(s.InHistory, s.Gold) }

func frac(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// String prints the counts in the layout of Counts, one per line, the
// fractions with three decimals.
func (s OpenStats) String() string {
	return fmt.Sprintf("open examples %d\ngold hashtags %d\ngold that is a candidate %.3f\ngold in the 5 history posts %.3f",
		s.Examples, s.Gold, s.CandidateFrac(), s.HistoryFrac())
}
