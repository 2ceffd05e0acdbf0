package eval

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// The open evaluation of ../shared/BENCHMARK.md ("Open evaluation
// (secondary)"): every post of the split with at least one hashtag is an
// example, its gold is all its hashtags (d.PostTags), and a method may rank
// any hashtag. P@k, R@k and F1@k are computed as in the closed protocol.

// OpenRanker ranks any hashtag for a post: tag ids index d.Tags.
type OpenRanker interface {
	// RankOpen appends to dst the k best tag ids for post p of d, best first,
	// without repeats, and returns the extended slice; safe for concurrent use.
	RankOpen(d *dataset.Dataset, p int32, k int, dst []int32) []int32
}

// EvaluateOpen ranks every open example of the split (d.OpenExamples) with
// r, using all cores, and returns the finished table against the open gold.
func EvaluateOpen(d *dataset.Dataset, split int, r OpenRanker) Table {
	return EvaluateOpenPosts(d, d.OpenExamples(split), r)
}

// EvaluateOpenPosts is EvaluateOpen over a chosen list of open examples.
func EvaluateOpenPosts(d *dataset.Dataset, posts []int32, r OpenRanker) Table {
	return evaluate(posts, r.RankOpen, d.PostTags, d)
}

// OverCandidates scores a closed Ranker in the open evaluation: its ranked
// candidate indices become their tag ids. It can never suggest a hashtag
// that is not a candidate.
type OverCandidates struct{ Ranker }

// RankOpen implements OpenRanker.
func (o OverCandidates) RankOpen(d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	start := len(dst)
	dst = o.Rank(d, p, k, dst)
	for i := start; i < len(dst); i++ {
		dst[i] = d.Candidates[dst[i]]
	}
	return dst
}

// AnyHashtag is implemented by an OpenRanker whose reach depends on its
// model (a trained ranker serving several variants): RanksAnyHashtag
// reports whether it can rank hashtags that are not candidates (false: its
// open ranking is its candidate ranking).
type AnyHashtag interface {
	RanksAnyHashtag() bool
}

// Open returns r as an OpenRanker: itself when it implements OpenRanker,
// else OverCandidates{r}. native reports whether it can rank hashtags
// outside the candidates: an OpenRanker can, unless it implements
// AnyHashtag and says it cannot.
func Open(r Ranker) (o OpenRanker, native bool) {
	if o, ok := r.(OpenRanker); ok {
		if a, ok := r.(AnyHashtag); ok {
			return o, a.RanksAnyHashtag()
		}
		return o, true
	}
	return OverCandidates{r}, false
}

// RankCandidates is the closed ranking of an OpenRanker: its open ranking
// restricted to the candidates, as candidate indices. It asks r for more
// hashtags until k candidates are found or r has no more.
func RankCandidates(r OpenRanker, d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	candOf := d.CandidateIndex()
	start := len(dst)
	var buf []int32
	for want := k; ; want *= 2 {
		buf = r.RankOpen(d, p, want, buf[:0])
		dst = dst[:start]
		for _, t := range buf {
			if c := candOf[t]; c >= 0 && len(dst)-start < k {
				dst = append(dst, c)
			}
		}
		if len(dst)-start >= k || len(buf) < want || want >= len(d.Tags) {
			return dst
		}
	}
}

// PopularOpen ranks every hashtag by the number of train-split posts that
// carry it (any post, example or not), ties by name: BENCHMARK.md's
// popular-open peer. Build it with NewPopularOpen for the dataset it ranks.
type PopularOpen struct {
	// Order is every tag id, best first.
	Order []int32
	// TrainPosts is d.TrainTagPosts() of the dataset it was built for.
	TrainPosts []int32
}

// NewPopularOpen ranks the hashtags of d.
func NewPopularOpen(d *dataset.Dataset) *PopularOpen {
	n := d.TrainTagPosts()
	order := make([]int32, len(d.Tags))
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if n[a] != n[b] {
			return n[a] > n[b]
		}
		return d.Tags[a] < d.Tags[b]
	})
	return &PopularOpen{Order: order, TrainPosts: n}
}

// RankOpen implements OpenRanker: the same k hashtags for every post.
func (o *PopularOpen) RankOpen(d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	return append(dst, o.Order[:min(k, len(o.Order))]...)
}

// Rank implements Ranker: the candidates in the order of RankOpen (popular
// with ties by name).
func (o *PopularOpen) Rank(d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	return RankCandidates(o, d, p, k, dst)
}

// fill appends to dst[start:] hashtags of o.Order not yet there until it
// holds k.
func (o *PopularOpen) fill(dst []int32, start, k int) []int32 {
	for _, t := range o.Order {
		if len(dst)-start >= k {
			break
		}
		if !contains(dst[start:], t) {
			dst = append(dst, t)
		}
	}
	return dst
}

// UserTagsOpen is BENCHMARK.md's user-tags-open peer: the hashtags of the
// post's history posts (at most 5) ranked by the number of those posts that
// carry them, then by recency (the most recent history post carrying it
// first), then by train post count, then by name; filled up to k from
// PopularOpen with hashtags not yet ranked. It reads the history posts'
// hashtags, outside the paper's setup.
type UserTagsOpen struct{ Pop *PopularOpen }

// NewUserTagsOpen builds the peer for the hashtags of d.
func NewUserTagsOpen(d *dataset.Dataset) *UserTagsOpen {
	return &UserTagsOpen{Pop: NewPopularOpen(d)}
}

// histTag is a hashtag of the history: how many history posts carry it and
// the index (0: most recent) of the most recent one.
type histTag struct {
	t, count, recent int32
}

// RankOpen implements OpenRanker.
func (u *UserTagsOpen) RankOpen(d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	start := len(dst)
	var store [64]histTag
	seen := store[:0]
	for i, h := range d.History(p) { // most recent first
		for _, t := range d.PostTags(h) { // deduplicated: one count per post
			j := 0
			for j < len(seen) && seen[j].t != t {
				j++
			}
			if j == len(seen) {
				seen = append(seen, histTag{t: t, recent: int32(i)})
			}
			seen[j].count++
		}
	}
	n := u.Pop.TrainPosts
	slices.SortFunc(seen, func(a, b histTag) int {
		if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		if c := cmp.Compare(a.recent, b.recent); c != 0 {
			return c
		}
		if c := cmp.Compare(n[b.t], n[a.t]); c != 0 {
			return c
		}
		return strings.Compare(d.Tags[a.t], d.Tags[b.t])
	})
	for _, s := range seen {
		if len(dst)-start >= k {
			return dst
		}
		dst = append(dst, s.t)
	}
	return u.Pop.fill(dst, start, k)
}

// Rank implements Ranker: the candidates in the order of RankOpen.
func (u *UserTagsOpen) Rank(d *dataset.Dataset, p int32, k int, dst []int32) []int32 {
	return RankCandidates(u, d, p, k, dst)
}
