package trainer

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

// synthPosts makes a small corpus where each author mostly reuses one
// hashtag and each hashtag has topic words, so that a model can learn.
func synthPosts(seed uint64, authors, perAuthor int) []post.Post {
	r := rand.New(rand.NewPCG(seed, 7))
	topics := [][]string{
		{"election", "ballot", "senate", "voters"},
		{"football", "goal", "match", "league"},
		{"recipe", "dinner", "kitchen", "bake"},
		{"stocks", "market", "trading", "profit"},
		{"concert", "album", "guitar", "singer"},
		{"weather", "storm", "rain", "sunny"},
	}
	tags := []string{"politics", "sports", "food", "money", "music", "news"}
	filler := []string{"today", "really", "great", "people", "think", "know", "time", "world"}
	var ps []post.Post
	for a := 0; a < authors; a++ {
		fav := r.IntN(len(tags))
		for i := 0; i < perAuthor; i++ {
			t := fav
			if r.IntN(3) == 0 {
				t = r.IntN(len(tags))
			}
			var w []string
			for j := 0; j < 2+r.IntN(4); j++ {
				if r.IntN(2) == 0 {
					w = append(w, topics[t][r.IntN(4)])
				} else {
					w = append(w, filler[r.IntN(len(filler))])
				}
			}
			txt := strings.Join(w, " ")
			switch r.IntN(5) {
			case 0: // no hashtag
			case 1:
				txt += " #" + tags[t] + " #" + tags[(t+1)%len(tags)]
			default:
				txt += " #" + strings.ToUpper(tags[t][:1]) + tags[t][1:]
			}
			ps = append(ps, post.Post{Author: fmt.Sprintf("user%d", a), Time: fmt.Sprintf("2016-01-%02d 10:%02d:00", 1+i/60, i%60),
				Text: txt, Lang: "English", Tags: dataset.Hashtags(txt)})
		}
	}
	return ps
}

func synthDataset(t testing.TB, seed uint64) (*dataset.Dataset, []post.Post) {
	t.Helper()
	ps := synthPosts(seed, 40, 30)
	b, err := dataset.NewBuilder("synth", "random")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if err := b.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	return b.Build(), ps
}

func quickOptions(v model.Variant, dir string) Options {
	o := DefaultOptions(v)
	o.Config.Dim = 16
	o.MinCount = 1
	o.Epochs = 3
	o.Patience = 0
	o.Batch = 16
	o.LR = 0.1
	o.Workers = 2
	o.Out = dir
	return o
}

func TestTrainLearnsAndIsDeterministic(t *testing.T) {
	d, _ := synthDataset(t, 1)
	for _, v := range model.Variants() {
		dir1, dir2 := t.TempDir(), t.TempDir()
		r1, err := Train(d, quickOptions(v, dir1))
		if err != nil {
			t.Fatal(err)
		}
		first, last := r1.Epochs[0], r1.Epochs[len(r1.Epochs)-1]
		t.Logf("%s: loss %.3f -> %.3f, valid P@1 %.3f -> %.3f", v, first.Loss, last.Loss, first.ValidP1, last.ValidP1)
		if !(last.Loss < first.Loss) {
			t.Errorf("%s: loss did not fall: %v", v, r1.Epochs)
		}
		// 6 tags, each author's favourite used 2/3 of the time: chance is 1/6.
		if last.ValidP1 < 0.4 {
			t.Errorf("%s: validation P@1 %.3f, want >= 0.4", v, last.ValidP1)
		}
		if _, err := Train(d, quickOptions(v, dir2)); err != nil {
			t.Fatal(err)
		}
		a, _ := os.ReadFile(filepath.Join(dir1, BestModelFile))
		b, _ := os.ReadFile(filepath.Join(dir2, BestModelFile))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: two runs with the same seed gave different models", v)
		}
	}
}

