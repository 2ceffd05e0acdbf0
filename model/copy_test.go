package model

import (
	"bytes"
	"encoding/binary"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/internal/num"
)

// copyModel is a small HMemN2NCopy whose gate leans on the copy path
// (GateV's bias -4: g ≈ 0.02) so that the history's hashtags lead.
func copyModel(t *testing.T) *Model {
	t.Helper()
	words := []string{"run", "rain", "marathon", "berlin", "news", "vote", "#running", "#news"}
	m, err := New(Config{Variant: HMemN2NCopy, Dim: 6, Hops: 2, Memory: 5, MaxWords: 10}, words, []string{"news", "running", "vote"})
	if err != nil {
		t.Fatal(err)
	}
	m.Init(3)
	m.GateV[GateFeatures] = -4
	m.CopyPos[0], m.CopyPos[1] = 1, 0.5
	m.Display = []string{"News", "Running", "Vote"}
	return m
}

func TestCopyEncode(t *testing.T) {
	m := copyModel(t)
	in := m.Encode("long run in the rain", []string{
		"Saturday #ParkrunBerlin with friends #running",
		"no tags here",
		"#parkrunberlin again and #news",
	})
	want := []CopyTag{
		{Name: "parkrunberlin", Display: "ParkrunBerlin", ID: -1, Cand: -1, Posts: 1 | 4, Word: -1},
		{Name: "running", Display: "running", ID: -1, Cand: 1, Posts: 1, Word: 6},
		{Name: "news", Display: "news", ID: -1, Cand: 0, Posts: 4, Word: 7},
	}
	if len(in.Tags) != len(want) {
		t.Fatalf("copy tags %+v, want %+v", in.Tags, want)
	}
	for j := range want {
		if in.Tags[j] != want[j] {
			t.Errorf("copy tag %d: %+v, want %+v", j, in.Tags[j], want[j])
		}
	}
	// The memory word "#running" follows the words of memory post 0.
	if got := in.Memory[0]; len(got) == 0 || got[len(got)-1] != 6 {
		t.Errorf("memory post 0 is %v, want it to end with #running (6)", got)
	}
}

// TestCopySuggestsUnknownHashtag is the product's promise: a hashtag of the
// person's history that the model never saw is suggested, in their form.
func TestCopySuggestsUnknownHashtag(t *testing.T) {
	m := copyModel(t)
	hist := []string{"Saturday #ParkrunBerlin with friends", "#parkrunberlin again", "vote today #vote"}
	sugs, why := m.Recommend("long run in the rain", hist, 3)
	if len(sugs) != 3 {
		t.Fatalf("%d suggestions, want 3", len(sugs))
	}
	if sugs[0].Tag != "parkrunberlin" || sugs[0].Display != "ParkrunBerlin" || sugs[0].Copy != 1 {
		t.Errorf("first suggestion %+v, want parkrunberlin shown as ParkrunBerlin, all from the copy path", sugs[0])
	}
	if !(why.Gate > 0 && why.Gate < 0.1) {
		t.Errorf("gate %v, want about sigmoid(-4)", why.Gate)
	}
	var sum float32
	for i, s := range sugs {
		if i > 0 && s.Score > sugs[i-1].Score {
			t.Errorf("suggestions out of order: %+v", sugs)
		}
		if s.Copy < 0 || s.Copy > 1+1e-6 {
			t.Errorf("%s: copy share %v outside [0, 1]", s.Tag, s.Copy)
		}
		sum += s.Score
	}
	if sum > 1+1e-5 {
		t.Errorf("probabilities sum to %v > 1", sum)
	}
	// "vote" is a candidate in memory: helped by both paths, shown as the
	// person wrote it.
	for _, s := range sugs {
		if s.Tag == "vote" && (s.Copy <= 0 || s.Copy >= 1 || s.Display != "vote") {
			t.Errorf("vote: %+v, want a share from each path and the person's form", s)
		}
	}
	// With no history the gate is 1 and only candidates come, in their
	// usual form.
	sugs, why = m.Recommend("long run in the rain", nil, 3)
	if why.Gate != 1 {
		t.Errorf("gate %v with no history, want 1", why.Gate)
	}
	for _, s := range sugs {
		if s.Copy != 0 || s.Display != m.Display[mustIndex(t, m, s.Tag)] {
			t.Errorf("no history: %+v", s)
		}
	}
}

