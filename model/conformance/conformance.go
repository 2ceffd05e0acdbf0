// Package conformance holds the fixture that proves the browser computes
// what the trainer evaluated: real test posts with their raw history, and
// the top 5 hashtags that the native float32 model and the native compact
// model gave each. Its test replays the fixture in every build, native and
// WebAssembly (make wasm-test), against the committed assets/model.bin.
//
// Regenerate the fixture whenever assets/model.bin changes:
//
//	hashtag export --fixture model/conformance/testdata/fixture.json.gz ...
package conformance

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"

	"github.com/hashtag-rec/hashtag/internal/binfile"
	"github.com/hashtag-rec/hashtag/model"
)

// Fixture is a list of posts and the rankings the native builds gave them.
type Fixture struct {
	// ModelSHA256 is the digest of the compact model file the Compact
	// rankings came from; the test refuses a fixture made for another file.
	ModelSHA256 string
	Source      string
	Cases       []Case
}

// Case is one post.
type Case struct {
	Post    string
	History []string // raw texts, most recent first
	Float   []string // top 5 of the float32 model
	Compact []string // top 5 of the compact model, natively
}

// Digest is the hex SHA-256 of b.
func Digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Tags returns the hashtags of a recommendation, in order.
func Tags(s []model.Suggestion, _ model.Why) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = x.Tag
	}
	return out
}

// Write writes fx as gzip-compressed JSON, atomically.
func Write(path string, fx *Fixture) error {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(zw)
	enc.SetIndent("", " ")
	if err := enc.Encode(fx); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return binfile.WriteFile(path, buf.Bytes())
}

// Read reads a fixture written by Write.
func Read(path string) (*Fixture, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var fx Fixture
	if err := json.NewDecoder(zr).Decode(&fx); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &fx, nil
}
