package dataset

import (
	"fmt"
	"os"
	"reflect"
	"testing"

	"github.com/hashtag-rec/hashtag/model/post"
)

// TestOpenStatsByHand: open examples are the test posts with any hashtag;
// their gold is every hashtag, counted as a candidate or as standing in the
// history's hashtags one by one.
func TestOpenStatsByHand(t *testing.T) {
	b, err := NewBuilder("t", SplitGiven)
	if err != nil {
		t.Fatal(err)
	}
	add := func(author, split string, tags ...string) {
		if err := b.Add(post.Post{Author: author, Text: "words", Tags: append([]string{}, tags...), Split: split}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < MinCandidatePosts; i++ {
		add("o", "train", "cand", "rare") // rare: also in a valid post below
	}
	add("o", "valid", "rare")
	add("u", "train", "old")      // 11: history of 12..
	add("u", "valid", "cand")     // 12
	add("u", "test")              // 13: no hashtag, not an open example
	add("u", "test", "cand", "x") // 14: cand in history (12), candidate; x neither
	add("u", "test", "old", "y")  // 15: old in history (11), y neither
	d := b.Build()
	// rare: 10 train posts, a candidate too; old: 1 train post.
	if got := d.OpenExamples(Test); !reflect.DeepEqual(got, []int32{14, 15}) {
		t.Fatalf("open test examples %v, want [14 15]", got)
	}
	if got := d.OpenExamples(Valid); !reflect.DeepEqual(got, []int32{10, 12}) {
		t.Fatalf("open valid examples %v, want [10 12]", got)
	}
	st := d.OpenStatsOf(d.OpenExamples(Test))
	if want := (OpenStats{Examples: 2, Gold: 4, Candidate: 1, InHistory: 2}); st != want {
		t.Fatalf("open stats %+v, want %+v", st, want)
	}
	if st.CandidateFrac() != 0.25 || st.HistoryFrac() != 0.5 {
		t.Fatalf("fractions %v %v, want 0.25 0.5", st.CandidateFrac(), st.HistoryFrac())
	}
	n := d.TrainTagPosts()
	for tag, want := range map[string]int32{"cand": 10, "rare": 10, "old": 1, "x": 0, "y": 0} {
		if got := n[tagID(d, tag)]; got != want {
			t.Errorf("train posts of %s = %d, want %d", tag, got, want)
		}
	}
	if (OpenStats{}).CandidateFrac() != 0 {
		t.Error("fraction of no gold is not 0")
	}
}

func tagID(d *Dataset, name string) int32 {
	for i, t := range d.Tags {
		if t == name {
			return int32(i)
		}
	}
	return -1
}

// TestOpenReferenceCounts checks the open evaluation's reference counts of
// ../shared/BENCHMARK.md (open test examples, gold hashtags, fraction of the
// gold that is a candidate, fraction in the 5 history posts). The prepared
// datasets are cached in the repository's .cache, as "hashtag eval" does.
func TestOpenReferenceCounts(t *testing.T) {
	ira := "../../../shared/data/ira/ira_tweets.csv.gz"
	hyt := "../../../shared/data/howyoutag"
	for _, p := range []string{ira, hyt} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("shared corpora absent (%v): open reference counts not checked", err)
		}
	}
	if testing.Short() {
		t.Skip("-short: preparing the 150 MB IRA corpus is skipped")
	}
	for _, c := range []struct {
		name, path, split string
		want              string // BENCHMARK.md, "Open evaluation (secondary)"
	}{
		{"ira/random", ira, SplitRandom, "40048 60353 0.908 0.641"},
		{"ira/time", ira, SplitTime, "14590 21435 0.594 0.670"},
		{"howyoutag/given", hyt, SplitGiven, "6405 12955 0.309 0.305"},
	} {
		d, _, _, err := Open(Source{Paths: []string{c.path}, Split: c.split}, "../../.cache")
		if err != nil {
			t.Fatal(err)
		}
		st := d.OpenStatsOf(d.OpenExamples(Test))
		got := fmt.Sprintf("%d %d %.3f %.3f", st.Examples, st.Gold, st.CandidateFrac(), st.HistoryFrac())
		if got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