// TestResume checks that a run stopped after epoch 2 and resumed gives the
// same model as an uninterrupted run of 3 epochs.
func TestResume(t *testing.T) {
	for _, v := range []model.Variant{model.HMemN2NTags, model.HMemN2NCopy} {
		t.Run(v.String(), func(t *testing.T) { testResume(t, v, func(*Options) {}) })
	}
	t.Run("hmemn2n-copy/hide-tags", func(t *testing.T) {
		testResume(t, model.HMemN2NCopy, func(o *Options) { o.HideTags = 0.3 })
	})
	t.Run("hmemn2n/time-chunks", func(t *testing.T) {
		testResume(t, model.HMemN2N, func(o *Options) { o.TimeChunks = 3 })
	})
	t.Run("hmemn2n-copy/word-dropout,tag-posts,select-open,calibrate", func(t *testing.T) {
		testResume(t, model.HMemN2NCopy, func(o *Options) {
			o.WordDropout, o.TagPosts, o.SelectOpen, o.Calibrate = 0.3, 2, true, true
		})
	})
}

func testResume(t *testing.T, v model.Variant, set func(*Options)) {
	d, _ := synthDataset(t, 2)
	dirA, dirB := t.TempDir(), t.TempDir()
	oa := quickOptions(v, dirA)
	set(&oa)
	if _, err := Train(d, oa); err != nil {
		t.Fatal(err)
	}
	ob := quickOptions(v, dirB)
	set(&ob)
	ob.Epochs = 2
	if _, err := Train(d, ob); err != nil {
		t.Fatal(err)
	}
	ob.Epochs, ob.Resume = 3, true
	res, err := Train(d, ob)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Epochs) != 3 {
		t.Fatalf("resumed run reports %d epochs, want 3", len(res.Epochs))
	}
	a, _ := os.ReadFile(filepath.Join(dirA, CheckpointFile))
	b, _ := os.ReadFile(filepath.Join(dirB, CheckpointFile))
	// The checkpoints hold the weights and the optimiser state; the headers
	// differ only in timings.
	if len(a) < 100 || !bytes.Equal(ckptState(a), ckptState(b)) {
		t.Error("resumed run differs from the uninterrupted one")
	}
	ma, _ := os.ReadFile(filepath.Join(dirA, BestModelFile))
	mb, _ := os.ReadFile(filepath.Join(dirB, BestModelFile))
	if !bytes.Equal(ma, mb) {
		t.Error("best models differ")
	}
	// A checkpoint of other settings is refused.
	if v.Copies() {
		oc := ob
		oc.WordDropout += 0.1
		if _, err := Train(d, oc); err == nil || !strings.Contains(err.Error(), "--word-dropout") {
			t.Errorf("resume with another word dropout: %v", err)
		}
	}
	ob.Seed = 99
	if _, err := Train(d, ob); err == nil || !strings.Contains(err.Error(), "other settings") {
		t.Errorf("resume with another seed: %v", err)
	}
}

// TestDataMatchesEncode checks that the trainer's encoding of a dataset
// gives exactly the ids model.Encode gives from the raw texts.
func TestDataMatchesEncode(t *testing.T) {
	d, ps := synthDataset(t, 3)
	// The builder keeps posts in input order; history is by author and time.
	for _, v := range []model.Variant{model.HMemN2N, model.HMemN2NTags, model.HMemN2NCopy} {
		m, err := model.New(model.Config{Variant: v, Dim: 4, Hops: 1, Memory: 5, MaxWords: 3}, Vocabulary(d, v, 2), Candidates(d))
		if err != nil {
			t.Fatal(err)
		}
		checkEncode(t, d, m, func(p int32) string { return ps[p].Text }, nil)
	}
}

