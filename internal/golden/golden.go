// Package golden compares bytes a test wrote with a file in its package's
// testdata folder: the golden tests of the binary formats, whose bytes on
// disk must not change. "go test -update" rewrites the files.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Check reports an error unless got equals testdata/name (after writing got
// there with -update), and returns the file's path.
func Check(t testing.TB, got []byte, name string) string {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("written bytes differ from %s", path)
	}
	return path
}
