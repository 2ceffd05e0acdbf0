package model

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testModel(t *testing.T, v Variant) *Model {
	t.Helper()
	words := []string{"cat", "dog", "news", "trump", "vote", "#maga", "#news"}
	m, err := New(Config{Variant: v, Dim: 4, Hops: 2, Memory: 3, MaxWords: 5}, words, []string{"maga", "news", "tcot"})
	if err != nil {
		t.Fatal(err)
	}
	m.Init(7)
	return m
}

func TestForwardNoNaN(t *testing.T) {
	for _, v := range Variants() {
		m := testModel(t, v)
		for _, in := range []Input{
			{},
			{Words: []int32{0, 1}},
			{Memory: [][]int32{{}, {}}},
			{Words: []int32{2}, Memory: [][]int32{{}, {3, 4}, {0}, {1}}},
		} {
			r, err := m.Forward(in, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range append(append([]float32{}, r.Scores...), r.SentAttn...) {
				if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
					t.Fatalf("%s %v: non-finite output %v", v, in, r)
				}
			}
			if len(r.Scores) != 3 {
				t.Fatalf("%d scores, want 3", len(r.Scores))
			}
			var sum float32
			for _, p := range r.SentAttn {
				sum += p
			}
			nonEmpty := false
			for i, mem := range in.Memory {
				if i < m.Memory && len(mem) > 0 {
					nonEmpty = true
				}
			}
			if nonEmpty && math.Abs(float64(sum-1)) > 1e-5 || !nonEmpty && sum != 0 {
				t.Errorf("%s %v: sentence attention sums to %v", v, in, sum)
			}
		}
	}
}

func TestForwardBadID(t *testing.T) {
	m := testModel(t, HMemN2N)
	if _, err := m.Forward(Input{Words: []int32{99}}, nil); err == nil {
		t.Error("no error for an out-of-range word id")
	}
	if _, err := m.Forward(Input{Memory: [][]int32{{-1}}}, nil); err == nil {
		t.Error("no error for a negative memory word id")
	}
}

func TestEncode(t *testing.T) {
	m := testModel(t, HMemN2NTags)
	in := m.Encode("The cat and the DOG! #maga", []string{"news about trump #MAGA #unknown #news", "", "vote", "dog"})
	want := "[0 1] [[2 3 5 6] [] [4]]"
	if got := fmtInput(in); got != want {
		t.Errorf("Encode = %s, want %s", got, want)
	}
	m.Variant = HMemN2N
	in = m.Encode("cat", []string{"news #maga"})
	if got := fmtInput(in); got != "[0] [[2]]" {
		t.Errorf("Encode without tags = %s", got)
	}
}

func fmtInput(in Input) string {
	var b strings.Builder
	b.WriteString(sprint(in.Words))
	b.WriteString(" [")
	for i, m := range in.Memory {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(sprint(m))
	}
	b.WriteString("]")
	return b.String()
}

func sprint(ids []int32) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = itoa(int(id))
	}
	return "[" + strings.Join(s, " ") + "]"
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func TestFileRoundTrip(t *testing.T) {
	for _, v := range Variants() {
		m := testModel(t, v)
		path := filepath.Join(t.TempDir(), "m.bin")
		if err := m.WriteFile(path); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got.Config != m.Config || strings.Join(got.Words, ",") != strings.Join(m.Words, ",") ||
			strings.Join(got.Tags, ",") != strings.Join(m.Tags, ",") {
			t.Fatalf("round trip changed the header: %v", got)
		}
		gt := got.Tensors()
		for i, ts := range m.Tensors() {
			for j := range ts.Data {
				if ts.Data[j] != gt[i].Data[j] {
					t.Fatalf("%s[%d] changed", ts.Name, j)
				}
			}
		}
	}
}

func TestFileErrors(t *testing.T) {
	m := testModel(t, HMemN2N)
	good, _ := m.MarshalBinary()
	dir := t.TempDir()
	newer := append([]byte{}, good...)
	binary.LittleEndian.PutUint32(newer[len(Magic):], FormatVersion+1)
	corrupt := append([]byte{}, good...)
	corrupt[len(corrupt)/2] ^= 0x40
	cases := []struct {
		name string
		data []byte
		err  error
		text string
	}{
		{"empty", nil, ErrTruncated, "truncated"},
		{"truncated-header", good[:5], ErrTruncated, "truncated"},
		{"truncated-body", good[:len(good)/2], ErrTruncated, "truncated"},
		{"truncated-crc", good[:len(good)-2], ErrTruncated, "truncated"},
		{"corrupt", corrupt, ErrChecksum, "checksum"},
		{"foreign", []byte("PK\x03\x04 this is a zip file, not a model"), ErrForeign, "not a hashtag model"},
		{"newer", newer, ErrVersion, "newer"},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadFile(path)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.text) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %q, want %v naming the file", c.name, err, c.err)
		}
	}
	// Every prefix of a valid file fails cleanly (no panic).
	for n := 0; n < len(good); n++ {
		if _, err := Unmarshal(good[:n]); err == nil {
			t.Fatalf("prefix of %d bytes accepted", n)
		}
	}
}
