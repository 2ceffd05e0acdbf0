package eval

import (
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// openFixture builds a pre-split dataset by hand. Author "o" sets the train
// post counts: pb and pop in 10 train posts each (candidates), a in 4, x in
// 3, y in 1. Author "u" has five valid posts (which count for no train
// post) and then the scored test post, whose history, most recent first, is:
//
//	h0: y x    h1: b a    h2: c a    h3: e d    h4: c
//
// Tags v and w stand only in a valid post of "o" (0 train posts).
func openFixture(t *testing.T) (*dataset.Dataset, int32) {
	t.Helper()
	b, err := dataset.NewBuilder("t", dataset.SplitGiven)
	if err != nil {
		t.Fatal(err)
	}
	add := func(author, split string, tags ...string) {
		if err := b.Add(post.Post{Author: author, Text: "some words", Tags: append([]string{}, tags...), Split: split}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 10; i++ {
		add("o", "train", "pop", "pb")
	}
	for i := 0; i < 4; i++ {
		add("o", "train", "a")
	}
	for i := 0; i < 3; i++ {
		add("o", "train", "x")
	}
	add("o", "train", "y")
	add("o", "valid", "w", "v")
	// u's history, oldest first (file order is time order here).
	add("u", "valid", "c")
	add("u", "valid", "e", "d")
	add("u", "valid", "c", "a")
	add("u", "valid", "b", "a")
	add("u", "valid", "y", "x")
	add("u", "test", "x", "q")
	d := b.Build()
	return d, int32(d.Posts() - 1)
}

func tagNames(d *dataset.Dataset, ids []int32) string {
	s := make([]string, len(ids))
	for i, t := range ids {
		s[i] = d.Tags[t]
	}
	return strings.Join(s, " ")
}

// TestPopularOpenOrder: train post counts first, ties by name (pb before
// pop, v before w among the hashtags of no train post).
func TestPopularOpenOrder(t *testing.T) {
	d, p := openFixture(t)
	pop := NewPopularOpen(d)
	if got := tagNames(d, pop.RankOpen(d, p, 5, nil)); got != "pb pop a x y" {
		t.Fatalf("popular-open top 5 = %q, want %q", got, "pb pop a x y")
	}
	if got := tagNames(d, pop.Order[5:]); got != "b c d e q v w" {
		t.Fatalf("popular-open after y = %q, want the tags of no train post by name", got)
	}
	// Closed: the candidates (pb, pop) in that order, as candidate indices.
	got := pop.Rank(d, p, 5, nil)
	if len(got) != 2 || d.CandidateName(got[0]) != "pb" || d.CandidateName(got[1]) != "pop" {
		t.Fatalf("popular-open closed = %v, want [pb pop]", got)
	}
}

// TestUserTagsOpenOrder checks every tie-break of user-tags-open and the
// filling from popular-open without repeats.
func TestUserTagsOpenOrder(t *testing.T) {
	d, p := openFixture(t)
	u := NewUserTagsOpen(d)
	// a, c: 2 posts each, a in the more recent (h1 against h2).
	// x, y: 1 post, both h0: x has 3 train posts, y 1.
	// b: 1 post, h1. d, e: 1 post, h3, no train post: by name.
	// Then popular-open without a, x, y: pb, pop, then q, v, w by name
	// (b, c, d, e already ranked).
	want := "a c x y b d e pb pop q v"
	if got := tagNames(d, u.RankOpen(d, p, 11, nil)); got != want {
		t.Fatalf("user-tags-open = %q, want %q", got, want)
	}
	for k := 1; k <= 11; k++ {
		got := tagNames(d, u.RankOpen(d, p, k, []int32{99}[:0]))
		if w := strings.Join(strings.Fields(want)[:k], " "); got != w {
			t.Errorf("k=%d: %q, want %q", k, got, w)
		}
	}
	// dst's earlier contents are kept and do not count as ranked.
	if got := u.RankOpen(d, p, 2, []int32{7}); len(got) != 3 || got[0] != 7 {
		t.Errorf("RankOpen with a non-empty dst = %v", got)
	}
	// Closed ranking: only pb and pop are candidates; they come after 7
	// non-candidates, so the ranker must be asked for more than k.
	got := u.Rank(d, p, 2, nil)
	if len(got) != 2 || d.CandidateName(got[0]) != "pb" || d.CandidateName(got[1]) != "pop" {
		t.Fatalf("user-tags-open closed = %v, want [pb pop]", got)
	}
	// A post without history gets popular-open.
	first := int32(0)
	if got := tagNames(d, u.RankOpen(d, first, 3, nil)); got != "pb pop a" {
		t.Fatalf("no history: %q, want popular-open's", got)
	}
}

// TestEvaluateOpen scores the fixture's one open test example (gold x, q)
// by hand, and a closed ranker over candidates.
func TestEvaluateOpen(t *testing.T) {
	d, p := openFixture(t)
	if ex := d.OpenExamples(dataset.Test); !reflect.DeepEqual(ex, []int32{p}) {
		t.Fatalf("open test examples %v, want [%d]", ex, p)
	}
	// user-tags-open: a c x y b: x at rank 3; q never in the top 5.
	tb := EvaluateOpen(d, dataset.Test, NewUserTagsOpen(d))
	wantP := [MaxK]float64{0, 0, 1.0 / 3, 1.0 / 4, 1.0 / 5}
	wantR := [MaxK]float64{0, 0, 0.5, 0.5, 0.5}
	for k := range wantP {
		if math.Abs(tb.P[k]-wantP[k]) > 1e-12 || math.Abs(tb.R[k]-wantR[k]) > 1e-12 {
			t.Errorf("k=%d: P %.4f R %.4f, want %.4f %.4f", k+1, tb.P[k], tb.R[k], wantP[k], wantR[k])
		}
	}
	// popular over candidates can only say pb, pop: no hit, and the post
	// is no closed example (no candidate gold) yet still an open one.
	o, native := Open(Popular{})
	if native {
		t.Fatal("Popular reported as an open ranker")
	}
	if got := tagNames(d, o.RankOpen(d, p, 5, nil)); got != "pop pb" && got != "pb pop" {
		t.Fatalf("popular over candidates = %q", got)
	}
	if tb := EvaluateOpen(d, dataset.Test, o); tb.N != 1 || tb.F1 != [MaxK]float64{} {
		t.Fatalf("popular over candidates scored %+v, want 1 example, no hit", tb)
	}
	if _, native := Open(NewUserTagsOpen(d)); !native {
		t.Fatal("UserTagsOpen not recognised as an open ranker")
	}
	if _, native := Open(closedOpen{NewUserTagsOpen(d)}); native {
		t.Fatal("an OpenRanker that says it ranks candidates only taken as ranking any hashtag")
	}
}

// TestOpenReference checks the open evaluation's reference table of
// ../shared/BENCHMARK.md: the counts and the two peers' scores on ira/random,
// ira/time and howyoutag. The prepared datasets are cached in .cache at the
// repository's root, as "hashtag eval" caches them.
func TestOpenReference(t *testing.T) {
	ira := "../../../shared/data/ira/ira_tweets.csv.gz"
	hyt := "../../../shared/data/howyoutag"
	for _, p := range []string{ira, hyt} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("shared corpora absent (%v): open reference not checked", err)
		}
	}
	if testing.Short() {
		t.Skip("-short: preparing the 150 MB IRA corpus is skipped")
	}
	// BENCHMARK.md, "Open evaluation (secondary)": open test examples, gold
	// hashtags, gold that is a candidate, gold in the 5 history posts,
	// popular-open F1@1, user-tags-open F1@1 and F1@5.
	type ref struct {
		examples, gold                   int
		cand, hist, popF1, userF1, user5 string
	}
	for _, c := range []struct {
		name, path, split string
		want              ref
	}{
		{"ira/random", ira, dataset.SplitRandom, ref{40048, 60353, "0.908", "0.641", "0.065", "0.455", "0.304"}},
		{"ira/time", ira, dataset.SplitTime, ref{14590, 21435, "0.594", "0.670", "0.000", "0.566", "0.301"}},
		{"howyoutag/given", hyt, dataset.SplitGiven, ref{6405, 12955, "0.309", "0.305", "0.005", "0.156", "0.137"}},
	} {
		d, _, _, err := dataset.Open(dataset.Source{Paths: []string{c.path}, Split: c.split}, "../../.cache")
		if err != nil {
			t.Fatal(err)
		}
		st := d.OpenStatsOf(d.OpenExamples(dataset.Test))
		pop := EvaluateOpen(d, dataset.Test, NewPopularOpen(d))
		user := EvaluateOpen(d, dataset.Test, NewUserTagsOpen(d))
		f := func(x float64) string { return fmt.Sprintf("%.3f", x) }
		got := ref{st.Examples, st.Gold, f(st.CandidateFrac()), f(st.HistoryFrac()), f(pop.F1[0]), f(user.F1[0]), f(user.F1[4])}
		t.Logf("%s: %+v (popular-open F1@5 %.3f; user-tags-open P@1 %.3f R@1 %.3f)", c.name, got, pop.F1[4], user.P[0], user.R[0])
		if got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
		if pop.N != st.Examples || user.N != st.Examples {
			t.Errorf("%s: scored %d and %d examples, want %d", c.name, pop.N, user.N, st.Examples)
		}
	}
}

// closedOpen is an OpenRanker whose model reaches the candidates only.
type closedOpen struct{ *UserTagsOpen }

func (closedOpen) RanksAnyHashtag() bool { return false }
