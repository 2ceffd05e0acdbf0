// Command ira-subset writes a smaller corpus of the same kind as the IRA
// tweets: the rows of the authors whose CRC-32 (IEEE) of the author name is
// keep modulo mod, every column as read. It makes the second small corpus
// of README's "Small corpora" (1/12 of the authors, about 21,000 train
// examples), on which the settings for small corpora were checked:
//
//	go run ./scripts/ira-subset ../shared/data/ira/ira_tweets.csv.gz .cache/ira-12-5.csv.gz
package main

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
)

func main() {
	mod := flag.Uint("mod", 12, "keep 1 author in this many (by CRC-32 of the name)")
	keep := flag.Uint("keep", 5, "the remainder kept")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./scripts/ira-subset [-mod N] [-keep R] IN.csv.gz OUT.csv.gz")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 2 || *mod == 0 || *keep >= *mod {
		flag.Usage()
		os.Exit(2)
	}
	n, err := subset(flag.Arg(0), flag.Arg(1), uint32(*mod), uint32(*keep))
	if err != nil {
		fmt.Fprintln(os.Stderr, "ira-subset:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d rows\n", flag.Arg(1), n)
}

func subset(in, out string, mod, keep uint32) (int, error) {
	f, err := os.Open(in)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", in, err)
	}
	r := csv.NewReader(zr)
	r.FieldsPerRecord = -1
	hdr, err := r.Read()
	if err != nil {
		return 0, fmt.Errorf("%s: header: %w", in, err)
	}
	col := slices.Index(hdr, "author")
	if col < 0 {
		return 0, fmt.Errorf("%s: no column \"author\" in the header", in)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".ira-subset-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // after the rename, nothing is left to remove
	zw := gzip.NewWriter(tmp)
	w := csv.NewWriter(zw)
	if err := w.Write(hdr); err != nil {
		return 0, err
	}
	n := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", in, err)
		}
		if col < len(rec) && crc32.ChecksumIEEE([]byte(rec[col]))%mod == keep {
			if err := w.Write(rec); err != nil {
				return 0, err
			}
			n++
		}
	}
	w.Flush()
	if err := errors.Join(w.Error(), zw.Close(), tmp.Close()); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, fmt.Errorf("%s: no row of an author kept", in)
	}
	return n, os.Rename(tmp.Name(), out)
}
