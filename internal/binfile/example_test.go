package binfile_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashtag-rec/hashtag/internal/binfile"
)

// A format writes its header and payload through a Writer, appends the
// checksum and commits; reading verifies the sum as the bytes go by, and
// one flipped byte is refused.
func Example() {
	dir, _ := os.MkdirTemp("", "binfile-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "demo.bin")

	w, err := binfile.Create(path)
	if err != nil {
		panic(err)
	}
	w.Header("DEMO", 1)
	w.Write([]byte("payload"))
	w.AppendSum()
	if err := w.Commit(); err != nil {
		panic(err)
	}

	read := func() error {
		r, f, err := binfile.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		head := make([]byte, 4+4+len("payload"))
		if err := r.ReadFull(head); err != nil {
			return err
		}
		fmt.Printf("%q version %d: %q\n", head[:4], head[4], head[8:])
		return r.Verify() // the sum after the content, checked by the Reader
	}
	fmt.Println("verify:", read())

	b, _ := os.ReadFile(path)
	b[10] ^= 1
	os.WriteFile(path, b, 0o644)
	err = read()
	fmt.Println("flipped byte refused:", errors.Is(err, binfile.ErrChecksum))
	// Output:
	// "DEMO" version 1: "payload"
	// verify: <nil>
	// "DEMO" version 1: "paxload"
	// flipped byte refused: true
}
