package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashtag-rec/hashtag/model/post"
)

// Source names the input of a dataset: files (or a folder of a pre-split
// corpus) in one format, a split kind and how to treat bad records.
type Source struct {
	Paths  []string    // files, or folders holding train/valid/test files
	Format post.Format // empty: recognised from each file
	Split  string      // SplitRandom, SplitTime or SplitGiven
	Name   string      // corpus name; empty: from the first path
	Opts   post.Options
	// Log receives one line per file read (may be nil).
	Log io.Writer
}

// Files expands folders of a pre-split corpus into their train, valid and
// test files (in that order, as the protocol concatenates them) and checks
// every path exists. A folder with none of them (an unzipped archive, a
// Grailbird data/js/tweets folder) is kept whole: post.ReadFile finds its
// posts files.
func (s *Source) Files() ([]string, error) {
	var files []string
	for _, p := range s.Paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		if !HasSplitFiles(p) {
			files = append(files, p)
			continue
		}
		var found []string
		for _, split := range SplitNames {
			m, _ := filepath.Glob(filepath.Join(p, split+".*"))
			sort.Strings(m)
			if len(m) == 0 {
				return nil, fmt.Errorf("%s: folder has no %s.* file (a pre-split corpus needs train, valid and test files)", p, split)
			}
			found = append(found, m[0])
		}
		files = append(files, found...)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no input files given")
	}
	return files, nil
}

// HasSplitFiles reports whether dir holds a train.*, valid.* or test.*
// file: a pre-split corpus.
func HasSplitFiles(dir string) bool {
	for _, split := range SplitNames {
		if m, _ := filepath.Glob(filepath.Join(dir, split+".*")); len(m) > 0 {
			return true
		}
	}
	return false
}

// CorpusName is the name given, or the name of the folder holding the first
// input (of the folder itself, for a folder). A file in the current folder
// takes that folder's name, never "."; a name that would start with '.'
// (which would hide the cache file) or is empty falls back to the file's
// own name without its extensions, then to "corpus".
func (s *Source) CorpusName() string {
	if s.Name != "" {
		return s.Name
	}
	p := filepath.Clean(s.Paths[0])
	file := ""
	if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
		file = filepath.Base(p)
		p = filepath.Dir(p)
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	for _, name := range []string{filepath.Base(p), strings.SplitN(file, ".", 2)[0]} {
		name = strings.TrimLeft(name, ".")
		if name != "" && name != string(filepath.Separator) {
			return name
		}
	}
	return "corpus"
}

// Prepare reads every file of s and applies the protocol.
func Prepare(s Source) (*Dataset, error) {
	files, err := s.Files()
	if err != nil {
		return nil, err
	}
	split := s.Split
	b, err := NewBuilder(s.CorpusName(), split)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		st, format, err := ReadFile(f, s.Format, s.Opts, b.Add)
		if err != nil {
			return nil, err
		}
		if s.Log != nil {
			for _, part := range st.Parts {
				fmt.Fprintf(s.Log, "read %s/%s (%s): %d records, %d kept\n", f, part.Name, part.Format, part.Records, part.Kept)
			}
			if len(st.Parts) > 0 && st.Others > 0 {
				fmt.Fprintf(s.Log, "%s: %d other files not read (media, likes, account data)\n", f, st.Others)
			}
			fmt.Fprintf(s.Log, "read %s (%s): %d records, %d kept", f, format, st.Records, st.Kept)
			if st.Bad > 0 {
				fmt.Fprintf(s.Log, ", %d bad records skipped", st.Bad)
			}
			if st.Ignored > 0 {
				fmt.Fprintf(s.Log, ", %d ignored", st.Ignored)
			}
			fmt.Fprintln(s.Log)
		}
	}
	d := b.Build()
	d.Source = strings.Join(files, " ")
	return d, nil
}

// CachePath is where the cache of s lives in dir: its name carries the
// corpus, the split and a digest of the inputs' paths, sizes and times, and
// of the options, so a changed input gets a new cache.
func (s *Source) CachePath(dir string) (string, error) {
	files, err := s.Files()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "v%d|%s|%s|%v\n", CacheVersion, s.Split, s.Format, s.Opts.SkipBad)
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return "", err
		}
		abs, _ := filepath.Abs(f)
		fmt.Fprintf(h, "%s|%d|%d\n", abs, fi.Size(), fi.ModTime().UnixNano())
		if fi.IsDir() { // a folder read whole: every file in it counts
			filepath.WalkDir(f, func(p string, d fs.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					if fi, err := d.Info(); err == nil {
						fmt.Fprintf(h, "%s|%d|%d\n", p, fi.Size(), fi.ModTime().UnixNano())
					}
				}
				return nil
			})
		}
	}
	sum := hex.EncodeToString(h.Sum(nil))[:12]
	return filepath.Join(dir, fmt.Sprintf("%s-%s-%s.ds", s.CorpusName(), s.Split, sum)), nil
}

// Open loads the cached dataset of s from dir, or prepares it and writes the
// cache. fresh reports whether it was prepared now.
func Open(s Source, dir string) (d *Dataset, path string, fresh bool, err error) {
	path, err = s.CachePath(dir)
	if err != nil {
		return nil, "", false, err
	}
	if d, err := Load(path); err == nil {
		return d, path, false, nil
	} else if !os.IsNotExist(err) && s.Log != nil {
		fmt.Fprintf(s.Log, "cache %s unusable, rebuilding: %v\n", path, err)
	}
	d, err = Prepare(s)
	if err != nil {
		return nil, "", false, err
	}
	if err := d.Save(path); err != nil {
		return nil, "", false, fmt.Errorf("writing cache: %w", err)
	}
	return d, path, true, nil
}
