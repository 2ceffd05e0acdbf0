package dataset

import (
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hashtag-rec/hashtag/model/post"
)

func mk(author, time, txt string) post.Post {
	return post.Post{Author: author, Time: time, Text: txt, Lang: "English", Tags: Hashtags(txt)}
}

func build(t *testing.T, split string, posts []post.Post) *Dataset {
	t.Helper()
	b, err := NewBuilder("t", split)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range posts {
		if err := b.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	return b.Build()
}

func TestFilterAndHistory(t *testing.T) {
	rt := mk("a", "2016-01-01 00:00:05", "retweeted #x")
	rt.Retweet = true
	ru := mk("a", "2016-01-01 00:00:06", "russian #x")
	ru.Lang = "Russian"
	posts := []post.Post{
		mk("a", "2016-01-01 00:00:03", "third #x"),     // 0
		mk("b", "2016-01-01 00:00:01", "other author"), // 1
		mk("a", "2016-01-01 00:00:01", "first"),        // 2
		rt, ru,                                         // dropped
		mk("a", "2016-01-01 00:00:03", "tie after third in file order"), // 3
		mk("a", "2016-01-01 00:00:02", "second"),                        // 4
	}
	for i := 0; i < 6; i++ {
		posts = append(posts, mk("a", "2016-01-02 00:00:0"+string(rune('0'+i)), "later"))
	}
	d := build(t, SplitRandom, posts)
	if d.Posts() != len(posts)-2 {
		t.Fatalf("kept %d posts, want %d (retweet and non-English dropped)", d.Posts(), len(posts)-2)
	}
	// Author a by time, ties by file order: 2 (00:01), 4 (00:02), 0 (00:03), 3 (00:03), 5.. .
	want := map[int32][]int32{
		2: nil,
		4: {2},
		0: {4, 2},
		3: {0, 4, 2},
		5: {3, 0, 4, 2},
		6: {5, 3, 0, 4, 2},
		7: {6, 5, 3, 0, 4}, // only 5 kept
		1: nil,             // other author
	}
	for p, h := range want {
		if got := d.History(p); !reflect.DeepEqual(append([]int32(nil), got...), h) && !(len(got) == 0 && len(h) == 0) {
			t.Errorf("history of post %d = %v, want %v", p, got, h)
		}
	}
}

func TestRandomSplitBucket(t *testing.T) {
	p := mk("someone", "2017-03-04 05:06:07", "a text #tag")
	h := fnv.New64a()
	h.Write([]byte("someone\t2017-03-04 05:06:07\ta text #tag"))
	bucket := h.Sum64() % 100
	want := uint8(Train)
	if bucket >= 90 {
		want = Test
	} else if bucket >= 80 {
		want = Valid
	}
	d := build(t, SplitRandom, []post.Post{p})
	if d.PostSplit[0] != want {
		t.Fatalf("split %d, want %d (bucket %d)", d.PostSplit[0], want, bucket)
	}
}

func TestTimeSplitCandidatesGold(t *testing.T) {
	// 20 posts: times 00..19 written in reverse file order. The time split
	// puts the 16 earliest in train, 2 in valid, 2 in test.
	var posts []post.Post
	for i := 19; i >= 0; i-- {
		txt := "word"
		switch {
		case i < 10:
			txt += " #common #Rare"
		case i < 16:
			txt += " #common"
		default:
			txt += " #common #late"
		}
		posts = append(posts, mk("u", "2016-01-01 00:00:"+two(i), txt))
	}
	d := build(t, SplitTime, posts)
	count := [3]int{}
	for _, s := range d.PostSplit {
		count[s]++
	}
	if count != [3]int{16, 2, 2} {
		t.Fatalf("split sizes %v, want [16 2 2]", count)
	}
	// "common" is in 16 train posts, "rare" in 10 (a candidate: >= 10),
	// "late" in 4 posts, none in train.
	var names []string
	for c := range d.Candidates {
		names = append(names, d.CandidateName(int32(c)))
	}
	if !reflect.DeepEqual(names, []string{"common", "rare"}) {
		t.Fatalf("candidates %v, want [common rare]", names)
	}
	if n := [3]int{len(d.Examples[0]), len(d.Examples[1]), len(d.Examples[2])}; n != [3]int{16, 2, 2} {
		t.Fatalf("examples %v", n)
	}
	// The earliest post (time 00, last in the file) has gold [common rare].
	last := int32(len(posts) - 1)
	if g := d.GoldOf(last); !reflect.DeepEqual(append([]int32(nil), g...), []int32{0, 1}) {
		t.Fatalf("gold of earliest post = %v, want [0 1]", g)
	}
	// Hashtags never reach the words.
	for p := int32(0); p < int32(d.Posts()); p++ {
		for _, w := range d.Tokens(p) {
			if d.Words[w] != "word" {
				t.Fatalf("post %d has word %q", p, d.Words[w])
			}
		}
	}
}

func two(i int) string { return string([]byte{byte('0' + i/10), byte('0' + i%10)}) }

func TestCacheRoundTripAndCorruption(t *testing.T) {
	d := build(t, SplitRandom, []post.Post{mk("a", "2016-01-01 00:00:01", "hello world #x"), mk("a", "2016-01-01 00:00:02", "again #x")})
	path := filepath.Join(t.TempDir(), "d.ds")
	if err := d.Save(path); err != nil {
		t.Fatal(err)
	}
	e, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(e.Tok, d.Tok) || !reflect.DeepEqual(e.Words, d.Words) || !reflect.DeepEqual(e.HistOff, d.HistOff) {
		t.Fatal("cache round trip changed the dataset")
	}
	b, _ := os.ReadFile(path)
	for name, bad := range map[string][]byte{
		"truncated": b[:len(b)-3],
		"flipped":   flip(b, len(b)-5),
		"foreign":   []byte("PK\x03\x04 not a cache at all, a zip maybe"),
		"empty":     nil,
		"newer":     func() []byte { c := append([]byte(nil), b...); c[8] = 99; return c }(),
	} {
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, bad, 0o644)
		if _, err := Load(p); err == nil {
			t.Errorf("%s cache loaded without error", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0x40
	return c
}

// TestReferenceCounts checks the counts of BENCHMARK.md on the shared
// corpora: the IRA file is read once and fed to both split builders.
func TestReferenceCounts(t *testing.T) {
	ira := "../../../shared/data/ira/ira_tweets.csv.gz"
	hyt := "../../../shared/data/howyoutag"
	if _, err := os.Stat(ira); err != nil {
		t.Skipf("shared corpora absent (%v): reference counts not checked", err)
	}
	if testing.Short() {
		t.Skip("-short: reading the 150 MB IRA corpus is skipped")
	}
	type counts struct{ posts, train, valid, test, cands int }
	of := func(d *Dataset) counts {
		return counts{d.Posts(), len(d.Examples[0]), len(d.Examples[1]), len(d.Examples[2]), len(d.Candidates)}
	}
	random, _ := NewBuilder("ira", SplitRandom)
	tm, _ := NewBuilder("ira", SplitTime)
	_, _, err := ReadFile(ira, "", post.Options{}, func(p post.Post) error {
		if err := random.Add(p); err != nil {
			return err
		}
		return tm.Add(p)
	})
	if err != nil {
		t.Fatal(err)
	}
	// Reference counts: BENCHMARK.md, "Reference counts".
	if got, want := of(random.Build()), (counts{902711, 302397, 37851, 37721, 2748}); got != want {
		t.Errorf("ira/random: %+v, want %+v", got, want)
	}
	if got, want := of(tm.Build()), (counts{902711, 317739, 34776, 7909, 2803}); got != want {
		t.Errorf("ira/time: %+v, want %+v", got, want)
	}
	d, err := Prepare(Source{Paths: []string{hyt}, Split: SplitGiven})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := of(d), (counts{33881, 9559, 2338, 2295, 640}); got != want {
		t.Errorf("howyoutag/given: %+v, want %+v", got, want)
	}
}

// TestTimeOrder checks the posts' time order (ties by file order).
func TestTimeOrder(t *testing.T) {
	var ps []post.Post
	// 20 posts, written newest first for author a, oldest first for b.
	for i := 0; i < 10; i++ {
		ps = append(ps, mk("a", fmt.Sprintf("2016-01-%02d 00:00:00", 20-i), fmt.Sprintf("post %d #x", i)))
	}
	for i := 0; i < 10; i++ {
		ps = append(ps, mk("b", fmt.Sprintf("2016-01-%02d 00:00:00", 1+i), fmt.Sprintf("other %d #y", i)))
	}
	ps = append(ps, mk("c", "2016-01-05 00:00:00", "tie #z")) // the same time as b's 5th: after it
	d := build(t, SplitTime, ps)
	if len(d.TimeOrder) != d.Posts() {
		t.Fatalf("%d posts in time order, %d posts", len(d.TimeOrder), d.Posts())
	}
	for i := 1; i < len(d.TimeOrder); i++ {
		a, b := d.TimeOrder[i-1], d.TimeOrder[i]
		if ps[a].Time > ps[b].Time || ps[a].Time == ps[b].Time && a > b {
			t.Fatalf("time order: post %d (%s) before post %d (%s)", a, ps[a].Time, b, ps[b].Time)
		}
	}
}