// checkEncode checks that the trainer's example of every post holds what
// m.Encode gives from the raw texts, leaving out the examples for which skip
// (when not nil) says so; it returns how many were left out.
func checkEncode(t *testing.T, d *dataset.Dataset, m *model.Model, raw func(p int32) string, skip func(p int32) bool) int {
	t.Helper()
	x, err := Encode(d, m)
	if err != nil {
		t.Fatal(err)
	}
	var ex Example
	n, skipped := 0, 0
	for split := range d.Examples {
		for _, p := range d.Examples[split] {
			if skip != nil && skip(p) {
				skipped++
				continue
			}
			var hist []string
			for _, q := range d.History(p) {
				hist = append(hist, raw(q))
			}
			want := m.Encode(raw(p), hist)
			x.Example(p, &ex)
			if fmt.Sprint(want.Words, want.Memory) != fmt.Sprint(ex.Words, ex.Memory) {
				t.Fatalf("post %d: trainer %v %v, Encode %v %v", p, ex.Words, ex.Memory, want.Words, want.Memory)
			}
			if len(want.Tags) != len(ex.Tags) {
				t.Fatalf("post %d: trainer has %d memory hashtags, Encode %d", p, len(ex.Tags), len(want.Tags))
			}
			for j, w := range want.Tags {
				g := ex.Tags[j]
				if w.Name != d.Tags[g.ID] || w.Cand != g.Cand || w.Posts != g.Posts {
					t.Fatalf("post %d memory hashtag %d: trainer %q %+v, Encode %+v", p, j, d.Tags[g.ID], g, w)
				}
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no example checked")
	}
	return skipped
}

// ckptState returns the model and optimiser part of a checkpoint file
// (after the JSON header, without the checksum).
func ckptState(b []byte) []byte {
	hl := int(binary.LittleEndian.Uint32(b[12:]))
	return b[16+hl : len(b)-4]
}

// TestCheckpointErrors checks that a damaged checkpoint is refused with an
// error naming the file, never a panic, and that a missing one starts
// afresh.
func TestCheckpointErrors(t *testing.T) {
	d, _ := synthDataset(t, 5)
	dir := t.TempDir()
	o := quickOptions(model.MemN2N, dir)
	o.Epochs = 1
	if _, err := Train(d, o); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, CheckpointFile)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	flip := append([]byte{}, good...)
	flip[len(flip)/3] ^= 1
	o.Epochs, o.Resume = 2, true
	for name, data := range map[string][]byte{
		"truncated": good[:len(good)/2],
		"corrupt":   flip,
		"foreign":   []byte("hello, world: not a checkpoint at all"),
		"empty":     nil,
	} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Train(d, o)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s checkpoint: error %v, want one naming %s", name, err, path)
		}
	}
	os.Remove(path)
	var log bytes.Buffer
	o.Log = &log
	if _, err := Train(d, o); err != nil || !strings.Contains(log.String(), "starting afresh") {
		t.Errorf("missing checkpoint: %v\n%s", err, log.String())
	}
}

// TestTimeChunks checks the time-ordered epoch: every train post once, each
// chunk holding its own slice of time, shuffled within.
func TestTimeChunks(t *testing.T) {
	byTime := make([]int32, 100)
	for i := range byTime {
		byTime[i] = int32(99 - i) // post 99 is the oldest
	}
	var posts []int32
	for p := int32(0); p < 100; p += 2 { // the even posts train
		posts = append(posts, p)
	}
	order := timeChunks(byTime, posts, 4, rand.New(rand.NewPCG(1, 2)))
	if len(order) != len(posts) {
		t.Fatalf("%d posts in the epoch, want %d", len(order), len(posts))
	}
	sorted := slices.Clone(order)
	slices.Sort(sorted)
	if !slices.Equal(sorted, posts) {
		t.Fatalf("the epoch %v is not a permutation of the train posts", order)
	}
	shuffled := false
	for c := 0; c < 4; c++ {
		chunk := order[c*50/4 : (c+1)*50/4]
		for _, p := range chunk {
			// chunk c holds the c-th quarter of time: posts from oldest (high) down
			lo, hi := int32(98-2*((c+1)*50/4-1)), int32(98-2*(c*50/4))
			if p < lo || p > hi {
				t.Errorf("chunk %d holds post %d, outside its time slice [%d, %d]", c, p, lo, hi)
			}
		}
		if !slices.IsSortedFunc(chunk, func(a, b int32) int { return int(b - a) }) {
			shuffled = true
		}
	}
	if !shuffled {
		t.Error("no chunk is shuffled")
	}
}
