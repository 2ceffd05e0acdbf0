package dataset

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hashtag-rec/hashtag/internal/binfile"
)

// cacheMagic starts every dataset cache file.
const cacheMagic = "HTAGDS\x00\x01"

// CacheVersion changes whenever the layout, the protocol code or the
// tokeniser changes what a cache holds; an older cache is then rebuilt.
const CacheVersion = 4

// header: magic (8) | version u32 | payload length u64 | CRC-32C of payload u32
const headerLen = 8 + 4 + 8 + 4

// Save writes d to path atomically: to a temporary file in the same folder,
// then renamed over path, so a crash never leaves a half-written cache. The
// header holds the payload's checksum, so the payload is encoded in memory
// first, then written after the header without another copy.
func (d *Dataset) Save(path string) error {
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(d); err != nil {
		return fmt.Errorf("encoding dataset cache: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	w, err := binfile.Create(path)
	if err != nil {
		return err
	}
	defer w.Close()
	w.Header(cacheMagic, CacheVersion)
	w.Uint64(uint64(payload.Len()))
	w.Uint32(binfile.Checksum(payload.Bytes()))
	w.Write(payload.Bytes())
	return w.Commit()
}

// ErrStaleCache reports a cache written by another version of the code.
var ErrStaleCache = errors.New("dataset cache was written by another version")

// Load reads a cache written by Save, checking its magic bytes, version and
// length, and its checksum while it decodes (internal/binfile): the file is
// not held in memory beside the dataset. Errors wrap binfile's ErrMagic,
// ErrTruncated and ErrChecksum, or ErrStaleCache.
func Load(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 1<<16)
	var hdr [headerLen]byte
	if fi.Size() < headerLen {
		return nil, fmt.Errorf("%s: not a dataset cache (%w)", path, binfile.ErrMagic)
	}
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if string(hdr[:8]) != cacheMagic {
		return nil, fmt.Errorf("%s: not a dataset cache (%w)", path, binfile.ErrMagic)
	}
	if v := binary.LittleEndian.Uint32(hdr[8:]); v != CacheVersion {
		return nil, fmt.Errorf("%s: version %d, this program reads version %d: %w", path, v, CacheVersion, ErrStaleCache)
	}
	n := binary.LittleEndian.Uint64(hdr[12:])
	if got := uint64(fi.Size() - headerLen); got != n {
		return nil, fmt.Errorf("%s: truncated or padded: payload is %d bytes, header says %d (%w)", path, got, n, binfile.ErrTruncated)
	}
	pr := binfile.NewPayloadReader(br, int64(n), binary.LittleEndian.Uint32(hdr[20:]))
	d := new(Dataset)
	derr := gob.NewDecoder(pr).Decode(d)
	if err := pr.Verify(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if derr != nil {
		return nil, fmt.Errorf("%s: decoding: %w", path, derr)
	}
	if err := d.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// validate checks the invariants the accessors rely on, so that a cache that
// passed its checksum but was written by buggy code cannot cause a panic.
func (d *Dataset) validate() error {
	n := len(d.PostSplit)
	if len(d.PostAuthor) != n {
		return fmt.Errorf("inconsistent dataset: %d authors for %d posts", len(d.PostAuthor), n)
	}
	for _, c := range []struct {
		name     string
		off, val []int32
		limit    int
	}{
		{"words", d.TokOff, d.Tok, len(d.Words)},
		{"hashtags", d.TagOff, d.Tag, len(d.Tags)},
		{"history", d.HistOff, d.Hist, n},
		{"gold", d.GoldOff, d.Gold, len(d.Candidates)},
	} {
		if len(c.off) != n+1 || c.off[0] != 0 || int(c.off[n]) != len(c.val) {
			return fmt.Errorf("inconsistent dataset: %s offsets", c.name)
		}
		for i := 0; i < n; i++ {
			if c.off[i] > c.off[i+1] {
				return fmt.Errorf("inconsistent dataset: %s offsets decrease at post %d", c.name, i)
			}
		}
		for _, v := range c.val {
			if v < 0 || int(v) >= c.limit {
				return fmt.Errorf("inconsistent dataset: %s id %d out of range [0,%d)", c.name, v, c.limit)
			}
		}
	}
	if len(d.TimeOrder) != n {
		return fmt.Errorf("inconsistent dataset: %d posts in time order, %d posts", len(d.TimeOrder), n)
	}
	seen := make([]bool, n)
	for _, p := range d.TimeOrder {
		if p < 0 || int(p) >= n || seen[p] {
			return fmt.Errorf("inconsistent dataset: post %d out of range or twice in the time order", p)
		}
		seen[p] = true
	}
	if len(d.TagForm) != len(d.Tags) {
		return fmt.Errorf("inconsistent dataset: %d written forms for %d hashtags", len(d.TagForm), len(d.Tags))
	}
	for _, t := range d.Candidates {
		if t < 0 || int(t) >= len(d.Tags) {
			return fmt.Errorf("inconsistent dataset: candidate tag id %d out of range", t)
		}
	}
	for s, ex := range d.Examples {
		for _, p := range ex {
			if p < 0 || int(p) >= n {
				return fmt.Errorf("inconsistent dataset: %s example %d out of range", SplitNames[s], p)
			}
		}
	}
	return nil
}