func mustIndex(t *testing.T, m *Model, tag string) int32 {
	t.Helper()
	c, ok := m.TagIndex(tag)
	if !ok {
		t.Fatalf("%q is not a candidate", tag)
	}
	return c
}

// TestCopyMixtureIsADistribution checks that the candidates' mixed
// probabilities and the other memory hashtags' sum to 1.
func TestCopyMixtureIsADistribution(t *testing.T) {
	m := copyModel(t)
	m.GateV[GateFeatures] = 0.3
	in := m.Encode("run in berlin", []string{"#a #running", "#b #news #a", "", "#c"})
	r, err := m.Forward(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	ps := append([]float32(nil), r.Scores...)
	num.Softmax(ps)
	MixCandidates(ps, r.Gate, in.Tags, r.Copy)
	var sum float64
	for _, p := range ps {
		sum += float64(p)
	}
	for j, tg := range in.Tags {
		if tg.Cand < 0 {
			sum += float64((1 - r.Gate) * r.Copy[j])
		}
	}
	if math.Abs(sum-1) > 1e-5 {
		t.Errorf("mixture sums to %v", sum)
	}
}

func TestCopyCheck(t *testing.T) {
	m := copyModel(t)
	for name, tg := range map[string]CopyTag{
		"candidate": {Cand: 3, Posts: 1, Word: -1},
		"word":      {Cand: -1, Posts: 1, Word: 99},
		"no post":   {Cand: -1, Posts: 1 << 6, Word: -1},
	} {
		if _, err := m.Forward(Input{Memory: [][]int32{{0}}, Tags: []CopyTag{tg}}, nil); err == nil {
			t.Errorf("%s out of range: no error", name)
		}
	}
}

// TestCopyFileVersions checks that a copy model is written as format
// version 2 with its display forms and copy tensors, in both formats, and
// that the other variants are still written as version 1.
func TestCopyFileVersions(t *testing.T) {
	m := copyModel(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "m.bin")
	if err := m.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(b[len(Magic):]); v != 2 {
		t.Errorf("copy model written as version %d, want 2", v)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Display, ",") != "News,Running,Vote" || got.GateV[GateFeatures] != -4 || got.CopyPos[0] != 1 {
		t.Errorf("read back display %v, GateV %v, CopyPos %v", got.Display, got.GateV, got.CopyPos)
	}
	cb, err := m.MarshalCompact(CompactOptions{Embeddings: QuantInt4, Output: QuantInt8, Dense: QuantInt8})
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(cb[len(CompactMagic):]); v != 2 {
		t.Errorf("compact copy model written as version %d, want 2", v)
	}
	cm, err := UnmarshalCompact(cb)
	if err != nil {
		t.Fatal(err)
	}
	// The copy path's parameters are stored as float32, exactly.
	if strings.Join(cm.Display, ",") != "News,Running,Vote" || cm.GateV[GateFeatures] != -4 || cm.CopyPos[1] != 0.5 {
		t.Errorf("compact read back display %v, GateV %v, CopyPos %v", cm.Display, cm.GateV, cm.CopyPos)
	}
	hist := []string{"#ParkrunBerlin", "#vote"}
	a, _ := cm.Recommend("run", hist, 3)
	if a[0].Tag != "parkrunberlin" {
		t.Errorf("compact model suggests %+v", a)
	}
	for _, v := range []Variant{HMemN2N, MemN2N, HMemN2NTags} {
		b, err := testModel(t, v).MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if ver := binary.LittleEndian.Uint32(b[len(Magic):]); ver != 1 {
			t.Errorf("%s written as version %d, want 1", v, ver)
		}
	}
	// A version-1 file claiming the copy variant is refused.
	b1 := bytes.Clone(b)
	binary.LittleEndian.PutUint32(b1[len(Magic):], 1)
	if _, err := decode(&reader{b: b1[len(Magic)+4 : len(b1)-4]}, 1); err == nil || !strings.Contains(err.Error(), "version 2") {
		t.Errorf("copy variant in a version-1 file: %v", err)
	}
}
