package eval

import (
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// Popular ranks the candidates by how many train posts carry them; the
// dataset keeps Candidates in that order already.
type Popular struct{}

// Rank implements Ranker.
func (Popular) Rank(d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	for c := int32(0); c < int32(len(d.Candidates)) && k > 0; c++ {
		dst = append(dst, c)
		k--
	}
	return dst
}

// UserTags ranks the candidate hashtags of the author's history posts by
// how many of those posts carry them, ties broken by recency (the most
// recent post first), then fills up with Popular. It reads the hashtags of
// history posts, which the paper's setup removes: it stands outside that
// setup and is reported as such.
type UserTags struct{}

// Rank implements Ranker.
func (UserTags) Rank(d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	start := len(dst)
	var seen [dataset.HistoryLen * 16]struct {
		c     int32
		count int
	}
	n := 0
	candOf := d.CandidateIndex()
	for _, h := range d.History(p) { // most recent first: first seen is most recent
		for _, t := range d.PostTags(h) {
			c := candOf[t]
			if c < 0 {
				continue
			}
			found := false
			for i := 0; i < n; i++ {
				if seen[i].c == c {
					seen[i].count++
					found = true
					break
				}
			}
			if !found && n < len(seen) {
				seen[n].c, seen[n].count = c, 1
				n++
			}
		}
	}
	// Stable selection by count: equal counts keep first-seen (recency) order.
	for len(dst)-start < k && n > 0 {
		best := 0
		for i := 1; i < n; i++ {
			if seen[i].count > seen[best].count {
				best = i
			}
		}
		dst = append(dst, seen[best].c)
		copy(seen[best:n], seen[best+1:n])
		n--
	}
	for c := int32(0); c < int32(len(d.Candidates)) && len(dst)-start < k; c++ {
		if !contains(dst[start:], c) {
			dst = append(dst, c)
		}
	}
	return dst
}
