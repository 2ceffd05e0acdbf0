package binfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// write makes a file of the trailer layout: magic, version, a payload and
// the sum of all of it.
func write(t *testing.T, path string, payload []byte) {
	t.Helper()
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.Header("TESTMAGC", 3)
	w.Uint64(uint64(len(payload)))
	w.Write(payload)
	w.AppendSum()
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// read reads what write wrote, checking magic and version.
func read(path string) ([]byte, error) {
	r, f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var head [12]byte
	if err := r.ReadFull(head[:]); err != nil {
		return nil, err
	}
	if string(head[:8]) != "TESTMAGC" {
		return nil, ErrMagic
	}
	if head[8] != 3 {
		return nil, ErrVersion
	}
	n, err := r.Uint64()
	if err != nil {
		return nil, err
	}
	if n > uint64(r.Remaining()) {
		r.Verify()
		return nil, ErrTruncated
	}
	b, err := io.ReadAll(r) // verifies at the end
	if err != nil {
		return nil, err
	}
	return b, r.Verify()
}

func TestRoundTripAndErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.bin")
	payload := bytes.Repeat([]byte("hashtag "), 20000)
	write(t, path, payload)
	got, err := read(path)
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("round trip: %v", err)
	}
	good, _ := os.ReadFile(path)
	if want := 8 + 4 + 8 + len(payload) + 4; len(good) != want {
		t.Fatalf("file is %d bytes, want %d", len(good), want)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the folder, want 1 (no temporary file left)", len(entries))
	}
	flip := bytes.Clone(good)
	flip[len(flip)/2] ^= 1
	magic := bytes.Clone(good)
	magic[0] = 'X'
	version := bytes.Clone(good)
	version[8] = 9
	for name, c := range map[string]struct {
		data []byte
		want error
	}{
		"truncated": {good[:len(good)/2], ErrTruncated},
		"flipped":   {flip, ErrChecksum},
		"magic":     {magic, ErrMagic},
		"version":   {version, ErrVersion},
		"empty":     {nil, ErrTruncated},
		"sum":       {append(bytes.Clone(good[:len(good)-1]), good[len(good)-1]^1), ErrChecksum},
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, c.data, 0o644)
		if _, err := read(p); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", name, err, c.want)
		}
	}
}

func TestPayloadReader(t *testing.T) {
	payload := []byte("a payload whose sum the header holds")
	r := NewPayloadReader(strings.NewReader(string(payload)), int64(len(payload)), Checksum(payload))
	if b, err := io.ReadAll(r); err != nil || !bytes.Equal(b, payload) {
		t.Fatalf("ReadAll = %q, %v", b, err)
	}
	r = NewPayloadReader(strings.NewReader(string(payload)), int64(len(payload)), Checksum(payload)^1)
	if _, err := io.ReadAll(r); !errors.Is(err, ErrChecksum) {
		t.Errorf("wrong sum: %v, want ErrChecksum", err)
	}
	r = NewPayloadReader(strings.NewReader(string(payload[:5])), int64(len(payload)), Checksum(payload))
	if err := r.Verify(); !errors.Is(err, ErrTruncated) {
		t.Errorf("short payload: %v, want ErrTruncated", err)
	}
}

// TestCreateAbandoned checks that a file not committed leaves the path as
// it was and no temporary file.
func TestCreateAbandoned(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.bin")
	os.WriteFile(path, []byte("old"), 0o644)
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("new, half written"))
	w.Close()
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("path holds %q after an abandoned write, want the old content", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the folder, want 1", len(entries))
	}
	if err := WriteFile(filepath.Join(dir, "missing", "f"), nil); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("WriteFile into a missing folder: %v", err)
	}
}
